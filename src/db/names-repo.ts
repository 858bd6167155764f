/**
 * Names for the ids a report would otherwise print: areas and sub-areas from the taxonomy, companies from
 * the companies table. Reads only; each aggregate's writes stay in its own repository.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface NameBook {
  area(id: string): string;
  /** A cap's scope: a sub-area or a company by name, '*' as the whole programme. */
  scope(key: string): string;
}

export async function nameBook(db: Kysely<Schema>, companyIds: readonly string[]): Promise<NameBook> {
  const [areas, subAreas, companies] = await Promise.all([
    db.selectFrom('areas').select(['id', 'name']).execute(),
    db.selectFrom('sub_areas').select(['id', 'name']).execute(),
    companyIds.length
      ? db
          .selectFrom('companies')
          .select(['id', 'name'])
          .where('id', 'in', [...companyIds])
          .execute()
      : Promise.resolve([]),
  ]);
  const byId = (rows: Array<{ id: string; name: string }>) => new Map(rows.map((r) => [r.id, r.name]));
  const areaNames = byId(areas);
  const scopeNames = new Map([...byId(subAreas), ...byId(companies)]);
  return {
    area: (id) => areaNames.get(id) ?? id,
    scope: (key) => (key === '*' ? 'whole programme' : (scopeNames.get(key) ?? key)),
  };
}
