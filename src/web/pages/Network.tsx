import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import type { QueryOf } from '../../api/contract.ts';
import { ORGANISATION_KINDS } from '../../domain/network.ts';
import { can, type Principal } from '../../domain/roles.ts';
import { Amount } from '../components/Amount.tsx';
import { Chart } from '../components/Chart.tsx';
import { FindWords } from '../components/FindWords.tsx';
import { Options } from '../components/Options.tsx';
import { OrganisationPicker } from '../components/OrganisationPicker.tsx';
import { PagedTable } from '../components/PagedTable.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatCount, formatPercent, label } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { useFormPost } from '../use-form-post.ts';
import { useListView } from '../use-list-view.ts';

const PAGE = 25;
const KEYS = ['q', 'kind', 'sort', 'dir', 'offset', 'org'] as const;
const SORTS = [
  ['name', 'Organisation', false],
  ['kind', 'Kind', false],
  ['country', 'Country', false],
  ['deals', 'Deals', true],
  ['committed', 'Committed', true],
] as const;

/**
 * The client network: its organisations a page at a time (sorted and filtered on the server), one
 * organisation's neighbourhood, who is active where, and how concentrated facilitated capital is. The view
 * and the chosen organisation live in the URL.
 */
export function Network({ params, user }: { params: URLSearchParams; user: Principal }) {
  const list = useListView('/network', params, KEYS, {
    sort: 'name',
    ascending: (key) => !['deals', 'committed'].includes(key),
  });
  const { view, sort, dir, offset, words, setWords, go } = list;
  const query = {
    q: view.q || undefined,
    kind: view.kind || undefined,
    sort,
    dir,
    offset,
    limit: PAGE,
  } as QueryOf<'GET /api/organisation-list'>;
  const orgs = useApi('/api/organisation-list', { query });
  const activity = useApi('/api/network/activity');
  const names = useNames();
  const centre = view.org;
  const hood = useApi(centre ? '/api/network/organisations/:id' : null, { params: { id: centre } });
  const nameOf = useMemo(() => {
    const names = new Map((hood.data?.organisations ?? []).map((o) => [o.id, o.name]));
    return (id: string) => names.get(id) ?? (id.startsWith('person:') ? id.slice('person:'.length) : id);
  }, [hood.data]);
  const option = useMemo<EChartsOption | null>(() => {
    if (!hood.data) return null;
    const h = hood.data;
    const nodes = new Map<string, { id: string; name: string; category: number }>();
    for (const o of h.organisations)
      nodes.set(o.id, { id: o.id, name: o.name, category: o.id === h.centre.id ? 0 : 1 });
    const links: { source: string; target: string; label: { show: boolean; formatter: string } }[] = [];
    for (const r of h.relationships) {
      if (!nodes.has(r.from)) nodes.set(r.from, { id: r.from, name: nameOf(r.from), category: 3 });
      links.push({ source: r.from, target: r.to, label: { show: true, formatter: label(r.kind) } });
    }
    for (const p of h.participations) {
      nodes.set(`deal:${p.dealId}`, { id: `deal:${p.dealId}`, name: p.dealTitle, category: 2 });
      links.push({
        source: h.centre.id,
        target: `deal:${p.dealId}`,
        label: { show: true, formatter: label(p.role) },
      });
    }
    for (const c of h.coParticipants) {
      links.push({
        source: c.organisationId,
        target: `deal:${c.dealId}`,
        label: { show: false, formatter: '' },
      });
    }
    return {
      tooltip: {},
      legend: { data: ['this organisation', 'organisations', 'deals', 'people'] },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          force: { repulsion: 260, edgeLength: 120 },
          categories: [
            { name: 'this organisation' },
            { name: 'organisations' },
            { name: 'deals' },
            { name: 'people' },
          ],
          data: [...nodes.values()].map((n) => ({
            ...n,
            symbolSize: n.category === 0 ? 28 : 16,
            label: { show: true },
          })),
          links,
          edgeLabel: { fontSize: 9 },
        },
      ],
    };
  }, [hood.data, nameOf]);
  return (
    <>
      <h1>Client network</h1>
      <section className="panel" aria-label="Organisations">
        <h2>Organisations</h2>
        <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <FindWords words={words} onWords={setWords} placeholder="a word of the name" />
          <label>
            Kind
            <select value={view.kind} onChange={(e) => go({ kind: e.target.value })}>
              <option value="">every kind</option>
              <Options values={ORGANISATION_KINDS} />
            </select>
          </label>
        </form>
        {orgs.error ? (
          <ErrorState error={orgs.error} />
        ) : !orgs.data ? (
          <Loading />
        ) : orgs.data.total === 0 ? (
          <Empty>
            No organisation matches. Clear the filters above; to add organisations, use &ldquo;Add to the
            network&rdquo; below or import an organisations CSV under Import &amp; export.
          </Empty>
        ) : (
          <PagedTable
            name="organisations"
            countName="organisation-count"
            noun={['organisation', 'organisations']}
            total={orgs.data.total}
            pageSize={PAGE}
            columns={SORTS}
            list={list}
          >
            {orgs.data.items.map((o) => (
              <tr key={o.id} data-organisation={o.id} aria-current={o.id === centre ? 'true' : undefined}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => go({ org: o.id, offset: view.offset })}
                  >
                    {o.name}
                  </button>
                  {o.companyId ? (
                    <>
                      {' '}
                      <a className="muted" href={`#/companies/${encodeURIComponent(o.companyId)}`}>
                        company page
                      </a>
                    </>
                  ) : null}
                </td>
                <td>{label(o.kind)}</td>
                <td>{o.country}</td>
                <td className="num">{formatCount(o.deals)}</td>
                <td className="num">
                  <Amount cents={o.committedCents} />
                </td>
              </tr>
            ))}
          </PagedTable>
        )}
      </section>
      <section className="panel" aria-label="Neighbourhood">
        <h2>{hood.data ? `${hood.data.centre.name}'s neighbourhood` : 'Neighbourhood'}</h2>
        {!centre && <p className="muted">Choose an organisation above to see its relationships and deals.</p>}
        {hood.error ? <ErrorState error={hood.error} /> : null}
        {option && hood.data && (
          <div className="two">
            <Chart name="network-neighbourhood" option={option} height={460} />
            <div>
              <h3>Relationships</h3>
              <ul>
                {hood.data.relationships.map((r) => (
                  <li key={r.id}>
                    {nameOf(r.from)} — {label(r.kind)}
                    {r.percent !== null ? ` ${r.percent}%` : ''}
                    {r.businessLine ? ` (${label(r.businessLine)})` : ''} → {nameOf(r.to)}{' '}
                    <span className="muted">{r.source}</span>
                  </li>
                ))}
              </ul>
              <h3>Participations</h3>
              <ul>
                {hood.data.participations.map((p) => (
                  <li key={p.id}>
                    <a href={`#/deals/${encodeURIComponent(p.dealId)}`}>{p.dealTitle}</a>: {label(p.role)},{' '}
                    {label(p.instrument)}, <Amount cents={p.amountCents} /> ({label(p.status)})
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </section>
      {can(user, 'network.write') && (
        <NetworkEditor
          onSaved={() => {
            orgs.reload();
            hood.reload();
          }}
        />
      )}
      <div className="two">
        <section className="panel">
          <h2>Most active co-investors by sub-area</h2>
          {activity.data?.subAreas.length ? (
            <table>
              <tbody>
                {activity.data.subAreas.map((s) => (
                  <tr key={s.subAreaId}>
                    <td>{names.subArea(s.subAreaId)}</td>
                    <td>
                      {s.coInvestors.slice(0, 3).map((c, i) => (
                        <span key={c.organisationId}>
                          {i > 0 ? '; ' : ''}
                          {c.name} ({formatCount(c.deals)} deal{c.deals === 1 ? '' : 's'},{' '}
                          <Amount cents={c.amount} />)
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>
              No committed participations yet. Add a participant to a deal's capital stack on the deal's page,
              then commit it.
            </Empty>
          )}
        </section>
        <section className="panel" data-testid="concentration">
          <h2>Facilitated capital by counterparty</h2>
          {activity.data?.facilitatedConcentration.shares.length ? (
            <>
              <p>
                <Amount cents={activity.data.facilitatedConcentration.total} /> counted; HHI{' '}
                {Math.round(activity.data.facilitatedConcentration.hhi).toLocaleString('en-US')} (0–10,000)
              </p>
              <table>
                <tbody>
                  {activity.data.facilitatedConcentration.shares.map((x) => (
                    <tr key={x.id}>
                      <td>{x.name}</td>
                      <td className="num">
                        <Amount cents={x.amount} />
                      </td>
                      <td className="num">{formatPercent(x.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <Empty>
              No facilitated capital booked through capital stacks yet. Commit an arranged part of a deal's
              capital stack to book it.
            </Empty>
          )}
        </section>
      </div>
    </>
  );
}

/** Add an organisation or a relationship by hand (CSV imports do the same in bulk). */
function NetworkEditor({ onSaved }: { onSaved(): void }) {
  // Each save starts the pickers afresh, so a new organisation is offered at once.
  const [saves, setSaves] = useState(0);
  const {
    submit: save,
    error,
    saved,
  } = useFormPost(() => {
    setSaves((n) => n + 1);
    onSaved();
  });
  const text = (f: FormData, name: string) => {
    const v = String(f.get(name) ?? '').trim();
    return v === '' ? undefined : v;
  };
  return (
    <section className="panel">
      <h2>Add to the network</h2>
      {error ? <ErrorState error={error} /> : null}
      {saved && (
        <p className="notice ok" role="status">
          {saved} saved.
        </p>
      )}
      <form
        className="filters"
        onSubmit={(e) =>
          save(
            e,
            '/api/network/organisations',
            (f) => ({
              organisations: [
                {
                  id: text(f, 'id'),
                  name: text(f, 'name'),
                  kind: text(f, 'kind'),
                  country: text(f, 'country'),
                  source: text(f, 'source'),
                },
              ],
            }),
            'Organisation',
          )
        }
      >
        <label>
          Id <input name="id" required placeholder="pension-fund-a" />
        </label>
        <label>
          Name <input name="name" required />
        </label>
        <label>
          Kind{' '}
          <select name="kind" defaultValue="investor">
            <Options values={ORGANISATION_KINDS} />
          </select>
        </label>
        <label>
          Country <input name="country" required size={3} placeholder="US" />
        </label>
        <label>
          Source <input name="source" required />
        </label>
        <button type="submit">Add organisation</button>
      </form>
      <form
        className="filters"
        onSubmit={(e) =>
          save(
            e,
            '/api/network/relationships',
            (f) => ({
              relationships: [
                {
                  kind: text(f, 'kind'),
                  fromOrganisation: text(f, 'from'),
                  toOrganisation: text(f, 'to'),
                  businessLine: text(f, 'kind') === 'client_of' ? text(f, 'line') : undefined,
                  percent: text(f, 'percent') ? Number(text(f, 'percent')) : undefined,
                  since: text(f, 'since'),
                  source: text(f, 'source'),
                },
              ],
            }),
            'Relationship',
          )
        }
      >
        <OrganisationPicker key={`from-${saves}`} name="from" label="From" />
        <label>
          Relationship{' '}
          <select name="kind">
            {['client_of', 'prior_co_investment', 'prior_syndicate', 'board_seat', 'ownership_stake'].map(
              (k) => (
                <option key={k} value={k}>
                  {label(k)}
                </option>
              ),
            )}
          </select>
        </label>
        <OrganisationPicker key={`to-${saves}`} name="to" label="To" />
        <label>
          Business line{' '}
          <select name="line">
            <Options
              values={[
                'corporate_banking',
                'investment_banking',
                'asset_management',
                'commercial_banking',
                'private_bank',
              ]}
            />
          </select>
        </label>
        <label>
          Stake % <input name="percent" type="number" min={0} max={100} step="any" size={5} />
        </label>
        <label>
          Since <input name="since" type="date" />
        </label>
        <label>
          Source <input name="source" required />
        </label>
        <button type="submit">Add relationship</button>
      </form>
    </section>
  );
}
