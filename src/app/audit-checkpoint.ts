/**
 * `keel audit checkpoint` and the audit log page's "Sign a checkpoint": signs the audit chain's head with the
 * key outside the database, stores the signed checkpoint and returns it for the operator to keep elsewhere.
 * The checkpoint is itself an audited write, so the chain records that it was taken (its own audit row comes
 * after the head it signs).
 */
import { randomUUID } from 'node:crypto';
import { insertCheckpoint, lockAuditHead } from '../db/audit-repo.ts';
import { type SignedCheckpoint, signCheckpoint } from '../domain/audit-checkpoint.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize } from '../domain/roles.ts';
import { verifyAudit } from './audit.ts';
import { auditKeyForSigning } from './audit-key.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import { serverKey, type WriteKey } from './write-key.ts';

export async function checkpointAudit(
  ctx: AppContext,
  actor: Actor,
  // The command line's each run is a new act (a fresh key); a browser's request carries its own, so a second
  // click or a retry answers the checkpoint already signed rather than signing again.
  key: WriteKey = serverKey('audit.checkpoint', randomUUID()),
) {
  authorize(actor, 'audit.checkpoint');
  if (!ctx.auditKeyFile)
    throw new KeelError('no_audit_key', 'no audit key file is configured (set KEEL_AUDIT_KEY)');
  const keys = auditKeyForSigning(ctx.auditKeyFile);
  // A signature over a tampered book would vouch for the tampering: verify first, sign only a sound chain.
  const verdict = await verifyAudit(ctx, actor);
  if (!verdict.ok)
    throw new KeelError(
      'audit_chain_broken',
      `refusing to sign the audit head: ${verdict.fault.table}: ${verdict.fault.reason}`,
      { table: verdict.fault.table, seq: verdict.fault.seq?.toString() },
    );
  return runWrite<SignedCheckpoint>(
    ctx,
    {
      actor,
      action: 'audit.checkpoint',
      key,
      request: {},
      subject: 'audit',
    },
    async (tx) => {
      // The head is the last lock a write takes; this write takes no other.
      const head = await lockAuditHead(tx);
      const checkpoint = signCheckpoint(head, new Date().toISOString(), keys);
      await insertCheckpoint(tx, checkpoint, head.seq);
      return {
        result: checkpoint,
        audit: {
          seq: head.seq,
          hash: head.hash,
          signedAt: checkpoint.signedAt,
          publicKey: checkpoint.publicKey,
        },
      };
    },
  );
}
