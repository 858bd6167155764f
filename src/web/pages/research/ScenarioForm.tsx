/**
 * Authoring a shock scenario (POST /api/research/scenarios): its shocks and buffers name nodes of the
 * current graph by their names. The form checks the input against the domain's own schema before sending
 * and shows each problem at its field; the server's refusals (its schema, or a node the graph lacks) are
 * shown at the field they name where they name one, and always in its words.
 */
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { type ScenarioInput, scenarioSchema, shockSchema } from '../../../domain/research/scenario.ts';
import { api } from '../../api.ts';
import { Refusal } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useSuggestedId } from '../../use-suggested-id.ts';
import {
  type Errors,
  type Fields,
  NodeSelect,
  NumberField,
  schemaErrors,
  serverErrors,
  useFields,
  useRows,
} from './scenario-fields.tsx';
import type { GraphNode } from './types.ts';

type ShockKind = z.infer<typeof shockSchema>['kind'];
const SHOCK_KINDS = shockSchema.options.map((o) => o.shape.kind.value) as ShockKind[];

interface ShockRow {
  kind: ShockKind;
  node: string;
  country: string;
  /** A shortfall in percent of supply, or a price spike's percent. */
  size: string;
  months: string;
}
interface BufferRow {
  node: string;
  stockpileMonths: string;
  substitution: string;
}
/** A step of the credit stress's mapping: a shortfall in percent and the notches it costs. */
interface NotchRow {
  minShortfall: string;
  notches: string;
}

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const fraction = (percent: string) => number(percent) / 100;
const orZero = (text: string, read: (t: string) => number) => (text.trim() === '' ? 0 : read(text));

function toShock(r: ShockRow): ScenarioInput['shocks'][number] {
  const months = number(r.months);
  if (r.kind === 'export_restriction') {
    const country = r.country.trim().toUpperCase();
    return { kind: r.kind, country, materials: [r.node], fraction: fraction(r.size), months };
  }
  if (r.kind === 'plant_outage') return { kind: r.kind, node: r.node, fraction: fraction(r.size), months };
  return { kind: r.kind, node: r.node, percent: number(r.size), months };
}

const toBuffer = (b: BufferRow) => ({
  node: b.node,
  stockpileMonths: orZero(b.stockpileMonths, number),
  substitution: orZero(b.substitution, fraction),
});

const newShock = (): ShockRow => ({ kind: 'plant_outage', node: '', country: '', size: '', months: '6' });
const newBuffer = (): BufferRow => ({ node: '', stockpileMonths: '', substitution: '' });
const newNotch = (): NotchRow => ({ minShortfall: '', notches: '' });

export function ScenarioForm({ nodes, onSaved }: { nodes: readonly GraphNode[]; onSaved(): void }) {
  const named = useSuggestedId();
  const [basis, setBasis] = useState('');
  const [horizon, setHorizon] = useState('12');
  const shocks = useRows(newShock, 1);
  const buffers = useRows(newBuffer);
  const notches = useRows(newNotch);
  const [notchAssumption, setNotchAssumption] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const save = useAction(onSaved);
  const shown = { ...serverErrors(save.error), ...errors };
  const f = useFields(shown);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: ScenarioInput = {
      id: named.id,
      name: named.name.trim(),
      basis: basis.trim(),
      horizonMonths: number(horizon),
      shocks: shocks.rows.map(toShock),
      buffers: buffers.rows.map(toBuffer),
      // Without steps the credit stress uses the programme's default mapping.
      ...(notches.rows.length
        ? {
            creditNotches: {
              assumption: notchAssumption.trim(),
              thresholds: notches.rows.map((r) => ({
                minShortfall: fraction(r.minShortfall),
                notches: number(r.notches),
              })),
            },
          }
        : {}),
    };
    const parsed = scenarioSchema.safeParse(input);
    setErrors(parsed.success ? {} : schemaErrors(parsed.error.issues));
    if (!parsed.success) return;
    void save.run(
      () => api.post('/api/research/scenarios', { body: input }),
      `Scenario "${input.name}" saved: run it from the list above.`,
    );
  };
  return (
    <form className="filters entry" aria-label="New scenario" onSubmit={submit} noValidate>
      <label>
        Scenario name
        <input value={named.name} onChange={(e) => named.setName(e.target.value)} {...f.props('name')} />
        {f.error('name')}
      </label>
      <label>
        Scenario id
        <input value={named.id} onChange={(e) => named.setId(e.target.value)} {...f.props('id')} />
        {f.error('id')}
      </label>
      <NumberField
        label="Horizon (months)"
        field="horizonMonths"
        f={f}
        value={horizon}
        onChange={setHorizon}
      />
      <label className="wide">
        Basis (what the scenario stands for, and its sources)
        <textarea rows={2} value={basis} onChange={(e) => setBasis(e.target.value)} {...f.props('basis')} />
        {f.error('basis')}
      </label>
      <fieldset className="rows wide">
        <legend>Shocks</legend>
        {f.error('shocks')}
        {shocks.rows.map((s, i) => (
          <ShockFields key={s.uid} n={i} row={s} nodes={nodes} f={f} rows={shocks} />
        ))}
        <button type="button" onClick={shocks.add}>
          Add a shock
        </button>
      </fieldset>
      <fieldset className="rows wide">
        <legend>Buffers</legend>
        {buffers.rows.length === 0 && <p className="muted">No buffers: the shocks fall on supply in full.</p>}
        {buffers.rows.map((b, i) => (
          <BufferFields key={b.uid} n={i} row={b} nodes={nodes} f={f} rows={buffers} />
        ))}
        <button type="button" onClick={buffers.add}>
          Add a buffer
        </button>
      </fieldset>
      <fieldset className="rows wide">
        <legend>Credit stress: shortfall to rating notches</legend>
        {notches.rows.length === 0 && (
          <p className="muted">
            No mapping of its own: the credit stress uses the programme's default for this scenario.
          </p>
        )}
        {f.error('creditNotches')}
        {f.error('creditNotches.thresholds')}
        {notches.rows.map((r, i) => (
          <fieldset className="filters entry" key={r.uid}>
            <legend>Step {i + 1}</legend>
            <NumberField
              label="From a shortfall of (%)"
              field={`creditNotches.thresholds.${i}.minShortfall`}
              f={f}
              value={r.minShortfall}
              onChange={(minShortfall) => notches.set(i, { minShortfall })}
            />
            <NumberField
              label="Notches down"
              field={`creditNotches.thresholds.${i}.notches`}
              f={f}
              value={r.notches}
              onChange={(n) => notches.set(i, { notches: n })}
            />
            {f.error(`creditNotches.thresholds.${i}`)}
            <button type="button" onClick={() => notches.remove(i)} aria-label={`Remove step ${i + 1}`}>
              Remove
            </button>
          </fieldset>
        ))}
        {notches.rows.length > 0 && (
          <label className="wide">
            What the mapping assumes
            <textarea
              rows={2}
              value={notchAssumption}
              onChange={(e) => setNotchAssumption(e.target.value)}
              {...f.props('creditNotches.assumption')}
            />
            {f.error('creditNotches.assumption')}
          </label>
        )}
        <button type="button" onClick={notches.add}>
          Add a step
        </button>
      </fieldset>
      {Object.keys(shown).length > 0 && (
        <p className="notice denied wide" role="alert">
          The scenario was not saved: check the fields marked below their inputs.
        </p>
      )}
      <button type="submit">Save scenario</button>
      {save.done && (
        <p className="notice ok" role="status">
          {save.done}
        </p>
      )}
      <Refusal error={save.error} />
    </form>
  );
}

interface RowProps<T extends object> {
  n: number;
  row: T;
  nodes: readonly GraphNode[];
  f: Fields;
  rows: ReturnType<typeof useRows<T>>;
}

function ShockFields({ n, row, nodes, f, rows }: RowProps<ShockRow>) {
  const key = (field: string) => `shocks.${n}.${field}`;
  const set = (patch: Partial<ShockRow>) => rows.set(n, patch);
  return (
    <fieldset className="filters entry">
      <legend>Shock {n + 1}</legend>
      <label>
        Kind
        <select value={row.kind} onChange={(e) => set({ kind: e.target.value as ShockKind })}>
          {SHOCK_KINDS.map((k) => (
            <option key={k} value={k}>
              {label(k)}
            </option>
          ))}
        </select>
      </label>
      <NodeSelect
        label={row.kind === 'export_restriction' ? 'Material' : 'Node'}
        field={key('node')}
        f={f}
        nodes={nodes}
        value={row.node}
        onChange={(node) => set({ node })}
      />
      {row.kind === 'export_restriction' && (
        <label>
          Exporting country (ISO code)
          <input
            value={row.country}
            maxLength={2}
            placeholder="CN"
            onChange={(e) => set({ country: e.target.value })}
            {...f.props(key('country'))}
          />
          {f.error(key('country'))}
        </label>
      )}
      <NumberField
        label={row.kind === 'price_spike' ? 'Price increase (%)' : 'Supply shortfall (%)'}
        field={key('size')}
        f={f}
        value={row.size}
        onChange={(size) => set({ size })}
      />
      <NumberField
        label="Lasting (months)"
        field={key('months')}
        f={f}
        value={row.months}
        onChange={(months) => set({ months })}
      />
      {n > 0 && (
        <button type="button" onClick={() => rows.remove(n)} aria-label={`Remove shock ${n + 1}`}>
          Remove
        </button>
      )}
    </fieldset>
  );
}

function BufferFields({ n, row, nodes, f, rows }: RowProps<BufferRow>) {
  const key = (field: string) => `buffers.${n}.${field}`;
  const set = (patch: Partial<BufferRow>) => rows.set(n, patch);
  return (
    <fieldset className="filters entry">
      <legend>Buffer {n + 1}</legend>
      <NodeSelect
        label="Buffered node"
        field={key('node')}
        f={f}
        nodes={nodes}
        value={row.node}
        onChange={(node) => set({ node })}
      />
      <NumberField
        label="Stockpile (months of use)"
        field={key('stockpileMonths')}
        f={f}
        value={row.stockpileMonths}
        onChange={(stockpileMonths) => set({ stockpileMonths })}
      />
      <NumberField
        label="Substitution (%)"
        field={key('substitution')}
        f={f}
        value={row.substitution}
        onChange={(substitution) => set({ substitution })}
      />
      <button type="button" onClick={() => rows.remove(n)} aria-label={`Remove buffer ${n + 1}`}>
        Remove
      </button>
    </fieldset>
  );
}
