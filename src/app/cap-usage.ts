/**
 * Cap usage recomputed from the ledger: the one place that derives it, for the summary as of a date, for audit
 * verify (against the kept `cap_usage` rows) and for a programme load (which rewrites those rows).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Instrument } from '../domain/instruments.ts';
import { type CapUsage, capUsageFromLedger, type Programme } from '../domain/programme.ts';

/** Net commitments (commitments less cancellations) per instrument, sub-area and company, up to a date. */
export const ledgerCapNetsAsOf = (asOf?: string) => sql<{
  instrument: string;
  sub_area_id: string;
  company_id: string;
  net: string;
}>`
  SELECT d.instrument, d.sub_area_id, d.company_id,
         sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END) AS net
  FROM ledger_entries e
  JOIN deals d ON d.id = e.deal_id
  WHERE e.kind IN ('commitment', 'cancellation') AND (${asOf ?? null}::date IS NULL OR e.effective_on <= ${asOf ?? null}::date)
  GROUP BY 1, 2, 3`;

/** Each cap row the ledger draws on under `programme`, with its usage, up to a date (without one: all of it). */
export async function ledgerCapUsage(
  db: Kysely<Schema> | Transaction<Schema>,
  programme: Programme,
  asOf?: string,
): Promise<CapUsage[]> {
  const { rows } = await ledgerCapNetsAsOf(asOf).execute(db);
  return capUsageFromLedger(
    programme,
    rows.map((r) => ({
      instrument: r.instrument as Instrument,
      subAreaId: r.sub_area_id,
      companyId: r.company_id,
      net: BigInt(r.net),
    })),
  );
}
