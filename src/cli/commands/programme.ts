import { readFileSync } from 'node:fs';
import { loadProgramme, programmeHistory } from '../../app/programme.ts';
import { KeelError } from '../../domain/errors.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

export async function programmeCommand(
  action: string | undefined,
  file: string | undefined,
): Promise<number> {
  if (action === 'load') {
    if (!file) throw new UsageError('keel programme load FILE.json');
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(callerPath(file), 'utf8'));
    } catch (error) {
      throw new KeelError('unreadable_file', `cannot read ${file} as JSON: ${(error as Error).message}`);
    }
    const { result, replayed } = await withKeel((ctx) => loadProgramme(ctx, cliActor(), document));
    out(
      replayed || result.unchanged
        ? `${file} is already loaded (programme version ${result.version}); nothing changed\n`
        : `loaded ${file} as programme version ${result.version}, counting methodology v${result.methodologyVersion}\n`,
    );
    return 0;
  }
  if (action === 'history') {
    const rows = await withKeel((ctx) => programmeHistory(ctx.database.db));
    out(
      `${table(
        ['version', 'methodology', 'loaded at', 'by', 'sha256'],
        rows.map((r) => [
          r.version,
          r.methodology_version,
          r.loaded_at,
          r.loaded_by,
          r.document_sha256.slice(0, 12),
        ]),
      )}\n`,
    );
    return 0;
  }
  throw new UsageError('keel programme load FILE.json | keel programme history');
}
