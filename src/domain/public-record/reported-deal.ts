/**
 * A reported deal of the programme, as the public record gives it. Most reports disclose a round's or a
 * project's total and the bank's role in it, not the bank's own amount: the own amount is then undisclosed
 * (null) and nothing of the row counts toward the programme's target. Unverified rows are leads, before
 * screening, and never reach the ledger.
 */
import { z } from 'zod';
import { countyFips, isoDate, positiveAmount, slug } from '../fields.ts';
import type { Cents } from '../money.ts';
import type { Stage } from '../stages.ts';
import { optionalAmount, placesField, sourcesField } from './fields.ts';

/**
 * Where the pipeline board shows an unverified report: a lead in the first stage, before screening. It is
 * shown from the public record beside the stage's deals, never opened as a deal, so no stage total, ledger
 * entry or counted figure includes it.
 */
export const LEAD_STAGE: Stage = 'sourced';

export const BANK_ROLES = ['lead', 'co_lead', 'adviser', 'debt', 'equity', 'participant'] as const;
export type BankRole = (typeof BANK_ROLES)[number];
export const REPORT_STATUSES = ['verified', 'unverified'] as const;

/**
 * The bank's roles read from the deal's own words. Co-lead is read before lead so that "co-lead" is not
 * also a lead; "lead-left arranger" and "Lead of" are leads.
 */
export function bankRolesFromText(text: string): BankRole[] {
  const roles = new Set<BankRole>();
  let rest = text;
  if (/\bco-?lead/i.test(rest)) {
    roles.add('co_lead');
    rest = rest.replace(/\bco-?lead\w*/gi, '');
  }
  if (/\blead(?:-left)?\b(?! investor)/i.test(rest)) roles.add('lead');
  if (/\badvis[eo]r/i.test(rest)) roles.add('adviser');
  if (/\b(?:debt|credit facility|loan|financing)\b/i.test(rest)) roles.add('debt');
  if (/\b(?:direct equity|own capital|stake)\b/i.test(rest)) roles.add('equity');
  if (/\b(?:participant|investing|investors?)\b/i.test(rest)) roles.add('participant');
  return BANK_ROLES.filter((r) => roles.has(r));
}

/** The bank's own amount is disclosed only where the row says the amount is the bank's own capital. */
export const ownAmountIsReported = (instrument: string): boolean =>
  /\bown capital\b/i.test(instrument) && !/\b(?:undisclosed|not disclosed)\b/i.test(instrument);

/** A deal reported before the programme began, listed for the record and never as one of its deals. */
export const isPrecursor = (instrument: string): boolean =>
  /\bprecursor\b|not an SRI investment/i.test(instrument);

/** What the reported amount is, in the row's own words ("[amount = round total; …]"), when it says. */
export function amountBasisFromText(instrument: string): string | null {
  const match = /\[amount = ([^;\]]+)/i.exec(instrument);
  return match ? match[1]!.trim() : null;
}

const roleList = z
  .string()
  .optional()
  .transform((text, ctx): BankRole[] | undefined => {
    if (text === undefined || text.trim() === '') return undefined;
    const roles = text.split(';').map((r) => r.trim().replace('-', '_'));
    const bad = roles.find((r) => !(BANK_ROLES as readonly string[]).includes(r));
    if (bad === undefined) return roles as BankRole[];
    ctx.addIssue({
      code: 'custom',
      message: `"${bad}" is not a role; use ${BANK_ROLES.join(', ')} (;-separated)`,
    });
    return z.NEVER;
  });

/**
 * A row of sri-deals.csv (date,company,instrument,amount_usd,sub_area,status,sources) or of an import in the
 * same columns. Optional columns state what the text only implies: sub_area_id, role, own_amount_usd,
 * state, county_fips.
 */
export const reportedDealRowSchema = z.object({
  date: isoDate,
  company: z.string().trim().min(1, 'is required').max(300),
  instrument: z.string().trim().min(1, 'is required').max(2000),
  amount: optionalAmount,
  subArea: z.string().trim().min(1, 'is required').max(300),
  status: z.enum(REPORT_STATUSES, { message: 'must be verified or unverified' }),
  sources: sourcesField,
  subAreaId: slug.optional(),
  roles: roleList,
  ownAmount: positiveAmount.optional(),
  state: placesField,
  countyFips: countyFips.optional(),
});
export type ReportedDealRow = z.infer<typeof reportedDealRowSchema>;

export interface ReportedDeal {
  id: string;
  reportedOn: string;
  company: string;
  instrument: string;
  reportedAmount: Cents | null;
  /** Null: the bank's own amount is not disclosed, and nothing of the deal is counted. */
  ownAmount: Cents | null;
  amountBasis: string | null;
  roles: BankRole[];
  subAreaText: string;
  status: 'verified' | 'unverified';
  precursor: boolean;
  sources: ReturnType<typeof sourcesField.parse>;
}

const slugPart = (text: string) =>
  text
    .toLowerCase()
    .replace(/\(.*$/, '')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

/** A row's derived facts: its id (date and company), roles, own amount, precursor flag. */
export function reportedDeal(row: ReportedDealRow): ReportedDeal {
  const ownFromText = row.amount !== null && ownAmountIsReported(row.instrument) ? row.amount : null;
  const unverified = row.status === 'unverified';
  return {
    id: `${row.date}-${slugPart(row.company) || 'company'}`,
    reportedOn: row.date,
    company: row.company,
    instrument: row.instrument,
    reportedAmount: row.amount,
    // A lead's amount is never the bank's: it is what the bank was reported to consider.
    ownAmount: unverified ? null : (row.ownAmount ?? ownFromText),
    amountBasis: amountBasisFromText(row.instrument) ?? (ownFromText !== null ? 'own amount' : null),
    roles: row.roles ?? bankRolesFromText(row.instrument),
    subAreaText: row.subArea,
    status: row.status,
    precursor: isPrecursor(row.instrument),
    sources: row.sources,
  };
}
