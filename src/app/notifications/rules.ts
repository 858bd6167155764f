/**
 * Who is told about which audited write, and in what words: one rule per audit action. A rule reads what
 * the write left in its transaction (the rows, not the request's shape, where it can) and returns drafts;
 * notify.ts then drops any draft the information barrier forbids and any for the person who did it.
 */
import type { Kysely } from 'kysely';
import { questionForNotice } from '../../db/credit-questions-repo.ts';
import {
  activeUsers,
  activeUsersInRoles,
  crossingForNotice,
  dealOriginator,
  dealsForNotice,
  usersNamedBy,
} from '../../db/notifications-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { dealTitle } from '../../domain/format.ts';
import type { NotificationDraft } from '../../domain/notifications.ts';
import type { Actor } from '../context.ts';

/** An audited write as runWrite saw it: the same action, subject and request the audit row records. */
export interface AuditedWrite {
  actor: Actor;
  action: string;
  subject: string;
  request: unknown;
  result: unknown;
  audit?: Record<string, unknown> | undefined;
}

type Rule = (db: Kysely<Schema>, write: AuditedWrite) => Promise<NotificationDraft[]>;

const DECIDED: Record<string, string> = {
  approve: 'approved',
  approve_with_conditions: 'approved with conditions',
  decline: 'declined',
  defer: 'deferred',
};

/** Names for users (the operator of the CLI has none in the users table). */
async function nameOf(db: Kysely<Schema>, id: string): Promise<string> {
  const [user] = await activeUsers(db, [id]);
  return user?.name ?? (id.startsWith('cli:') ? 'the operator' : id);
}

async function titles(db: Kysely<Schema>, ids: readonly string[]) {
  const rows = await dealsForNotice(db, ids);
  return new Map(rows.map((d) => [d.id, { title: dealTitle(d), team: d.team }]));
}

const committeeMembers = (db: Kysely<Schema>) => activeUsersInRoles(db, ['investment_committee']);

const agenda: Rule = async (db, write) => {
  const { meetingOn, deals } = write.result as { meetingOn: string; deals: string[] };
  const byId = await titles(db, deals);
  const names = deals.map((id) => byId.get(id)?.title ?? id);
  const who = await nameOf(db, write.actor.id);
  const one = deals.length === 1;
  const text = one
    ? `${who} put ${names[0]} on the committee agenda for ${meetingOn}`
    : `${who} put ${deals.length} deals on the committee agenda for ${meetingOn}: ${names.join(', ')}`;
  return (await committeeMembers(db)).map((recipient) => ({
    recipient,
    kind: 'agenda',
    subjectType: one ? 'deal' : 'committee',
    subjectId: one ? deals[0]! : meetingOn,
    text,
    deals,
  }));
};

/** The deal's team (entries naming users), else the user who opened it. */
async function dealTeam(db: Kysely<Schema>, dealId: string, team: readonly string[]): Promise<string[]> {
  const named = [...new Set((await usersNamedBy(db, team)).values())].sort();
  if (named.length > 0) return named;
  const originator = await dealOriginator(db, dealId);
  return originator ? [originator] : [];
}

const decision: Rule = async (db, write) => {
  const { dealId, decision } = write.result as { dealId: string; decision: string };
  const deal = (await titles(db, [dealId])).get(dealId);
  if (!deal) return [];
  const text = `The committee ${DECIDED[decision] ?? decision} ${deal.title} (recorded by ${await nameOf(db, write.actor.id)})`;
  const recipients = [...(await dealTeam(db, dealId, deal.team)), ...(await committeeMembers(db))];
  return recipients.map((recipient) => ({
    recipient,
    kind: 'decision',
    subjectType: 'deal',
    subjectId: dealId,
    text,
    deals: [dealId],
  }));
};

/** What a credit question asks, as the notices say it. */
const QUESTION_TEXT: Record<string, string> = {
  terms_amendment: 'new terms',
  waiver: 'a waiver of a covenant breach',
  covenant_amendment: 'a covenant amendment for a breach',
  acceleration: 'an acceleration for a covenant breach',
};

/** A credit question goes to the committee's members as an agenda item of its meeting. */
const creditQuestionPut: Rule = async (db, write) => {
  const { id } = write.result as { id: bigint };
  const question = await questionForNotice(db, BigInt(id));
  if (!question) return [];
  const deal = (await titles(db, [question.deal_id])).get(question.deal_id);
  const text = `${await nameOf(db, write.actor.id)} put ${QUESTION_TEXT[question.kind] ?? question.kind} on facility ${question.facility_id} (${deal?.title ?? question.deal_id}) to the committee for ${String(question.meeting_on)}: credit question ${id}`;
  return (await committeeMembers(db)).map((recipient) => ({
    recipient,
    kind: 'agenda',
    subjectType: 'committee',
    subjectId: String(question.meeting_on),
    text,
    deals: [question.deal_id],
  }));
};

/** Its decision goes to whoever put it (they apply it) and to the members. */
const creditQuestionDecided: Rule = async (db, write) => {
  const { id, decision } = write.result as { id: bigint; decision: string };
  const question = await questionForNotice(db, BigInt(id));
  if (!question) return [];
  const deal = (await titles(db, [question.deal_id])).get(question.deal_id);
  const text = `The committee ${DECIDED[decision] ?? decision} credit question ${id}, ${QUESTION_TEXT[question.kind] ?? question.kind} on facility ${question.facility_id} (${deal?.title ?? question.deal_id}) (recorded by ${await nameOf(db, write.actor.id)})`;
  const recipients = [question.put_by, ...(await committeeMembers(db))];
  return [...new Set(recipients)].map((recipient) => ({
    recipient,
    kind: 'decision',
    subjectType: 'deal',
    subjectId: question.deal_id,
    text,
    deals: [question.deal_id],
  }));
};

const crossingRequested: Rule = async (db, write) => {
  const { id } = write.result as { id: bigint };
  const crossing = await crossingForNotice(db, BigInt(id));
  if (!crossing) return [];
  const deal = (await titles(db, [crossing.deal_id])).get(crossing.deal_id);
  const text = `${await nameOf(db, write.actor.id)} asks to bring ${await nameOf(db, crossing.user_id)} over the wall for ${deal?.title ?? crossing.deal_id}`;
  return (await activeUsersInRoles(db, ['risk_compliance'])).map((recipient) => ({
    recipient,
    kind: 'wall_crossing',
    subjectType: 'wall_crossing',
    subjectId: String(id),
    text,
    deals: [crossing.deal_id],
  }));
};

/**
 * The requester hears the outcome with the deal's name. The analyst hears it with the name only when
 * approved (they may now read the deal); a refusal or a revocation names no deal, as they may not read it.
 */
const crossingDecided: Rule = async (db, write) => {
  const { id, status } = write.result as { id: bigint; status: string };
  const crossing = await crossingForNotice(db, BigInt(id));
  if (!crossing) return [];
  const deal = (await titles(db, [crossing.deal_id])).get(crossing.deal_id);
  const title = deal?.title ?? crossing.deal_id;
  const who = await nameOf(db, write.actor.id);
  const verb = status === 'approved' ? 'approved' : status === 'denied' ? 'declined' : 'revoked';
  const until = crossing.expires_at ? ` until ${crossing.expires_at.slice(0, 10)}` : '';
  const base = { kind: 'wall_crossing', subjectType: 'wall_crossing', subjectId: String(id) } as const;
  // An approved analyst's notice is about the deal they may now read, so that it opens the deal (the
  // crossings' screen is compliance's); the barrier check below still drops it if the crossing has lapsed.
  const toAnalyst =
    status === 'approved'
      ? {
          text: `You were brought over the wall for ${title}${until}`,
          deals: [crossing.deal_id],
          subjectType: 'deal' as const,
          subjectId: crossing.deal_id,
        }
      : { text: `A request to bring you over the wall was ${verb} (by ${who})`, deals: [] };
  return [
    {
      ...base,
      recipient: crossing.requested_by,
      text: `${who} ${verb} bringing ${await nameOf(db, crossing.user_id)} over the wall for ${title}${status === 'approved' ? until : ''}`,
      deals: [crossing.deal_id],
    },
    { ...base, recipient: crossing.user_id, ...toAnalyst },
  ];
};

/** Users named on a deal's team for the first time hear they were assigned to it. */
async function assigned(
  db: Kysely<Schema>,
  write: AuditedWrite,
  additions: ReadonlyArray<{ dealId: string; after: readonly string[]; before?: readonly string[] }>,
): Promise<NotificationDraft[]> {
  const byId = await titles(
    db,
    additions.map((a) => a.dealId),
  );
  const who = await nameOf(db, write.actor.id);
  const users = await usersNamedBy(
    db,
    additions.flatMap((a) => [...a.after, ...(a.before ?? [])]),
  );
  const resolve = (entries: readonly string[]) =>
    new Set(entries.flatMap((e) => users.get(e.trim().toLowerCase()) ?? []));
  const drafts: NotificationDraft[] = [];
  for (const { dealId, after, before = [] } of additions) {
    const title = byId.get(dealId)?.title ?? dealId;
    // Someone already on the team (by id or by address) is not told again.
    const already = resolve(before);
    for (const recipient of [...resolve(after)].filter((id) => !already.has(id)))
      drafts.push({
        recipient,
        kind: 'assignment',
        subjectType: 'deal',
        subjectId: dealId,
        text: `${who} put you on the deal team of ${title}`,
        deals: [dealId],
      });
  }
  return drafts;
}

const assignedOnOpen: Rule = (db, write) => {
  const deals = Array.isArray(write.request) ? (write.request as Array<{ id: string; team?: string[] }>) : [];
  return assigned(
    db,
    write,
    deals.filter((d) => d.team?.length).map((d) => ({ dealId: d.id, after: d.team! })),
  );
};

/** The audit's record of the change says who was on the team before ("a, b", as the history shows it). */
const assignedOnAmend: Rule = (db, write) => {
  const changes = (write.audit?.changes ?? []) as Array<{ field: string; from: string | null }>;
  const team = changes.find((c) => c.field === 'team');
  const { dealId, team: after } = write.request as { dealId: string; team?: string[] };
  if (!team || !after) return Promise.resolve([]);
  return assigned(db, write, [{ dealId, after, before: (team.from ?? '').split(', ') }]);
};

/** Audit action → who is told. An action not listed notifies nobody. */
export const NOTIFICATION_RULES: Readonly<Record<string, Rule>> = {
  'committee.agenda': agenda,
  'committee.decide': decision,
  'credit.question.put': creditQuestionPut,
  'credit.question.decide': creditQuestionDecided,
  'wall_crossing.request': crossingRequested,
  'wall_crossing.approve': crossingDecided,
  'wall_crossing.deny': crossingDecided,
  'wall_crossing.revoke': crossingDecided,
  'deal.open': assignedOnOpen,
  'deal.amend': assignedOnAmend,
};
