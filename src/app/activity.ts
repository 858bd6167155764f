/**
 * A deal's and a company's activity, from the audit log: every audited write whose subject is the deal (or
 * the company and its deals), newest first. A row says who did what and when, with a short description of
 * what changed; the write's full request stays in the audit log, for the roles that audit (committee votes
 * and wall-crossing reasons are not for every reader of a deal).
 *
 * Writes of several deals at once (a batch import, a multi-deal ledger batch) have a batch subject and are
 * in the audit log, not in a deal's timeline; the deal's ledger rows and stage history show their effect.
 */
import { dealIdsOfCompany } from '../db/deals-repo.ts';
import { existingIds } from '../db/sql-helpers.ts';
import { KeelError } from '../domain/errors.ts';
import { formatDollars } from '../domain/money.ts';
import { authorize } from '../domain/roles.ts';
import { auditLogRow, namesIn, searchLog } from './audit-log.ts';
import type { Actor, AppContext } from './context.ts';

/** Rows in a timeline: the newest ones; the audit log viewer has the rest. */
export const TIMELINE_ROWS = 200;

export interface ActivityRow {
  seq: bigint;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  /** What changed, in a few words, from the fields of the request that every reader of the deal may see. */
  summary: string;
}

type Request = Record<string, unknown>;
const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** An amount in cents (canonical JSON brings bigints back as bigints), in dollars. */
const dollars = (value: unknown) => (typeof value === 'bigint' ? formatDollars(value) : 'an amount');

/** Only fields a deal's readers see on the deal page anyway: stages, kinds, amounts, dates, decisions. */
function summarise(action: string, details: { request?: Request; entry?: Request }): string {
  const request = details.request ?? {};
  switch (action) {
    case 'deal.move':
      return `moved to ${text(request.to)}`;
    case 'ledger.record': {
      const entry = details.entry;
      return entry
        ? `recorded a ${text(entry.kind)} of ${dollars(entry.amount)}, effective ${text(entry.effectiveOn)}`
        : 'recorded ledger entries';
    }
    case 'committee.decide':
      return `decision: ${text(request.decision).replaceAll('_', ' ')}`;
    case 'committee.vote':
      return 'a committee member voted';
    case 'deal.open':
      return 'opened the deal';
    case 'company.add':
      return 'added the company';
    case 'deal.amend':
      // The amendment history on the deal page has each field's old and new value and the reason.
      return `amended ${Object.keys(request)
        .filter((field) => field !== 'dealId' && field !== 'reason')
        .join(', ')}`;
    case 'note.add':
      return 'added a note';
    case 'document.upload':
      return `attached "${text(request.title)}" (${text(request.filename)})`;
    default:
      return action.replaceAll('_', ' ').replace('.', ': ');
  }
}

/** The rows, with the names of their actors and of the deals they are about (names, never ids, on screen). */
async function timeline(ctx: AppContext, subjects: string[]) {
  const { rows } = await searchLog(ctx, { subjects }, { offset: 0, limit: TIMELINE_ROWS });
  const items: ActivityRow[] = rows.map(auditLogRow).map(({ details, ...row }) => ({
    ...row,
    summary: summarise(row.action, details as { request?: Request; entry?: Request }),
  }));
  return { items, ...(await namesIn(ctx, items)) };
}

export async function dealActivity(ctx: AppContext, actor: Actor, dealId: string) {
  // The private side only: a wall-crossing opens a deal's figures to an analyst for a task, not the record
  // of who on the deal team did what.
  authorize(actor, 'deals.read');
  if (!(await existingIds(ctx.database.db, 'deals', [dealId])).size)
    throw new KeelError('not_found', `no deal "${dealId}"`);
  return timeline(ctx, [`deal:${dealId}`]);
}

export async function companyActivity(ctx: AppContext, actor: Actor, companyId: string) {
  // A company's timeline includes its deals: the private side only.
  authorize(actor, 'companies.read');
  authorize(actor, 'deals.read');
  const { db } = ctx.database;
  if (!(await existingIds(db, 'companies', [companyId])).size)
    throw new KeelError('not_found', `no company "${companyId}"`);
  const deals = await dealIdsOfCompany(db, companyId);
  return timeline(ctx, [`company:${companyId}`, ...deals.map((id) => `deal:${id}`)]);
}
