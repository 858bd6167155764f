import { Fragment } from 'react';
import { exactAmount, formatCount, label } from '../../format.ts';

/** Past these, the rest is in the JSON as recorded (a batch's request can hold thousands of entries). */
const MAX_ITEMS = 20;
const MAX_DEPTH = 5;
const WHOLE_NUMBER = /^-?\d{1,30}$/;
const AMOUNT_FIELD = /amount|cents/i;

/** `amountCents` → "amount cents", `deal_id` → "deal id". */
const keyLabel = (key: string) => label(key.replace(/([a-z0-9])([A-Z])/g, '$1 $2')).toLowerCase();

/**
 * An audit row's details as an auditor reads them: fields by name, amounts in dollars with their cents, and
 * the JSON exactly as the chain recorded it below. The record keeps amounts as integer cents (bigints, sent as
 * decimal text), so a whole number under a field named for an amount (amount, amountCents, approvedAmount) is
 * read as cents; the decimal text an amendment records ("200000000.00") is dollars already and stays as it is.
 */
export function AuditDetails({ details }: { details: unknown }) {
  return (
    <div className="audit-details">
      <DetailValue value={details} depth={0} />
      <details>
        <summary>as recorded (JSON)</summary>
        <pre className="wrap">{JSON.stringify(details, null, 2)}</pre>
      </details>
    </div>
  );
}

function DetailValue({ value, name, depth }: { value: unknown; name?: string; depth: number }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  if (name && AMOUNT_FIELD.test(name) && WHOLE_NUMBER.test(String(value)))
    return (
      <>
        {exactAmount(String(value))}{' '}
        <span className="muted">({formatCount(BigInt(String(value)))} cents)</span>
      </>
    );
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value !== 'object') return <>{String(value)}</>;
  if (depth >= MAX_DEPTH) return <span className="muted">(in the JSON below)</span>;
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i + 1), v] as const)
    : Object.entries(value as Record<string, unknown>);
  if (!entries.length) return <span className="muted">none</span>;
  const shown = entries.slice(0, MAX_ITEMS);
  return (
    <dl>
      {shown.map(([key, v]) => (
        <Fragment key={key}>
          <dt>{Array.isArray(value) ? `#${key}` : keyLabel(key)}</dt>
          <dd>
            <DetailValue value={v} name={Array.isArray(value) ? (name ?? '') : key} depth={depth + 1} />
          </dd>
        </Fragment>
      ))}
      {entries.length > shown.length && (
        <>
          <dt>…</dt>
          <dd className="muted">{formatCount(entries.length - shown.length)} more, in the JSON below</dd>
        </>
      )}
    </dl>
  );
}
