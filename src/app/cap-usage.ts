/**
 * Cap usage recomputed from the ledger: the one place that derives it, for the summary as of a date, for audit
 * verify (against the kept `cap_usage` rows) and for a programme load (which rewrites those rows).
 */
import type { Kysely, Transaction } from 'kysely';
import { commitmentsByCapScope } from '../db/commitments-repo.ts';
import type { Schema } from '../db/schema.ts';
import { type CapUsage, capUsageFromLedger, type Programme } from '../domain/programme.ts';

/** Each cap row the ledger draws on under `programme`, with its usage, up to a date (without one: all of it). */
export async function ledgerCapUsage(
  db: Kysely<Schema> | Transaction<Schema>,
  programme: Programme,
  asOf?: string,
): Promise<CapUsage[]> {
  const rows = await commitmentsByCapScope(db, asOf).execute();
  return capUsageFromLedger(
    programme,
    rows.map((r) => ({
      instrument: r.instrument,
      subAreaId: r.sub_area_id,
      companyId: r.company_id,
      net: BigInt(r.net),
    })),
  );
}
