/**
 * Saved views: each user's own named filters for a list page. Anyone signed in keeps their own; nobody
 * reads, replaces or deletes another's (an id that is not the caller's is "not found", whoever owns it).
 */
import { z } from 'zod';
import {
  countSavedViews,
  deleteSavedView,
  savedViewExists,
  savedViewsOf,
  upsertSavedView,
} from '../db/saved-views-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize } from '../domain/roles.ts';
import {
  MAX_VIEWS_PER_PAGE,
  SAVED_VIEW_PAGES,
  SAVED_VIEW_READS,
  type SavedViewInput,
} from '../domain/saved-views.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

export const savedViewListSchema = z.object({ page: z.enum(SAVED_VIEW_PAGES).optional() });

export async function listSavedViews(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof savedViewListSchema>,
) {
  return (await savedViewsOf(ctx.database.db, actor.id, query.page)).map(camelCased);
}

export async function saveView(ctx: AppContext, actor: Actor, key: WriteKey, input: SavedViewInput) {
  // A view of a page one may not open would be a dead link, and a store for text that belongs nowhere.
  authorize(actor, SAVED_VIEW_READS[input.page]);
  return runWrite(
    ctx,
    { actor, action: 'view.save', key, request: input, subject: `user:${actor.id}` },
    async (tx) => {
      const replaces = await savedViewExists(tx, actor.id, input.page, input.name);
      if (!replaces && (await countSavedViews(tx, actor.id, input.page)) >= MAX_VIEWS_PER_PAGE)
        throw new KeelError(
          'constraint_violation',
          `you keep ${MAX_VIEWS_PER_PAGE} views of this page already: delete one first`,
        );
      const id = await upsertSavedView(tx, actor.id, input);
      return { result: { id, replaced: replaces } };
    },
  );
}

export async function removeSavedView(ctx: AppContext, actor: Actor, key: WriteKey, id: bigint) {
  return runWrite(
    ctx,
    { actor, action: 'view.delete', key, request: { id: String(id) }, subject: `user:${actor.id}` },
    async (tx) => {
      if (!(await deleteSavedView(tx, actor.id, id)))
        throw new KeelError('not_found', `you have no saved view ${id}`);
      return { result: { id } };
    },
  );
}
