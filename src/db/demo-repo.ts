/** The demo flag of a data folder seeded by `keel demo` (one row at most). */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.ts';

export interface DemoFlag {
  seed: number;
  deals: number;
  source: string;
  asOf: string;
  seededAt: Date | null;
}

export async function readDemoFlag(db: Kysely<Schema>): Promise<DemoFlag | null> {
  const row = await db.selectFrom('demo_flag').selectAll().executeTakeFirst();
  return row
    ? { seed: row.seed, deals: row.deals, source: row.source, asOf: row.as_of, seededAt: row.seeded_at }
    : null;
}

export async function insertDemoFlag(
  tx: Transaction<Schema>,
  flag: { seed: number; deals: number; source: string; as_of: string },
): Promise<void> {
  await tx
    .insertInto('demo_flag')
    .values(flag)
    .onConflict((c) => c.doNothing())
    .execute();
}

export async function completeDemoFlag(tx: Transaction<Schema>): Promise<void> {
  await tx.updateTable('demo_flag').set({ seeded_at: new Date() }).where('seeded_at', 'is', null).execute();
}
