/**
 * The web client is typed from the route maps: the type checker (`npm run typecheck`, in CI) refuses a call
 * with a wrong body or params, a read of a field a response lacks, and a stage compared with a string that
 * is no stage. Each `@ts-expect-error` fails the type check if the line it marks ever compiles. The calls
 * are never run; the runtime test checks how the client builds URLs.
 */
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/domain/stages.ts';
import { api, urlFor } from '../../src/web/api.ts';

async function refusedByTheTypeChecker() {
  // A body the route does not take: a stage that does not exist, a field it does not have, none at all.
  // @ts-expect-error 'sideways' is not a stage
  await api.post('/api/deals/:id/stage', { params: { id: 'd' }, body: { to: 'sideways' } });
  // @ts-expect-error the stage route's body has no `stage`
  await api.post('/api/deals/:id/stage', { params: { id: 'd' }, body: { to: 'screening', stage: 'x' } });
  // @ts-expect-error opening a deal needs its body
  await api.post('/api/deals', {});
  // @ts-expect-error a GET sends no body
  await api.get('/api/deals', { body: { stage: 'screening' } });
  // @ts-expect-error the path has an :id to fill
  await api.get('/api/deals/:id');
  // @ts-expect-error no such route
  await api.get('/api/deal');

  // A field the response does not have.
  const { deal } = await api.get('/api/deals/:id', { params: { id: 'd' } });
  // @ts-expect-error the wire is camelCase: amountCents
  void deal.amount_cents;
  // @ts-expect-error amounts are strings of cents, not numbers
  const asNumber: number = deal.amountCents;
  const cents: string = deal.amountCents;

  // A stage is the domain's union: comparing it with a string that is no stage is refused.
  const stage: Stage = deal.stage;
  // @ts-expect-error 'sideways' is no stage, so this comparison can never be true
  const never = deal.stage === 'sideways';

  // A write answers {result, replayed}.
  const moved = await api.post('/api/deals/:id/stage', { params: { id: 'd' }, body: { to: 'screening' } });
  const replayed: boolean = moved.replayed;
  // @ts-expect-error the use case's answer is under `result`
  void moved.dealId;
  return [asNumber, cents, stage, never, replayed, moved.result.dealId];
}

describe('typed web client', () => {
  it('is typed by the type checker, not at run time (the calls above are never made)', () => {
    expect(typeof refusedByTheTypeChecker).toBe('function');
  });

  it('fills path params and the query into the URL', () => {
    expect(urlFor('/api/deals/:id/stack', { params: { id: 'a b/c' } })).toBe('/api/deals/a%20b%2Fc/stack');
    expect(urlFor('/api/deals', { query: { stage: 'screening', subAreaId: undefined } })).toBe(
      '/api/deals?stage=screening',
    );
    expect(() => urlFor('/api/deals/:id', {})).toThrow(/no value for :id/);
  });
});
