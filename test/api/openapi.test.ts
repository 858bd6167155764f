/**
 * The OpenAPI document is fit for generating clients: every operation has a unique operationId, a tag the
 * document defines, its success answer's schema and the 4xx error body; the document names its servers
 * and has no two paths that differ only in a parameter's name. Redocly's recommended rules lint it clean
 * (@redocly/cli), and a TypeScript client generated from it (openapi-typescript) type-checks against real
 * answers of a running Keel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/api/route.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

type Operation = {
  operationId?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
type Doc = {
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
};

const OUT = join(import.meta.dirname, '..', '..', '.test-results', 'openapi');
const require = createRequire(import.meta.url);

describe('OpenAPI document', () => {
  let f: ApiFixture;
  let doc: Doc;
  beforeAll(async () => {
    f = await apiFixture('pglite');
    doc = (await f.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'openapi.json'), JSON.stringify(doc, null, 2));
  });
  afterAll(() => f.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );

  it('every operation: a unique operationId, defined tags, a success schema and the 4xx error body', () => {
    const ops = operations();
    // The single sign-on steps are browser navigations answered with redirects, not operations a client
    // program calls: they are left out of the document (route.ts, browserRedirect) and tested in sso.test.ts.
    expect(ops.length).toBe(ROUTE_TABLE.filter((route) => !route.browserRedirect).length);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(doc.tags?.map((t) => t.name));
    const problems: string[] = [];
    for (const { name, op } of ops) {
      if (!op.tags?.length || op.tags.some((t) => !tags.has(t))) problems.push(`${name}: tag not defined`);
      const success = Object.entries(op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status))?.[1];
      const content = Object.values(success?.content ?? {});
      if (!content.length || content.some((c) => !c.schema)) problems.push(`${name}: no success schema`);
      const refused = op.responses?.['4XX']?.content?.['application/json']?.schema;
      if (JSON.stringify(refused) !== JSON.stringify({ $ref: '#/components/schemas/ErrorBody' }))
        problems.push(`${name}: no 4xx error body`);
    }
    expect(problems).toEqual([]);
  });

  it('names its servers and has no paths that differ only in a parameter name', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    const shapes = Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, '{}'));
    expect(shapes.filter((s, i) => shapes.indexOf(s) !== i)).toEqual([]);
  });

  it("lints clean with Redocly's recommended rules", () => {
    const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
    const output = execFileSync(
      process.execPath,
      [cli, 'lint', '--extends', 'recommended', '--format', 'json', join(OUT, 'openapi.json')],
      {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const report = JSON.parse(output) as {
      totals: { errors: number; warnings: number };
      problems: unknown[];
    };
    expect(report.problems).toEqual([]);
  });

  it('a TypeScript client generated from it (openapi-typescript) type-checks against real answers', async () => {
    // A devDependency that only this test uses; imported by name so the type check does not need it.
    const generator = pathToFileURL(require.resolve('openapi-typescript')).href;
    const { default: openapiTS, astToString } = (await import(generator)) as {
      default: (doc: unknown) => Promise<unknown>;
      astToString: (ast: unknown) => string;
    };
    writeFileSync(join(OUT, 'schema.d.ts'), astToString(await openapiTS(doc)));
    const bearer = { authorization: `Bearer ${f.tokens.admin}` };
    const real = async (url: string) =>
      JSON.stringify((await f.app.inject({ method: 'GET', url, headers: bearer })).json());
    // Each real answer, as a literal, must be a value of the generated type; a field it lacks must not be.
    const calls = [
      "import type { paths } from './schema.d.ts';",
      "type Answer<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: { content: { 'application/json': infer J } } } } ? J : never;",
      `export const deals: Answer<'/api/deals'> = ${await real('/api/deals')};`,
      `export const deal: Answer<'/api/deals/{id}'> = ${await real(`/api/deals/${f.sentinelDeal}`)};`,
      `export const summary: Answer<'/api/programme/summary'> = ${await real('/api/programme/summary')};`,
      `export const ledger: Answer<'/api/ledger'> = ${await real('/api/ledger')};`,
      'export const amount: string = deal.deal.amountCents;',
      '// @ts-expect-error the generated type knows amountCents, not amount_cents',
      'export const snake = deal.deal.amount_cents;',
    ].join('\n');
    writeFileSync(join(OUT, 'calls.ts'), calls);
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const checked = spawnSync(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'esnext',
        '--moduleResolution',
        'bundler',
        '--allowImportingTsExtensions',
        join(OUT, 'calls.ts'),
      ],
      { encoding: 'utf8' },
    );
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });
});
