/**
 * Columns carry the domain's types (db/schema.ts), and the query helpers keep Kysely's column check: the
 * `@ts-expect-error` lines below are checked by `tsc --noEmit` (a line that stopped being an error fails
 * the type check), and the compiled SQL is checked here. No database: Kysely's dummy driver compiles only.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { commitmentEntries, netCommitted } from '../../src/db/commitments-repo.ts';
import type { DealFilter } from '../../src/db/deal-search.ts';
import type { Schema } from '../../src/db/schema.ts';
import { anyOf } from '../../src/db/sql-helpers.ts';
import type { Cents } from '../../src/domain/money.ts';
import type { AwardStage } from '../../src/domain/public-record/peer-award.ts';
import type { Stage } from '../../src/domain/stages.ts';

const db = new Kysely<Schema>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe('domain-typed columns', () => {
  it('a Stage column compares only with stages, and reads as Stage and Cents without casts', () => {
    const open = db.selectFrom('deals').select(['stage', 'amount_cents']).where('stage', '=', 'diligence');
    // @ts-expect-error 'archived' is not one of the domain's stages
    db.selectFrom('deals').select('id').where('stage', '=', 'archived');
    // @ts-expect-error 'gift' is not a ledger entry kind
    db.selectFrom('ledger_entries').select('seq').where('kind', '=', 'gift');
    type Row = Awaited<ReturnType<typeof open.executeTakeFirstOrThrow>>;
    const row = {} as Row;
    const stage: Stage = row.stage;
    const amount: Cents = row.amount_cents;
    expect([stage, amount]).toEqual([undefined, undefined]);
    expect(open.compile().sql).toBe('select "stage", "amount_cents" from "deals" where "stage" = $1');
  });

  it('public-record amounts read as Cents or null and award stages as AwardStage; deal filters take stages', () => {
    const awards = db.selectFrom('peer_awards').select(['amount_cents', 'stage']);
    // @ts-expect-error 'awarded' is a status word, not an award stage
    db.selectFrom('peer_awards').select('id').where('stage', '=', 'awarded');
    type Row = Awaited<ReturnType<typeof awards.executeTakeFirstOrThrow>>;
    const row = {} as Row;
    const amount: Cents | null = row.amount_cents;
    const stage: AwardStage = row.stage;
    // @ts-expect-error the deals list filters by the domain's stages only
    const filter: DealFilter = { stages: ['archived'] };
    expect([amount, stage, filter.stages]).toEqual([undefined, undefined, ['archived']]);
  });

  it('anyOf keeps the column checked and sends one array parameter', () => {
    const ids = ['a', 'b', 'c'];
    const query = db.selectFrom('deals').select('id').where('id', '=', anyOf(ids));
    // @ts-expect-error no such column: the check inTextArray(column: string) used to switch off
    db.selectFrom('deals').select('id').where('no_such_column', '=', anyOf(ids));
    const compiled = query.compile();
    expect(compiled.sql).toBe('select "id" from "deals" where "id" = ANY($1::text[])');
    expect(compiled.parameters).toEqual([ids]);
  });

  it('the one net-commitment expression: commitments add, cancellations take away', () => {
    const { sql } = commitmentEntries(db, '2026-12-31')
      .select((eb) => ['deals.id', netCommitted(eb).as('net')])
      .groupBy('deals.id')
      .compile();
    expect(sql).toBe(
      'select "deals"."id", sum(case when "ledger_entries"."kind" = $1 then "ledger_entries"."amount_cents" else -"ledger_entries"."amount_cents" end) as "net" from "ledger_entries" inner join "deals" on "deals"."id" = "ledger_entries"."deal_id" where "ledger_entries"."kind" in ($2, $3) and "ledger_entries"."effective_on" <= $4 group by "deals"."id"',
    );
  });
});
