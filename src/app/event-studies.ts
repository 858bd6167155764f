/**
 * Event studies on imported daily prices. Price files are CSV with the header `ticker,date,close,source`
 * (date as YYYY-MM-DD, close a positive decimal); re-importing a day replaces its close. The market index is
 * a ticker like any other (e.g. SPY); its trading days are the calendar of the study.
 */
import { z } from 'zod';
import { pricesOf, upsertPrices } from '../db/prices-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { eventStudy } from '../domain/event-study.ts';
import { isoDate } from '../domain/fields.ts';
import { authorize } from '../domain/roles.ts';
import type { BatchOptions } from './batch.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

const ticker = z.string().regex(/^[A-Z0-9.^-]{1,15}$/, 'a ticker such as PPTA or ^GSPC');
export const priceRowSchema = z.object({
  ticker,
  date: isoDate,
  close: z
    .string()
    .regex(/^\d{1,14}(\.\d{1,6})?$/, 'a positive decimal with up to 6 places')
    .refine((v) => Number(v) > 0, 'must be above zero'),
  source: z.string().min(1).max(500),
});
export type PriceRow = z.infer<typeof priceRowSchema>;

export async function addPrices(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  rows: PriceRow[],
  options: BatchOptions = {},
) {
  authorize(actor, 'imports.run');
  return runWrite(
    ctx,
    {
      actor,
      action: 'prices.import',
      key,
      request: { rows: rows.length, first: rows[0] },
      subject: 'prices',
    },
    async (tx) => {
      for (let i = 0; i < rows.length; i += 2000) {
        options.signal?.throwIfAborted();
        const chunk = rows.slice(i, i + 2000);
        await upsertPrices(
          tx,
          chunk.map((r) => ({ ticker: r.ticker, day: r.date, close: r.close, source: r.source })),
        );
        options.onProgress?.(Math.min(rows.length, i + chunk.length), rows.length);
      }
      return { result: { added: rows.length }, audit: { count: rows.length } };
    },
  );
}

const window = z.string().regex(/^-?\d{1,3}:-?\d{1,3}$/, 'a window such as -1:1');
export const eventStudyQuerySchema = z.object({
  tickers: z.string().transform((s, c) => {
    const list = s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    for (const t of list)
      if (!ticker.safeParse(t).success) c.addIssue({ code: 'custom', message: `"${t}" is not a ticker` });
    if (!list.length || list.length > 200) c.addIssue({ code: 'custom', message: 'give 1 to 200 tickers' });
    return list;
  }),
  market: ticker,
  event: isoDate,
  estimation: window.default('-250:-11'),
  windows: z
    .string()
    .default('0:0,-1:1,0:5')
    .transform((s, c) =>
      s.split(',').map((w) => {
        if (!window.safeParse(w).success)
          c.addIssue({ code: 'custom', message: `"${w}" is not a window such as -1:1` });
        const [a, b] = w.split(':').map(Number);
        return [a, b] as [number, number];
      }),
    ),
});

export async function runEventStudy(ctx: AppContext, actor: Actor, q: z.infer<typeof eventStudyQuerySchema>) {
  authorize(actor, 'research.read');
  const rows = await pricesOf(ctx.database.db, [q.market, ...q.tickers]);
  const series = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = series.get(r.ticker) ?? new Map<string, number>();
    m.set(String(r.day), Number(r.close));
    series.set(r.ticker, m);
  }
  const marketPrices = series.get(q.market);
  if (!marketPrices)
    throw new KeelError('not_found', `no prices for the market index ${q.market}; import them first`);
  const days = [...marketPrices.keys()];
  const eventIndex = days.findIndex((d) => d >= q.event);
  if (eventIndex < 1)
    throw new KeelError(
      'invalid_event',
      `no trading day of ${q.market} on or after ${q.event} with history before it`,
    );
  const returnsOf = (prices: Map<string, number>) =>
    Float64Array.from(days, (d, i) => {
      const prev = i > 0 ? prices.get(days[i - 1] as string) : undefined;
      const now = prices.get(d);
      return prev !== undefined && now !== undefined ? now / prev - 1 : Number.NaN;
    });
  const [e0, e1] = q.estimation.split(':').map(Number) as [number, number];
  const missing = q.tickers.filter((t) => !series.has(t));
  let result: ReturnType<typeof eventStudy>;
  try {
    result = eventStudy(
      returnsOf(marketPrices),
      eventIndex,
      q.tickers
        .filter((t) => series.has(t))
        .map((t) => ({ ticker: t, returns: returnsOf(series.get(t) as Map<string, number>) })),
      { estimation: [e0, e1], windows: q.windows },
    );
  } catch (error) {
    throw new KeelError('invalid_event_study', (error as Error).message.replace(/^invariant violated: /, ''));
  }
  return {
    market: q.market,
    eventDay: days[eventIndex],
    ...result,
    skipped: [...result.skipped, ...missing.map((t) => ({ ticker: t, reason: 'no prices imported' }))],
  };
}
