/**
 * A database integrity constraint (SQLSTATE class 23) that refused a write: the use case should have
 * checked first, but if a value slips through, the client is told which field broke which kind of rule,
 * with 409 for a duplicate and 422 for the rest, never a 5xx. The transaction has rolled back: nothing was
 * written. Values are not echoed: the client knows what it sent.
 */
import { type ErrorBody, errorBody } from './errors.ts';

interface DatabaseErrorFields {
  column?: unknown;
  constraint?: unknown;
  table?: unknown;
  detail?: unknown;
}

const KIND: Record<string, string> = {
  '23502': 'is required',
  '23503': 'refers to something that does not exist',
  '23505': 'is already taken',
  '23514': 'is outside the allowed values',
  '23P01': 'overlaps an existing record',
};

/** `amount_cents` → `amount`, `company_id` → `companyId`: the name the API's bodies use. */
export function apiFieldName(column: string): string {
  return column.replace(/_cents$/, '').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The column a constraint error is about, from the error's fields, its detail, or the constraint's name. */
function columnOf(error: DatabaseErrorFields): string | null {
  if (typeof error.column === 'string' && error.column) return error.column;
  if (typeof error.detail === 'string') {
    const key = /^Key \(([^)]+)\)=/.exec(error.detail);
    if (key?.[1]) return key[1].split(',')[0]!.trim();
  }
  if (typeof error.constraint === 'string') {
    const table = typeof error.table === 'string' ? error.table : '';
    const name = error.constraint.startsWith(`${table}_`)
      ? error.constraint.slice(table.length + 1)
      : error.constraint;
    const column = name.replace(/_(check|key|fkey|pkey|excl)$/, '');
    if (column && column !== 'pkey') return column;
  }
  return null;
}

export function integrityErrorBody(sqlState: string, error: unknown): ErrorBody {
  const fields = (error ?? {}) as DatabaseErrorFields;
  const column = columnOf(fields);
  const field = column ? apiFieldName(column) : null;
  const rule = KIND[sqlState] ?? 'breaks a rule of the stored data';
  const message = `${field ? `field ${field}` : 'a value in the request'} ${rule}; nothing was written`;
  const details = {
    ...(field ? { field } : {}),
    ...(typeof fields.constraint === 'string' ? { constraint: fields.constraint } : {}),
    sqlState,
  };
  return errorBody(sqlState === '23505' ? 'conflict' : 'constraint_violation', message, details);
}
