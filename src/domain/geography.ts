/**
 * Industrial geography: where the programme's capital goes. A deal's capital is placed at its company's
 * facilities (split evenly, the remainder cents on the first, so the map adds up to the ledger exactly),
 * or at the headquarters county when no facility is known, or at the headquarters state.
 */
import { invariant } from './errors.ts';

export interface DealPlace {
  dealId: string;
  deployedCents: bigint;
  pipelineCents: bigint;
  /** County FIPS (5 digits) of each facility; empty when none is known. */
  facilityCounties: string[];
  hqCounty: string | null;
  hqState: string | null;
}

export interface PlaceTotals {
  deployedCents: bigint;
  pipelineCents: bigint;
  deals: number;
}

function split(amount: bigint, parts: number): bigint[] {
  invariant(parts > 0, 'split needs at least one part');
  const share = amount / BigInt(parts);
  const out = Array.from({ length: parts }, () => share);
  out[0] = (out[0] as bigint) + (amount - share * BigInt(parts));
  return out;
}

export function placeCapital(deals: readonly DealPlace[]) {
  const counties = new Map<string, PlaceTotals>();
  const states = new Map<string, PlaceTotals>();
  let unplacedDeployed = 0n;
  let unplacedPipeline = 0n;
  const add = (map: Map<string, PlaceTotals>, key: string, deployed: bigint, pipeline: bigint) => {
    const t = map.get(key) ?? { deployedCents: 0n, pipelineCents: 0n, deals: 0 };
    t.deployedCents += deployed;
    t.pipelineCents += pipeline;
    t.deals += 1;
    map.set(key, t);
  };
  for (const d of deals) {
    const places = d.facilityCounties.length ? d.facilityCounties : d.hqCounty ? [d.hqCounty] : [];
    if (places.length) {
      const deployed = split(d.deployedCents, places.length);
      const pipeline = split(d.pipelineCents, places.length);
      places.forEach((county, i) => {
        add(counties, county, deployed[i] as bigint, pipeline[i] as bigint);
        add(states, county.slice(0, 2), deployed[i] as bigint, pipeline[i] as bigint);
      });
    } else if (d.hqState) {
      add(states, d.hqState, d.deployedCents, d.pipelineCents);
    } else {
      unplacedDeployed += d.deployedCents;
      unplacedPipeline += d.pipelineCents;
    }
  }
  return { counties, states, unplaced: { deployedCents: unplacedDeployed, pipelineCents: unplacedPipeline } };
}
