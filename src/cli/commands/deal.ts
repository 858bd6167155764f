import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listDeals, moveDealStage } from '../../app/deals.ts';
import { slug } from '../../domain/fields.ts';
import { formatDollars } from '../../domain/money.ts';
import { STAGES } from '../../domain/stages.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const moveSchema = z.object({ dealId: slug, to: z.enum(STAGES), key: z.string().min(1).max(200) });

export async function dealCommand(
  action: string | undefined,
  args: string[],
  options: { key?: string | undefined; stage?: string | undefined },
) {
  if (action === 'move') {
    const input = parseOrUsage(
      moveSchema,
      { dealId: args[0], to: args[1], key: options.key ?? `cli:${randomUUID()}` },
      { dealId: 'DEAL', to: 'STAGE' },
    );
    const { result, replayed } = await withKeel((ctx) => moveDealStage(ctx, cliActor(), input));
    out(`${result.dealId}: ${result.from} → ${result.to}${replayed ? ' (replayed; nothing changed)' : ''}\n`);
    return 0;
  }
  if (action === 'list') {
    const stage = options.stage ? parseOrUsage(z.enum(STAGES), options.stage, {}) : undefined;
    const deals = await withKeel((ctx) => listDeals(ctx, cliActor(), stage ? { stage } : {}));
    out(
      `${table(
        ['deal', 'company', 'sub-area', 'instrument', 'amount', 'stage'],
        deals.map((d) => [
          d.id,
          d.company,
          d.subAreaId,
          d.instrument,
          formatDollars(d.amountCents),
          d.stage + (d.synthetic ? ' (synthetic)' : ''),
        ]),
        ['l', 'l', 'l', 'l', 'r', 'l'],
      )}\n`,
    );
    return 0;
  }
  throw new UsageError('keel deal list [--stage S] | keel deal move DEAL STAGE [--key K]');
}
