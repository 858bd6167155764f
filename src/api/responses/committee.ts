/** What the committee routes answer (routes/committee.ts). */
import { z } from 'zod';
import { DECISIONS, VOTES } from '../../domain/committee.ts';
import { STAGES } from '../../domain/stages.ts';
import { bigintString, centsString, instrumentField, stageField, writeResult } from './shared.ts';

const tallySchema = z.object({
  for: z.number(),
  against: z.number(),
  abstain: z.number(),
  present: z.number(),
});

/** A member's vote or conflict, with the member's name beside the id. */
const voteSchema = z.object({ member: z.string(), name: z.string(), vote: z.enum(VOTES) });
const conflictSchema = z.object({ member: z.string(), name: z.string(), note: z.string() });

const conditionSchema = z.object({ text: z.string(), status: z.enum(['open', 'met', 'waived']) });

export const listAgendaResponse = z.object({
  items: z.array(
    z.object({
      ballot: z
        .object({
          votes: z.array(voteSchema),
          conflicts: z.array(conflictSchema),
          requesters: z.array(z.string()),
          /** The requesters' names, in the same order. */
          requesterNames: z.array(z.string()),
        })
        .nullable(),
      dealId: z.string(),
      name: z.string().nullable(),
      company: z.string(),
      instrument: instrumentField,
      amountCents: centsString,
      stage: stageField,
      id: bigintString,
      source: z.string(),
      meetingOn: z.string(),
      addedBy: z.string(),
      /** The amount the approval of the deal's current cycle covers; null before its first approval. */
      approvedAmount: centsString.nullable(),
      /** An approved deal whose amount was raised past its approval: the question is its re-approval. */
      reapproval: z.boolean(),
      /** The meeting's memo and papers (the latest version of each title), for those who read documents. */
      papers: z.array(
        z.object({ id: bigintString, title: z.string(), filename: z.string(), version: z.number().int() }),
      ),
    }),
  ),
});

export const listDealDecisionsResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      decision: z.enum(DECISIONS),
      decidedOn: z.string(),
      recordedBy: z.string(),
      /** Set for an approval taken outside Keel (a historical import, a parent deal's approval). */
      reference: z.string().nullable(),
      /** The deal's amount an approval covers; null for a decline or a deferral. */
      approvedAmount: centsString.nullable(),
      recordedByName: z.string(),
      votes: z.array(voteSchema),
      conflicts: z.array(conflictSchema),
      tally: tallySchema.omit({ present: true }),
      conditions: z.array(conditionSchema),
    }),
  ),
});

export const addToAgendaResponse = writeResult(
  z.object({ meetingOn: z.string(), deals: z.array(z.string()) }),
);

export const removeFromAgendaResponse = writeResult(
  z.object({ id: bigintString, dealId: z.string(), meetingOn: z.string() }),
);

export const castVoteResponse = writeResult(
  z.object({ dealId: z.string(), member: z.string(), vote: z.enum(VOTES) }),
);

export const declareConflictResponse = writeResult(
  z.object({ dealId: z.string(), member: z.string(), declared: z.boolean() }),
);

export const recordDecisionResponse = writeResult(
  z.object({
    id: bigintString,
    dealId: z.string(),
    decision: z.enum(DECISIONS),
    stage: z.enum(STAGES),
    tally: tallySchema,
  }),
);

export const updateConditionResponse = writeResult(
  z.object({ decisionId: bigintString, dealId: z.string(), conditions: z.array(conditionSchema) }),
);
