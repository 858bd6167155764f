/**
 * Names in the order people read them: the database's natural_sort_key (migration 0034) puts "Plant 9"
 * before "Plant 10", and the company index and the company list sort by it on both databases.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { listCompanyPage } from '../../src/app/findability.ts';
import { listCompanies } from '../../src/app/reads.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';

describeOnBackends('natural order of names', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend, { init: false });
  });
  afterAll(() => keel.close());

  it('orders digit runs by value, whatever their length or leading zeros, and ignores case', async () => {
    const names = [
      'co-10',
      'co-9',
      'co-100',
      'Co-1',
      'plant 10',
      'Plant 007',
      'plant 7b',
      'a1b10',
      'a1b2',
      '',
      'x',
    ];
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM unnest(${names}::text[]) AS name ORDER BY natural_sort_key(name), name`.execute(
      keel.database.db,
    );
    expect(rows.map((r) => r.name)).toEqual([
      '',
      'a1b2',
      'a1b10',
      'Co-1',
      'co-9',
      'co-10',
      'co-100',
      'Plant 007',
      'plant 7b',
      'plant 10',
      'x',
    ]);
    // Longer than any fixed padding: 23 digits sorts before 24 digits.
    const big = await sql<{ k: boolean }>`
      SELECT natural_sort_key('n 99999999999999999999999') < natural_sort_key('n 100000000000000000000000') AS k`.execute(
      keel.database.db,
    );
    expect(big.rows[0]!.k).toBe(true);
  });

  it('the company index and the company list sort by it', async () => {
    await addCompanies(
      keel,
      testAdmin,
      'natural-sort-companies',
      ['Yard 10', 'Yard 9', 'yard 100', 'Yard 1'].map((name, i) => ({
        id: `nat-yard-${i}`,
        name,
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (test)',
        synthetic: true,
        facilities: [],
      })),
    );
    const page = await listCompanyPage(keel, testAdmin, {
      q: 'yard',
      sort: 'name',
      dir: 'asc',
      offset: 0,
      limit: 10,
    });
    expect(page.items.map((c) => c.name)).toEqual(['Yard 1', 'Yard 9', 'Yard 10', 'yard 100']);
    const all = (await listCompanies(keel, testAdmin)).filter((c) => c.id.startsWith('nat-yard'));
    expect(all.map((c) => c.name)).toEqual(['Yard 1', 'Yard 9', 'Yard 10', 'yard 100']);
    expect(Object.keys(all[0]!)).not.toContain('nameSort');
  });
});
