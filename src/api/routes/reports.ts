import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import type { JobKind } from '../../app/jobs/kinds.ts';
import {
  monthlyReportJob,
  monthlyReportJobInput,
  quarterlyReportJob,
  quarterlyReportJobInput,
} from '../../app/jobs/report-kinds.ts';
import { startJobOnce } from '../../app/jobs/use-cases.ts';
import { monthlyPipelineReport, monthSchema } from '../../app/reports/monthly.ts';
import { htmlToPdf } from '../../app/reports/pdf.ts';
import { quarterSchema } from '../../app/reports/quarter.ts';
import { quarterlyReport } from '../../app/reports/quarterly.ts';
import { startedJobResponse } from '../responses/jobs.ts';
import { route } from '../route.ts';

export function reportRoutes(ctx: AppContext) {
  return {
    quarterlyReport: route({
      method: 'GET',
      url: '/api/reports/quarterly',
      access: 'programme.detail',
      summary: 'Quarterly progress report from the ledger (?quarter=2026Q4&format=html|pdf)',
      tags: ['reports'],
      query: z.object({ quarter: quarterSchema, format: z.enum(['html', 'pdf']).default('html') }),
      heavy: true,
      produces: ['text/html', 'application/pdf'],
      handler: async ({ principal, query, reply, signal }) => {
        const report = await quarterlyReport(ctx, principal, query.quarter, { signal });
        if (query.format === 'html') return reply.type('text/html; charset=utf-8').send(report.html);
        const pdf = await htmlToPdf(report.html, { signal });
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="keel-report-${query.quarter.label}.pdf"`)
          .send(pdf);
      },
    }),
    monthlyReport: route({
      method: 'GET',
      url: '/api/reports/monthly',
      access: 'programme.detail',
      summary:
        'Monthly pipeline report (applications, amounts requested, intake, by sector and state): ?month=2026-11',
      tags: ['reports'],
      query: z.object({ month: monthSchema, format: z.enum(['html', 'pdf']).default('html') }),
      heavy: true,
      produces: ['text/html', 'application/pdf'],
      handler: async ({ principal, query, reply, signal }) => {
        const report = await monthlyPipelineReport(ctx, principal, query.month, { signal });
        if (query.format === 'html') return reply.type('text/html; charset=utf-8').send(report.html);
        return reply.type('application/pdf').send(await htmlToPdf(report.html, { signal }));
      },
    }),
    startQuarterlyReportJob: reportJobRoute(ctx, {
      url: '/api/reports/quarterly/jobs',
      report: 'the quarterly report ({quarter, format})',
      body: quarterlyReportJobInput,
      kind: quarterlyReportJob,
      period: (body) => body.quarter,
    }),
    startMonthlyReportJob: reportJobRoute(ctx, {
      url: '/api/reports/monthly/jobs',
      report: 'the monthly pipeline report ({month, format})',
      body: monthlyReportJobInput,
      kind: monthlyReportJob,
      period: (body) => body.month,
    }),
  };
}

/** A report prepared in the background: 202 and the job, one job per Idempotency-Key (a retry answers it). */
function reportJobRoute<U extends string, B extends z.ZodType>(
  ctx: AppContext,
  spec: { url: U; report: string; body: B; kind: JobKind<z.infer<B>>; period(body: z.infer<B>): string },
) {
  return route({
    method: 'POST',
    url: spec.url,
    access: 'programme.detail',
    summary: `Prepare ${spec.report} in the background: 202 and the job; the file is at /api/jobs/:id/result when done. The same Idempotency-Key again answers the same job`,
    tags: ['reports'],
    body: spec.body,
    write: true,
    status: 202,
    response: startedJobResponse,
    async handler({ principal, body, idempotencyKey, reply }) {
      const job = await startJobOnce(ctx, principal, spec.kind, body, {
        key: idempotencyKey,
        action: `${spec.kind.name}.job`,
        subject: `report:${spec.period(body)}`,
        idPrefix: 'rep',
      });
      reply.status(202);
      return job;
    },
  });
}
