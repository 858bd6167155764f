import { randomUUID } from 'node:crypto';
import { recordLedgerEntry } from '../../app/ledger.ts';
import { ledgerEntryInputSchema } from '../../domain/deal.ts';
import { formatDollars } from '../../domain/money.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

export interface LedgerAddOptions {
  deal?: string | undefined;
  kind?: string | undefined;
  amount?: string | undefined;
  date?: string | undefined;
  key?: string | undefined;
  note?: string | undefined;
}

export async function ledgerCommand(action: string | undefined, options: LedgerAddOptions): Promise<number> {
  if (action !== 'add')
    throw new UsageError(
      'keel ledger add --deal D --kind K --amount 1234.56 --date YYYY-MM-DD [--key K] [--note N]',
    );
  const entry = parseOrUsage(
    ledgerEntryInputSchema,
    {
      clientKey: options.key ?? `cli:${randomUUID()}`,
      dealId: options.deal,
      kind: options.kind,
      amount: options.amount,
      effectiveOn: options.date,
      note: options.note,
    },
    { clientKey: '--key', dealId: '--deal', amount: '--amount', effectiveOn: '--date' },
  );
  const { result, replayed } = await withKeel((ctx) => recordLedgerEntry(ctx, cliActor(), entry));
  out(
    replayed
      ? `key ${entry.clientKey} was already recorded (entry ${result.firstSeq}); nothing changed\n`
      : `recorded ${entry.kind} of ${formatDollars(entry.amount)} on ${entry.dealId} as entry ${result.firstSeq} (key ${entry.clientKey})\n`,
  );
  return 0;
}
