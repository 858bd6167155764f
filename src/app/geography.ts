/** Capital, pipeline and facilities by state and county, for the map, with the pipeline's filters. */
import { z } from 'zod';
import { facilityList } from '../db/companies-repo.ts';
import { dealPlacements } from '../db/deals-repo.ts';
import { slug } from '../domain/fields.ts';
import { placeCapital } from '../domain/geography.ts';
import { INSTRUMENTS } from '../domain/instruments.ts';
import { authorize } from '../domain/roles.ts';
import { OPEN_STAGES } from '../domain/stages.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';

export const geographyQuerySchema = z.object({
  areaId: slug.optional(),
  subAreaId: slug.optional(),
  instrument: z.enum(INSTRUMENTS).optional(),
});

export async function geography(ctx: AppContext, actor: Actor, query: z.infer<typeof geographyQuerySchema>) {
  // County totals can point at single deals: private side.
  authorize(actor, 'deals.read');
  const db = ctx.database.db;
  const rows = await dealPlacements(db, query);
  const placed = placeCapital(
    rows.map((r) => ({
      dealId: r.id,
      deployedCents: BigInt(r.net ?? 0),
      pipelineCents: OPEN_STAGES.includes(r.stage) ? BigInt(r.amount_cents) : 0n,
      facilityCounties: r.counties ?? [],
      hqCounty: r.hq_county_fips,
      hqState: r.hq_state_fips,
    })),
  );
  const facilities = await facilityList(db);
  const list = (m: Map<string, { deployedCents: bigint; pipelineCents: bigint; deals: number }>) =>
    [...m.entries()]
      .map(([fips, t]) => ({ fips, ...t }))
      .sort((a, b) => (b.deployedCents + b.pipelineCents > a.deployedCents + a.pipelineCents ? 1 : -1));
  const counties = list(placed.counties);
  return {
    states: list(placed.states),
    counties,
    facilities: facilities.map(camelCased),
    /** Counties with the most capital: the programme's clusters. */
    clusters: counties.slice(0, 10).map((c) => {
      const here = facilities.filter((f) => f.county_fips === c.fips);
      return { ...c, facilities: here.length, jobs: here.reduce((n, f) => n + (f.jobs ?? 0), 0) };
    }),
    unplaced: placed.unplaced,
  };
}
