/** CSV made in the browser from what a page already shows, and saved as a file (no second request). */

const quote = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

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
