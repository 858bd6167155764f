// Worker thread: HiGHS (WebAssembly) solves one LP-format model per message. The solve is synchronous, so
// it runs here to keep the server's event loop free; the parent enforces the time limit through HiGHS.
import { parentPort } from 'node:worker_threads';
import loadHighs from 'highs';

const highs = await loadHighs();
parentPort.on('message', ({ id, text, options }) => {
  try {
    const started = performance.now();
    const solution = highs.solve(text, options);
    parentPort.postMessage({
      id,
      solution: {
        Status: solution.Status,
        ObjectiveValue: solution.ObjectiveValue,
        Columns: solution.Columns,
        Rows: solution.Rows,
      },
      seconds: (performance.now() - started) / 1000,
    });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
