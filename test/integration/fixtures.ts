import { addCompanies } from '../../src/app/companies.ts';
import type { AppContext } from '../../src/app/context.ts';
import { openDeals } from '../../src/app/deals.ts';
import type { DealInput, LedgerEntryInput } from '../../src/domain/deal.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import type { Instrument } from '../../src/domain/instruments.ts';
import type { EntryKind } from '../../src/domain/ledger.ts';
import { cents } from '../../src/domain/money.ts';
import { FIRST_STAGE, type Stage } from '../../src/domain/stages.ts';
import { testAdmin } from '../principals.ts';

/**
 * Opens `count` synthetic deals, one company each, by default in a fundable stage (`approved`). A deal past
 * the first stage is brought in by the test admin as a historical import carrying `decisionRef` (an
 * approval recorded elsewhere for the stages past the committee), so commitments to it are accepted.
 */
export async function seedDeals(
  ctx: AppContext,
  options: {
    prefix: string;
    count: number;
    instrument?: Instrument;
    subAreaId?: string;
    stage?: Stage;
    amount?: bigint;
    /** Reference of the decision taken elsewhere; defaults to a synthetic one for deals past `sourced`. */
    decisionRef?: string;
  },
): Promise<string[]> {
  const ids = Array.from({ length: options.count }, (_, i) => `${options.prefix}-${i}`);
  await addCompanies(
    ctx,
    testAdmin,
    `seed:${options.prefix}:companies`,
    ids.map((id) => ({
      id: `${id}-co`,
      name: `Synthetic ${id}`,
      usBased: true,
      existingClient: false,
      foreignControl: false,
      source: 'synthetic (test)',
      synthetic: true,
      facilities: [],
    })),
  );
  const stage = options.stage ?? 'approved';
  const deals: DealInput[] = ids.map((id) => ({
    id,
    companyId: `${id}-co`,
    subAreaId: options.subAreaId ?? 'critical-minerals',
    instrument: options.instrument ?? 'term_loan',
    amount: cents(options.amount ?? 100_000_000n),
    stage,
    ...(stage === FIRST_STAGE
      ? {}
      : { historicalDecisionRef: options.decisionRef ?? `synthetic decision (test ${options.prefix})` }),
    classification: 'incremental',
    openedOn: asIsoDate('2026-01-15'),
    team: [],
    source: 'synthetic (test)',
    synthetic: true,
  }));
  await openDeals(ctx, testAdmin, `seed:${options.prefix}:deals`, deals);
  return ids;
}

export const entry = (
  clientKey: string,
  dealId: string,
  kind: EntryKind,
  amount: bigint,
  effectiveOn = '2026-03-31',
): LedgerEntryInput => ({
  clientKey,
  dealId,
  kind,
  amount: cents(amount),
  effectiveOn: asIsoDate(effectiveOn),
});
