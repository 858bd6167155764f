/**
 * The token cache is bypassed only while a write that changes credentials is in flight, and runWrite knows
 * such a write by its action's name (CREDENTIAL_ACTION in app/token-cache.ts). This reads every use case in
 * src/app that calls one of db/users-repo.ts's writes (or auth.ts's insertUser, which wraps one) and checks
 * that each action it audits is named so: a new credential write under another name would leave a revoked
 * token served from the cache, and fails here first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ACTION } from '../../src/app/token-cache.ts';

const APP = join(import.meta.dirname, '../../src/app');
const REPO = readFileSync(join(import.meta.dirname, '../../src/db/users-repo.ts'), 'utf8');

/** users-repo's exported functions whose bodies insert, update or delete. */
function repoWrites(): string[] {
  const names: string[] = [];
  let current: string | null = null;
  for (const line of REPO.split('\n')) {
    const declared = /^export (?:async )?(?:function|const) ([A-Za-z]+)/.exec(line);
    if (declared) current = declared[1] as string;
    if (current && /\.(insertInto|updateTable|deleteFrom)\(/.test(line) && !names.includes(current))
      names.push(current);
  }
  return names;
}

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFilesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('writes that change credentials are named as such', () => {
  const writes = repoWrites();

  it('finds the repository writes (the scan itself works)', () => {
    expect(writes).toEqual(
      expect.arrayContaining(['insertUserRow', 'revokeApiTokenRow', 'disableAccount', 'endSessions']),
    );
  });

  it('every action audited by a use case that calls one is a credential action', () => {
    const callers = sourceFilesUnder(APP).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return writes.some((name) => new RegExp(`\\b${name}\\(`).test(text)) || /\binsertUser\(/.test(text);
    });
    expect(callers.length).toBeGreaterThan(4);
    for (const file of callers) {
      const text = readFileSync(file, 'utf8');
      const actions = [...text.matchAll(/action: [`'"]([a-z_.]+)/g)].map((m) => m[1] as string);
      for (const action of actions) expect(action, `${file}: ${action}`).toMatch(CREDENTIAL_ACTION);
    }
  });

  it('other writes are not', () => {
    for (const action of ['ledger.record', 'deal.open', 'credit.fixings.import', 'document.upload'])
      expect(action).not.toMatch(CREDENTIAL_ACTION);
  });
});
