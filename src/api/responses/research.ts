/** What the research routes answer (routes/research.ts). */
import { z } from 'zod';
import { NODE_KINDS } from '../../domain/research/graph.ts';
import { bigintString, centsString, writeResult } from './shared.ts';

const graphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(NODE_KINDS),
      name: z.string(),
      source: z.string(),
      worldShares: z.record(z.string(), z.number()).optional(),
      importSources: z.record(z.string(), z.number()).optional(),
      usNetImportReliance: z.number().optional(),
      domesticProducers: z.number().optional(),
      substitutability: z.number().optional(),
      eolRecyclingInputRate: z.number().optional(),
      exportRestrictedBy: z.array(z.string()).optional(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), weight: z.number(), source: z.string() })),
});

const graphVersionSchema = z.object({
  version: z.number(),
  graph: graphSchema,
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const usgsSupplyRiskSchema = z.object({
  disruptionPotential: z.number(),
  tradeExposure: z.number(),
  economicVulnerability: z.number(),
  supplyRisk: z.number(),
});

const nodeScoreSchema = z.object({
  id: z.string(),
  kind: z.enum(NODE_KINDS),
  name: z.string(),
  hhi: z.number().nullable(),
  concernShare: z.number().nullable(),
  importReliance: z.number().nullable(),
  domesticProducers: z.number().nullable(),
  singlePointOfFailure: z.boolean(),
  substitutability: z.number().nullable(),
  usgs: usgsSupplyRiskSchema.nullable(),
  eu: z
    .object({
      hhiGlobal: z.number(),
      hhiSourcing: z.number(),
      supplyRisk: z.number(),
      economicImportance: z.number().nullable(),
    })
    .nullable(),
  inherited: z.object({ risk: z.number(), material: z.string().nullable(), reach: z.number() }),
  exposures: z.array(z.object({ material: z.string(), reach: z.number() })),
  missing: z.array(z.string()),
});

const materialSourceSchema = z.object({
  figure: z.string(),
  publication: z.string(),
  file: z.string(),
  row: z.number(),
  column: z.string(),
});

const sourcedTextSchema = z.object({ year: z.number(), text: z.string(), at: materialSourceSchema });

const yearShareSchema = z.object({
  sharePct: z.number().nullable(),
  text: z.string(),
  withheld: z.boolean(),
  at: materialSourceSchema.nullable(),
});

const hhiWgiTSchema = z
  .object({
    value: z.number(),
    coverage: z.number(),
    rows: z.number(),
    belowBound: z.number(),
    noPercentSign: z.number(),
    fallbacks: z.array(z.string()),
  })
  .nullable();

const euComputedSchema = z
  .object({
    year: z.number(),
    supplyName: z.string(),
    publishedSupplyRisk: z.string().nullable(),
    stages: z.array(
      z.object({
        stage: z.enum(['E', 'P']),
        global: hhiWgiTSchema,
        sourcing: hhiWgiTSchema,
        bracket: z.object({ lower: z.number(), upper: z.number() }).nullable(),
      }),
    ),
    comparison: z.string(),
    missingInputs: z.string(),
    notes: z.array(z.string()),
    files: z.object({ global: z.string(), sourcing: z.string() }),
  })
  .nullable();

const materialDetailSchema = z.object({
  netImportRelianceTrend: z.array(
    z.object({
      year: z.number(),
      text: z.string(),
      at: materialSourceSchema,
      fraction: z.number().nullable(),
      reading: z.string(),
    }),
  ),
  productionTrend: z.array(
    z.object({
      year: z.number(),
      unit: z.string(),
      worldTotal: sourcedTextSchema,
      status: z.enum(['reported', 'withheld']),
      notes: z.array(z.string()),
      shares: z.array(
        z.object({
          code: z.string(),
          country: z.string(),
          amount: z.number(),
          sharePct: z.number(),
          at: materialSourceSchema,
        }),
      ),
    }),
  ),
  shareTrend: z.array(
    z.object({
      year: z.number(),
      status: z.enum(['reported', 'withheld']),
      worldTotal: sourcedTextSchema,
      leaderOfYear: z.string().nullable(),
      leader: yearShareSchema,
      us: yearShareSchema,
    }),
  ),
  usPrimaryProduction: z.array(sourcedTextSchema),
  apparentConsumption: z.array(sourcedTextSchema),
  worldReserves: z.object({ text: z.string(), at: materialSourceSchema }).nullable(),
  euAssessments: z.array(
    z.object({
      year: z.number(),
      supplyRisk: z.string(),
      economicImportance: z.string(),
      at: materialSourceSchema,
    }),
  ),
  criticalMinerals2022: z.array(z.string()),
  euComputed: euComputedSchema,
  applications: z.array(z.object({ mineral: z.string(), text: z.string(), at: materialSourceSchema })),
  id: z.string(),
  name: z.string(),
  usgsCommodity: z.string().nullable(),
  netImportReliance: z.object({ year: z.number(), text: z.string() }).nullable(),
  primaryImportSource: z.string().nullable(),
  importSources: z.array(z.string()),
  leadingProducer: z
    .object({ country: z.string(), code: z.string(), sharePct: z.number(), year: z.number() })
    .nullable(),
  stage: z.string().nullable(),
  missing: z.array(z.string()),
  sources: z.array(materialSourceSchema),
});

const exposureSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  meanShortfall: z.number(),
  peakShortfall: z.number(),
  costIncrease: z.number(),
  path: z.array(z.string()),
});

const scenarioResultSchema = z.object({
  scenarioId: z.string(),
  horizonMonths: z.number(),
  exposures: z.array(exposureSchema),
  deals: z.array(
    z.object({
      dealId: z.string(),
      companyId: z.string(),
      subAreaId: z.string(),
      committedCents: centsString,
      shortfall: z.number(),
      atRiskCents: centsString,
      path: z.array(z.string()),
    }),
  ),
  capitalAtRiskCents: centsString,
  committedCents: centsString,
  warnings: z.array(z.string()),
});

const scenarioSchema = z.object({
  id: z.string(),
  name: z.string(),
  basis: z.string(),
  horizonMonths: z.number(),
  shocks: z.array(
    z.union([
      z.object({
        kind: z.literal('export_restriction'),
        country: z.string(),
        materials: z.array(z.string()),
        fraction: z.number(),
        months: z.number(),
      }),
      z.object({
        kind: z.literal('plant_outage'),
        node: z.string(),
        fraction: z.number(),
        months: z.number(),
      }),
      z.object({
        kind: z.literal('price_spike'),
        node: z.string(),
        percent: z.number(),
        months: z.number(),
      }),
    ]),
  ),
  buffers: z.array(
    z.object({
      node: z.string(),
      stockpileMonths: z.number(),
      substitution: z.number(),
      alliedRamp: z.object({ fraction: z.number(), byMonth: z.number() }).optional(),
      note: z.string().optional(),
    }),
  ),
});

const scenarioRunSchema = z.object({
  runId: bigintString,
  graphVersion: z.number(),
  scenario: scenarioSchema,
  includesHoldings: z.boolean(),
  result: scenarioResultSchema,
  elapsedMs: z.number(),
});

const ioImpactReportSchema = z.object({
  level: z.enum(['summary', 'detail', 'benchmark-1997']),
  year: z.number(),
  table: z.string(),
  method: z.string(),
  sector: z.string(),
  sectorName: z.string(),
  subArea: z.string().nullable(),
  model: z.enum(['demand', 'supply']),
  change: z.number(),
  shock: z.number(),
  totalChange: z.number(),
  impacts: z.array(
    z.object({ industry: z.string(), change: z.number(), relative: z.number(), name: z.string() }),
  ),
});

const windowStatsSchema = z.object({
  window: z.tuple([z.number(), z.number()]),
  caar: z.number(),
  crossSectionalT: z.number(),
  patellZ: z.number(),
  bmpT: z.number(),
  corradoT: z.number(),
  positive: z.number(),
});

export const graphVersionResponse = graphVersionSchema;

export const graphHistoryResponse = z.object({
  versions: z.array(
    z.object({ createdAt: z.string(), version: z.number(), note: z.string(), createdBy: z.string() }),
  ),
});

export const editGraphResponse = writeResult(
  z.object({ version: z.number(), nodes: z.number(), edges: z.number() }),
);

export const researchScoresResponse = z.object({
  version: z.number(),
  scores: z.array(nodeScoreSchema),
  scoringRules: z.array(z.string()).readonly(),
  valueAdded: z.object({
    year: z.number(),
    table: z.string(),
    bySubArea: z.array(
      z.object({
        subArea: z.string(),
        industry: z.string(),
        value: z.number(),
        file: z.string(),
        sheet: z.string(),
        row: z.number(),
        column: z.string(),
      }),
    ),
  }),
});

export const researchMaterialsResponse = z.object({
  materials: z.array(materialDetailSchema),
  scoringRules: z.array(z.string()).readonly(),
});

export const listScenariosResponse = z.object({
  scenarios: z.array(scenarioSchema.extend({ shipped: z.boolean(), updatedBy: z.string() })),
});

export const saveScenarioResponse = writeResult(z.object({ id: z.string() }));

export const runScenarioResponse = writeResult(scenarioRunSchema);

export const listScenarioRunsResponse = z.object({
  runs: z.array(
    z.object({
      id: bigintString,
      scenarioId: z.string(),
      graphVersion: z.number(),
      ranBy: z.string(),
      ranAt: z.string(),
    }),
  ),
});

export const compareScenarioRunsResponse = z.object({
  runs: z.array(
    z.object({
      runId: bigintString,
      scenarioId: z.string(),
      graphVersion: z.number(),
      result: scenarioResultSchema,
    }),
  ),
  table: z.array(z.object({ id: z.string(), meanShortfall: z.array(z.number()) })),
});

export const ioImpactResponse = ioImpactReportSchema;

const importFigures = { total: z.number(), domestic: z.number(), imported: z.number() };
export const importDependenceResponse = z.object({
  source: z.string(),
  mapSource: z.string(),
  level: z.enum(['summary', 'detail']),
  year: z.number(),
  commodities: z.array(
    z.object({ code: z.string(), name: z.string(), subAreas: z.array(z.string()), ...importFigures }),
  ),
  series: z.array(
    z.object({
      subArea: z.string().nullable(),
      sector: z.string(),
      name: z.string(),
      path: z.array(z.object({ year: z.number(), ...importFigures })),
    }),
  ),
});

export const listNotesResponse = z.object({
  notes: z.array(
    z.object({
      id: bigintString,
      title: z.string(),
      bodyMarkdown: z.string(),
      author: z.string(),
      /** Null when the author is no longer among the users: show `author`. */
      authorName: z.string().nullable(),
      status: z.string(),
      side: z.string(),
      subjectKind: z.string(),
      subjectId: z.string(),
      updatedAt: z.string(),
    }),
  ),
});

export const addNoteResponse = writeResult(z.object({ id: bigintString }));

export const updateNoteResponse = writeResult(z.object({ id: bigintString }));

export const eventStudyResponse = z.object({
  skipped: z.array(z.object({ ticker: z.string(), reason: z.string() })),
  firms: z.array(
    z.object({
      ticker: z.string(),
      alpha: z.number(),
      beta: z.number(),
      sigma: z.number(),
      estimationDays: z.number(),
      car: z.array(z.number()),
      ar: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
  stats: z.array(windowStatsSchema),
  market: z.string(),
  eventDay: z.string().optional(),
});
