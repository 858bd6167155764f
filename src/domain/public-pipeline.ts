/**
 * The pipeline as the public side sees it: deals and proposed amounts by stage (programme aggregates) and
 * the open pipeline by sub-area (peers' crowding). Both tables add up to the same open pipeline, so they are
 * suppressed together (disclosure.ts): a stage or sub-area that fewer than k deals stand behind is hidden,
 * and so is whatever would give it away by subtraction across the two tables.
 */
import { cellsToSuppress, type DisclosurePolicy, type DisclosureRelation } from './disclosure.ts';
import { type Cents, totalCents, ZERO } from './money.ts';
import { OPEN_STAGES, type Stage } from './stages.ts';

/** One deal in the pipeline: its stage, sub-area and proposed amount. */
export interface PipelineDeal {
  dealId: string;
  stage: Stage;
  subAreaId: string;
  amount: Cents;
}

export interface PipelineFigure {
  deals: number;
  amount: Cents;
}

export interface PublicPipeline {
  /** Every stage with deals; null where its figures are hidden. */
  byStage: Map<Stage, PipelineFigure | null>;
  /** Every sub-area with open deals; null where its figures are hidden. */
  openBySubArea: Map<string, PipelineFigure | null>;
  /** The whole pipeline, or null if hidden. */
  total: PipelineFigure | null;
}

export function publicPipeline(deals: readonly PipelineDeal[], policy: DisclosurePolicy): PublicPipeline {
  const open = new Set<Stage>(OPEN_STAGES);
  const cells = new Map<string, Set<string>>();
  const amounts = new Map<string, bigint>();
  const add = (id: string, deal: PipelineDeal) => {
    cells.set(id, (cells.get(id) ?? new Set()).add(deal.dealId));
    amounts.set(id, (amounts.get(id) ?? 0n) + deal.amount);
  };
  for (const deal of deals) {
    add('pipeline', deal);
    add(`stage:${deal.stage}`, deal);
    add(open.has(deal.stage) ? 'open' : 'not-open', deal);
    if (open.has(deal.stage)) add(`open-sub:${deal.subAreaId}`, deal);
  }
  const ids = (prefix: string) => [...cells.keys()].filter((id) => id.startsWith(prefix));
  // The stages with deals, in the order their cells were made: kept as stages, so no cell id is parsed back.
  const seen = [...new Set(deals.map((d) => d.stage))];
  const stageCell = (stage: Stage) => `stage:${stage}`;
  const relations: DisclosureRelation[] = [
    { parent: 'pipeline', children: seen.map(stageCell) },
    { parent: 'pipeline', children: ['open', 'not-open'] },
    { parent: 'open', children: seen.filter((s) => open.has(s)).map(stageCell) },
    { parent: 'not-open', children: seen.filter((s) => !open.has(s)).map(stageCell) },
    { parent: 'open', children: ids('open-sub:') },
  ];
  const hidden = cellsToSuppress(cells, relations, policy);
  const figure = (id: string): PipelineFigure | null =>
    hidden.has(id) ? null : { deals: cells.get(id)?.size ?? 0, amount: totalCents(amounts.get(id) ?? 0n) };
  return {
    byStage: new Map(seen.map((s) => [s, figure(stageCell(s))])),
    openBySubArea: new Map(ids('open-sub:').map((id) => [id.slice('open-sub:'.length), figure(id)])),
    total: cells.has('pipeline') ? figure('pipeline') : { deals: 0, amount: ZERO },
  };
}
