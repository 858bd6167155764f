/** The small HTML pieces both reports are built from. */
export const escapeHtml = (text: unknown) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A table; the columns listed in `numeric` are right-aligned. */
export function htmlTable(headers: string[], rows: (string | number)[][], numeric: number[] = []) {
  const cell = (tag: 'th' | 'td', value: unknown, i: number) =>
    `<${tag}${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(value)}</${tag}>`;
  return `<table><thead><tr>${headers.map((h, i) => cell('th', h, i)).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The marking on every page of a report: it carries deal figures that are not public. */
export const CONFIDENTIAL_MARKING = 'CONFIDENTIAL — programme internal; contains non-public deal information';
