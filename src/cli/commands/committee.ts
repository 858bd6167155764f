/**
 * `keel committee`: the agenda with each open question (votes cast, conflicts, who asked), and the chair's
 * record of a decision. Votes are cast by signed-in members in the web app or the API, never typed here.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  addToAgenda,
  agendaInputSchema,
  listAgenda,
  recordDecision,
  removeFromAgenda,
} from '../../app/committee.ts';
import { decisionInputSchema } from '../../domain/committee.ts';
import { rowId } from '../../domain/fields.ts';
import { formatDollars } from '../../domain/money.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const USAGE =
  'keel committee agenda | keel committee add DEAL… --date YYYY-MM-DD [--key K] | keel committee remove ITEM [--key K] | keel committee decide DEAL approve|approve_with_conditions|decline|defer --date YYYY-MM-DD [--conditions "a; b"] [--key K]';

export async function committeeCommand(
  action: string | undefined,
  args: string[],
  options: { date?: string | undefined; conditions?: string | undefined; key?: string | undefined },
): Promise<number> {
  if (action === 'agenda') {
    const items = await withKeel((ctx) => listAgenda(ctx, cliActor()));
    out(
      `${table(
        ['item', 'meeting', 'deal', 'amount', 'question', 'votes', 'conflicts', 'asked by'],
        items.map((i) => [
          String(i.id),
          i.meetingOn,
          i.dealId,
          formatDollars(i.amountCents),
          // A re-approval says what the earlier approval covered.
          i.reapproval && i.approvedAmount !== null
            ? `re-approval (${i.stage}, approved ${formatDollars(i.approvedAmount)})`
            : i.stage,
          i.ballot?.votes.map((v) => `${v.member} ${v.vote}`).join(', ') ?? '',
          i.ballot?.conflicts.map((c) => c.member).join(', ') ?? '',
          i.ballot?.requesters.join(', ') ?? '',
        ]),
        ['r', 'l', 'l', 'r', 'l', 'l', 'l', 'l'],
      )}\n`,
    );
    return 0;
  }
  if (action === 'add') {
    const input = parseOrUsage(
      agendaInputSchema,
      { dealIds: args, meetingOn: options.date, source: 'manual' },
      { dealIds: 'DEAL', meetingOn: '--date' },
    );
    const key = options.key ?? `cli:${randomUUID()}`;
    const { result, replayed } = await withKeel((ctx) => addToAgenda(ctx, cliActor(), key, input));
    out(
      `on the agenda of ${result.meetingOn}: ${result.deals.join(', ')}${replayed ? ' (replayed; nothing changed)' : ''}\n`,
    );
    return 0;
  }
  if (action === 'remove') {
    const { itemId } = parseOrUsage(z.object({ itemId: rowId }), { itemId: args[0] }, { itemId: 'ITEM' });
    const key = options.key ?? `cli:${randomUUID()}`;
    const { result, replayed } = await withKeel((ctx) => removeFromAgenda(ctx, cliActor(), key, itemId));
    out(
      `taken off the agenda of ${result.meetingOn}: ${result.dealId} (item ${result.id}; kept with who took it off)${replayed ? ' (replayed; nothing changed)' : ''}\n`,
    );
    return 0;
  }
  if (action === 'decide') {
    const input = parseOrUsage(
      decisionInputSchema,
      {
        dealId: args[0],
        decision: args[1],
        decidedOn: options.date,
        conditions: (options.conditions ?? '')
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      },
      { dealId: 'DEAL', decision: 'DECISION', decidedOn: '--date' },
    );
    const key = options.key ?? `cli:${randomUUID()}`;
    const { result, replayed } = await withKeel((ctx) => recordDecision(ctx, cliActor(), key, input));
    out(
      `${result.dealId}: ${result.decision} (for ${result.tally.for}, against ${result.tally.against}, abstain ${result.tally.abstain}); the deal is ${result.stage}${replayed ? ' (replayed; nothing changed)' : ''}\n`,
    );
    return 0;
  }
  throw new UsageError(USAGE);
}
