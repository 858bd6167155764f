/**
 * How much of the programme's public record Keel can count. A reported deal counts only through the ledger
 * (its own booked deal, with the bank's own amount); a verified report whose own amount is undisclosed adds
 * nothing to the target, and the summary says how many such deals there are and what totals they report.
 */
import { compactAmount } from '../format.ts';
import { type Cents, formatDollars, sumCents } from '../money.ts';

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
  /** Verified, the bank's own amount disclosed in the reports (a public figure). */
  ownReported: { deals: number; own: Cents };
  /**
   * Of those, booked in the ledger: the only part that counts. Null on the public side, where a booked
   * deal's amount would be a ledger figure of fewer than k deals.
   */
  booked: { deals: number; own: Cents } | null;
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
  const disclosed = verified.filter((r) => r.ownAmount !== null);
  const booked = disclosed.filter((r) => r.booked);
  const undisclosed = verified.filter((r) => r.ownAmount === null);
  const leads = own.filter((r) => r.status === 'unverified');
  const precursors = rows.filter((r) => r.precursor);
  return {
    reported: own.length,
    ownReported: { deals: disclosed.length, own: total(disclosed, (r) => r.ownAmount) },
    booked: { deals: booked.length, own: total(booked, (r) => r.ownAmount) },
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
  const booked =
    r.booked === null
      ? 'which of them the ledger books is not shown to the public side'
      : `${r.booked.deals} booked in the ledger and counted (${formatDollars(r.booked.own)})${r.booked.deals < r.ownReported.deals ? '; the rest count nothing until booked' : ''}`;
  const lines = [
    `Public record: ${r.reported} reported deal(s) of the programme. The bank's own amount is reported for ${r.ownReported.deals} (${formatDollars(r.ownReported.own)}): ${booked}.`,
    `Own amount undisclosed, nothing counted toward the target: ${r.undisclosed.deals} deal(s), reporting ${compactAmount(r.undisclosed.reportedTotals)} of round or project totals${r.undisclosed.withoutFigure ? ` (${r.undisclosed.withoutFigure} without a figure)` : ''}.`,
  ];
  lines.push(
    `Leads (unverified reports, before screening, never in the ledger): ${r.leads.deals}, reported sizes ${compactAmount(r.leads.reportedSizes)}.`,
  );
  if (r.precursors.deals)
    lines.push(
      `Precursors reported before the programme began, not counted: ${r.precursors.deals} (${compactAmount(r.precursors.reportedTotals)}).`,
    );
  return lines;
}
