import { type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { QueryOf } from '../../api/contract.ts';
import { INSTRUMENTS, PIPELINES } from '../../domain/instruments.ts';
import { LEAD_STAGE } from '../../domain/public-record/reported-deal.ts';
import { allowedMoves, type Stage } from '../../domain/stages.ts';
import { api, type ResponseOf, urlFor } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { Options } from '../components/Options.tsx';
import { PlaceFilters } from '../components/PlaceFilters.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { SourceLinks } from '../components/SourceLinks.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { compactAmount, dealTitle, formatCount, label } from '../format.ts';
import { navigate, queryOf } from '../hash-route.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import type { DealListRow } from './Deals.tsx';

/**
 * The live stages get a column each; the endings get three: exited (with repaid and written off, the ways a
 * funded deal ends), declined by the committee, withdrawn before closing.
 */
const COLUMNS: Array<{ id: string; title: string; stages: Stage[] }> = [
  ...(['sourced', 'screening', 'diligence', 'committee', 'approved', 'closed', 'monitoring'] as const).map(
    (stage) => ({ id: stage, title: label(stage), stages: [stage] }),
  ),
  { id: 'exited', title: 'exited, repaid, written off', stages: ['exited', 'repaid', 'written_off'] },
  { id: 'declined', title: 'declined', stages: ['declined'] },
  { id: 'withdrawn', title: 'withdrawn', stages: ['withdrawn'] },
];
/** Cards per column per page: the board stays light with 10,000 deals; "More" pages on. */
const PER_PAGE = 20;

type Lead = ResponseOf<'GET /api/public-record/deals'>['deals'][number];

type Filter = { pipeline: string; areaId: string; subAreaId: string; instrument: string; banker: string };

/** The filters set, as the routes' query (an empty select sends nothing). */
const filterQuery = (filter: Filter) =>
  Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as QueryOf<'GET /api/pipeline/stages'>;

/** One column: its cards a page at a time, largest first. */
function useColumn(stages: Stage[], filter: Filter, generation: number) {
  const [cards, setCards] = useState<DealListRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const query = {
    ...filterQuery(filter),
    stage: stages.join(','),
    sort: 'amount',
    dir: 'desc',
    limit: PER_PAGE,
  } as const;
  const base = urlFor('/api/deal-list', { query });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `base`, the URL, stands for `query`, an object new on every render.
  const load = useCallback(
    async (offset: number) => {
      setLoading(true);
      try {
        const page = await api.get('/api/deal-list', { query: { ...query, offset } });
        setCards((before) => (offset === 0 ? page.items : [...before, ...page.items]));
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [base],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger after a move.
  useEffect(() => {
    void load(0);
  }, [load, generation]);
  return { cards, error, loading, more: () => load(cards.length) };
}

function Column({
  column,
  filter,
  generation,
  totals,
  onMove,
  dragging,
  leads,
}: {
  column: (typeof COLUMNS)[number];
  filter: Filter;
  generation: number;
  totals: { deals: number; amountCents: bigint };
  /** Unverified public reports shown in this column, apart from its deals and its totals. */
  leads: Lead[];
  onMove: (deal: DealListRow, to: Stage) => void;
  /** The card being dragged, for a drop whose dataTransfer arrives empty. */
  dragging: { current: DealListRow | null };
}) {
  const { cards, error, loading, more } = useColumn(column.stages, filter, generation);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    const data = event.dataTransfer.getData('application/json');
    const deal = data ? (JSON.parse(data) as DealListRow) : dragging.current;
    dragging.current = null;
    if (deal) onMove(deal, column.stages[0]!);
  };
  return (
    <section
      className="column"
      data-stage={column.id}
      onDragOver={(e) => e.preventDefault()}
      onDrop={drop}
      aria-label={`${column.title} column`}
    >
      <header>
        <h2>{column.title}</h2>
        <span className="count" data-testid={`count-${column.id}`}>
          {formatCount(totals.deals)}
        </span>
        <div className="total" data-testid={`total-${column.id}`}>
          <Amount cents={totals.amountCents} />
        </div>
      </header>
      {error ? <ErrorState error={error} /> : null}
      {cards.map((d) => (
        <article
          key={d.id}
          className="card"
          draggable
          data-deal={d.id}
          onDragStart={(e) => {
            e.dataTransfer.setData('application/json', JSON.stringify(d));
            dragging.current = d;
          }}
        >
          <a href={`#/deals/${d.id}`} className="card-title">
            {dealTitle(d)}
          </a>
          <div className="card-company">{d.company}</div>
          <div className="muted">
            {d.subArea} · {label(d.instrument)}
            {d.synthetic ? ' · synthetic' : ''}
          </div>
          <div className="num">
            <Amount cents={d.amountCents} />
          </div>
          {allowedMoves(d.stage).length > 0 && (
            <label className="move">
              Move to
              <select
                value=""
                aria-label={`Move ${dealTitle(d)} to`}
                onChange={(e) => {
                  // The options are the allowed moves: finding the value among them types it as a Stage.
                  const to = allowedMoves(d.stage).find((s) => s === e.target.value);
                  if (to) onMove(d, to);
                }}
              >
                <option value="">…</option>
                <Options values={allowedMoves(d.stage)} />
              </select>
            </label>
          )}
        </article>
      ))}
      {cards.length < totals.deals && (
        <button type="button" className="more" disabled={loading} onClick={() => void more()}>
          More ({formatCount(totals.deals - cards.length)})
        </button>
      )}
      {leads.length > 0 && <PublicLeads leads={leads} />}
    </section>
  );
}

/**
 * Unverified reports from the public record: leads before screening, not deals. They cannot be moved, carry
 * no amount of the bank's own, and are outside the column's count and total; each names its sources.
 */
function PublicLeads({ leads }: { leads: Lead[] }) {
  const names = useNames();
  return (
    <div className="public-leads" data-testid="public-leads">
      <h3>Public leads (unverified)</h3>
      <p className="muted">Reported, not screened: not in the count, the total or the ledger.</p>
      {leads.map((lead) => (
        <article key={lead.id} className="card lead" data-lead={lead.id}>
          <div className="card-title">{lead.company}</div>
          <div className="badge">unverified public lead · {lead.reportedOn}</div>
          <div className="muted">
            {names.subArea(lead.subAreaId)} · {lead.instrument}
          </div>
          <div className="num">
            own amount undisclosed
            {lead.reportedAmount !== null && (
              <div className="muted">reported size {compactAmount(lead.reportedAmount)}, not counted</div>
            )}
          </div>
          <div className="sources">
            Sources: <SourceLinks sources={lead.sources} />
          </div>
        </article>
      ))}
    </div>
  );
}

/** The leads the filters let through: a lead has a sub-area, but no instrument of the list and no banker. */
function useLeads(filter: Filter, areaOf: (subAreaId: string) => string | undefined): Lead[] {
  const record = useApi('/api/public-record/deals');
  if (filter.pipeline || filter.instrument || filter.banker) return [];
  return (record.data?.deals ?? []).filter(
    (d) =>
      d.stage === 'lead' &&
      (!filter.subAreaId || d.subAreaId === filter.subAreaId) &&
      (!filter.areaId || areaOf(d.subAreaId) === filter.areaId),
  );
}

const FILTER_KEYS = ['pipeline', 'areaId', 'subAreaId', 'instrument', 'banker'] as const;

/** The board's filters live in the URL: Back returns to the previous board, a link shows the same one. */
export function Pipeline({ params }: { params: URLSearchParams }) {
  const filter = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filter;
  const setFilter = (next: Filter) => navigate('/pipeline', next);
  const [generation, setGeneration] = useState(0);
  const dragging = useRef<DealListRow | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const names = useNames();
  const query = filterQuery(filter);
  const totals = useApi('/api/pipeline/stages', { query });
  const leads = useLeads(filter, (id) => names.subAreas.find((s) => s.id === id)?.areaId);
  const move = async (deal: DealListRow, to: Stage) => {
    if (!to || deal.stage === to) return;
    try {
      await api.post('/api/deals/:id/stage', { params: { id: deal.id }, body: { to } });
      setMessage({ kind: 'ok', text: `${dealTitle(deal)}: ${deal.stage} → ${to}` });
      setGeneration((g) => g + 1);
      totals.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };
  const columnTotals = (column: (typeof COLUMNS)[number]) => {
    const rows = (totals.data?.stages ?? []).filter((s) => column.stages.includes(s.stage));
    return {
      deals: rows.reduce((n, s) => n + s.deals, 0),
      amountCents: rows.reduce((n, s) => n + BigInt(s.amountCents), 0n),
    };
  };
  const all = (totals.data?.stages ?? []).reduce((n, s) => n + s.deals, 0);

  return (
    <>
      <h1>Pipeline</h1>
      <SavedViews page="pipeline" query={queryOf(filter)} />
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
      <form
        className="filters"
        aria-label="Filters"
        onSubmit={(e) => {
          // Enter in the banker field applies it (as leaving the field does).
          e.preventDefault();
          setFilter({ ...filter, banker: String(new FormData(e.currentTarget).get('banker') ?? '').trim() });
        }}
      >
        <PlaceFilters
          value={filter}
          onChange={(change) => setFilter({ ...filter, ...change })}
          instruments={PIPELINES.find((p) => p.id === filter.pipeline)?.instruments ?? INSTRUMENTS}
        />
        <label>
          Banker (user id)
          <input
            key={filter.banker}
            name="banker"
            defaultValue={filter.banker}
            onBlur={(e) => setFilter({ ...filter, banker: e.target.value.trim() })}
            size={10}
          />
        </label>
        <a href="#/deals" className="as-list">
          As a list, sorted and paged
        </a>
      </form>
      {message && (
        <p className={`notice ${message.kind === 'ok' ? 'ok' : 'error'}`} role="status">
          {message.text}
        </p>
      )}
      {totals.error ? (
        <ErrorState error={totals.error} />
      ) : !totals.data ? (
        <Loading />
      ) : all === 0 && Object.keys(query).length === 0 && leads.length === 0 ? (
        <Empty>
          No deals yet. Import companies and deals under Import &amp; export; they open here at “sourced”.
        </Empty>
      ) : (
        <div className="board">
          {COLUMNS.map((column) => (
            <Column
              key={column.id}
              column={column}
              filter={filter}
              generation={generation}
              totals={columnTotals(column)}
              onMove={move}
              dragging={dragging}
              leads={column.stages.includes(LEAD_STAGE) ? leads : []}
            />
          ))}
        </div>
      )}
    </>
  );
}
