/**
 * Target step-functions, executor local: the stage is deployed as for Step Functions (to AWS, or the
 * emulator AWS_ENDPOINT_URL points at), and a run executes the same definition on the runner, each
 * group in a Python process of its own. This module (and with it aws-local-stepfunctions) is loaded
 * only when `executor: local` is chosen.
 */
import type { Backend } from '../backend';
import { deployStateMachine } from '../stepfunctions/deploy';
import { teardownStateMachine } from '../stepfunctions/teardown';
import { type LocalRun, localRunFacts, recordedLocalRunFacts, runLocal } from './run';

export function localBackend(): Backend<LocalRun> {
  return {
    name: 'local',
    imageKind: 'lambda',
    detachedNote: undefined,
    deploy: deployStateMachine,
    start: runLocal,
    // The run happens in this step: its lease is held for as long, and expires if the step dies.
    leaseRun: () => ({}),
    stillRunning: async () => undefined,
    wait: async (ctx, { plan, deployment }, run) =>
      localRunFacts(ctx, deployment, { ...run, runtimeParams: plan.runtime_params, source: 'local run' }),
    facts: async (ctx, loaded) => recordedLocalRunFacts(ctx, loaded),
    teardown: teardownStateMachine,
  };
}
