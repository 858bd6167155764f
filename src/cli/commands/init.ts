import { resolve } from 'node:path';
import { initKeel } from '../../app/init.ts';
import { configFromEnv } from '../../app/open.ts';
import { cliActor, withKeel } from '../session.ts';

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
      `reference deals: ${report.referenceDeals}\n` +
      (report.publicRecord
        ? `public record: ${report.publicRecord.reportedDeals} reported deals, ${report.publicRecord.peerAwards} peer awards, ${report.publicRecord.statements} statements\n`
        : ''),
  );
  return 0;
}
