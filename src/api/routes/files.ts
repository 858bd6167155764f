import { z } from 'zod';
import { throwIfCancelled } from '../../app/cancellation.ts';
import type { AppContext } from '../../app/context.ts';
import { EXPORTS, exportData } from '../../app/exports.ts';
import { IMPORT_KINDS, importText } from '../../app/import.ts';
import { cancelImportJob, importJobStatus, startImportJob, watchImportJob } from '../../app/import-jobs.ts';
import { hasLedgerFilter, withLedgerFilters } from '../../app/ledger-list.ts';
import { KeelError } from '../../domain/errors.ts';
import { importPermission } from '../../domain/import-kinds.ts';
import { authorize } from '../../domain/roles.ts';
import { answerAsEventStream } from '../event-stream.ts';
import { cancelImportJobResponse, getImportJobResponse, startImportResponse } from '../responses/files.ts';
import { route } from '../route.ts';

const jobParams = z.object({ id: z.string().regex(/^imp_[A-Za-z0-9_-]{1,40}$/, 'is not an import job id') });

export function fileRoutes(ctx: AppContext) {
  return {
    startImport: route({
      method: 'POST',
      url: '/api/imports/:kind',
      // The private-side kinds' permission; the public record's two kinds need imports.public_record only,
      // the reference-rate fixings credit.write.
      access: 'imports.run',
      multipart: true,
      summary:
        'Upload a CSV (multipart field "file"); it imports in the background, all rows or none. Returns 202 and a job. public-deals and peer-awards need imports.public_record (research analysts hold it); rate-fixings needs credit.write; every other kind needs imports.run.',
      tags: ['files'],
      params: z.object({ kind: z.enum(IMPORT_KINDS) }),
      // Not `heavy`: the job's row counts against the user's limit on every server (jobs/use-cases.ts); a
      // request slot held as well counted each import twice, so a second import within the limit was refused.
      status: 202,
      response: startImportResponse,
      async handler({ principal, params, request, reply, signal }) {
        authorize(principal, importPermission(params.kind)); // before reading an upload the caller may not make
        if (!request.isMultipart())
          throw new KeelError(
            'invalid_request',
            'send the CSV as multipart/form-data in a field named "file"',
          );
        const file = await request.file();
        if (!file)
          throw new KeelError('invalid_request', 'no file in the upload: send it in a field named "file"');
        const buffer = await file.toBuffer();
        // The request's own work is the upload: a client gone by now has no job started for it. The import
        // then runs after the 202 by design, on any server of the database (the client polls or watches it,
        // DELETE cancels it).
        throwIfCancelled(signal, 'import');
        const job = await startImportJob(ctx, principal, params.kind, importText(params.kind, buffer));
        reply.status(202);
        return job;
      },
    }),
    getImportJob: route({
      method: 'GET',
      url: '/api/import-jobs/:id',
      // Held by everyone who may import any kind; a job is answered to its owner only.
      access: 'imports.jobs',
      summary: 'Progress of an import job',
      tags: ['files'],
      params: jobParams,
      response: getImportJobResponse,
      handler: async ({ principal, params }) => importJobStatus(ctx, principal, params.id),
    }),
    watchImportJob: route({
      method: 'GET',
      url: '/api/import-jobs/:id/events',
      access: 'imports.jobs',
      summary:
        'An import job as server-sent events, from any server: `progress` (the job) while it is queued or runs, then `result` (the ended job); closing the stream stops the watching, not the import',
      tags: ['files'],
      params: jobParams,
      produces: ['text/event-stream'],
      async handler({ principal, params, reply }) {
        // Refused (404) before the stream's headers go out: the stream answers 200 once it has started.
        await importJobStatus(ctx, principal, params.id);
        return answerAsEventStream<unknown, unknown>(reply, ({ signal, onProgress }) =>
          watchImportJob(ctx, principal, params.id, { signal, onProgress: (job) => onProgress(job) }),
        );
      },
    }),
    cancelImportJob: route({
      method: 'DELETE',
      url: '/api/import-jobs/:id',
      access: 'imports.jobs',
      summary: 'Cancel a running import (nothing of it is written)',
      tags: ['files'],
      params: jobParams,
      response: cancelImportJobResponse,
      handler: async ({ principal, params }) => cancelImportJob(ctx, principal, params.id),
    }),
    exportData: route({
      method: 'GET',
      url: '/api/exports/:kind',
      access: 'deals.read',
      summary:
        "Export deals or the ledger as CSV (exact dollar amounts, formula-leading text neutralised) or XLSX (amounts as numbers); the ledger takes the ledger list's filters (kind, dealId, companyId, subAreaId, from, to, q) and exports the filtered set",
      tags: ['files'],
      params: z.object({ kind: z.enum(EXPORTS) }),
      query: withLedgerFilters({ format: z.enum(['csv', 'xlsx']).default('csv') }),
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      async handler({ principal, params, query, reply }) {
        const { format, ...filter } = query;
        if (params.kind !== 'ledger' && hasLedgerFilter(filter))
          throw new KeelError(
            'invalid_request',
            "the filters kind, dealId, companyId, subAreaId, from, to and q are the ledger export's only",
          );
        const data = await exportData(ctx, principal, params.kind, format, filter);
        const type =
          query.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        return reply
          .header('content-type', type)
          .header('content-disposition', `attachment; filename="keel-${params.kind}.${query.format}"`)
          .send(data);
      },
    }),
  };
}
