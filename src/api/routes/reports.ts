import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
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
    startQuarterlyReportJob: route({
      method: 'POST',
      url: '/api/reports/quarterly/jobs',
      access: 'programme.detail',
      summary:
        'Prepare the quarterly report in the background ({quarter, format}): 202 and the job; the file is at /api/jobs/:id/result when done. The same Idempotency-Key again answers the same job',
      tags: ['reports'],
      body: quarterlyReportJobInput,
      write: true,
      status: 202,
      response: startedJobResponse,
      async handler({ principal, body, idempotencyKey, reply }) {
        const job = await startJobOnce(ctx, principal, quarterlyReportJob, body, {
          key: idempotencyKey,
          action: 'report.quarterly.job',
          subject: `report:${body.quarter}`,
          idPrefix: 'rep',
        });
        reply.status(202);
        return job;
      },
    }),
    startMonthlyReportJob: route({
      method: 'POST',
      url: '/api/reports/monthly/jobs',
      access: 'programme.detail',
      summary:
        'Prepare the monthly pipeline report in the background ({month, format}): 202 and the job; the file is at /api/jobs/:id/result when done. The same Idempotency-Key again answers the same job',
      tags: ['reports'],
      body: monthlyReportJobInput,
      write: true,
      status: 202,
      response: startedJobResponse,
      async handler({ principal, body, idempotencyKey, reply }) {
        const job = await startJobOnce(ctx, principal, monthlyReportJob, body, {
          key: idempotencyKey,
          action: 'report.monthly.job',
          subject: `report:${body.month}`,
          idPrefix: 'rep',
        });
        reply.status(202);
        return job;
      },
    }),
  };
}
