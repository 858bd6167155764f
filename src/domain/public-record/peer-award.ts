/**
 * An award of a peer programme (CHIPS, DOE LPO, DoD Office of Strategic Capital, DPA, EXIM) as its source
 * states it: amount and date may be blank, the status is the source's words with its class read from them.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { slug } from '../fields.ts';
import type { Cents } from '../money.ts';
import { optionalAmount, placesField, reportedDateField, sourcesField } from './fields.ts';

export const AWARD_STAGES = ['final', 'conditional', 'preliminary', 'unstated'] as const;
export type AwardStage = (typeof AWARD_STAGES)[number];

/** How far an award has gone, from the status's first words: a later stage replaces an earlier one. */
export function awardStage(status: string): AwardStage | null {
  const text = status.trim().toLowerCase();
  if (/^(final|closed|loan guarantee issued|awarded|approved)\b/.test(text)) return 'final';
  if (/^conditional\b/.test(text)) return 'conditional';
  if (/^(preliminary|announced|candidate)\b/.test(text)) return 'preliminary';
  if (/^status not stated\b/.test(text)) return 'unstated';
  return null;
}

const RANK: Record<AwardStage, number> = { final: 3, conditional: 2, preliminary: 1, unstated: 0 };
export const stageRank = (stage: AwardStage) => RANK[stage];

/** A row of peer-awards.csv or of an import in the same columns; sub_area_id may state the sub-area. */
export const peerAwardRowSchema = z.object({
  programme: z.string().trim().min(1, 'is required').max(300),
  recipient: z.string().trim().min(1, 'is required').max(300),
  technology: z.string().trim().min(1, 'is required').max(1000),
  amount: optionalAmount,
  date: reportedDateField,
  state: placesField,
  status: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(1000)
    .refine((s) => awardStage(s) !== null, {
      message:
        'must start with the stage: preliminary, announced, candidate, conditional, final, closed, awarded, approved, loan guarantee issued, or "status not stated"',
    }),
  source: sourcesField,
  subAreaId: slug.optional(),
});
export type PeerAwardRow = z.infer<typeof peerAwardRowSchema>;

/** An award's identity: the same row imported twice is one award. */
export function awardId(row: PeerAwardRow): string {
  const key = [
    row.programme,
    row.recipient,
    row.date?.text ?? '',
    row.amount?.toString() ?? '',
    row.status,
  ].join('\u0000');
  return `aw-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

export interface AwardForTotals {
  id: string;
  /** The programme as the row names it: a recipient's loan and its equity are two awards. */
  programme: string;
  recipient: string;
  amount: Cents | null;
  stage: AwardStage;
  /** Last day of the reported date, or null when the source gives none. */
  dateEnd: string | null;
}

/**
 * The awards that count: a recipient's award in one programme is reported at several stages (a preliminary
 * memorandum, then a final award of another amount); only its furthest stage counts, the latest on a tie.
 * Returns the id of each superseded award and the award that supersedes it.
 */
export function supersededAwards(awards: readonly AwardForTotals[]): Map<string, string> {
  const groups = new Map<string, AwardForTotals[]>();
  for (const a of awards) {
    const key = `${a.programme}\u0000${a.recipient.trim().toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const superseded = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const best = [...group].sort(
      (a, b) =>
        stageRank(b.stage) - stageRank(a.stage) ||
        (b.dateEnd ?? '').localeCompare(a.dateEnd ?? '') ||
        a.id.localeCompare(b.id),
    )[0]!;
    for (const a of group) if (a.id !== best.id) superseded.set(a.id, best.id);
  }
  return superseded;
}
