import { useMemo, useState } from 'react';
import type { ResponseOf } from '../../api.ts';
import { csvText, downloadCsv } from '../../csv.ts';
import { useApi } from '../../use-api.ts';
import { BEA_YEARS } from './EconomyImpact.tsx';
import { NirSparkline, ShareSparkline } from './MaterialRelease.tsx';
import { type MaterialDetail, type NodeScore, pct } from './types.ts';

interface Column {
  key: string;
  title: string;
  value(s: NodeScore): number | string | null;
  show(s: NodeScore): string;
}

const fixed = (x: number | null | undefined, d: number) =>
  x === null || x === undefined ? '–' : x.toFixed(d);
const COLUMNS: Column[] = [
  { key: 'id', title: 'Node', value: (s) => s.id, show: (s) => s.name },
  { key: 'kind', title: 'Kind', value: (s) => s.kind, show: (s) => s.kind.replace('_', ' ') },
  {
    key: 'hhi',
    title: 'HHI',
    value: (s) => s.hhi,
    show: (s) => (s.hhi === null ? '–' : String(Math.round(s.hhi))),
  },
  { key: 'concern', title: 'Concern share', value: (s) => s.concernShare, show: (s) => pct(s.concernShare) },
  {
    key: 'nir',
    title: 'Import reliance',
    value: (s) => s.importReliance,
    show: (s) => pct(s.importReliance),
  },
  {
    key: 'producers',
    title: 'Domestic producers',
    value: (s) => s.domesticProducers,
    show: (s) => String(s.domesticProducers ?? '–'),
  },
  {
    key: 'usgs',
    title: 'USGS SR',
    value: (s) => s.usgs?.supplyRisk ?? null,
    show: (s) => fixed(s.usgs?.supplyRisk, 4),
  },
  {
    key: 'euSr',
    title: 'EU SR',
    value: (s) => s.eu?.supplyRisk ?? null,
    show: (s) => fixed(s.eu?.supplyRisk, 2),
  },
  {
    key: 'euEi',
    title: 'EU EI',
    value: (s) => s.eu?.economicImportance ?? null,
    show: (s) => fixed(s.eu?.economicImportance, 2),
  },
  {
    key: 'inherited',
    title: 'Inherited risk',
    value: (s) => s.inherited.risk,
    show: (s) => fixed(s.inherited.risk, 4),
  },
  {
    key: 'from',
    title: 'From',
    value: (s) => s.inherited.material ?? '',
    show: (s) => s.inherited.material ?? '',
  },
];

type Released = ReadonlyMap<string, MaterialDetail>;

/** A share of the release's year in percent, or blank where USGS prints none (withheld, blank, not listed). */
const yearShare = (m: MaterialDetail | undefined, year: number, who: 'leader' | 'us') => {
  const y = m?.shareTrend.find((t) => t.year === year);
  return y?.[who].sharePct ?? null;
};

// The leading producer's and the US share of world production in 2023 and 2024e follow the scores.
const csv = (scores: NodeScore[], released: Released) =>
  csvText(
    [
      ...COLUMNS.map((c) => c.key),
      'leader',
      'leaderShare2023',
      'leaderShare2024e',
      'usShare2023',
      'usShare2024e',
    ],
    scores.map((s) => {
      const m = released.get(s.id);
      return [
        ...COLUMNS.map((c) => c.value(s)),
        m?.leadingProducer?.code ?? null,
        yearShare(m, 2023, 'leader'),
        yearShare(m, 2024, 'leader'),
        yearShare(m, 2023, 'us'),
        yearShare(m, 2024, 'us'),
      ];
    }),
  );

type ValueAdded = ResponseOf<'GET /api/research/scores'>['valueAdded'];

export function CriticalityTable({
  scores,
  version,
  valueAdded,
  onValueAddedYear,
}: {
  scores: NodeScore[];
  version: number;
  valueAdded?: ValueAdded;
  onValueAddedYear?: (year: number) => void;
}) {
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: 'usgs', descending: true });
  const [kind, setKind] = useState('');
  const release = useApi('/api/research/materials');
  const released = useMemo(
    () => new Map((release.data?.materials ?? []).map((m) => [m.id, m])),
    [release.data],
  );
  const rows = useMemo(() => {
    const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]!;
    const sign = sort.descending ? -1 : 1;
    return scores
      .filter((s) => !kind || s.kind === kind)
      .sort((a, b) => {
        const x = column.value(a);
        const y = column.value(b);
        if (x === y) return a.id.localeCompare(b.id);
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      });
  }, [scores, sort, kind]);
  const download = () => downloadCsv(`keel-criticality-v${version}.csv`, csv(rows, released));
  return (
    <section className="panel">
      <h2>Criticality of every node (graph version {version})</h2>
      <div className="filters">
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all</option>
            <option value="material">material</option>
            <option value="processed">processed</option>
            <option value="sub_area">sub-area</option>
          </select>
        </label>
        {valueAdded && onValueAddedYear && (
          <label>
            EU EI value added of{' '}
            <select
              value={valueAdded.year}
              onChange={(e) => onValueAddedYear(Number(e.target.value))}
              aria-label="Year of the value added weighing the EU economic importance"
            >
              {BEA_YEARS.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={download}>
          Export CSV
        </button>
      </div>
      <table data-testid="criticality-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : true })
                  }
                >
                  {c.title}
                  {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
            <th title="US net import reliance 2020–2024 as USGS prints it">NIR 2020–24 (USGS)</th>
            <th title="The leading producer's share of world production, 2023 and 2024e (the two years of the USGS world table); US share in the tooltip">
              Leader's share 2023–24e
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} data-node={s.id}>
              {COLUMNS.map((c, i) => (
                <td key={c.key} className={i > 1 && c.key !== 'from' ? 'num' : undefined}>
                  {c.show(s)}
                  {c.key === 'producers' && s.singlePointOfFailure ? ' ⚠' : ''}
                </td>
              ))}
              <td className="num">
                {released.has(s.id) ? (
                  <NirSparkline trend={released.get(s.id)?.netImportRelianceTrend ?? []} />
                ) : (
                  ''
                )}
              </td>
              <td className="num">
                {released.has(s.id) ? (
                  <>
                    {released.get(s.id)?.leadingProducer?.code ?? ''}{' '}
                    <ShareSparkline trend={released.get(s.id)?.shareTrend ?? []} />
                  </>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        USGS SR: disruption potential × trade exposure × economic vulnerability (Nassar &amp; Fortier 2021; EV
        is Keel's graph proxy). EU SR/EI: the EU CRM method (2017 guidelines, 2023 study) applied from the US
        side. Material figures are derived from the USGS MCS 2025 Data Release, the WGI 2022 and the EU CRM
        2023 annex; click a material in the graph for each figure's file, row and column.
      </p>
      {valueAdded && (
        <details data-testid="value-added-source">
          <summary>
            EU EI weights: value added {valueAdded.year} per sub-area, from {valueAdded.table}
          </summary>
          <table>
            <thead>
              <tr>
                <th>sub-area</th>
                <th>industry</th>
                <th className="num">value added ($M)</th>
                <th>cell</th>
              </tr>
            </thead>
            <tbody>
              {valueAdded.bySubArea.map((v) => (
                <tr key={v.subArea}>
                  <td>{v.subArea}</td>
                  <td>{v.industry}</td>
                  <td className="num">{v.value.toLocaleString('en-US')}</td>
                  <td>
                    <code>
                      {v.file} sheet {v.sheet} {v.column}
                      {v.row}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
