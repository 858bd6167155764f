/**
 * Saved shock scenarios: shipped ones from data/, analysts' own; each run is stored with the graph
 * version and the definition it used, so runs stay comparable after either changes.
 */
import { heldDeals } from '../../db/commitments-repo.ts';
import {
  insertScenarioRun,
  insertShippedScenario,
  scenarioRow,
  scenarioRows,
  scenarioRunList,
  scenarioRunsById,
  upsertScenario,
} from '../../db/research-repo.ts';
import { canonicalJson, parseCanonicalJson } from '../../domain/canonical-json.ts';
import { KeelError } from '../../domain/errors.ts';
import {
  type Holding,
  runScenario,
  type Scenario,
  type ScenarioInput,
  type ScenarioResult,
  scenarioSchema,
} from '../../domain/research/scenario.ts';
import { authorize, can } from '../../domain/roles.ts';
import { camelCased } from '../camel-case.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor, AppContext, Progress } from '../context.ts';
import { runWrite, type WriteResult } from '../write.ts';
import type { WriteKey } from '../write-key.ts';
import { graphVersion } from './graph.ts';
import { shippedScenarios } from './reference-data.ts';

export async function listScenarios(ctx: AppContext, actor: Actor) {
  authorize(actor, 'research.read');
  const rows = await scenarioRows(ctx.database.db);
  return rows.map((r) => ({ ...(r.definition as Scenario), shipped: r.shipped, updatedBy: r.updated_by }));
}

export async function saveScenario(ctx: AppContext, actor: Actor, key: WriteKey, input: ScenarioInput) {
  authorize(actor, 'research.write');
  const scenario = scenarioSchema.parse(input);
  const { graph } = await graphVersion(ctx, actor);
  // A dry run against the current graph refuses unknown nodes before anything is saved.
  runScenario(graph, scenario, []);
  const written = await runWrite(
    ctx,
    { actor, action: 'research.scenario.save', key, request: scenario, subject: `scenario:${scenario.id}` },
    async (tx) => {
      await upsertScenario(tx, scenario, actor.id);
      return { result: { id: scenario.id } };
    },
  );
  return written;
}

/** Holdings the ledger has committed to, per deal (net of cancellations). Private side only. */
async function ledgerHoldings(ctx: AppContext): Promise<Holding[]> {
  const rows = await heldDeals(ctx.database.db);
  return rows.map((r) => ({
    dealId: r.deal_id,
    companyId: r.company_id,
    subAreaId: r.sub_area_id,
    committedCents: BigInt(r.net),
  }));
}

export interface ScenarioRun {
  runId: bigint;
  graphVersion: number;
  scenario: Scenario;
  /** False for public-side users: deals and capital at risk are left out. */
  includesHoldings: boolean;
  result: ScenarioResult;
  elapsedMs: number;
}

/** A saved scenario (shipped or an analyst's) by id; the caller has authorised. */
export async function savedScenario(ctx: AppContext, id: string): Promise<Scenario> {
  const row = await scenarioRow(ctx.database.db, id);
  if (!row) throw new KeelError('not_found', `no scenario "${id}"`);
  return scenarioSchema.parse(row.definition);
}

export async function runSavedScenario(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  id: string,
  onProgress: Progress = () => {},
  options: { signal?: AbortSignal | undefined } = {},
): Promise<WriteResult<ScenarioRun>> {
  authorize(actor, 'research.read');
  const scenario = await savedScenario(ctx, id);
  const current = await graphVersion(ctx, actor);
  const includesHoldings = can(actor, 'research.holdings');
  const holdings = includesHoldings ? await ledgerHoldings(ctx) : [];
  throwIfCancelled(options.signal, 'scenario run');
  const started = performance.now();
  const stages = { shocks: 0, propagation: 1, holdings: 2 } as const;
  const result = runScenario(current.graph, scenario, holdings, (stage, done, total) =>
    onProgress(stages[stage] * 100 + Math.round((100 * done) / Math.max(1, total)), 300),
  );
  onProgress(300, 300);
  // A run whose client has gone is not stored: nobody will read it, and it would hold the key.
  throwIfCancelled(options.signal, 'scenario run');
  const elapsedMs = performance.now() - started;
  const written = await runWrite(
    ctx,
    { actor, action: 'research.scenario.run', key, request: { id }, subject: `scenario:${id}` },
    async (tx) => {
      const runId = await insertScenarioRun(tx, {
        scenarioId: id,
        graphVersion: current.version,
        definition: scenario,
        resultJson: canonicalJson(result),
        ranBy: actor.id,
      });
      return {
        result: {
          runId,
          graphVersion: current.version,
          scenario,
          includesHoldings,
          result,
          elapsedMs,
        },
        audit: { graphVersion: current.version, capitalAtRiskCents: result.capitalAtRiskCents.toString() },
      };
    },
  );
  return written;
}

export async function listRuns(ctx: AppContext, actor: Actor, scenarioId?: string) {
  authorize(actor, 'research.read');
  return (await scenarioRunList(ctx.database.db, scenarioId)).map(camelCased);
}

/**
 * Runs side by side: exposure of every node in each, for comparison. Deals and capital at risk are shown
 * only to the private side, whoever ran the scenario.
 */
export async function compareRuns(ctx: AppContext, actor: Actor, runIds: readonly bigint[]) {
  authorize(actor, 'research.read');
  const rows = await scenarioRunsById(ctx.database.db, runIds);
  const missing = runIds.find((id) => !rows.some((r) => r.id === id));
  if (missing !== undefined) throw new KeelError('not_found', `no scenario run ${missing}`);
  const showHoldings = can(actor, 'research.holdings');
  const runs = runIds.map((id) => {
    const row = rows.find((r) => r.id === id);
    const result = parseCanonicalJson<ScenarioResult>(JSON.stringify(row?.result));
    return {
      runId: id,
      scenarioId: row?.scenario_id as string,
      graphVersion: row?.graph_version as number,
      result: showHoldings ? result : withoutHoldings(result),
    };
  });
  const ids = [...new Set(runs.flatMap((r) => r.result.exposures.map((e) => e.id)))];
  const table = ids
    .map((id) => ({
      id,
      meanShortfall: runs.map((r) => r.result.exposures.find((e) => e.id === id)?.meanShortfall ?? 0),
    }))
    .sort((a, b) => Math.max(...b.meanShortfall) - Math.max(...a.meanShortfall));
  return { runs, table };
}

/** What the public side may see of a run: no deals, no amounts, and no company nodes (they name clients). */
export function withoutHoldings(result: ScenarioResult): ScenarioResult {
  return {
    ...result,
    exposures: result.exposures.filter((e) => e.kind !== 'company'),
    deals: [],
    capitalAtRiskCents: 0n,
    committedCents: 0n,
  };
}

/** Shipped scenarios from data/ (part of `keel init`; an analyst's later edits are kept). */
export async function seedShippedScenarios(ctx: AppContext, actor: Actor): Promise<number> {
  const scenarios = shippedScenarios();
  for (const s of scenarios) {
    await insertShippedScenario(ctx.database.db, s, actor.id);
  }
  return scenarios.length;
}
