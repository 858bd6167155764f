import type { FormEvent } from 'react';
import { US_STATES_BY_NAME } from '../../domain/us-states.ts';
import { navigate } from '../hash-route.ts';
import { useFormPost } from '../use-form-post.ts';
import { useSuggestedId } from '../use-suggested-id.ts';
import { NameAndId } from './NameAndId.tsx';
import { Refusal } from './States.tsx';

const text = (form: FormData, field: string) => String(form.get(field) ?? '').trim();
const optional = (value: string) => (value ? value : undefined);

/** Adds a company through POST /api/companies, then opens its page (where its first deal is opened). */
export function NewCompanyForm() {
  const named = useSuggestedId();
  const post = useFormPost(() => navigate(`/companies/${named.id}`));
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/companies',
      (f) => ({
        id: named.id,
        name: named.name.trim(),
        usBased: f.get('usBased') === 'on',
        hqCity: optional(text(f, 'hqCity')),
        hqStateFips: optional(text(f, 'hqStateFips')),
        ticker: optional(text(f, 'ticker').toUpperCase()),
        existingClient: f.get('existingClient') === 'on',
        ownershipNote: optional(text(f, 'ownershipNote')),
        source: text(f, 'source'),
      }),
      'Company added.',
    );
  return (
    <form className="filters entry" aria-label="New company" onSubmit={submit}>
      <NameAndId named={named} nameLabel="Company name" idLabel="Company id" maxNameLength={300} />
      <label>
        Headquarters city
        <input name="hqCity" />
      </label>
      <label>
        Headquarters state
        <select name="hqStateFips" defaultValue="">
          <option value="">–</option>
          {US_STATES_BY_NAME.map(([fips, state]) => (
            <option key={fips} value={fips}>
              {state}
            </option>
          ))}
        </select>
      </label>
      <label>
        Ticker
        <input name="ticker" maxLength={16} placeholder="PPTA" />
      </label>
      <label>
        Ownership
        <input name="ownershipNote" />
      </label>
      <label>
        Source
        <input name="source" required minLength={3} placeholder="company filing, 2026-03-01" />
      </label>
      <label className="check">
        <input type="checkbox" name="usBased" defaultChecked /> US-based
      </label>
      <label className="check">
        <input type="checkbox" name="existingClient" /> Existing client
      </label>
      <button type="submit">Add company</button>
      <Refusal error={post.error} />
    </form>
  );
}
