import { can, type Principal } from '../../domain/roles.ts';
import { Amount } from '../components/Amount.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { dealTitle, exactAmount, label, stateName } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { CapitalStack } from './network/CapitalStack.tsx';

interface DealDetail {
  deal: {
    id: string;
    name: string | null;
    company_id: string;
    instrument: string;
    amount_cents: string;
    stage: string;
    classification: string;
    sub_area_id: string;
    opened_on: string;
    announced_on: string | null;
    source: string;
    synthetic: boolean;
    team: string[];
    /** Set when an admin brought the deal in past the first stage: the decision taken outside Keel. */
    historical_decision_ref: string | null;
  };
  company: {
    name: string;
    ticker: string | null;
    us_based: boolean;
    hq_city: string | null;
    ownership_note: string | null;
    source: string;
  };
  facilities: Array<{
    id: string;
    name: string;
    kind: string;
    state_fips: string;
    county_fips: string | null;
  }>;
  ledger: Array<{
    seq: string;
    kind: string;
    amount_cents: string;
    effective_on: string;
    note: string | null;
    recorded_by: string;
  }>;
  stageMoves: Array<{
    id: string;
    from_stage: string | null;
    to_stage: string;
    moved_at: string;
    moved_by: string;
  }>;
}

export function DealPage({ id, user }: { id: string; user: Principal }) {
  const { data, error } = useApi<DealDetail>(`/api/deals/${encodeURIComponent(id)}`);
  const names = useNames();
  if (error) return <ErrorState error={error} />;
  if (!data) return <Loading />;
  const { deal, company } = data;
  return (
    <>
      <h1>{dealTitle({ ...deal, company: company.name })}</h1>
      <p>
        <a href={`#/companies/${deal.company_id}`}>{company.name}</a>
      </p>
      <p className="muted">
        {names.subArea(deal.sub_area_id)} · {label(deal.instrument)} · {deal.classification} · stage{' '}
        <strong>{deal.stage}</strong>
        {deal.synthetic ? ' · synthetic' : ''}
      </p>
      <div className="two">
        <section className="panel">
          <h2>Deal</h2>
          <dl>
            <dt>Amount</dt>
            <dd className="num">
              <Amount cents={deal.amount_cents} />
            </dd>
            <dt>Opened</dt>
            <dd>{deal.opened_on}</dd>
            <dt>Announced</dt>
            <dd>{deal.announced_on ?? 'not announced'}</dd>
            <dt>Team</dt>
            <dd>{deal.team.join(', ') || '–'}</dd>
            <dt>Source</dt>
            <dd>{deal.source}</dd>
            {deal.historical_decision_ref && (
              <>
                <dt>Historical import</dt>
                <dd data-testid="historical-decision">
                  decided outside Keel: {deal.historical_decision_ref}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="panel">
          <h2>Company</h2>
          <dl>
            <dt>Ticker</dt>
            <dd>{company.ticker ?? '–'}</dd>
            <dt>US-based</dt>
            <dd>{company.us_based ? 'yes' : 'no'}</dd>
            <dt>Headquarters</dt>
            <dd>{company.hq_city ?? '–'}</dd>
            <dt>Ownership</dt>
            <dd>{company.ownership_note ?? '–'}</dd>
          </dl>
          <h3>Facilities</h3>
          <ul>
            {data.facilities.map((f) => (
              <li key={f.id}>
                {f.name} ({f.kind}), {stateName(f.state_fips)}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>Ledger</h2>
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Date</th>
              <th className="num">Amount</th>
              <th>Note</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {data.ledger.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{e.kind}</td>
                <td>{e.effective_on}</td>
                <td className="num">{exactAmount(e.amount_cents)}</td>
                <td>{e.note}</td>
                <td>{e.recorded_by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {can(user, 'network.read') && <CapitalStack dealId={deal.id} user={user} />}
      <section className="panel">
        <h2>Stage history</h2>
        <ol>
          {data.stageMoves.map((m) => (
            <li key={m.id}>
              {m.from_stage ?? 'opened'} → {m.to_stage}, {m.moved_at} by {m.moved_by}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
