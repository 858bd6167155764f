/**
 * The external advisory council: meetings whose agenda items carry a snapshot of the programme's
 * aggregates (never deal data), and recommendations with owners and status.
 */
import { z } from 'zod';
import {
  councilMeetingExists,
  councilMeetingRows,
  insertCouncilMeeting,
  insertRecommendation,
  updateRecommendationStatus,
} from '../../db/governance-repo.ts';
import { notShown } from '../../domain/disclosure.ts';
import { KeelError } from '../../domain/errors.ts';
import { isoDate } from '../../domain/fields.ts';
import { type Cents, formatDollars } from '../../domain/money.ts';
import { OTHER } from '../../domain/public-summary.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { currentProgramme } from '../programme.ts';
import { publicAggregates, seesSuppressedFigures } from '../public-aggregates.ts';
import { runWrite } from '../write.ts';
import { publicPermitBottlenecks } from './permits.ts';

export const meetingInputSchema = z.object({
  heldOn: isoDate,
  title: z.string().min(1).max(200),
  items: z.array(z.string().min(1).max(500)).min(1).max(30),
});
export const recommendationInputSchema = z.object({
  meetingId: z.coerce.bigint().min(1n),
  text: z.string().min(1).max(4000),
  owner: z.string().min(1).max(200),
  dueOn: isoDate.optional(),
});
export const recommendationStatusSchema = z.object({
  status: z.enum(['open', 'in_progress', 'done', 'declined']),
});

export async function addMeeting(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof meetingInputSchema>,
) {
  authorize(actor, 'council.manage');
  const { facts, disclosure } = await councilFacts(ctx, actor);
  const agenda = input.items.map((item) => ({ item, facts, disclosure }));
  const written = await runWrite(
    ctx,
    { actor, action: 'council.meeting', key, request: input, subject: `council:${input.heldOn}` },
    async (tx) => {
      const id = await insertCouncilMeeting(tx, { ...input, agenda, createdBy: actor.id });
      return { result: { id } };
    },
  );
  return written;
}

/**
 * The agenda's facts: the aggregates the council may see, frozen as they were when the meeting was set.
 * Stored for good and read by the council, so they are built from the public side's suppressed figures
 * whoever sets the meeting: no stored fact adds up fewer than k deals.
 */
async function councilFacts(ctx: AppContext, actor: Actor) {
  const summary = await publicAggregates(ctx, actor);
  const permits = await publicPermitBottlenecks(ctx);
  const k = summary.disclosure.minimumCellSize;
  const amount = (value: Cents | null) => (value === null ? notShown(k) : formatDollars(value));
  const counted = summary.counted;
  const facts = [
    counted.total === null
      ? `Counted to date: ${notShown(k)}, methodology v${summary.programme.methodologyVersion}`
      : `Counted to date: ${amount(counted.total)} (own ${amount(counted.own)}, facilitated ${amount(counted.facilitated)}), methodology v${summary.programme.methodologyVersion}`,
    ...summary.byArea.map((a) =>
      a.key === OTHER && a.merged
        ? `Other areas together (each ${notShown(k)} on its own): ${amount(a.counted)} counted`
        : `${a.key}: ${amount(a.counted)} counted`,
    ),
    permits.projectsBlocked === null
      ? `Permitting: projects and capital held back by open permits: ${notShown(k)}`
      : `Permitting: ${permits.projectsBlocked} project(s) and ${amount(permits.capitalBlocked)} held back by open permits`,
  ];
  return { facts, disclosure: summary.disclosure };
}

export async function addRecommendation(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof recommendationInputSchema>,
) {
  authorize(actor, 'council.manage');
  const written = await runWrite(
    ctx,
    {
      actor,
      action: 'council.recommendation',
      key,
      request: input,
      subject: `council-meeting:${input.meetingId}`,
    },
    async (tx) => {
      if (!(await councilMeetingExists(tx, input.meetingId)))
        throw new KeelError('not_found', `no council meeting ${input.meetingId}`);
      const id = await insertRecommendation(tx, {
        meetingId: input.meetingId,
        text: input.text,
        owner: input.owner,
        dueOn: input.dueOn ?? null,
        updatedBy: actor.id,
      });
      return { result: { id } };
    },
  );
  return written;
}

export async function setRecommendationStatus(
  ctx: AppContext,
  actor: Actor,
  key: string,
  id: bigint,
  input: z.infer<typeof recommendationStatusSchema>,
) {
  authorize(actor, 'council.manage');
  const written = await runWrite(
    ctx,
    {
      actor,
      action: 'council.recommendation.status',
      key,
      request: { id, ...input },
      subject: `recommendation:${id}`,
    },
    async (tx) => {
      const updated = await updateRecommendationStatus(tx, id, input.status, actor.id);
      if (!updated) throw new KeelError('not_found', `no recommendation ${id}`);
      return { result: { id, status: input.status } };
    },
  );
  return written;
}

interface StoredAgendaItem {
  item: string;
  facts: string[];
  /** Set on facts built with small-cell suppression; absent on meetings stored before it. */
  disclosure?: { minimumCellSize: number };
}

/**
 * Facts stored before small-cell suppression may hold a figure that one deal adds up to: the public side
 * reads a note in their place, the private side the facts as they were stored.
 */
function agendaFor(actor: Actor, agenda: readonly StoredAgendaItem[], k: number) {
  return agenda.map((a) =>
    a.disclosure || !seesSuppressedFigures(actor)
      ? { item: a.item, facts: a.facts }
      : {
          item: a.item,
          facts: [
            `Facts recorded before small-cell suppression are not shown: a figure may rest on fewer than ${k} deals`,
          ],
        },
  );
}

export async function councilBook(ctx: AppContext, actor: Actor) {
  authorize(actor, 'council.read');
  const [[meetings, recommendations], { programme }] = await Promise.all([
    councilMeetingRows(ctx.database.db),
    currentProgramme(ctx.database.db),
  ]);
  return {
    disclosure: programme.disclosure,
    meetings: meetings.map((m) => ({
      id: m.id,
      heldOn: String(m.held_on),
      title: m.title,
      agenda: agendaFor(actor, m.agenda as StoredAgendaItem[], programme.disclosure.minimumCellSize),
      recommendations: recommendations
        .filter((r) => r.meeting_id === m.id)
        .map((r) => ({
          id: r.id,
          text: r.text,
          owner: r.owner,
          status: r.status,
          dueOn: r.due_on === null ? null : String(r.due_on),
        })),
    })),
  };
}
