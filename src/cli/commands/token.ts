import { listApiTokens } from '../../app/accounts.ts';
import { revokeApiToken } from '../../app/auth.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

const USAGE = 'keel token list [--user ID] | keel token revoke TOKEN_ID';

/** API tokens from the command line: list them (never their secrets) and revoke one by its id. */
export async function tokenCommand(
  action: string | undefined,
  args: string[],
  options: { user?: string | undefined },
): Promise<number> {
  if (action === 'list' && args.length === 0) {
    const filter = options.user ? { userId: options.user } : {};
    const rows = await withKeel((ctx) => listApiTokens(ctx, cliActor(), filter));
    out(
      `${table(
        ['id', 'user', 'name', 'scope', 'created', 'expires', 'revoked'],
        rows.map((r) => [
          r.id,
          r.userId,
          r.name,
          r.scope,
          String(r.createdAt),
          r.expiresAt ? String(r.expiresAt) : '',
          r.revokedAt ? String(r.revokedAt) : '',
        ]),
      )}\n`,
    );
    return 0;
  }
  if (action === 'revoke' && args.length === 1) {
    const id = args[0]!;
    if (!/^tok_[A-Za-z0-9_-]{1,40}$/.test(id)) throw new UsageError(`${id} is not a token id (tok_…)`);
    const { replayed } = await withKeel((ctx) => revokeApiToken(ctx, cliActor(), id));
    out(replayed ? `token ${id} was already revoked\n` : `revoked token ${id}\n`);
    return 0;
  }
  throw new UsageError(USAGE);
}
