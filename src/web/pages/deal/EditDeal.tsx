import { type FormEvent, useState } from 'react';
import { CLASSIFICATIONS } from '../../../domain/deal.ts';
import { parseDollars, toDecimalString } from '../../../domain/money.ts';
import type { ResponseOf } from '../../api.ts';
import { AmountInput } from '../../components/AmountInput.tsx';
import { Options } from '../../components/Options.tsx';
import { Refusal } from '../../components/States.tsx';
import { InstrumentSelect, SubAreaSelect } from '../../components/SubAreaSelect.tsx';
import { useFormPost } from '../../use-form-post.ts';

type Deal = ResponseOf<'GET /api/deals/:id'>['deal'];

const text = (form: FormData, field: string) => String(form.get(field) ?? '').trim();

/**
 * Edits a deal. The form sends every field and the server records the ones that changed; once the ledger
 * references the deal, a change to its amount, sub-area, instrument or classification is an amendment and
 * the server asks for its reason.
 */
export function EditDeal({
  deal,
  ledgerReferenced,
  onSaved,
}: {
  deal: Deal;
  ledgerReferenced: boolean;
  onSaved(): void;
}) {
  const post = useFormPost(onSaved);
  // Once the ledger references the deal, changing one of these is an amendment: its reason is then required
  // here, before Save, as the server would refuse it without one.
  const [amending, setAmending] = useState(false);
  const watchAmendment = (event: FormEvent<HTMLFormElement>) => {
    if (!ledgerReferenced) return;
    const f = new FormData(event.currentTarget);
    let amount: string | null = null;
    try {
      amount = parseDollars(text(f, 'amount')).toString();
    } catch {
      amount = null; // not an amount yet: the amount's own check speaks
    }
    setAmending(
      (amount !== null && amount !== deal.amountCents) ||
        text(f, 'subAreaId') !== deal.subAreaId ||
        text(f, 'instrument') !== deal.instrument ||
        text(f, 'classification') !== deal.classification,
    );
  };
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/deals/:id/amendments',
      (f) => {
        const reason = text(f, 'reason');
        return {
          // A deal opened before deals had names may stay unnamed.
          name: text(f, 'name') || undefined,
          team: text(f, 'team')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          announcedOn: text(f, 'announcedOn') || null,
          source: text(f, 'source'),
          amount: text(f, 'amount'),
          subAreaId: text(f, 'subAreaId'),
          instrument: text(f, 'instrument'),
          classification: text(f, 'classification'),
          ...(reason ? { reason } : {}),
        };
      },
      'Deal saved.',
      { id: deal.id },
    );
  return (
    <>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <form className="filters entry" aria-label="Edit deal" onSubmit={submit} onChange={watchAmendment}>
        <label>
          Deal name
          <input name="name" maxLength={200} defaultValue={deal.name ?? ''} />
        </label>
        <label>
          Team
          <input name="team" defaultValue={deal.team.join(', ')} />
        </label>
        <label>
          Announced on
          <input type="date" name="announcedOn" defaultValue={deal.announcedOn ?? ''} />
        </label>
        <label>
          Source
          <input name="source" required minLength={3} defaultValue={deal.source} />
        </label>
        <AmountInput
          label="Amount (USD)"
          name="amount"
          defaultValue={toDecimalString(BigInt(deal.amountCents))}
        />
        <SubAreaSelect name="subAreaId" defaultValue={deal.subAreaId} />
        <InstrumentSelect name="instrument" defaultValue={deal.instrument} />
        <label>
          Classification
          <select name="classification" defaultValue={deal.classification}>
            <Options values={CLASSIFICATIONS} />
          </select>
        </label>
        <label className="wide">
          {amending
            ? 'Reason for the change (required: the ledger references this deal)'
            : 'Reason for the change'}
          <textarea
            name="reason"
            rows={2}
            minLength={3}
            maxLength={2000}
            required={amending}
            placeholder={
              ledgerReferenced
                ? 'required to change the amount, sub-area, instrument or classification: the ledger references this deal'
                : 'optional'
            }
          />
        </label>
        <button type="submit">Save changes</button>
      </form>
      <Refusal error={post.error} />
    </>
  );
}
