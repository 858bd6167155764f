/**
 * The CSV import kinds and the columns each one reads: one list for the importer, its API parameter and the
 * import page (which shows the expected columns under the kind).
 */
import { KeelError } from './errors.ts';
import { can, type Permission, type Principal } from './roles.ts';

export const IMPORT_KINDS = [
  'companies',
  'deals',
  'ledger',
  'organisations',
  'relationships',
  'prices',
  'rate-fixings',
  'public-deals',
  'peer-awards',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportColumns {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

export const IMPORT_COLUMNS: { readonly [K in ImportKind]: ImportColumns } = {
  companies: {
    required: ['id', 'name', 'us_based', 'source'],
    optional: [
      'hq_city',
      'hq_state_fips',
      'hq_county_fips',
      'ticker',
      'existing_client',
      'ownership_note',
      'foreign_control',
      'foreign_control_note',
      'synthetic',
    ],
  },
  deals: {
    required: [
      'id',
      'company_id',
      'sub_area_id',
      'instrument',
      'amount_usd',
      'classification',
      'opened_on',
      'source',
    ],
    optional: [
      'stage',
      // A deal past the first stage is a historical import (admin only) carrying the decision's reference.
      'historical_decision_ref',
      'announced_on',
      'name',
      'team',
      'synthetic',
      'resilience_score',
      'expected_return',
      'risk_score',
    ],
  },
  ledger: {
    required: ['key', 'deal_id', 'kind', 'amount_usd', 'effective_on'],
    optional: ['note'],
  },
  organisations: {
    required: ['id', 'name', 'kind', 'country', 'source'],
    optional: ['controlled_from', 'company_id'],
  },
  relationships: {
    required: ['kind', 'to_organisation', 'source'],
    optional: ['from_organisation', 'from_person', 'business_line', 'percent', 'deal_id', 'since', 'until'],
  },
  prices: {
    required: ['ticker', 'date', 'close', 'source'],
    optional: [],
  },
  // As the New York Fed publishes SOFR: the day, the rate in percent; the source names the publication.
  'rate-fixings': {
    required: ['reference', 'date', 'rate_percent', 'source'],
    optional: [],
  },
  'public-deals': {
    required: ['date', 'company', 'instrument', 'amount_usd', 'sub_area', 'status', 'sources'],
    optional: ['sub_area_id', 'role', 'own_amount_usd', 'state', 'county_fips'],
  },
  'peer-awards': {
    required: [
      'programme',
      'recipient',
      'technology_or_sub_area',
      'amount_usd',
      'date',
      'state',
      'status',
      'source',
    ],
    optional: ['sub_area_id'],
  },
};

export const IMPORT_KIND_LABELS: { readonly [K in ImportKind]: string } = {
  companies: 'companies',
  deals: 'deals',
  ledger: 'ledger',
  organisations: 'organisations (client network)',
  relationships: 'relationships (client network)',
  prices: 'daily prices',
  'rate-fixings': 'reference-rate fixings (credit)',
  'public-deals': 'reported deals (public record)',
  'peer-awards': 'peer awards (public record)',
};

/** The public record's kinds hold public facts only; every other kind writes private-side data. */
const PUBLIC_RECORD_KINDS: ReadonlySet<ImportKind> = new Set(['public-deals', 'peer-awards']);

/** The permission an import of this kind needs: fixings are the credit book's, imported by who keeps it. */
export const importPermission = (kind: ImportKind): Permission =>
  PUBLIC_RECORD_KINDS.has(kind)
    ? 'imports.public_record'
    : kind === 'rate-fixings'
      ? 'credit.write'
      : 'imports.run';

/** The kinds this principal may import, in the list's order (the import page offers only these). */
export const importableKinds = (principal: Principal): ImportKind[] =>
  IMPORT_KINDS.filter((kind) => can(principal, importPermission(kind)));

/** Refuses text with a NUL character (text columns cannot hold it), naming its line. */
export function refuseNul(kind: ImportKind, text: string): void {
  const nul = text.indexOf('\u0000');
  if (nul < 0) return;
  const line = text.slice(0, nul).split('\n').length;
  throw new KeelError(
    'invalid_csv',
    `${kind} file, line ${line}: contains a NUL character, which text fields cannot hold; nothing was imported`,
  );
}

/**
 * An uploaded file's text, refused before it is stored or queued: UTF-8 only (a Latin-1 or cp1252 file would
 * otherwise import with its accented letters silently replaced by U+FFFD) and no NUL (the upload's own row
 * could not hold it). A byte-order mark is dropped.
 */
export function importText(kind: ImportKind, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KeelError(
      'invalid_csv',
      `${kind} file is not UTF-8 text: save it as "CSV UTF-8" and upload it again; nothing was imported`,
    );
  }
  refuseNul(kind, text);
  return text;
}
