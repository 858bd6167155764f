import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { eventStudyQuerySchema, runEventStudy } from '../../app/event-studies.ts';
import { scenarioRunJob } from '../../app/jobs/scenario-kind.ts';
import { startJobOnce } from '../../app/jobs/use-cases.ts';
import { ioImpact, ioImpactSchema, researchScores } from '../../app/research/analysis.ts';
import { importDependence, importDependenceSchema } from '../../app/research/bea-annual.ts';
import { editGraph, graphEditInputSchema, graphHistory, graphVersion } from '../../app/research/graph.ts';
import { researchMaterials } from '../../app/research/materials.ts';
import {
  addNote,
  listNotes,
  noteInputSchema,
  noteUpdateSchema,
  updateNote,
} from '../../app/research/notes.ts';
import {
  compareRuns,
  listRuns,
  listScenarios,
  runSavedScenario,
  saveScenario,
} from '../../app/research/scenarios.ts';
import { rowId, slug } from '../../domain/fields.ts';
import { scenarioSchema } from '../../domain/research/scenario.ts';
import { startedJobResponse } from '../responses/jobs.ts';
import {
  addNoteResponse,
  compareScenarioRunsResponse,
  editGraphResponse,
  eventStudyResponse,
  graphHistoryResponse,
  graphVersionResponse,
  importDependenceResponse,
  ioImpactResponse,
  listNotesResponse,
  listScenarioRunsResponse,
  listScenariosResponse,
  researchMaterialsResponse,
  researchScoresResponse,
  runScenarioResponse,
  saveScenarioResponse,
  updateNoteResponse,
} from '../responses/research.ts';
import { route } from '../route.ts';

const version = z.object({ version: z.coerce.number().int().min(1).optional() });
const tags = ['research'];

export function researchRoutes(ctx: AppContext) {
  return {
    graphVersion: route({
      method: 'GET',
      url: '/api/research/graph',
      access: 'research.read',
      summary: 'The dependency graph (latest version, or ?version=N)',
      tags,
      query: version,
      response: graphVersionResponse,
      handler: async ({ principal, query }) => graphVersion(ctx, principal, query.version),
    }),
    graphHistory: route({
      method: 'GET',
      url: '/api/research/graph/history',
      access: 'research.read',
      summary: 'Versions of the dependency graph',
      tags,
      response: graphHistoryResponse,
      handler: async ({ principal }) => ({ versions: await graphHistory(ctx, principal) }),
    }),
    editGraph: route({
      method: 'POST',
      url: '/api/research/graph/edits',
      access: 'research.write',
      write: true,
      summary: 'Apply edits (nodes, edges) to the graph: makes a new version',
      tags,
      body: graphEditInputSchema,
      response: editGraphResponse,
      handler: async ({ principal, body, idempotencyKey }) => editGraph(ctx, principal, idempotencyKey, body),
    }),
    researchScores: route({
      method: 'GET',
      url: '/api/research/scores',
      access: 'research.read',
      summary:
        'Criticality of every node: HHI, countries of concern, import reliance, USGS and EU supply risk',
      tags,
      query: version.extend({
        valueAddedYear: z.coerce
          .number()
          .int()
          .min(1997, 'the summary tables cover 1997–2015')
          .max(2015, 'the summary tables cover 1997–2015')
          .optional(),
      }),
      response: researchScoresResponse,
      handler: async ({ principal, query }) =>
        researchScores(ctx, principal, query.version, query.valueAddedYear),
    }),
    researchMaterials: route({
      method: 'GET',
      url: '/api/research/materials',
      access: 'research.read',
      summary:
        'Every material as the USGS MCS 2025 release prints it: net import reliance 2020–2024, world shares 2023 and 2024e, import sources in order, EU assessments; each figure with file, row and column',
      tags,
      response: researchMaterialsResponse,
      handler: async ({ principal }) => researchMaterials(principal),
    }),
    listScenarios: route({
      method: 'GET',
      url: '/api/research/scenarios',
      access: 'research.read',
      summary: 'Saved shock scenarios',
      tags,
      response: listScenariosResponse,
      handler: async ({ principal }) => ({ scenarios: await listScenarios(ctx, principal) }),
    }),
    saveScenario: route({
      method: 'POST',
      url: '/api/research/scenarios',
      access: 'research.write',
      write: true,
      summary: 'Save a scenario (shocks and buffers); checked against the current graph',
      tags,
      body: scenarioSchema,
      response: saveScenarioResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        saveScenario(ctx, principal, idempotencyKey, body),
    }),
    runScenario: route({
      method: 'POST',
      url: '/api/research/scenarios/:id/runs',
      access: 'research.read',
      write: true,
      summary: 'Run a scenario on the current graph (and, for the private side, the ledger holdings)',
      tags,
      params: z.object({ id: slug }),
      heavy: true,
      response: runScenarioResponse,
      handler: async ({ principal, params, idempotencyKey, signal }) =>
        runSavedScenario(ctx, principal, idempotencyKey, params.id, undefined, { signal }),
    }),
    startScenarioRunJob: route({
      method: 'POST',
      url: '/api/research/scenarios/:id/run-jobs',
      access: 'research.read',
      write: true,
      summary:
        'Run a scenario as a background job (202 and the job; the run is at /api/jobs/:id/result when done). The same Idempotency-Key again answers the same job',
      tags,
      params: z.object({ id: slug }),
      status: 202,
      response: startedJobResponse,
      async handler({ principal, params, idempotencyKey, reply }) {
        const job = await startJobOnce(
          ctx,
          principal,
          scenarioRunJob,
          { scenario: params.id },
          {
            key: idempotencyKey,
            action: 'research.scenario.run_job',
            subject: `scenario:${params.id}`,
            idPrefix: 'scn',
          },
        );
        reply.status(202);
        return job;
      },
    }),
    listScenarioRuns: route({
      method: 'GET',
      url: '/api/research/runs',
      access: 'research.read',
      summary: 'Scenario runs, newest first',
      tags,
      query: z.object({ scenario: slug.optional() }),
      response: listScenarioRunsResponse,
      handler: async ({ principal, query }) => ({ runs: await listRuns(ctx, principal, query.scenario) }),
    }),
    compareScenarioRuns: route({
      method: 'GET',
      url: '/api/research/runs/compare',
      access: 'research.read',
      summary: 'Scenario runs side by side (?ids=1,2,3)',
      tags,
      query: z.object({
        ids: z
          .string()
          .regex(/^\d{1,18}(,\d{1,18}){0,9}$/, 'one to ten run ids separated by commas')
          .transform((s) => s.split(',').map((id) => BigInt(id))),
      }),
      response: compareScenarioRunsResponse,
      handler: async ({ principal, query }) => compareRuns(ctx, principal, query.ids),
    }),
    ioImpact: route({
      method: 'GET',
      url: '/api/research/io/impact',
      access: 'research.read',
      summary:
        'Economy-wide output impact of a sector shock (BEA input–output; Leontief demand or Ghosh supply): the 2015 summary tables by default, any year 1997–2015, the 2007 detail tables (level=detail) or the 1997 benchmark',
      tags,
      query: ioImpactSchema,
      heavy: true,
      response: ioImpactResponse,
      handler: async ({ principal, query, signal }) => ioImpact(principal, query, { signal }),
    }),
    importDependence: route({
      method: 'GET',
      url: '/api/research/io/imports',
      access: 'research.read',
      summary:
        'Import dependence (BEA summary tables): imported inputs per dollar of final demand for every commodity in one year, and the path 1997–2015 of the sub-areas or sectors asked for',
      tags,
      query: importDependenceSchema,
      // The first call reads and parses 38 sheets (seconds); later ones answer from memory.
      heavy: true,
      response: importDependenceResponse,
      handler: async ({ principal, query, signal }) => importDependence(principal, query, { signal }),
    }),
    listNotes: route({
      method: 'GET',
      url: '/api/research/notes',
      access: 'research.read',
      summary: 'Research notes (those the caller may see), optionally for one subject',
      tags,
      query: z.object({
        kind: z.enum(['node', 'sub_area', 'scenario']).optional(),
        id: z.string().max(80).optional(),
      }),
      response: listNotesResponse,
      handler: async ({ principal, query }) => ({
        notes: await listNotes(
          ctx,
          principal,
          query.kind && query.id ? { kind: query.kind, id: query.id } : undefined,
        ),
      }),
    }),
    addNote: route({
      method: 'POST',
      url: '/api/research/notes',
      access: 'research.write',
      write: true,
      summary: 'Write a research note (markdown)',
      tags,
      body: noteInputSchema,
      response: addNoteResponse,
      handler: async ({ principal, body, idempotencyKey }) => addNote(ctx, principal, idempotencyKey, body),
    }),
    updateNote: route({
      method: 'POST',
      url: '/api/research/notes/:id',
      access: 'research.write',
      write: true,
      summary: 'Change a note (its author): title, text, draft or published',
      tags,
      params: z.object({ id: rowId }),
      body: noteUpdateSchema,
      response: updateNoteResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        updateNote(ctx, principal, idempotencyKey, params.id, body),
    }),
    eventStudy: route({
      method: 'GET',
      url: '/api/event-studies',
      access: 'research.read',
      summary:
        'Market-model event study on imported prices: ARs, CARs, cross-sectional t, Patell, BMP, Corrado rank',
      tags,
      query: eventStudyQuerySchema,
      response: eventStudyResponse,
      handler: async ({ principal, query }) => runEventStudy(ctx, principal, query),
    }),
  };
}
