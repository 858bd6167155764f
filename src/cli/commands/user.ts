import { readFileSync } from 'node:fs';
import { addUser, newUserSchema } from '../../app/auth.ts';
import { UsageError } from '../errors.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

/** The password comes from KEEL_PASSWORD or the first line of stdin, never from argv (it would show in `ps`). */
function readPassword(): string {
  if (process.env.KEEL_PASSWORD) return process.env.KEEL_PASSWORD;
  if (process.stdin.isTTY) throw new UsageError('set KEEL_PASSWORD or pipe the password on stdin');
  return readFileSync(0, 'utf8').split(/\r?\n/, 1)[0] ?? '';
}

export async function userCommand(
  action: string | undefined,
  args: string[],
  options: { name?: string | undefined },
): Promise<number> {
  if (action !== 'add')
    throw new UsageError('keel user add ID EMAIL ROLE [--name NAME]  (password from KEEL_PASSWORD or stdin)');
  const [id, email, role] = args;
  const user = parseOrUsage(
    newUserSchema,
    { id, email, role, name: options.name ?? id, password: readPassword() },
    { id: 'ID', email: 'EMAIL', role: 'ROLE', password: 'password' },
  );
  const { result, replayed } = await withKeel((ctx) => addUser(ctx, cliActor(), user));
  process.stdout.write(
    replayed ? `user ${result.id} already exists\n` : `added user ${result.id} (${result.role})\n`,
  );
  return 0;
}
