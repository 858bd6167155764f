/**
 * One CSV text cell, for the server's exports and the web app's downloads alike: quoted when it must be, and
 * never live in a spreadsheet. OWASP's list of what makes Excel, LibreOffice or Google Sheets read a cell as a
 * formula (or split it, for tab and CR): such text is written with a leading apostrophe.
 */
const FORMULA_LEADS = /^[=+\-@\t\r]/;

const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;

export function csvTextCell(text: string): string {
  if (FORMULA_LEADS.test(text)) return quoted(`'${text}`);
  return /[",\n\r]/.test(text) ? quoted(text) : text;
}
