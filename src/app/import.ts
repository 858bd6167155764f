/**
 * CSV imports of companies, deals and ledger entries: all rows or none. Every row is validated first and
 * the errors name the file line and the column; only a clean file reaches the database, where the batch
 * use cases check it again against what is stored (existing ids, deals, caps) inside one transaction.
 * Importing the same file twice is an idempotent replay (the key is the file's SHA-256).
 */

import { createHash } from 'node:crypto';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import { type CompanyInput, companyInputSchema } from '../domain/company.ts';
import { type FixingRow, fixingRowSchema } from '../domain/credit/fixings.ts';
import {
  type DealInput,
  dealInputSchema,
  type LedgerEntryInput,
  ledgerEntryInputSchema,
} from '../domain/deal.ts';
import { KeelError } from '../domain/errors.ts';
import { IMPORT_COLUMNS, type ImportKind, importPermission, refuseNul } from '../domain/import-kinds.ts';
import {
  type Organisation,
  organisationSchema,
  type Relationship,
  relationshipSchema,
} from '../domain/network.ts';
import { type PeerAwardRow, peerAwardRowSchema } from '../domain/public-record/peer-award.ts';
import { type ReportedDealRow, reportedDealRowSchema } from '../domain/public-record/reported-deal.ts';
import { authorize } from '../domain/roles.ts';
import type { BatchOptions } from './batch.ts';
import { throwIfCancelled } from './cancellation.ts';
import { addCompanies } from './companies.ts';
import type { Actor, AppContext, Progress } from './context.ts';
import { addRateFixings } from './credit/fixings.ts';
import { openDeals } from './deals.ts';
import { addPrices, type PriceRow, priceRowSchema } from './event-studies.ts';
import { recordLedgerEntries } from './ledger.ts';
import { addOrganisations, addRelationships } from './network/organisations.ts';
import { addPeerAwards, addReportedDeals } from './public-record/store.ts';
import { serverKey } from './write-key.ts';

export { IMPORT_KINDS, type ImportKind, importText } from '../domain/import-kinds.ts';

/** At most this many row errors are listed; the count of the rest is given. */
const MAX_LISTED_ERRORS = 20;

const blankToUndefined = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value.trim();
const yesNo = (value: string | undefined) => {
  const text = blankToUndefined(value)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['true', 'yes', 'y', '1'].includes(text)) return true;
  if (['false', 'no', 'n', '0'].includes(text)) return false;
  return text; // left as text so the schema reports "expected boolean"
};

interface ColumnSpec<T> {
  required: readonly string[];
  optional: readonly string[];
  toInput(row: Record<string, string>): unknown;
  schema: z.ZodType<T>;
}

/** Field names in error messages are the CSV's column names, so people can find them in their file. */
const FIELD_TO_COLUMN: Record<string, string> = {
  id: 'id',
  name: 'name',
  usBased: 'us_based',
  hqCity: 'hq_city',
  hqStateFips: 'hq_state_fips',
  hqCountyFips: 'hq_county_fips',
  ticker: 'ticker',
  existingClient: 'existing_client',
  ownershipNote: 'ownership_note',
  foreignControl: 'foreign_control',
  foreignControlNote: 'foreign_control_note',
  source: 'source',
  synthetic: 'synthetic',
  companyId: 'company_id',
  subAreaId: 'sub_area_id',
  instrument: 'instrument',
  amount: 'amount_usd',
  stage: 'stage',
  historicalDecisionRef: 'historical_decision_ref',
  classification: 'classification',
  openedOn: 'opened_on',
  announcedOn: 'announced_on',
  team: 'team',
  clientKey: 'key',
  dealId: 'deal_id',
  kind: 'kind',
  effectiveOn: 'effective_on',
  note: 'note',
  resilienceScore: 'resilience_score',
  expectedReturn: 'expected_return',
  riskScore: 'risk_score',
  country: 'country',
  controlledFrom: 'controlled_from',
  fromOrganisation: 'from_organisation',
  fromPerson: 'from_person',
  toOrganisation: 'to_organisation',
  businessLine: 'business_line',
  percent: 'percent',
  since: 'since',
  until: 'until',
  date: 'date',
  close: 'close',
  company: 'company',
  subArea: 'sub_area',
  status: 'status',
  sources: 'sources',
  roles: 'role',
  ownAmount: 'own_amount_usd',
  state: 'state',
  countyFips: 'county_fips',
  programme: 'programme',
  recipient: 'recipient',
  technology: 'technology_or_sub_area',
};

/** A column that could not be converted before schema validation (a malformed decimal). */
class FieldError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/** A plain decimal column (a score or a rate, not money). */
function decimal(text: string | undefined, column: string): number | undefined {
  const value = blankToUndefined(text);
  if (value === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(value))
    throw new FieldError(column, `"${value}" is not a decimal number like 42.5`);
  return Number(value);
}

interface ImportRow {
  companies: CompanyInput;
  deals: DealInput;
  ledger: LedgerEntryInput;
  organisations: Organisation;
  relationships: Relationship;
  prices: PriceRow;
  'rate-fixings': FixingRow;
  'public-deals': ReportedDealRow;
  'peer-awards': PeerAwardRow;
}

const SPECS: { [K in ImportKind]: ColumnSpec<ImportRow[K]> } = {
  companies: {
    ...IMPORT_COLUMNS.companies,
    toInput: (r) => ({
      id: blankToUndefined(r.id),
      name: blankToUndefined(r.name),
      usBased: yesNo(r.us_based),
      hqCity: blankToUndefined(r.hq_city),
      hqStateFips: blankToUndefined(r.hq_state_fips),
      hqCountyFips: blankToUndefined(r.hq_county_fips),
      ticker: blankToUndefined(r.ticker),
      existingClient: yesNo(r.existing_client),
      ownershipNote: blankToUndefined(r.ownership_note),
      foreignControl: yesNo(r.foreign_control),
      foreignControlNote: blankToUndefined(r.foreign_control_note),
      source: blankToUndefined(r.source),
      synthetic: yesNo(r.synthetic),
    }),
    schema: companyInputSchema,
  },
  deals: {
    ...IMPORT_COLUMNS.deals,
    toInput: (r) => ({
      id: blankToUndefined(r.id),
      companyId: blankToUndefined(r.company_id),
      subAreaId: blankToUndefined(r.sub_area_id),
      instrument: blankToUndefined(r.instrument),
      // Dollar text: the domain's amount field parses it, the same parser as the API's and the CLI's.
      amount: blankToUndefined(r.amount_usd),
      stage: blankToUndefined(r.stage),
      historicalDecisionRef: blankToUndefined(r.historical_decision_ref),
      classification: blankToUndefined(r.classification),
      openedOn: blankToUndefined(r.opened_on),
      announcedOn: blankToUndefined(r.announced_on),
      name: blankToUndefined(r.name),
      team: blankToUndefined(r.team)
        ?.split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      source: blankToUndefined(r.source),
      synthetic: yesNo(r.synthetic),
      resilienceScore: decimal(r.resilience_score, 'resilience_score'),
      expectedReturn: decimal(r.expected_return, 'expected_return'),
      riskScore: decimal(r.risk_score, 'risk_score'),
    }),
    schema: dealInputSchema,
  },
  ledger: {
    ...IMPORT_COLUMNS.ledger,
    toInput: (r) => ({
      clientKey: blankToUndefined(r.key),
      dealId: blankToUndefined(r.deal_id),
      kind: blankToUndefined(r.kind),
      // Dollar text: the domain's amount field parses it, the same parser as the API's and the CLI's.
      amount: blankToUndefined(r.amount_usd),
      effectiveOn: blankToUndefined(r.effective_on),
      note: blankToUndefined(r.note),
    }),
    schema: ledgerEntryInputSchema,
  },
  organisations: {
    ...IMPORT_COLUMNS.organisations,
    toInput: (r) => ({
      id: blankToUndefined(r.id),
      name: blankToUndefined(r.name),
      kind: blankToUndefined(r.kind),
      country: blankToUndefined(r.country),
      controlledFrom: blankToUndefined(r.controlled_from),
      companyId: blankToUndefined(r.company_id),
      source: blankToUndefined(r.source),
    }),
    schema: organisationSchema,
  },
  relationships: {
    ...IMPORT_COLUMNS.relationships,
    toInput: (r) => ({
      kind: blankToUndefined(r.kind),
      fromOrganisation: blankToUndefined(r.from_organisation),
      fromPerson: blankToUndefined(r.from_person),
      toOrganisation: blankToUndefined(r.to_organisation),
      businessLine: blankToUndefined(r.business_line),
      percent: decimal(r.percent, 'percent'),
      dealId: blankToUndefined(r.deal_id),
      since: blankToUndefined(r.since),
      until: blankToUndefined(r.until),
      source: blankToUndefined(r.source),
    }),
    schema: relationshipSchema,
  },
  'rate-fixings': {
    ...IMPORT_COLUMNS['rate-fixings'],
    toInput: (r) => ({
      reference: blankToUndefined(r.reference),
      date: blankToUndefined(r.date),
      ratePercent: blankToUndefined(r.rate_percent),
      source: blankToUndefined(r.source),
    }),
    schema: fixingRowSchema,
  },
  prices: {
    ...IMPORT_COLUMNS.prices,
    toInput: (r) => ({
      ticker: blankToUndefined(r.ticker),
      date: blankToUndefined(r.date),
      close: blankToUndefined(r.close),
      source: blankToUndefined(r.source),
    }),
    schema: priceRowSchema,
  },
  // The columns of data/public-record/sri-deals.csv; the optional ones state what the text only implies.
  'public-deals': {
    ...IMPORT_COLUMNS['public-deals'],
    toInput: (r) => ({
      date: blankToUndefined(r.date),
      company: blankToUndefined(r.company),
      instrument: blankToUndefined(r.instrument),
      amount: blankToUndefined(r.amount_usd),
      subArea: blankToUndefined(r.sub_area),
      status: blankToUndefined(r.status),
      sources: blankToUndefined(r.sources),
      subAreaId: blankToUndefined(r.sub_area_id),
      roles: blankToUndefined(r.role),
      ownAmount: blankToUndefined(r.own_amount_usd),
      state: blankToUndefined(r.state),
      countyFips: blankToUndefined(r.county_fips),
    }),
    schema: reportedDealRowSchema,
  },
  // The columns of data/public-record/peer-awards.csv.
  'peer-awards': {
    ...IMPORT_COLUMNS['peer-awards'],
    toInput: (r) => ({
      programme: blankToUndefined(r.programme),
      recipient: blankToUndefined(r.recipient),
      technology: blankToUndefined(r.technology_or_sub_area),
      amount: blankToUndefined(r.amount_usd),
      date: blankToUndefined(r.date),
      state: blankToUndefined(r.state),
      status: blankToUndefined(r.status),
      source: blankToUndefined(r.source),
      subAreaId: blankToUndefined(r.sub_area_id),
    }),
    schema: peerAwardRowSchema,
  },
};

export interface ImportOptions {
  key?: string;
  onProgress?: Progress;
  onPhase?: (phase: 'parsing' | 'validating' | 'writing') => void;
  signal?: AbortSignal;
}

export interface ParsedImport<T> {
  rows: T[];
  lines: number[];
  sha256: string;
}

/** Work between two turns of the event loop: long enough to be efficient, short enough for a GET to slip in. */
const TURN_MS = 10;
/** Characters handed to the CSV parser at a time. */
const CSV_SLICE = 256 * 1024;

/**
 * Parsing and validating a large file takes seconds of CPU: done in one go it would stall every other
 * request (a 150k-row file held static files for 18 s). The work gives the event loop a turn every TURN_MS
 * and stops there if the import was cancelled.
 */
function turnTaker(signal: AbortSignal | undefined): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < TURN_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfCancelled(signal, 'import');
    since = performance.now();
  };
}

type CsvRecord = { record: Record<string, string>; info: { lines: number } };

/** The CSV parser fed a slice at a time, with a turn of the event loop between slices. */
async function readRecords(text: string, takeTurn: () => Promise<void>): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  const parser = parse({
    columns: true,
    info: true,
    skip_empty_lines: true,
    trim: false,
    bom: true,
    relax_column_count: false,
  });
  let failure: Error | null = null;
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error: Error) => {
      failure = error;
      resolve();
    });
  });
  parser.on('data', (record: CsvRecord) => records.push(record));
  for (let at = 0; at < text.length && !failure; ) {
    let end = Math.min(text.length, at + CSV_SLICE);
    // Never split a surrogate pair between two slices.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    parser.write(text.slice(at, end));
    at = end;
    await takeTurn();
  }
  if (!failure) parser.end();
  await ended;
  if (failure) throw new KeelError('invalid_csv', `not a readable CSV file: ${(failure as Error).message}`);
  return records;
}

/**
 * Parses and validates a CSV file's text. Throws one error listing the bad rows by line and column. Gives
 * the event loop a turn every few milliseconds (see turnTaker), and stops when `signal` aborts.
 */
export async function parseImportFile<K extends ImportKind>(
  kind: K,
  text: string,
  signal?: AbortSignal,
): Promise<ParsedImport<z.infer<(typeof SPECS)[K]['schema']>>> {
  const spec = SPECS[kind] as ColumnSpec<unknown>;
  const takeTurn = turnTaker(signal);
  const records = await readRecords(text, takeTurn);
  const header = records.length ? Object.keys(records[0]!.record) : parseHeader(text);
  const missing = spec.required.filter((column) => !header.includes(column));
  const unknown = header.filter(
    (column) => !spec.required.includes(column) && !spec.optional.includes(column),
  );
  if (missing.length || unknown.length) {
    const parts = [];
    if (missing.length) parts.push(`missing column(s) ${missing.join(', ')}`);
    if (unknown.length) parts.push(`unknown column(s) ${unknown.join(', ')}`);
    throw new KeelError(
      'invalid_csv',
      `${kind} file, line 1: ${parts.join('; ')}; expected ${[...spec.required, ...spec.optional].join(',')}`,
    );
  }
  if (!records.length) throw new KeelError('invalid_csv', `${kind} file has a header but no rows`);

  refuseNul(kind, text);
  const rows: unknown[] = [];
  const lines: number[] = [];
  const errors: string[] = [];
  let errorCount = 0;
  for (const { record, info } of records) {
    await takeTurn();
    const problem = validateRow(spec, record);
    if (problem.ok) {
      rows.push(problem.value);
      lines.push(info.lines);
      continue;
    }
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS)
      errors.push(`line ${info.lines}, field ${problem.column}: ${problem.message}`);
  }
  if (errorCount) {
    const more = errorCount > errors.length ? `\n…and ${errorCount - errors.length} more` : '';
    throw new KeelError(
      'invalid_rows',
      `${kind} file has ${errorCount} invalid row(s); nothing was imported:\n${errors.join('\n')}${more}`,
      {
        errors,
        errorCount,
      },
    );
  }
  return { rows: rows as never, lines, sha256: createHash('sha256').update(text).digest('hex') };
}

function validateRow(
  spec: ColumnSpec<unknown>,
  record: Record<string, string>,
): { ok: true; value: unknown } | { ok: false; column: string; message: string } {
  let input: unknown;
  try {
    input = spec.toInput(record);
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, column: error.column, message: error.message };
    throw error;
  }
  const result = spec.schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  return { ok: false, column: FIELD_TO_COLUMN[field] ?? (field || 'row'), message: readable(issue.message) };
}

function parseHeader(text: string): string[] {
  return (text.split(/\r?\n/, 1)[0] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function readable(message: string): string {
  if (message.startsWith('Invalid input: expected') && message.endsWith('received undefined'))
    return 'is required';
  return message;
}

/** Imports one file all or none. Returns how many rows were written (or replayed). */
export async function importFile(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  text: string,
  options: ImportOptions = {},
) {
  authorize(actor, importPermission(kind));
  options.onPhase?.('validating');
  const parsed = await parseImportFile(kind, text, options.signal);
  const key = options.key ?? serverKey('import', kind, parsed.sha256);
  const batch: BatchOptions = {
    label: (index) => `line ${parsed.lines[index]}`,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  options.onPhase?.('writing');
  switch (kind) {
    case 'companies':
      return {
        rows: parsed.rows.length,
        ...(await addCompanies(ctx, actor, key, parsed.rows as CompanyInput[], batch)),
      };
    case 'deals':
      return {
        rows: parsed.rows.length,
        ...(await openDeals(ctx, actor, key, parsed.rows as DealInput[], batch)),
      };
    case 'ledger':
      return {
        rows: parsed.rows.length,
        ...(await recordLedgerEntries(ctx, actor, key, parsed.rows as LedgerEntryInput[], batch)),
      };
    case 'organisations':
      return {
        rows: parsed.rows.length,
        ...(await addOrganisations(ctx, actor, key, parsed.rows as Organisation[], batch)),
      };
    case 'relationships':
      return {
        rows: parsed.rows.length,
        ...(await addRelationships(ctx, actor, key, parsed.rows as Relationship[], batch)),
      };
    case 'prices':
      return {
        rows: parsed.rows.length,
        ...(await addPrices(ctx, actor, key, parsed.rows as PriceRow[], batch)),
      };
    case 'rate-fixings':
      return {
        rows: parsed.rows.length,
        ...(await addRateFixings(ctx, actor, key, parsed.rows as FixingRow[], batch)),
      };
    case 'public-deals':
      return {
        rows: parsed.rows.length,
        ...(await addReportedDeals(ctx, actor, key, parsed.rows as ReportedDealRow[], {
          ...batch,
          origin: `import ${parsed.sha256.slice(0, 12)}`,
          lines: parsed.lines,
        })),
      };
    case 'peer-awards':
      return {
        rows: parsed.rows.length,
        ...(await addPeerAwards(ctx, actor, key, parsed.rows as PeerAwardRow[], {
          ...batch,
          origin: `import ${parsed.sha256.slice(0, 12)}`,
          lines: parsed.lines,
        })),
      };
  }
}
