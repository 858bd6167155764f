/**
 * The tables Keel keeps beside the ledger (net commitment totals for the summary, cap usage for the limits,
 * deal balances for the rules of the next write) must equal what the ledger gives. An edit to one of them,
 * or a ledger edit they did not follow, shows here.
 */
import { firstDealBalanceMismatch } from '../db/ledger-repo.ts';
import { keptCapUsage } from '../db/programme-repo.ts';
import { formatDollars } from '../domain/money.ts';
import type { AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { capUsageAsOf, commitmentTotalsMismatches } from './summary.ts';

export interface DerivedFault {
  table: 'commitment_totals' | 'cap_usage' | 'deal_balances';
  reason: string;
}

export async function findDerivedFault(ctx: AppContext): Promise<DerivedFault | null> {
  const [totals] = await commitmentTotalsMismatches(ctx);
  if (totals) {
    const [instrument, classification, subArea, year] = totals.key.split('|');
    return {
      table: 'commitment_totals',
      reason: `commitment_totals for ${instrument}, ${classification}, ${subArea}, ${year} says ${formatDollars(totals.totals)} but the ledger gives ${formatDollars(totals.ledger)}`,
    };
  }
  const balance = await firstDealBalanceMismatch(ctx.database.db);
  if (balance) {
    const says = balance.kind === 'valuation' ? 'a latest mark of' : 'a total of';
    return {
      table: 'deal_balances',
      reason: `deal_balances for deal ${balance.dealId}, ${balance.kind} says ${says} ${formatDollars(balance.kept)} but the ledger gives ${formatDollars(balance.ledger)}`,
    };
  }
  const { programme } = await currentProgramme(ctx.database.db);
  const fromLedger = new Map(
    (await capUsageAsOf(ctx, programme)).map((r) => [`${r.capId}\u0000${r.scopeKey}`, r.used as bigint]),
  );
  const kept = await keptCapUsage(ctx.database.db);
  const keptUsage = new Map(kept.map((r) => [`${r.capId}\u0000${r.scopeKey}`, r.used]));
  const capIds = new Set(programme.caps.map((c) => c.id));
  for (const key of new Set([...fromLedger.keys(), ...keptUsage.keys()])) {
    const [capId, scopeKey] = key.split('\u0000') as [string, string];
    if (!capIds.has(capId)) continue; // a cap of an earlier programme version: no longer enforced
    const used = keptUsage.get(key) ?? 0n;
    const ledger = fromLedger.get(key) ?? 0n;
    if (used !== ledger)
      return {
        table: 'cap_usage',
        reason: `cap_usage for cap ${capId}, scope ${scopeKey} says ${formatDollars(used)} used but the ledger gives ${formatDollars(ledger)}`,
      };
  }
  return null;
}
