import { SourceLinks } from '../../components/SourceLinks.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { compactAmount, exactAmount, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';

const STAGE_LABEL = {
  lead: 'lead (unverified; before screening, never in the ledger)',
  reported: 'reported',
  precursor: 'precursor (before the programme)',
} as const;

/** The programme's reported deals as the public record gives them, beside the deals Keel books. */
export function ReportedDeals() {
  const list = useApi('/api/public-record/deals');
  if (list.error) return <ErrorState error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section className="panel">
      <h2>The public record: reported deals</h2>
      <p className="muted">
        Own amount "undisclosed" counts nothing toward the target; the reported total is the round's or
        project's. Only a deal booked in Keel (linked) counts, through the ledger.
      </p>
      <table data-testid="reported-deals">
        <thead>
          <tr>
            <th>Date</th>
            <th>Company</th>
            <th>Stage</th>
            <th>Bank's role</th>
            <th className="num">Own amount</th>
            <th className="num">Reported total</th>
            <th>Sub-area</th>
            <th>State</th>
            <th>Sources</th>
          </tr>
        </thead>
        <tbody>
          {list.data.deals.map((d) => (
            <tr key={d.id} data-reported={d.id} data-stage={d.stage}>
              <td>{d.reportedOn}</td>
              <td>
                {d.dealId ? <a href={`#/deals/${d.dealId}`}>{d.company}</a> : d.company}
                <div className="muted">{d.instrument}</div>
              </td>
              <td>{STAGE_LABEL[d.stage]}</td>
              <td>{d.roles.map(label).join(', ') || '–'}</td>
              <td className="num">{d.ownAmount === null ? 'undisclosed' : exactAmount(d.ownAmount)}</td>
              <td className="num">
                {d.reportedAmount === null ? 'not stated' : compactAmount(d.reportedAmount)}
                {d.amountBasis ? <div className="muted">{d.amountBasis}</div> : null}
              </td>
              <td>{label(d.subAreaId)}</td>
              <td>{d.countyFips ?? d.stateFips ?? '–'}</td>
              <td>
                <SourceLinks sources={d.sources} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
