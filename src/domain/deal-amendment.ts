/**
 * Editing a deal after it was opened. What the ledger counts a deal's money by (its amount, sub-area,
 * instrument and classification) changes, once the deal has ledger entries, only by an amendment that says
 * why; every change, with or without a reason, is kept field by field with who made it and when.
 */
import { z } from 'zod';
import { CLASSIFICATIONS, dealName, dealTeam } from './deal.ts';
import { KeelError } from './errors.ts';
import { isoDate, positiveAmount, slug, sourceNote } from './fields.ts';
import { INSTRUMENTS } from './instruments.ts';
import { toDecimalString } from './money.ts';

export const dealAmendmentInputSchema = z
  .object({
    name: dealName.optional(),
    team: dealTeam.optional(),
    /** null clears the announcement date (an announcement that was withdrawn). */
    announcedOn: isoDate.nullable().optional(),
    source: sourceNote.optional(),
    amount: positiveAmount.optional(),
    subAreaId: slug.optional(),
    instrument: z.enum(INSTRUMENTS).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    reason: z.string().trim().min(3, 'needs at least 3 characters').max(2000).optional(),
  })
  .strict();
export type DealAmendmentInput = z.infer<typeof dealAmendmentInputSchema>;

/** The fields the ledger's kept totals and cap usage are keyed or measured by. */
export const LEDGER_REFERENCED_FIELDS = ['amount', 'subAreaId', 'instrument', 'classification'] as const;
const EDITABLE_FIELDS = ['name', 'team', 'announcedOn', 'source', ...LEDGER_REFERENCED_FIELDS] as const;
export type AmendableField = (typeof EDITABLE_FIELDS)[number];

/** A deal's editable fields as stored. */
export interface AmendableDeal {
  name: string | null;
  team: readonly string[];
  announcedOn: string | null;
  source: string;
  amount: bigint;
  subAreaId: string;
  instrument: string;
  classification: string;
}

export interface FieldChange {
  field: AmendableField;
  from: string | null;
  to: string | null;
}

/** Each field as text for the amendment history: amounts in plain dollars, a team as its names. */
function asText(field: AmendableField, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (field === 'amount') return toDecimalString(value as bigint);
  if (field === 'team') return (value as readonly string[]).join(', ');
  return String(value);
}

/** The fields `input` changes, each from and to as text; fields it repeats unchanged are left out. */
export function dealChanges(deal: AmendableDeal, input: DealAmendmentInput): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of EDITABLE_FIELDS) {
    const next = input[field];
    if (next === undefined) continue;
    const from = asText(field, deal[field]);
    const to = asText(field, next);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * Refuses an edit that changes nothing, and a change to what the ledger counts by on a deal with ledger
 * entries without a reason.
 */
export function assertAmendment(changes: readonly FieldChange[], hasLedgerEntries: boolean, reason?: string) {
  if (!changes.length) throw new KeelError('nothing_changed', 'the edit changes no field of the deal');
  const referenced = changes.filter((c) => (LEDGER_REFERENCED_FIELDS as readonly string[]).includes(c.field));
  if (hasLedgerEntries && referenced.length && !reason) {
    throw new KeelError(
      'reason_required',
      `the ledger already references this deal: changing ${referenced.map((c) => c.field).join(', ')} is an amendment and needs a reason`,
      { fields: referenced.map((c) => c.field) },
    );
  }
}
