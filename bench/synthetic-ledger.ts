/**
 * A synthetic book for the read-path benchmarks: 1,000 companies and 5,000 deals (or `size`) from the seeded
 * generator (seed 7, labelled synthetic), and `rows` ledger commitments written with INSERT … SELECT
 * (deterministic formula), after which the summary's kept totals are rebuilt from the ledger.
 */
import { sql } from 'kysely';
import { addCompanies } from '../src/app/companies.ts';
import type { AppContext } from '../src/app/context.ts';
import { openDeals } from '../src/app/deals.ts';
import { initKeel } from '../src/app/init.ts';
import { rebuildKeptTotals } from '../src/app/summary.ts';
import { syntheticBook } from '../src/domain/synthetic.ts';

const admin = { id: 'bench', role: 'admin' } as const;

export async function seedSyntheticLedger(
  keel: AppContext,
  rows: number,
  name: string,
  size: { companies: number; deals: number } = { companies: 1_000, deals: 5_000 },
): Promise<void> {
  await initKeel(keel, admin, { withReferenceDeals: false });
  const subAreas = (await keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
  const book = syntheticBook(7, size, subAreas);
  await addCompanies(keel, admin, 'bench-co', book.companies);
  await openDeals(keel, admin, 'bench-deals', book.deals);
  const started = Date.now();
  for (let from = 0; from < rows; from += 100_000) {
    const to = Math.min(rows, from + 100_000);
    await sql`
      INSERT INTO ledger_entries (client_key, deal_id, kind, amount_cents, effective_on, note, recorded_by)
      SELECT 'syn-7-' || g, 'syn-deal-7-' || (g % ${size.deals}), 'commitment', 100000 + (g::bigint * 7919) % 100000000,
             date '2026-01-01' + (g % 3650), 'synthetic (seed 7)', 'bench'
      FROM generate_series(${from + 1}::int, ${to}::int) AS g`.execute(keel.database.db);
    process.stderr.write(`\r${name}: ${to.toLocaleString('en-US')} synthetic rows`);
  }
  // The rows went in by INSERT … SELECT, past the ledger use case: bring the kept totals in step.
  await rebuildKeptTotals(keel, admin);
  await sql`ANALYZE`.execute(keel.database.db);
  process.stderr.write(` (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
