/**
 * The one e-mail address check, for the imports (comuni.csv, scadenze.csv) and every form
 * (accounts, contacts, deadlines). Stricter than "something@something.tld": the part before the
 * @ is a plain dot-atom (no quotes, brackets, parentheses, colons or spaces) that does not start
 * with = + - @ (a spreadsheet would read those as a formula when the office opens an export),
 * the domain is made of ordinary labels with a letters-only last one. Under 254 characters.
 */
const LOCALE = /^(?![=+\-@])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ETICHETTA = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function emailValida(indirizzo: string): boolean {
  if (indirizzo.length > 254) return false;
  const at = indirizzo.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const locale = indirizzo.slice(0, at);
  const dominio = indirizzo.slice(at + 1).split('.');
  return LOCALE.test(locale) && dominio.length >= 2 && dominio.every((l) => ETICHETTA.test(l)) && /^[A-Za-z]{2,63}$/.test(dominio[dominio.length - 1]);
}

/** Addresses of a contact field: split on `,` or `;`, trimmed, lower case, without repeats. */
export function separaEmail(v: string | null | undefined): string[] {
  const out: string[] = [];
  for (const p of (v ?? '').split(/[,;]/)) {
    const e = p.trim().toLowerCase();
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

/** The addresses of a field that fail the check. */
export function emailNonValide(v: string | null | undefined): string[] {
  return separaEmail(v).filter((e) => !emailValida(e));
}
