import { can } from '../../../domain/roles.ts';
import type { Me } from '../../api.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useApi } from '../../use-api.ts';

/**
 * The reference-rate fixings floating facilities are priced on: what is stored per reference and its latest
 * source. They come in as a CSV import (the rate-fixings kind on the import page), each row with its source.
 */
export function FixingsPanel({ user }: { user: Me['user'] }) {
  const fixings = useApi('/api/credit/fixings');
  return (
    <section className="panel" aria-labelledby="fixings">
      <h2 id="fixings">Reference-rate fixings</h2>
      {fixings.error ? (
        <ErrorState error={fixings.error} />
      ) : !fixings.data ? (
        <Loading />
      ) : fixings.data.references.length === 0 ? (
        <Empty>
          No fixings yet: every floating-rate period is projected at a reference of 0 plus its margin.
          {can(user, 'credit.write') ? ' Import them on the import page (kind: reference-rate fixings).' : ''}
        </Empty>
      ) : (
        <table data-testid="fixings">
          <thead>
            <tr>
              <th>Reference</th>
              <th className="num">Fixings</th>
              <th>From</th>
              <th>To</th>
              <th className="num">Latest</th>
              <th>Source of the latest</th>
            </tr>
          </thead>
          <tbody>
            {fixings.data.references.map((r) => (
              <tr key={r.reference}>
                <td>{label(r.reference)}</td>
                <td className="num">{r.count.toLocaleString('en-US')}</td>
                <td>{r.firstOn}</td>
                <td>{r.lastOn}</td>
                <td className="num">{r.lastPercent}%</td>
                <td>{r.lastSource}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        A floating period is priced on the latest fixing on or before its first day (looked back at most 7
        days); a period no fixing reaches yet is projected at the latest fixing. Daily SOFR compounded in
        arrears is not modelled.{' '}
        {can(user, 'credit.write') && (
          <a href="#/imports">Import fixings (CSV: reference, date, rate_percent, source)</a>
        )}
      </p>
    </section>
  );
}
