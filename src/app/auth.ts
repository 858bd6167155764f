/**
 * Users, sessions and API tokens. Passwords are hashed with argon2id; session and API tokens are 256-bit
 * random strings stored as SHA-256 (their entropy makes a slow hash pointless). Login answers the same
 * error, after the same work, whether the email exists or not.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../db/audit-repo.ts';
import type { JobHead } from '../db/jobs-repo.ts';
import type { Schema } from '../db/schema.ts';
import {
  advanceTotpStep,
  apiTokenByHash,
  apiTokenOwner,
  deleteSession,
  insertApiToken,
  insertSession,
  insertUserRow,
  revokeApiTokenRow,
  SSO_ACCOUNT,
  sessionByToken,
  userByEmail,
  userClashing,
  userList,
  userStatus,
} from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { PASSWORD_MAX_CHARACTERS } from '../domain/passwords.ts';
import { assertScopeWithin, authorize, can, type Principal, ROLES, type Role } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { announceCancelled } from './jobs/hub.ts';
import { checkNewPassword } from './password-policy.ts';
import { openSecret } from './secret-box.ts';
import { asCacheWrite } from './token-cache.ts';
import { acceptedStep } from './totp.ts';
import { runWrite } from './write.ts';
import { serverKey, type WriteKey } from './write-key.ts';

const SESSION_HOURS = 12;
// 2 is Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import).
const ARGON2 = { algorithm: 2 } as const;
/** Verified against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$mOPOVwCT6W+Bb23vMTtwtQ$WcNK5fRPsMLcgftaxDz6660cOpHRk1NAhzucjnh+7p4';

/** Emails are compared without regard to case: stored lower-case, so one person is one account. */
export const emailField = z.email().max(254).toLowerCase();

/** A new account's fields but its role (the setup link's form has no role: the first user is an admin). */
export const newAccountFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lower-case letters, digits, dots, hyphens'),
  email: emailField,
  name: z.string().min(1).max(200),
  // The rules (NIST SP 800-63B) are checked by passwordFitsAccount, with the account's own words at hand.
  password: z.string().max(4 * PASSWORD_MAX_CHARACTERS),
};

export function passwordFitsAccount(
  user: { id: string; email: string; name: string; password: string },
  issues: z.RefinementCtx,
): void {
  const problem = checkNewPassword(user.password, [user.id, user.email, user.name]);
  if (problem) issues.addIssue({ code: 'custom', path: ['password'], message: problem });
}

export const newUserSchema = z
  .object({ ...newAccountFields, role: z.enum(ROLES) })
  .superRefine(passwordFitsAccount);
export type NewUser = z.infer<typeof newUserSchema>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** The argon2id hash of a new password (checked against the policy by newUserSchema first). */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** Inserts a user in the caller's transaction; one account per id and per email, without regard to case. */
export async function insertUser(
  tx: Transaction<Schema>,
  user: Omit<NewUser, 'password'>,
  passwordHash: string,
): Promise<void> {
  const clash = await userClashing(tx, user.id, user.email);
  if (clash)
    throw new KeelError(
      'duplicate_id',
      `a user with id "${user.id}" or email "${user.email}" already exists`,
    );
  await insertUserRow(tx, {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    password_hash: passwordHash,
  });
}

/** `key` is the client's key where there is one (the API); without one, adding the same user again is a replay. */
export async function addUser(
  ctx: AppContext,
  actor: Actor,
  user: NewUser,
  key: WriteKey = serverKey('user', 'add', user.id),
) {
  authorize(actor, 'users.manage');
  const passwordHash = await hashPassword(user.password);
  const { password: _secret, ...visible } = user;
  return runWrite(
    ctx,
    { actor, action: 'user.add', key, request: visible, subject: `user:${user.id}` },
    async (tx) => {
      await insertUser(tx, visible, passwordHash);
      return { result: { id: user.id, role: user.role } };
    },
  );
}

export async function listUsers(ctx: AppContext, actor: Actor) {
  authorize(actor, 'users.read');
  return (await userList(ctx.database.db)).map(camelCased);
}

export interface Session {
  token: string;
  csrfToken: string;
  principal: Principal;
  expiresAt: string;
}

export async function login(
  ctx: AppContext,
  credentials: { email: string; password: string; code?: string | undefined },
): Promise<Session> {
  const { db } = ctx.database;
  const user = await userByEmail(db, credentials.email);
  // An account of the single sign-on provider has no password here: the same answer, after the same work.
  const local = user && user.password_hash !== SSO_ACCOUNT ? user : undefined;
  const ok = await verify(local?.password_hash ?? DUMMY_HASH, credentials.password);
  if (!user || !local || !ok || user.disabled)
    throw new KeelError('unauthenticated', 'email or password is wrong');
  // An account with a confirmed TOTP second factor needs a code too (app/totp.ts), each code once.
  let step: bigint | null = null;
  if (user.totp_confirmed_at && user.totp_secret) {
    if (!credentials.code)
      throw new KeelError('second_factor_required', 'enter the 6-digit code from your authenticator app');
    step = acceptedStep(openSecret(ctx, user.totp_secret, user.id), credentials.code, user.totp_last_step);
    if (step === null) throw new KeelError('unauthenticated', 'email, password or code is wrong');
  }
  return asCacheWrite(ctx.tokenCache, () =>
    db.transaction().execute(async (tx) => {
      if (step !== null) {
        // Of two logins racing with one code, only the first moves the step on.
        if (!(await advanceTotpStep(tx, user.id, step)))
          throw new KeelError('unauthenticated', 'email, password or code is wrong');
      }
      return startSession(tx, user, {});
    }),
  );
}

/**
 * Starts a session for a user who has just proved who they are (password and code, or the single sign-on
 * provider), in the caller's transaction, and audits the login.
 */
export async function startSession(
  tx: Transaction<Schema>,
  user: { id: string; role: Role },
  details: Record<string, string>,
): Promise<Session> {
  const token = randomToken('');
  const csrfToken = randomToken('');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000).toISOString();
  await insertSession(tx, { tokenSha256: sha256(token), userId: user.id, csrfToken, expiresAt });
  await appendAudit(tx, {
    actor: user.id,
    role: user.role,
    action: 'auth.login',
    subject: `user:${user.id}`,
    details,
  });
  return { token, csrfToken, principal: { id: user.id, role: user.role }, expiresAt };
}

export async function logout(ctx: AppContext, actor: Actor, token: string): Promise<void> {
  await asCacheWrite(ctx.tokenCache, () =>
    ctx.database.db.transaction().execute(async (tx) => {
      if (await deleteSession(tx, sha256(token), actor.id))
        await appendAudit(tx, {
          actor: actor.id,
          role: actor.role,
          action: 'auth.logout',
          subject: `user:${actor.id}`,
          details: {},
        });
    }),
  );
}

/** The principal behind a session cookie, with the session's CSRF token; null if unknown or expired. */
export async function resolveSession(
  ctx: AppContext,
  token: string,
): Promise<{ principal: Principal; csrfToken: string } | null> {
  const hash = sha256(token);
  const shelf = ctx.tokenCache?.sessions;
  let row = shelf?.get(hash);
  if (!row) {
    const generation = ctx.tokenCache?.lookupBegins() ?? null;
    row = await sessionByToken(ctx.database.db, hash);
    // Disabled and expired rows are kept too: the checks below run on every request.
    if (row) shelf?.keep(hash, row, generation);
  }
  if (!row || row.disabled || new Date(row.expires_at).getTime() < Date.now()) return null;
  return { principal: { id: row.id, role: row.role }, csrfToken: row.csrf_token };
}

export const newTokenSchema = z.object({
  name: z.string().min(1).max(100),
  scope: z.enum(['read', 'write']),
  userId: z.string().min(1).max(64).optional(),
  expiresInDays: z.number().int().min(1).max(366).optional(),
});

/**
 * Creates an API token; the plain token is returned once and never stored. A token is its own user's only:
 * one minted by an admin for someone else would let the admin act as that person, past every four-eyes rule
 * (approving their own wall-crossing or role change as another admin), with an audit trail naming the other.
 * No token reaches further than the credential that asks for it (a read token mints read tokens only).
 */
export async function createApiToken(ctx: AppContext, actor: Actor, input: z.infer<typeof newTokenSchema>) {
  assertScopeWithin(actor, input.scope);
  const userId = input.userId ?? actor.id;
  if (userId !== actor.id)
    throw new KeelError(
      'forbidden',
      `an API token is created by its own user: you cannot create one for "${userId}" (it would let you act as them)`,
    );
  const user = await userStatus(ctx.database.db, userId);
  if (!user) throw new KeelError('not_found', `no user "${userId}"`);
  if (user.disabled) throw new KeelError('invalid_account_change', `user "${userId}" is disabled`);
  const id = `tok_${randomBytes(9).toString('base64url')}`;
  const token = randomToken('keel_');
  const expiresAt = input.expiresInDays
    ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString()
    : null;
  await runWrite(
    ctx,
    {
      actor,
      action: 'token.create',
      key: serverKey('token', id),
      request: { ...input, userId, id },
      subject: `user:${userId}`,
    },
    async (tx) => {
      await insertApiToken(tx, {
        id,
        user_id: userId,
        name: input.name,
        token_sha256: sha256(token),
        scope: input.scope,
        expires_at: expiresAt,
      });
      return { result: { id } };
    },
  );
  return { id, token, scope: input.scope, expiresAt };
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, tokenId: string) {
  const row = await apiTokenOwner(ctx.database.db, tokenId);
  if (!row || (row.user_id !== actor.id && !can(actor, 'users.manage')))
    throw new KeelError('not_found', `no token "${tokenId}"`);
  let cancelled: JobHead[] = [];
  const revoked = await runWrite(
    ctx,
    {
      actor,
      action: 'token.revoke',
      key: serverKey('token', 'revoke', tokenId),
      request: { tokenId },
      subject: `user:${row.user_id}`,
    },
    async (tx) => {
      cancelled = await revokeApiTokenRow(tx, tokenId);
      const result = { id: tokenId, revoked: true };
      return { result, audit: { ...result, cancelledJobs: cancelled.map((job) => job.id) } };
    },
  );
  await announceCancelled(ctx, cancelled);
  return revoked;
}

export async function resolveApiToken(ctx: AppContext, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const shelf = ctx.tokenCache?.tokens;
  let row = shelf?.get(hash);
  if (!row) {
    const generation = ctx.tokenCache?.lookupBegins() ?? null;
    row = await apiTokenByHash(ctx.database.db, hash);
    // Revoked, expired and disabled rows are kept too: the checks below run on every request.
    if (row) shelf?.keep(hash, row, generation);
  }
  if (
    !row ||
    row.disabled ||
    row.revoked_at ||
    (row.expires_at && new Date(row.expires_at).getTime() < Date.now())
  )
    return null;
  return { id: row.id, role: row.role, scope: row.scope, tokenId: row.token_id };
}
