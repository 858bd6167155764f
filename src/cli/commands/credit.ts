/** `keel credit …`: the credit book's commands. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bookQuerySchema, creditBook } from '../../app/credit/book.ts';
import { assignGrade, gradeHistory, gradeInputSchema } from '../../app/credit/grades.ts';
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { portfolioRisk, portfolioRiskInputSchema } from '../../app/credit/portfolio-risk.ts';
import { creditStress, stressInputSchema } from '../../app/credit/stress.ts';
import { slug } from '../../domain/fields.ts';
import { compactDollars } from '../../domain/format.ts';
import { jsonText } from '../../domain/json-text.ts';
import { formatDollars } from '../../domain/money.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { cancelOnInterrupt, progressBar, table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { covenantsCommand, financialsCommand, watchlistCommand } from './credit-covenants.ts';
import { QUESTION_USAGE, type QuestionOptions, questionCommand } from './credit-questions.ts';
import { parseOrUsage } from './validate.ts';

const USAGE = [
  'keel credit irb --pd P --lgd L --maturity M [--sales S] [--json]',
  'keel credit grade COMPANY --grade N --reason R [--key K]',
  'keel credit grades COMPANY [--json]',
  'keel credit book [--as-of YYYY-MM-DD] [--json]',
  'keel credit covenants FACILITY [--as-of YYYY-MM-DD] [--json]',
  'keel credit watchlist [--as-of YYYY-MM-DD] [--json]',
  'keel credit financials FILE.csv [--key K]',
  'keel credit stress --scenario ID [--as-of YYYY-MM-DD] [--json]',
  'keel credit portfolio-risk [--pd P] [--lgd L] [--scenarios N] [--seed S] [--confidence 0.99,0.999] [--level core_area|sub_area] [--correlation R] [--json]',
  ...QUESTION_USAGE,
].join('\n  ');

/** A flag that looks like a number becomes one; anything else stays text for the schema to refuse by name. */
const numeric = (text: string | undefined) =>
  text !== undefined && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : text;

/**
 * `keel credit portfolio-risk`: the lending book's simulated loss distribution, with a progress bar on a
 * terminal; Ctrl-C cancels the simulation.
 */
async function portfolioRiskCommand(options: CreditOptions): Promise<number> {
  const input = parseOrUsage(
    portfolioRiskInputSchema,
    {
      scenarios: numeric(options.scenarios),
      seed: numeric(options.seed),
      confidence: options.confidence?.split(',').map(numeric),
      factorLevel: options.level,
      pd: numeric(options.pd),
      lgd: numeric(options.lgd),
      correlation: numeric(options.correlation),
    },
    { factorLevel: '--level' },
  );
  const bar = progressBar('simulating', 'scenarios');
  const cancel = cancelOnInterrupt();
  try {
    const started = Date.now();
    const result = await withKeel((ctx) =>
      portfolioRisk(ctx, cliActor(), input, { onProgress: bar.update, signal: cancel.signal }),
    );
    bar.stop();
    if (options.json) {
      out(json(result));
      return 0;
    }
    out(
      `Portfolio credit risk: ${result.obligors} obligors, exposure ${compactDollars(Number(result.exposure) / 100)}, ${result.scenarios.toLocaleString('en-US')} scenarios, seed ${result.seed}, one factor per ${result.factorLevel === 'core_area' ? 'core area' : 'sub-area'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    out(
      `${table(
        ['measure', 'loss'],
        [
          ['expected loss (Σ PD × LGD × EAD)', compactDollars(result.expectedLoss)],
          ['expected loss (simulated mean)', compactDollars(result.simulatedExpectedLoss)],
          ...result.measures.flatMap((m) => [
            [`VaR ${m.confidence}`, compactDollars(m.valueAtRisk)],
            [`ES ${m.confidence}`, compactDollars(m.expectedShortfall)],
          ]),
        ],
        ['l', 'r'],
      )}\n${result.quantileDefinition}\ncorrelation: ${result.correlationRule}\nfactor correlations: ${result.factorCorrelationSource}\n`,
    );
    return 0;
  } finally {
    bar.stop();
    cancel.dispose();
  }
}

/** `keel credit stress`: a shipped research scenario's downgrades and base vs stressed EL (exact cents). */
async function stressCommand(options: CreditOptions): Promise<number> {
  const input = parseOrUsage(stressInputSchema, { scenario: options.scenario, asOf: options.asOf }, {});
  const result = await withKeel((ctx) => creditStress(ctx, cliActor(), input));
  if (options.json) {
    out(json(result));
    return 0;
  }
  const grade = (g: number | null) => (g === null ? 'ungraded' : String(g));
  out(
    `${result.scenario.name} (as of ${result.asOf}, graph version ${result.graphVersion})\n${table(
      ['obligor', 'sub-area', 'shortfall', 'notches', 'grade', 'stressed', 'EAD', 'base EL', 'stressed EL'],
      result.obligors.map((o) => [
        o.companyName,
        o.subAreaName,
        percent(o.shortfall),
        String(o.notches),
        grade(o.grade),
        grade(o.stressedGrade),
        formatDollars(o.ead),
        o.baseEl === null ? '—' : formatDollars(o.baseEl),
        o.stressedEl === null ? '—' : formatDollars(o.stressedEl),
      ]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    )}\nEL ${formatDollars(result.totals.baseEl)} → ${formatDollars(result.totals.stressedEl)} (change ${formatDollars(result.totals.change)}); ungraded EAD (no EL) ${formatDollars(result.totals.ungradedEad)}\nmapping: ${result.mapping.assumption}\n`,
  );
  return 0;
}

interface CreditOptions {
  pd?: string | undefined;
  lgd?: string | undefined;
  maturity?: string | undefined;
  sales?: string | undefined;
  grade?: string | undefined;
  reason?: string | undefined;
  key?: string | undefined;
  asOf?: string | undefined;
  scenarios?: string | undefined;
  scenario?: string | undefined;
  seed?: string | undefined;
  confidence?: string | undefined;
  level?: string | undefined;
  correlation?: string | undefined;
  json: boolean;
}
type AllCreditOptions = CreditOptions & QuestionOptions;

const json = (value: unknown) => `${jsonText(value, 2)}\n`;
const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);

const gradeSchema = gradeInputSchema.extend({
  companyId: slug,
  grade: z.coerce.number().pipe(gradeInputSchema.shape.grade),
  key: z.string().min(1).max(200),
});

export async function creditCommand(
  action: string | undefined,
  args: string[],
  options: AllCreditOptions,
): Promise<number> {
  const asked = action ? await questionCommand(action, args, options) : null;
  if (asked !== null) return asked;
  if (action === 'irb') return irbCommand(options);
  if (action === 'portfolio-risk') return portfolioRiskCommand(options);
  if (action === 'covenants') return covenantsCommand(args[0], options);
  if (action === 'watchlist') return watchlistCommand(options);
  if (action === 'financials') return financialsCommand(args[0], options);
  if (action === 'stress') return stressCommand(options);
  if (action === 'grade') {
    const { companyId, key, ...input } = parseOrUsage(
      gradeSchema,
      {
        companyId: args[0],
        grade: options.grade,
        reason: options.reason,
        key: options.key ?? `cli:${randomUUID()}`,
      },
      { companyId: 'COMPANY' },
    );
    const { result, replayed } = await withKeel((ctx) => assignGrade(ctx, cliActor(), key, companyId, input));
    out(
      `${companyId}: grade ${result.grade} (${result.category}, PD ${percent(result.pd)})${replayed ? ' (replayed; nothing changed)' : ''}\n`,
    );
    return 0;
  }
  if (action === 'grades') {
    const companyId = parseOrUsage(slug, args[0], {});
    const history = await withKeel((ctx) => gradeHistory(ctx, cliActor(), companyId));
    if (options.json) {
      out(json(history));
      return 0;
    }
    out(
      `${history.companyName}: ${history.current === null ? 'ungraded' : `grade ${history.current}`}\n${table(
        ['when', 'grade', 'PD', 'by', 'why'],
        history.history.map((h) => [
          h.assignedAt,
          `${h.grade} ${h.category}`,
          percent(h.pd),
          h.assignedBy,
          h.reason,
        ]),
      )}\n`,
    );
    return 0;
  }
  if (action === 'book') {
    const query = parseOrUsage(bookQuerySchema, { asOf: options.asOf }, {});
    const book = await withKeel((ctx) => creditBook(ctx, cliActor(), query));
    if (options.json) {
      out(json(book));
      return 0;
    }
    const t = book.totals.programme;
    out(
      `${table(
        ['facility', 'obligor', 'grade', 'PD', 'LGD', 'EAD', 'EL', 'arrears', 'days past due'],
        book.facilities.map((f) => [
          f.id,
          f.companyName,
          f.risk.grade === null ? 'ungraded' : `${f.risk.grade} ${f.category}`,
          percent(f.risk.pd),
          percent(f.risk.lgd),
          formatDollars(f.risk.ead),
          f.risk.el === null ? '—' : formatDollars(f.risk.el),
          formatDollars(f.arrears.arrears),
          String(f.arrears.daysPastDue),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      )}\nAs of ${book.asOf}: EAD ${formatDollars(t.ead)}, EL ${formatDollars(t.el)}; ungraded EAD (no EL) ${formatDollars(t.ungradedEad)}; HHI by obligor ${book.concentration.hhiByObligor.toFixed(4)}\n`,
    );
    return 0;
  }
  throw new UsageError(USAGE);
}

/** `keel credit irb`: the corporate IRB risk-weight function for one exposure; needs no database. */
function irbCommand(options: CreditOptions): number {
  const query = parseOrUsage(
    irbQuerySchema,
    { pd: options.pd, lgd: options.lgd, maturity: options.maturity, sales: options.sales },
    {},
  );
  const figures = irbFigures(cliActor(), query);
  if (options.json) {
    out(`${JSON.stringify(figures, null, 2)}\n`);
    return 0;
  }
  out(
    `${table(
      ['figure', 'value'],
      [
        ['correlation R', figures.correlation.toFixed(6)],
        ['maturity adjustment b', figures.maturityAdjustment.toFixed(6)],
        ['capital K (per unit of EAD)', figures.capitalK.toFixed(6)],
        ['risk weight K × 12.5', `${(figures.riskWeight * 100).toFixed(2)}%`],
      ],
      ['l', 'r'],
    )}\n${figures.source}\n`,
  );
  return 0;
}
