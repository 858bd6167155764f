import { z } from 'zod';
import {
  equityBookMetrics,
  metricsQuerySchema,
  pacingReport,
  projectEquityBook,
  projectionQuerySchema,
} from '../../app/allocation.ts';
import { optimise, optimiseInputSchema } from '../../app/optimiser.ts';
import type { BookXirr } from '../../domain/book-metrics.ts';
import { isoDate } from '../../domain/fields.ts';
import {
  compactAmount,
  compactDollars,
  exactAmount,
  formatMultiple,
  formatXirr,
} from '../../domain/format.ts';
import { out } from '../io.ts';
import { cancelOnInterrupt, progressBar, table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const rate = (x: BookXirr) => {
  const { text, reason } = formatXirr(x);
  return reason ? `${text} (${reason})` : text;
};

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
        compactAmount(l.goal),
        exactAmount(l.counted),
        compactDollars(l.planToDate),
        compactDollars(l.runRate),
        compactDollars(l.requiredRunRate),
        compactDollars(l.projected),
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
          compactAmount(l.goal),
          exactAmount(l.counted),
          compactDollars(l.planToDate),
          compactDollars(l.requiredRunRate),
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
        exactAmount(r.paidIn),
        exactAmount(r.distributed),
        exactAmount(r.nav),
        formatMultiple(r.dpi),
        formatMultiple(r.rvpi),
        formatMultiple(r.tvpi),
        formatMultiple(r.moic),
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
            compactDollars(b.p10),
            compactDollars(b.p50),
            compactDollars(b.p90),
            compactDollars(result.contributions[i]!.p50),
            compactDollars(result.distributions[i]!.p50),
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
    out(`No selection satisfies these constraints together (budget ${compactDollars(result.budget)}):\n`);
    for (const c of result.conflicts) out(`  ${c.label} ${c.sense} ${compactDollars(c.rhs)}\n`);
    return 1;
  }
  out(
    `Year ${result.year}: budget ${compactDollars(result.budget)}, ${result.candidates} scored candidates${result.unscored.length ? ` (${result.unscored.length} unscored, left out)` : ''}\n` +
      `status ${result.status}, resilience ${result.objective.toFixed(2)}, gap ≤ ${(result.gap * 100).toFixed(3)}%, solved in ${result.solveSeconds.toFixed(2)} s\n\n`,
  );
  out(
    `${table(
      ['deal', 'share', 'amount', 'resilience', 'sub-area'],
      result.selection.map((s) => [
        s.dealId,
        `${(s.share * 100).toFixed(1)}%`,
        compactDollars(s.amount),
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
        compactDollars(f.budget),
        f.resilience === null ? '–' : f.resilience.toFixed(2),
        compactDollars(f.expectedReturn),
      ]),
      ['r', 'r', 'r'],
    )}\n`,
  );
  return 0;
}
