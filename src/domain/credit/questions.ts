/**
 * Credit questions put to the committee: an amendment of a facility's terms, or the waiver, amendment or
 * acceleration of one covenant breach. The committee votes on the question itself (these exact terms; this
 * breach at this test date) under the rules of deal decisions (../committee.ts), and an approved question is
 * applied once, by the action it asked for and no other.
 */
import { z } from 'zod';
import { APPROVALS, DECISIONS, type Decision } from '../committee.ts';
import { KeelError } from '../errors.ts';
import { isoDate, reasonField, recordId, slug } from '../fields.ts';
import type { WATCHLIST_ACTIONS } from './covenants.ts';
import { facilityTermsSchema } from './facility-terms.ts';

type WatchlistAction = (typeof WATCHLIST_ACTIONS)[number];

/** "a waiver", "an acceleration": a question kind in words, with its article. */
const article = (kind: string) => {
  const words = kind.replaceAll('_', ' ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
};

export const QUESTION_KINDS = ['terms_amendment', 'waiver', 'covenant_amendment', 'acceleration'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The question a watchlist action needs approved. */
export const KIND_OF_ACTION: Record<WatchlistAction, QuestionKind> = {
  waiver: 'waiver',
  amendment: 'covenant_amendment',
  acceleration: 'acceleration',
};

const asked = { facilityId: slug, summary: reasonField, meetingOn: isoDate };
export const questionInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('terms_amendment'), terms: facilityTermsSchema, ...asked }),
  z.object({
    kind: z.enum(['waiver', 'covenant_amendment', 'acceleration']),
    covenantId: recordId,
    testOn: isoDate,
    ...asked,
  }),
]);
export type QuestionInput = z.infer<typeof questionInputSchema>;

/** What the chair records on a credit question; the votes are those the members cast. */
export const questionDecisionInputSchema = z.object({
  decision: z.enum(DECISIONS),
  decidedOn: isoDate,
  conditions: z.array(z.string().min(3).max(1000)).max(50).default([]),
});

export interface QuestionState {
  id: bigint;
  facilityId: string;
  kind: QuestionKind;
  covenantId: bigint | null;
  testOn: string | null;
  decision: Decision | null;
  used: boolean;
}

/** What applying a question must match: the facility, and for a breach its covenant, test date and action. */
export type Application =
  | { facilityId: string; kind: 'terms_amendment' }
  | { facilityId: string; kind: QuestionKind; covenantId: bigint; testOn: string };

/**
 * An action may rest only on an approved, unused question that asked for exactly it: the same facility,
 * kind, covenant and test date. Each refusal names what differs.
 */
export function assertQuestionApplies(question: QuestionState | undefined, id: bigint, want: Application) {
  if (!question) throw new KeelError('not_found', `no credit question ${id}`);
  const refuse = (why: string) =>
    new KeelError('committee_decision_required', `credit question ${id} ${why}`, { questionId: String(id) });
  if (question.facilityId !== want.facilityId)
    throw refuse(`is about facility ${question.facilityId}, not ${want.facilityId}`);
  if (question.kind !== want.kind)
    throw refuse(`asked for ${article(question.kind)}, not ${article(want.kind)}`);
  if ('covenantId' in want && question.covenantId !== want.covenantId)
    throw refuse(`is about covenant ${question.covenantId}, not ${want.covenantId}`);
  if ('testOn' in want && question.testOn !== want.testOn)
    throw refuse(`is about the test of ${question.testOn}, not ${want.testOn}`);
  if (question.decision === null) throw refuse('has no decision of the committee yet');
  if (!APPROVALS.includes(question.decision))
    throw refuse(`was not approved (the committee's decision: ${question.decision.replaceAll('_', ' ')})`);
  if (question.used)
    throw new KeelError(
      'conflict',
      `credit question ${id} has already been applied: an approval is used once`,
      {
        questionId: String(id),
      },
    );
}

/** A question is decided once; votes, conflicts and the decision are refused after that. */
export function assertQuestionOpen(question: { id: bigint; decision: Decision | null }) {
  if (question.decision === null) return;
  throw new KeelError(
    'invalid_decision',
    `credit question ${question.id} is decided (${question.decision.replaceAll('_', ' ')}): put a new question to revisit it`,
  );
}
