/**
 * Authoring a shock scenario (POST /api/research/scenarios): its shocks and buffers name nodes of the
 * current graph by their names. The form checks the input against the domain's own schema before sending
 * and shows each problem at its field; the server's refusals (its schema, or a node the graph lacks) are
 * shown at the field they name where it names one, and always in its words.
 */
import { type FormEvent, useId, useState } from 'react';
import type { z } from 'zod';
import { NODE_KINDS } from '../../../domain/research/graph.ts';
import { type ScenarioInput, scenarioSchema, shockSchema } from '../../../domain/research/scenario.ts';
import { ApiError, api } from '../../api.ts';
import { Refusal } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useSuggestedId } from '../../use-suggested-id.ts';
import type { GraphNode } from './types.ts';

type ShockKind = z.infer<typeof shockSchema>['kind'];
const SHOCK_KINDS = shockSchema.options.map((o) => o.shape.kind.value) as ShockKind[];
/** The kinds whose size is a fraction of supply (entered as a percent); a price spike's is a percent already. */
const isShortfall = (kind: ShockKind) => kind !== 'price_spike';

/** `uid`: a row's identity while rows are added and removed. */
interface ShockRow {
  uid: number;
  kind: ShockKind;
  node: string;
  country: string;
  size: string;
  months: string;
}
interface BufferRow {
  uid: number;
  node: string;
  stockpileMonths: string;
  substitution: string;
}
type Errors = Record<string, string>;

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const fraction = (percent: string) => number(percent) / 100;

function toShock(r: ShockRow): ScenarioInput['shocks'][number] {
  const months = number(r.months);
  if (r.kind === 'export_restriction')
    return {
      kind: r.kind,
      country: r.country.trim().toUpperCase(),
      materials: [r.node],
      fraction: fraction(r.size),
      months,
    };
  if (r.kind === 'plant_outage') return { kind: r.kind, node: r.node, fraction: fraction(r.size), months };
  return { kind: r.kind, node: r.node, percent: number(r.size), months };
}

const toBuffer = (b: BufferRow) => ({
  node: b.node,
  stockpileMonths: b.stockpileMonths.trim() === '' ? 0 : number(b.stockpileMonths),
  substitution: b.substitution.trim() === '' ? 0 : fraction(b.substitution),
});

/** The form field a schema path points at: a shock's size is one field whether fraction or percent. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [list, row, field] = path.map(String);
  if (list !== 'shocks' && list !== 'buffers') return list ?? '';
  if (row === undefined) return list;
  const f = field === 'fraction' || field === 'percent' ? 'size' : field === 'materials' ? 'node' : field;
  return `${list}.${row}.${f ?? ''}`;
}

const PERCENT_FIELDS = new Set(['fraction', 'substitution']);

/** A schema issue in the form's terms: fractions read as percents, as they were typed. */
function explain(issue: z.core.$ZodIssue): string {
  const scale = PERCENT_FIELDS.has(String(issue.path.at(-1)))
    ? (x: unknown) => `${Number(x) * 100} %`
    : (x: unknown) => String(x);
  if (issue.code === 'too_big')
    return `must be ${issue.inclusive ? 'at most' : 'less than'} ${scale(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'number')
    return `must be ${issue.inclusive ? 'at least' : 'more than'} ${scale(issue.minimum)}`;
  if (issue.code === 'invalid_type') return issue.expected === 'number' ? 'a number is needed' : 'required';
  return issue.message;
}

function schemaErrors(issues: readonly z.core.$ZodIssue[]): Errors {
  const out: Errors = {};
  for (const i of issues) out[fieldOf(i.path)] ??= explain(i);
  return out;
}

/** The server's own words, at the fields its validation issues name (`/shocks/0/fraction`). */
function serverErrors(error: unknown): Errors {
  if (!(error instanceof ApiError)) return {};
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return {};
  const out: Errors = {};
  for (const i of issues as { path?: string; message?: string }[]) {
    const path = (i.path ?? '').split('/').filter(Boolean);
    out[fieldOf(path)] ??= i.message ?? 'is invalid';
  }
  return out;
}

let rows = 0;
const emptyShock = (): ShockRow => ({
  uid: rows++,
  kind: 'plant_outage',
  node: '',
  country: '',
  size: '',
  months: '6',
});
const emptyBuffer = (): BufferRow => ({ uid: rows++, node: '', stockpileMonths: '', substitution: '' });

export function ScenarioForm({ nodes, onSaved }: { nodes: readonly GraphNode[]; onSaved(): void }) {
  const named = useSuggestedId();
  const [basis, setBasis] = useState('');
  const [horizon, setHorizon] = useState('12');
  const [shocks, setShocks] = useState<ShockRow[]>([emptyShock()]);
  const [buffers, setBuffers] = useState<BufferRow[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const save = useAction(onSaved);
  const shown = { ...serverErrors(save.error), ...errors };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: ScenarioInput = {
      id: named.id,
      name: named.name.trim(),
      basis: basis.trim(),
      horizonMonths: number(horizon),
      shocks: shocks.map(toShock),
      buffers: buffers.map(toBuffer),
    };
    const parsed = scenarioSchema.safeParse(input);
    setErrors(parsed.success ? {} : schemaErrors(parsed.error.issues));
    if (!parsed.success) return;
    void save.run(
      () => api.post('/api/research/scenarios', { body: input }),
      `Scenario "${input.name}" saved: run it from the list above.`,
    );
  };
  const f = useFields(shown);
  const setShock = (i: number, patch: Partial<ShockRow>) =>
    setShocks((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setBuffer = (i: number, patch: Partial<BufferRow>) =>
    setBuffers((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
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
      <label>
        Horizon (months)
        <input
          type="number"
          inputMode="numeric"
          value={horizon}
          onChange={(e) => setHorizon(e.target.value)}
          {...f.props('horizonMonths')}
        />
        {f.error('horizonMonths')}
      </label>
      <label className="wide">
        Basis (what the scenario stands for, and its sources)
        <textarea rows={2} value={basis} onChange={(e) => setBasis(e.target.value)} {...f.props('basis')} />
        {f.error('basis')}
      </label>
      <fieldset className="rows wide">
        <legend>Shocks</legend>
        {f.error('shocks')}
        {shocks.map((s, i) => (
          <ShockFields
            key={s.uid}
            n={i}
            row={s}
            nodes={nodes}
            f={f}
            onChange={(patch) => setShock(i, patch)}
            onRemove={shocks.length > 1 ? () => setShocks((r) => r.filter((_, j) => j !== i)) : undefined}
          />
        ))}
        <button type="button" onClick={() => setShocks((r) => [...r, emptyShock()])}>
          Add a shock
        </button>
      </fieldset>
      <fieldset className="rows wide">
        <legend>Buffers</legend>
        {buffers.length === 0 && <p className="muted">No buffers: the shocks fall on supply in full.</p>}
        {buffers.map((b, i) => (
          <BufferFields
            key={b.uid}
            n={i}
            row={b}
            nodes={nodes}
            f={f}
            onChange={(patch) => setBuffer(i, patch)}
            onRemove={() => setBuffers((r) => r.filter((_, j) => j !== i))}
          />
        ))}
        <button type="button" onClick={() => setBuffers((r) => [...r, emptyBuffer()])}>
          Add a buffer
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

type Fields = ReturnType<typeof useFields>;

/** Each field's error under it, tied to its input for screen readers. */
function useFields(errors: Errors) {
  const prefix = useId();
  const id = (key: string) => `${prefix}-${key.replaceAll('.', '-')}`;
  return {
    props: (key: string) =>
      errors[key] ? { 'aria-invalid': true as const, 'aria-describedby': id(key) } : {},
    error: (key: string) =>
      errors[key] ? (
        <span className="field-error" id={id(key)}>
          {errors[key]}
        </span>
      ) : null,
  };
}

function NodeSelect({
  id,
  nodes,
  value,
  onChange,
  extra,
}: {
  id: string;
  nodes: readonly GraphNode[];
  value: string;
  onChange(v: string): void;
  extra: object;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...extra}>
      <option value="">choose…</option>
      {NODE_KINDS.map((kind) => (
        <optgroup key={kind} label={label(kind)}>
          {nodes
            .filter((n) => n.kind === kind)
            .map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

function ShockFields(props: {
  n: number;
  row: ShockRow;
  nodes: readonly GraphNode[];
  f: Fields;
  onChange(p: Partial<ShockRow>): void;
  onRemove?: (() => void) | undefined;
}) {
  const { n, row, nodes, f, onChange } = props;
  const key = (field: string) => `shocks.${n}.${field}`;
  const title = `Shock ${n + 1}`;
  const nodeId = useId();
  return (
    <fieldset className="filters entry">
      <legend>{title}</legend>
      <label>
        Kind
        <select value={row.kind} onChange={(e) => onChange({ kind: e.target.value as ShockKind })}>
          {SHOCK_KINDS.map((k) => (
            <option key={k} value={k}>
              {label(k)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={nodeId}>
        {row.kind === 'export_restriction' ? 'Material' : 'Node'}
        <NodeSelect
          id={nodeId}
          nodes={nodes}
          value={row.node}
          onChange={(node) => onChange({ node })}
          extra={f.props(key('node'))}
        />
        {f.error(key('node'))}
      </label>
      {row.kind === 'export_restriction' && (
        <label>
          Exporting country (ISO code)
          <input
            value={row.country}
            maxLength={2}
            placeholder="CN"
            onChange={(e) => onChange({ country: e.target.value })}
            {...f.props(key('country'))}
          />
          {f.error(key('country'))}
        </label>
      )}
      <label>
        {isShortfall(row.kind) ? 'Supply shortfall (%)' : 'Price increase (%)'}
        <input
          type="number"
          inputMode="decimal"
          value={row.size}
          onChange={(e) => onChange({ size: e.target.value })}
          {...f.props(key('size'))}
        />
        {f.error(key('size'))}
      </label>
      <label>
        Lasting (months)
        <input
          type="number"
          inputMode="decimal"
          value={row.months}
          onChange={(e) => onChange({ months: e.target.value })}
          {...f.props(key('months'))}
        />
        {f.error(key('months'))}
      </label>
      {props.onRemove && (
        <button type="button" onClick={props.onRemove} aria-label={`Remove ${title.toLowerCase()}`}>
          Remove
        </button>
      )}
    </fieldset>
  );
}

function BufferFields(props: {
  n: number;
  row: BufferRow;
  nodes: readonly GraphNode[];
  f: Fields;
  onChange(p: Partial<BufferRow>): void;
  onRemove(): void;
}) {
  const { n, row, nodes, f, onChange } = props;
  const key = (field: string) => `buffers.${n}.${field}`;
  const title = `Buffer ${n + 1}`;
  const nodeId = useId();
  return (
    <fieldset className="filters entry">
      <legend>{title}</legend>
      <label htmlFor={nodeId}>
        Buffered node
        <NodeSelect
          id={nodeId}
          nodes={nodes}
          value={row.node}
          onChange={(node) => onChange({ node })}
          extra={f.props(key('node'))}
        />
        {f.error(key('node'))}
      </label>
      <label>
        Stockpile (months of use)
        <input
          type="number"
          inputMode="decimal"
          value={row.stockpileMonths}
          onChange={(e) => onChange({ stockpileMonths: e.target.value })}
          {...f.props(key('stockpileMonths'))}
        />
        {f.error(key('stockpileMonths'))}
      </label>
      <label>
        Substitution (%)
        <input
          type="number"
          inputMode="decimal"
          value={row.substitution}
          onChange={(e) => onChange({ substitution: e.target.value })}
          {...f.props(key('substitution'))}
        />
        {f.error(key('substitution'))}
      </label>
      <button type="button" onClick={props.onRemove} aria-label={`Remove ${title.toLowerCase()}`}>
        Remove
      </button>
    </fieldset>
  );
}
