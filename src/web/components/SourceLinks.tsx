import type { PublicSource } from '../../domain/public-record/fields.ts';

/** Only web addresses are links: a source's text is shown as text whatever it holds. */
export const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : undefined);

/** A public-record row's sources: each a link to its address (named by its label or host), or its text. */
export function SourceLinks({ sources }: { sources: readonly PublicSource[] }) {
  return (
    <>
      {sources.map((s) => {
        const href = safeHref(s.url);
        return (
          <span key={s.text} className="source">
            {href ? (
              <a href={href} target="_blank" rel="noreferrer noopener">
                {s.label ?? new URL(href).hostname}
              </a>
            ) : (
              s.text
            )}{' '}
          </span>
        );
      })}
    </>
  );
}
