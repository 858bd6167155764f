/**
 * Reference-rate fixings: imported with their source (a CSV import kind, `rate-fixings`), all rows or none, and
 * read by the facility schedule. A fixing already stored at the same rate is skipped, so overlapping files
 * can be imported one after another; a different rate for a stored day is refused (fixings are published
 * once; see migration 0042).
 */
import { createHash } from 'node:crypto';
import { fixingSummary, insertFixings, storedFixings } from '../../db/credit-fixings-repo.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import {
  type FixingRow,
  firstRepeatedFixing,
  MAX_FIXINGS_PER_IMPORT,
  percentAsRate,
} from '../../domain/credit/fixings.ts';
import { KeelError } from '../../domain/errors.ts';
import { authorize } from '../../domain/roles.ts';
import { type BatchOptions, entryLabel } from '../batch.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { runWrite } from '../write.ts';
import type { WriteKey } from '../write-key.ts';

const sameRate = (a: string, b: string) => {
  const x = percentAsRate(a);
  const y = percentAsRate(b);
  return x.numerator * y.denominator === y.numerator * x.denominator;
};

export async function addRateFixings(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  rows: FixingRow[],
  options: BatchOptions = {},
) {
  authorize(actor, 'credit.write');
  const label = options.label ?? entryLabel;
  if (rows.length > MAX_FIXINGS_PER_IMPORT)
    throw new KeelError(
      'invalid_value',
      `${rows.length.toLocaleString('en-US')} fixings in one import: at most ${MAX_FIXINGS_PER_IMPORT.toLocaleString('en-US')}; split the file`,
    );
  // A fixing is published after its day: one dated later is a slip, and would price periods not yet fixed.
  const future = rows.findIndex((row) => row.date > today());
  if (future >= 0)
    throw new KeelError(
      'invalid_value',
      `${label(future)}: ${rows[future]!.reference} on ${rows[future]!.date} is after today: a fixing is published once its day has come`,
    );
  const repeated = firstRepeatedFixing(rows);
  if (repeated >= 0) {
    const row = rows[repeated]!;
    throw new KeelError(
      'duplicate_id',
      `${label(repeated)}: ${row.reference} on ${row.date} appears twice in the file`,
    );
  }
  // The rows themselves are the request: a replay of the key with other rows must be refused.
  const digest = createHash('sha256').update(canonicalJson(rows)).digest('hex');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.fixings.import',
      key,
      request: { rows: rows.length, sha256: digest },
      subject: 'credit:fixings',
    },
    async (tx) => {
      const stored = await storedFixings(tx, rows);
      const fresh: FixingRow[] = [];
      rows.forEach((row, i) => {
        const before = stored.get(`${row.reference} ${row.date}`);
        if (!before) fresh.push(row);
        else if (!sameRate(before.ratePercent, row.ratePercent))
          throw new KeelError(
            'conflict',
            `${label(i)}: ${row.reference} on ${row.date} is stored at ${before.ratePercent}% (${before.source}), not ${row.ratePercent}%; a published fixing is never replaced`,
          );
      });
      options.signal?.throwIfAborted();
      await insertFixings(tx, fresh, actor.id);
      options.onProgress?.(rows.length, rows.length);
      const result = { added: fresh.length, alreadyStored: rows.length - fresh.length };
      return { result, audit: result };
    },
  );
}

/** What is stored per reference: how many fixings, over which days, the latest and its source. */
export async function rateFixingSummary(ctx: AppContext, actor: Actor) {
  authorize(actor, 'credit.read');
  const rows = await fixingSummary(ctx.database.db);
  return {
    references: rows.map((r) => ({
      reference: r.reference,
      count: Number(r.count),
      firstOn: r.first_on,
      lastOn: r.last_on,
      lastPercent: r.last_percent,
      lastSource: r.last_source,
    })),
  };
}
