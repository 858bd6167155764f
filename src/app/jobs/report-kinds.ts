/**
 * The quarterly and monthly reports as durable jobs: the report is rendered (and printed to PDF when asked)
 * in the background and kept as the job's result bytes, downloaded from GET /api/jobs/:id/result. They write
 * nothing, so a takeover simply renders again. The input keeps the period as its text ("2026Q4"), checked
 * by the GET routes' own field, so the stored input reads back through the same schema.
 */
import { z } from 'zod';
import { authorize } from '../../domain/roles.ts';
import { monthSchema as monthField, monthlyPipelineReport } from '../reports/monthly.ts';
import { htmlToPdf } from '../reports/pdf.ts';
import { quarterSchema as quarterField } from '../reports/quarter.ts';
import { quarterlyReport } from '../reports/quarterly.ts';
import { QUEUES } from './hub.ts';
import { type JobOutcome, type JobRunControl, registerJobKind } from './kinds.ts';

export const reportFormat = z.enum(['html', 'pdf']).default('html');

/** A field's text, refused with the field's own message when it does not parse. */
function checkedText(field: typeof quarterField | typeof monthField) {
  return z.string().superRefine((text, ctx) => {
    const parsed = field.safeParse(text);
    if (!parsed.success)
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  });
}

export const quarterlyReportJobInput = z.object({ quarter: checkedText(quarterField), format: reportFormat });
export const monthlyReportJobInput = z.object({ month: checkedText(monthField), format: reportFormat });

async function rendered(
  html: string,
  format: 'html' | 'pdf',
  name: string,
  control: JobRunControl,
): Promise<JobOutcome> {
  control.onProgress(1, 2, { stage: format === 'pdf' ? 'printing' : 'rendered' });
  const data =
    format === 'pdf' ? await htmlToPdf(html, { signal: control.signal }) : Buffer.from(html, 'utf8');
  control.onProgress(2, 2, { stage: 'done' }, true);
  return {
    bytes: {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      contentType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
      fileName: `${name}.${format}`,
    },
    done: 2,
    total: 2,
  };
}

export const quarterlyReportJob = registerJobKind<z.infer<typeof quarterlyReportJobInput>>({
  name: 'report.quarterly',
  queue: QUEUES.work,
  input: quarterlyReportJobInput as z.ZodType<z.infer<typeof quarterlyReportJobInput>>,
  authorize: (actor) => authorize(actor, 'programme.detail'),
  writes: false,
  label: 'quarterly report',
  noEffect: 'nothing was written',
  async run(ctx, actor, input, control) {
    control.onProgress(0, 2, { stage: 'reading' });
    const report = await quarterlyReport(ctx, actor, quarterField.parse(input.quarter), {
      signal: control.signal,
    });
    return rendered(report.html, input.format, `keel-report-${input.quarter}`, control);
  },
});

export const monthlyReportJob = registerJobKind<z.infer<typeof monthlyReportJobInput>>({
  name: 'report.monthly',
  queue: QUEUES.work,
  input: monthlyReportJobInput as z.ZodType<z.infer<typeof monthlyReportJobInput>>,
  authorize: (actor) => authorize(actor, 'programme.detail'),
  writes: false,
  label: 'monthly report',
  noEffect: 'nothing was written',
  async run(ctx, actor, input, control) {
    control.onProgress(0, 2, { stage: 'reading' });
    const report = await monthlyPipelineReport(ctx, actor, monthField.parse(input.month), {
      signal: control.signal,
    });
    return rendered(report.html, input.format, `keel-pipeline-${input.month}`, control);
  },
});
