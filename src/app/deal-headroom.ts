import { currentApproval } from '../db/committee-repo.ts';
import { dealRow } from '../db/deals-repo.ts';
import { dealKindSums } from '../db/ledger-repo.ts';
import { keptCapRows } from '../db/programme-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { balancesFromSums, netCommitted } from '../domain/ledger.ts';
import { type Cents, ZERO } from '../domain/money.ts';
import { type CapUsage, capKeysFor, compareCapKeys } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { withHeadroom } from '../domain/summary.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';

/**
 * The caps a deal's commitments draw on (by its instrument, sub-area and company) with their kept usage and
 * headroom now, and what the committee's approval still allows to be committed: what the ledger form shows
 * before a commitment or cancellation is confirmed. The write checks the same rows again under lock, so this
 * is a preview, never a promise.
 */
export async function dealCapHeadroom(ctx: AppContext, actor: Actor, dealId: string) {
  authorize(actor, 'ledger.read');
  const { db } = ctx.database;
  const deal = await dealRow(db, dealId);
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  const { programme } = await currentProgramme(db);
  const keys = capKeysFor(programme, {
    instrument: deal.instrument,
    subAreaId: deal.sub_area_id,
    companyId: deal.company_id,
  });
  const [capRows, approval, sums] = await Promise.all([
    keptCapRows(db, keys),
    currentApproval(db, deal.id),
    dealKindSums(db, [deal.id]),
  ]);
  const kept = new Map(capRows.map((row) => [`${row.capId}\u0000${row.scopeKey}`, row]));
  // A cap row nothing has drawn on yet does not exist: its headroom is the cap's whole limit.
  const rows: CapUsage[] = keys
    .map(
      (key) =>
        kept.get(`${key.capId}\u0000${key.scopeKey}`) ?? {
          capId: key.capId,
          scopeKey: key.scopeKey,
          limit: key.limit as Cents,
          used: ZERO,
        },
    )
    .sort(compareCapKeys);
  return {
    dealId: deal.id,
    caps: withHeadroom(programme, rows),
    // Conditions of the current approval still open: the review warns before a draw or a commitment (a
    // condition precedent is the committee's, and Keel blocks only the move to closing on it).
    openConditions: (approval?.conditions ?? []).filter((c) => c.status === 'open').map((c) => c.text),
    // As the write measures it (ledger-fold's assertWithinApproval): net commitments against the amount.
    approval:
      approval?.amount == null
        ? null
        : {
            approvedAmount: approval.amount,
            netCommitted: netCommitted(balancesFromSums(sums.get(deal.id) ?? {}, null)),
          },
  };
}
