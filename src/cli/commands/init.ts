import { initKeel } from '../../app/init.ts';
import { callerPath, out } from '../io.ts';
import { cliActor, withKeel } from '../session.ts';

export async function initCommand(options: {
  programme?: string | undefined;
  reference: boolean;
}): Promise<number> {
  const { report, where } = await withKeel(async (ctx) => ({
    report: await initKeel(ctx, cliActor(), {
      programmeFile: options.programme ? callerPath(options.programme) : undefined,
      withReferenceDeals: options.reference,
    }),
    where: ctx.database.kind === 'postgres' ? 'the PostgreSQL server in DATABASE_URL' : ctx.database.location,
  }));
  out(
    `Keel is ready on ${where}\n` +
      `taxonomy: ${report.taxonomy.areas} areas, ${report.taxonomy.subAreas} sub-areas\n` +
      `programme version ${report.programmeVersion}, counting methodology v${report.methodologyVersion}\n` +
      `reference deals: ${report.referenceDeals}\n` +
      (report.publicRecord
        ? `public record: ${report.publicRecord.reportedDeals} reported deals, ${report.publicRecord.peerAwards} peer awards, ${report.publicRecord.statements} statements\n`
        : ''),
  );
  return 0;
}
