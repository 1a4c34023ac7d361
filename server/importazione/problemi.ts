/** A problem found in an input file, located as a person finds it in a text editor. */
import { AppError } from '../shared/errori';
export interface Problem {
  file: string;
  /** 1-based line; the header is line 1. 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based column (field position in the row); 0 when the whole row or file. */
  column: number;
  reason: string;
}

export function formatProblem(p: Problem): string {
  return p.line > 0 ? `${p.file}:${p.line}:${p.column}: ${p.reason}` : `${p.file}: ${p.reason}`;
}

/** Collects problems; keeps the first `limit` (the contract asks for at least 100) and counts the rest. */
export class ProblemList {
  readonly items: Problem[] = [];
  total = 0;
  constructor(private readonly limit = 1000) {}

  add(p: Problem): void {
    this.total++;
    if (this.items.length < this.limit) this.items.push(p);
  }

  /** How many problems are kept. */
  get limite(): number {
    return this.limit;
  }

  /**
   * The problems of another list, as if added here one by one: `items` are its first ones (at
   * least as many as this list keeps), `total` all of them.
   */
  merge(items: Problem[], total: number): void {
    for (const p of items) this.add(p);
    this.total += total - items.length;
  }

  get empty(): boolean {
    return this.total === 0;
  }

  lines(): string[] {
    const out = this.items.map(formatProblem);
    if (this.total > this.items.length) out.push(`... e altri ${this.total - this.items.length} problemi`);
    return out;
  }
}

/** The whole import was rejected: nothing was changed in the database. */
export class ImportRejected extends AppError {
  constructor(
    readonly problems: Problem[],
    readonly total: number,
    readonly warnings: string[] = [],
    message = `Importazione rifiutata: ${total} ${total === 1 ? 'problema' : 'problemi'} nei file. Nessun dato è stato modificato.`,
  ) {
    super(message, { status: 400 });
  }

  /** The message, every problem as `file:line:column: reason`, and what to do next if anything. */
  report(): string {
    return [this.message, ...this.problemLines(), ...this.next()].join('\n');
  }

  /** Every problem as `file:line:column: reason`. */
  problemLines(): string[] {
    const lines = this.problems.map(formatProblem);
    if (this.total > this.problems.length) lines.push(`... e altri ${this.total - this.problems.length} problemi`);
    return lines;
  }

  protected next(): string[] {
    return [];
  }

  static from(list: ProblemList, warnings: string[] = []): ImportRejected {
    return new ImportRejected(list.items, list.total, warnings);
  }
}

/**
 * A SIZ extract whose tables lost more rows than allowed against the loaded ones: not applied,
 * recorded as `sospesa`, waiting for someone to confirm that the loss is real ("conferma").
 * A rejection for every caller that does not know better: nothing changed.
 */
export class ImportSospesa extends ImportRejected {
  constructor(
    problems: Problem[],
    warnings: string[],
    /** The files as they were read, to confirm exactly these later. */
    readonly file: { nome: string; checksum: string; righe: number }[],
    readonly dataEstrazione: string,
    /** How to apply it anyway, e.g. the command line with --conferma. */
    readonly comeConfermare: string,
  ) {
    super(
      problems,
      problems.length,
      warnings,
      `Importazione sospesa: ${problems.length === 1 ? 'una tabella perde' : `${problems.length} tabelle perdono`} troppe righe rispetto all'estrazione caricata (file troncato o estrazione incompleta?). Nessun dato è stato modificato.`,
    );
  }

  protected next(): string[] {
    return [`Se il calo è reale, confermare l'importazione: ${this.comeConfermare}`];
  }
}
