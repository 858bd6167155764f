/**
 * The credit question aggregate: a question put to the committee about a facility, its members' votes and
 * declared conflicts, and its decision (kept on the question, never in committee_decisions, so a deal's
 * approval can never be one). A question is used by the one terms version or watchlist action that names it
 * (unique in the database).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Ballot, Condition, Decision, Vote } from '../domain/committee.ts';
import type { QuestionKind } from '../domain/credit/questions.ts';
import type { Schema } from './schema.ts';

export const insertQuestion = (
  tx: Transaction<Schema>,
  row: {
    facilityId: string;
    kind: QuestionKind;
    covenantId: bigint | null;
    testOn: string | null;
    proposedTerms: string | null;
    baseVersion: number | null;
    summary: string;
    meetingOn: string;
    putBy: string;
  },
) =>
  tx
    .insertInto('credit_questions')
    .values({
      facility_id: row.facilityId,
      kind: row.kind,
      covenant_id: row.covenantId,
      test_on: row.testOn,
      proposed_terms: row.proposedTerms,
      base_version: row.baseVersion,
      summary: row.summary,
      meeting_on: row.meetingOn,
      put_by: row.putBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Whether a terms version or a watchlist action already rests on the question. */
const usedColumn = sql<boolean>`(
  EXISTS (SELECT 1 FROM credit_facility_terms t WHERE t.credit_question_id = q.id)
  OR EXISTS (SELECT 1 FROM credit_watchlist_actions w WHERE w.credit_question_id = q.id))`;

const questionColumns = [
  'q.id',
  'q.facility_id',
  'q.kind',
  'q.covenant_id',
  'q.test_on',
  'q.proposed_terms',
  'q.base_version',
  'q.summary',
  'q.meeting_on',
  'q.put_by',
  'q.put_at',
  'q.decision',
  'q.votes',
  'q.conflicts',
  'q.conditions',
  'q.quorum',
  'q.decided_on',
  'q.decided_by',
] as const;

interface QuestionRow {
  id: bigint;
  facility_id: string;
  kind: string;
  covenant_id: bigint | null;
  test_on: string | null;
  proposed_terms: unknown;
  base_version: number | null;
  summary: string;
  meeting_on: string;
  put_by: string;
  put_at: string;
  decision: string | null;
  votes: unknown;
  conflicts: unknown;
  conditions: unknown;
  quorum: number | null;
  decided_on: string | null;
  decided_by: string | null;
  used: boolean;
}

function asQuestion(r: QuestionRow) {
  return {
    id: BigInt(r.id),
    facilityId: r.facility_id,
    kind: r.kind as QuestionKind,
    covenantId: r.covenant_id === null ? null : BigInt(r.covenant_id),
    testOn: r.test_on === null ? null : String(r.test_on),
    proposedTerms: r.proposed_terms,
    /** The terms version a terms amendment changes (null for a breach question). */
    baseVersion: r.base_version,
    summary: r.summary,
    meetingOn: String(r.meeting_on),
    putBy: r.put_by,
    // ISO with milliseconds: a correction of the tested figures is compared with it.
    putAt: new Date(r.put_at).toISOString(),
    decision: r.decision as Decision | null,
    /** The votes and conflicts the decision rests on (null while the question is open). */
    votes: r.votes as Ballot['votes'] | null,
    conflicts: r.conflicts as Ballot['conflicts'] | null,
    conditions: (r.conditions as Condition[] | null) ?? [],
    quorum: r.quorum,
    decidedOn: r.decided_on === null ? null : String(r.decided_on),
    decidedBy: r.decided_by,
    used: Boolean(r.used),
  };
}

/** Locks one question while it is voted on, decided or applied; undefined if none. */
export async function lockQuestion(tx: Transaction<Schema>, id: bigint) {
  const row = await tx
    .selectFrom('credit_questions as q')
    .select(questionColumns)
    .select(usedColumn.as('used'))
    .where('q.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && asQuestion(row);
}

/** Questions, newest first: one facility's, or those still open (undecided), or all. */
export async function questionRows(db: Kysely<Schema>, filter: { facilityId?: string; open?: boolean }) {
  let query = db
    .selectFrom('credit_questions as q')
    .select(questionColumns)
    .select(usedColumn.as('used'))
    .orderBy('q.id', 'desc')
    .limit(500);
  if (filter.facilityId !== undefined) query = query.where('q.facility_id', '=', filter.facilityId);
  if (filter.open) query = query.where('q.decision', 'is', null);
  return (await query.execute()).map(asQuestion);
}

/** The open question's ballot: votes cast, conflicts declared, who put it (the requester, four eyes). */
export async function questionBallots(
  db: Kysely<Schema>,
  questions: ReadonlyArray<{ id: bigint; putBy: string; facilityId: string }>,
): Promise<Map<bigint, Ballot>> {
  const ids = questions.map((q) => q.id);
  const votes = ids.length
    ? await db
        .selectFrom('credit_question_votes')
        .select(['question_id', 'member_id', 'vote'])
        .where('question_id', 'in', ids)
        .orderBy('cast_at')
        .orderBy('member_id')
        .execute()
    : [];
  const conflicts = ids.length
    ? await db
        .selectFrom('credit_question_conflicts')
        .select(['question_id', 'member_id', 'note'])
        .where('question_id', 'in', ids)
        .orderBy('member_id')
        .execute()
    : [];
  return new Map(
    questions.map((q) => [
      q.id,
      {
        dealId: q.facilityId,
        subject: `credit question ${q.id}`,
        votes: votes
          .filter((v) => BigInt(v.question_id) === q.id)
          .map((v) => ({ member: v.member_id, vote: v.vote })),
        conflicts: conflicts
          .filter((c) => BigInt(c.question_id) === q.id)
          .map((c) => ({ member: c.member_id, note: c.note })),
        requesters: new Set([q.putBy]),
      },
    ]),
  );
}

export const insertQuestionVote = (
  tx: Transaction<Schema>,
  vote: { questionId: bigint; member: string; vote: Vote },
) =>
  tx
    .insertInto('credit_question_votes')
    .values({ question_id: vote.questionId, member_id: vote.member, vote: vote.vote })
    .execute();

/** A member's conflict on the question; declaring it again changes nothing. */
export const insertQuestionConflict = (
  tx: Transaction<Schema>,
  conflict: { questionId: bigint; member: string; note: string },
) =>
  tx
    .insertInto('credit_question_conflicts')
    .values({ question_id: conflict.questionId, member_id: conflict.member, note: conflict.note })
    .onConflict((oc) => oc.columns(['question_id', 'member_id']).doNothing())
    .execute();

/** Records the committee's decision on the question, with the votes and conflicts it rests on. */
export async function decideQuestion(
  tx: Transaction<Schema>,
  id: bigint,
  decision: {
    decision: Decision;
    votes: Ballot['votes'];
    conflicts: Ballot['conflicts'];
    conditions: Condition[];
    quorum: number;
    decidedOn: string;
    decidedBy: string;
  },
) {
  await tx
    .updateTable('credit_questions')
    .set({
      decision: decision.decision,
      votes: JSON.stringify(decision.votes),
      conflicts: JSON.stringify(decision.conflicts),
      conditions: JSON.stringify(decision.conditions),
      quorum: decision.quorum,
      decided_on: decision.decidedOn,
      decided_by: decision.decidedBy,
      decided_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('decision', 'is', null)
    .execute();
}

/** A question's facility, deal and who put it, for the notices of its writes; undefined if none. */
export const questionForNotice = (db: Kysely<Schema>, id: bigint) =>
  db
    .selectFrom('credit_questions as q')
    .innerJoin('credit_facilities as f', 'f.id', 'q.facility_id')
    .select(['q.id', 'q.kind', 'q.facility_id', 'q.put_by', 'q.meeting_on', 'f.deal_id'])
    .where('q.id', '=', id)
    .executeTakeFirst();
