// Worker thread: HiGHS (WebAssembly) solves one allocation model per message, passed as numeric arrays
// (no LP text to write or parse). The solve is synchronous, so it runs here to keep the server's event
// loop free. While it runs, MIP progress is posted back, and a flag in shared memory that the parent sets
// interrupts it: HiGHS polls its interrupt callbacks between simplex iterations and B&B nodes.
import { parentPort } from 'node:worker_threads';
import loadHighs from 'highs';

const highs = await loadHighs();
const { callbackType, modelStatus, objectiveSense } = highs.constants;
const PROGRESS_EVERY_MS = 100;

const STATUS = new Map([
  [modelStatus.optimal, 'optimal'],
  [modelStatus.empty, 'optimal'],
  [modelStatus.infeasible, 'infeasible'],
  [modelStatus.timeLimit, 'time_limit'],
  [modelStatus.interrupted, 'cancelled'],
]);

parentPort.on('message', ({ id, model, options, cancel }) => {
  try {
    const started = performance.now();
    const stop = new Int32Array(cancel);
    let posted = 0;
    const interrupt = (event) => {
      if (Atomics.load(stop, 0) !== 0) event.interrupt();
    };
    const progress = (event) => {
      interrupt(event);
      const now = performance.now();
      if (now - posted < PROGRESS_EVERY_MS) return;
      posted = now;
      const { mip_primal_bound: primal, mip_dual_bound: dual, mip_gap: gap } = event.data;
      parentPort.postMessage({
        id,
        progress: {
          seconds: (now - started) / 1000,
          incumbent: Number.isFinite(primal) ? primal : null,
          bound: Number.isFinite(dual) ? dual : null,
          gap: Number.isFinite(gap) ? gap : null,
        },
      });
    };
    const result = highs.withModel(
      {
        numCols: model.cost.length,
        numRows: model.rowLower.length,
        sense: objectiveSense.maximize,
        colCost: model.cost,
        colLower: new Float64Array(model.cost.length),
        colUpper: new Float64Array(model.cost.length).fill(1),
        rowLower: model.rowLower,
        rowUpper: model.rowUpper,
        matrix: {
          format: 'csr',
          numRows: model.rowLower.length,
          numCols: model.cost.length,
          starts: model.starts,
          indices: model.index,
          values: model.value,
        },
        integrality: Int32Array.from(model.integer),
      },
      (solver) => {
        solver.options.set({ ...options, output_flag: false });
        const { modelStatus: code } = solver.run({
          [callbackType.simplexInterrupt]: interrupt,
          [callbackType.mipInterrupt]: progress,
        });
        const solution = solver.getSolution();
        return {
          status: STATUS.get(code) ?? 'other',
          statusText: `HiGHS model status ${code}`,
          // HiGHS' primal_solution_status: 2 = a feasible point is at hand.
          feasible: solver.info.get('primal_solution_status') === 2,
          objective: solver.getObjectiveValue(),
          columns: solution.colValue,
          rowActivity: solution.rowValue,
          rowDuals: solution.rowDual,
        };
      },
    );
    parentPort.postMessage({ id, result: { ...result, seconds: (performance.now() - started) / 1000 } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
