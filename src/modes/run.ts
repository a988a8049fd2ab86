/**
 * mode: run, target step-functions. Starts one execution (a deterministic name per workflow run
 * attempt, so a re-run of the same attempt never starts a duplicate), sets its ARN and run id at once,
 * then waits unless `wait: false`, and fails the step unless the execution SUCCEEDED.
 */
import * as core from '@actions/core';
import { startExecution } from '../aws/stepfunctions';
import { ActionError } from '../errors';
import { OUTPUT } from '../outputs';
import { awsName } from '../plan/names';
import { executionConsoleUrl } from '../report/links';
import { STATE } from '../state';
import { kedroRunId, loadPlan, required } from './common';

export { kedroRunId };
import type { ModeContext } from './context';
import { failureMessage, waitForExecution } from './execution';
import { writeSummary } from './summary';
import { runModeLocal } from '../local/run';
import { runBatch } from './batch';

/** The post step stops an execution recorded under this key when the job was cancelled while waiting. */
export const POST_STATE_EXECUTION = 'waiting-execution-arn';


/** Same workflow run attempt → same name; another attempt or a local run → another name. */
export function executionName(stage: string, runId: string, env: NodeJS.ProcessEnv): string {
  const ghRun = env.GITHUB_RUN_ID;
  if (ghRun) return awsName('execution', [stage, `run${ghRun}`, `attempt${env.GITHUB_RUN_ATTEMPT ?? '1'}`]);
  return awsName('execution', [stage, runId.replace(/[^A-Za-z0-9]+/g, '')]);
}

export async function runMode(ctx: ModeContext): Promise<void> {
  const { inputs } = ctx;
  if (inputs.target === 'batch') {
    if (inputs.executor === 'local') {
      throw new ActionError('input "executor": local runs the Step Functions target only; use target step-functions, or executor aws');
    }
    await runBatch(ctx);
    return;
  }
  if (inputs.executor === 'local') {
    await runModeLocal(ctx, inputs.runId ?? kedroRunId(new Date(ctx.clock.now())));
    return;
  }
  const { deployment } = loadPlan(ctx);
  const stateMachineArn = required(ctx, STATE.stateMachineArn, 'mode "deploy"');
  const { sfn } = ctx.aws();

  const freshRunId = inputs.runId ?? kedroRunId(new Date(ctx.clock.now()));
  const input = JSON.stringify({ run_id: freshRunId, runtime_params: inputs.runtimeParams, env: deployment.env });
  const name = executionName(deployment.stage, freshRunId, ctx.env);
  const execution = await startExecution(sfn, { stateMachineArn, name, input });
  const runId = (JSON.parse(execution.input) as { run_id?: string }).run_id ?? freshRunId;
  core.info(
    execution.started
      ? `Started execution ${name} (run id ${runId}): ${executionConsoleUrl(execution.executionArn)}`
      : `Execution ${name} already exists for this workflow run attempt; following it (run id ${runId})`,
  );
  ctx.remember({ [STATE.executionArn]: execution.executionArn, [STATE.runId]: runId });
  ctx.setOutput(OUTPUT.executionArn, execution.executionArn);
  ctx.setOutput(OUTPUT.runId, runId);

  if (!inputs.wait) {
    ctx.setOutput(OUTPUT.status, 'RUNNING');
    core.info('Not waiting ("wait: false"): the execution goes on without this workflow.');
    return;
  }
  core.saveState(POST_STATE_EXECUTION, execution.executionArn);
  const outcome = await waitForExecution(sfn, execution.executionArn, deployment, {
    timeoutMinutes: inputs.timeoutMinutes,
    pollIntervalSeconds: inputs.pollIntervalSeconds,
    onTimeout: inputs.onTimeout,
    clock: ctx.clock,
  });
  core.saveState(POST_STATE_EXECUTION, '');
  ctx.setOutput(OUTPUT.status, outcome.status);
  // With verify next in this step, verify writes the one summary (with the outputs it checked).
  if (!inputs.modes.includes('verify')) {
    await writeSummary(ctx, sfn, { deployment, executionArn: execution.executionArn, runId, status: outcome.status });
  }
  if (outcome.status !== 'SUCCEEDED') {
    throw new ActionError(failureMessage(outcome, execution.executionArn, deployment));
  }
  core.info(`Execution SUCCEEDED (run id ${runId})`);
}
