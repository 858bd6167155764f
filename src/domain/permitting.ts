/**
 * Permits and regulatory bottlenecks. Each permit a project needs moves through stages with dates; from
 * those Keel measures days spent in each stage, which permits block which capital, and which permit types
 * and agencies are the slowest — the figures the programme brings to the policy dialogue.
 */
import { z } from 'zod';
import { invariant, KeelError } from './errors.ts';
import { isoDate, slug } from './fields.ts';
import type { Cents } from './money.ts';

export const PERMIT_KINDS = [
  'nepa_categorical_exclusion',
  'nepa_environmental_assessment',
  'nepa_environmental_impact_statement',
  'state_environmental',
  'local_zoning',
  'grid_interconnection',
  'nrc_licence',
  'air_permit',
  'clean_water_404',
  'mine_plan_of_operations',
  'other',
] as const;
export const PERMIT_STAGES = [
  'not_started',
  'applied',
  'under_review',
  'approved',
  'denied',
  'withdrawn',
] as const;
export type PermitStage = (typeof PERMIT_STAGES)[number];
/** Stages in which a required permit holds its project back. */
export const BLOCKING: ReadonlySet<PermitStage> = new Set(['not_started', 'applied', 'under_review']);
const FINAL: ReadonlySet<PermitStage> = new Set(['approved', 'denied', 'withdrawn']);

export const permitInputSchema = z.object({
  dealId: slug,
  kind: z.enum(PERMIT_KINDS),
  agency: z.string().min(2).max(200),
  jurisdiction: z.enum(['federal', 'state', 'local', 'utility']),
  stage: z.enum(PERMIT_STAGES).default('not_started'),
  on: isoDate,
  note: z.string().max(2000).optional(),
});
export const permitMoveSchema = z.object({ stage: z.enum(PERMIT_STAGES), on: isoDate });

export interface StageEvent {
  stage: PermitStage;
  on: string;
}

/** The stages a permit may move to from `stage`: forward, or to a decision; none once decided. */
export function nextPermitStages(stage: PermitStage): PermitStage[] {
  if (FINAL.has(stage)) return [];
  const at = PERMIT_STAGES.indexOf(stage);
  return PERMIT_STAGES.filter((s, i) => s !== stage && (FINAL.has(s) || i > at));
}

/** A permit's stage may move forward or end; it never reopens after a final decision, and dates never go back. */
export function assertPermitMove(events: readonly StageEvent[], next: StageEvent): void {
  const last = events.at(-1);
  invariant(last !== undefined, 'a permit has at least its first stage');
  if (FINAL.has(last.stage))
    throw new KeelError(
      'invalid_permit_move',
      `the permit was ${last.stage} on ${last.on}; it cannot move again`,
    );
  if (next.on < last.on)
    throw new KeelError('invalid_permit_move', `${next.on} is before the last move (${last.on})`);
  if (next.stage === last.stage)
    throw new KeelError('invalid_permit_move', `the permit is already ${next.stage}`);
  if (!nextPermitStages(last.stage).includes(next.stage)) {
    throw new KeelError('invalid_permit_move', `a permit cannot go back from ${last.stage} to ${next.stage}`);
  }
}

const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** Days spent in each stage; the current stage counts up to `asOf`. */
export function daysInStages(
  events: readonly StageEvent[],
  asOf: string,
): Partial<Record<PermitStage, number>> {
  const out: Partial<Record<PermitStage, number>> = {};
  events.forEach((e, i) => {
    const end = events[i + 1]?.on ?? (FINAL.has(e.stage) ? e.on : asOf);
    out[e.stage] = (out[e.stage] ?? 0) + Math.max(0, days(e.on, end));
  });
  return out;
}

export interface PermitRecord {
  dealId: string;
  kind: (typeof PERMIT_KINDS)[number];
  agency: string;
  events: StageEvent[];
  /** The capital the deal carries (its amount), blocked while any required permit is open. */
  dealAmount: Cents;
}

export interface Bottleneck {
  kind: string;
  agency: string;
  permits: number;
  open: number;
  /** Distinct projects held back, and their capital (each project once per row). */
  projectsBlocked: number;
  capitalBlocked: bigint;
  /** Median days from application to decision (decided permits) or to date (open ones). */
  medianDaysInReview: number;
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Ranked slowest first; also the whole programme's blocked projects and capital, each project counted once. */
export function bottlenecks(permits: readonly PermitRecord[], asOf: string) {
  const groups = new Map<string, PermitRecord[]>();
  for (const p of permits) {
    const key = `${p.kind}\u0000${p.agency}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const isOpen = (p: PermitRecord) => BLOCKING.has((p.events.at(-1) as StageEvent).stage);
  const rows: Bottleneck[] = [...groups.values()].map((list) => {
    const open = list.filter(isOpen);
    const blocked = new Map(open.map((p) => [p.dealId, p.dealAmount]));
    const review = list.flatMap((p) => {
      const d = daysInStages(p.events, asOf);
      const applied = (d.applied ?? 0) + (d.under_review ?? 0);
      return p.events.some((e) => e.stage === 'applied' || e.stage === 'under_review') ? [applied] : [];
    });
    return {
      kind: (list[0] as PermitRecord).kind,
      agency: (list[0] as PermitRecord).agency,
      permits: list.length,
      open: open.length,
      projectsBlocked: blocked.size,
      capitalBlocked: [...blocked.values()].reduce((s, a) => s + a, 0n),
      medianDaysInReview: median(review),
    };
  });
  rows.sort(
    (a, b) => b.medianDaysInReview - a.medianDaysInReview || (b.capitalBlocked > a.capitalBlocked ? 1 : -1),
  );
  const blockedDeals = new Map(permits.filter(isOpen).map((p) => [p.dealId, p.dealAmount]));
  return {
    rows,
    projectsBlocked: blockedDeals.size,
    capitalBlocked: [...blockedDeals.values()].reduce((s, a) => s + a, 0n),
  };
}
