import { anyOf } from '../db/sql-helpers.ts';
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
      const existing = new Set(
        (await tx.selectFrom('companies').select('id').where('id', '=', anyOf(ids)).execute()).map(
          (row) => row.id,
        ),
      );
      const clash = ids.findIndex((id) => existing.has(id));
      if (clash >= 0)
        throw new KeelError('duplicate_id', `${label(clash)}: company "${ids[clash]}" already exists`);

      for (const { items, end } of chunks(companies, CHUNK)) {
        options.signal?.throwIfAborted();
        await tx
          .insertInto('companies')
          .values(
            items.map((c) => ({
              id: c.id,
              name: c.name,
              us_based: c.usBased,
              hq_city: c.hqCity ?? null,
              hq_state_fips: c.hqStateFips ?? null,
              hq_county_fips: c.hqCountyFips ?? null,
              ticker: c.ticker ?? null,
              existing_client: c.existingClient,
              ownership_note: c.ownershipNote ?? null,
              foreign_control: c.foreignControl,
              foreign_control_note: c.foreignControlNote ?? null,
              source: c.source,
              synthetic: c.synthetic,
            })),
          )
          .execute();
        const facilities = items.flatMap((c) =>
          c.facilities.map((f) => ({
            company_id: c.id,
            name: f.name,
            kind: f.kind,
            city: f.city ?? null,
            state_fips: f.stateFips,
            county_fips: f.countyFips ?? null,
            jobs: f.jobs ?? null,
            source: f.source,
          })),
        );
        if (facilities.length) await tx.insertInto('facilities').values(facilities).execute();
        options.onProgress?.(end, companies.length);
      }
      return {
        result: { added: companies.length },
        audit: { count: companies.length, first: ids[0] ?? null },
      };
    },
  );
}
