import { sqlStatements } from '../shared/sql';

/** The statements of sql/queries/variazioni/<name>.sql (named bindings :ora, :compito...). */
export const statements = (name: string): string[] => sqlStatements('variazioni', name);
