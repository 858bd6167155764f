/**
 * The permits a deal's project needs, the days each spent in every stage, and for the roles that keep them
 * (permits.write) the forms to add one and to move one on: only the stages the permitting rules allow next
 * are offered; a date before the last move is the server's to refuse, in its words.
 */
import { type FormEvent, useState } from 'react';
import {
  nextPermitStages,
  PERMIT_KINDS,
  PERMIT_STAGES,
  type PermitStage,
  permitInputSchema,
} from '../../../domain/permitting.ts';
import { can, type Principal } from '../../../domain/roles.ts';
import type { ResponseOf } from '../../api.ts';
import { Options } from '../../components/Options.tsx';
import { Empty, ErrorState, Loading, Refusal } from '../../components/States.tsx';
import { label, todayIso } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';

type Permit = ResponseOf<'GET /api/deals/:id/permits'>['permits'][number];

const JURISDICTIONS = permitInputSchema.shape.jurisdiction.options;
const current = (p: Permit) => p.events.at(-1) as { stage: PermitStage; on: string };
const permitName = (p: Permit) => `${label(p.kind)}, ${p.agency}`;

export function Permits({ dealId, user }: { dealId: string; user: Principal }) {
  if (!can(user, 'permits.read')) return null;
  return <PermitList dealId={dealId} canWrite={can(user, 'permits.write')} />;
}

function PermitList({ dealId, canWrite }: { dealId: string; canWrite: boolean }) {
  const list = useApi('/api/deals/:id/permits', { params: { id: dealId } });
  return (
    <section className="panel" data-testid="permits">
      <h2>Permits</h2>
      {list.error ? <ErrorState error={list.error} /> : null}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.permits.length === 0 && (
        <Empty>
          No permits recorded for this deal.{' '}
          {canWrite ? 'Add the permits its project needs below.' : 'Its deal team records them.'}
        </Empty>
      )}
      {list.data && list.data.permits.length > 0 && <PermitTable permits={list.data.permits} />}
      {canWrite && list.data && list.data.permits.length > 0 && (
        <MovePermit permits={list.data.permits} onMoved={list.reload} />
      )}
      {canWrite && <AddPermit dealId={dealId} onAdded={list.reload} />}
    </section>
  );
}

function PermitTable({ permits }: { permits: readonly Permit[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Permit</th>
          <th>Agency</th>
          <th>Stage</th>
          <th>Days in each stage</th>
        </tr>
      </thead>
      <tbody>
        {permits.map((p) => (
          <tr key={p.id} data-permit={p.id}>
            <td>
              {label(p.kind)} <span className="muted">({p.jurisdiction})</span>
            </td>
            <td>{p.agency}</td>
            <td data-testid="permit-stage">
              {label(current(p).stage)} <span className="muted">since {current(p).on}</span>
            </td>
            <td>
              {PERMIT_STAGES.filter((s) => p.days[s] !== undefined)
                .map((s) => `${label(s)} ${p.days[s]} d`)
                .join(' · ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MovePermit({ permits, onMoved }: { permits: readonly Permit[]; onMoved(): void }) {
  const open = permits.filter((p) => nextPermitStages(current(p).stage).length > 0);
  const [chosen, setChosen] = useState('');
  const post = useFormPost(onMoved);
  const permit = open.find((p) => p.id === chosen) ?? open[0];
  if (!permit) return <p className="muted">Every permit has its decision; none can move again.</p>;
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/permits/:id/stage',
      (f) => ({ stage: String(f.get('stage') ?? ''), on: String(f.get('on') ?? '') }),
      `${permitName(permit)} moved to ${label(String(new FormData(event.currentTarget).get('stage')))}.`,
      { id: permit.id },
    );
  return (
    <form className="filters entry" aria-label="Move permit" onSubmit={submit}>
      <label>
        Permit
        <select value={permit.id} onChange={(e) => setChosen(e.target.value)}>
          {open.map((p) => (
            <option key={p.id} value={p.id}>
              {permitName(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Next stage
        <select name="stage" required key={permit.id}>
          <Options values={nextPermitStages(current(permit).stage)} />
        </select>
      </label>
      <label>
        Moved on
        <input type="date" name="on" required defaultValue={todayIso()} />
      </label>
      <button type="submit">Move permit</button>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}

function AddPermit({ dealId, onAdded }: { dealId: string; onAdded(): void }) {
  const post = useFormPost(onAdded);
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/permits',
      (f) => {
        const note = String(f.get('note') ?? '').trim();
        return {
          dealId,
          kind: String(f.get('kind') ?? ''),
          agency: String(f.get('agency') ?? '').trim(),
          jurisdiction: String(f.get('jurisdiction') ?? ''),
          stage: String(f.get('stage') ?? ''),
          on: String(f.get('on') ?? ''),
          note: note || undefined,
        };
      },
      'Permit added.',
    );
  return (
    <form className="filters entry" aria-label="Add permit" onSubmit={submit}>
      <label>
        Permit kind
        <select name="kind" required defaultValue="">
          <option value="">choose…</option>
          <Options values={PERMIT_KINDS} />
        </select>
      </label>
      <label>
        Agency
        <input name="agency" required minLength={2} maxLength={200} placeholder="Bureau of Land Management" />
      </label>
      <label>
        Jurisdiction
        <select name="jurisdiction" required defaultValue="federal">
          <Options values={JURISDICTIONS} />
        </select>
      </label>
      <label>
        Current stage
        <select name="stage" required defaultValue="not_started">
          <Options values={PERMIT_STAGES} />
        </select>
      </label>
      <label>
        Since
        <input type="date" name="on" required defaultValue={todayIso()} />
      </label>
      <label className="wide">
        Note
        <input name="note" maxLength={2000} />
      </label>
      <button type="submit">Add permit</button>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}
