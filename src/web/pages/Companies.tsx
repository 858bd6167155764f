import type { QueryOf } from '../../api/contract.ts';
import { can, type Principal } from '../../domain/roles.ts';
import { Amount } from '../components/Amount.tsx';
import { Disclosure } from '../components/Disclosure.tsx';
import { FindWords } from '../components/FindWords.tsx';
import { NewCompanyForm } from '../components/NewCompanyForm.tsx';
import { PagedTable } from '../components/PagedTable.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatCount, headquarters } from '../format.ts';
import { useApi } from '../use-api.ts';
import { useListView } from '../use-list-view.ts';

const PAGE = 50;
const KEYS = ['q', 'sort', 'dir', 'offset'] as const;
const SORTS = [
  ['name', 'Company', false],
  ['deals', 'Deals', true],
  ['amount', 'Deal amount', true],
] as const;

/**
 * The company index: every company a page at a time, sorted and filtered on the server, with how many deals
 * each has and their amount. The view lives in the URL (Back and shared links work) and can be saved.
 */
export function Companies({ params, user }: { params: URLSearchParams; user: Principal }) {
  const list = useListView('/companies', params, KEYS, { sort: 'name', ascending: (key) => key === 'name' });
  const { view, sort, dir, offset, words, setWords, savedQuery } = list;
  // The URL's text goes to the server as it is: the server's query schema refuses what does not parse.
  const query = { ...view, sort, dir, offset, limit: PAGE } as QueryOf<'GET /api/company-list'>;
  const page = useApi('/api/company-list', { query });

  return (
    <>
      <h1>Companies</h1>
      <SavedViews page="companies" query={savedQuery} />
      {can(user, 'companies.write') && (
        <Disclosure className="panel" summary="New company">
          {() => <NewCompanyForm />}
        </Disclosure>
      )}
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FindWords words={words} onWords={setWords} placeholder="a word of the name or city" />
      </form>
      {page.error ? (
        <ErrorState error={page.error} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.total === 0 ? (
        <Empty>
          No company matches. Clear the words above; to add companies, use &ldquo;New company&rdquo; or import
          a companies CSV under Import &amp; export.
        </Empty>
      ) : (
        <section className="panel">
          <PagedTable
            name="companies"
            countName="company-count"
            noun={['company', 'companies']}
            total={page.data.total}
            pageSize={PAGE}
            columns={SORTS}
            otherColumns={['Headquarters', 'Client']}
            list={list}
          >
            {page.data.items.map((c) => (
              <tr key={c.id} data-company={c.id}>
                <td>
                  <a href={`#/companies/${c.id}`}>{c.name}</a>
                  {c.ticker ? <span className="muted"> · {c.ticker}</span> : null}
                </td>
                <td className="num">{formatCount(c.deals)}</td>
                <td className="num">
                  <Amount cents={c.amountCents} />
                </td>
                <td>{headquarters(c.hqCity, c.hqStateFips) ?? (c.usBased ? '—' : 'outside the US')}</td>
                <td>{c.existingClient ? 'existing client' : 'new'}</td>
              </tr>
            ))}
          </PagedTable>
        </section>
      )}
    </>
  );
}
