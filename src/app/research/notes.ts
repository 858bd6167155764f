/**
 * Research notes in markdown, tied to a node, a sub-area or a scenario. Private-side notes (they may
 * discuss deals) are written and read only over the wall; drafts are seen by their author and by those
 * who may write research; published public notes are seen by everyone, the council included.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import { authorize, can, PRIVATE_SIDE } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';

export const noteInputSchema = z.object({
  title: z.string().min(1).max(200),
  bodyMarkdown: z.string().min(1).max(100_000),
  status: z.enum(['draft', 'published']).default('draft'),
  side: z.enum(['public', 'private']).default('public'),
  subjectKind: z.enum(['node', 'sub_area', 'scenario']),
  subjectId: z.string().min(1).max(80),
});
export const noteUpdateSchema = noteInputSchema
  .pick({ title: true, bodyMarkdown: true, status: true })
  .partial();

const isPrivateSide = (actor: Actor) => PRIVATE_SIDE.has(actor.role);

export async function addNote(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof noteInputSchema>,
) {
  authorize(actor, 'research.write');
  if (input.side === 'private' && !isPrivateSide(actor)) {
    throw new KeelError('forbidden', 'only the private side may write private-side notes');
  }
  const written = await runWrite(
    ctx,
    {
      actor,
      action: 'research.note.add',
      key,
      request: input,
      subject: `${input.subjectKind}:${input.subjectId}`,
    },
    async (tx) => {
      const row = await tx
        .insertInto('research_notes')
        .values({
          title: input.title,
          body_md: input.bodyMarkdown,
          author: actor.id,
          status: input.status,
          side: input.side,
          subject_kind: input.subjectKind,
          subject_id: input.subjectId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: { id: row.id } };
    },
  );
  return written;
}

export async function updateNote(
  ctx: AppContext,
  actor: Actor,
  key: string,
  id: bigint,
  input: z.infer<typeof noteUpdateSchema>,
) {
  authorize(actor, 'research.write');
  const written = await runWrite(
    ctx,
    { actor, action: 'research.note.update', key, request: { id, ...input }, subject: `note:${id}` },
    async (tx) => {
      const note = await tx
        .selectFrom('research_notes')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!note || (note.side === 'private' && !isPrivateSide(actor)))
        throw new KeelError('not_found', `no note ${id}`);
      if (note.author !== actor.id && actor.role !== 'admin') {
        throw new KeelError('not_author', 'only the author (or an administrator) may change a note');
      }
      await tx
        .updateTable('research_notes')
        .set({
          ...(input.title ? { title: input.title } : {}),
          ...(input.bodyMarkdown ? { body_md: input.bodyMarkdown } : {}),
          ...(input.status ? { status: input.status } : {}),
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      return { result: { id } };
    },
  );
  return written;
}

export async function listNotes(ctx: AppContext, actor: Actor, subject?: { kind: string; id: string }) {
  authorize(actor, 'research.read');
  let q = ctx.database.db.selectFrom('research_notes').selectAll().orderBy('id', 'desc').limit(500);
  if (subject) q = q.where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id);
  if (!isPrivateSide(actor)) q = q.where('side', '=', 'public');
  if (!can(actor, 'research.write')) q = q.where('status', '=', 'published');
  else
    q = q.where((eb) =>
      eb.or([eb('status', '=', 'published'), eb('author', '=', actor.id), eb.val(actor.role === 'admin')]),
    );
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    bodyMarkdown: r.body_md,
    author: r.author,
    status: r.status,
    side: r.side,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    updatedAt: String(r.updated_at),
  }));
}
