/**
 * npm run bench:report: the quarterly progress report on 1M synthetic ledger rows (see synthetic-ledger.ts):
 * time to build its figures and HTML (two as-of-date ledger aggregates and the cap usage at the quarter end,
 * breakdowns, pacing, research table, server-side SVG charts) and to print the PDF with Chromium, against the
 * bare SQL the report runs (those three ledger queries), in one run, on PGlite and (when DATABASE_URL is
 * set) PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import { htmlToPdf } from '../src/app/reports/pdf.ts';
import { quarterSchema } from '../src/app/reports/quarter.ts';
import { quarterlyReport } from '../src/app/reports/quarterly.ts';
import { commitmentsByCapScope, ledgerCommitmentAggregate } from '../src/db/commitments-repo.ts';
import { formatDollars } from '../src/domain/money.ts';
import { createServerDatabase } from '../test/support/server-database.ts';
import { seedSyntheticLedger } from './synthetic-ledger.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const admin = { id: 'bench', role: 'admin' } as const;
const since = (t: number) => performance.now() - t;

async function measure(name: string, config: KeelConfig) {
  const keel = await openKeel(config, { poolSize: 4 });
  try {
    await seedSyntheticLedger(keel, ROWS, name);
    const q = quarterSchema.parse('2026Q4');
    await quarterlyReport(keel, admin, q); // warm: the BEA model and the research graph load once
    let t = performance.now();
    const report = await quarterlyReport(keel, admin, q);
    const build = since(t);
    t = performance.now();
    await ledgerCommitmentAggregate(keel.database.db, q.end).execute();
    await ledgerCommitmentAggregate(keel.database.db, '2026-09-30').execute();
    await commitmentsByCapScope(keel.database.db, q.end).execute();
    const bare = since(t);
    t = performance.now();
    const pdf = await htmlToPdf(report.html);
    const print = since(t);
    return { name, build, bare, print, pdfBytes: pdf.length, counted: report.figures.countedToDate };
  } finally {
    await keel.close();
  }
}

async function main() {
  const results = [];
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-report-'));
  try {
    results.push(await measure('PGlite', { dataDir: join(dir, 'data') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.DATABASE_URL) {
    const database = await createServerDatabase(process.env.DATABASE_URL, 'keel_bench_report');
    try {
      results.push(await measure('PostgreSQL', { databaseUrl: database.url, dataDir: '' }));
    } finally {
      await database.drop();
    }
  } else console.log('DATABASE_URL not set: PostgreSQL skipped');
  console.log(`\nQuarterly report 2026Q4 on ${ROWS.toLocaleString('en-US')} synthetic ledger rows`);
  console.log(
    'database'.padEnd(12),
    'figures+HTML ms'.padStart(16),
    'bare SQL ms'.padStart(12),
    'ratio'.padStart(7),
    'PDF ms'.padStart(8),
    'counted to date',
  );
  for (const r of results) {
    console.log(
      r.name.padEnd(12),
      r.build.toFixed(0).padStart(16),
      r.bare.toFixed(0).padStart(12),
      `${(r.build / r.bare).toFixed(2)}×`.padStart(7),
      r.print.toFixed(0).padStart(8),
      formatDollars(r.counted),
    );
  }
}

await main();
