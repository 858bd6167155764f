/** Shapes of the research API's answers, as the web app reads them: the routes' response types. */
import type { ResponseOf } from '../../api.ts';

export type GraphVersion = ResponseOf<'GET /api/research/graph'>;
export type GraphNode = GraphVersion['graph']['nodes'][number];
export type GraphEdge = GraphVersion['graph']['edges'][number];
export type NodeScore = ResponseOf<'GET /api/research/scores'>['scores'][number];
export type ScenarioRun = ResponseOf<'POST /api/research/scenarios/:id/runs'>['result'];
export type Exposure = ScenarioRun['result']['exposures'][number];
export type Scenario = ResponseOf<'GET /api/research/scenarios'>['scenarios'][number];

/** Criticality of a node on one scale for colouring: its own USGS risk, else what it inherits. */
export const riskOf = (s: NodeScore | undefined) => (s ? (s.usgs?.supplyRisk ?? s.inherited.risk) : 0);
export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;

/** A material as the release prints it, each figure with where it was read (GET /api/research/materials). */
export type MaterialDetail = ResponseOf<'GET /api/research/materials'>['materials'][number];
export type SourcedText = MaterialDetail['usPrimaryProduction'][number];
export type FigureSource = SourcedText['at'];
