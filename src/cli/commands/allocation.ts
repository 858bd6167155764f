import { z } from 'zod';
import {
  equityBookMetrics,
  metricsQuerySchema,
  pacingReport,
  projectEquityBook,
  projectionQuerySchema,
} from '../../app/allocation.ts';
import { optimise, optimiseInputSchema } from '../../app/optimiser.ts';
import { isoDate } from '../../domain/fields.ts';
import { formatCompact, formatDollars } from '../../domain/money.ts';
import type { XirrResult } from '../../domain/xirr.ts';
import { out } from '../io.ts';
import { cancelOnInterrupt, progressBar, table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const money = (dollars: number) =>
  Number.isFinite(dollars) ? formatCompact(BigInt(Math.round(dollars * 100))) : '∞';
const multiple = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);
const percent = (r: number) => `${(Math.abs(r) < 5e-5 ? 0 : r * 100).toFixed(2)}%`;
const rate = (x: XirrResult) =>
  x.status === 'ok'
    ? percent(x.rate)
    : x.status === 'multiple'
      ? `${percent(x.rate)} (several)`
      : x.status.replace('_', ' ');

export async function pacingCommand(options: { date?: string | undefined }): Promise<number> {
  const { asOf } = parseOrUsage(
    z.object({ asOf: isoDate.optional() }),
    { asOf: options.date },
    { asOf: '--date' },
  );
  const report = await withKeel((ctx) => pacingReport(ctx, cliActor(), asOf));
  out(`Pacing as of ${report.asOf} (counting methodology v${report.methodologyVersion})\n`);
  out(
    `${table(
      ['target', 'goal', 'counted', 'plan to date', 'run-rate/yr', 'required/yr', 'projected', 'status'],
      report.lines.map((l) => [
        l.target,
        formatCompact(l.goal),
        formatDollars(l.counted),
        money(l.planToDate),
        money(l.runRate),
        money(l.requiredRunRate),
        money(l.projected),
        l.status.replace('_', ' '),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    )}\n`,
  );
  for (const [segment, lines] of [
    ['area', report.areas],
    ['instrument', report.instruments],
  ] as const) {
    if (lines.length === 0) continue;
    out(
      `${table(
        [segment, `${segment} plan`, 'counted', 'plan to date', 'required/yr', 'status'],
        lines.map((l) => [
          l.key,
          formatCompact(l.goal),
          formatDollars(l.counted),
          money(l.planToDate),
          money(l.requiredRunRate),
          l.status.replace('_', ' '),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'l'],
      )}\n`,
    );
  }
  return 0;
}

export async function metricsCommand(options: {
  by?: string | undefined;
  date?: string | undefined;
}): Promise<number> {
  const query = parseOrUsage(
    metricsQuerySchema,
    { by: options.by, asOf: options.date },
    { by: '--by', asOf: '--date' },
  );
  const report = await withKeel((ctx) => equityBookMetrics(ctx, cliActor(), query));
  out(`Equity and venture book by ${report.by}, as of ${report.asOf}\n`);
  out(
    `${table(
      [report.by, 'positions', 'paid-in', 'distributed', 'NAV', 'DPI', 'RVPI', 'TVPI', 'MOIC', 'XIRR'],
      report.rows.map((r) => [
        r.key,
        r.positions,
        formatDollars(r.paidIn),
        formatDollars(r.distributed),
        formatDollars(r.nav),
        multiple(r.dpi),
        multiple(r.rvpi),
        multiple(r.tvpi),
        multiple(r.moic),
        rate(r.xirr),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    )}\n`,
  );
  return 0;
}

export async function projectCommand(options: {
  paths?: string | undefined;
  seed?: string | undefined;
  quarters?: string | undefined;
}): Promise<number> {
  const query = parseOrUsage(projectionQuerySchema, options, {
    paths: '--paths',
    seed: '--seed',
    quarters: '--quarters',
  });
  const bar = progressBar('simulating');
  const cancel = cancelOnInterrupt();
  try {
    const started = Date.now();
    const result = await withKeel((ctx) =>
      projectEquityBook(ctx, cliActor(), query, { onProgress: bar.update, signal: cancel.signal }),
    );
    bar.stop();
    out(
      `Equity book projection: ${result.paths} paths, seed ${result.seed}, ${result.quarters} quarters from ${result.asOf}, cohorts ${result.cohorts.join(', ') || 'none'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    const every = result.nav.filter((b) => b.step % 4 === 0);
    out(
      `${table(
        [
          'quarter',
          'NAV P10',
          'NAV P50',
          'NAV P90',
          'calls P50',
          'distributions P50',
          'cap used P50',
          'cap used P90',
        ],
        every.map((b) => {
          const i = b.step - 1;
          const cap = result.capUsage[i];
          return [
            b.step,
            money(b.p10),
            money(b.p50),
            money(b.p90),
            money(result.contributions[i]!.p50),
            money(result.distributions[i]!.p50),
            cap ? `${(cap.p50 * 100).toFixed(2)}%` : '–',
            cap ? `${(cap.p90 * 100).toFixed(2)}%` : '–',
          ];
        }),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      )}\n`,
    );
    return 0;
  } finally {
    bar.stop();
    cancel.dispose();
  }
}

export async function optimiseCommand(options: {
  year?: string | undefined;
  budget?: string | undefined;
  gap?: string | undefined;
  seconds?: string | undefined;
  resilienceFrom?: string | undefined;
}): Promise<number> {
  const input = parseOrUsage(
    optimiseInputSchema,
    {
      year: options.year === undefined ? undefined : Number(options.year),
      budget: options.budget === undefined ? undefined : Number(options.budget),
      relativeGap: options.gap === undefined ? undefined : Number(options.gap),
      timeLimitSeconds: options.seconds === undefined ? undefined : Number(options.seconds),
      resilienceFrom: options.resilienceFrom,
    },
    {
      year: '--year',
      budget: '--budget',
      relativeGap: '--gap',
      timeLimitSeconds: '--seconds',
      resilienceFrom: '--resilience-from',
    },
  );
  const bar = progressBar('optimising', 'solves');
  const cancel = cancelOnInterrupt();
  const result = await withKeel((ctx) =>
    optimise(ctx, cliActor(), input, {
      signal: cancel.signal,
      onProgress: (p) =>
        bar.update(
          p.done,
          p.total,
          `| ${p.stage}${p.solve?.gap == null ? '' : `, gap ${(p.solve.gap * 100).toFixed(2)}%`}`,
        ),
    }),
  ).finally(() => {
    bar.stop();
    cancel.dispose();
  });
  if (result.status === 'infeasible') {
    out(`No selection satisfies these constraints together (budget ${money(result.budget)}):\n`);
    for (const c of result.conflicts) out(`  ${c.label} ${c.sense} ${money(c.rhs)}\n`);
    return 1;
  }
  out(
    `Year ${result.year}: budget ${money(result.budget)}, ${result.candidates} scored candidates${result.unscored.length ? ` (${result.unscored.length} unscored, left out)` : ''}\n` +
      `status ${result.status}, resilience ${result.objective.toFixed(2)}, gap ≤ ${(result.gap * 100).toFixed(3)}%, solved in ${result.solveSeconds.toFixed(2)} s\n\n`,
  );
  out(
    `${table(
      ['deal', 'share', 'amount', 'resilience', 'sub-area'],
      result.selection.map((s) => [
        s.dealId,
        `${(s.share * 100).toFixed(1)}%`,
        money(s.amount),
        s.resilience.toFixed(2),
        s.subAreaId,
      ]),
      ['l', 'r', 'r', 'r', 'l'],
    )}\n\n`,
  );
  out(
    `Binding constraints (LP relaxation)\n${table(
      ['constraint', 'shadow price (resilience per $1M)'],
      result.binding.map((b) => [b.label, b.shadowPrice.toFixed(4)]),
      ['l', 'r'],
    )}\n\n`,
  );
  out(
    `Efficient frontier\n${table(
      ['budget', 'resilience', 'expected return/yr'],
      result.frontier.map((f) => [
        money(f.budget),
        f.resilience === null ? '–' : f.resilience.toFixed(2),
        money(f.expectedReturn),
      ]),
      ['r', 'r', 'r'],
    )}\n`,
  );
  return 0;
}
