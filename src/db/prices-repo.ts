/** Daily closing prices by ticker (event studies): a day's close is replaced when it is imported again. */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/** Inserts closes, replacing the close and source of a (ticker, day) already stored. */
export async function upsertPrices(
  tx: Transaction<Schema>,
  rows: readonly { ticker: string; day: string; close: string; source: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('prices')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['ticker', 'day'])
        .doUpdateSet((eb) => ({ close: eb.ref('excluded.close'), source: eb.ref('excluded.source') })),
    )
    .execute();
}

/** The closes of `tickers`, oldest day first. */
export const pricesOf = (db: Kysely<Schema>, tickers: readonly string[]) =>
  db
    .selectFrom('prices')
    .select(['ticker', 'day', 'close'])
    .where('ticker', 'in', [...tickers])
    .orderBy('day')
    .execute();
