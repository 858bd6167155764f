import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { QueryOf } from '../../../api/contract.ts';
import { ORGANISATION_KINDS } from '../../../domain/network.ts';
import { can, type Principal } from '../../../domain/roles.ts';
import { api, type BodyOf, type ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Options } from '../../components/Options.tsx';
import { OrganisationPicker } from '../../components/OrganisationPicker.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useApi } from '../../use-api.ts';

type Candidate = ResponseOf<'GET /api/deals/:id/candidates'>['candidates'][number];
type NewPart = BodyOf<'POST /api/participations'>;
type PartStatus = BodyOf<'POST /api/participations/:id/status'>['status'];

/** Who may stand beside the bank in a capital stack: any organisation but a company. */
const PARTY_KINDS = ORGANISATION_KINDS.filter((k) => k !== 'company').join(
  ',',
) as QueryOf<'GET /api/organisation-list'>['kind'];

const NEXT: Record<string, PartStatus[]> = {
  proposed: ['soft_circled', 'committed', 'declined'],
  soft_circled: ['committed', 'declined'],
  committed: ['declined'],
  declined: [],
};

/** A deal's capital stack: who puts in what beside the bank, what counts toward the programme, and who else could. */
/**
 * `dealData` is the deal page's loaded deal: when the page loads it again (a ledger entry recorded, an
 * amendment saved), the stack is read again too, so its committed total follows the ledger.
 */
export function CapitalStack({
  dealId,
  user,
  dealData,
}: {
  dealId: string;
  user: Principal;
  dealData: unknown;
}) {
  const stack = useApi('/api/deals/:id/stack', { params: { id: dealId } });
  const { reload } = stack;
  const firstData = useRef(dealData);
  useEffect(() => {
    if (dealData !== firstData.current) reload();
  }, [dealData, reload]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [gap, setGap] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const writer = can(user, 'network.write');
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await work();
      setMessage(done);
      stack.reload();
    } catch (e) {
      setError(e);
    }
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void act(
      () =>
        api.post('/api/participations', {
          // The selects offer only the domain's roles and instruments; the server checks them all the same.
          body: {
            dealId,
            organisationId: String(form.get('organisationId')),
            role: String(form.get('role')) as NewPart['role'],
            instrument: String(form.get('instrument')) as NewPart['instrument'],
            amount: String(form.get('amount')),
            arrangedByBank: form.get('arranged') === 'on',
            status: 'proposed',
            source: String(form.get('source') || `entered by ${user.id}`),
          },
        }),
      'Participation added.',
    );
  };
  const move = (id: string, status: PartStatus) =>
    act(
      () => api.post('/api/participations/:id/status', { params: { id }, body: { status } }),
      `Participation ${id}: ${label(status)}.`,
    );
  const rank = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const r = await api.get('/api/deals/:id/candidates', { params: { id: dealId }, query: { gap } });
      setCandidates([
        ...r.candidates,
        ...r.excluded.filter((x) => !r.candidates.some((c) => c.organisationId === x.organisationId)),
      ]);
    } catch (e) {
      setError(e);
    }
  };
  if (stack.error) return <ErrorState error={stack.error} />;
  if (!stack.data) return <Loading />;
  const s = stack.data;
  return (
    <section className="panel" data-testid="capital-stack">
      <h2>Capital stack</h2>
      {/* Each figure its label over it: a grid of dt and dd cells wrapped label from value at 1280 px. */}
      <dl className="figures">
        {(
          [
            ['Total committed', s.total, 'stack-total'],
            ['Counted: own', s.countedOwn, undefined],
            ['Counted: facilitated', s.countedFacilitated, 'stack-facilitated'],
            ['Not counted', s.notCounted, undefined],
            ['In discussion', s.pipeline, undefined],
          ] as const
        ).map(([term, cents, testId]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd className="num" data-testid={testId}>
              <Amount cents={cents} />
            </dd>
          </div>
        ))}
      </dl>
      <table>
        <thead>
          <tr>
            <th>Party</th>
            <th>Role</th>
            <th>Instrument</th>
            <th className="num">Amount</th>
            <th>Status</th>
            <th>Counts</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>The bank (own)</td>
            <td>lead</td>
            <td>{label(s.own.instrument)}</td>
            <td className="num">
              <Amount cents={s.own.committed} />
            </td>
            <td>ledger</td>
            <td>yes</td>
            <td />
          </tr>
          {s.parts.map((p) => (
            <tr key={p.id} data-participation={p.organisationId}>
              <td>{s.organisations[p.organisationId] ?? p.organisationId}</td>
              <td>{label(p.role)}</td>
              <td>{label(p.instrument)}</td>
              <td className="num">
                <Amount cents={p.amount} />
              </td>
              <td data-status={p.status}>{label(p.status)}</td>
              <td>{p.counts ? 'facilitated' : 'no'}</td>
              <td>
                {writer &&
                  NEXT[p.status]?.map((to) => (
                    <button key={to} type="button" onClick={() => move(p.id, to)}>
                      {to === 'committed' ? 'Commit' : to === 'declined' ? 'Decline' : 'Soft-circle'}
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p className="notice ok" role="status">
          {message}
        </p>
      )}
      {error ? <ErrorState error={error} /> : null}
      {writer && (
        <form onSubmit={add} className="filters">
          <OrganisationPicker name="organisationId" label="Party" kind={PARTY_KINDS} />
          <label>
            Role{' '}
            <select name="role" defaultValue="syndicate_member">
              <Options
                values={[
                  'co_investor',
                  'syndicate_member',
                  'underwriting_investor',
                  'government_lender',
                  'guarantor',
                  'client_assets',
                ]}
              />
            </select>
          </label>
          <label>
            Instrument{' '}
            <select name="instrument" defaultValue="syndicated_loan">
              <Options
                values={[
                  'syndicated_loan',
                  'bond_underwriting',
                  'equity_underwriting',
                  'client_asset_allocation',
                  'direct_equity',
                  'term_loan',
                ]}
              />
            </select>
          </label>
          <label>
            Amount (USD) <input name="amount" required placeholder="25000000.00" />
          </label>
          <label>
            <input type="checkbox" name="arranged" defaultChecked /> Arranged by the bank
          </label>
          <button type="submit">Add participant</button>
        </form>
      )}
      <form onSubmit={rank} className="filters">
        <label>
          Gap to fill (USD){' '}
          <input value={gap} onChange={(e) => setGap(e.target.value)} required placeholder="50000000.00" />
        </label>
        <button type="submit">Rank co-investors</button>
      </form>
      {candidates &&
        (candidates.length ? (
          <ol data-testid="candidates">
            {candidates.map((c) => (
              <li key={c.organisationId} data-candidate={c.organisationId}>
                <strong>{c.name}</strong>{' '}
                {c.excluded ? <em>excluded: {c.excluded}</em> : <>score {c.score.toFixed(2)}</>}
                <span className="muted"> — {c.reasons.join('; ')}</span>
              </li>
            ))}
          </ol>
        ) : (
          <Empty>
            No candidates in the network yet. Add organisations and their relationships on the Network page or
            import them.
          </Empty>
        ))}
    </section>
  );
}
