import { Amount } from '../components/Amount.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { dealTitle, label, stateName } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';

interface CompanyDetail {
  company: {
    name: string;
    ticker: string | null;
    us_based: boolean;
    hq_city: string | null;
    hq_state_fips: string | null;
    hq_county_fips: string | null;
    ownership_note: string | null;
    foreign_control: boolean;
    foreign_control_note: string | null;
    existing_client: boolean;
    source: string;
    synthetic: boolean;
  };
  facilities: Array<{
    id: string;
    name: string;
    kind: string;
    city: string | null;
    state_fips: string;
    county_fips: string | null;
    source: string;
  }>;
  deals: Array<{
    id: string;
    name: string | null;
    sub_area_id: string;
    instrument: string;
    amount_cents: string;
    stage: string;
  }>;
}

export function CompanyPage({ id }: { id: string }) {
  const { data, error } = useApi<CompanyDetail>(`/api/companies/${encodeURIComponent(id)}`);
  const names = useNames();
  if (error) return <ErrorState error={error} />;
  if (!data) return <Loading />;
  const c = data.company;
  return (
    <>
      <h1>{c.name}</h1>
      <p className="muted">
        {c.ticker ? `Ticker ${c.ticker} · ` : ''}
        {c.us_based ? 'US-based' : 'not US-based'}
        {c.existing_client ? ' · existing client' : ''}
        {c.synthetic ? ' · synthetic' : ''}
      </p>
      <div className="two">
        <section className="panel">
          <h2>Ownership and control</h2>
          <dl>
            <dt>Headquarters</dt>
            <dd>
              {c.hq_city ?? '–'}
              {c.hq_state_fips ? `, ${stateName(c.hq_state_fips)}` : ''}
            </dd>
            <dt>Ownership</dt>
            <dd>{c.ownership_note ?? '–'}</dd>
            <dt>Foreign control</dt>
            <dd>{c.foreign_control ? `yes: ${c.foreign_control_note}` : 'none recorded'}</dd>
            <dt>Source</dt>
            <dd>{c.source}</dd>
          </dl>
        </section>
        <section className="panel">
          <h2>Facilities</h2>
          <ul>
            {data.facilities.map((f) => (
              <li key={f.id}>
                {f.name}: {f.kind}
                {f.city ? `, ${f.city}` : ''}, {stateName(f.state_fips)}.{' '}
                <span className="muted">{f.source}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>Deals</h2>
        <table>
          <tbody>
            {data.deals.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`#/deals/${d.id}`}>{dealTitle({ ...d, company: c.name })}</a>
                </td>
                <td>{names.subArea(d.sub_area_id)}</td>
                <td>{label(d.instrument)}</td>
                <td>{d.stage}</td>
                <td className="num">
                  <Amount cents={d.amount_cents} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
