import type { QueryOf } from '../../api/contract.ts';
import { ENTRY_KINDS } from '../../domain/ledger.ts';
import { Amount } from '../components/Amount.tsx';
import { FindWords } from '../components/FindWords.tsx';
import { PagedTable } from '../components/PagedTable.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatCount, label } from '../format.ts';
import { queryOf } from '../hash-route.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { useListView } from '../use-list-view.ts';

const PAGE = 50;
/** The filters the URL carries (the deal and company ones come from links on other pages). */
const FILTERS = ['q', 'kind', 'from', 'to', 'subAreaId', 'dealId', 'companyId'] as const;
const KEYS = [...FILTERS, 'sort', 'dir', 'offset'] as const;
const SORTS = [
  ['date', 'Effective', false],
  ['deal', 'Deal', false],
  ['company', 'Company', false],
  ['kind', 'Kind', false],
  ['amount', 'Amount', true],
  ['recordedBy', 'Recorded by', false],
] as const;

/**
 * The ledger, a page at a time: every entry with its deal and company, filtered and sorted on the server,
 * with the count and exact sum per kind of the filtered set. The view lives in the URL (Back and shared
 * links work) and can be saved; the export holds the same filtered set.
 */
export function Ledger({ params }: { params: URLSearchParams }) {
  const list = useListView('/ledger', params, KEYS, {
    sort: 'date',
    ascending: (key) => key === 'deal' || key === 'company' || key === 'kind' || key === 'recordedBy',
  });
  const { view, sort, dir, offset, words, setWords, go, savedQuery } = list;
  // The URL's text goes to the server as it is: the server's query schema refuses what does not parse.
  const query = { ...view, sort, dir, offset, limit: PAGE } as QueryOf<'GET /api/ledger-list'>;
  const page = useApi('/api/ledger-list', { query });
  const names = useNames();
  const kinds = view.kind.split(',').filter(Boolean);
  const toggleKind = (kind: string, on: boolean) =>
    go({ kind: ENTRY_KINDS.filter((k) => (k === kind ? on : kinds.includes(k))).join(',') });
  const filters = Object.fromEntries(FILTERS.map((k) => [k, view[k]]));
  const filtered = FILTERS.some((k) => view[k]);
  const exportHref = `/api/exports/ledger?${queryOf({ format: 'csv', ...filters })}`;
  const first = page.data?.items[0];

  return (
    <>
      <h1>Ledger</h1>
      <SavedViews page="ledger" query={savedQuery} />
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FindWords words={words} onWords={setWords} placeholder="a word of the deal or company" />
        <fieldset className="checks">
          <legend>Kind</legend>
          {ENTRY_KINDS.map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                onChange={(e) => toggleKind(kind, e.target.checked)}
              />
              {label(kind)}
            </label>
          ))}
        </fieldset>
        <label>
          From
          <input type="date" value={view.from} onChange={(e) => go({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={view.to} onChange={(e) => go({ to: e.target.value })} />
        </label>
        <label>
          Sub-area
          <select value={view.subAreaId} onChange={(e) => go({ subAreaId: e.target.value })}>
            <option value="">all</option>
            {names.subAreas.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <a href={exportHref} download>
          Export CSV
        </a>
      </form>
      {(view.dealId || view.companyId) && (
        <p className="muted">
          {view.dealId
            ? `The entries of one deal${first ? `: ${first.dealName ?? first.company}` : ''}.`
            : `The entries of one company's deals${first ? `: ${first.company}` : ''}.`}{' '}
          <button type="button" className="link" onClick={() => go({ dealId: '', companyId: '' })}>
            Show every deal
          </button>
        </p>
      )}
      {page.error ? (
        <ErrorState error={page.error} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.total === 0 ? (
        <Empty>
          {filtered
            ? 'No ledger entry matches these filters. Untick a kind, widen the dates or clear the words above.'
            : 'The ledger has no entry yet. Record commitments, draws and repayments on a deal’s page, or import a ledger CSV under Import & export.'}
        </Empty>
      ) : (
        <>
          <section className="panel" aria-label="Totals per kind">
            <h2>Totals of these entries</h2>
            <table data-testid="ledger-totals">
              <thead>
                <tr>
                  <th>Kind</th>
                  <th className="num">Entries</th>
                  <th className="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {page.data.kinds
                  .filter((k) => (kinds.length ? kinds.includes(k.kind) : k.entries > 0))
                  .map((k) => (
                    <tr key={k.kind}>
                      <td>{label(k.kind)}</td>
                      <td className="num">{formatCount(k.entries)}</td>
                      <td className="num">
                        <Amount cents={k.amountCents} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
          <section className="panel">
            <PagedTable
              name="ledger"
              countName="ledger-count"
              noun={['entry', 'entries']}
              total={page.data.total}
              pageSize={PAGE}
              columns={SORTS}
              list={list}
            >
              {page.data.items.map((e) => (
                <tr key={e.seq} data-seq={e.seq}>
                  <td className="date">{e.effectiveOn}</td>
                  <td>
                    <a href={`#/deals/${e.dealId}`}>{e.dealName ?? e.company}</a>
                  </td>
                  <td>
                    <a href={`#/companies/${e.companyId}`}>{e.company}</a>
                  </td>
                  <td>{label(e.kind)}</td>
                  <td className="num">
                    <Amount cents={e.amountCents} />
                  </td>
                  <td>{e.recordedByName}</td>
                </tr>
              ))}
            </PagedTable>
          </section>
        </>
      )}
    </>
  );
}
