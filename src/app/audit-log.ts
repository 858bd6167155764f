/**
 * The audit log as an auditor reads it: filtered by who, what, which subject and when, newest first, and
 * exported as CSV. The log is the hash chain itself (`audit_log`); reading it changes nothing.
 */
import { type AuditSearch, BodyNotJson, searchAuditLog } from '../db/audit-repo.ts';
import { companyNames } from '../db/companies-repo.ts';
import { dealNames } from '../db/deals-repo.ts';
import { isUserId, userIdsMatching, userNames } from '../db/users-repo.ts';
import { AUDIT_EXPORT_MAX, type AuditFilter, type AuditPageQuery } from '../domain/audit-search.ts';
import { parseCanonicalJson } from '../domain/canonical-json.ts';
import { KeelError } from '../domain/errors.ts';
import { dayAfter } from '../domain/fields.ts';
import { jsonText } from '../domain/json-text.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { type Cell, type Column, csvCell } from './exports.ts';

export interface AuditLogRow {
  seq: bigint;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Users one actor filter may stand for: a larger match is refused, so that no one is left out unseen. */
export const ACTOR_MATCH_MAX = 100;

/**
 * The actors a filter's text means. A user's id, or an actor id that names no user (`cli:root`), means that
 * actor alone: "ada" is Ada's rows, not also Adam's. Other text means the users whose name holds it or whose
 * email it is; more than ACTOR_MATCH_MAX of them is refused, with the way to narrow it.
 */
async function actorsMeant(ctx: AppContext, text: string): Promise<string[]> {
  const db = ctx.database.db;
  if (text.includes(':') || (await isUserId(db, text))) return [text];
  const ids = await userIdsMatching(db, text, ACTOR_MATCH_MAX);
  if (ids.length > ACTOR_MATCH_MAX)
    throw new KeelError(
      'invalid_value',
      `actor "${text}" matches more than ${ACTOR_MATCH_MAX} users by name: type more of the name, the email or the user id`,
    );
  // Rows by an actor id no user holds (a deleted account, an import's actor) are found by that id too.
  return [text, ...ids];
}

/** The filter as a search, with the actors its text means. */
const toSearch = async (ctx: AppContext, f: AuditFilter): Promise<AuditSearch> => ({
  actors: f.actor ? await actorsMeant(ctx, f.actor) : undefined,
  actionPrefix: f.action,
  subjectPrefix: f.subject,
  from: f.from,
  before: f.to ? dayAfter(f.to) : undefined,
});

/** One stored row as its fields (amounts in details come back as bigints). */
export function auditLogRow({ seq, body }: { seq: bigint; body: string }): AuditLogRow {
  const doc = parseCanonicalJson<Omit<AuditLogRow, 'seq'>>(body);
  return {
    seq,
    at: doc.at,
    actor: doc.actor,
    role: doc.role,
    action: doc.action,
    subject: doc.subject,
    details: doc.details ?? {},
  };
}

/** The search, with a log edited outside Keel reported as such (a 409 naming the way to find the row). */
export async function searchLog(
  ctx: AppContext,
  search: AuditSearch,
  page: { offset: number; limit: number },
) {
  try {
    return await searchAuditLog(ctx.database.db, search, page);
  } catch (error) {
    if (!(error instanceof BodyNotJson)) throw error;
    throw new KeelError(
      'audit_chain_broken',
      'the audit log holds a row that is not JSON, so it was edited outside Keel: `keel audit verify` names the row',
    );
  }
}

export async function auditLogPage(ctx: AppContext, actor: Actor, query: AuditPageQuery) {
  authorize(actor, 'audit.read');
  const search = await toSearch(ctx, query);
  const { rows, total } = await searchLog(ctx, search, query);
  const items = rows.map(auditLogRow);
  // The people the actor text stood for are named too, so the page can say whose rows it shows.
  const names = await namesIn(ctx, [
    ...items,
    ...(search.actors ?? []).map((id) => ({ actor: id, subject: '' })),
  ]);
  return { items, total, offset: query.offset, actors: search.actors ? [...search.actors] : null, ...names };
}

/**
 * The names behind a page's ids, so that the auditor reads "Ada Lovelace" and "Stibnite smelter restart", not
 * `ada` and `deal:syn-deal-2026-1378` (found by the fresh-eyes attack): the actors', and those of the deals,
 * companies and users the rows are about. The ids stay in the rows (and in the export) as the record has them.
 */
export async function namesIn(ctx: AppContext, items: ReadonlyArray<Pick<AuditLogRow, 'actor' | 'subject'>>) {
  const idsOf = (kind: string) =>
    [...new Set(items.map((r) => r.subject).filter((s) => s.startsWith(`${kind}:`)))].map((s) =>
      s.slice(kind.length + 1),
    );
  const db = ctx.database.db;
  const [people, deals, companies] = await Promise.all([
    userNames(db, [...items.map((r) => r.actor), ...idsOf('user')]),
    dealNames(db, idsOf('deal')),
    companyNames(db, idsOf('company')),
  ]);
  const subjects: Record<string, string> = {};
  for (const id of idsOf('user')) if (people.has(id)) subjects[`user:${id}`] = people.get(id)!;
  for (const d of deals) subjects[`deal:${d.id}`] = d.name;
  for (const c of companies) subjects[`company:${c.id}`] = c.name;
  return { people: Object.fromEntries(people), subjects };
}

const COLUMNS: Column[] = [
  { name: 'seq', type: 'integer' },
  { name: 'at', type: 'text' },
  { name: 'actor', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'action', type: 'text' },
  { name: 'subject', type: 'text' },
  // The JSON the chain hashed, as it was recorded: its amounts are integer cents, and the header says so.
  { name: 'details (JSON as recorded; amounts in integer cents)', type: 'text' },
];

/** Every row the filter selects, oldest first, as CSV (cells made safe for spreadsheets as the exports are). */
export async function auditLogCsv(ctx: AppContext, actor: Actor, filter: AuditFilter): Promise<string> {
  authorize(actor, 'audit.read');
  const { rows, total } = await searchLog(ctx, await toSearch(ctx, filter), {
    offset: 0,
    limit: AUDIT_EXPORT_MAX + 1,
  });
  if (total > BigInt(AUDIT_EXPORT_MAX)) {
    throw new KeelError(
      'invalid_value',
      `the filter selects ${total} audit rows; an export takes at most ${AUDIT_EXPORT_MAX}: narrow it by actor, action, subject or dates`,
    );
  }
  const lines = rows
    .map(auditLogRow)
    .reverse()
    .map((r) => {
      const cells: Cell[] = [r.seq, r.at, r.actor, r.role, r.action, r.subject, jsonText(r.details)];
      return cells.map((value, i) => csvCell(value, COLUMNS[i]!.type)).join(',');
    });
  return `${[COLUMNS.map((c) => csvCell(c.name, 'text')).join(','), ...lines].join('\n')}\n`;
}
