/**
 * Public dollars already committed by the peer programmes, per programme, sub-area and state: each award
 * counted once at its furthest stage (see supersededAwards), awards without a stated amount counted as
 * awards but adding no dollars. An award in one US state is placed there; one spread over several states
 * is not split (the sources do not say how), it is placed under "several states".
 */
import { type Cents, sumCents } from '../money.ts';
import type { AwardStage } from './peer-award.ts';

export const SEVERAL_STATES = 'several';
export const NO_US_STATE = 'none';

export interface CountedAward {
  id: string;
  programmeId: string;
  subAreaId: string;
  stateFips: readonly string[];
  amount: Cents | null;
  stage: AwardStage;
  /** Set when a later stage of the same award replaces this row. */
  supersededBy: string | null;
}

export interface PublicDollars {
  amount: Cents;
  awards: number;
  withoutAmount: number;
}

export const placeOf = (stateFips: readonly string[]) =>
  stateFips.length === 1 ? stateFips[0]! : stateFips.length ? SEVERAL_STATES : NO_US_STATE;

function tally(awards: readonly CountedAward[]): PublicDollars {
  return {
    amount: sumCents(awards.map((a) => a.amount ?? 0n)),
    awards: awards.length,
    withoutAmount: awards.filter((a) => a.amount === null).length,
  };
}

function groupBy<K>(awards: readonly CountedAward[], key: (a: CountedAward) => K): Map<K, PublicDollars> {
  const groups = new Map<K, CountedAward[]>();
  for (const a of awards) groups.set(key(a), [...(groups.get(key(a)) ?? []), a]);
  return new Map([...groups].map(([k, list]) => [k, tally(list)]));
}

export function publicDollars(awards: readonly CountedAward[]) {
  const counted = awards.filter((a) => a.supersededBy === null);
  return {
    total: tally(counted),
    byProgramme: groupBy(counted, (a) => a.programmeId),
    byProgrammeStage: groupBy(counted, (a) => `${a.programmeId}|${a.stage}`),
    byProgrammeSubArea: groupBy(counted, (a) => `${a.programmeId}|${a.subAreaId}`),
    bySubArea: groupBy(counted, (a) => a.subAreaId),
    bySubAreaState: groupBy(counted, (a) => `${a.subAreaId}|${placeOf(a.stateFips)}`),
    byState: groupBy(counted, (a) => placeOf(a.stateFips)),
  };
}
