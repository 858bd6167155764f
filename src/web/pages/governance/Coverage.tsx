import { can, type Principal } from '../../../domain/roles.ts';
import { Amount } from '../../components/Amount.tsx';
import { Disclosure } from '../../components/Disclosure.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useNames } from '../../names.ts';
import { useApi } from '../../use-api.ts';
import { AddStaff, HiringPlanEditor } from './CoverageForms.tsx';

export function Coverage({ user }: { user: Principal }) {
  const r = useApi('/api/coverage');
  const names = useNames();
  const manages = can(user, 'coverage.manage');
  if (r.error) return <ErrorState error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  return (
    <>
      {manages && (
        <Disclosure className="panel" summary="Add a staff member">
          {() => <AddStaff onSaved={r.reload} />}
        </Disclosure>
      )}
      <div className="two">
        <section className="panel" data-testid="coverage-gaps">
          <h2>Coverage gaps</h2>
          <h3>Sub-areas with pipeline and no specialist</h3>
          {d.uncovered.length === 0 && <Empty>Every sub-area with open pipeline has a specialist.</Empty>}
          <table data-testid="uncovered">
            <tbody>
              {d.uncovered.map((u) => (
                <tr key={u.subAreaId}>
                  <td>{names.subArea(u.subAreaId)}</td>
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
                  <td>{l.subAreas.map(names.subArea).join(', ')}</td>
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
        <section className="panel" data-testid="hiring-plan">
          <h2>Hiring plan {d.year}</h2>
          {d.hiring.length === 0 && (
            <Empty>
              No hiring plan for {d.year} yet{manages ? ': set one below.' : '; a portfolio manager sets it.'}
            </Empty>
          )}
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
                  <td>{names.subArea(h.subAreaId)}</td>
                  <td className="num">{h.planned}</td>
                  <td className="num">{h.actual}</td>
                  <td className="num">{h.planned - h.actual}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {manages && (
            <Disclosure summary="Edit the hiring plan">
              {() => <HiringPlanEditor from={d.year} onSaved={r.reload} />}
            </Disclosure>
          )}
        </section>
      </div>
    </>
  );
}
