import { can, type Principal } from '../../domain/roles.ts';
import type { Stage } from '../../domain/stages.ts';
import { ActivityTimeline } from '../components/ActivityTimeline.tsx';
import { Amount } from '../components/Amount.tsx';
import { Disclosure } from '../components/Disclosure.tsx';
import { Documents } from '../components/Documents.tsx';
import { PipelineNotes } from '../components/PipelineNotes.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { dealTitle, exactAmount, formatMoment, headquarters, label, stateName } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { useTitle } from '../use-title.ts';
import { AmendmentHistory } from './deal/AmendmentHistory.tsx';
import { CommitteeAgendaForm } from './deal/CommitteeAgendaForm.tsx';
import { CommitteeDecisions } from './deal/CommitteeDecisions.tsx';
import { EditDeal } from './deal/EditDeal.tsx';
import { LedgerEntryForm } from './deal/LedgerEntryForm.tsx';
import { Permits } from './deal/Permits.tsx';
import { StageMove } from './deal/StageMove.tsx';
import { WallCrossingRequest } from './deal/WallCrossingRequest.tsx';
import { CapitalStack } from './network/CapitalStack.tsx';

export function DealPage({ id, user }: { id: string; user: Principal }) {
  const { data, error, reload } = useApi('/api/deals/:id', { params: { id } });
  const names = useNames();
  useTitle(data && dealTitle({ ...data.deal, company: data.company.name }));
  if (error) return <ErrorState error={error} />;
  if (!data) return <Loading />;
  const { deal, company } = data;
  const person = (id: string) => data.people[id] ?? id;
  return (
    <>
      <h1>{dealTitle({ ...deal, company: company.name })}</h1>
      <p>
        {/* A wall-crossed analyst reads this deal, not its company's page: no link to a refusal. */}
        {can(user, 'companies.read') ? (
          <a href={`#/companies/${deal.companyId}`}>{company.name}</a>
        ) : (
          company.name
        )}
      </p>
      <p className="muted">
        {names.subArea(deal.subAreaId)} · {label(deal.instrument)} · {deal.classification} · stage{' '}
        <strong data-testid="deal-stage">{label(deal.stage)}</strong>
        {deal.synthetic ? ' · synthetic' : ''}
      </p>
      {data.awaitsReapproval && data.approvedAmount && (
        <p className="notice warn" role="status" data-testid="awaits-reapproval">
          The amount was raised past the committee's approval of <Amount cents={data.approvedAmount} />:
          commitments stop there until the committee re-approves{' '}
          {can(user, 'committee.manage') ? 'it (put the deal on the agenda below).' : 'it.'}
        </p>
      )}
      {can(user, 'deals.move') && <StageMove dealId={deal.id} stage={deal.stage as Stage} onMoved={reload} />}
      {can(user, 'committee.manage') && <CommitteeAgendaForm dealId={deal.id} onAdded={reload} />}
      {can(user, 'wall_crossings.request') && (
        <Disclosure className="panel" summary="Bring an analyst over the wall">
          {() => <WallCrossingRequest dealId={deal.id} />}
        </Disclosure>
      )}
      {can(user, 'deals.write') && (
        <Disclosure className="panel" summary="Edit deal">
          {() => <EditDeal deal={deal} ledgerReferenced={data.ledger.length > 0} onSaved={reload} />}
        </Disclosure>
      )}
      <div className="two">
        <section className="panel">
          <h2>Deal</h2>
          <dl>
            <dt>Amount</dt>
            <dd className="num">
              <Amount cents={deal.amountCents} />
            </dd>
            {data.approvedAmount && (
              <>
                <dt>Approved by the committee</dt>
                <dd className="num" data-testid="approved-amount">
                  <Amount cents={data.approvedAmount} />
                </dd>
              </>
            )}
            <dt>Opened</dt>
            <dd>{deal.openedOn}</dd>
            <dt>Announced</dt>
            <dd>{deal.announcedOn ?? 'not announced'}</dd>
            <dt>Team</dt>
            <dd>{deal.team.join(', ') || '–'}</dd>
            <dt>Source</dt>
            <dd>{deal.source}</dd>
            {deal.historicalDecisionRef && (
              <>
                <dt>Historical import</dt>
                <dd data-testid="historical-decision">decided outside Keel: {deal.historicalDecisionRef}</dd>
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
            <dd>{company.usBased ? 'yes' : 'no'}</dd>
            <dt>Headquarters</dt>
            <dd>{headquarters(company.hqCity, company.hqStateFips) ?? '–'}</dd>
            <dt>Ownership</dt>
            <dd>{company.ownershipNote ?? '–'}</dd>
          </dl>
          <h3>Facilities</h3>
          <ul>
            {data.facilities.map((f) => (
              <li key={f.id}>
                {f.name} ({f.kind}), {stateName(f.stateFips)}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>Ledger</h2>
        {can(user, 'ledger.read') && (
          <p>
            <a href={`#/ledger?dealId=${encodeURIComponent(deal.id)}`}>
              In the ledger list (filter, sort, totals per kind, export)
            </a>
          </p>
        )}
        {can(user, 'ledger.write') && (
          <LedgerEntryForm
            dealId={deal.id}
            scopeName={(key) => (key === deal.companyId ? company.name : names.subArea(key))}
            onRecorded={reload}
          />
        )}
        <table data-testid="ledger">
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
                <td>{label(e.kind)}</td>
                <td>{e.effectiveOn}</td>
                <td className="num">{exactAmount(e.amountCents)}</td>
                <td>{e.note}</td>
                <td>{person(e.recordedBy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {can(user, 'network.read') && <CapitalStack dealId={deal.id} user={user} dealData={data} />}
      <Permits dealId={deal.id} user={user} />
      {can(user, 'committee.read') && (
        <CommitteeDecisions dealId={deal.id} manage={can(user, 'committee.manage')} />
      )}
      {/* Notes stay private-side: an analyst over the wall for this deal was shown a refusal telling them to
          ask for the crossing they hold. */}
      {can(user, 'deals.read') && <PipelineNotes subjectKind="deal" subjectId={deal.id} user={user} />}
      <AmendmentHistory amendments={data.amendments} person={person} />
      <section className="panel">
        <h2>Stage history</h2>
        <ol>
          {data.stageMoves.map((m) => (
            <li key={m.id}>
              {label(m.fromStage ?? 'opened')} → {label(m.toStage)}, {formatMoment(m.movedAt)} by{' '}
              {person(m.movedBy)}
            </li>
          ))}
        </ol>
      </section>
      <Documents subjectKind="deal" subjectId={deal.id} user={user} />
      {can(user, 'deals.read') && <ActivityTimeline of="deal" id={deal.id} />}
    </>
  );
}
