/**
 * `keel init`: applies migrations (done on open), then loads the taxonomy, the programme and the public
 * reference deals shipped in data/. Every step is idempotent, so init can run on every start.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { companyInputSchema } from '../domain/company.ts';
import { dealInputSchema, ledgerEntryInputSchema } from '../domain/deal.ts';
import { parseDollars } from '../domain/money.ts';
import { addCompanies } from './companies.ts';
import type { Actor, AppContext } from './context.ts';
import { openDeals } from './deals.ts';
import { recordLedgerEntries } from './ledger.ts';
import { loadProgramme } from './programme.ts';
import { loadTaxonomy } from './taxonomy.ts';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');
export const REFERENCE_PROGRAMME = join(DATA_DIR, 'programme', 'sri-reference.json');
export const REFERENCE_TAXONOMY = join(DATA_DIR, 'taxonomy', 'sri-taxonomy.json');
export const REFERENCE_DEALS = join(DATA_DIR, 'reference', 'public-deals.json');

const dollarsText = z.string().transform((text) => parseDollars(text));
const referenceDealsSchema = z.object({
  source: z.string(),
  companies: z.array(companyInputSchema),
  deals: z.array(dealInputSchema.extend({ amount: dollarsText })),
  ledger: z.array(ledgerEntryInputSchema.extend({ amount: dollarsText })),
});

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export interface InitReport {
  taxonomy: { areas: number; subAreas: number };
  programmeVersion: number;
  methodologyVersion: number;
  referenceDeals: number;
}

export async function initKeel(
  ctx: AppContext,
  actor: Actor,
  options: { programmeFile?: string; withReferenceDeals?: boolean } = {},
): Promise<InitReport> {
  const taxonomy = await loadTaxonomy(ctx, actor, readJson(REFERENCE_TAXONOMY));
  const programme = await loadProgramme(ctx, actor, readJson(options.programmeFile ?? REFERENCE_PROGRAMME));
  let referenceDeals = 0;
  if (options.withReferenceDeals !== false) {
    const text = readFileSync(REFERENCE_DEALS, 'utf8');
    const reference = referenceDealsSchema.parse(JSON.parse(text));
    const key = `reference:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    await addCompanies(ctx, actor, `${key}:companies`, reference.companies);
    await openDeals(ctx, actor, `${key}:deals`, reference.deals);
    await recordLedgerEntries(ctx, actor, `${key}:ledger`, reference.ledger);
    referenceDeals = reference.deals.length;
  }
  return {
    taxonomy: taxonomy.result,
    programmeVersion: programme.result.version,
    methodologyVersion: programme.result.methodologyVersion,
    referenceDeals,
  };
}
