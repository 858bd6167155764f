import { readFileSync } from 'node:fs';
import { verifyAudit } from '../../app/audit.ts';
import { checkpointAudit } from '../../app/audit-checkpoint.ts';
import { parseCheckpoint } from '../../domain/audit-checkpoint.ts';
import { KeelError } from '../../domain/errors.ts';
import { callerPath, err, out } from '../io.ts';
import { progressBar } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

/** `keel audit verify [--checkpoint FILE]`: exit 1 naming the table and row of the first fault. */
export async function auditVerifyCommand(options: { checkpoint?: string | undefined } = {}): Promise<number> {
  const checkpoints = options.checkpoint ? [readCheckpoint(options.checkpoint)] : [];
  const bar = progressBar('verifying audit chain');
  const verdict = await withKeel((ctx) =>
    verifyAudit(ctx, cliActor(), { checkpoints, onProgress: bar.update }),
  );
  bar.stop();
  if (verdict.ok) {
    const anchor = verdict.checkpoint
      ? `; matches the checkpoint of ${verdict.checkpoint.signedAt} (row ${verdict.checkpoint.seq})`
      : '; no signed checkpoint yet (keel audit checkpoint)';
    out(
      `audit chain intact: ${verdict.rows} row(s), head ${verdict.headHash}; ledger rows, commitment totals, cap usage and deal balances agree${anchor}\n`,
    );
    return 0;
  }
  const { table, seq, reason } = verdict.fault;
  err(
    table === 'audit_log' && seq !== undefined
      ? `keel: audit chain broken at row ${seq}: ${reason}\n`
      : `keel: ${table}: ${reason}\n`,
  );
  return 1;
}

/** `keel audit checkpoint`: signs the head, stores it, prints it to keep elsewhere. */
export async function auditCheckpointCommand(): Promise<number> {
  const { result: checkpoint } = await withKeel((ctx) => checkpointAudit(ctx, cliActor()));
  out(`${JSON.stringify(checkpoint)}\n`);
  err(
    `signed audit row ${checkpoint.seq}; keep the line above outside this machine and check it with: keel audit verify --checkpoint FILE\n`,
  );
  return 0;
}

function readCheckpoint(file: string) {
  let text: string;
  try {
    text = readFileSync(callerPath(file), 'utf8');
  } catch (error) {
    throw new KeelError('unreadable_file', `cannot read ${file}: ${(error as Error).message}`);
  }
  return parseCheckpoint(text, file);
}
