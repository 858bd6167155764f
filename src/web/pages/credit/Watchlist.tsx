/**
 * The watchlist: obligors with covenant breaches the committee has not waived or amended away, and for
 * credit.write the form recording the committee's waiver, amendment or acceleration of one breach (it names
 * the approving decision on the facility's deal; the server checks it).
 */
import { can } from '../../../domain/roles.ts';
import type { Me, ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Loading, Refusal } from '../../components/States.tsx';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';
import { covenantLabel } from './covenant-text.tsx';

type Breach = ResponseOf<'GET /api/credit/watchlist'>['obligors'][number]['breaches'][number];

function ActionForm({ breach, onDone }: { breach: Breach; onDone(): void }) {
  const post = useFormPost(onDone);
  return (
    <form
      className="filters entry"
      aria-label={`Committee action on the breach of ${breach.testOn}`}
      onSubmit={(e) =>
        post.submit(
          e,
          '/api/credit/watchlist/actions',
          (f) => ({
            covenantId: breach.covenantId,
            testOn: breach.testOn,
            action: String(f.get('action')),
            committeeDecisionId: String(f.get('committeeDecisionId') ?? ''),
            note: String(f.get('note') ?? ''),
          }),
          'The committee action is recorded.',
        )
      }
    >
      <label>
        Action{' '}
        <select name="action" defaultValue="waiver">
          <option value="waiver">waiver</option>
          <option value="amendment">amendment</option>
          <option value="acceleration">acceleration</option>
        </select>
      </label>
      <label>
        Committee decision no. <input name="committeeDecisionId" required inputMode="numeric" size={6} />
      </label>
      <label>
        Note (at least 10 characters) <input name="note" required minLength={10} maxLength={2000} />
      </label>
      <button type="submit">Record</button>
      <Refusal error={post.error} />
    </form>
  );
}

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
                      `${b.action.action} (decision ${b.action.committeeDecisionId})`
                    ) : writer ? (
                      <ActionForm breach={b} onDone={list.reload} />
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
