import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

// The scipy-made fixture of the unit test (test/fixtures/irb-reference.py).
const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'irb-reference.json'), 'utf8'),
) as { irb: Array<Record<string, number>> };

describeOnBackends('credit API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());
  const get = (url: string, role: keyof ApiFixture['tokens'] = 'risk_compliance') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });

  it('GET /api/credit/irb answers the IRB figures, equal to scipy to 1e-9', async () => {
    const c = reference.irb.find((r) => r.sales === 3 && r.pd === 0.005)!;
    const response = await get(`/api/credit/irb?pd=${c.pd}&lgd=${c.lgd}&maturity=${c.maturity}&sales=3`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    for (const key of ['correlation', 'maturityAdjustment', 'capitalK', 'riskWeight']) {
      expect(Math.abs(body[key] - c[key]!), key).toBeLessThan(1e-9);
    }
  });

  it('refuses bad figures with 400 naming the field, never a 5xx', async () => {
    for (const query of [
      'pd=1&lgd=0.45&maturity=2.5',
      'pd=0&lgd=0.45&maturity=2.5',
      'pd=0.01&lgd=2&maturity=2.5',
      'pd=0.01&lgd=0.45&maturity=0',
      'pd=0.01&lgd=0.45',
      'pd=1e-3&lgd=0.45&maturity=2.5',
      'pd=NaN&lgd=0.45&maturity=2.5',
      'pd=0.01&lgd=0.45&maturity=2.5&sales=-5',
      `pd=0.${'0'.repeat(400)}1&lgd=0.45&maturity=2.5`,
    ]) {
      const response = await get(`/api/credit/irb?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('is private side: a research analyst is refused', async () => {
    const response = await get('/api/credit/irb?pd=0.01&lgd=0.45&maturity=2.5', 'research_analyst');
    expect(response.statusCode).toBe(403);
  });
});
