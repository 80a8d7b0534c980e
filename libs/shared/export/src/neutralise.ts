/**
 * Formula injection (CSV/spreadsheet injection, OWASP): a text cell that a spreadsheet would read as a formula
 * — one starting with `=`, `+`, `-`, `@`, a tab or a carriage return — is written with a leading apostrophe, so
 * it stays text. Plates, names and reasons come from stations and parties: none may run in the reader's Excel.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
