import { type FormEvent, useState } from 'react';
import { can, type Principal } from '../../../domain/roles.ts';
import { api, type BodyOf, type ResponseOf, urlFor } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { BallotControls, DecisionFields } from '../../components/BallotControls.tsx';
import { Documents } from '../../components/Documents.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { dealTitle, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { CreditQuestionList } from '../credit/CreditQuestions.tsx';
import { AddDealToAgenda } from './AddDealToAgenda.tsx';

/**
 * The investment committee's agenda. Members cast their own vote (or declare a conflict) on each deal before
 * the committee; the chair records the decision on those votes, and the decision moves the deal. The open
 * credit questions (facility terms, covenant breaches) are voted and decided here too.
 */
export function Committee({ user }: { user: Principal }) {
  const agenda = useApi('/api/committee/agenda');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await action();
      setMessage(done);
      agenda.reload();
    } catch (e) {
      setError(e);
    }
  };
  const vote = (item: Item, value: BodyOf<'POST /api/committee/deals/:id/votes'>['vote']) =>
    run(
      () =>
        api.post('/api/committee/deals/:id/votes', { params: { id: item.dealId }, body: { vote: value } }),
      `Your vote (${value}) on ${dealTitle(item)} is recorded.`,
    );
  const declare = (event: FormEvent<HTMLFormElement>, item: Item) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') || '');
    return run(
      () => api.post('/api/committee/deals/:id/conflicts', { params: { id: item.dealId }, body: { note } }),
      `Your conflict of interest in ${dealTitle(item)} is declared; you will not vote on it.`,
    );
  };
  const takeOff = (item: Item) =>
    run(
      () => api.delete('/api/committee/agenda/:id', { params: { id: item.id } }),
      `${dealTitle(item)} is off the agenda of ${item.meetingOn}.`,
    );
  const decide = (event: FormEvent<HTMLFormElement>, item: Item) => {
    event.preventDefault();
    const dealId = item.dealId;
    const f = new FormData(event.currentTarget);
    return run(
      () =>
        api.post('/api/committee/decisions', {
          // The select offers only the domain's decisions; the server checks it all the same.
          body: {
            dealId,
            decision: String(f.get('decision')) as BodyOf<'POST /api/committee/decisions'>['decision'],
            decidedOn: String(f.get('decidedOn')),
            conditions: String(f.get('conditions') || '')
              .split(';')
              .map((c) => c.trim())
              .filter(Boolean),
          },
        }),
      `Decision recorded for ${dealTitle(item)}.`,
    );
  };
  const member = can(user, 'committee.vote');
  const chair = can(user, 'committee.decide');
  const manage = can(user, 'committee.manage');
  // The committee memo is a document of its meeting (issue 15), not a URL.
  const meetings = [...new Set(agenda.data?.items.map((i) => i.meetingOn) ?? [])];
  return (
    <>
      <section className="panel" data-testid="committee">
        <h2>Investment committee agenda</h2>
        {agenda.error ? <ErrorState error={agenda.error} /> : null}
        {message && (
          <p className="notice ok" role="status">
            {message}
          </p>
        )}
        {error ? <ErrorState error={error} /> : null}
        {agenda.data && !agenda.data.items.length && (
          <Empty>
            Nothing on the agenda. Add a deal below or from its deal page, or send the optimiser's selection
            here.
          </Empty>
        )}
        {agenda.data?.items.map((item) => {
          const ballot = item.ballot;
          const mine = ballot?.votes.find((v) => v.member === user.id);
          const conflicted = ballot?.conflicts.some((c) => c.member === user.id) ?? false;
          const requester = ballot?.requesters.includes(user.id) ?? false;
          return (
            <article key={item.id} data-agenda-deal={item.dealId}>
              <h3>
                <a href={`#/deals/${encodeURIComponent(item.dealId)}`}>{dealTitle(item)}</a>{' '}
                <span className="muted">
                  {item.meetingOn} · <Amount cents={item.amountCents} /> · stage{' '}
                  <span data-stage-of={item.dealId}>{label(item.stage)}</span> ·{' '}
                  {item.source === 'optimiser' ? "from the optimiser's selection" : 'added by hand'}
                </span>
              </h3>
              {item.reapproval && item.approvedAmount && (
                <p className="notice warn" data-reapproval-of={item.dealId}>
                  Re-approval: the amount was raised to <Amount cents={item.amountCents} /> past the approval
                  of <Amount cents={item.approvedAmount} />. Approving covers the new amount; declining leaves
                  the earlier approval standing. The deal stays {label(item.stage)} either way.
                </p>
              )}
              {manage && (
                <p>
                  <button type="button" onClick={() => takeOff(item)}>
                    Take off the agenda
                  </button>
                </p>
              )}
              <MeetingPapers meetingOn={item.meetingOn} papers={item.papers} />
              {ballot && (
                <p className="muted" data-ballot-of={item.dealId}>
                  Votes:{' '}
                  {ballot.votes.length
                    ? ballot.votes.map((v) => `${v.name} ${v.vote}`).join(', ')
                    : 'none yet'}
                  {ballot.conflicts.length
                    ? ` · conflicts declared: ${ballot.conflicts.map((c) => c.name).join(', ')}`
                    : ''}
                  {` · put before the committee by ${ballot.requesterNames.join(', ')}`}
                </p>
              )}
              {ballot && member && (
                <div className="filters">
                  <BallotControls
                    mine={mine}
                    conflicted={conflicted}
                    requester={requester}
                    requesterNote="You put this deal before the committee (or raised its amount) and do not vote on it."
                    onVote={(value) => vote(item, value)}
                    onDeclare={(e) => declare(e, item)}
                  />
                </div>
              )}
              {ballot && chair && !requester && (
                <form className="filters" onSubmit={(e) => decide(e, item)}>
                  <DecisionFields meetingOn={item.meetingOn} />
                </form>
              )}
            </article>
          );
        })}
      </section>
      <section className="panel" aria-labelledby="open-credit-questions">
        <h2 id="open-credit-questions">Credit questions before the committee</h2>
        <p className="muted">
          New terms for a facility, or a waiver, amendment or acceleration of a covenant breach, put by the
          credit officers: the same rules as deal decisions (who put it does not vote or decide; quorum and
          majority of the programme).
        </p>
        <CreditQuestionList user={user} />
      </section>
      {manage && <AddDealToAgenda onAdded={agenda.reload} />}
      {can(user, 'documents.read') &&
        meetings.map((m) => (
          <Documents
            key={m}
            subjectKind="committee_meeting"
            subjectId={m}
            user={user}
            heading={`Meeting of ${m}: memos and papers`}
          />
        ))}
    </>
  );
}

type Item = ResponseOf<'GET /api/committee/agenda'>['items'][number];
type Paper = Item['papers'][number];

/** The memo and papers of the item's meeting (latest versions), each a download; uploads are further down. */
function MeetingPapers({ meetingOn, papers }: { meetingOn: string; papers: readonly Paper[] }) {
  return (
    <p className="muted" data-papers-of={meetingOn}>
      Memo and papers:{' '}
      {papers.length
        ? papers.map((p, i) => (
            <span key={p.id}>
              {i > 0 && ', '}
              <a href={urlFor('/api/documents/:id/content', { params: { id: p.id } })} download={p.filename}>
                {p.title}
              </a>
              {p.version > 1 ? ` (v${p.version})` : ''}
            </span>
          ))
        : `none yet: upload the memo under "Meeting of ${meetingOn}" below`}
    </p>
  );
}
