/**
 * Names for the ids a report would otherwise print: areas and sub-areas from the taxonomy, companies from
 * the companies table, each read through its own aggregate's repository.
 */
import type { Kysely } from 'kysely';
import { companyNames } from './companies-repo.ts';
import type { Schema } from './schema.ts';
import { settleAll } from './sql-helpers.ts';
import { areaNames, subAreaNames } from './taxonomy-repo.ts';

export interface NameBook {
  area(id: string): string;
  /** A cap's scope: a sub-area or a company by name, '*' as the whole programme. */
  scope(key: string): string;
}

export async function nameBook(db: Kysely<Schema>, companyIds: readonly string[]): Promise<NameBook> {
  const [areas, subAreas, companies] = await settleAll([
    areaNames(db),
    subAreaNames(db),
    companyNames(db, companyIds),
  ]);
  const byId = (rows: Array<{ id: string; name: string }>) => new Map(rows.map((r) => [r.id, r.name]));
  const areaById = byId(areas);
  const scopeNames = new Map([...byId(subAreas), ...byId(companies)]);
  return {
    area: (id) => areaById.get(id) ?? id,
    scope: (key) => (key === '*' ? 'whole programme' : (scopeNames.get(key) ?? key)),
  };
}
