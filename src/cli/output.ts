/** Plain-text tables and the progress bar. Output goes to stdout; progress and errors to stderr. */
import cliProgress from 'cli-progress';
import { hosted } from './io.ts';

export function table(
  headers: string[],
  rows: Array<Array<string | number>>,
  align: Array<'l' | 'r'> = [],
): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/**
 * A progress bar on a terminal; on a pipe (CI, scripts) nothing, so logs stay clean. `update` may carry a
 * note on the step under way (the optimiser's stage and gap).
 */
export function progressBar(
  label: string,
  unit = 'rows',
): { update: (done: number, total: number, note?: string) => void; stop(): void } {
  if (hosted() || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta}s left {note}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, note = '') {
      if (!started) {
        bar.start(total, 0, { note });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { note });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * Ctrl-C aborts long work instead of killing the process, so its transaction rolls back cleanly. Run by a
 * server for a caller, the caller's Ctrl-C closes its connection, which aborts the same way.
 */
export function cancelOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const io = hosted();
  if (io) return { signal: io.signal, dispose: () => {} };
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('cancelled by the user'));
  process.once('SIGINT', onSignal);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSignal) };
}
