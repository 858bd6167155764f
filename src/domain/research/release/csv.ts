/**
 * Reading the published CSV files as they are. USGS writes some files in cp1252 and others in UTF-8 with a
 * byte-order mark (MCS2025_World_Data.csv is UTF-8 with a BOM, although its metadata and the data README call
 * it cp1252), so the text is decoded by what the bytes are, not by what the file is said to be.
 */

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), otherwise Windows-1252. */
export function decodePublished(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (Node's decoder without full ICU treats it as Latin-1).
// Unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their Latin-1 code point, as the WHATWG decoder does.
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF ends a record. */
export const parseCsv = (text: string): string[][] => parseCsvRecords(text).map((r) => r.cells);

/**
 * The records with the line each starts on (1-based), the row number provenance cites: a quoted field may
 * span lines (the EU annex has "Natural Teak⏎wood"), so record i is not always line i + 1.
 */
export function parseCsvRecords(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let line = 1;
  let start = 1;
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '\n') line++;
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      row.push(field);
      rows.push({ line: start, cells: row });
      start = line;
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push({ line: start, cells: row });
  }
  return rows;
}

/** A header as a key: USGS's stray spaces ("PROD_EST_ 2024", "Copper ") and non-breaking spaces removed. */
export const cleanHeader = (name: string) => name.replace(/[\s\u00a0]+/g, '');

/** A cell's text with non-breaking spaces made plain and the ends trimmed; nothing else changes. */
export const cleanCell = (text: string) => text.replace(/\u00a0/g, ' ').trim();
