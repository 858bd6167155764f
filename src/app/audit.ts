import { readAuditHead, readAuditPage } from '../db/audit-repo.ts';
import { type ChainFault, findChainFault, GENESIS_HASH } from '../domain/audit-chain.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext, Progress } from './context.ts';

const PAGE = 10_000;

export type AuditVerdict =
  | { ok: true; rows: bigint; headHash: string }
  | { ok: false; rows: bigint; fault: ChainFault };

/** Walks the whole chain from the genesis hash and checks it ends at the recorded head. */
export async function verifyAudit(
  ctx: AppContext,
  actor: Actor,
  onProgress?: Progress,
): Promise<AuditVerdict> {
  authorize(actor, 'audit.verify');
  const { db } = ctx.database;
  const head = await readAuditHead(db);
  let previous = { seq: 0n, hash: GENESIS_HASH };
  for (;;) {
    const rows = await readAuditPage(db, previous.seq, PAGE);
    const fault = findChainFault(rows, previous);
    if (fault) return { ok: false, rows: previous.seq, fault };
    if (!rows.length) break;
    const last = rows[rows.length - 1]!;
    previous = { seq: last.seq, hash: last.hash };
    onProgress?.(Number(previous.seq), Number(head.seq));
  }
  if (previous.seq !== head.seq || previous.hash !== head.hash) {
    const seq = previous.seq < head.seq ? previous.seq + 1n : head.seq + 1n;
    return {
      ok: false,
      rows: previous.seq,
      fault: {
        seq,
        reason: `the chain ends at row ${previous.seq} but its head records row ${head.seq}: rows were removed or added at the end`,
      },
    };
  }
  return { ok: true, rows: head.seq, headHash: head.hash };
}
