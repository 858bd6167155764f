import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { monthlyPipelineReport, monthSchema } from '../../app/reports/monthly.ts';
import { htmlToPdf } from '../../app/reports/pdf.ts';
import { quarterSchema } from '../../app/reports/quarter.ts';
import { quarterlyReport } from '../../app/reports/quarterly.ts';
import { formatDollars } from '../../domain/money.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const reportOptions = z.object({
  quarter: quarterSchema.optional(),
  month: monthSchema.optional(),
  format: z.enum(['pdf', 'html']).default('pdf'),
  out: z.string().min(1).optional(),
});

/** `keel report --quarter 2026Q4 | --month 2026-11 [--format pdf|html] [--out FILE]`. */
export async function reportCommand(options: {
  quarter?: string | undefined;
  month?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
}) {
  const input = parseOrUsage(reportOptions, options, {
    quarter: '--quarter',
    month: '--month',
    format: '--format',
    out: '--out',
  });
  if ((input.quarter === undefined) === (input.month === undefined)) {
    throw new UsageError('give --quarter 2026Q4 (progress report) or --month 2026-11 (pipeline report)');
  }
  const started = performance.now();
  const { html, summary, name } = await withKeel(async (ctx) => {
    if (input.quarter) {
      const r = await quarterlyReport(ctx, cliActor(), input.quarter);
      const f = r.figures;
      return {
        html: r.html,
        name: input.quarter.label,
        summary: `counted to date ${formatDollars(f.countedToDate)}, in the quarter ${formatDollars(f.countedInQuarter)} (methodology v${f.methodologyVersion})`,
      };
    }
    const month = input.month as NonNullable<typeof input.month>;
    const r = await monthlyPipelineReport(ctx, cliActor(), month);
    return {
      html: r.html,
      name: month.label,
      summary: `${r.figures.applications} applications requesting ${formatDollars(r.figures.requestedCents)}; open pipeline ${formatDollars(r.figures.openRequestedCents)}`,
    };
  });
  const built = performance.now() - started;
  const file = input.out ?? `keel-report-${name}.${input.format}`;
  writeFileSync(callerPath(file), input.format === 'pdf' ? await htmlToPdf(html) : html);
  out(
    `${file}: ${summary}; figures ${built.toFixed(0)} ms, ${input.format} ${(performance.now() - started - built).toFixed(0)} ms\n`,
  );
  return 0;
}
