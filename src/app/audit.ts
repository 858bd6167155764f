/**
 * `keel audit verify`: the audit chain from its genesis to its head, the chain against signed checkpoints
 * (the one stored last and any given from outside), every ledger row against the audit entry that wrote it,
 * and the kept totals and cap usage against the ledger. The first fault is reported, naming its table and
 * row; a chain that is sound up to its head but rewritten wholesale is caught by the checkpoint.
 */
import { latestStoredCheckpoint, readAuditHead, readAuditPage } from '../db/audit-repo.ts';
import { findChainFault, GENESIS_HASH } from '../domain/audit-chain.ts';
import {
  keyFingerprint,
  publicKeyFromText,
  publicKeyText,
  type SignedCheckpoint,
  signatureHolds,
} from '../domain/audit-checkpoint.ts';
import { authorize } from '../domain/roles.ts';
import { findDerivedFault } from './audit-derived.ts';
import { auditPublicKey } from './audit-key.ts';
import { LedgerClaims } from './audit-ledger.ts';
import type { Actor, AppContext, Progress } from './context.ts';

const PAGE = 10_000;

export interface AuditFault {
  /** The table where the fault is: audit_log, audit_checkpoints, ledger_entries, commitment_totals, cap_usage, deal_balances. */
  table: string;
  /** The row, when one row is to blame (audit_log and ledger_entries sequence numbers). */
  seq?: bigint;
  reason: string;
}

export type AuditVerdict =
  | {
      ok: true;
      rows: bigint;
      headHash: string;
      /** The latest checkpoint the chain was checked against, if any. */
      checkpoint: { seq: bigint; signedAt: string } | null;
    }
  | { ok: false; rows: bigint; fault: AuditFault };

export interface VerifyOptions {
  /** Checkpoints kept outside the database (`keel audit verify --checkpoint FILE`). */
  checkpoints?: SignedCheckpoint[];
  onProgress?: Progress;
}

/** A checkpoint whose signature holds, as the row and hash the chain must have. */
interface Anchor {
  seq: bigint;
  hash: string;
  signedAt: string;
  where: string;
}

export async function verifyAudit(
  ctx: AppContext,
  actor: Actor,
  options: VerifyOptions = {},
): Promise<AuditVerdict> {
  authorize(actor, 'audit.verify');
  const { db } = ctx.database;
  const failed = (rows: bigint, fault: AuditFault): AuditVerdict => ({ ok: false, rows, fault });

  const anchors = await trustedAnchors(ctx, options.checkpoints ?? []);
  if ('fault' in anchors) return failed(0n, anchors.fault);
  const pinned = new Map<bigint, Anchor[]>();
  for (const a of anchors) pinned.set(a.seq, [...(pinned.get(a.seq) ?? []), a]);

  const head = await readAuditHead(db);
  const claims = new LedgerClaims();
  let previous = { seq: 0n, hash: GENESIS_HASH };
  const atGenesis = pinned.get(0n)?.find((a) => a.hash !== GENESIS_HASH);
  if (atGenesis) return failed(0n, rewritten(0n, atGenesis));
  for (;;) {
    const rows = await readAuditPage(db, previous.seq, PAGE);
    const fault = findChainFault(rows, previous);
    if (fault) return failed(previous.seq, { table: 'audit_log', ...fault });
    if (!rows.length) break;
    for (const row of rows) {
      const anchor = pinned.get(row.seq)?.find((a) => a.hash !== row.hash);
      if (anchor) return failed(previous.seq, rewritten(row.seq, anchor));
      claims.noteAuditRow(row);
    }
    const last = rows[rows.length - 1]!;
    previous = { seq: last.seq, hash: last.hash };
    options.onProgress?.(Number(previous.seq), Number(head.seq));
  }
  if (previous.seq !== head.seq || previous.hash !== head.hash) {
    const seq = previous.seq < head.seq ? previous.seq + 1n : head.seq + 1n;
    return failed(previous.seq, {
      table: 'audit_log',
      seq,
      reason: `the chain ends at row ${previous.seq} but its head records row ${head.seq}: rows were removed or added at the end`,
    });
  }
  const beyond = anchors.find((a) => a.seq > head.seq);
  if (beyond)
    return failed(head.seq, {
      table: 'audit_log',
      seq: head.seq + 1n,
      reason: `the chain ends at row ${head.seq} but ${beyond.where} (signed ${beyond.signedAt}) records row ${beyond.seq}: rows were removed`,
    });

  const ledgerFault = await claims.check(db);
  if (ledgerFault) return failed(head.seq, ledgerFault);
  const derivedFault = await findDerivedFault(ctx);
  if (derivedFault) return failed(head.seq, derivedFault);

  const latest = anchors.reduce<Anchor | null>((a, b) => (!a || b.seq > a.seq ? b : a), null);
  return {
    ok: true,
    rows: head.seq,
    headHash: head.hash,
    checkpoint: latest && { seq: latest.seq, signedAt: latest.signedAt },
  };
}

function rewritten(seq: bigint, anchor: Anchor): AuditFault {
  return {
    table: 'audit_log',
    seq,
    reason: `row ${seq} differs from ${anchor.where} signed ${anchor.signedAt}: the chain was rewritten at or before this row`,
  };
}

/**
 * The stored latest checkpoint and those from outside, each with its signature checked against the key file
 * (never against a key the database supplies). Without a key file here, a checkpoint from outside is taken
 * on its own key (the file itself is the anchor), but a stored one cannot be trusted.
 */
async function trustedAnchors(
  ctx: AppContext,
  outside: SignedCheckpoint[],
): Promise<Anchor[] | { fault: AuditFault }> {
  const key = auditPublicKey(ctx.auditKeyFile);
  const stored = await latestStoredCheckpoint(ctx.database.db);
  const candidates = [
    ...(stored ? [{ checkpoint: stored, where: 'the latest stored checkpoint', stored: true }] : []),
    ...outside.map((checkpoint, i) => ({
      checkpoint,
      where: `the checkpoint given (${i + 1})`,
      stored: false,
    })),
  ];
  const anchors: Anchor[] = [];
  for (const { checkpoint, where, stored: isStored } of candidates) {
    let trusted = key;
    if (!trusted && isStored)
      return {
        fault: {
          table: 'audit_checkpoints',
          reason: `${where} (signed ${checkpoint.signedAt}) cannot be checked: no audit key at ${ctx.auditKeyFile ?? '(none configured)'}; set KEEL_AUDIT_KEY`,
        },
      };
    trusted ??= publicKeyFromText(checkpoint.publicKey);
    if (key && publicKeyText(key) !== checkpoint.publicKey)
      return {
        fault: {
          table: 'audit_checkpoints',
          reason: `${where} (signed ${checkpoint.signedAt}) names key ${keyFingerprint(checkpoint.publicKey)}, not the audit key ${keyFingerprint(publicKeyText(key))}: it was not signed here`,
        },
      };
    if (!signatureHolds(checkpoint, trusted))
      return {
        fault: {
          table: 'audit_checkpoints',
          reason: `${where} (signed ${checkpoint.signedAt}) has a signature that does not hold: it was altered or forged`,
        },
      };
    anchors.push({
      seq: BigInt(checkpoint.seq),
      hash: checkpoint.hash,
      signedAt: checkpoint.signedAt,
      where,
    });
  }
  return anchors;
}
