import { randomUUID } from 'node:crypto';
import { disableUser, enableUser } from '../../app/accounts.ts';
import { addUser, newUserSchema } from '../../app/auth.ts';
import {
  decideRoleChange,
  listRoleChanges,
  requestRoleChange,
  roleChangeRequestSchema,
} from '../../app/role-changes.ts';
import { resetTotp } from '../../app/totp.ts';
import { countOf } from '../../domain/format.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { readPassword } from '../password.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const USAGE = `keel user add ID EMAIL ROLE [--name NAME]  (password from KEEL_PASSWORD or stdin)
  keel user disable ID                      ends the user's sessions and revokes every API token
  keel user enable ID                       lets a disabled user sign in again (their old tokens stay revoked)
  keel user totp-reset ID                   turns off the user's TOTP second factor (a lost phone)
  keel user role request ID ROLE --reason R ask for a role change (another admin approves)
  keel user role approve|deny N             decide role change N (not the one who asked for it)
  keel user role list                       role change requests, newest first`;

export async function userCommand(
  action: string | undefined,
  args: string[],
  options: { name?: string | undefined; key?: string | undefined; reason?: string | undefined },
): Promise<number> {
  const key = options.key ?? `cli:${randomUUID()}`;
  switch (action) {
    case 'add':
      return addUserCommand(args, options);
    case 'disable': {
      const [id] = args;
      if (!id || args.length !== 1) throw new UsageError('keel user disable ID');
      const { result } = await withKeel((ctx) => disableUser(ctx, cliActor(), key, id));
      out(
        `disabled user ${result.id}: ${countOf(result.sessionsEnded, ['session', 'sessions'])} ended, ${countOf(result.tokensRevoked, ['API token', 'API tokens'])} revoked, ${countOf(result.jobsCancelled, ['open job', 'open jobs'])} cancelled\n`,
      );
      return 0;
    }
    case 'enable': {
      const [id] = args;
      if (!id || args.length !== 1) throw new UsageError('keel user enable ID');
      const { result } = await withKeel((ctx) => enableUser(ctx, cliActor(), key, id));
      out(
        `enabled user ${result.id} (${result.role}): they sign in again; their old API tokens stay revoked\n`,
      );
      return 0;
    }
    case 'role':
      return roleCommand(args, key, options.reason);
    case 'totp-reset': {
      const [id] = args;
      if (!id || args.length !== 1) throw new UsageError('keel user totp-reset ID');
      await withKeel((ctx) => resetTotp(ctx, cliActor(), id));
      out(`second factor of ${id} turned off; they may set it up again\n`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}

async function addUserCommand(args: string[], options: { name?: string | undefined }): Promise<number> {
  const [id, email, role] = args;
  const user = parseOrUsage(
    newUserSchema,
    { id, email, role, name: options.name ?? id, password: readPassword() },
    { id: 'ID', email: 'EMAIL', role: 'ROLE', password: 'password' },
  );
  const { result, replayed } = await withKeel((ctx) => addUser(ctx, cliActor(), user));
  out(replayed ? `user ${result.id} already exists\n` : `added user ${result.id} (${result.role})\n`);
  return 0;
}

async function roleCommand(args: string[], key: string, reason: string | undefined): Promise<number> {
  const [step, ...rest] = args;
  if (step === 'list') {
    const rows = await withKeel((ctx) => listRoleChanges(ctx, cliActor()));
    out(
      `${table(
        ['id', 'user', 'from', 'to', 'status', 'requested by', 'decided by', 'reason'],
        rows.map((r) => [
          String(r.id),
          r.userId,
          r.fromRole,
          r.toRole,
          r.status,
          r.requestedBy,
          r.decidedBy ?? '',
          r.reason,
        ]),
      )}\n`,
    );
    return 0;
  }
  if (step === 'request') {
    const [userId, role] = rest;
    if (!userId || !role || rest.length !== 2)
      throw new UsageError('keel user role request ID ROLE --reason R');
    const input = parseOrUsage(
      roleChangeRequestSchema,
      { role, reason },
      { role: 'ROLE', reason: '--reason' },
    );
    const { result } = await withKeel((ctx) => requestRoleChange(ctx, cliActor(), key, userId, input));
    out(
      `role change ${result.id} requested: ${result.userId} ${result.from} → ${result.to}; another admin must approve it\n`,
    );
    return 0;
  }
  if (step === 'approve' || step === 'deny') {
    const [n] = rest;
    if (!n || !/^[1-9][0-9]{0,17}$/.test(n) || rest.length !== 1)
      throw new UsageError(`keel user role ${step} N  (N is the number of the role change)`);
    const { result } = await withKeel((ctx) => decideRoleChange(ctx, cliActor(), key, n, { decision: step }));
    out(`role change ${result.id} ${result.status}: ${result.userId} ${result.from} → ${result.to}\n`);
    return 0;
  }
  throw new UsageError(USAGE);
}
