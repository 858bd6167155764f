/**
 * Investment committee rules. A deal leaves the committee stage only by a recorded decision: to `approved`
 * after approve / approve-with-conditions, to `declined` after decline (a deferral keeps it there). Members
 * who declared a conflict of interest do not vote; an approval needs more votes for than against.
 */
import { z } from 'zod';
import { KeelError } from './errors.ts';
import { isoDate, slug } from './fields.ts';
import type { Stage } from './stages.ts';

export const DECISIONS = ['approve', 'approve_with_conditions', 'decline', 'defer'] as const;
export type Decision = (typeof DECISIONS)[number];

const member = z.string().min(1).max(100);
export const decisionInputSchema = z.object({
  dealId: slug,
  decision: z.enum(DECISIONS),
  decidedOn: isoDate,
  votes: z
    .array(z.object({ member, vote: z.enum(['for', 'against', 'abstain']) }))
    .min(1, 'record at least one vote')
    .max(50),
  conflicts: z
    .array(z.object({ member, note: z.string().min(3).max(1000) }))
    .max(50)
    .default([]),
  conditions: z.array(z.string().min(3).max(1000)).max(50).default([]),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export function assertDecisionIsSound(input: DecisionInput): void {
  const members = input.votes.map((v) => v.member);
  const twice = members.find((m, i) => members.indexOf(m) !== i);
  if (twice) throw new KeelError('invalid_decision', `${twice} voted twice`);
  const conflicted = new Set(input.conflicts.map((c) => c.member));
  const voter = input.votes.find((v) => conflicted.has(v.member));
  if (voter)
    throw new KeelError(
      'invalid_decision',
      `${voter.member} declared a conflict of interest and cannot vote on this deal`,
    );
  const count = (vote: string) => input.votes.filter((v) => v.vote === vote).length;
  const approves = input.decision === 'approve' || input.decision === 'approve_with_conditions';
  if (approves && count('for') <= count('against')) {
    throw new KeelError(
      'invalid_decision',
      `an approval needs more votes for (${count('for')}) than against (${count('against')})`,
    );
  }
  if (input.decision === 'approve_with_conditions' && !input.conditions.length) {
    throw new KeelError('invalid_decision', 'approve_with_conditions needs at least one condition');
  }
}

/** The committee gate on stage moves: `latest` is the deal's most recent decision, if any. */
export function assertCommitteeGate(from: Stage, to: Stage, latest: Decision | null): void {
  if (from !== 'committee' || (to !== 'approved' && to !== 'declined')) return;
  const needed: Decision[] = to === 'approved' ? ['approve', 'approve_with_conditions'] : ['decline'];
  if (!latest || !needed.includes(latest)) {
    throw new KeelError(
      'committee_decision_required',
      `a deal moves from committee to ${to} only after the committee records ${needed.join(' or ')}; its latest decision is ${latest ?? 'none'}`,
    );
  }
}

export interface Condition {
  text: string;
  status: 'open' | 'met' | 'waived';
}

export const conditionUpdateSchema = z.object({ status: z.enum(['met', 'waived']) });

/** Conditions of approval are tracked to closing: a deal closes only when none is still open. */
export function assertClosingConditions(from: Stage, to: Stage, conditions: readonly Condition[]): void {
  if (from !== 'approved' || to !== 'closed') return;
  const open = conditions.filter((c) => c.status === 'open');
  if (open.length) {
    throw new KeelError(
      'conditions_open',
      `the deal cannot close while ${open.length} committee condition(s) are open: ${open.map((c) => `"${c.text}"`).join(', ')}`,
    );
  }
}
