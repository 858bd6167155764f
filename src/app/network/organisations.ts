/** Organisations and their relationships: added in batches (the app, the API, CSV imports), all or none. */
import { insertOrganisations, insertRelationships, organisationRows } from '../../db/network-repo.ts';
import { existingIds } from '../../db/sql-helpers.ts';
import { KeelError } from '../../domain/errors.ts';
import type { Organisation, Relationship } from '../../domain/network.ts';
import { authorize } from '../../domain/roles.ts';
import { type BatchOptions, entryLabel, firstDuplicate } from '../batch.ts';
import { camelCased } from '../camel-case.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';
import type { WriteKey } from '../write-key.ts';

export async function addOrganisations(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  organisations: Organisation[],
  options: BatchOptions = {},
) {
  authorize(actor, 'network.write');
  const label = options.label ?? entryLabel;
  const ids = organisations.map((o) => o.id);
  const dup = firstDuplicate(ids);
  if (dup >= 0)
    throw new KeelError('duplicate_id', `${label(dup)}: organisation "${ids[dup]}" appears twice`);
  return runWrite(
    ctx,
    {
      actor,
      action: 'network.organisations.add',
      key,
      request: organisations,
      subject: 'network:organisations',
    },
    async (tx) => {
      const existing = await existingIds(tx, 'organisations', ids);
      const companies = await existingIds(
        tx,
        'companies',
        organisations.flatMap((o) => (o.companyId ? [o.companyId] : [])),
      );
      organisations.forEach((o, i) => {
        if (existing.has(o.id))
          throw new KeelError('duplicate_id', `${label(i)}: organisation "${o.id}" already exists`);
        if (o.companyId && !companies.has(o.companyId)) {
          throw new KeelError(
            'unknown_company',
            `${label(i)}, field company_id: no company "${o.companyId}"`,
          );
        }
      });
      await insertOrganisations(tx, organisations, actor.id);
      options.onProgress?.(organisations.length, organisations.length);
      return { result: { added: organisations.length }, audit: { count: organisations.length } };
    },
  );
}

export async function addRelationships(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  relationships: Relationship[],
  options: BatchOptions = {},
) {
  authorize(actor, 'network.write');
  const label = options.label ?? entryLabel;
  return runWrite(
    ctx,
    {
      actor,
      action: 'network.relationships.add',
      key,
      request: relationships,
      subject: 'network:relationships',
    },
    async (tx) => {
      const orgIds = [
        ...new Set(
          relationships.flatMap((r) => [
            r.toOrganisation,
            ...(r.fromOrganisation ? [r.fromOrganisation] : []),
          ]),
        ),
      ];
      const known = await existingIds(tx, 'organisations', orgIds);
      const deals = await existingIds(
        tx,
        'deals',
        relationships.flatMap((r) => (r.dealId ? [r.dealId] : [])),
      );
      relationships.forEach((r, i) => {
        for (const [column, id] of [
          ['from_organisation', r.fromOrganisation],
          ['to_organisation', r.toOrganisation],
        ] as const) {
          if (id && !known.has(id))
            throw new KeelError(
              'unknown_organisation',
              `${label(i)}, field ${column}: no organisation "${id}"`,
            );
        }
        if (r.dealId && !deals.has(r.dealId))
          throw new KeelError('not_found', `${label(i)}, field deal_id: no deal "${r.dealId}"`);
      });
      await insertRelationships(tx, relationships, actor.id);
      options.onProgress?.(relationships.length, relationships.length);
      return { result: { added: relationships.length }, audit: { count: relationships.length } };
    },
  );
}

export async function listOrganisations(ctx: AppContext, actor: Actor) {
  authorize(actor, 'network.read');
  return (await organisationRows(ctx.database.db)).map(camelCased);
}
