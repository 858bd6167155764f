import { csvTextCell } from '../domain/csv-text.ts';

/** CSV made in the browser from what a page already shows, and saved as a file (no second request). */

// Numbers as they are (a negative share stays a number); text through the exports' one rule, so a name
// such as "=HYPERLINK(…)" is never a live formula in the downloaded file.
const quote = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : csvTextCell(String(v));

/** A header line and one line per row, fields quoted where they need it. */
export const csvText = (header: readonly string[], rows: readonly (readonly unknown[])[]) =>
  [header.map(quote).join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n');

export function downloadCsv(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}
