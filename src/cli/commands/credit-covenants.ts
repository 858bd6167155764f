/** `keel credit covenants | watchlist | financials`: covenant tests, the watchlist, and financials from CSV. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  asOfQuerySchema,
  facilityCovenants,
  financialsInputSchema,
  recordFinancials,
  watchlist,
} from '../../app/credit/covenants.ts';
import { type CovenantKind, milliText } from '../../domain/credit/covenants.ts';
import { slug } from '../../domain/fields.ts';
import { jsonText } from '../../domain/json-text.ts';
import { formatDollars } from '../../domain/money.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const json = (value: unknown) => `${jsonText(value, 2)}\n`;

const KIND_LABEL: Record<CovenantKind, string> = {
  max_leverage: 'maximum leverage',
  min_dscr: 'minimum DSCR',
  min_liquidity: 'minimum liquidity',
};

/** A threshold as people read it: 3.50× for a ratio (held ×1000), dollars for liquidity. */
export const thresholdText = (kind: CovenantKind, threshold: bigint) =>
  kind === 'min_liquidity' ? formatDollars(threshold) : `${milliText(threshold)}×`;

const actualText = (kind: CovenantKind, actual: string | null) =>
  actual === null ? '—' : kind === 'min_liquidity' ? formatDollars(BigInt(actual)) : `${actual}×`;

/** What an action rests on: its credit question, or for one recorded before those the deal decision it cited. */
const approvalText = (action: { questionId: bigint | null; committeeDecisionId: bigint | null }) =>
  action.questionId !== null
    ? `credit question ${action.questionId}`
    : `deal decision ${action.committeeDecisionId}`;

const STATUS_LABEL = { pass: 'pass', breach: 'BREACH', not_tested: 'not tested' } as const;

export async function covenantsCommand(
  facility: string | undefined,
  options: { asOf?: string | undefined; json: boolean },
) {
  const id = parseOrUsage(slug, facility, {});
  const query = parseOrUsage(asOfQuerySchema, { asOf: options.asOf }, {});
  const view = await withKeel((ctx) => facilityCovenants(ctx, cliActor(), id, query));
  if (options.json) {
    out(json(view));
    return 0;
  }
  const rows = view.covenants.flatMap((c) =>
    c.tests.map((t) => [
      `${KIND_LABEL[c.kind]} ${thresholdText(c.kind, c.threshold)}`,
      t.testOn,
      STATUS_LABEL[t.status],
      actualText(c.kind, t.actual),
      t.action ? `${t.action.action} (${approvalText(t.action)})` : t.reason,
    ]),
  );
  out(
    `${id}: ${view.covenants.length} covenant(s), tests up to ${view.asOf}\n${table(['covenant', 'test date', 'result', 'actual', 'note'], rows)}\n`,
  );
  return 0;
}

export async function watchlistCommand(options: { asOf?: string | undefined; json: boolean }) {
  const query = parseOrUsage(asOfQuerySchema, { asOf: options.asOf }, {});
  const list = await withKeel((ctx) => watchlist(ctx, cliActor(), query));
  if (options.json) {
    out(json(list));
    return 0;
  }
  const rows = list.obligors.flatMap((o) =>
    o.breaches.map((b) => [
      o.companyName,
      b.dealName ?? b.facilityId,
      `${KIND_LABEL[b.kind]} ${thresholdText(b.kind, b.threshold)}`,
      b.testOn,
      actualText(b.kind, b.actual),
      b.action ? b.action.action : 'open',
    ]),
  );
  out(
    `Watchlist as of ${list.asOf}: ${list.count} obligor(s)\n${table(['obligor', 'deal', 'covenant', 'test date', 'actual', 'status'], rows)}\n`,
  );
  return 0;
}

const HEADER = ['company_id', 'period_end', 'ebitda', 'net_debt', 'cfads', 'debt_service', 'liquidity'];

/** `keel credit financials FILE.csv`: every row or none, under one key (a rerun with the key changes nothing). */
export async function financialsCommand(file: string | undefined, options: { key?: string | undefined }) {
  if (!file)
    throw new UsageError(`keel credit financials FILE.csv [--key K]  (columns: ${HEADER.join(',')})`);
  // The CSV reader the imports use (csv-parse), not the research releases' own.
  let rows: string[][];
  try {
    rows = parse(readFileSync(callerPath(file), 'utf8'), { skip_empty_lines: true, trim: true });
  } catch (error) {
    // A malformed file (an open quote, a short row) is the caller's to mend: say where, record nothing.
    throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const records = rows.map((cells) => ({ cells }));
  const [head, ...body] = records;
  if (!head || head.cells.join(',') !== HEADER.join(',')) {
    throw new UsageError(`${file}: the first line must be ${HEADER.join(',')}`);
  }
  const input = parseOrUsage(
    financialsInputSchema,
    {
      rows: body.map(({ cells }) => ({
        companyId: cells[0],
        periodEnd: cells[1],
        ebitda: cells[2],
        netDebt: cells[3],
        cfads: cells[4],
        debtService: cells[5],
        liquidity: cells[6],
      })),
    },
    {},
  );
  const key = parseOrUsage(z.string().min(1).max(200), options.key ?? `cli:${randomUUID()}`, {});
  const { result, replayed } = await withKeel((ctx) => recordFinancials(ctx, cliActor(), key, input));
  out(
    `${result.recorded} period(s) of financials recorded${replayed ? ' (replayed; nothing changed)' : ''}\n`,
  );
  return 0;
}
