/**
 * How much of the programme's public record Keel can count. A reported deal counts only through the ledger
 * (its own booked deal, with the bank's own amount); a verified report whose own amount is undisclosed adds
 * nothing to the target, and the summary says how many such deals there are and what totals they report.
 */
import { type Cents, formatCompact, formatDollars, sumCents } from '../money.ts';

export interface RecordRow {
  status: 'verified' | 'unverified';
  precursor: boolean;
  reportedAmount: Cents | null;
  ownAmount: Cents | null;
  booked: boolean;
}

export interface PublicRecordSummary {
  /** Reports of the programme's own deals (precursors apart). */
  reported: number;
  /** Verified, the bank's own amount disclosed and booked in the ledger: the only part that counts. */
  booked: { deals: number; own: Cents };
  /** Verified, own amount disclosed, but not booked in Keel: not counted until an admin books it. */
  disclosedNotBooked: { deals: number; own: Cents };
  /** Verified, the bank's own amount undisclosed: nothing counted; the reported round/project totals. */
  undisclosed: { deals: number; reportedTotals: Cents; withoutFigure: number };
  /** Unverified reports: leads before screening, never commitments. */
  leads: { deals: number; reportedSizes: Cents };
  /** Reported before the programme began, listed for the record. */
  precursors: { deals: number; reportedTotals: Cents };
}

const total = (rows: RecordRow[], pick: (r: RecordRow) => Cents | null) =>
  sumCents(rows.map((r) => pick(r) ?? 0n));

export function summarisePublicRecord(rows: readonly RecordRow[]): PublicRecordSummary {
  const own = rows.filter((r) => !r.precursor);
  const verified = own.filter((r) => r.status === 'verified');
  const booked = verified.filter((r) => r.ownAmount !== null && r.booked);
  const disclosed = verified.filter((r) => r.ownAmount !== null && !r.booked);
  const undisclosed = verified.filter((r) => r.ownAmount === null);
  const leads = own.filter((r) => r.status === 'unverified');
  const precursors = rows.filter((r) => r.precursor);
  return {
    reported: own.length,
    booked: { deals: booked.length, own: total(booked, (r) => r.ownAmount) },
    disclosedNotBooked: { deals: disclosed.length, own: total(disclosed, (r) => r.ownAmount) },
    undisclosed: {
      deals: undisclosed.length,
      reportedTotals: total(undisclosed, (r) => r.reportedAmount),
      withoutFigure: undisclosed.filter((r) => r.reportedAmount === null).length,
    },
    leads: { deals: leads.length, reportedSizes: total(leads, (r) => r.reportedAmount) },
    precursors: { deals: precursors.length, reportedTotals: total(precursors, (r) => r.reportedAmount) },
  };
}

/** The public record in sentences, the same words for the CLI, the web app and the quarterly report. */
export function publicRecordLines(r: PublicRecordSummary): string[] {
  const lines = [
    `Public record: ${r.reported} reported deal(s) of the programme; ${r.booked.deals} counted through the ledger (the bank's own ${formatDollars(r.booked.own)}).`,
    `Own amount undisclosed, nothing counted toward the target: ${r.undisclosed.deals} deal(s), reporting ${formatCompact(r.undisclosed.reportedTotals)} of round or project totals${r.undisclosed.withoutFigure ? ` (${r.undisclosed.withoutFigure} without a figure)` : ''}.`,
  ];
  if (r.disclosedNotBooked.deals)
    lines.push(
      `Own amount reported but not booked in Keel, not counted: ${r.disclosedNotBooked.deals} deal(s), ${formatDollars(r.disclosedNotBooked.own)}.`,
    );
  lines.push(
    `Leads (unverified reports, before screening, never in the ledger): ${r.leads.deals}, reported sizes ${formatCompact(r.leads.reportedSizes)}.`,
  );
  if (r.precursors.deals)
    lines.push(
      `Precursors reported before the programme began, not counted: ${r.precursors.deals} (${formatCompact(r.precursors.reportedTotals)}).`,
    );
  return lines;
}
