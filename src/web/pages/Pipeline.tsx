import { type DragEvent, useMemo, useState } from 'react';
import { INSTRUMENTS, PIPELINES } from '../../domain/instruments.ts';
import { allowedMoves, STAGES, type Stage } from '../../domain/stages.ts';
import { api } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { label } from '../format.ts';
import { useApi } from '../use-api.ts';

interface DealRow {
  id: string;
  company: string;
  sub_area_id: string;
  area_id: string;
  instrument: string;
  amount_cents: string;
  stage: Stage;
  team: string[];
  synthetic: boolean;
}

/** Live stages get a column each; the endings share the last one. */
const COLUMNS: Array<{ title: string; stages: Stage[] }> = [
  ...STAGES.slice(0, 7).map((stage) => ({ title: stage, stages: [stage] })),
  { title: 'ended', stages: ['exited', 'repaid', 'written_off', 'declined', 'withdrawn'] },
];

export function Pipeline() {
  const deals = useApi<{ items: DealRow[] }>('/api/deals');
  const [filter, setFilter] = useState({ pipeline: '', area: '', subArea: '', instrument: '', banker: '' });
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const items = deals.data?.items ?? [];
  const visible = useMemo(
    () =>
      items.filter(
        (d) =>
          (!filter.pipeline ||
            PIPELINES.find((p) => p.id === filter.pipeline)!.instruments.includes(d.instrument as never)) &&
          (!filter.area || d.area_id === filter.area) &&
          (!filter.subArea || d.sub_area_id === filter.subArea) &&
          (!filter.instrument || d.instrument === filter.instrument) &&
          (!filter.banker || d.team.includes(filter.banker)),
      ),
    [items, filter],
  );
  if (deals.error) return <ErrorState error={deals.error} />;
  if (!deals.data) return <Loading />;

  const move = async (dealId: string, to: Stage) => {
    const deal = items.find((d) => d.id === dealId);
    if (!deal || deal.stage === to) return;
    try {
      await api(`/api/deals/${encodeURIComponent(dealId)}/stage`, { method: 'POST', body: { to } });
      setMessage({ kind: 'ok', text: `${deal.company}: ${deal.stage} → ${to}` });
      deals.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };
  const drop = (column: (typeof COLUMNS)[number]) => (event: DragEvent) => {
    event.preventDefault();
    const id = event.dataTransfer.getData('text/plain') || dragging;
    if (id) void move(id, column.stages[0]!);
    setDragging(null);
  };
  const options = (values: string[]) =>
    values.map((v) => (
      <option key={v} value={v}>
        {label(v)}
      </option>
    ));

  return (
    <>
      <h1>Pipeline</h1>
      <div className="tabs" role="tablist" aria-label="Pipelines">
        {[{ id: '', label: 'All deals' }, ...PIPELINES].map((p) => (
          <button
            key={p.id || 'all'}
            type="button"
            role="tab"
            aria-selected={filter.pipeline === p.id}
            className={filter.pipeline === p.id ? 'active' : ''}
            onClick={() => setFilter({ ...filter, pipeline: p.id, instrument: '' })}
          >
            {p.label}
          </button>
        ))}
      </div>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Area
          <select value={filter.area} onChange={(e) => setFilter({ ...filter, area: e.target.value })}>
            <option value="">all</option>
            {options([...new Set(items.map((d) => d.area_id))])}
          </select>
        </label>
        <label>
          Sub-area
          <select value={filter.subArea} onChange={(e) => setFilter({ ...filter, subArea: e.target.value })}>
            <option value="">all</option>
            {options([...new Set(items.map((d) => d.sub_area_id))].sort())}
          </select>
        </label>
        <label>
          Instrument
          <select
            value={filter.instrument}
            onChange={(e) => setFilter({ ...filter, instrument: e.target.value })}
          >
            <option value="">all</option>
            {options([...INSTRUMENTS])}
          </select>
        </label>
        <label>
          Banker
          <select value={filter.banker} onChange={(e) => setFilter({ ...filter, banker: e.target.value })}>
            <option value="">all</option>
            {options([...new Set(items.flatMap((d) => d.team))].sort())}
          </select>
        </label>
      </form>
      {message && (
        <p className={`notice ${message.kind === 'ok' ? 'ok' : 'error'}`} role="status">
          {message.text}
        </p>
      )}
      <div className="board">
        {COLUMNS.map((column) => {
          const cards = visible.filter((d) => column.stages.includes(d.stage));
          const total = cards.reduce((sum, d) => sum + BigInt(d.amount_cents), 0n);
          return (
            <section
              key={column.title}
              className="column"
              data-stage={column.title}
              onDragOver={(e) => e.preventDefault()}
              onDrop={drop(column)}
              aria-label={`${column.title} column`}
            >
              <header>
                <h2>{label(column.title)}</h2>
                <span className="count" data-testid={`count-${column.title}`}>
                  {cards.length}
                </span>
                <div className="total" data-testid={`total-${column.title}`}>
                  <Amount cents={total} />
                </div>
              </header>
              {cards.map((d) => (
                <article
                  key={d.id}
                  className="card"
                  draggable
                  data-deal={d.id}
                  onDragStart={(e) => {
                    e.dataTransfer.setData('text/plain', d.id);
                    setDragging(d.id);
                  }}
                >
                  <a href={`#/deals/${d.id}`}>{d.company}</a>
                  <div className="muted">
                    {label(d.sub_area_id)} · {label(d.instrument)}
                    {d.synthetic ? ' · synthetic' : ''}
                  </div>
                  <div className="num">
                    <Amount cents={d.amount_cents} />
                  </div>
                  <label className="move">
                    Move to
                    <select
                      value=""
                      aria-label={`Move ${d.company} to`}
                      onChange={(e) => void move(d.id, e.target.value as Stage)}
                    >
                      <option value="">…</option>
                      {allowedMoves(d.stage).map((s) => (
                        <option key={s} value={s}>
                          {label(s)}
                        </option>
                      ))}
                    </select>
                  </label>
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </>
  );
}
