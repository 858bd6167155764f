import { cents } from '../../domain/money.ts';
import { type PublicRecordSummary, publicRecordLines } from '../../domain/public-record/record-summary.ts';
import type { ResponseOf } from '../api.ts';

/** The summary's public record as the API sends it: amounts are strings of cents. */
type PublicRecordWire = NonNullable<ResponseOf<'GET /api/programme/summary'>['publicRecord']>;

const c = (text: string) => cents(BigInt(text));

function fromWire(r: PublicRecordWire): PublicRecordSummary {
  return {
    reported: r.reported,
    ownReported: { deals: r.ownReported.deals, own: c(r.ownReported.own) },
    booked: r.booked === null ? null : { deals: r.booked.deals, own: c(r.booked.own) },
    undisclosed: { ...r.undisclosed, reportedTotals: c(r.undisclosed.reportedTotals) },
    leads: { deals: r.leads.deals, reportedSizes: c(r.leads.reportedSizes) },
    precursors: { deals: r.precursors.deals, reportedTotals: c(r.precursors.reportedTotals) },
  };
}

/** How much of the public record counts, and how much is undisclosed: the same sentences as the report. */
export function PublicRecordPanel({ record }: { record: PublicRecordWire | undefined }) {
  if (!record) return null;
  return (
    <section className="panel" data-testid="public-record-summary">
      <h2>The public record</h2>
      {publicRecordLines(fromWire(record)).map((line) => (
        <p key={line}>{line}</p>
      ))}
    </section>
  );
}
