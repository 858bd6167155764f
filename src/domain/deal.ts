import { z } from 'zod';
import { isoDate, slug, sourceNote } from './fields.ts';
import { INSTRUMENTS } from './instruments.ts';
import { ENTRY_KINDS } from './ledger.ts';
import { MAX_ENTRY_CENTS } from './money.ts';
import { STAGES } from './stages.ts';

const positiveCents = z
  .bigint()
  .refine((value) => value > 0n, 'must be greater than zero')
  .refine((value) => value <= MAX_ENTRY_CENTS, 'is above the per-entry maximum of $1,000,000,000,000,000.00');

export const CLASSIFICATIONS = ['baseline', 'incremental'] as const;

export const dealInputSchema = z.object({
  id: slug,
  companyId: slug,
  subAreaId: slug,
  instrument: z.enum(INSTRUMENTS),
  amount: positiveCents,
  stage: z.enum(STAGES).default('sourced'),
  /** Flags a historical import (admin only): the reference of the decision taken outside Keel's committee. */
  historicalDecisionRef: z.string().trim().min(3).max(500).optional(),
  classification: z.enum(CLASSIFICATIONS),
  openedOn: isoDate,
  announcedOn: isoDate.optional(),
  team: z.array(z.string().min(1)).default([]),
  source: sourceNote,
  synthetic: z.boolean().default(false),
  /** Analyst's expected resilience gain, 0-100 (the research engine's score replaces it when present). */
  resilienceScore: z.number().min(0).max(100).optional(),
  /** Expected annual return as a fraction (0.12 = 12 %). */
  expectedReturn: z.number().min(-1).max(10).optional(),
  riskScore: z.number().min(0).max(100).optional(),
});
export type DealInput = z.infer<typeof dealInputSchema>;

export const ledgerEntryInputSchema = z.object({
  clientKey: z.string().min(1, 'is required').max(200),
  dealId: slug,
  kind: z.enum(ENTRY_KINDS),
  /** Valuation marks may be zero (a written-down position); the ledger rules check that. */
  amount: z
    .bigint()
    .refine(
      (value) => value >= 0n && value <= MAX_ENTRY_CENTS,
      'must be from 0 to $1,000,000,000,000,000.00',
    ),
  effectiveOn: isoDate,
  note: z.string().max(2000).optional(),
});
export type LedgerEntryInput = z.infer<typeof ledgerEntryInputSchema>;
