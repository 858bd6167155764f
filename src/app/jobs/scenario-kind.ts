/**
 * A scenario run as a durable job. The run is written under a key the server makes from the job's id, claimed
 * inside the run's own transaction (as an import's file hash is): a job taken over after its runner died runs
 * again and meets the stored run, so the run is written once. Starting the job is itself a write under the
 * client's Idempotency-Key (startJobOnce): the same key twice is one job.
 */
import { z } from 'zod';
import { slug } from '../../domain/fields.ts';
import { authorize } from '../../domain/roles.ts';
import { runSavedScenario } from '../research/scenarios.ts';
import { serverKey } from '../write-key.ts';
import { QUEUES } from './hub.ts';
import { registerJobKind } from './kinds.ts';

export const scenarioRunJobInput = z.object({ scenario: slug });

export const scenarioRunJob = registerJobKind<z.infer<typeof scenarioRunJobInput>>({
  name: 'scenario_run',
  queue: QUEUES.work,
  input: scenarioRunJobInput,
  authorize: (actor) => authorize(actor, 'research.read'),
  writes: true,
  label: 'scenario run',
  noEffect: 'no run was stored',
  async run(ctx, actor, input, control) {
    const written = await runSavedScenario(
      ctx,
      actor,
      serverKey('scenario-run-job', control.id),
      input.scenario,
      (done, total) => control.onProgress(done, total, { done, total }, done === total),
      { signal: control.signal },
    );
    return { result: { ...written.result, replayed: written.replayed } };
  },
});
