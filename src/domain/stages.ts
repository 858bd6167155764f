import { KeelError } from './errors.ts';

/** The life of a deal, in order. The last three and the two exits from the pipeline are terminal. */
export const STAGES = [
  'sourced',
  'screening',
  'diligence',
  'committee',
  'approved',
  'closed',
  'monitoring',
  'exited',
  'repaid',
  'written_off',
  'declined',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

/** The live pipeline is STAGES up to monitoring, in order. */
const PIPELINE: readonly Stage[] = STAGES.slice(0, STAGES.indexOf('monitoring') + 1);
const ENDINGS: readonly Stage[] = ['exited', 'repaid', 'written_off'];
const BEFORE_CLOSING: readonly Stage[] = PIPELINE.slice(0, PIPELINE.indexOf('approved') + 1);

/** Stages in which the programme has money committed, so the ledger accepts commitments and draws. */
export const FUNDABLE_STAGES: ReadonlySet<Stage> = new Set(['approved', 'closed', 'monitoring']);
export const TERMINAL_STAGES: ReadonlySet<Stage> = new Set([...ENDINGS, 'declined', 'withdrawn']);
/** The open pipeline: deals not yet closed (sourced through approved), where capital is still being asked for. */
export const OPEN_STAGES: readonly Stage[] = BEFORE_CLOSING;

/**
 * Which moves are allowed from a stage: one step forward; one step back before the committee decides
 * (diligence can reopen screening); decline or withdraw before closing; an ending from monitoring.
 * Skipping the committee is never allowed.
 */
export function allowedMoves(from: Stage): Stage[] {
  if (TERMINAL_STAGES.has(from)) return [];
  const index = PIPELINE.indexOf(from);
  const moves: Stage[] = [];
  const next = PIPELINE[index + 1];
  if (next) moves.push(next);
  if (index > 0 && index <= PIPELINE.indexOf('committee')) moves.push(PIPELINE[index - 1]!);
  if (BEFORE_CLOSING.includes(from)) moves.push('withdrawn');
  if (from === 'committee') moves.push('declined');
  if (from === 'monitoring') moves.push(...ENDINGS);
  return moves;
}

export function assertMove(from: Stage, to: Stage): void {
  const moves = allowedMoves(from);
  if (!moves.includes(to)) {
    const options = moves.length ? moves.join(', ') : 'none (the deal is in a terminal stage)';
    throw new KeelError(
      'invalid_stage_move',
      `a deal cannot move from ${from} to ${to}; allowed: ${options}`,
      {
        from,
        to,
        allowed: moves,
      },
    );
  }
}

/** Every deal opens here; only a historical import may open later. */
export const FIRST_STAGE: Stage = 'sourced';
/** Stages a deal reaches only after the committee approved it (here or, for a historical import, elsewhere). */
export const DECIDED_STAGES: ReadonlySet<Stage> = new Set([
  'approved',
  'closed',
  'monitoring',
  'exited',
  'repaid',
  'written_off',
]);

/**
 * The committee is the only door: a deal opens at the first stage. An admin may bring in a deal at a later
 * stage as a historical import, which carries the reference of the decision taken elsewhere.
 */
export function assertOpeningStage(
  opener: { role: string },
  deal: { id: string; stage: Stage; historicalDecisionRef?: string | undefined },
): void {
  if (deal.stage === FIRST_STAGE) {
    if (deal.historicalDecisionRef !== undefined)
      throw new KeelError(
        'historical_import_required',
        `deal ${deal.id} opens at ${FIRST_STAGE}: a historical decision reference belongs only to a deal brought in at a later stage`,
      );
    return;
  }
  if (deal.historicalDecisionRef === undefined)
    throw new KeelError(
      'historical_import_required',
      `deal ${deal.id} cannot open at ${deal.stage}: deals open at ${FIRST_STAGE} and reach the committee through the pipeline; a deal decided elsewhere is brought in by an admin as a historical import with the decision's reference (historicalDecisionRef)`,
      { stage: deal.stage },
    );
  if (opener.role !== 'admin')
    throw new KeelError(
      'forbidden',
      `only an admin may bring in a deal at a later stage (historical import of ${deal.id} at ${deal.stage})`,
      { permission: 'deals.historical_import' },
    );
}
