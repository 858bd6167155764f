/**
 * Research notes in markdown, tied to a node, a sub-area or a scenario. Private-side notes (they may
 * discuss deals) are written and read only over the wall; drafts are seen by their author and by those
 * who may write research; published public notes are seen by everyone, the council included.
 */
import { z } from 'zod';
import { insertNote, lockNote, noteList, updateNoteRow } from '../../db/notes-repo.ts';
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
      const id = await insertNote(tx, { ...input, author: actor.id });
      return { result: { id } };
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
      const note = await lockNote(tx, id);
      if (!note || (note.side === 'private' && !isPrivateSide(actor)))
        throw new KeelError('not_found', `no note ${id}`);
      if (note.author !== actor.id && actor.role !== 'admin') {
        throw new KeelError('not_author', 'only the author (or an administrator) may change a note');
      }
      await updateNoteRow(tx, id, input);
      return { result: { id } };
    },
  );
  return written;
}

export async function listNotes(ctx: AppContext, actor: Actor, subject?: { kind: string; id: string }) {
  authorize(actor, 'research.read');
  const drafts = can(actor, 'research.write') ? { author: actor.id, all: actor.role === 'admin' } : 'none';
  return noteList(ctx.database.db, { includePrivate: isPrivateSide(actor), drafts }, subject);
}
