/**
 * Credit questions before the committee. On a facility page a credit officer puts new terms, or an action on
 * one covenant breach, to the committee, and applies an approved question once; on the committee page the
 * members vote on the open questions (or declare a conflict) and the chair records the decision. The server
 * decides who may do what; the buttons only follow it, and every refusal is shown as the server gave it.
 */

import { type FormEvent, useState } from 'react';
import { toDecimalString } from '../../../domain/money.ts';
import { can, type Principal } from '../../../domain/roles.ts';
import { api, type BodyOf, type ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { AmountInput } from '../../components/AmountInput.tsx';
import { BallotControls, DecisionFields } from '../../components/BallotControls.tsx';
import { Options } from '../../components/Options.tsx';
import { Empty, ErrorState, Loading, Refusal } from '../../components/States.tsx';
import { formatPercent, label, todayIso } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';

type Question = ResponseOf<'GET /api/credit/questions'>['items'][number];
type Terms = ResponseOf<'GET /api/credit/facilities/:id'>['terms'];

/** The action on the watchlist that a breach question asks for. */
const ACTION_OF = {
  waiver: 'waiver',
  covenant_amendment: 'amendment',
  acceleration: 'acceleration',
} as const;

const interestText = (t: Terms) =>
  t.interest.kind === 'fixed'
    ? `fixed ${formatPercent(Number(t.interest.rate))}`
    : `${t.interest.reference} + ${t.interest.marginBps} bp`;

function QuestionText({ q }: { q: Question }) {
  if (q.proposedTerms)
    return (
      <>
        New terms for {q.facilityId} (replacing version {q.baseVersion}): commitment{' '}
        <Amount cents={q.proposedTerms.commitment} />, maturity {q.proposedTerms.maturityOn}, interest{' '}
        {interestText(q.proposedTerms)}
      </>
    );
  return (
    <>
      {label(q.kind)} of the breach of covenant {q.covenantId} at {q.testOn} ({q.facilityId})
    </>
  );
}

const status = (q: Question) =>
  q.decision === null
    ? 'open'
    : `${label(q.decision)} on ${q.decidedOn}${q.used ? ', applied' : ''}${q.decidedByName ? ` (recorded by ${q.decidedByName})` : ''}`;

/**
 * The questions (one facility's, or all open ones) with their ballot: votes and conflicts for members, the
 * decision for the chair, and "Apply" on an approved question not yet applied for credit.write.
 */
export function CreditQuestionList({
  user,
  facilityId,
  onApplied = () => {},
}: {
  user: Principal;
  facilityId?: string;
  onApplied?: () => void;
}) {
  const list = useApi('/api/credit/questions', {
    query: facilityId ? { facilityId, status: 'all' } : { status: 'open' },
  });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>, done: string, after = () => {}) => {
    setError(null);
    setMessage(null);
    try {
      await action();
      setMessage(done);
      list.reload();
      after();
    } catch (e) {
      setError(e);
    }
  };
  const params = (q: Question) => ({ id: q.id });
  const vote = (q: Question, value: 'for' | 'against' | 'abstain') =>
    run(
      () => api.post('/api/credit/questions/:id/votes', { params: params(q), body: { vote: value } }),
      `Your vote (${value}) on credit question ${q.id} is recorded.`,
    );
  const declare = (event: FormEvent<HTMLFormElement>, q: Question) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') || '');
    return run(
      () => api.post('/api/credit/questions/:id/conflicts', { params: params(q), body: { note } }),
      `Your conflict of interest on credit question ${q.id} is declared; you will not vote on it.`,
    );
  };
  const decide = (event: FormEvent<HTMLFormElement>, q: Question) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    return run(
      () =>
        api.post('/api/credit/questions/:id/decision', {
          params: params(q),
          body: {
            // The select offers only the domain's decisions; the server checks it all the same.
            decision: String(
              f.get('decision'),
            ) as BodyOf<'POST /api/credit/questions/:id/decision'>['decision'],
            decidedOn: String(f.get('decidedOn')),
            conditions: String(f.get('conditions') || '')
              .split(';')
              .map((c) => c.trim())
              .filter(Boolean),
          },
        }),
      `Decision recorded on credit question ${q.id}.`,
    );
  };
  const apply = (event: FormEvent<HTMLFormElement>, q: Question) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') || '');
    return run(
      () =>
        q.kind === 'terms_amendment'
          ? api.post('/api/credit/facilities/:id/terms', {
              params: { id: q.facilityId },
              body: { questionId: q.id },
            })
          : api.post('/api/credit/watchlist/actions', {
              body: {
                covenantId: q.covenantId!,
                testOn: q.testOn!,
                action: ACTION_OF[q.kind as keyof typeof ACTION_OF],
                questionId: q.id,
                note,
              },
            }),
      `Credit question ${q.id} is applied.`,
      onApplied,
    );
  };
  const member = can(user, 'committee.vote');
  const chair = can(user, 'committee.decide');
  const writer = can(user, 'credit.write');
  if (list.error) return <ErrorState error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <div data-testid="credit-questions">
      {message && (
        <p className="notice ok" role="status">
          {message}
        </p>
      )}
      <Refusal error={error} />
      {!list.data.items.length && (
        <Empty>{facilityId ? 'No question on this facility yet.' : 'No credit question is open.'}</Empty>
      )}
      {list.data.items.map((q) => {
        const open = q.decision === null;
        const mine = q.votes.find((v) => v.member === user.id);
        const conflicted = q.conflicts.some((c) => c.member === user.id);
        const proposer = q.putBy === user.id;
        return (
          <article key={q.id} data-credit-question={q.id}>
            <h3>
              Credit question {q.id}: <QuestionText q={q} />
            </h3>
            <p className="muted">
              {q.summary} · meeting of {q.meetingOn} · put by {q.putByName} ·{' '}
              <span data-question-status={q.id}>{status(q)}</span>
            </p>
            <p className="muted" data-tally-of={q.id}>
              Votes: for {q.tally.for}, against {q.tally.against}, abstain {q.tally.abstain}
              {q.votes.length ? ` (${q.votes.map((v) => `${v.name} ${v.vote}`).join(', ')})` : ''}
              {q.conflicts.length
                ? ` · conflicts declared: ${q.conflicts.map((c) => c.name).join(', ')}`
                : ''}
              {q.conditions.length ? ` · conditions: ${q.conditions.map((c) => c.text).join('; ')}` : ''}
            </p>
            {open && member && (
              <div className="filters">
                <BallotControls
                  mine={mine}
                  conflicted={conflicted}
                  requester={proposer}
                  requesterNote="You put this question to the committee and do not vote on it."
                  onVote={(value) => vote(q, value)}
                  onDeclare={(e) => declare(e, q)}
                />
              </div>
            )}
            {open && chair && !proposer && (
              <form
                className="filters"
                aria-label={`Decide credit question ${q.id}`}
                onSubmit={(e) => decide(e, q)}
              >
                <DecisionFields meetingOn={q.meetingOn} />
              </form>
            )}
            {writer &&
              !q.used &&
              q.decision !== null &&
              ['approve', 'approve_with_conditions'].includes(q.decision) && (
                <form
                  className="filters"
                  aria-label={`Apply credit question ${q.id}`}
                  onSubmit={(e) => apply(e, q)}
                >
                  {q.kind !== 'terms_amendment' && (
                    <label>
                      Note (at least 10 characters){' '}
                      <input name="note" required minLength={10} maxLength={2000} defaultValue={q.summary} />
                    </label>
                  )}
                  <button type="submit">Apply</button>
                </form>
              )}
          </article>
        );
      })}
    </div>
  );
}

/** The terms as the form takes them back: dollars as text where the view has cents. */
function termsAsInput(t: Terms) {
  return {
    ...t,
    commitment: toDecimalString(BigInt(t.commitment)),
    collateral: t.collateral.map((c) =>
      c.value === undefined
        ? { description: c.description }
        : { ...c, value: toDecimalString(BigInt(c.value)) },
    ),
  };
}

/**
 * The facility page's "Put to the committee": new terms (the current ones with what changes), or an action
 * on one of the facility's open breaches; then the facility's questions, with "Apply" once approved.
 */
export function FacilityQuestionsPanel({
  facilityId,
  terms,
  user,
  onApplied,
}: {
  facilityId: string;
  terms: Terms;
  user: Principal;
  onApplied(): void;
}) {
  const [tick, setTick] = useState(0);
  const covenants = useApi('/api/credit/facilities/:id/covenants', { params: { id: facilityId } });
  const reloadAll = () => {
    setTick((t) => t + 1);
    covenants.reload();
  };
  const proposeTerms = useFormPost(reloadAll);
  const proposeAction = useFormPost(reloadAll);
  const writer = can(user, 'credit.write');
  const breaches =
    covenants.data?.covenants.flatMap((c) =>
      c.tests
        .filter((t) => t.status === 'breach' && !t.action)
        .map((t) => ({ covenant: c, testOn: t.testOn })),
    ) ?? [];
  const meeting = (
    <label>
      Meeting on <input name="meetingOn" type="date" required defaultValue={todayIso()} />
    </label>
  );
  const summary = (
    <label>
      Why (at least 10 characters) <input name="summary" required minLength={10} maxLength={2000} />
    </label>
  );
  return (
    <section className="panel" aria-labelledby="credit-questions">
      <h2 id="credit-questions">Before the committee</h2>
      <p className="muted">
        An amendment of the terms, or a waiver, amendment or acceleration of a covenant breach, is a question
        the committee votes on; once approved it is applied here, once, exactly as approved.
      </p>
      {writer && (
        <>
          <form
            className="filters entry"
            aria-label="Put new terms to the committee"
            onSubmit={(e) =>
              proposeTerms.submit(
                e,
                '/api/credit/questions',
                (f) => {
                  const rate = String(f.get('rate') ?? '').trim();
                  const margin = String(f.get('marginBps') ?? '').trim();
                  return {
                    facilityId,
                    kind: 'terms_amendment',
                    terms: {
                      ...termsAsInput(terms),
                      commitment: String(f.get('commitment') ?? ''),
                      maturityOn: String(f.get('maturityOn') ?? ''),
                      interest:
                        terms.interest.kind === 'fixed'
                          ? { kind: 'fixed', rate }
                          : { ...terms.interest, marginBps: Number(margin) },
                    },
                    summary: String(f.get('summary') ?? ''),
                    meetingOn: String(f.get('meetingOn') ?? ''),
                  } as never;
                },
                'The new terms are before the committee.',
              )
            }
          >
            <AmountInput
              label="Commitment (dollars)"
              name="commitment"
              defaultValue={toDecimalString(BigInt(terms.commitment))}
            />
            <label>
              Matures on <input name="maturityOn" type="date" required defaultValue={terms.maturityOn} />
            </label>
            {terms.interest.kind === 'fixed' ? (
              <label>
                Fixed rate (decimal) <input name="rate" required defaultValue={terms.interest.rate} />
              </label>
            ) : (
              <label>
                Margin (bps over {terms.interest.reference}){' '}
                <input
                  name="marginBps"
                  type="number"
                  min="0"
                  max="5000"
                  required
                  defaultValue={terms.interest.marginBps}
                />
              </label>
            )}
            {summary}
            {meeting}
            <button type="submit">Put new terms to the committee</button>
            {proposeTerms.saved && (
              <p className="notice ok" role="status">
                {proposeTerms.saved}
              </p>
            )}
            <Refusal error={proposeTerms.error} />
          </form>
          {breaches.length > 0 && (
            <form
              className="filters entry"
              aria-label="Put a breach to the committee"
              onSubmit={(e) =>
                proposeAction.submit(
                  e,
                  '/api/credit/questions',
                  (f) => {
                    const [covenantId, testOn] = String(f.get('breach') ?? '').split('@');
                    return {
                      facilityId,
                      kind: String(f.get('kind')),
                      covenantId,
                      testOn,
                      summary: String(f.get('summary') ?? ''),
                      meetingOn: String(f.get('meetingOn') ?? ''),
                    } as never;
                  },
                  'The breach is before the committee.',
                )
              }
            >
              <label>
                Breach{' '}
                <select name="breach">
                  {breaches.map((b) => (
                    <option key={`${b.covenant.id}@${b.testOn}`} value={`${b.covenant.id}@${b.testOn}`}>
                      {label(b.covenant.kind)} (covenant {b.covenant.id}) at {b.testOn}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Action{' '}
                <select name="kind" defaultValue="waiver">
                  <Options values={['waiver', 'covenant_amendment', 'acceleration']} />
                </select>
              </label>
              {summary}
              {meeting}
              <button type="submit">Put the breach to the committee</button>
              {proposeAction.saved && (
                <p className="notice ok" role="status">
                  {proposeAction.saved}
                </p>
              )}
              <Refusal error={proposeAction.error} />
            </form>
          )}
        </>
      )}
      {can(user, 'committee.read') && (
        <CreditQuestionList
          key={tick}
          user={user}
          facilityId={facilityId}
          onApplied={() => {
            // The list reloads itself (and keeps its message); the breaches left to put change.
            covenants.reload();
            onApplied();
          }}
        />
      )}
    </section>
  );
}
