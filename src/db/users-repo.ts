/**
 * The users aggregate: accounts, their sessions and their API tokens. Sessions and tokens are found by the
 * SHA-256 of their secret (the plain secret is never stored); a credential of a disabled account resolves
 * to nobody.
 */
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../domain/roles.ts';
import { type JobHead, requestCancelOf } from './jobs-repo.ts';
import type { ApiTokensTable, RoleChangeRequestsTable, Schema, UsersTable } from './schema.ts';
import { literalPattern } from './sql-helpers.ts';

/** A user whose id is `id` or whose email is `email` without regard to case; undefined if none. */
export const userClashing = (db: Kysely<Schema>, id: string, email: string) =>
  db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', id), eb(sql`lower(email)`, '=', email.toLowerCase())]))
    .executeTakeFirst();

export async function insertUserRow(tx: Transaction<Schema>, user: Insertable<UsersTable>): Promise<void> {
  await tx.insertInto('users').values(user).execute();
}

/** Every account as the admin list shows it (no secrets), by id. */
export const userList = (db: Kysely<Schema>) =>
  db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabled', 'created_at'])
    .orderBy('id')
    .execute();

/** People's names by id, for records that name who did what (votes, requests, entries); ids not found are left out. */
export async function userNames(db: Kysely<Schema>, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The ids of the users an auditor may mean by `text`: those whose name holds it or whose email is it, ignoring
 * case ("ada" finds Ada Lovelace), at most `max` (one more tells the caller there were more). The name is
 * compared by the database's ILIKE, which folds both sides the same way (JavaScript's lower case of "İ" is
 * not PostgreSQL's); emails are stored in JavaScript's lower case, so that side is folded there.
 */
export async function userIdsMatching(db: Kysely<Schema>, text: string, max: number): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where((eb) =>
      eb.or([eb('name', 'ilike', `%${literalPattern(text)}%`), eb('email', '=', text.toLowerCase())]),
    )
    .orderBy('id')
    .limit(max + 1)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a user has this id. */
export const isUserId = async (db: Kysely<Schema>, id: string) =>
  (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

/** The account with this email (stored lower-case), secrets included, for a login; undefined if none. */
export const userByEmail = (db: Kysely<Schema>, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

/**
 * What an account signed in through single sign-on holds where a local one holds its argon2id hash: no hash
 * verifies against it, and it marks the account as the provider's (no password login, reset or second factor).
 */
export const SSO_ACCOUNT = 'sso';

/** An account by id with what a single sign-on needs to know of it, locked; undefined if none. */
export const lockSsoCandidate = (tx: Transaction<Schema>, id: string) =>
  tx
    .selectFrom('users')
    .select(['id', 'email', 'role', 'disabled', 'password_hash'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/** Another account holding this email (without regard to case); undefined if none. */
export const emailHolder = (db: Kysely<Schema>, email: string, exceptId: string) =>
  db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('id', '<>', exceptId)
    .executeTakeFirst();

/** What the provider said at the latest sign-in: name, email, role. */
export async function refreshSsoAccount(
  tx: Transaction<Schema>,
  user: { id: string; email: string; name: string; role: Role },
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ email: user.email, name: user.name, role: user.role })
    .where('id', '=', user.id)
    .execute();
}

/** Whether the account signs in through the provider (SSO_ACCOUNT); false for a local or unknown one. */
export async function isSsoAccount(db: Kysely<Schema>, id: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash === SSO_ACCOUNT;
}

/** Whether an account exists and is disabled; undefined if none. */
export const userStatus = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('users').select(['id', 'disabled']).where('id', '=', id).executeTakeFirst();

/**
 * Moves a user's last accepted TOTP step on to `step`, if it is newer; false when another login already
 * used it (of two logins racing with one code, only the first moves the step on).
 */
export async function advanceTotpStep(
  tx: Transaction<Schema>,
  userId: string,
  step: bigint,
): Promise<boolean> {
  const moved = await tx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return moved.numUpdatedRows === 1n;
}

export async function insertSession(
  tx: Transaction<Schema>,
  session: { tokenSha256: string; userId: string; csrfToken: string; expiresAt: string },
): Promise<void> {
  await tx
    .insertInto('sessions')
    .values({
      token_sha256: session.tokenSha256,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** Ends a user's session by its token's hash; false if there was none. */
export async function deleteSession(tx: Transaction<Schema>, tokenSha256: string, userId: string) {
  const ended = await tx
    .deleteFrom('sessions')
    .where('token_sha256', '=', tokenSha256)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return ended.numDeletedRows > 0n;
}

/** A session with its account's role and status; undefined if no session has this token. */
export const sessionByToken = (db: Kysely<Schema>, tokenSha256: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.role', 'users.disabled', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.token_sha256', '=', tokenSha256)
    .executeTakeFirst();

export async function insertApiToken(
  tx: Transaction<Schema>,
  token: Insertable<ApiTokensTable>,
): Promise<void> {
  await tx.insertInto('api_tokens').values(token).execute();
}

/** An API token's owner; undefined if none. */
export const apiTokenOwner = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('api_tokens').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();

/** Revokes a token (a revoked one keeps its first revocation time); answers the open jobs it cancelled. */
export async function revokeApiTokenRow(tx: Transaction<Schema>, id: string): Promise<JobHead[]> {
  await tx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return requestCancelOf(tx, { tokenIds: [id] }, TOKEN_REVOKED);
}

// A revoked token (a leaked one, say) stops what it queued too, not only what it would send next.
const TOKEN_REVOKED = 'cancelled: the API token that started it was revoked; nothing was written';

/** An API token with its account's role and status; undefined if no token has this hash. */
export const apiTokenByHash = (db: Kysely<Schema>, tokenSha256: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'users.id',
      'users.role',
      'users.disabled',
      'api_tokens.id as token_id',
      'api_tokens.scope',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
    ])
    .where('api_tokens.token_sha256', '=', tokenSha256)
    .executeTakeFirst();

/** API tokens (never their hashes), by owner and age; one user's when `userId` is given. */
export function apiTokenList(db: Kysely<Schema>, userId?: string) {
  const query = db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'scope', 'created_at', 'expires_at', 'revoked_at'])
    .orderBy('user_id')
    .orderBy('created_at')
    .orderBy('id');
  return (userId ? query.where('user_id', '=', userId) : query).execute();
}

/** Locks an account while it is disabled or its role changes; undefined if none. */
export const lockUser = (tx: Transaction<Schema>, id: string) =>
  tx
    .selectFrom('users')
    .select(['id', 'role', 'disabled', 'email', 'name'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/**
 * Disables an account (if it is not already), ends all its sessions, revokes its live tokens and cancels its
 * open jobs, at `now`; how many sessions and tokens that took, and the jobs.
 */
export async function disableAccount(
  tx: Transaction<Schema>,
  user: { id: string; disabled: boolean },
  by: string,
  now: string,
) {
  if (!user.disabled)
    await tx
      .updateTable('users')
      .set({ disabled: true, disabled_at: now, disabled_by: by })
      .where('id', '=', user.id)
      .execute();
  const sessionsEnded = await endSessions(tx, user.id);
  const revoked = await revokeUserTokens(tx, user.id, now);
  // The jobs started from a session too: nothing the account set going keeps running.
  const owned = await requestCancelOf(
    tx,
    { owner: user.id },
    'cancelled: the account that started it was disabled; nothing was written',
  );
  // A running job of a revoked token is still open, so the second cancellation answers it again.
  const jobs = new Map([...revoked.jobs, ...owned].map((job) => [job.id, job]));
  return { sessionsEnded, tokensRevoked: revoked.tokensRevoked, jobs: [...jobs.values()] };
}

/**
 * Lets a disabled account sign in again. What disabling ended stays ended: its sessions, its revoked API
 * tokens and its cancelled jobs (a token once revoked never works again).
 */
export async function enableAccount(tx: Transaction<Schema>, id: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({ disabled: false, disabled_at: null, disabled_by: null })
    .where('id', '=', id)
    .execute();
}

/** Revokes every live API token of a user at `now`; how many, and the open jobs that cancelled. */
export async function revokeUserTokens(
  tx: Transaction<Schema>,
  userId: string,
  now: string,
): Promise<{ tokensRevoked: number; jobs: JobHead[] }> {
  const tokens = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  const jobs = await requestCancelOf(tx, { tokenIds: tokens.map((t) => t.id) }, TOKEN_REVOKED);
  return { tokensRevoked: tokens.length, jobs };
}

/** Ends every session of a user; how many there were. */
export async function endSessions(tx: Transaction<Schema>, userId: string): Promise<number> {
  const ended = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(ended.numDeletedRows);
}

export async function setPasswordHash(tx: Transaction<Schema>, userId: string, hash: string): Promise<void> {
  await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/** A user's email and second-factor state, locked when `lock` (a confirmation checks then sets it). */
export function userTotp(tx: Transaction<Schema>, id: string, lock = false) {
  const query = tx
    .selectFrom('users')
    .select(['email', 'totp_secret', 'totp_confirmed_at', 'totp_last_step'])
    .where('id', '=', id);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** Starts an enrolment: a new secret, not yet confirmed, no step used. */
export async function setTotpSecret(tx: Transaction<Schema>, id: string, secret: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({ totp_secret: secret, totp_last_step: null })
    .where('id', '=', id)
    .execute();
}

/** Turns the second factor on with the step of the code that confirmed it. */
export async function confirmTotpRow(tx: Transaction<Schema>, id: string, step: bigint): Promise<void> {
  await tx
    .updateTable('users')
    .set({ totp_confirmed_at: sql<string>`now()`, totp_last_step: step })
    .where('id', '=', id)
    .execute();
}

/** Turns a user's second factor off; false if there is no such user. */
export async function clearTotp(tx: Transaction<Schema>, id: string): Promise<boolean> {
  const reset = await tx
    .updateTable('users')
    .set({ totp_secret: null, totp_confirmed_at: null, totp_last_step: null })
    .where('id', '=', id)
    .executeTakeFirst();
  return reset.numUpdatedRows === 1n;
}

export async function setUserRole(tx: Transaction<Schema>, id: string, role: Role): Promise<void> {
  await tx.updateTable('users').set({ role }).where('id', '=', id).execute();
}

/** A user's role change still waiting for a decision; undefined if none. */
export const openRoleChange = (db: Kysely<Schema>, userId: string) =>
  db
    .selectFrom('role_change_requests')
    .select('id')
    .where('user_id', '=', userId)
    .where('status', '=', 'requested')
    .executeTakeFirst();

/** Records a role change request; its id. */
export async function insertRoleChange(
  tx: Transaction<Schema>,
  request: Insertable<RoleChangeRequestsTable>,
): Promise<bigint> {
  const row = await tx
    .insertInto('role_change_requests')
    .values(request)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks a role change request while it is decided; undefined if none. */
export const lockRoleChange = (tx: Transaction<Schema>, id: bigint) =>
  tx.selectFrom('role_change_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function closeRoleChange(
  tx: Transaction<Schema>,
  id: bigint,
  status: 'approved' | 'denied',
  decidedBy: string,
): Promise<void> {
  await tx
    .updateTable('role_change_requests')
    .set({ status, decided_by: decidedBy, decided_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Every role change request, newest first. */
export const roleChangeList = (db: Kysely<Schema>) =>
  db.selectFrom('role_change_requests').selectAll().orderBy('id', 'desc').execute();

/** Whether an enabled admin exists (then no setup link works). */
export async function hasActiveAdmin(db: Kysely<Schema>): Promise<boolean> {
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .executeTakeFirst();
  return admin !== undefined;
}

/**
 * Stores a setup link's token hash, valid for `hours` from the database's clock; when it expires. With
 * `userId` it is a password-reset link for that user, otherwise a first-admin link.
 */
export async function insertSetupLink(
  db: Kysely<Schema>,
  tokenSha256: string,
  hours: number,
  userId: string | null = null,
): Promise<string> {
  const row = await db
    .insertInto('setup_links')
    .values({
      token_sha256: tokenSha256,
      expires_at: sql<string>`now() + make_interval(hours => ${hours})`,
      user_id: userId,
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return row.expires_at;
}

/**
 * Whether an unused, unexpired setup link has this hash. With `lock` the link's row is held (FOR UPDATE):
 * of two requests with the same link, the second waits and then finds it spent.
 */
export async function liveSetupLink(db: Kysely<Schema>, tokenSha256: string, lock = false): Promise<boolean> {
  const query = db
    .selectFrom('setup_links')
    .select('token_sha256')
    .where('token_sha256', '=', tokenSha256)
    .where('user_id', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<string>`now()`);
  return (await (lock ? query.forUpdate() : query).executeTakeFirst()) !== undefined;
}

/** Spends every unused first-admin setup link, naming the admin it created. */
export async function spendSetupLinks(tx: Transaction<Schema>, usedBy: string): Promise<void> {
  await tx
    .updateTable('setup_links')
    .set({ used_at: sql<string>`now()`, used_by: usedBy })
    .where('user_id', 'is', null)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * The enabled account an unused, unexpired password-reset link with this hash is for; undefined if none.
 * With `lock` the link's row is held, so of two requests with one link the second finds it spent.
 */
export async function liveResetLink(db: Kysely<Schema>, tokenSha256: string, lock = false) {
  const query = db
    .selectFrom('setup_links')
    .innerJoin('users', 'users.id', 'setup_links.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role'])
    .where('setup_links.token_sha256', '=', tokenSha256)
    .where('setup_links.used_at', 'is', null)
    .where('setup_links.expires_at', '>', sql<string>`now()`)
    .where('users.disabled', '=', false);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** Spends a user's unused password-reset links (the one used, or those a newer link replaces). */
export async function spendResetLinks(
  tx: Transaction<Schema>,
  userId: string,
  usedBy: string,
): Promise<void> {
  await tx
    .updateTable('setup_links')
    .set({ used_at: sql<string>`now()`, used_by: usedBy })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
