import { Amount } from '../../components/Amount.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useApi } from '../../use-api.ts';

export function Coverage() {
  const r = useApi('/api/coverage');
  if (r.error) return <ErrorState error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  return (
    <div className="two">
      <section className="panel" data-testid="coverage-gaps">
        <h2>Coverage gaps</h2>
        <h3>Sub-areas with pipeline and no specialist</h3>
        <table>
          <tbody>
            {d.uncovered.map((u) => (
              <tr key={u.subAreaId}>
                <td>{label(u.subAreaId)}</td>
                <td className="num">{u.openDeals} open deals</td>
                <td className="num">
                  <Amount cents={u.openAmountCents} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Specialist load</h3>
        <p className="muted">
          Overloaded above {d.thresholds.deals} open deals or <Amount cents={d.thresholds.amountCents} /> of
          open pipeline (shared among co-covering specialists).
        </p>
        <table>
          <tbody>
            {d.load.map((l) => (
              <tr key={l.staffId}>
                <td>{l.name}</td>
                <td>{l.subAreas.map(label).join(', ')}</td>
                <td className="num">{l.openDeals.toFixed(1)}</td>
                <td className="num">
                  <Amount cents={l.openAmountCents} />
                </td>
                <td>{l.overloaded ? 'overloaded' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Hiring plan {d.year}</h2>
        <table>
          <thead>
            <tr>
              <th>Sub-area</th>
              <th className="num">Planned</th>
              <th className="num">Actual</th>
              <th className="num">Gap</th>
            </tr>
          </thead>
          <tbody>
            {d.hiring.map((h) => (
              <tr key={h.subAreaId}>
                <td>{label(h.subAreaId)}</td>
                <td className="num">{h.planned}</td>
                <td className="num">{h.actual}</td>
                <td className="num">{h.planned - h.actual}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
