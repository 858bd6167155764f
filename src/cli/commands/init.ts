import { resolve } from 'node:path';
import { initKeel } from '../../app/init.ts';
import { configFromEnv } from '../../app/open.ts';
import { isInitialised } from '../../app/programme.ts';
import { programmeSummary } from '../../app/summary.ts';
import { cliActor, withKeel } from '../session.ts';
import { renderSummary } from './summary.ts';

export async function initCommand(options: {
  programme?: string | undefined;
  reference: boolean;
}): Promise<number> {
  const report = await withKeel((ctx) =>
    initKeel(ctx, cliActor(), {
      programmeFile: options.programme ? resolve(options.programme) : undefined,
      withReferenceDeals: options.reference,
    }),
  );
  const config = configFromEnv();
  process.stdout.write(
    `Keel is ready on ${config.databaseUrl ? 'the PostgreSQL server in DATABASE_URL' : config.dataDir}\n` +
      `taxonomy: ${report.taxonomy.areas} areas, ${report.taxonomy.subAreas} sub-areas\n` +
      `programme version ${report.programmeVersion}, counting methodology v${report.methodologyVersion}\n` +
      `reference deals: ${report.referenceDeals}\n`,
  );
  return 0;
}

/** `npm start`: initialise on first run, then show the programme (the web app arrives with the API). */
export async function startCommand(): Promise<number> {
  const summary = await withKeel(async (ctx) => {
    if (!(await isInitialised(ctx.database.db))) {
      process.stderr.write(
        'First start: loading the taxonomy, the reference programme and the public reference deals…\n',
      );
    }
    await initKeel(ctx, cliActor());
    return programmeSummary(ctx, cliActor());
  });
  process.stdout.write(`${renderSummary(summary)}\n`);
  return 0;
}
