import { useEffect } from 'react';

/**
 * Names the browser tab after what the page shows (a deal's or a company's name), once it is loaded; the
 * router names it after the page until then.
 */
export function useTitle(title: string | null | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Keel`;
  }, [title]);
}
