import { useState } from 'react';
import type { ResponseOf } from '../../../api/contract.ts';
import { api } from '../../api.ts';
import { Refusal } from '../../components/States.tsx';
import { formatCount, formatMoment } from '../../format.ts';

type Verdict = ResponseOf<'GET /api/audit/verify'>;

/**
 * What `keel audit verify` does, from the audit log page: walks the hash chain, checks each ledger row against
 * its audit entry, recomputes the kept totals, cap usage and deal balances, and checks the latest signed
 * checkpoint. A fault names its table and row, as the CLI does.
 */
export function VerifyChain() {
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setVerdict(null);
    try {
      setVerdict(await api.get('/api/audit/verify'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-label="Verify the audit chain">
      <button type="button" onClick={verify} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify the audit chain'}
      </button>
      <Refusal error={error} />
      {verdict?.ok === true && (
        <p role="status" data-testid="audit-verdict">
          Chain intact: {formatCount(Number(verdict.rows))} rows, head{' '}
          <code>{verdict.headHash.slice(0, 16)}…</code>; ledger rows, commitment totals, cap usage and deal
          balances agree.{' '}
          {verdict.checkpoint
            ? `Checked against the checkpoint signed ${formatMoment(verdict.checkpoint.signedAt)} at row ${verdict.checkpoint.seq}.`
            : 'No signed checkpoint yet: an admin or a risk & compliance officer signs one on this page, or with keel audit checkpoint.'}
        </p>
      )}
      {verdict?.ok === false && (
        <p role="alert" data-testid="audit-verdict">
          Tampering found in {verdict.fault.table}
          {verdict.fault.seq ? `, row ${verdict.fault.seq}` : ''}: {verdict.fault.reason}
        </p>
      )}
    </section>
  );
}
