/**
 * GET /api/demo: how the web app knows to show the "synthetic demo data" banner. Public (the login page of a
 * demo shows it too), true only on a folder seeded by `keel demo`, and it tells nothing else.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { seedDemo } from '../../src/app/demo.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';

describeOnBackends('GET /api/demo', (backend) => {
  let demo: TestKeel;
  let real: TestKeel;
  let demoApp: Awaited<ReturnType<typeof buildServer>>;
  let realApp: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    demo = await freshKeel(backend, { init: false });
    await seedDemo(demo, testAdmin, { deals: 40, seed: 3 });
    real = await freshKeel(backend);
    demoApp = await buildServer(demo, {});
    realApp = await buildServer(real, {});
  }, 120_000);
  afterAll(async () => {
    await demoApp?.close();
    await realApp?.close();
    await demo?.close();
    await real?.close();
  });

  it('says synthetic on a demo folder, to anyone, signed in or not', async () => {
    const res = await demoApp.inject({ method: 'GET', url: '/api/demo' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ synthetic: true, source: 'synthetic demo (seed 3)' });
  });

  it('says not synthetic on a real folder', async () => {
    const res = await realApp.inject({ method: 'GET', url: '/api/demo' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ synthetic: false, source: null });
  });

  it('cannot be written: there is no route to set or clear the flag', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const res = await realApp.inject({ method, url: '/api/demo', payload: { synthetic: true } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect((await realApp.inject({ method: 'GET', url: '/api/demo' })).json().synthetic).toBe(false);
  });
});
