/**
 * The credit dashboard: EAD and EL of the book, the ungraded obligors to watch, concentration (HHI by obligor,
 * sub-area and state; the top 20 obligors), totals by sub-area, the facilities; and, for the roles that hold
 * credit.write, opening a facility on a loan deal.
 */

import { can } from '../../domain/roles.ts';
import type { Me } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { KpiTiles } from '../components/KpiTiles.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatPercent } from '../format.ts';
import { useApi } from '../use-api.ts';
import { FixingsPanel } from './credit/FixingsPanel.tsx';
import { OpenFacilityForm } from './credit/OpenFacilityForm.tsx';
import { PortfolioRiskPanel } from './credit/PortfolioRiskPanel.tsx';
import { ScaleSources } from './credit/ScaleSources.tsx';
import { StressPanel } from './credit/StressPanel.tsx';
import { WatchlistPanel } from './credit/Watchlist.tsx';

type Book = NonNullable<ReturnType<typeof useApi<'/api/credit/book'>>['data']>;

/** HHI on its own 0–1 scale and in the 0–10,000 points antitrust practice quotes. */
const hhiText = (h: number) => `${h.toFixed(4)} (${Math.round(h * 10_000).toLocaleString('en-US')} points)`;

function Groups({
  title,
  testId,
  groups,
}: {
  title: string;
  testId: string;
  groups: Book['concentration']['byObligor'];
}) {
  return (
    <table data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">EAD</th>
          <th className="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key}>
            <td>{g.name}</td>
            <td className="num">
              <Amount cents={g.ead} />
            </td>
            <td className="num">{formatPercent(g.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Totals({
  title,
  testId,
  rows,
}: {
  title: string;
  testId: string;
  rows: Book['totals']['bySubArea'];
}) {
  return (
    <table data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Facilities</th>
          <th className="num">EAD</th>
          <th className="num">EL</th>
          <th className="num">Ungraded EAD (no EL)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.name}</td>
            <td className="num">{r.facilities}</td>
            <td className="num">
              <Amount cents={r.ead} />
            </td>
            <td className="num">
              <Amount cents={r.el} />
            </td>
            <td className="num">
              <Amount cents={r.ungradedEad} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Credit({ user }: { user: Me['user'] }) {
  const book = useApi('/api/credit/book');
  if (book.error) return <ErrorState error={book.error} />;
  if (!book.data) return <Loading />;
  const b = book.data;
  const c = b.concentration;
  const t = b.totals.programme;
  return (
    <>
      <h1>Credit</h1>
      <p className="muted">
        As of {b.asOf}. EAD = drawn + CCF × undrawn, from the ledger entries of each facility's deal; EL = PD
        × LGD × EAD. An obligor without a grade is <strong>ungraded</strong>: its EAD is counted, it has no PD
        and no EL (Keel never assumes one), and its EAD is shown apart so the gap is seen.
      </p>
      <KpiTiles
        items={[
          ['Exposure at default', <Amount key="ead" cents={t.ead} />, `${t.facilities} facilities`],
          ['Expected loss', <Amount key="el" cents={t.el} />, 'graded obligors only'],
          ['Ungraded EAD', <Amount key="ungraded" cents={t.ungradedEad} />, 'no PD, so no EL'],
          [
            'Largest obligor',
            c.largestObligor ? formatPercent(c.largestObligor.share) : '–',
            c.largestObligor ? `${c.largestObligor.name}, share of EAD` : 'no exposure yet',
          ],
          ['HHI by obligor', c.hhiByObligor.toFixed(4), 'Σ share²; 1 = one name'],
        ]}
      />
      <section className="panel" aria-labelledby="watch">
        <h2 id="watch">Watch: ungraded obligors</h2>
        {b.ungradedObligors.length === 0 ? (
          <Empty>Every obligor with a facility has a grade.</Empty>
        ) : (
          <Totals
            title="Obligors without a grade (grade them on a facility's page)"
            testId="ungraded"
            rows={b.ungradedObligors}
          />
        )}
      </section>
      <WatchlistPanel user={user} />
      <section className="panel" aria-labelledby="facilities">
        <h2 id="facilities">Facilities</h2>
        {b.facilities.length === 0 ? (
          <Empty>No facility yet.</Empty>
        ) : (
          <table data-testid="credit-facilities">
            <thead>
              <tr>
                <th>Facility</th>
                <th>Obligor</th>
                <th>Sub-area</th>
                <th>Grade</th>
                <th className="num">PD</th>
                <th className="num">LGD</th>
                <th className="num">EAD</th>
                <th className="num">EL</th>
                <th className="num">Arrears</th>
                <th className="num">Days past due</th>
              </tr>
            </thead>
            <tbody>
              {b.facilities.map((f) => (
                <tr key={f.id} data-facility={f.id}>
                  <td>
                    <a href={`#/credit/${encodeURIComponent(f.id)}`}>{f.dealName ?? f.id}</a>
                  </td>
                  <td>{f.companyName}</td>
                  <td>{f.subAreaName}</td>
                  <td>{f.risk.grade === null ? 'ungraded' : `${f.risk.grade} · ${f.category}`}</td>
                  <td className="num">{f.risk.pd === null ? '–' : formatPercent(f.risk.pd)}</td>
                  <td className="num">{formatPercent(f.risk.lgd)}</td>
                  <td className="num">
                    <Amount cents={f.risk.ead} />
                  </td>
                  <td className="num">{f.risk.el === null ? 'no EL' : <Amount cents={f.risk.el} />}</td>
                  <td className="num">
                    <Amount cents={f.arrears.arrears} />
                  </td>
                  <td className="num">{f.arrears.daysPastDue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="concentration">
        <h2 id="concentration">Concentration</h2>
        <ul>
          <li>HHI by obligor: {hhiText(c.hhiByObligor)}</li>
          <li>HHI by sub-area: {hhiText(c.hhiBySubArea)}</li>
          <li>HHI by state (headquarters): {hhiText(c.hhiByState)}</li>
        </ul>
        <div className="two">
          <Groups title="Top 20 obligors by EAD" testId="top-obligors" groups={c.topObligors} />
          <Groups title="EAD by state" testId="by-state" groups={c.byState} />
        </div>
        <Totals title="EAD and EL by sub-area" testId="by-sub-area" rows={b.totals.bySubArea} />
      </section>
      <PortfolioRiskPanel />
      <StressPanel />
      <FixingsPanel user={user} />
      {can(user, 'credit.write') && <OpenFacilityForm onOpened={book.reload} />}
      <ScaleSources scale={b.scale} />
    </>
  );
}
