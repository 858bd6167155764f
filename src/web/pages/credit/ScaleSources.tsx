import type { ResponseOf } from '../../api.ts';
import { Disclosure } from '../../components/Disclosure.tsx';
import { formatPercent } from '../../format.ts';

type Scale = ResponseOf<'GET /api/credit/book'>['scale'];

/** The grade scale with every figure's source, and what was not found (said plainly, never filled in). */
export function ScaleSources({ scale }: { scale: Scale }) {
  return (
    <section className="panel" aria-labelledby="scale">
      <h2 id="scale">Grade scale and its sources</h2>
      <table data-testid="grade-scale">
        <thead>
          <tr>
            <th className="num">Grade</th>
            <th>Category</th>
            <th className="num">One-year default rate</th>
            <th className="num">PD used</th>
            <th>Where it comes from</th>
          </tr>
        </thead>
        <tbody>
          {scale.grades.map((g) => (
            <tr key={g.grade}>
              <td className="num">{g.grade}</td>
              <td>{g.category}</td>
              <td className="num">
                {g.oneYearDefaultRate === null ? 'not found' : formatPercent(Number(g.oneYearDefaultRate))}
              </td>
              <td className="num">{g.pd === null ? 'none (no EL)' : formatPercent(g.pd)}</td>
              <td>{g.table}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul>
        <li>
          PD floor {formatPercent(Number(scale.pdFloor.value))}: {scale.pdFloor.source}
        </li>
        <li>
          LGD {formatPercent(Number(scale.lgd.senior_unsecured.value))} senior unsecured (
          {scale.lgd.senior_unsecured.source}), {formatPercent(Number(scale.lgd.subordinated.value))}{' '}
          subordinated ({scale.lgd.subordinated.source}); secured: {scale.lgd.otherCollateral.source}
        </li>
        <li>
          CCF {formatPercent(Number(scale.ccf.value))} on undrawn commitments: {scale.ccf.source}
        </li>
        <li>
          PDs: {scale.pdSource.publication}; {scale.pdSource.transcribedBy}
        </li>
      </ul>
      <Disclosure summary="Notes on the calibration">
        {() => scale.notes.map((n) => <p key={n}>{n}</p>)}
      </Disclosure>
    </section>
  );
}
