import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../api/contract.ts';
import { api } from '../../api.ts';
import { Refusal } from '../../components/States.tsx';
import { formatMoment } from '../../format.ts';
import { useAction } from '../../use-action.ts';

type Checkpoint = ResponseOf<'POST /api/audit/checkpoints'>['result'];

/**
 * What `keel audit checkpoint` does, from the audit log page: the server verifies the chain and signs its head
 * with its audit key. The file is for keeping outside Keel (another machine, a ticket, an e-mail to the
 * auditors): `keel audit verify --checkpoint FILE` later proves that no row up to it was changed since.
 */
export function SignCheckpoint({ onSigned }: { onSigned(): void }) {
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [href, setHref] = useState<string | null>(null);
  // The signing is itself an audited write: the log below shows its row at once.
  const sign = useAction(onSigned);
  useEffect(() => {
    if (!checkpoint) return;
    // The same line the command line prints, as a file the browser saves.
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(checkpoint)}\n`], { type: 'application/json' }),
    );
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [checkpoint]);
  const run = () =>
    sign.run(
      async () => {
        const { result } = await api.post('/api/audit/checkpoints');
        setCheckpoint(result);
        return result;
      },
      (result) => `Checkpoint signed at row ${result.seq}, ${formatMoment(result.signedAt)}.`,
    );
  return (
    <section className="panel" aria-label="Sign a checkpoint">
      <p className="muted">
        A checkpoint signs the chain&rsquo;s head with the server&rsquo;s audit key. Keep its file outside
        Keel:
        <code> keel audit verify --checkpoint FILE</code> then proves that no row up to it was changed.
      </p>
      <button type="button" onClick={() => void run()}>
        Sign a checkpoint
      </button>
      {sign.done && (
        <p className="notice ok" role="status" data-testid="checkpoint-signed">
          {sign.done}{' '}
          {checkpoint && href && (
            <a href={href} download={`keel-audit-checkpoint-${checkpoint.seq}.json`}>
              Download the checkpoint
            </a>
          )}
        </p>
      )}
      <Refusal error={sign.error} />
    </section>
  );
}
