import { type FormEvent, useState } from 'react';
import { assertEntryAmount, ENTRY_KINDS, type EntryKind } from '../../../domain/ledger.ts';
import type { Cents } from '../../../domain/money.ts';
import { api, type ResponseOf } from '../../api.ts';
import { AmountInput, readDollars } from '../../components/AmountInput.tsx';
import { Options } from '../../components/Options.tsx';
import { Refusal } from '../../components/States.tsx';
import { exactAmount, label } from '../../format.ts';
import { HeadroomPreview } from './HeadroomPreview.tsx';

interface Draft {
  kind: EntryKind;
  effectiveOn: string;
  amountText: string;
  amount: Cents;
  note: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Why the ledger would refuse this amount for this kind of entry, or null. */
function entryAmountProblem(kind: EntryKind, amount: Cents): string | null {
  try {
    assertEntryAmount(kind, amount);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A ledger entry from the deal page, in two steps: the entry, then a confirmation with the cap headroom
 * before and after it; only the confirmation posts. The server checks the caps and the committee gate again
 * in the write's own transaction and its refusal is shown in its own words.
 */
export function LedgerEntryForm({
  dealId,
  scopeName,
  onRecorded,
}: {
  dealId: string;
  scopeName: (scopeKey: string) => string;
  onRecorded(): void;
}) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [headroom, setHeadroom] = useState<ResponseOf<'GET /api/deals/:id/headroom'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const review = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const amountText = String(f.get('amount') ?? '').trim();
    const kind = String(f.get('kind')) as EntryKind;
    const read = readDollars(amountText);
    // The ledger's own rule for the kind (a draw of -5 or 0 is refused here, before any confirmation).
    const rule = 'problem' in read ? null : entryAmountProblem(kind, read.cents);
    setError(null);
    setDone(null);
    setProblem('problem' in read ? `Amount: ${read.problem}` : rule ? `Amount: ${rule}` : null);
    if ('problem' in read || rule) return;
    try {
      setHeadroom(await api.get('/api/deals/:id/headroom', { params: { id: dealId } }));
      setDraft({
        kind,
        effectiveOn: String(f.get('effectiveOn')),
        amountText,
        amount: read.cents,
        note: String(f.get('note') ?? '').trim(),
      });
      setConfirming(true);
    } catch (e) {
      setError(e);
    }
  };

  const confirm = async () => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const { result } = await api.post('/api/ledger', {
        body: {
          dealId,
          kind: draft.kind,
          amount: draft.amountText,
          effectiveOn: draft.effectiveOn,
          ...(draft.note ? { note: draft.note } : {}),
        },
      });
      setDone(`Recorded ${label(draft.kind)} of ${exactAmount(draft.amount)} (entry ${result.firstSeq}).`);
      setDraft(null);
      setConfirming(false);
      onRecorded();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Record a ledger entry">
      <h3>Record a ledger entry</h3>
      {done && (
        <p className="notice ok" role="status">
          {done}
        </p>
      )}
      {draft && headroom && confirming ? (
        <div data-testid="ledger-confirm">
          <p>
            Record a <strong>{label(draft.kind)}</strong> of <strong>{exactAmount(draft.amount)}</strong>{' '}
            effective {draft.effectiveOn}
            {draft.note ? ` (${draft.note})` : ''}?
          </p>
          <OverApproval approval={headroom.approval} kind={draft.kind} amount={draft.amount} />
          <OpenConditions conditions={headroom.openConditions} kind={draft.kind} />
          <HeadroomPreview
            caps={headroom.caps}
            kind={draft.kind}
            amount={draft.amount}
            scopeName={scopeName}
          />
          <div className="filters">
            <button
              type="button"
              // The ledger would refuse it: Back, or the committee's re-approval, is the way on.
              disabled={busy || overApproval(headroom.approval, draft.kind, draft.amount) !== null}
              onClick={() => void confirm()}
            >
              Confirm and record
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <form className="filters entry" aria-label="Ledger entry" onSubmit={review}>
          <label>
            Entry kind
            <select name="kind" required defaultValue={draft?.kind ?? 'commitment'}>
              <Options values={ENTRY_KINDS} />
            </select>
          </label>
          <label>
            Effective on
            <input type="date" name="effectiveOn" required defaultValue={draft?.effectiveOn ?? today()} />
          </label>
          <AmountInput
            label="Amount of the entry (USD)"
            name="amount"
            defaultValue={draft?.amountText ?? ''}
          />
          <label>
            Entry note
            <input name="note" maxLength={2000} defaultValue={draft?.note ?? ''} />
          </label>
          <button type="submit">Review</button>
        </form>
      )}
      {problem && (
        <p className="notice denied" role="alert">
          {problem}
        </p>
      )}
      <Refusal error={error} />
    </section>
  );
}

/** The net commitments a commitment would bring past the approval, or null when it stays within. */
function overApproval(approval: Approval, kind: EntryKind, amount: Cents): bigint | null {
  if (!approval || kind !== 'commitment') return null;
  const after = BigInt(approval.netCommitted) + amount;
  return after > BigInt(approval.approvedAmount) ? after : null;
}

type Approval = ResponseOf<'GET /api/deals/:id/headroom'>['approval'];

/** Money moving while a condition of the approval is still open: said before Confirm, not refused. */
function OpenConditions({ conditions, kind }: { conditions: readonly string[]; kind: EntryKind }) {
  if (!conditions.length || (kind !== 'commitment' && kind !== 'draw')) return null;
  return (
    <div className="notice" role="note" data-testid="open-conditions">
      {conditions.length === 1 ? 'A condition' : `${conditions.length} conditions`} of the committee&rsquo;s
      approval {conditions.length === 1 ? 'is' : 'are'} still open:
      <ul>
        {conditions.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
      Check {conditions.length === 1 ? 'it is' : 'they are'} satisfied before this {label(kind)}; mark{' '}
      {conditions.length === 1 ? 'it' : 'them'} met or waived under the committee&rsquo;s decisions below.
    </div>
  );
}

/**
 * A commitment that would take the deal's net commitments past its committee approval, said before Confirm:
 * the ledger refuses it, and only the committee's re-approval of a larger amount lets it through.
 */
function OverApproval({ approval, kind, amount }: { approval: Approval; kind: EntryKind; amount: Cents }) {
  const after = overApproval(approval, kind, amount);
  if (after === null || !approval) return null;
  return (
    <p className="notice denied" role="alert" data-testid="over-approval">
      Over the committee&rsquo;s approval: it covers {exactAmount(approval.approvedAmount)}, and this
      commitment would bring the deal&rsquo;s net commitments from {exactAmount(approval.netCommitted)} to{' '}
      {exactAmount(after)}. The ledger would refuse it: go Back and lower the amount, or ask the committee to
      re-approve a larger one.
    </p>
  );
}
