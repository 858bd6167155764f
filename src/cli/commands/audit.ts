import { verifyAudit } from '../../app/audit.ts';
import { progressBar } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

export async function auditVerifyCommand(): Promise<number> {
  const bar = progressBar('verifying audit chain');
  const verdict = await withKeel((ctx) => verifyAudit(ctx, cliActor(), bar.update));
  bar.stop();
  if (verdict.ok) {
    process.stdout.write(`audit chain intact: ${verdict.rows} row(s), head ${verdict.headHash}\n`);
    return 0;
  }
  process.stderr.write(`keel: audit chain broken at row ${verdict.fault.seq}: ${verdict.fault.reason}\n`);
  return 1;
}
