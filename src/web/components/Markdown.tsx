import type { ReactNode } from 'react';

/**
 * Markdown rendered safely: a small subset (paragraphs, headings, lists, **bold**, *emphasis*, `code`,
 * links) built as React elements, never as HTML, so whatever a note contains (<script>, <img onerror>, raw
 * HTML) is text. A link keeps only an http(s) or mailto address; anything else (javascript:, data:) stays
 * text as written.
 */
const INLINE = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const BULLET = /^\s*[-*]\s+/;
const NUMBER = /^\s*\d+[.)]\s+/;

/** A rendered note never changes: each piece's position is its identity. */
const numbered = (items: readonly string[], prefix: string) =>
  items.map((text, n) => ({ text, key: `${prefix}${n}` }));

function inline(text: string, key: string): ReactNode[] {
  return numbered(text.split(INLINE), `${key}-`).map(({ text: part, key: k }) => {
    if (/^\*\*[^*]+\*\*$/.test(part)) return <strong key={k}>{part.slice(2, -2)}</strong>;
    if (/^\*[^*]+\*$/.test(part)) return <em key={k}>{part.slice(1, -1)}</em>;
    if (/^`[^`]+`$/.test(part)) return <code key={k}>{part.slice(1, -1)}</code>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link && SAFE_URL.test(link[2]!))
      return (
        <a key={k} href={link[2]} rel="noopener noreferrer nofollow" target="_blank">
          {link[1]}
        </a>
      );
    return part;
  });
}

type Line = { text: string; key: string };

function list(lines: Line[], marker: RegExp) {
  return lines.map((l) => <li key={l.key}>{inline(l.text.replace(marker, ''), l.key)}</li>);
}

function block({ text, key }: Line): ReactNode {
  const lines = numbered(
    text.split('\n').filter((l) => l.trim() !== ''),
    `${key}-`,
  );
  if (!lines.length) return null;
  const heading = /^(#{1,3})\s+(.*)$/.exec(lines[0]!.text);
  if (heading && lines.length === 1) {
    const Tag = (['h3', 'h4', 'h5'] as const)[heading[1]!.length - 1]!;
    return <Tag key={key}>{inline(heading[2]!, key)}</Tag>;
  }
  if (lines.every((l) => BULLET.test(l.text))) return <ul key={key}>{list(lines, BULLET)}</ul>;
  if (lines.every((l) => NUMBER.test(l.text))) return <ol key={key}>{list(lines, NUMBER)}</ol>;
  return (
    <p key={key}>
      {lines.flatMap((l, i) => [...(i ? [<br key={`${l.key}-br`} />] : []), ...inline(l.text, l.key)])}
    </p>
  );
}

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">{numbered(text.replace(/\r\n?/g, '\n').split(/\n{2,}/), 'b').map(block)}</div>
  );
}
