/**
 * One facility: its terms, the projected schedule (table and chart), arrears against the ledger's repayments,
 * EAD and EL, its obligor's grade history with the form to grade it (credit.write), and the questions put to
 * the committee about it (new terms, breach actions) with "Apply" once approved.
 */
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { can } from '../../domain/roles.ts';
import type { Me, ResponseOf } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { Chart } from '../components/Chart.tsx';
import { KpiTiles } from '../components/KpiTiles.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import {
  chartDollars,
  compactAmount,
  compactDollars,
  formatMoment,
  formatPercent,
  label,
} from '../format.ts';
import { useApi } from '../use-api.ts';
import { useTitle } from '../use-title.ts';
import { CovenantsPanel } from './credit/Covenants.tsx';
import { FacilityQuestionsPanel } from './credit/CreditQuestions.tsx';
import { GradeForm } from './credit/GradeForm.tsx';

type View = ResponseOf<'GET /api/credit/facilities/:id'>;

type Period = View['schedule']['periods'][number];

/** Where a period's rate comes from, for its cell's tooltip. */
const rateNote = (p: Period) =>
  p.rateFrom === 'fixed'
    ? 'fixed rate'
    : p.fixing
      ? `reference fixed on ${p.fixing.fixedOn} at ${p.fixing.ratePercent}% (${p.fixing.source}), plus the margin`
      : 'no fixing reaches this period: projected';

function scheduleChart(periods: View['schedule']['periods']): EChartsOption {
  const dates = periods.map((p) => p.endsOn);
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['Principal', 'Interest', 'Balance after'] },
    xAxis: { type: 'category', data: dates },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactDollars(v) } },
    series: [
      {
        name: 'Principal',
        type: 'bar',
        stack: 'payment',
        data: periods.map((p) => chartDollars(p.principal)),
      },
      { name: 'Interest', type: 'bar', stack: 'payment', data: periods.map((p) => chartDollars(p.interest)) },
      { name: 'Balance after', type: 'line', data: periods.map((p) => chartDollars(p.closing)) },
    ],
  };
}

function Terms({ view }: { view: View }) {
  const t = view.terms;
  const rows: Array<[string, string]> = [
    ['Commitment', compactAmount(t.commitment)],
    ['Starts on', t.startsOn],
    ['Available until', t.availabilityEndsOn],
    ['Matures on', t.maturityOn],
    ['Amortisation', label(t.amortisation.kind)],
    [
      'Interest',
      t.interest.kind === 'fixed'
        ? `fixed ${formatPercent(Number(t.interest.rate))}`
        : `${t.interest.reference} + ${t.interest.marginBps} bp`,
    ],
    ['Day count', t.dayCount],
    ['Payments', label(t.paymentFrequency)],
    ['Business-day rule', `${label(t.businessDayRule)} (${label(t.holidayCalendar)})`],
    ['Seniority', label(t.seniority)],
    ['Collateral', t.collateral.map((c) => c.description).join('; ') || 'none'],
    ['Source', t.source],
  ];
  return (
    <table data-testid="facility-terms">
      <caption>
        Terms, version {view.version}
        {view.questionId ? ` (credit question ${view.questionId})` : ''}
      </caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CreditFacility({ id, user }: { id: string; user: Me['user'] }) {
  const view = useApi('/api/credit/facilities/:id', { params: { id } });
  const companyId = view.data?.book.companyId ?? null;
  const grades = useApi(companyId ? '/api/credit/obligors/:id/grades' : null, {
    params: { id: companyId ?? '' },
  });
  useTitle(view.data ? `${view.data.book.dealName ?? id} · credit` : null);
  const chart = useMemo(() => (view.data ? scheduleChart(view.data.schedule.periods) : null), [view.data]);
  // Applying a question changes the terms or a breach's action: the covenants are drawn again.
  const [applied, setApplied] = useState(0);
  // A covenant or financials just recorded may make a breach to put to the committee.
  const [tested, setTested] = useState(0);
  if (view.error) return <ErrorState error={view.error} />;
  if (!view.data) return <Loading />;
  const v = view.data;
  const { risk, arrears } = v.book;
  const reload = () => {
    view.reload();
    grades.reload();
  };
  return (
    <>
      <p>
        <a href="#/credit">← Credit</a>
      </p>
      <h1>
        {v.book.dealName ?? v.id} · {v.book.companyName}
      </h1>
      <p className="muted">
        {v.book.subAreaName}. Figures as of {arrears.asOf}; drawn and repaid from the ledger entries of the
        deal.
      </p>
      <KpiTiles
        items={[
          ['EAD', <Amount key="ead" cents={risk.ead} />, 'drawn + CCF × undrawn'],
          [
            'Expected loss',
            risk.el === null ? 'no EL' : <Amount key="el" cents={risk.el} />,
            risk.grade === null ? 'obligor ungraded: no PD' : `grade ${risk.grade} · ${v.book.category}`,
          ],
          ['PD', risk.pd === null ? '–' : formatPercent(risk.pd), 'one year, floored at 0.03%'],
          ['LGD', formatPercent(risk.lgd), `foundation IRB, ${label(v.book.seniority)}`],
          ['Drawn', <Amount key="drawn" cents={risk.drawn} />, 'draws less repayments'],
          ['Undrawn', <Amount key="undrawn" cents={risk.undrawn} />, 'still available to draw'],
        ]}
      />
      <section className="panel" aria-labelledby="arrears">
        <h2 id="arrears">Arrears</h2>
        <table data-testid="arrears">
          <thead>
            <tr>
              <th />
              <th className="num">Principal</th>
              <th className="num">Interest and fees</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Scheduled, past due</th>
              <td className="num">
                <Amount cents={arrears.scheduledDue} />
              </td>
              <td className="num">
                <Amount cents={arrears.interestDue} />
              </td>
            </tr>
            <tr>
              <th scope="row">Paid (ledger)</th>
              <td className="num">
                <Amount cents={arrears.repaid} />
              </td>
              <td className="num">
                <Amount cents={arrears.interestReceived} />
              </td>
            </tr>
            <tr>
              <th scope="row">In arrears</th>
              <td className="num">
                <Amount cents={arrears.arrears} />
              </td>
              <td className="num">
                <Amount cents={arrears.interestArrears} />
              </td>
            </tr>
            <tr>
              <th scope="row">Days past due</th>
              <td className="num" colSpan={2}>
                {arrears.daysPastDue}
                {arrears.oldestUnpaidDueOn ? ` (since ${arrears.oldestUnpaidDueOn})` : ''}
              </td>
            </tr>
          </tbody>
        </table>
        <p className="muted">
          Principal is paid by the ledger's repayments, interest and fees by its distributions (for a loan,
          cash received that repays no principal), each to the oldest instalment first. The schedule is the
          one projected from the terms, floating periods priced on their fixings.
        </p>
      </section>
      <section className="panel" aria-labelledby="grades">
        <h2 id="grades">Grade of {v.book.companyName}</h2>
        {grades.error ? (
          <ErrorState error={grades.error} />
        ) : !grades.data ? (
          <Loading />
        ) : (
          <>
            {grades.data.history.length === 0 ? (
              <Empty>Ungraded: no PD and no EL until a grade is assigned.</Empty>
            ) : (
              <table data-testid="grade-history">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Grade</th>
                    <th className="num">PD</th>
                    <th>By</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {grades.data.history.map((g) => (
                    <tr key={g.id}>
                      <td>{formatMoment(g.assignedAt)}</td>
                      <td>
                        {g.grade} · {g.category}
                      </td>
                      <td className="num">{g.pd === null ? '–' : formatPercent(g.pd)}</td>
                      <td>{g.assignedBy}</td>
                      <td>{g.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {can(user, 'credit.write') && (
              <GradeForm
                companyId={v.book.companyId}
                companyName={v.book.companyName}
                scale={grades.data.scale}
                onGraded={reload}
              />
            )}
          </>
        )}
      </section>
      <FacilityQuestionsPanel
        key={tested}
        facilityId={v.id}
        terms={v.terms}
        user={user}
        onApplied={() => {
          setApplied((n) => n + 1);
          view.reload();
        }}
      />
      <CovenantsPanel
        key={applied}
        facilityId={v.id}
        companyId={v.book.companyId}
        companyName={v.book.companyName}
        user={user}
        onChange={() => setTested((n) => n + 1)}
      />
      <section className="panel" aria-labelledby="terms">
        <h2 id="terms">Terms and schedule</h2>
        <Terms view={v} />
        {chart && <Chart name="facility-schedule" option={chart} height={300} />}
        <table data-testid="schedule">
          <thead>
            <tr>
              <th className="num">Period</th>
              <th>Ends on</th>
              <th className="num">Opening</th>
              <th className="num">Rate</th>
              <th className="num">Interest</th>
              <th className="num">Principal</th>
              <th className="num">Payment</th>
              <th className="num">Closing</th>
            </tr>
          </thead>
          <tbody>
            {v.schedule.periods.map((p) => (
              <tr key={p.period}>
                <td className="num">{p.period}</td>
                <td>{p.endsOn}</td>
                <td className="num">
                  <Amount cents={p.opening} />
                </td>
                <td className="num" title={rateNote(p)}>
                  {formatPercent(Number(p.rate.numerator) / Number(p.rate.denominator))}
                  {p.rateFrom === 'projected' ? ' (proj.)' : ''}
                </td>
                <td className="num">
                  <Amount cents={p.interest} />
                </td>
                <td className="num">
                  <Amount cents={p.principal} />
                </td>
                <td className="num">
                  <Amount cents={p.payment} />
                </td>
                <td className="num">
                  <Amount cents={p.closing} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          Rounding: each period's interest is rounded half up to the cent; the principal residue lands in the
          last period. A floating period is priced on its reference-rate fixing (hover its rate for the fixing
          and its source); a period no fixing reaches yet is projected at the latest fixing, or at 0 without
          any (proj.). The margin and floor apply either way.
        </p>
      </section>
    </>
  );
}
