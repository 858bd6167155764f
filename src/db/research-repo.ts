/**
 * The research aggregate: graph versions (one row per saved graph, never edited; the newest row is the lock
 * two analysts' saves meet on), saved scenarios, and scenario runs stored with the graph version they used.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/** One graph version, or the newest without `version`. */
export function graphVersionRow(db: Kysely<Schema>, version?: number) {
  const query = db.selectFrom('research_graph_versions').selectAll();
  return (
    version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version)
  ).executeTakeFirst();
}

export const graphVersionList = (db: Kysely<Schema>) =>
  db
    .selectFrom('research_graph_versions')
    .select(['version', 'note', 'created_by', 'created_at'])
    .orderBy('version', 'desc')
    .execute();

/** Locks the newest version row: two analysts saving at once get one version each, in order. */
export const lockLatestGraphVersion = (tx: Transaction<Schema>) =>
  tx
    .selectFrom('research_graph_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();

/** Stores a graph as `version`; with `ifAbsent`, leaves an existing version as it is (seeding is idempotent). */
export async function insertGraphVersion(
  db: Kysely<Schema>,
  row: { version: number; graph: unknown; note: string; createdBy: string },
  options: { ifAbsent?: boolean } = {},
) {
  const insert = db.insertInto('research_graph_versions').values({
    version: row.version,
    graph: JSON.stringify(row.graph),
    note: row.note,
    created_by: row.createdBy,
  });
  await (options.ifAbsent ? insert.onConflict((oc) => oc.column('version').doNothing()) : insert).execute();
}

export const scenarioRows = (db: Kysely<Schema>) =>
  db.selectFrom('research_scenarios').selectAll().orderBy('id').execute();

export const scenarioRow = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('research_scenarios').selectAll().where('id', '=', id).executeTakeFirst();

/** Saves an analyst's scenario, replacing a saved one of the same id. */
export async function upsertScenario(tx: Transaction<Schema>, scenario: { id: string }, updatedBy: string) {
  await tx
    .insertInto('research_scenarios')
    .values({ id: scenario.id, definition: JSON.stringify(scenario), updated_by: updatedBy })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        definition: JSON.stringify(scenario),
        updated_by: updatedBy,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** A shipped scenario, unless one of that id exists (an analyst's later edits are kept). */
export async function insertShippedScenario(db: Kysely<Schema>, scenario: { id: string }, by: string) {
  await db
    .insertInto('research_scenarios')
    .values({ id: scenario.id, definition: JSON.stringify(scenario), shipped: true, updated_by: by })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Stores a run with the definition and graph version it used; its id. */
export async function insertScenarioRun(
  tx: Transaction<Schema>,
  run: { scenarioId: string; graphVersion: number; definition: unknown; resultJson: string; ranBy: string },
): Promise<bigint> {
  const row = await tx
    .insertInto('research_scenario_runs')
    .values({
      scenario_id: run.scenarioId,
      graph_version: run.graphVersion,
      definition: JSON.stringify(run.definition),
      result: run.resultJson,
      ran_by: run.ranBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The newest 200 runs, of one scenario or all. */
export function scenarioRunList(db: Kysely<Schema>, scenarioId?: string) {
  const query = db
    .selectFrom('research_scenario_runs')
    .select(['id', 'scenario_id', 'graph_version', 'ran_by', 'ran_at'])
    .orderBy('id', 'desc')
    .limit(200);
  return (scenarioId ? query.where('scenario_id', '=', scenarioId) : query).execute();
}

export const scenarioRunsById = (db: Kysely<Schema>, ids: readonly bigint[]) =>
  db
    .selectFrom('research_scenario_runs')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
