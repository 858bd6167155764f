/**
 * Editing a deal. A change to what the ledger counts the deal's money by moves what is kept beside the
 * ledger in the same transaction: the deal's net commitments leave the cap rows and commitment totals of
 * its old sub-area, instrument or classification and join the new ones, and a cap the move would break
 * refuses the amendment. Lock order as for every ledger write: idempotency key → programme version → deal
 * → cap rows (key order) → commitment totals (key order) → audit head.
 */
import type { Transaction } from 'kysely';
import { type CommitmentTotalDelta, commitmentTotalsUpsert, dealNetByYear } from '../db/commitments-repo.ts';
import { currentApproval, withdrawOpenVotes } from '../db/committee-repo.ts';
import { amendDealRow, lockDealForEdit } from '../db/deals-repo.ts';
import { dealEntryKinds } from '../db/ledger-repo.ts';
import { capRowsUpdate, lockCapRows, newestVersionNumber } from '../db/programme-repo.ts';
import type { Schema } from '../db/schema.ts';
import { existingIds } from '../db/sql-helpers.ts';
import { awaitsReapproval } from '../domain/committee.ts';
import { assertAmendment, type DealAmendmentInput, dealChanges } from '../domain/deal-amendment.ts';
import { KeelError } from '../domain/errors.ts';
import { EQUITY_INSTRUMENTS, type Instrument } from '../domain/instruments.ts';
import { formatDollars } from '../domain/money.ts';
import { capKeysFor, compareCapKeys, compareCodeUnits, type Programme } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { FUNDABLE_STAGES } from '../domain/stages.ts';
import type { Actor, AppContext } from './context.ts';
import { assertStillCurrent, lockCurrentProgramme } from './programme.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

type DealRow = NonNullable<Awaited<ReturnType<typeof lockDealForEdit>>>;

export async function amendDeal(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  dealId: string,
  input: DealAmendmentInput,
) {
  authorize(actor, 'deals.write');
  return runWrite(
    ctx,
    { actor, action: 'deal.amend', key, request: { dealId, ...input }, subject: `deal:${dealId}` },
    async (tx) => {
      // The programme version is locked first (shared, as every ledger write does) when the edit may move
      // cap usage; the deal row is locked before anything is read from it.
      const moves = input.subAreaId ?? input.instrument ?? input.classification;
      const locked = moves === undefined ? null : await lockCurrentProgramme(tx);
      const deal = await lockDealForEdit(tx, dealId);
      if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
      const kinds = await dealEntryKinds(tx, dealId);
      const changes = dealChanges(
        {
          name: deal.name ?? null,
          team: deal.team,
          announcedOn: deal.announced_on,
          source: deal.source,
          amount: deal.amount_cents,
          subAreaId: deal.sub_area_id,
          instrument: deal.instrument,
          classification: deal.classification,
        },
        input,
      );
      assertAmendment(changes, kinds.size > 0, input.reason);
      const changed = new Set(changes.map((c) => c.field));
      if (changed.has('subAreaId') && !(await existingIds(tx, 'sub_areas', [input.subAreaId!])).size)
        throw new KeelError(
          'unknown_sub_area',
          `field subAreaId: no sub-area "${input.subAreaId}" in the taxonomy`,
        );
      if (changed.has('instrument') && kinds.has('valuation') && !EQUITY_INSTRUMENTS.has(input.instrument!))
        throw new KeelError(
          'ledger_rule',
          `deal ${dealId} carries valuation marks, which apply to equity positions only: it cannot become ${input.instrument}`,
        );
      const after = {
        instrument: (input.instrument ?? deal.instrument) as Instrument,
        subAreaId: input.subAreaId ?? deal.sub_area_id,
        classification: input.classification ?? deal.classification,
      };
      if (locked && (changed.has('subAreaId') || changed.has('instrument') || changed.has('classification')))
        await moveKeptTotals(tx, locked.programme, deal, after);
      if (locked) assertStillCurrent(locked, await newestVersionNumber(tx));

      await amendDealRow(
        tx,
        dealId,
        {
          ...(changed.has('name') ? { name: input.name! } : {}),
          ...(changed.has('team') ? { team: JSON.stringify(input.team) } : {}),
          ...(changed.has('announcedOn') ? { announced_on: input.announcedOn ?? null } : {}),
          ...(changed.has('source') ? { source: input.source! } : {}),
          ...(changed.has('amount') ? { amount_cents: input.amount! } : {}),
          ...(changed.has('subAreaId') ? { sub_area_id: after.subAreaId } : {}),
          ...(changed.has('instrument') ? { instrument: after.instrument } : {}),
          ...(changed.has('classification') ? { classification: after.classification } : {}),
        },
        changes.map((c) => ({
          deal_id: dealId,
          field: c.field,
          from_value: c.from,
          to_value: c.to,
          reason: input.reason ?? null,
          amended_by: actor.id,
        })),
      );
      // Votes are cast on an amount: once it changes, the open votes no longer answer the question before the
      // committee, and the members vote again on the new one (a vote cast for $1M never approves $50M).
      const votesWithdrawn = changed.has('amount') ? await withdrawOpenVotes(tx, dealId) : 0;
      // Raising the amount of an approved deal past its approval asks the committee again: commitments stay
      // within the approved amount until it re-approves (the ledger's gate), and the deal can go on the agenda.
      const newAmount = changed.has('amount') ? input.amount : undefined;
      const approval =
        newAmount !== undefined && FUNDABLE_STAGES.has(deal.stage) ? await currentApproval(tx, dealId) : null;
      const reapproval =
        newAmount !== undefined &&
        awaitsReapproval({ stage: deal.stage, amount: newAmount }, approval?.amount);
      return {
        result: {
          dealId,
          amended: changes.map((c) => c.field),
          awaitsReapproval: reapproval,
          votesWithdrawn,
          ...(approval?.amount ? { approvedAmount: approval.amount } : {}),
        },
        audit: {
          changes,
          ...(input.reason ? { reason: input.reason } : {}),
          ...(votesWithdrawn ? { votesWithdrawn } : {}),
        },
      };
    },
  );
}

/**
 * Moves the deal's net commitments (per year) from the kept totals and cap rows of its old sub-area,
 * instrument and classification to the new ones. Only money is moved; a deal the ledger holds no net
 * commitment in moves nothing.
 */
async function moveKeptTotals(
  tx: Transaction<Schema>,
  programme: Programme,
  deal: DealRow,
  after: { instrument: Instrument; subAreaId: string; classification: DealRow['classification'] },
) {
  const years = (await dealNetByYear(tx, deal.id)).map((r) => ({ year: r.year, net: BigInt(r.net) }));
  const net = years.reduce((sum, y) => sum + y.net, 0n);
  if (net === 0n && years.every((y) => y.net === 0n)) return;
  const before = {
    instrument: deal.instrument,
    subAreaId: deal.sub_area_id,
    classification: deal.classification,
  };

  // Cap rows: what leaves the old scopes, what joins the new ones (a cap with the same scope both sides nets out).
  const usage = new Map<string, { capId: string; scopeKey: string; limit: bigint; delta: bigint }>();
  const shift = (target: typeof before, sign: bigint) => {
    for (const k of capKeysFor(programme, { ...target, companyId: deal.company_id })) {
      const id = `${k.capId}\u0000${k.scopeKey}`;
      const row = usage.get(id) ?? { ...k, delta: 0n };
      row.delta += sign * net;
      usage.set(id, row);
    }
  };
  shift(before, -1n);
  shift(after, 1n);
  const moving = [...usage.values()].filter((u) => u.delta !== 0n).sort(compareCapKeys);
  const rows = await lockCapRows(tx, moving);
  const caps = new Map(programme.caps.map((c) => [c.id, c]));
  for (const row of rows) {
    const { delta } = usage.get(`${row.capId}\u0000${row.scopeKey}`)!;
    row.used += delta;
    if (delta > 0n && row.used > row.limit) {
      const scope = row.scopeKey === '*' ? 'programme-wide' : `for ${row.scopeKey}`;
      throw new KeelError(
        'cap_exceeded',
        `moving this deal's net commitment of ${formatDollars(net)} would exceed the cap "${caps.get(row.capId)?.label ?? row.capId}" (${scope}): limit ${formatDollars(row.limit)}, used after ${formatDollars(row.used)}`,
        { capId: row.capId, scopeKey: row.scopeKey },
      );
    }
  }
  if (rows.length) await capRowsUpdate(rows).execute(tx);

  const totals = new Map<string, CommitmentTotalDelta>();
  const add = (target: typeof before, year: number, amount: bigint) => {
    const id = `${target.instrument}|${target.classification}|${target.subAreaId}|${year}`;
    const slot = totals.get(id) ?? { ...target, year, net: 0n };
    slot.net += amount;
    totals.set(id, slot);
  };
  for (const y of years) {
    add(before, y.year, -y.net);
    add(after, y.year, y.net);
  }
  const deltas = [...totals.entries()]
    .filter(([, d]) => d.net !== 0n)
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([, d]) => d);
  if (deltas.length) await commitmentTotalsUpsert(deltas).execute(tx);
}
