import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { Amount } from '../components/Amount.tsx';
import { Chart } from '../components/Chart.tsx';
import { Options } from '../components/Options.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { label } from '../format.ts';
import { useApi } from '../use-api.ts';
import { useFormPost } from '../use-form-post.ts';

/** The client network: an organisation's neighbourhood, who is active where, and how concentrated facilitated capital is. */
export function Network({ user }: { user: Principal }) {
  const orgs = useApi('/api/network/organisations');
  const activity = useApi('/api/network/activity');
  const [centre, setCentre] = useState<string>('');
  const hood = useApi(centre ? '/api/network/organisations/:id' : null, { params: { id: centre } });
  const option = useMemo<EChartsOption | null>(() => {
    if (!hood.data) return null;
    const h = hood.data;
    const nodes = new Map<string, { id: string; name: string; category: number }>();
    for (const o of h.organisations)
      nodes.set(o.id, { id: o.id, name: o.name, category: o.id === h.centre.id ? 0 : 1 });
    const links: { source: string; target: string; label: { show: boolean; formatter: string } }[] = [];
    for (const r of h.relationships) {
      if (!nodes.has(r.from))
        nodes.set(r.from, { id: r.from, name: r.from.replace('person:', ''), category: 3 });
      links.push({ source: r.from, target: r.to, label: { show: true, formatter: label(r.kind) } });
    }
    for (const p of h.participations) {
      nodes.set(`deal:${p.dealId}`, { id: `deal:${p.dealId}`, name: p.dealId, category: 2 });
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
  }, [hood.data]);
  if (orgs.error) return <ErrorState error={orgs.error} />;
  if (!orgs.data) return <Loading />;
  return (
    <>
      <h1>Client network</h1>
      <section className="panel">
        <label>
          Organisation{' '}
          <select value={centre} onChange={(e) => setCentre(e.target.value)}>
            <option value="">—</option>
            {orgs.data.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({label(o.kind)})
              </option>
            ))}
          </select>
        </label>
        {hood.error ? <ErrorState error={hood.error} /> : null}
        {option && hood.data && (
          <div className="two">
            <Chart name="network-neighbourhood" option={option} height={460} />
            <div>
              <h3>Relationships</h3>
              <ul>
                {hood.data.relationships.map((r) => (
                  <li key={r.id}>
                    {r.from} — {label(r.kind)}
                    {r.percent !== null ? ` ${r.percent}%` : ''}
                    {r.businessLine ? ` (${label(r.businessLine)})` : ''} → {r.to}{' '}
                    <span className="muted">{r.source}</span>
                  </li>
                ))}
              </ul>
              <h3>Participations</h3>
              <ul>
                {hood.data.participations.map((p) => (
                  <li key={p.id}>
                    <a href={`#/deals/${encodeURIComponent(p.dealId)}`}>{p.dealId}</a>: {label(p.role)},{' '}
                    {label(p.instrument)}, <Amount cents={p.amountCents} /> ({label(p.status)})
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </section>
      {can(user, 'network.write') && (
        <NetworkEditor organisations={orgs.data.organisations} onSaved={orgs.reload} />
      )}
      <div className="two">
        <section className="panel">
          <h2>Most active co-investors by sub-area</h2>
          {activity.data?.subAreas.length ? (
            <table>
              <tbody>
                {activity.data.subAreas.map((s) => (
                  <tr key={s.subAreaId}>
                    <td>{label(s.subAreaId)}</td>
                    <td>
                      {s.coInvestors
                        .slice(0, 3)
                        .map(
                          (c) =>
                            `${c.name} (${c.deals} deal${c.deals === 1 ? '' : 's'}, $<Amount cents={c.amount} />)`,
                        )
                        .join('; ')}
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
                      <td>{x.id}</td>
                      <td className="num">
                        <Amount cents={x.amount} />
                      </td>
                      <td className="num">{(x.share * 100).toFixed(1)}%</td>
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
/** The options of an organisation picker (the relationship's two ends). */
function OrganisationOptions({ organisations }: { organisations: { id: string; name: string }[] }) {
  return (
    <>
      {organisations.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </>
  );
}

function NetworkEditor({
  organisations,
  onSaved,
}: {
  organisations: { id: string; name: string }[];
  onSaved(): void;
}) {
  const { submit: save, error, saved } = useFormPost(onSaved);
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
          <select name="kind">
            <Options values={['investor', 'fund', 'lender', 'bank', 'government_programme', 'company']} />
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
        <label>
          From{' '}
          <select name="from">
            <OrganisationOptions organisations={organisations} />
          </select>
        </label>
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
        <label>
          To{' '}
          <select name="to">
            <OrganisationOptions organisations={organisations} />
          </select>
        </label>
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
