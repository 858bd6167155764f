/**
 * Notes on deals and companies, in markdown: private-side material like the records they are about. The
 * deal team writes them; every private-side role reads them; the public side never does (and a
 * wall-crossing opens a deal, not its team's notes).
 */
import { z } from 'zod';
import { insertPipelineNote, type PipelineSubject, pipelineNotes } from '../db/notes-repo.ts';
import { existingIds } from '../db/sql-helpers.ts';
import { KeelError } from '../domain/errors.ts';
import { slug } from '../domain/fields.ts';
import { authorize } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

export const pipelineSubjectSchema = z.object({
  subjectKind: z.enum(['deal', 'company']),
  subjectId: slug,
});
export const pipelineNoteInputSchema = pipelineSubjectSchema.extend({
  bodyMarkdown: z.string().trim().min(1, 'is required').max(20_000, 'is longer than 20,000 characters'),
});

const subjectOf = (input: z.infer<typeof pipelineSubjectSchema>): PipelineSubject => ({
  kind: input.subjectKind,
  id: input.subjectId,
});

export async function addPipelineNote(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  input: z.infer<typeof pipelineNoteInputSchema>,
) {
  authorize(actor, 'deals.write');
  const subject = subjectOf(input);
  return runWrite(
    ctx,
    { actor, action: 'note.add', key, request: input, subject: `${subject.kind}:${subject.id}` },
    async (tx) => {
      const table = subject.kind === 'deal' ? 'deals' : 'companies';
      if (!(await existingIds(tx, table, [subject.id])).size)
        throw new KeelError('not_found', `no ${subject.kind} "${subject.id}"`);
      const id = await insertPipelineNote(tx, subject, input.bodyMarkdown, actor.id);
      return { result: { id } };
    },
  );
}

export async function listPipelineNotes(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof pipelineSubjectSchema>,
) {
  authorize(actor, input.subjectKind === 'deal' ? 'deals.read' : 'companies.read');
  return (await pipelineNotes(ctx.database.db, subjectOf(input))).map(camelCased);
}
