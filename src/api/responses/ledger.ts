/** What the ledger routes answer (routes/ledger.ts). */
import { z } from 'zod';
import { bigintString, centsString, writeResult } from './shared.ts';

const ledgerBatchResultSchema = z.object({
  recorded: z.number(),
  firstSeq: bigintString.nullable(),
  lastSeq: bigintString.nullable(),
});

const auditFaultSchema = z.object({ table: z.string(), seq: bigintString.optional(), reason: z.string() });

/** One ledger row: exact cents, the client's key, who recorded it when. */
export const ledgerEntrySchema = z.object({
  dealId: z.string(),
  amountCents: centsString,
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  kind: z.string(),
  seq: bigintString,
  clientKey: z.string(),
  effectiveOn: z.string(),
});

export const listLedgerResponse = z.object({
  items: z.array(ledgerEntrySchema),
});

export const recordLedgerEntryResponse = writeResult(ledgerBatchResultSchema);

export const verifyAuditResponse = z.union([
  z.object({
    ok: z.literal(true),
    rows: bigintString,
    headHash: z.string(),
    checkpoint: z.object({ seq: bigintString, signedAt: z.string() }).nullable(),
  }),
  z.object({ ok: z.literal(false), rows: bigintString, fault: auditFaultSchema }),
]);
