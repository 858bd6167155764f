import type { FormEvent } from 'react';
import { CLASSIFICATIONS } from '../../domain/deal.ts';
import { todayIso } from '../format.ts';
import { navigate } from '../hash-route.ts';
import { useApi } from '../use-api.ts';
import { useFormPost } from '../use-form-post.ts';
import { useSuggestedId } from '../use-suggested-id.ts';
import { AmountInput } from './AmountInput.tsx';
import { NameAndId } from './NameAndId.tsx';
import { Options } from './Options.tsx';
import { Refusal } from './States.tsx';
import { InstrumentSelect, SubAreaSelect } from './SubAreaSelect.tsx';

const text = (form: FormData, field: string) => String(form.get(field) ?? '').trim();

/** The company picker of the Deals page: every company, by name. */
function CompanySelect() {
  const companies = useApi('/api/companies');
  return (
    <label>
      Company
      <select name="companyId" required defaultValue="">
        <option value="">{companies.data ? 'choose…' : 'loading…'}</option>
        {(companies.data?.items ?? [])
          .slice()
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
      </select>
    </label>
  );
}

/**
 * Opens a deal at the first stage through POST /api/deals, then goes to its page. `companyId` fixes the
 * company (the company page's "New deal for this company"); without it the company is chosen by name.
 */
export function NewDealForm({ companyId }: { companyId?: string }) {
  const named = useSuggestedId();
  const post = useFormPost(() => navigate(`/deals/${named.id}`));
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/deals',
      (f) => {
        const announcedOn = text(f, 'announcedOn');
        return {
          id: named.id,
          name: named.name.trim(),
          companyId: companyId ?? text(f, 'companyId'),
          subAreaId: text(f, 'subAreaId'),
          instrument: text(f, 'instrument'),
          amount: text(f, 'amount'),
          classification: text(f, 'classification'),
          openedOn: text(f, 'openedOn'),
          ...(announcedOn ? { announcedOn } : {}),
          team: text(f, 'team')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          source: text(f, 'source'),
        };
      },
      'Deal opened.',
    );
  return (
    <form className="filters entry" aria-label="New deal" onSubmit={submit}>
      <NameAndId named={named} nameLabel="Deal name" idLabel="Deal id" />
      {companyId === undefined && <CompanySelect />}
      <SubAreaSelect name="subAreaId" />
      <InstrumentSelect name="instrument" />
      <AmountInput label="Amount (USD)" name="amount" />
      <label>
        Classification
        <select name="classification" required defaultValue="baseline">
          <Options values={CLASSIFICATIONS} />
        </select>
      </label>
      <label>
        Opened on
        <input type="date" name="openedOn" required defaultValue={todayIso()} />
      </label>
      <label>
        Announced on
        <input type="date" name="announcedOn" />
      </label>
      <label>
        Team
        <input name="team" placeholder="ana, bo" />
      </label>
      <label>
        Source
        <input name="source" required minLength={3} placeholder="mandate letter, 2026-03-01" />
      </label>
      <button type="submit">Open deal</button>
      <Refusal error={post.error} />
    </form>
  );
}
