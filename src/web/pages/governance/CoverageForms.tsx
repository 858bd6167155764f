/**
 * A coverage manager's writes: a new banker, investment professional or sector specialist with the sub-areas
 * they cover (POST /api/coverage/staff), and the hiring plan per sub-area and year (POST
 * /api/coverage/hiring-plan), each checked here against the domain's own schema before it is sent.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type { z } from 'zod';
import { hiringPlanRowSchema, STAFF_KINDS } from '../../../domain/coverage.ts';
import { api } from '../../api.ts';
import { NameAndId } from '../../components/NameAndId.tsx';
import { Options } from '../../components/Options.tsx';
import { Refusal } from '../../components/States.tsx';
import { SubAreaSelect } from '../../components/SubAreaSelect.tsx';
import { todayIso } from '../../format.ts';
import { useNames } from '../../names.ts';
import { useAction } from '../../use-action.ts';
import { useFormPost } from '../../use-form-post.ts';
import { useSuggestedId } from '../../use-suggested-id.ts';

export function AddStaff({ onSaved }: { onSaved(): void }) {
  const named = useSuggestedId();
  const post = useFormPost(() => {
    named.reset();
    onSaved();
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    const name = named.name.trim();
    return post.submit(
      event,
      '/api/coverage/staff',
      (f) => ({
        id: named.id,
        name,
        kind: String(f.get('kind') ?? ''),
        subAreas: f.getAll('subAreas').map(String),
        joinedOn: String(f.get('joinedOn') ?? ''),
      }),
      `${name} added.`,
    );
  };
  return (
    <form className="filters entry" aria-label="Add staff member" onSubmit={submit}>
      <NameAndId named={named} nameLabel="Name" idLabel="Staff id" />
      <label>
        Role
        <select name="kind" required defaultValue="sector_specialist">
          <Options values={STAFF_KINDS} />
        </select>
      </label>
      <label>
        Joined on
        <input type="date" name="joinedOn" required defaultValue={todayIso()} />
      </label>
      <SubAreaSelect name="subAreas" multiple />
      <p className="muted wide">Hold Ctrl (⌘ on a Mac) to choose several sub-areas.</p>
      <button type="submit">Add staff member</button>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}

const { year: yearField, headcount: headcountField } = hiringPlanRowSchema.shape;
const HEADCOUNT = { min: headcountField.minValue ?? 0, max: headcountField.maxValue ?? 0 };
const cell = (subAreaId: string, year: number) => `${subAreaId}|${year}`;

/** The planned headcount already set for each sub-area and year shown. */
function usePlanned(years: readonly number[], tick: number) {
  const [planned, setPlanned] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = years.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `years`; `tick` reloads after a save.
  useEffect(() => {
    let live = true;
    Promise.all(years.map((year) => api.get('/api/coverage', { query: { year } }))).then(
      (reports) => {
        if (!live) return;
        const out: Record<string, string> = {};
        for (const r of reports) for (const h of r.hiring) out[cell(h.subAreaId, r.year)] = String(h.planned);
        setPlanned(out);
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  return { planned, error };
}

type PlanRow = z.infer<typeof hiringPlanRowSchema>;

/** The figures changed from what is planned, each checked against the domain's row schema. */
function checkEdits(edits: Record<string, string>, planned: Record<string, string>) {
  const rows: PlanRow[] = [];
  const invalid: string[] = [];
  for (const [key, v] of Object.entries(edits)) {
    if (v.trim() === (planned[key] ?? '')) continue;
    const [subAreaId = '', year = ''] = key.split('|');
    const headcount = v.trim() === '' ? Number.NaN : Number(v);
    const row = hiringPlanRowSchema.safeParse({ subAreaId, year: Number(year), headcount });
    if (row.success) rows.push(row.data);
    else invalid.push(key);
  }
  return { rows, invalid };
}

/** The hiring plan as a table of sub-areas × three years from `from`; only the figures changed are sent. */
export function HiringPlanEditor({ from, onSaved }: { from: number; onSaved(): void }) {
  const names = useNames();
  const lastYear = yearField.maxValue ?? from;
  const years = [from, from + 1, from + 2].filter((y) => y <= lastYear);
  const [tick, setTick] = useState(0);
  const { planned, error: loadError } = usePlanned(years, tick);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<string[]>([]);
  const [unchanged, setUnchanged] = useState(false);
  const save = useAction(() => {
    setEdits({});
    setTick((t) => t + 1);
    onSaved();
  });
  if (loadError) return <Refusal error={loadError} />;
  if (!planned) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { rows, invalid } = checkEdits(edits, planned);
    setInvalid(invalid);
    setUnchanged(!rows.length && !invalid.length);
    if (invalid.length || !rows.length) return;
    void save.run(
      () => api.post('/api/coverage/hiring-plan', { body: { rows } }),
      `Hiring plan saved (${rows.length} ${rows.length === 1 ? 'figure' : 'figures'}).`,
    );
  };
  const hint = `a whole number from ${HEADCOUNT.min} to ${HEADCOUNT.max}`;
  const where = (key: string) => {
    const [subAreaId = '', year] = key.split('|');
    return `${names.subArea(subAreaId)} ${year}`;
  };
  return (
    <form aria-label="Hiring plan" onSubmit={submit} noValidate className="plan">
      <p className="muted">Headcount planned per sub-area and year: {hint}.</p>
      <PlanGrid
        years={years}
        value={(key) => edits[key] ?? planned[key] ?? ''}
        invalid={invalid}
        onEdit={(key, v) => setEdits((x) => ({ ...x, [key]: v }))}
      />
      {invalid.length > 0 && (
        <p className="notice denied" role="alert">
          {invalid.map(where).join(', ')}: each figure must be {hint}.
        </p>
      )}
      {unchanged && <p className="muted">No figure changed: nothing to save.</p>}
      <button type="submit">Save hiring plan</button>
      {save.done && (
        <p className="notice ok" role="status">
          {save.done}
        </p>
      )}
      <Refusal error={save.error} />
    </form>
  );
}

function PlanGrid(props: {
  years: readonly number[];
  value(key: string): string;
  invalid: readonly string[];
  onEdit(key: string, value: string): void;
}) {
  const names = useNames();
  return (
    <table>
      <thead>
        <tr>
          <th>Sub-area</th>
          {props.years.map((y) => (
            <th key={y} className="num">
              {y}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.subAreas.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            {props.years.map((y) => {
              const key = cell(s.id, y);
              return (
                <td key={y} className="num">
                  <input
                    type="number"
                    inputMode="numeric"
                    min={HEADCOUNT.min}
                    max={HEADCOUNT.max}
                    step={1}
                    aria-label={`${s.name}, ${y}`}
                    aria-invalid={props.invalid.includes(key) || undefined}
                    value={props.value(key)}
                    onChange={(e) => props.onEdit(key, e.target.value)}
                  />
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
