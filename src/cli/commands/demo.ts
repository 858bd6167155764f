/** `keel demo`: the synthetic demo programme on a data folder of its own, seeded once, then served. */
import { resolve } from 'node:path';
import { type DemoSeedReport, seedDemo } from '../../app/demo.ts';
import { configFromEnv } from '../../app/open.ts';
import { KeelError } from '../../domain/errors.ts';
import type { RunCommand } from '../handover-server.ts';
import { err, out } from '../io.ts';
import { progressBar } from '../output.ts';
import { cliActor } from '../session.ts';
import { serveKeel } from './serve.ts';

export const DEFAULT_DEMO_DATA = './keel-demo-data';

/**
 * The folder is `--data`, else KEEL_DEMO_DATA, else ./keel-demo-data; never KEEL_DATA or DATABASE_URL, which
 * name the real programme (the seed would refuse a real folder anyway, but the demo should not even open it).
 *
 * Signing in: the server prints its one-time setup link, as `keel serve` does, rather than a demo admin with
 * a printed password. The link is spent on first use and expires within the hour, so nothing left in a
 * terminal's scrollback or a CI log opens the demo later; a printed password would stay valid for good.
 */
export async function demoCommand(options: {
  data?: string | undefined;
  deals?: string | undefined;
  seed?: string | undefined;
  runCommand: RunCommand;
}): Promise<number> {
  const dataDir = resolve(options.data ?? (process.env.KEEL_DEMO_DATA || DEFAULT_DEMO_DATA));
  const config = configFromEnv({ ...process.env, KEEL_DATA: dataDir, DATABASE_URL: '', KEEL_AUDIT_KEY: '' });
  const deals = wholeNumber('--deals', options.deals);
  const seed = wholeNumber('--seed', options.seed);
  return serveKeel(config, options.runCommand, async (keel) => {
    const bar = progressBar('seeding the demo', 'steps');
    const started = performance.now();
    let report: DemoSeedReport;
    try {
      report = await seedDemo(keel, cliActor(), {
        ...(deals !== undefined ? { deals } : {}),
        ...(seed !== undefined ? { seed } : {}),
        onProgress: (step, done, total) => bar.update(done, total, step),
      });
    } finally {
      bar.stop();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    err(
      report.seeded
        ? `Seeded the synthetic demo in ${seconds} s: ${report.deals} deals, ${report.companies} companies, ${report.ledgerEntries} ledger entries, ${report.committeeDecisions} committee decisions with their memos, ${report.permits} permits, ${report.prices} prices, ${report.organisations} organisations in ${report.participations} capital stacks\n`
        : `Reusing the synthetic demo already seeded in ${dataDir} (seed ${report.seed}, ${report.deals} deals)\n`,
    );
    out(
      `SYNTHETIC DEMO DATA — not real deals. Data folder: ${dataDir}\n` +
        `Other keel commands reach it with KEEL_DATA=${dataDir}; \`npm start\` keeps serving the real data.\n` +
        // The seats that voted the demo's history are disabled (nobody knows their passwords).
        'To try a committee vote, add three users with the investment committee role under Admin first.\n',
    );
  });
}

function wholeNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new KeelError('invalid_value', `${option} must be a whole number above zero, not "${text}"`);
  return value;
}
