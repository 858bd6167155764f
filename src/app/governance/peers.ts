/**
 * Peers and competing programmes, built from their awards (data/public-record/peer-awards.csv and imported
 * awards), not from typed sizes: each programme's public dollars by stage and sub-area, every award with its
 * sources and, where the collection holds it, the White House statement it cites; and crowding: the public
 * dollars already committed per sub-area and state next to the programme's own counted capital and open
 * pipeline. The peers' figures are public; the programme's own follow the small-cell rule on the public side.
 */
import { dealFigures } from '../../db/deals-repo.ts';
import { openPipelineBySubArea as openDealsBySubArea } from '../../db/governance-repo.ts';
import { peerAwardRows } from '../../db/public-record-repo.ts';
import { publicPipeline } from '../../domain/public-pipeline.ts';
import { type CountedAward, publicDollars } from '../../domain/public-record/crowding.ts';
import type { PublicSource } from '../../domain/public-record/fields.ts';
import { supersededAwards } from '../../domain/public-record/peer-award.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { geography } from '../geography.ts';
import { currentProgramme } from '../programme.ts';
import { publicAggregates, seesSuppressedFigures } from '../public-aggregates.ts';
import { peerProgrammes } from '../public-record/files.ts';
import { programmeAggregates } from '../summary.ts';

/** Open pipeline by sub-area: exact for the private side; for the public side, null where fewer than k deals. */
async function openPipelineBySubArea(ctx: AppContext, actor: Actor): Promise<Map<string, bigint | null>> {
  if (seesSuppressedFigures(actor)) {
    const [deals, { programme }] = await Promise.all([
      dealFigures(ctx.database.db),
      currentProgramme(ctx.database.db),
    ]);
    const figures = publicPipeline(
      deals.map((d) => ({
        dealId: d.id,
        stage: d.stage,
        subAreaId: d.sub_area_id,
        amount: d.amount_cents,
      })),
      programme.disclosure,
    ).openBySubArea;
    // A hidden sub-area is not listed for its own sake: its presence would say it has open deals.
    return new Map([...figures].filter(([, f]) => f !== null).map(([id, f]) => [id, f?.amount ?? null]));
  }
  const pipeline = await openDealsBySubArea(ctx.database.db);
  return new Map([...pipeline].map(([subAreaId, p]) => [subAreaId, p.amount]));
}

/** The programme's counted capital by sub-area: the public side's figures are the suppressed aggregates. */
async function countedBySubArea(ctx: AppContext, actor: Actor): Promise<Map<string, bigint | null>> {
  const summary = seesSuppressedFigures(actor)
    ? await publicAggregates(ctx, actor)
    : await programmeAggregates(ctx, actor);
  return new Map(summary.bySubArea.map((b) => [b.key, b.counted]));
}

/** The programme's deployed capital by state (private side only: a state can point at one deal). */
async function deployedByState(ctx: AppContext, actor: Actor): Promise<Map<string, bigint> | null> {
  if (seesSuppressedFigures(actor)) return null;
  const placed = await geography(ctx, actor, {});
  return new Map(placed.states.map((s) => [s.fips, s.deployedCents]));
}

export async function peerAwards(ctx: AppContext) {
  const rows = await peerAwardRows(ctx.database.db);
  const superseded = supersededAwards(
    rows.map((r) => ({
      id: r.id,
      programme: r.programme,
      recipient: r.recipient,
      amount: r.amount_cents,
      stage: r.stage,
      dateEnd: r.date_end,
    })),
  );
  return rows.map((r) => ({
    id: r.id,
    programme: r.programme,
    programmeId: r.programme_id,
    recipient: r.recipient,
    technology: r.technology,
    amount: r.amount_cents,
    date: r.date_text,
    dateStart: r.date_start,
    dateEnd: r.date_end,
    state: r.state_text,
    stateFips: r.state_fips,
    outsideUs: r.outside_us,
    status: r.status,
    stage: r.stage,
    subAreaId: r.sub_area_id,
    sources: r.sources as PublicSource[],
    statement: r.statement_path
      ? { path: r.statement_path, title: r.statement_title ?? r.statement_path }
      : null,
    supersededBy: superseded.get(r.id) ?? null,
  }));
}

export async function peerOverlap(ctx: AppContext, actor: Actor) {
  authorize(actor, 'programme.aggregates');
  const [awards, ours, counted, deployed] = await Promise.all([
    peerAwards(ctx),
    openPipelineBySubArea(ctx, actor),
    countedBySubArea(ctx, actor),
    deployedByState(ctx, actor),
  ]);
  const figures = publicDollars(awards as CountedAward[]);
  const publicSide = seesSuppressedFigures(actor);
  const programmes = peerProgrammes().map((p) => {
    const own = awards.filter((a) => a.programmeId === p.id);
    const tally = figures.byProgramme.get(p.id);
    return {
      id: p.id,
      name: p.name,
      sponsor: p.sponsor,
      kind: p.kind,
      subAreas: [...new Set(own.map((a) => a.subAreaId))].sort(),
      source: p.source,
      awards: own.length,
      counted: tally?.awards ?? 0,
      withoutAmount: tally?.withoutAmount ?? 0,
      /** Public dollars committed: each award once, at its furthest stage. */
      publicDollars: tally?.amount ?? 0n,
      byStage: (['final', 'conditional', 'preliminary', 'unstated'] as const).map((stage) => ({
        stage,
        amount: figures.byProgrammeStage.get(`${p.id}|${stage}`)?.amount ?? 0n,
        awards: figures.byProgrammeStage.get(`${p.id}|${stage}`)?.awards ?? 0,
      })),
      bySubArea: [...figures.byProgrammeSubArea]
        .filter(([key]) => key.startsWith(`${p.id}|`))
        .map(([key, t]) => ({ subAreaId: key.slice(p.id.length + 1), amount: t.amount, awards: t.awards })),
    };
  });
  const subAreas = [...new Set([...figures.bySubArea.keys(), ...ours.keys()])].sort();
  const overlap = subAreas.map((subAreaId) => {
    const peersHere = programmes.filter((p) => p.bySubArea.some((s) => s.subAreaId === subAreaId));
    const pub = figures.bySubArea.get(subAreaId);
    // For the public side a sub-area not shown may be empty or hidden: neither reads as zero.
    const known = !publicSide || ours.has(subAreaId);
    const pipelineDollars = Number(ours.get(subAreaId) ?? 0n) / 100;
    const ourCounted = counted.has(subAreaId) ? (counted.get(subAreaId) ?? null) : publicSide ? null : 0n;
    return {
      subAreaId,
      peers: peersHere.map((p) => p.id),
      publicDollars: pub?.amount ?? 0n,
      publicAwards: pub?.awards ?? 0,
      ourCounted,
      /** Dollars (float): an indicator beside the exact figures. */
      ourOpenPipeline: known ? pipelineDollars : null,
      /** Public dollars per dollar the programme counted here (float; null where ours is 0 or not shown). */
      crowding: ourCounted && ourCounted > 0n ? Number(pub?.amount ?? 0n) / Number(ourCounted) : null,
      byState: [...figures.bySubAreaState]
        .filter(([key]) => key.startsWith(`${subAreaId}|`))
        .map(([key, t]) => ({ place: key.slice(subAreaId.length + 1), amount: t.amount, awards: t.awards })),
    };
  });
  const states = [...figures.byState].map(([place, t]) => ({
    place,
    publicDollars: t.amount,
    awards: t.awards,
    ourDeployed: deployed === null ? null : (deployed.get(place) ?? 0n),
  }));
  return {
    programmes,
    awards,
    total: figures.total,
    overlap,
    states,
    note: "Each award counts once, at its furthest stage; an award spread over several states is not split. The programme's own figures by state are private-side only.",
  };
}
