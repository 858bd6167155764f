/**
 * The external advisory council: meetings whose agenda items carry a snapshot of the programme's
 * aggregates (never deal data), and recommendations with owners and status.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import { isoDate } from '../../domain/fields.ts';
import { formatDollars } from '../../domain/money.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { programmeAggregates } from '../summary.ts';
import { runWrite } from '../write.ts';
import { permitBottlenecks } from './permits.ts';

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
  // The agenda's facts are the aggregates the council may see, frozen as they were when the meeting was set.
  const summary = await programmeAggregates(ctx, actor);
  const permits = await permitBottlenecks(ctx, actor);
  const facts = [
    `Counted to date: ${formatDollars(summary.counted.total)} (own ${formatDollars(summary.counted.own)}, facilitated ${formatDollars(summary.counted.facilitated)}), methodology v${summary.programme.methodologyVersion}`,
    ...summary.byArea.map((a) => `${a.key}: ${formatDollars(a.counted)} counted`),
    `Permitting: ${permits.projectsBlocked} project(s) and ${formatDollars(permits.capitalBlocked)} held back by open permits`,
  ];
  const agenda = input.items.map((item) => ({ item, facts }));
  const written = await runWrite(
    ctx,
    { actor, action: 'council.meeting', key, request: input, subject: `council:${input.heldOn}` },
    async (tx) => {
      const row = await tx
        .insertInto('council_meetings')
        .values({
          held_on: input.heldOn,
          title: input.title,
          agenda: JSON.stringify(agenda),
          created_by: actor.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: { id: row.id } };
    },
  );
  return written.result;
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
      const meeting = await tx
        .selectFrom('council_meetings')
        .select('id')
        .where('id', '=', input.meetingId)
        .executeTakeFirst();
      if (!meeting) throw new KeelError('not_found', `no council meeting ${input.meetingId}`);
      const row = await tx
        .insertInto('council_recommendations')
        .values({
          meeting_id: input.meetingId,
          text: input.text,
          owner: input.owner,
          status: 'open',
          due_on: input.dueOn ?? null,
          updated_by: actor.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: { id: row.id } };
    },
  );
  return written.result;
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
      const updated = await tx
        .updateTable('council_recommendations')
        .set({ status: input.status, updated_by: actor.id, updated_at: sql`now()` })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new KeelError('not_found', `no recommendation ${id}`);
      return { result: { id, status: input.status } };
    },
  );
  return written.result;
}

export async function councilBook(ctx: AppContext, actor: Actor) {
  authorize(actor, 'council.read');
  const [meetings, recommendations] = await Promise.all([
    ctx.database.db.selectFrom('council_meetings').selectAll().orderBy('held_on', 'desc').execute(),
    ctx.database.db.selectFrom('council_recommendations').selectAll().orderBy('id').execute(),
  ]);
  return {
    meetings: meetings.map((m) => ({
      id: m.id,
      heldOn: String(m.held_on),
      title: m.title,
      agenda: m.agenda as { item: string; facts: string[] }[],
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
