import { can, type Principal } from '../../domain/roles.ts';
import { ActivityTimeline } from '../components/ActivityTimeline.tsx';
import { Amount } from '../components/Amount.tsx';
import { Disclosure } from '../components/Disclosure.tsx';
import { Documents } from '../components/Documents.tsx';
import { NewDealForm } from '../components/NewDealForm.tsx';
import { PipelineNotes } from '../components/PipelineNotes.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { dealTitle, headquarters, label, stateName } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { useTitle } from '../use-title.ts';

export function CompanyPage({ id, user }: { id: string; user: Principal }) {
  const { data, error } = useApi('/api/companies/:id', { params: { id } });
  const names = useNames();
  useTitle(data?.company.name);
  if (error) return <ErrorState error={error} />;
  if (!data) return <Loading />;
  const c = data.company;
  return (
    <>
      <h1>{c.name}</h1>
      <p className="muted">
        {c.ticker ? `Ticker ${c.ticker} · ` : ''}
        {c.usBased ? 'US-based' : 'not US-based'}
        {c.existingClient ? ' · existing client' : ''}
        {c.synthetic ? ' · synthetic' : ''}
      </p>
      <div className="two">
        <section className="panel">
          <h2>Ownership and control</h2>
          <dl>
            <dt>Headquarters</dt>
            <dd>{headquarters(c.hqCity, c.hqStateFips) ?? '–'}</dd>
            <dt>Ownership</dt>
            <dd>{c.ownershipNote ?? '–'}</dd>
            <dt>Foreign control</dt>
            <dd>{c.foreignControl ? `yes: ${c.foreignControlNote}` : 'none recorded'}</dd>
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
                {f.city ? `, ${f.city}` : ''}, {stateName(f.stateFips)}.{' '}
                <span className="muted">{f.source}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>Deals</h2>
        {can(user, 'ledger.read') && (
          <p>
            <a href={`#/ledger?companyId=${encodeURIComponent(c.id)}`}>
              Every ledger entry of this company&rsquo;s deals
            </a>
          </p>
        )}
        {can(user, 'deals.write') && (
          <Disclosure summary="New deal for this company">
            {() => <NewDealForm companyId={c.id} />}
          </Disclosure>
        )}
        {data.deals.length === 0 && <Empty>No deals with this company yet.</Empty>}
        <table>
          <tbody>
            {data.deals.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`#/deals/${d.id}`}>{dealTitle({ ...d, company: c.name })}</a>
                </td>
                <td>{names.subArea(d.subAreaId)}</td>
                <td>{label(d.instrument)}</td>
                <td>{label(d.stage)}</td>
                <td className="num">
                  <Amount cents={d.amountCents} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <PipelineNotes subjectKind="company" subjectId={c.id} user={user} />
      {can(user, 'documents.read') && <Documents subjectKind="company" subjectId={c.id} user={user} />}
      {can(user, 'deals.read') && <ActivityTimeline of="company" id={c.id} />}
    </>
  );
}
