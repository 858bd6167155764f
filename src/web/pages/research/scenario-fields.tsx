/**
 * The scenario form's fields and their problems: schema issues (the domain's, checked before sending, or the
 * server's, in its words) placed at the field they point to, a node of the graph chosen by name, and rows
 * that are added and removed.
 */
import { type ReactNode, useId, useState } from 'react';
import type { z } from 'zod';
import { NODE_KINDS } from '../../../domain/research/graph.ts';
import { ApiError } from '../../api.ts';
import { label } from '../../format.ts';
import type { GraphNode } from './types.ts';

/** Problems by field key: `name`, `shocks.0.size`, `buffers.1.node`. */
export type Errors = Record<string, string>;

/** The form field a schema path points at: a shock's size is one field whether fraction or percent. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [list, row, field] = path.map(String);
  if (list !== 'shocks' && list !== 'buffers') return list ?? '';
  if (row === undefined) return list;
  const f = field === 'fraction' || field === 'percent' ? 'size' : field === 'materials' ? 'node' : field;
  return `${list}.${row}.${f ?? ''}`;
}

/** The schema's fractions, which the form takes as percents. */
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

export function schemaErrors(issues: readonly z.core.$ZodIssue[]): Errors {
  const out: Errors = {};
  for (const i of issues) out[fieldOf(i.path)] ??= explain(i);
  return out;
}

/** The server's own words, at the fields its validation issues name (`/shocks/0/fraction`). */
export function serverErrors(error: unknown): Errors {
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

export type Fields = ReturnType<typeof useFields>;

/** Each field's problem under it, tied to its input for screen readers. */
export function useFields(errors: Errors) {
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

/** A labelled number typed as text (the schema, not the browser, says what is allowed). */
export function NumberField(props: {
  label: ReactNode;
  field: string;
  f: Fields;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        inputMode="decimal"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        {...props.f.props(props.field)}
      />
      {props.f.error(props.field)}
    </label>
  );
}

/** A node of the current graph chosen by its name, grouped by kind. */
export function NodeSelect(props: {
  label: string;
  field: string;
  f: Fields;
  nodes: readonly GraphNode[];
  value: string;
  onChange(v: string): void;
}) {
  const id = useId();
  return (
    <label htmlFor={id}>
      {props.label}
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        {...props.f.props(props.field)}
      >
        <option value="">choose…</option>
        {NODE_KINDS.map((kind) => (
          <optgroup key={kind} label={label(kind)}>
            {props.nodes
              .filter((n) => n.kind === kind)
              .map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {props.f.error(props.field)}
    </label>
  );
}

let rowIds = 0;

/** Rows of a list the person adds to and removes from; `uid` keeps each row's identity meanwhile. */
export function useRows<T extends object>(make: () => T, initial = 0) {
  const fresh = () => ({ ...make(), uid: rowIds++ });
  const [rows, setRows] = useState(() => Array.from({ length: initial }, fresh));
  return {
    rows,
    add: () => setRows((r) => [...r, fresh()]),
    remove: (i: number) => setRows((r) => r.filter((_, j) => j !== i)),
    set: (i: number, patch: Partial<T>) =>
      setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row))),
  };
}
