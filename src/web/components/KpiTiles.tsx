import type { ReactNode } from 'react';

/** Headline figures as tiles: title, value, and a note under it (the dashboard's and the council's). */
export function KpiTiles({ items }: { items: ReadonlyArray<readonly [string, ReactNode, string]> }) {
  return (
    <section className="kpis" aria-label="Headline figures">
      {items.map(([title, value, note]) => (
        <div className="kpi" key={title} data-kpi={title}>
          <div className="kpi-title">{title}</div>
          <div className="kpi-value">{value}</div>
          <div className="muted">{note}</div>
        </div>
      ))}
    </section>
  );
}
