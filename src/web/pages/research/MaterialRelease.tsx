/**
 * A material as the release prints it: net import reliance 2020–2024 (chart and figures as printed), world
 * shares 2023 and 2024e, import sources in order, what USGS withholds. Clicking a figure shows where it was
 * read (file, row, column).
 */
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { Chart } from '../../components/Chart.tsx';
import { useApi } from '../../use-api.ts';
import type { FigureSource, MaterialDetail } from './types.ts';

function Figure({
  text,
  at,
  onShow,
}: {
  text: string;
  at: FigureSource;
  onShow: (at: FigureSource) => void;
}) {
  return (
    <button
      type="button"
      className="link"
      title={`${at.file} row ${at.row}, ${at.column}`}
      onClick={() => onShow(at)}
    >
      {text === '' ? '(blank)' : text}
    </button>
  );
}

const yearLabel = (year: number) => (year === 2024 ? '2024e' : String(year));
const roundPct = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

type ShareOfYear = MaterialDetail['shareTrend'][number]['leader'];

/** A share as a figure with its row, or in words why there is none. */
function ShareFigure({
  share,
  status,
  onShow,
}: {
  share: ShareOfYear;
  status: 'reported' | 'withheld';
  onShow: (at: FigureSource) => void;
}) {
  if (share.withheld) return <span>withheld by USGS</span>;
  if (status === 'withheld') return <span>world total withheld by USGS</span>;
  if (!share.at) return <span>not listed</span>;
  if (share.sharePct === null)
    return (
      <Figure text={share.text === '' ? 'blank in the release' : share.text} at={share.at} onShow={onShow} />
    );
  return <Figure text={`${share.sharePct.toFixed(1)}%`} at={share.at} onShow={onShow} />;
}

type EuComputedData = NonNullable<MaterialDetail['euComputed']>;
const STAGE_NAME = { E: 'extraction', P: 'processing' } as const;
const term = (t: EuComputedData['stages'][number]['global']) => (t ? t.value.toFixed(2) : 'not in the annex');

/** Keel's EU-method terms on the annex's own supply shares, beside the published SR, and what is missing. */
function EuComputed({ computed }: { computed: EuComputedData }) {
  return (
    <div data-testid="eu-computed">
      <h4>
        Keel's EU method on the EU's inputs ({computed.year}, Annex 7 shares of "{computed.supplyName}", WGI
        2022)
      </h4>
      {computed.stages.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>stage</th>
              <th className="num">HHI-WGI,t global supply</th>
              <th className="num">HHI-WGI,t EU sourcing</th>
              <th className="num">SR before (1 − EoL-RIR)·SI, IR 0…1</th>
              <th className="num">published SR</th>
            </tr>
          </thead>
          <tbody>
            {computed.stages.map((s) => (
              <tr key={s.stage}>
                <td>{STAGE_NAME[s.stage]}</td>
                <td className="num">{term(s.global)}</td>
                <td className="num">{term(s.sourcing)}</td>
                <td className="num">
                  {s.bracket
                    ? `${s.bracket.lower.toFixed(2)}–${s.bracket.upper.toFixed(2)}`
                    : 'not computed (a term is missing)'}
                </td>
                <td className="num">{computed.publishedSupplyRisk ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{computed.comparison}.</p>
      <p className="muted">{computed.missingInputs}</p>
      {computed.notes.length > 0 && <p className="muted">{computed.notes.join('; ')}.</p>}
      <p className="muted">
        Read from <code>{computed.files.global}</code> and <code>{computed.files.sourcing}</code>.
      </p>
    </div>
  );
}

export function MaterialRelease({
  id,
  keelEuSupplyRisk,
  hasEdges = true,
}: {
  id: string;
  keelEuSupplyRisk?: number | null;
  /** Whether the graph links the material to anything; without, the page says the releases give no dependency data. */
  hasEdges?: boolean;
}) {
  const { data } = useApi('/api/research/materials');
  const [shown, setShown] = useState<FigureSource | null>(null);
  const material = data?.materials.find((m) => m.id === id);
  const option = useMemo<EChartsOption | null>(() => {
    const trend = material?.netImportRelianceTrend ?? [];
    if (trend.length < 2) return null;
    return {
      grid: { left: 40, right: 10, top: 10, bottom: 24 },
      xAxis: { type: 'category', data: trend.map((y) => String(y.year)) },
      yAxis: { type: 'value', min: 0, max: 100, name: '%' },
      tooltip: { trigger: 'axis' },
      series: [
        {
          type: 'line',
          // A bound (">75") is drawn at the bound, "E" at 0, "NA" not at all, as the scores read them.
          data: trend.map((y) => (y.fraction === null ? null : Math.round(100 * y.fraction))),
          label: {
            show: true,
            formatter: (p: unknown) => trend[(p as { dataIndex: number }).dataIndex]?.text ?? '',
          },
        },
      ],
    };
  }, [material]);
  const shareOption = useMemo<EChartsOption | null>(() => {
    const trend = material?.shareTrend ?? [];
    if (trend.every((y) => y.leader.sharePct === null && y.us.sharePct === null)) return null;
    const lead = material?.leadingProducer?.country ?? 'leading producer';
    return {
      grid: { left: 40, right: 10, top: 24, bottom: 24 },
      legend: { top: 0 },
      xAxis: { type: 'category', data: trend.map((y) => yearLabel(y.year)) },
      yAxis: { type: 'value', min: 0, max: 100, name: '%' },
      tooltip: { trigger: 'axis' },
      series: [
        {
          name: lead,
          type: 'line',
          data: trend.map((y) => roundPct(y.leader.sharePct)),
          label: { show: true, formatter: '{c}%' },
        },
        {
          name: 'United States',
          type: 'line',
          // Withheld ("W") or unlisted years are gaps, never zeros.
          data: trend.map((y) => roundPct(y.us.sharePct)),
          label: { show: true, formatter: '{c}%' },
        },
      ],
    };
  }, [material]);
  if (!material) return null;
  return (
    <div data-testid="material-release">
      <h3>US net import reliance, 2020–2024 (as USGS prints it)</h3>
      {option && <Chart name={`nir-${material.id}`} option={option} height={160} />}
      <p>
        {material.netImportRelianceTrend.map((y) => (
          <span key={y.year}>
            {y.year}: <Figure text={y.text} at={y.at} onShow={setShown} />{' '}
          </span>
        ))}
      </p>
      {material.importSources.length > 0 && (
        <p>Major import sources 2020–23, in order: {material.importSources.join(', ')}</p>
      )}
      {material.shareTrend.length > 0 && (
        <>
          <h3>Share of world {material.stage}, 2023 and 2024e (the two years the release has)</h3>
          {shareOption && <Chart name={`shares-${material.id}`} option={shareOption} height={160} />}
          <p data-testid="share-trend">
            {material.shareTrend.map((y) => (
              <span key={y.year}>
                {yearLabel(y.year)}: {material.leadingProducer?.country ?? 'leading producer'}{' '}
                <ShareFigure share={y.leader} status={y.status} onShow={setShown} />, United States{' '}
                <ShareFigure share={y.us} status={y.status} onShow={setShown} />.{' '}
              </span>
            ))}
          </p>
        </>
      )}
      {material.productionTrend.length > 0 && (
        <>
          <h3>World {material.stage}</h3>
          <table>
            <thead>
              <tr>
                <th>country</th>
                {material.productionTrend.map((p) => (
                  <th key={p.year} className="num">
                    {p.year === 2024 ? '2024e' : p.year}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[...new Set(material.productionTrend.flatMap((p) => p.shares.map((s) => s.country)))].map(
                (c) => (
                  <tr key={c}>
                    <td>{c}</td>
                    {material.productionTrend.map((p) => {
                      const s = p.shares.find((x) => x.country === c);
                      return (
                        <td key={p.year} className="num">
                          {p.status === 'withheld' ? (
                            'withheld by USGS'
                          ) : s ? (
                            <Figure text={`${s.sharePct.toFixed(1)}%`} at={s.at} onShow={setShown} />
                          ) : (
                            '–'
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ),
              )}
              <tr>
                <td>world total ({material.productionTrend[0]?.unit})</td>
                {material.productionTrend.map((p) => (
                  <td key={p.year} className="num">
                    {p.status === 'withheld' ? (
                      'withheld by USGS'
                    ) : (
                      <Figure text={p.worldTotal.text} at={p.worldTotal.at} onShow={setShown} />
                    )}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          {material.productionTrend
            .flatMap((p) => p.notes.map((n) => `${p.year}: ${n}`))
            .map((n) => (
              <p key={n} className="muted">
                {n}
              </p>
            ))}
        </>
      )}
      {material.euAssessments.length > 0 && (
        <>
          <h3>EU assessments (published, Annex 4 of the 2023 study)</h3>
          <table data-testid="eu-assessments">
            <thead>
              <tr>
                <th>year</th>
                <th className="num">SR</th>
                <th className="num">EI</th>
              </tr>
            </thead>
            <tbody>
              {material.euAssessments.map((a) => (
                <tr key={a.year}>
                  <td>{a.year}</td>
                  <td className="num">
                    <Figure
                      text={a.supplyRisk === '-' ? 'not assessed' : a.supplyRisk}
                      at={a.at}
                      onShow={setShown}
                    />
                  </td>
                  <td className="num">
                    {a.economicImportance === '-' ? 'not assessed' : a.economicImportance}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {material.euComputed && <EuComputed computed={material.euComputed} />}
          {keelEuSupplyRisk !== undefined && keelEuSupplyRisk !== null && (
            <p className="muted">
              Keel's EU-method SR from the US side: {keelEuSupplyRisk.toFixed(2)}. It differs from the
              published SR because the inputs differ: Keel applies the method from the US side (US net import
              reliance; world supply as the sourcing term, since USGS publishes the order of US import
              sources, not their shares) and, lacking SI(SR) and EoL-RIR in the shipped data, takes SI = 1 and
              EoL-RIR = 0.
            </p>
          )}
        </>
      )}
      {material.applications.length > 0 && (
        <p data-testid="applications">
          Primary applications (USGS MCS 2025, Table 4):{' '}
          {material.applications.map((a) => (
            <span key={a.mineral}>
              {material.applications.length > 1 ? `${a.mineral}: ` : ''}
              <Figure text={a.text} at={a.at} onShow={setShown} />{' '}
            </span>
          ))}
        </p>
      )}
      {!hasEdges && (
        <p className="muted" data-testid="no-dependency-data">
          No dependency data in the releases: no loaded file says how much of a component or sub-area depends
          on {material.name}
          {material.applications.length > 0 ? ' (Table 4 names applications, not shares)' : ''}, so Keel draws
          no edge from it and its economic vulnerability, hence its USGS supply risk, is 0.
        </p>
      )}
      {material.missing.length > 0 && (
        <p className="muted">Not in the release: {material.missing.join('; ')}.</p>
      )}
      {shown && (
        <p className="muted" data-testid="figure-source">
          {shown.figure}: {shown.publication}, <code>{shown.file}</code> row {shown.row}, column “
          {shown.column}”.
        </p>
      )}
    </div>
  );
}

/** Net import reliance 2020–2024 as a small line (bounds at the bound, "E" at 0) and the latest text as printed. */
export function NirSparkline({ trend }: { trend: MaterialDetail['netImportRelianceTrend'] }) {
  if (trend.length === 0) return <span className="muted">–</span>;
  const w = 60;
  const h = 16;
  const points = trend
    .map((y, i) =>
      y.fraction === null
        ? null
        : `${((i / Math.max(1, trend.length - 1)) * w).toFixed(1)},${(h - y.fraction * h).toFixed(1)}`,
    )
    .filter((p): p is string => p !== null)
    .join(' ');
  const latest = trend.at(-1);
  return (
    <span
      title={trend.map((y) => `${y.year}: ${y.text}`).join(', ')}
      data-nir-trend={trend.map((y) => y.text).join(' ')}
    >
      {trend.length > 1 && (
        <svg width={w} height={h} role="img" aria-label="net import reliance 2020–2024">
          <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}{' '}
      {latest?.text}
    </span>
  );
}

/**
 * The leading producer's share of world production in 2023 and 2024e (the release's two years) as a two-point
 * line, with the latest share; the US share beside it where USGS prints it.
 */
export function ShareSparkline({ trend }: { trend: MaterialDetail['shareTrend'] }) {
  const points = trend.filter((y) => y.leader.sharePct !== null);
  if (points.length === 0)
    return <span className="muted">{trend.length === 0 ? '–' : 'withheld by USGS'}</span>;
  const w = 40;
  const h = 16;
  const line = trend
    .map((y, i) =>
      y.leader.sharePct === null
        ? null
        : `${((i / Math.max(1, trend.length - 1)) * w).toFixed(1)},${(h - (y.leader.sharePct / 100) * h).toFixed(1)}`,
    )
    .filter((p): p is string => p !== null)
    .join(' ');
  const describe = (y: MaterialDetail['shareTrend'][number]) =>
    `${yearLabel(y.year)}: ${y.leader.sharePct === null ? 'no figure' : `${y.leader.sharePct.toFixed(1)}%`}, US ${
      y.us.withheld ? 'withheld' : y.us.sharePct === null ? '–' : `${y.us.sharePct.toFixed(1)}%`
    }`;
  return (
    <span title={trend.map(describe).join('; ')} data-share-trend={trend.map(describe).join('; ')}>
      {points.length > 1 && (
        <svg width={w} height={h} role="img" aria-label="leading producer's share, 2023 and 2024e">
          <polyline points={line} fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}{' '}
      {points.at(-1)?.leader.sharePct?.toFixed(1)}%
    </span>
  );
}
