/**
 * Run, target step-functions: one execution per workflow run attempt (a deterministic name, so a re-run
 * of the same attempt follows its execution instead of starting a duplicate), its ARN and run id set at
 * once; the wait (execution.ts), and the facts of the execution read back for verify.
 */
import * as core from '@actions/core';
import { describeExecution, startExecution } from '../../aws/stepfunctions';
import { type LoadedPlan, required } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { awsName } from '../../plan/names';
import { executionConsoleUrl } from '../../report/links';
import type { RunFacts } from '../backend';
import { POST_STATE_EXECUTION } from './cancel';
import { type ExecutionOutcome, failureMessage, waitForExecution } from './execution';
import { writeSummary } from './summary';

/** Same workflow run attempt → same name; another attempt or a local run → another name. */
export function executionName(stage: string, runId: string, env: NodeJS.ProcessEnv): string {
  const ghRun = env.GITHUB_RUN_ID;
  if (ghRun) return awsName('execution', [stage, `run${ghRun}`, `attempt${env.GITHUB_RUN_ATTEMPT ?? '1'}`]);
  return awsName('execution', [stage, runId.replace(/[^A-Za-z0-9]+/g, '')]);
}

export interface ExecutionHandle {
  executionArn: string;
  runId: string;
}

export async function startStateMachineRun(
  ctx: ModeContext,
  { deployment }: LoadedPlan,
  freshRunId: string,
): Promise<ExecutionHandle> {
  const stateMachineArn = required(ctx, STATE.stateMachineArn, 'mode "deploy"');
  const input = JSON.stringify({ run_id: freshRunId, runtime_params: ctx.inputs.runtimeParams, env: deployment.env });
  const name = executionName(deployment.stage, freshRunId, ctx.env);
  const execution = await startExecution(ctx.aws().sfn, { stateMachineArn, name, input });
  const runId = (JSON.parse(execution.input) as { run_id?: string }).run_id ?? freshRunId;
  core.info(
    execution.started
      ? `Started execution ${name} (run id ${runId}): ${executionConsoleUrl(execution.executionArn)}`
      : `Execution ${name} already exists for this workflow run attempt; following it (run id ${runId})`,
  );
  ctx.remember({ [STATE.executionArn]: execution.executionArn, [STATE.runId]: runId });
  ctx.setOutput(OUTPUT.executionArn, execution.executionArn);
  ctx.setOutput(OUTPUT.runId, runId);
  return { executionArn: execution.executionArn, runId };
}

function waitOptions(ctx: ModeContext) {
  const { inputs } = ctx;
  return {
    timeoutMinutes: inputs.timeoutMinutes,
    pollIntervalSeconds: inputs.pollIntervalSeconds,
    onTimeout: inputs.onTimeout,
    clock: ctx.clock,
  };
}

/** Waits for the execution; the post step stops it if the job is cancelled meanwhile. */
export async function waitForStateMachineRun(
  ctx: ModeContext,
  { deployment }: LoadedPlan,
  handle: ExecutionHandle,
): Promise<RunFacts> {
  const { sfn } = ctx.aws();
  const { executionArn, runId } = handle;
  core.saveState(POST_STATE_EXECUTION, executionArn);
  const outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
  core.saveState(POST_STATE_EXECUTION, '');
  return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: ctx.inputs.runtimeParams });
}

function executionRunFacts(
  ctx: ModeContext,
  deployment: LoadedPlan['deployment'],
  executionArn: string,
  run: { runId: string; outcome: ExecutionOutcome; runtimeParams: unknown },
): RunFacts {
  const { sfn } = ctx.aws();
  const { runId, outcome } = run;
  return {
    runId,
    status: outcome.status,
    startDate: outcome.startDate,
    runtimeParams: run.runtimeParams,
    source: executionArn,
    successLine: `Execution SUCCEEDED (run id ${runId})`,
    failure: async () => failureMessage(outcome, executionArn, deployment),
    summary: (checks) =>
      writeSummary(ctx, sfn, {
        deployment,
        executionArn,
        runId,
        status: outcome.status,
        ...(checks ? { checks } : {}),
      }),
  };
}

/** The execution `run` left (or the `execution-arn` input), waited for when it still runs. */
export async function stateMachineRunFacts(ctx: ModeContext, { deployment }: LoadedPlan): Promise<RunFacts> {
  const executionArn = required(ctx, STATE.executionArn, 'mode "run"');
  const { sfn } = ctx.aws();
  let execution = await describeExecution(sfn, executionArn);
  const input = JSON.parse(execution.input ?? '{}') as { run_id?: string; runtime_params?: unknown };
  const runId = input.run_id ?? required(ctx, STATE.runId, 'mode "run"');
  if (execution.status === 'RUNNING') {
    core.info('The execution is still running; waiting for it');
    const outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
    if (outcome.timeout !== undefined) {
      return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: input.runtime_params });
    }
    execution = await describeExecution(sfn, executionArn);
  }
  const status = execution.status ?? 'UNKNOWN';
  return {
    runId,
    status,
    startDate: execution.startDate,
    runtimeParams: input.runtime_params,
    source: executionArn,
    successLine: `Execution SUCCEEDED (run id ${runId})`,
    failure: async () =>
      // The execution has ended: this reads its history once and reports the failure as `run` does.
      failureMessage(await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx)), executionArn, deployment),
    summary: (checks) =>
      writeSummary(ctx, sfn, { deployment, executionArn, runId, status, ...(checks ? { checks } : {}) }),
  };
}
