/**
 * An optional second factor for local accounts: time-based one-time passwords (RFC 6238; SHA-1, 6 digits,
 * 30-second steps, as authenticator apps expect), through otplib. A user enrols (gets a secret and its
 * otpauth:// URI), then confirms with a first code; from then on login asks for a code. Each accepted code's
 * time step is kept, so a code is used once, even within its 30 seconds.
 */
import { randomUUID } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import { clearTotp, confirmTotpRow, isSsoAccount, setTotpSecret, userTotp } from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { openSecret, sealSecret } from './secret-box.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

const ISSUER = 'Keel';
/** One step either side of now: an authenticator whose clock is up to 30 s off still works. */
const TOLERANCE_SECONDS = 30;

export const totpCodeField = /^[0-9]{6}$/;

/** The time step of a code that matches `secret` now and is later than `afterStep`, else null. */
export function acceptedStep(
  secret: string,
  code: string,
  afterStep: bigint | null,
  epoch?: number,
): bigint | null {
  if (!totpCodeField.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      epochTolerance: TOLERANCE_SECONDS,
      ...(epoch === undefined ? {} : { epoch }),
      ...(afterStep === null ? {} : { afterTimeStep: Number(afterStep) }),
    });
    return result.valid && 'timeStep' in result ? BigInt(result.timeStep) : null;
  } catch {
    return null;
  }
}

// Not a 403: the route is open to every signed-in user; an API token is simply not where a factor is set up.
const notLocal = () =>
  new KeelError(
    'invalid_account_change',
    'a second factor is set up by a local account signed in with its password, not with an API token',
  );

/** Starts (or restarts) enrolment: a new secret, not yet required at login until a code confirms it. */
export async function startTotpEnrolment(ctx: AppContext, actor: Actor) {
  const secret = generateSecret();
  // A key of its own each time: a replay must not hand out a secret the database no longer holds.
  const { result } = await runWrite(
    ctx,
    {
      actor,
      action: 'user.totp_enrol',
      key: serverKey('totp', 'enrol', randomUUID()),
      request: {},
      subject: `user:${actor.id}`,
    },
    async (tx) => {
      const user = await userTotp(tx, actor.id);
      if (!user || actor.scope) throw notLocal();
      if (await isSsoAccount(tx, actor.id))
        throw new KeelError(
          'invalid_account_change',
          'this account signs in through the single sign-on provider, whose own second factor applies',
        );
      if (user.totp_confirmed_at)
        throw new KeelError(
          'conflict',
          'this account already has a second factor; an admin can turn it off (keel user totp-reset ID)',
        );
      await setTotpSecret(tx, actor.id, sealSecret(ctx, secret, actor.id));
      return { result: { email: user.email } };
    },
  );
  return { secret, uri: generateURI({ issuer: ISSUER, label: result.email, secret }) };
}

/** The first code from the authenticator turns the second factor on. */
export async function confirmTotp(ctx: AppContext, actor: Actor, code: string) {
  return runWrite(
    ctx,
    {
      actor,
      action: 'user.totp_confirm',
      key: serverKey('totp', 'confirm', randomUUID()),
      request: {},
      subject: `user:${actor.id}`,
    },
    async (tx) => {
      const user = await userTotp(tx, actor.id, true);
      if (!user || actor.scope) throw notLocal();
      if (!user.totp_secret || user.totp_confirmed_at)
        throw new KeelError('conflict', 'start the enrolment first (POST /api/me/totp)');
      const step = acceptedStep(openSecret(ctx, user.totp_secret, actor.id), code, user.totp_last_step);
      if (step === null)
        throw new KeelError('invalid_value', "the code does not match; check the authenticator app's clock");
      await confirmTotpRow(tx, actor.id, step);
      return { result: { secondFactor: 'totp' as const } };
    },
  );
}

/** An admin turns a user's second factor off (a lost phone); the user may enrol again. */
export async function resetTotp(ctx: AppContext, actor: Actor, userId: string) {
  authorize(actor, 'users.manage');
  return runWrite(
    ctx,
    {
      actor,
      action: 'user.totp_reset',
      key: serverKey('totp', 'reset', randomUUID()),
      request: { userId },
      subject: `user:${userId}`,
    },
    async (tx) => {
      if (!(await clearTotp(tx, userId))) throw new KeelError('not_found', `no user "${userId}"`);
      return { result: { id: userId, secondFactor: null } };
    },
  );
}
