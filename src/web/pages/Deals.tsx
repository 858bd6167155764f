import type { QueryOf } from '../../api/contract.ts';
import { PIPELINES } from '../../domain/instruments.ts';
import { can, type Principal } from '../../domain/roles.ts';
import { STAGES } from '../../domain/stages.ts';
import type { ResponseOf } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { Disclosure } from '../components/Disclosure.tsx';
import { FindWords } from '../components/FindWords.tsx';
import { NewCompanyForm } from '../components/NewCompanyForm.tsx';
import { NewDealForm } from '../components/NewDealForm.tsx';
import { Options } from '../components/Options.tsx';
import { PagedTable } from '../components/PagedTable.tsx';
import { PlaceFilters } from '../components/PlaceFilters.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { dealTitle, label } from '../format.ts';
import { useApi } from '../use-api.ts';
import { useListView } from '../use-list-view.ts';

export type DealListPage = ResponseOf<'GET /api/deal-list'>;
export type DealListRow = DealListPage['items'][number];

const PAGE = 50;
const SORTS = [
  ['amount', 'Amount', true],
  ['name', 'Name', false],
  ['stage', 'Stage', false],
  ['updated', 'Updated', false],
] as const;
/** The filters and sort the URL carries; anything else in it is ignored. */
const KEYS = [
  'q',
  'stage',
  'pipeline',
  'areaId',
  'subAreaId',
  'instrument',
  'sort',
  'dir',
  'offset',
] as const;

/**
 * Every deal, a page at a time, sorted and filtered on the server. The filters live in the URL, so Back
 * returns to the previous view and a link shows a colleague the same list.
 */
export function Deals({ params, user }: { params: URLSearchParams; user: Principal }) {
  const list = useListView('/deals', params, KEYS, {
    sort: 'amount',
    ascending: (key) => key === 'name' || key === 'stage',
  });
  const { view, sort, dir, offset, words, setWords, go, savedQuery } = list;
  // The URL's text goes to the server as it is: the server's query schema refuses what does not parse.
  const query = { ...view, sort, dir, offset, limit: PAGE } as QueryOf<'GET /api/deal-list'>;
  const page = useApi('/api/deal-list', { query });

  return (
    <>
      <h1>Deals</h1>
      <SavedViews page="deals" query={savedQuery} />
      {can(user, 'deals.write') && (
        <Disclosure className="panel" summary="New deal">
          {() => <NewDealForm />}
        </Disclosure>
      )}
      {can(user, 'companies.write') && (
        <Disclosure className="panel" summary="New company">
          {() => <NewCompanyForm />}
        </Disclosure>
      )}
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FindWords words={words} onWords={setWords} placeholder="a word of the deal or company" />
        <label>
          Stage
          <select value={view.stage} onChange={(e) => go({ stage: e.target.value })}>
            <option value="">all</option>
            <Options values={STAGES} />
          </select>
        </label>
        <label>
          Pipeline
          <select value={view.pipeline} onChange={(e) => go({ pipeline: e.target.value })}>
            <option value="">all</option>
            {PIPELINES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <PlaceFilters value={view} onChange={go} />
      </form>
      {page.error ? (
        <ErrorState error={page.error} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.total === 0 ? (
        <Empty>
          No deal matches these filters. Clear a filter or the words above; to add deals, open one with
          &ldquo;New deal&rdquo; above or import a deals CSV under Import &amp; export.
        </Empty>
      ) : (
        <section className="panel">
          <PagedTable
            name="deals"
            countName="deal-count"
            noun={['deal', 'deals']}
            total={page.data.total}
            pageSize={PAGE}
            columns={SORTS}
            otherColumns={['Company', 'Sub-area', 'Instrument']}
            list={list}
          >
            {page.data.items.map((d) => (
              <tr key={d.id} data-deal={d.id}>
                <td className="num">
                  <Amount cents={d.amountCents} />
                </td>
                <td>
                  <a href={`#/deals/${d.id}`}>{dealTitle(d)}</a>
                </td>
                <td>{label(d.stage)}</td>
                <td className="date">{d.updatedAt.slice(0, 10)}</td>
                <td>
                  <a href={`#/companies/${d.companyId}`}>{d.company}</a>
                </td>
                <td>{d.subArea}</td>
                <td>{label(d.instrument)}</td>
              </tr>
            ))}
          </PagedTable>
        </section>
      )}
    </>
  );
}
