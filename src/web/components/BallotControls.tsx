import type { FormEvent } from 'react';
import { todayIso } from '../format.ts';
import { Options } from './Options.tsx';

type Vote = 'for' | 'against' | 'abstain';

/**
 * A committee member's part in an open question (a deal before the committee, or a credit question): their
 * vote once cast, why they do not vote (a declared conflict, or four eyes: they put the question), or the
 * buttons to vote and the form to declare a conflict.
 */
export function BallotControls({
  mine,
  conflicted,
  requester,
  requesterNote,
  onVote,
  onDeclare,
}: {
  mine: { vote: string } | undefined;
  conflicted: boolean;
  requester: boolean;
  /** Why the requester does not vote, in the words of the question's kind. */
  requesterNote: string;
  onVote(vote: Vote): void;
  onDeclare(event: FormEvent<HTMLFormElement>): void;
}) {
  if (mine) return <span>{mine.vote === 'abstain' ? 'You abstained.' : `You voted ${mine.vote}.`}</span>;
  if (conflicted) return <span>You declared a conflict and do not vote.</span>;
  if (requester) return <span>{requesterNote}</span>;
  return (
    <>
      {(['for', 'against', 'abstain'] as const).map((value) => (
        <button key={value} type="button" onClick={() => onVote(value)}>
          {value === 'abstain' ? 'Abstain' : `Vote ${value}`}
        </button>
      ))}
      <form onSubmit={onDeclare}>
        <label>
          Conflict of interest <input name="note" required minLength={3} placeholder="what it is" />
        </label>
        <button type="submit">Declare conflict</button>
      </form>
    </>
  );
}

/**
 * The chair's fields for the committee's decision on a question: the outcome, the day it was taken (the
 * meeting's, or today if the meeting is still to come; never a day ahead) and its conditions, separated by ";".
 */
export function DecisionFields({ meetingOn }: { meetingOn: string }) {
  return (
    <>
      <label>
        Decision{' '}
        <select name="decision" defaultValue="approve">
          <Options values={['approve', 'approve_with_conditions', 'decline', 'defer']} />
        </select>
      </label>
      <label>
        Decided on{' '}
        <input
          name="decidedOn"
          type="date"
          required
          max={todayIso()}
          defaultValue={[meetingOn, todayIso()].sort()[0]}
        />
      </label>
      <label>
        Conditions (separate with ;){' '}
        <input name="conditions" placeholder="e.g. board seat agreed; security review" />
      </label>
      <button type="submit">Record decision</button>
    </>
  );
}
