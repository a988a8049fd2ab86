/**
 * Target step-functions, executor aws: one Lambda function per group (compute: lambda) or a Batch job
 * (compute: batch) inside one state machine whose waiting follows the group graph.
 */
import { describeExecution } from '../../aws/stepfunctions';
import type { Backend } from '../backend';
import { deployStateMachine } from './deploy';
import { type ExecutionHandle, startStateMachineRun, stateMachineRunFacts, waitForStateMachineRun } from './run';
import { teardownStateMachine } from './teardown';

export function stepFunctionsBackend(): Backend<ExecutionHandle> {
  return {
    name: 'step-functions',
    imageKind: 'lambda',
    detachedNote: 'Not waiting ("wait: false"): the execution goes on without this workflow.',
    deploy: deployStateMachine,
    start: startStateMachineRun,
    leaseRun: (handle) => ({ execution_arn: handle.executionArn }),
    stillRunning: async (ctx, run) => {
      if (!run.execution_arn) return undefined;
      const { status } = await describeExecution(ctx.aws().sfn, run.execution_arn);
      return status === 'RUNNING' || status === 'PENDING_REDRIVE';
    },
    wait: waitForStateMachineRun,
    facts: stateMachineRunFacts,
    teardown: teardownStateMachine,
  };
}
