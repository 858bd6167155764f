/**
 * The watchlist: obligors with covenant breaches the committee has not waived or amended away. An action on a
 * breach is a question put to the committee from the facility's page, and applied there once approved.
 */
import { can } from '../../../domain/roles.ts';
import type { Me } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useApi } from '../../use-api.ts';
import { approvalText, covenantLabel } from './covenant-text.tsx';

export function WatchlistPanel({ user }: { user: Me['user'] }) {
  const list = useApi('/api/credit/watchlist');
  const writer = can(user, 'credit.write');
  return (
    <section className="panel" aria-labelledby="watchlist">
      <h2 id="watchlist">Watchlist: covenant breaches</h2>
      {list.error ? (
        <ErrorState error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.count === 0 ? (
        <Empty>No obligor is in breach of a covenant as of {list.data.asOf}.</Empty>
      ) : (
        <table data-testid="watchlist">
          <caption>
            {list.data.count} obligor(s) as of {list.data.asOf}
          </caption>
          <thead>
            <tr>
              <th>Obligor</th>
              <th>Facility</th>
              <th>Covenant</th>
              <th>Test date</th>
              <th className="num">Actual</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {list.data.obligors.flatMap((o) =>
              o.breaches.map((b) => (
                <tr key={`${b.covenantId}-${b.testOn}`}>
                  <td>{o.companyName}</td>
                  <td>
                    <a href={`#/credit/${encodeURIComponent(b.facilityId)}`}>{b.dealName ?? b.facilityId}</a>
                  </td>
                  <td>{covenantLabel(b.kind, b.threshold)}</td>
                  <td>{b.testOn}</td>
                  <td className="num">
                    {b.actual === null ? (
                      '–'
                    ) : b.kind === 'min_liquidity' ? (
                      <Amount cents={b.actual} />
                    ) : (
                      `${b.actual}×`
                    )}
                  </td>
                  <td>
                    {b.action ? (
                      `${b.action.action} (${approvalText(b.action)})`
                    ) : writer ? (
                      <>
                        open ·{' '}
                        <a href={`#/credit/${encodeURIComponent(b.facilityId)}`}>put it to the committee</a>
                      </>
                    ) : (
                      'open'
                    )}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
