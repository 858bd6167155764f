import { type ReactNode, useState } from 'react';

/**
 * A section folded under its summary whose content is built only while open: a closed form asks the
 * server for nothing and adds no hidden fields (or labels) to the page.
 */
export function Disclosure({
  summary,
  className,
  children,
}: {
  summary: string;
  className?: string;
  children: () => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details className={className} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {open && children()}
    </details>
  );
}
