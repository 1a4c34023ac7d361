import { sqlStatements } from '../shared/sql';

/** The statements of sql/queries/qualita/<name>.sql (named bindings :oggi, :esecuzione...). */
export const statements = (name: string): string[] => sqlStatements('qualita', name);
