import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ioImpact, ioImpactSchema, researchScores } from '../../app/research/analysis.ts';
import { importDependence, importDependenceSchema } from '../../app/research/bea-annual.ts';
import { materialSummaries } from '../../app/research/materials.ts';
import { listScenarios, runSavedScenario, saveScenario } from '../../app/research/scenarios.ts';
import { serverKey } from '../../app/write-key.ts';
import { formatDollars } from '../../domain/money.ts';
import { scenarioSchema } from '../../domain/research/scenario.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { progressBar, table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`;
const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? '–' : x.toFixed(digits);

/** `keel research materials [--json]`: each material's figures as the releases print them, with sources. */
function materialsCommand(options: { json: boolean }): number {
  const materials = materialSummaries();
  if (options.json) {
    out(`${JSON.stringify({ materials }, null, 1)}\n`);
    return 0;
  }
  out(
    `${table(
      ['id', 'USGS commodity', 'NIR', 'year', 'first import source', 'leading producer', 'share', 'year'],
      materials.map((m) => [
        m.id,
        m.usgsCommodity ?? '–',
        m.netImportReliance?.text ?? '–',
        m.netImportReliance?.year ?? '',
        m.primaryImportSource ?? '–',
        m.leadingProducer?.country ?? (m.stage ? 'withheld by USGS' : 'not in the release'),
        m.leadingProducer ? `${m.leadingProducer.sharePct.toFixed(1)}%` : '–',
        m.leadingProducer?.year ?? '',
      ]),
      ['l', 'l', 'r', 'r', 'l', 'l', 'r', 'r'],
    )}\n`,
  );
  out(
    'Source: USGS Mineral Commodity Summaries 2025 Data Release (doi:10.5066/P13XCP3R); net import reliance as printed ("E" net exporter, "W" withheld, "NA" not available). --json gives file, row and column of each figure.\n',
  );
  return 0;
}

/** `keel research score|materials [--json]`: criticality of every node, riskiest first; or the materials. */
export async function researchCommand(
  action: string | undefined,
  options: { json: boolean },
): Promise<number> {
  if (action === 'materials') return materialsCommand(options);
  if (action !== 'score') throw new UsageError('keel research score|materials [--json]');
  const started = performance.now();
  const { version, scores } = await withKeel((ctx) => researchScores(ctx, cliActor()));
  const elapsed = performance.now() - started;
  if (options.json) {
    out(`${JSON.stringify({ version, scores }, null, 1)}\n`);
    return 0;
  }
  const ranked = [...scores].sort(
    (a, b) => (b.usgs?.supplyRisk ?? b.inherited.risk) - (a.usgs?.supplyRisk ?? a.inherited.risk),
  );
  out(`Criticality, graph version ${version}, ${scores.length} nodes (${elapsed.toFixed(0)} ms)\n`);
  out(
    `${table(
      [
        'node',
        'kind',
        'HHI',
        'concern',
        'import rel.',
        'USGS SR',
        'EU SR',
        'EU EI',
        'inherited',
        'from',
        'SPOF',
      ],
      ranked.map((s) => [
        s.id,
        s.kind,
        s.hhi === null ? '–' : Math.round(s.hhi),
        pct(s.concernShare),
        pct(s.importReliance),
        num(s.usgs?.supplyRisk, 4),
        num(s.eu?.supplyRisk),
        num(s.eu?.economicImportance),
        num(s.inherited.risk, 4),
        s.inherited.material ?? '',
        s.singlePointOfFailure ? 'yes' : '',
      ]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    )}\n`,
  );
  return 0;
}

/** `keel scenario list` / `keel scenario run FILE|ID`: a file is saved first, then run. */
export async function scenarioCommand(
  action: string | undefined,
  target: string | undefined,
  options: { key?: string | undefined },
) {
  if (action === 'list') {
    const scenarios = await withKeel((ctx) => listScenarios(ctx, cliActor()));
    out(
      `${table(
        ['id', 'name', 'months', 'shocks', 'shipped'],
        scenarios.map((s) => [s.id, s.name, s.horizonMonths, s.shocks.length, s.shipped ? 'yes' : '']),
      )}\n`,
    );
    return 0;
  }
  if (action !== 'run' || !target)
    throw new UsageError('keel scenario list | keel scenario run FILE|ID [--key K]');
  const bar = progressBar(`scenario ${target}`, 'steps');
  const run = await withKeel(async (ctx) => {
    let id = target;
    if (existsSync(callerPath(target))) {
      const text = readFileSync(callerPath(target), 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`${target}: not JSON (${(error as Error).message})`);
      }
      const scenario = parseOrUsage(scenarioSchema, parsed, {});
      const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
      await saveScenario(ctx, cliActor(), serverKey('scenario-file', digest), scenario);
      id = scenario.id;
    }
    return (await runSavedScenario(ctx, cliActor(), options.key ?? `cli:${randomUUID()}`, id, bar.update))
      .result;
  });
  bar.stop();
  const r = run.result;
  out(
    `${run.scenario.name} — graph version ${run.graphVersion}, horizon ${r.horizonMonths} months, run ${run.runId} (${run.elapsedMs.toFixed(1)} ms)\n`,
  );
  for (const w of r.warnings) out(`note: ${w}\n`);
  out(
    `${table(
      ['exposed node', 'kind', 'mean shortfall', 'peak', 'cost +', 'path'],
      r.exposures
        .slice(0, 25)
        .map((e) => [
          e.id,
          e.kind,
          pct(e.meanShortfall),
          pct(e.peakShortfall),
          pct(e.costIncrease),
          e.path.join(' → '),
        ]),
      ['l', 'l', 'r', 'r', 'r', 'l'],
    )}\n`,
  );
  if (run.includesHoldings) {
    out(
      `Capital at risk: ${formatDollars(r.capitalAtRiskCents)} of ${formatDollars(r.committedCents)} committed (analytics: committed × mean shortfall)\n`,
    );
    const atRisk = r.deals.filter((d) => d.atRiskCents > 0n);
    if (atRisk.length > 0) {
      out(
        `${table(
          ['deal', 'sub-area', 'committed', 'at risk', 'shortfall'],
          atRisk
            .slice(0, 25)
            .map((d) => [
              d.dealId,
              d.subAreaId,
              formatDollars(d.committedCents),
              formatDollars(d.atRiskCents),
              pct(d.shortfall),
            ]),
          ['l', 'l', 'r', 'r', 'r'],
        )}\n`,
      );
    }
  }
  return 0;
}

/**
 * `keel io impact --sector 334 | --sub-area S --change=-0.1 [--model supply|demand] [--level L] [--year Y]`,
 * `keel io imports [--year Y] [--sector CODE | --sub-area S] [--json]`.
 */
export async function ioCommand(
  action: string | undefined,
  options: {
    sector?: string | undefined;
    'sub-area'?: string | undefined;
    change?: string | undefined;
    model?: string | undefined;
    level?: string | undefined;
    year?: string | undefined;
    json?: boolean | undefined;
  },
): Promise<number> {
  if (action === 'imports') return importsCommand(options);
  if (action !== 'impact')
    throw new UsageError(
      'keel io impact --sector CODE|--sub-area ID --change=-0.1 [--model supply|demand] [--level summary|detail|benchmark-1997] [--year Y] | keel io imports [--level summary|detail] [--year Y] [--sector CODE|--sub-area ID] [--json]',
    );
  const query = parseOrUsage(
    ioImpactSchema,
    {
      sector: options.sector,
      subArea: options['sub-area'],
      change: options.change,
      model: options.model,
      level: options.level,
      year: options.year,
    },
    {
      subArea: '--sub-area',
      change: '--change',
      model: '--model',
      sector: '--sector',
      level: '--level',
      year: '--year',
    },
  );
  const report = await ioImpact(cliActor(), query);
  if (options.json) {
    out(`${JSON.stringify(report, null, 1)}\n`);
    return 0;
  }
  out(
    `${report.model === 'supply' ? 'Ghosh supply' : 'Leontief demand'} shock of ${(report.change * 100).toFixed(1)}% (${report.shock.toFixed(1)} $M) to ${report.sector} ${report.sectorName}\n${report.table}\n${report.method}\nTotal change ${report.totalChange.toFixed(1)} $M\n`,
  );
  out(
    `${table(
      ['industry', 'name', 'change $M', 'relative'],
      report.impacts.map((i) => [i.industry, i.name, i.change.toFixed(1), pct(i.relative)]),
      ['l', 'l', 'r', 'r'],
    )}\n`,
  );
  return 0;
}

/** `keel io imports [--level summary|detail] [--year Y] [--sector CODE | --sub-area ID[,ID…]] [--json]`: imported inputs per dollar of final demand (BEA). */
async function importsCommand(options: {
  year?: string | undefined;
  level?: string | undefined;
  sector?: string | undefined;
  'sub-area'?: string | undefined;
  json?: boolean | undefined;
}) {
  const query = parseOrUsage(
    importDependenceSchema,
    { level: options.level, year: options.year, sectors: options.sector, subAreas: options['sub-area'] },
    { level: '--level', year: '--year', sectors: '--sector', subAreas: '--sub-area' },
  );
  const report = await importDependence(cliActor(), query);
  if (options.json) {
    out(`${JSON.stringify(report, null, 1)}\n`);
    return 0;
  }
  const columns = ['total', 'domestic', 'imported'];
  const figures = (r: { total: number; domestic: number; imported: number }) => [
    r.total.toFixed(4),
    r.domestic.toFixed(4),
    r.imported.toFixed(4),
  ];
  if (report.series.length === 0) {
    out(`Import content by commodity, ${report.year} (output required per dollar of final demand)\n`);
    out(
      `${table(
        ['commodity', 'name', 'sub-areas', ...columns],
        report.commodities.map((r) => [r.code, r.name, r.subAreas.join(', '), ...figures(r)]),
        ['l', 'l', 'l', 'r', 'r', 'r'],
      )}\n`,
    );
  }
  for (const s of report.series) {
    out(
      `${s.subArea ? `${s.subArea}: ` : ''}${s.sector} ${s.name}, ${report.level === 'detail' ? `${report.year}, detail level` : '1997–2015'} (per dollar of final demand)\n`,
    );
    out(
      `${table(
        ['year', ...columns],
        s.path.map((r) => [String(r.year), ...figures(r)]),
        ['l', 'r', 'r', 'r'],
      )}\n`,
    );
  }
  out(`Source: ${report.source}; sub-areas: ${report.mapSource}\n`);
  return 0;
}
