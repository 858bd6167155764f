/** Shapes of the research API's answers, as the web app reads them (bigints arrive as strings). */

import type { Exposure } from '../../../domain/research/scenario.ts';
import type { NodeScore } from '../../../domain/research/scores.ts';

export type { Exposure, NodeScore };
export interface GraphNode {
  id: string;
  kind: 'material' | 'processed' | 'sub_area' | 'company';
  name: string;
  worldShares?: Record<string, number>;
  importSources?: Record<string, number>;
  usNetImportReliance?: number;
  domesticProducers?: number;
  source: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  weight: number;
  source: string;
}
export interface GraphVersion {
  version: number;
  note: string;
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
}
export interface ScenarioRun {
  runId: string;
  graphVersion: number;
  includesHoldings: boolean;
  elapsedMs: number;
  scenario: { id: string; name: string; basis: string; horizonMonths: number };
  result: {
    exposures: Exposure[];
    deals: {
      dealId: string;
      subAreaId: string;
      committedCents: string;
      atRiskCents: string;
      shortfall: number;
      path: string[];
    }[];
    capitalAtRiskCents: string;
    committedCents: string;
    warnings: string[];
  };
}
export interface Scenario {
  id: string;
  name: string;
  basis: string;
  horizonMonths: number;
  shocks: unknown[];
  shipped: boolean;
}

/** Criticality of a node on one scale for colouring: its own USGS risk, else what it inherits. */
export const riskOf = (s: NodeScore | undefined) => (s ? (s.usgs?.supplyRisk ?? s.inherited.risk) : 0);
export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;

/** Where a figure was read in the shipped release files (GET /api/research/materials). */
export interface FigureSource {
  figure: string;
  publication: string;
  file: string;
  row: number;
  column: string;
}
export interface SourcedText {
  year: number;
  text: string;
  at: FigureSource;
}
export interface MaterialDetail {
  id: string;
  name: string;
  usgsCommodity: string | null;
  importSources: string[];
  stage: string | null;
  missing: string[];
  netImportRelianceTrend: (SourcedText & { fraction: number | null; reading: string })[];
  productionTrend: {
    year: number;
    unit: string;
    worldTotal: SourcedText;
    status: 'reported' | 'withheld';
    notes: string[];
    shares: { code: string; country: string; amount: number; sharePct: number; at: FigureSource }[];
  }[];
  usPrimaryProduction: SourcedText[];
  euAssessments: { year: number; supplyRisk: string; economicImportance: string; at: FigureSource }[];
}
