import { readFileSync } from 'node:fs';
import { IMPORT_KINDS, type ImportKind, importFile, importText } from '../../app/import.ts';
import { KeelError } from '../../domain/errors.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { cancelOnInterrupt, progressBar } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

export async function importCommand(
  kind: string | undefined,
  file: string | undefined,
  options: { key?: string | undefined },
): Promise<number> {
  if (!kind || !IMPORT_KINDS.includes(kind as ImportKind))
    throw new UsageError(`import what? expected one of ${IMPORT_KINDS.join(', ')}`);
  if (!file) throw new UsageError(`keel import ${kind} needs a CSV file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(callerPath(file));
  } catch (error) {
    throw new KeelError(
      'unreadable_file',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const text = importText(kind as ImportKind, bytes);
  const bar = progressBar(`importing ${kind}`);
  const cancel = cancelOnInterrupt();
  try {
    const outcome = await withKeel((ctx) =>
      importFile(ctx, cliActor(), kind as ImportKind, text, {
        key: options.key,
        onProgress: bar.update,
        signal: cancel.signal,
      }),
    );
    bar.stop();
    out(
      outcome.replayed
        ? `${file}: already imported (same file, key ${options.key ?? 'from its SHA-256'}); nothing changed\n`
        : `${file}: imported ${outcome.rows} ${kind} row(s)\n`,
    );
    return 0;
  } finally {
    bar.stop();
    cancel.dispose();
  }
}
