import { z } from 'zod';
import { entryAmount, isoDate, positiveAmount, slug, sourceNote } from './fields.ts';
import { INSTRUMENTS } from './instruments.ts';
import { ENTRY_KINDS } from './ledger.ts';
import { STAGES } from './stages.ts';

export const CLASSIFICATIONS = ['baseline', 'incremental'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** A deal's name, as opened and as amended. */
export const dealName = z.string().trim().min(1).max(200);

/**
 * The deal team, as opened and as amended: one rule for both (opening took any number of members of any
 * length, 5,000 of them in the fresh-eyes attack, while an amendment allowed 50).
 */
export const dealTeam = z.array(z.string().trim().min(1).max(100)).max(50);

export const dealInputSchema = z.object({
  id: slug,
  /** What people call the deal; search finds it by any word of it. */
  name: dealName.optional(),
  companyId: slug,
  subAreaId: slug,
  instrument: z.enum(INSTRUMENTS),
  /** Dollars as text ("75000000.00"), parsed exactly to cents. */
  amount: positiveAmount,
  stage: z.enum(STAGES).default('sourced'),
  /** Flags a historical import (admin only): the reference of the decision taken outside Keel's committee. */
  historicalDecisionRef: z.string().trim().min(3).max(500).optional(),
  classification: z.enum(CLASSIFICATIONS),
  openedOn: isoDate,
  announcedOn: isoDate.optional(),
  team: dealTeam.default([]),
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
  amount: entryAmount,
  effectiveOn: isoDate,
  note: z.string().max(2000).optional(),
});
export type LedgerEntryInput = z.infer<typeof ledgerEntryInputSchema>;
