import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/**
 * Enforces DESIGN.md (Keel's product brief and architecture), section "Architecture (one package, folders
 * that show the layers)": "Data flows one way: `cli`/`api` → `app` → `domain` + `db`. `domain` imports
 * nothing of the others."
 */
describe('layering: DESIGN.md § Architecture (one package, folders that show the layers)', () => {
  it('domain/ is pure: it imports only itself, zod and node:crypto hashing', () => {
    for (const file of files(join(SRC, 'domain'))) {
      for (const spec of imports(file)) {
        const insideDomain =
          spec.startsWith('.') && resolve(dirname(file), spec).startsWith(join(SRC, 'domain'));
        expect(insideDomain || spec === 'zod' || spec === 'node:crypto', `${file} imports ${spec}`).toBe(
          true,
        );
      }
    }
  });

  it('db/ never imports app/, cli/ or api/; app/ never imports cli/ or api/', () => {
    for (const file of files(join(SRC, 'db')))
      for (const spec of imports(file)) expect(spec, file).not.toMatch(/\.\.\/(app|cli|api|web)\//);
    for (const file of files(join(SRC, 'app')))
      for (const spec of imports(file)) expect(spec, file).not.toMatch(/\.\.\/(cli|api|web)\//);
  });

  it('routes do not import the server that registers them (no server → routes → server circle)', () => {
    for (const file of files(join(SRC, 'api', 'routes')))
      for (const spec of imports(file)) expect(spec, file).not.toMatch(/(^|\/)server\.ts$/);
  });
});
