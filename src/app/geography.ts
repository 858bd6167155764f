/** Capital, pipeline and facilities by state and county, for the map, with the pipeline's filters. */
import { sql } from 'kysely';
import { z } from 'zod';
import { slug } from '../domain/fields.ts';
import { placeCapital } from '../domain/geography.ts';
import { INSTRUMENTS } from '../domain/instruments.ts';
import { authorize } from '../domain/roles.ts';
import { OPEN_STAGES, type Stage } from '../domain/stages.ts';
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
  const rows = await sql<{
    id: string;
    stage: string;
    amount_cents: bigint;
    net: bigint;
    hq_county_fips: string | null;
    hq_state_fips: string | null;
    counties: string[] | null;
  }>`
    SELECT d.id, d.stage, d.amount_cents, c.hq_county_fips, c.hq_state_fips,
           coalesce((SELECT sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END)
                     FROM ledger_entries e WHERE e.deal_id = d.id AND e.kind IN ('commitment', 'cancellation')), 0)::bigint AS net,
           (SELECT array_agg(f.county_fips ORDER BY f.id) FROM facilities f WHERE f.company_id = d.company_id AND f.county_fips IS NOT NULL) AS counties
    FROM deals d JOIN companies c ON c.id = d.company_id JOIN sub_areas s ON s.id = d.sub_area_id
    WHERE (${query.areaId ?? null}::text IS NULL OR s.area_id = ${query.areaId ?? null})
      AND (${query.subAreaId ?? null}::text IS NULL OR d.sub_area_id = ${query.subAreaId ?? null})
      AND (${query.instrument ?? null}::text IS NULL OR d.instrument = ${query.instrument ?? null})`.execute(
    db,
  );
  const placed = placeCapital(
    rows.rows.map((r) => ({
      dealId: r.id,
      deployedCents: BigInt(r.net),
      pipelineCents: OPEN_STAGES.includes(r.stage as Stage) ? BigInt(r.amount_cents) : 0n,
      facilityCounties: r.counties ?? [],
      hqCounty: r.hq_county_fips,
      hqState: r.hq_state_fips,
    })),
  );
  const facilities = await db
    .selectFrom('facilities')
    .innerJoin('companies', 'companies.id', 'facilities.company_id')
    .select([
      'facilities.name',
      'facilities.kind',
      'facilities.state_fips',
      'facilities.county_fips',
      'facilities.jobs',
      'companies.name as company',
    ])
    .execute();
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
