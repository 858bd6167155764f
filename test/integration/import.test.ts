import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { importFile } from '../../src/app/import.ts';
import { commitmentTotalsMismatches } from '../../src/app/summary.ts';
import { firstDealBalanceMismatch } from '../../src/db/ledger-repo.ts';
import { syntheticBook, syntheticLedgerCsv } from '../../src/domain/synthetic.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';

const ROWS = 100_000;
const BAD_LINE = 73_421; // line 1 is the header

async function counts(keel: TestKeel) {
  const { rows } = await sql<{ entries: bigint; audit: bigint }>`
    SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT seq FROM audit_head) AS audit`.execute(
    keel.database.db,
  );
  return rows[0]!;
}

function replaceLine(text: string, line: number, replace: (fields: string[]) => string[]): string {
  const lines = text.split('\n');
  lines[line - 1] = replace(lines[line - 1]!.split(',')).join(',');
  return lines.join('\n');
}

describeOnBackends('CSV import', (backend) => {
  let keel: TestKeel;
  let good: string;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    const subAreas = (await keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
    const book = syntheticBook(11, { companies: 500, deals: 2_000 }, subAreas);
    await addCompanies(keel, testAdmin, 'syn-companies', book.companies);
    await openDeals(keel, testAdmin, 'syn-deals', book.deals);
    good = syntheticLedgerCsv(11, book.deals, ROWS);
  });
  afterAll(() => keel.close());

  it(`a ${ROWS.toLocaleString('en-US')}-row file with a malformed amount at line ${BAD_LINE.toLocaleString('en-US')} imports nothing and names the line`, async () => {
    const before = await counts(keel);
    const bad = replaceLine(good, BAD_LINE, (f) => [f[0]!, f[1]!, f[2]!, '1000.005', f[4]!, f[5]!]);
    await expect(importFile(keel, testAdmin, 'ledger', bad)).rejects.toThrow(
      /ledger file has 1 invalid row\(s\); nothing was imported:\nline 73421, field amount_usd: "1000.005" has more than 2 decimal places/,
    );
    expect(await counts(keel)).toEqual(before);
  });

  it(`a row that breaks a ledger rule at line ${BAD_LINE.toLocaleString('en-US')} rolls back the whole file`, async () => {
    const before = await counts(keel);
    // A repayment far larger than anything drawn: valid CSV, refused by the ledger rules in the transaction.
    const bad = replaceLine(good, BAD_LINE, (f) => [f[0]!, f[1]!, 'repayment', '999999999.00', f[4]!, f[5]!]);
    await expect(importFile(keel, testAdmin, 'ledger', bad)).rejects.toThrow(
      /^line 73421: deal syn-deal-11-\d+: cannot repay/,
    );
    expect(await counts(keel)).toEqual(before);
  });

  it(`the clean ${ROWS.toLocaleString('en-US')}-row file imports completely, once`, async () => {
    const progress: number[] = [];
    const first = await importFile(keel, testAdmin, 'ledger', good, {
      onProgress: (done) => progress.push(done),
    });
    expect(first).toMatchObject({ rows: ROWS, replayed: false });
    expect(progress.at(-1)).toBe(ROWS);
    const after = await counts(keel);
    expect(after.entries).toBe(BigInt(ROWS));
    expect(await commitmentTotalsMismatches(keel)).toEqual([]);
    expect(await firstDealBalanceMismatch(keel.database.db)).toBeUndefined();
    const again = await importFile(keel, testAdmin, 'ledger', good);
    expect(again.replayed).toBe(true);
    expect(await counts(keel)).toEqual(after);
  });

  it('`keel import` lists bad rows by line and field, exits non-zero, and writes nothing', async () => {
    const file = join(tmpdir(), `keel-companies-${backend}-${process.pid}.csv`);
    writeFileSync(
      file,
      [
        'id,name,us_based,hq_state_fips,hq_county_fips,source',
        'good-co,Good Co,yes,16,16001,synthetic (test)',
        'Bad Id,Bad Co,yes,16,16001,synthetic (test)',
        'other-co,Other Co,maybe,16,16001,synthetic (test)',
        'fips-co,Fips Co,no,16,48001,synthetic (test)',
      ].join('\n'),
    );
    await keel.closeConnection();
    try {
      const result = await runKeel(['import', 'companies', file], keel.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('companies file has 3 invalid row(s); nothing was imported');
      expect(result.stderr).toMatch(/line 3, field id: must be lower-case/);
      expect(result.stderr).toMatch(/line 4, field us_based: /);
      expect(result.stderr).toMatch(
        /line 5, field hq_county_fips: county FIPS must start with the state FIPS/,
      );
    } finally {
      keel = await keel.reopen();
    }
    const rows = await keel.database.db
      .selectFrom('companies')
      .select('id')
      .where('id', 'in', ['good-co', 'other-co'])
      .execute();
    expect(rows).toEqual([]);
  });
});
