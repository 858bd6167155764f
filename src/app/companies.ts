import { insertCompanies } from '../db/companies-repo.ts';
import { existingIds } from '../db/sql-helpers.ts';
import type { CompanyInput } from '../domain/company.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize } from '../domain/roles.ts';
import { type BatchOptions, chunks, entryLabel, firstDuplicate } from './batch.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

const CHUNK = 1_000;

/** Adds companies (and their facilities) all or none. Ids must be new. */
export async function addCompanies(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  companies: CompanyInput[],
  options: BatchOptions = {},
) {
  authorize(actor, 'companies.write');
  const label = options.label ?? entryLabel;
  const ids = companies.map((c) => c.id);
  const dup = firstDuplicate(ids);
  if (dup >= 0) throw new KeelError('duplicate_id', `${label(dup)}: company id "${ids[dup]}" appears twice`);

  return runWrite(
    ctx,
    {
      actor,
      action: 'company.add',
      key,
      request: companies,
      subject: companies.length === 1 ? `company:${ids[0]}` : 'companies',
    },
    async (tx) => {
      const existing = await existingIds(tx, 'companies', ids);
      const clash = ids.findIndex((id) => existing.has(id));
      if (clash >= 0)
        throw new KeelError('duplicate_id', `${label(clash)}: company "${ids[clash]}" already exists`);

      for (const { items, end } of chunks(companies, CHUNK)) {
        options.signal?.throwIfAborted();
        await insertCompanies(tx, items);
        options.onProgress?.(end, companies.length);
      }
      return {
        result: { added: companies.length },
        audit: { count: companies.length, first: ids[0] ?? null },
      };
    },
  );
}
