/**
 * Investment committee rules. The committee is the only door to the money: a deal leaves the committee
 * stage only by a recorded decision, which moves it in the same transaction (to `approved` after approve /
 * approve-with-conditions, to `declined` after decline; a deferral keeps it there), and a commitment needs
 * an approval of the deal's current committee cycle (a cycle starts each time the deal enters `committee`).
 *
 * Votes are cast by signed-in members, one each per decision, never typed in as names. Members who declared
 * a conflict of interest do not vote; whoever put the deal before the committee (moved it to `committee`, or
 * put it on the agenda in this cycle) neither votes nor records its decision (four eyes). Approving or
 * declining needs the quorum of the programme file; an approval needs more votes for than against.
 */
import { z } from 'zod';
import { KeelError } from './errors.ts';
import { isoDate, slug } from './fields.ts';
import { formatDollars } from './money.ts';
import type { CommitteeRules } from './programme.ts';
import { FUNDABLE_STAGES, OPEN_STAGES, type Stage } from './stages.ts';

export const DECISIONS = ['approve', 'approve_with_conditions', 'decline', 'defer'] as const;
export type Decision = (typeof DECISIONS)[number];
export const APPROVALS: readonly Decision[] = ['approve', 'approve_with_conditions'];
export const VOTES = ['for', 'against', 'abstain'] as const;
export type Vote = (typeof VOTES)[number];

/** What the chair records; the votes are those the members cast. */
export const decisionInputSchema = z.object({
  dealId: slug,
  decision: z.enum(DECISIONS),
  decidedOn: isoDate,
  conditions: z.array(z.string().min(3).max(1000)).max(50).default([]),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export const voteInputSchema = z.object({ vote: z.enum(VOTES) });

/** A member declares their own conflict of interest, with what it is. */
export const conflictInputSchema = z.object({ note: z.string().min(3).max(1000) });

/** The state of the open question before the committee, for one deal in its current cycle. */
export interface Ballot {
  dealId: string;
  votes: ReadonlyArray<{ member: string; vote: Vote }>;
  conflicts: ReadonlyArray<{ member: string; note: string }>;
  /** Who put the deal before the committee in this cycle. */
  requesters: ReadonlySet<string>;
  /** What the question is about, in refusals, when it is not the deal's own (a credit question). */
  subject?: string;
}

const about = (ballot: Ballot) => ballot.subject ?? `deal ${ballot.dealId}`;

function refuseRequester(ballot: Ballot, who: string, what: string): void {
  if (ballot.requesters.has(who))
    throw new KeelError(
      'separation_of_duties',
      `${who} put ${about(ballot)} before the committee and cannot ${what} (four eyes)`,
    );
}

export function assertMayVote(ballot: Ballot, member: string): void {
  refuseRequester(ballot, member, 'vote on it');
  if (ballot.conflicts.some((c) => c.member === member))
    throw new KeelError(
      'conflict_of_interest',
      `${member} declared a conflict of interest and cannot vote on ${about(ballot)}`,
    );
  if (ballot.votes.some((v) => v.member === member))
    throw new KeelError('already_voted', `${member} has already voted on ${about(ballot)}`);
}

export interface Tally {
  for: number;
  against: number;
  abstain: number;
  /** Members present for the quorum: voters, plus the conflicted when the rules count them. */
  present: number;
}

/** How many votes were cast each way. */
export function countVotes(votes: ReadonlyArray<{ vote: Vote }>): Omit<Tally, 'present'> {
  const count = (vote: Vote) => votes.filter((v) => v.vote === vote).length;
  return { for: count('for'), against: count('against'), abstain: count('abstain') };
}

/** Checks that the chair may record this decision now, and returns the count it rests on. */
export function assertDecisionIsSound(
  input: DecisionInput,
  ballot: Ballot,
  rules: CommitteeRules,
  recorder: string,
): Tally {
  refuseRequester(ballot, recorder, 'record its decision');
  const conflicted = new Set(ballot.conflicts.map((c) => c.member));
  if (conflicted.has(recorder))
    throw new KeelError(
      'conflict_of_interest',
      `you declared a conflict of interest on ${about(ballot)}: another chair records its decision`,
    );
  const votes = ballot.votes.filter((v) => !conflicted.has(v.member));
  const tally: Tally = {
    ...countVotes(votes),
    present: votes.length + (rules.conflictedCountTowardQuorum ? conflicted.size : 0),
  };
  if (input.decision === 'defer') return tally;
  if (tally.present < rules.quorum)
    throw new KeelError(
      'quorum_not_met',
      `the committee's quorum is ${rules.quorum} and ${tally.present} member(s) have voted on ${about(ballot)}: it can only defer until ${rules.quorum - tally.present} more vote (whoever put the deal before the committee does not vote on it, so the committee may need another member)`,
      { quorum: rules.quorum, present: tally.present },
    );
  if (APPROVALS.includes(input.decision) && tally.for <= tally.against)
    throw new KeelError(
      'invalid_decision',
      `an approval needs more votes for (${tally.for}) than against (${tally.against})`,
    );
  if (input.decision === 'decline' && tally.for > tally.against)
    throw new KeelError(
      'invalid_decision',
      `a decline cannot stand on more votes for (${tally.for}) than against (${tally.against})`,
    );
  if (input.decision === 'approve_with_conditions' && !input.conditions.length)
    throw new KeelError('invalid_decision', 'approve_with_conditions needs at least one condition');
  return tally;
}

/**
 * Where the decision moves the deal, in the same transaction; a deferral leaves it before the committee, and
 * a re-approval's decision leaves it where it is (a declined increase leaves the earlier approval standing).
 */
export function stageAfterDecision(decision: Decision, from: Stage): Stage | null {
  if (from !== 'committee') return null;
  if (APPROVALS.includes(decision)) return 'approved';
  if (decision === 'decline') return 'declined';
  return null;
}

/** Leaving the committee stage to `approved` or `declined` is the decision's own move, never a hand move. */
export function assertNotDecisionMove(from: Stage, to: Stage): void {
  if (from !== 'committee' || (to !== 'approved' && to !== 'declined')) return;
  throw new KeelError(
    'committee_decision_required',
    `a deal moves from committee to ${to} only by the committee's recorded decision, which moves it`,
  );
}

/**
 * An approval covers the deal's amount on the day it was given. A deal in a fundable stage whose amount was
 * raised past that (an amendment) awaits the committee's re-approval: the question is before the committee
 * again, in the same cycle, and does not move the deal when decided.
 */
export function awaitsReapproval(
  deal: { stage: Stage; amount: bigint },
  approvedAmount: bigint | null | undefined,
): boolean {
  return FUNDABLE_STAGES.has(deal.stage) && approvedAmount != null && deal.amount > approvedAmount;
}

/** Whether the committee has an open question on the deal: its first decision, or a re-approval. */
export function isBeforeCommittee(deal: { stage: Stage; amount: bigint }, approvedAmount: bigint | null) {
  return deal.stage === 'committee' || awaitsReapproval(deal, approvedAmount);
}

/**
 * The agenda holds deals not yet closed (the optimiser's selection comes from any open stage, approved
 * included: the committee may review an approved deal's conditions before it closes) and deals awaiting
 * re-approval; never a closed deal without a question, an ended, declined or withdrawn one.
 */
export function mayGoOnAgenda(
  deal: { stage: Stage; amount: bigint },
  approvedAmount: bigint | null,
): boolean {
  return OPEN_STAGES.includes(deal.stage) || awaitsReapproval(deal, approvedAmount);
}

export function assertMayGoOnAgenda(
  deal: { id: string; stage: Stage; amount: bigint },
  approvedAmount: bigint | null,
): void {
  if (mayGoOnAgenda(deal, approvedAmount)) return;
  throw new KeelError(
    'not_before_committee',
    `deal ${deal.id} is ${deal.stage.replace('_', ' ')} and has no question for the committee: the agenda takes deals not yet closed, and closed deals whose amount was raised past their approval`,
    { dealId: deal.id, stage: deal.stage },
  );
}

/**
 * A commitment may bring the deal's net commitments (committed less cancelled) up to the amount its current
 * approval covers; beyond that the committee must approve the larger amount first.
 */
export function assertWithinApproval(dealId: string, netCommitted: bigint, approvedAmount: bigint): void {
  if (netCommitted <= approvedAmount) return;
  throw new KeelError(
    'committee_approval_required',
    `deal ${dealId}'s committee approval covers ${formatDollars(approvedAmount)}, and this would bring its net commitments to ${formatDollars(netCommitted)}: a larger amount needs the committee's re-approval`,
    { dealId, approvedAmount: approvedAmount.toString(), netCommitted: netCommitted.toString() },
  );
}

/** A commitment needs an approval of the deal's current committee cycle. */
export function assertApprovedForCommitment(dealId: string, approvedInCurrentCycle: boolean): void {
  if (approvedInCurrentCycle) return;
  throw new KeelError(
    'committee_approval_required',
    `deal ${dealId} has no committee approval for its current committee cycle: commitments need one`,
    { dealId },
  );
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
