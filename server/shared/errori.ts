/**
 * The one error base of the project (docs/architettura.md, "Errori"). Every error the code throws
 * on purpose extends it, so the web handler (server/app.ts), the CLI and the jobs can tell by
 * `instanceof` what an error means instead of matching names:
 *  - `status`: the HTTP answer when it reaches the web handler (500 when it is nobody's fault but
 *    ours or the machine's);
 *  - `mostrabile`: its message is written in Italian for the person in front of the page and can be
 *    shown as is (by default, every 4xx);
 *  - `aiuto`: optionally, what to do next.
 * It lives in server/shared, below every feature, so any layer can throw it without imports going up.
 */
export interface OpzioniErrore {
  status?: number;
  mostrabile?: boolean;
  aiuto?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly mostrabile: boolean;
  readonly aiuto?: string;

  constructor(message: string, opzioni: OpzioniErrore = {}) {
    super(message, opzioni.cause !== undefined ? { cause: opzioni.cause } : undefined);
    // The subclass's own name (ImportRejected, AccessoNegato...) in logs and stack traces.
    this.name = new.target.name;
    this.status = opzioni.status ?? 500;
    this.mostrabile = opzioni.mostrabile ?? (this.status >= 400 && this.status < 500);
    if (opzioni.aiuto !== undefined) this.aiuto = opzioni.aiuto;
  }
}
