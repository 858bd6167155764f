import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { htmlToPdf } from '../../app/reports/pdf.ts';
import { quarterSchema } from '../../app/reports/quarter.ts';
import { quarterlyReport } from '../../app/reports/quarterly.ts';
import { formatDollars } from '../../domain/money.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const reportOptions = z.object({
  quarter: quarterSchema,
  format: z.enum(['pdf', 'html']).default('pdf'),
  out: z.string().min(1).optional(),
});

/** `keel report --quarter 2026Q4 [--format pdf|html] [--out FILE]`. */
export async function reportCommand(options: {
  quarter?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
}) {
  const input = parseOrUsage(reportOptions, options, {
    quarter: '--quarter',
    format: '--format',
    out: '--out',
  });
  const report = await withKeel((ctx) => quarterlyReport(ctx, cliActor(), input.quarter));
  const file = input.out ?? `keel-report-${input.quarter.label}.${input.format}`;
  const started = performance.now();
  writeFileSync(file, input.format === 'pdf' ? await htmlToPdf(report.html) : report.html);
  const f = report.figures;
  process.stdout.write(
    `${file}: ${input.quarter.label} report, counted to date ${formatDollars(f.countedToDate)}, in the quarter ${formatDollars(f.countedInQuarter)} (methodology v${f.methodologyVersion}); figures ${report.buildMs.toFixed(0)} ms, ${input.format} ${(performance.now() - started).toFixed(0)} ms\n`,
  );
  return 0;
}
