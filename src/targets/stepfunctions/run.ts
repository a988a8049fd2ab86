/**
 * Run, target step-functions: one execution per workflow run attempt (a deterministic name, so a re-run
 * of the same attempt follows its execution instead of starting a duplicate), its ARN and run id set at
 * once; the wait (execution.ts), and the facts of the execution read back for verify. Before the
 * execution starts, every group's function is made invokable (an idle one is Inactive: see
 * src/aws/lambda.ts `ensureFunctionActive`).
 */
import * as core from '@actions/core';
import { ensureFunctionsActive } from '../../aws/lambda';
import { describeExecution, startExecution } from '../../aws/stepfunctions';
import { type LoadedPlan, originOf, required } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { runIdentity } from '../../context/identity';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { callThroughOutage } from '../../lib/wait';
import { awsName } from '../../plan/names';
import { executionConsoleUrl } from '../../report/links';
import type { RunFacts } from '../backend';
import { awsOutagePolicy, waitFailure } from '../outage';
import { POST_STATE_EXECUTION } from './cancel';
import { type ExecutionOutcome, failureMessage, waitForExecution } from './execution';
import { writeSummary } from './summary';

/**
 * The execution's name: the same run identity (src/context/identity.ts: the step of the workflow run
 * attempt and what defines the run) gives the same name, so the step run again follows its execution;
 * another step, job, attempt, plan, image or params gives another. Outside Actions: the run id.
 */
export function executionName(stage: string, runId: string, env: NodeJS.ProcessEnv, identity: string): string {
  const ghRun = env.GITHUB_RUN_ID;
  if (ghRun) {
    return awsName('execution', [
      stage,
      `run${ghRun}`,
      `attempt${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
      identity.slice(0, 10),
    ]);
  }
  return awsName('execution', [stage, runId.replace(/[^A-Za-z0-9]+/g, '')]);
}

export interface ExecutionHandle {
  executionArn: string;
  runId: string;
}

export async function startStateMachineRun(
  ctx: ModeContext,
  loaded: LoadedPlan,
  freshRunId: string,
): Promise<ExecutionHandle> {
  const { deployment } = loaded;
  const stateMachineArn = required(ctx, STATE.stateMachineArn, 'mode "deploy"');
  const input = JSON.stringify({
    run_id: freshRunId,
    runtime_params: loaded.plan.runtime_params,
    env: deployment.env,
    origin: originOf(ctx),
  });
  const name = executionName(deployment.stage, freshRunId, ctx.env, runIdentity(ctx, loaded, freshRunId));
  // A function left idle for weeks is Inactive, and the first invocation of it fails: wake them first.
  const functions = deployment.groups.filter((g) => g.settings.compute === 'lambda').map((g) => g.names.lambdaFunction);
  for (const { name: fn, readiness } of await ensureFunctionsActive(ctx.aws().lambda, functions)) {
    core.info(
      readiness === 'reactivated'
        ? `Lambda function ${fn} was Inactive (idle): invoked once to reactivate it, and it is Active again`
        : `Lambda function ${fn} was not ready (being created or updated): waited until it was`,
    );
  }
  const execution = await startExecution(ctx.aws().sfn, { stateMachineArn, name, input });
  const runId = (JSON.parse(execution.input) as { run_id?: string }).run_id ?? freshRunId;
  core.info(
    execution.started
      ? `Started execution ${name} (run id ${runId}): ${executionConsoleUrl(execution.executionArn)}`
      : `Execution ${name} was started by this same step with the same plan, image and params; following it (run id ${runId})`,
  );
  ctx.remember({ [STATE.executionArn]: execution.executionArn, [STATE.runId]: runId });
  ctx.setOutput(OUTPUT.executionArn, execution.executionArn);
  ctx.setOutput(OUTPUT.runId, runId);
  return { executionArn: execution.executionArn, runId };
}

/** One read of the execution, retried through an outage as the wait's polls are. */
async function readThroughOutage<T>(ctx: ModeContext, call: () => Promise<T>, executionArn: string): Promise<T> {
  try {
    return await callThroughOutage(call, {
      backoff: { initialSeconds: ctx.inputs.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
      clock: ctx.clock,
      outage: awsOutagePolicy,
    });
  } catch (error) {
    throw waitFailure(error, `reading execution ${executionArn}`, undefined);
  }
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

/**
 * Waits for the execution. The post step stops it if the job is cancelled (or times out) meanwhile:
 * the execution is recorded for it while this waits, and the record is cleared however the wait ends
 * by itself (an error of the step included: the run goes on, and the error says so), so that a record
 * the post step still finds means the step was killed.
 */
export async function waitForStateMachineRun(
  ctx: ModeContext,
  { plan, deployment }: LoadedPlan,
  handle: ExecutionHandle,
): Promise<RunFacts> {
  const { sfn } = ctx.aws();
  const { executionArn, runId } = handle;
  core.saveState(POST_STATE_EXECUTION, executionArn);
  let outcome: ExecutionOutcome;
  try {
    outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
  } finally {
    core.saveState(POST_STATE_EXECUTION, '');
  }
  return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: plan.runtime_params });
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
    summary: (checks, unchecked) =>
      writeSummary(ctx, sfn, {
        deployment,
        executionArn,
        runId,
        status: outcome.status,
        ...(checks ? { checks } : {}),
        ...(unchecked ? { unchecked } : {}),
      }),
  };
}

/** The execution `run` left (or the `execution-arn` input), waited for when it still runs. */
export async function stateMachineRunFacts(ctx: ModeContext, { deployment }: LoadedPlan): Promise<RunFacts> {
  const executionArn = required(ctx, STATE.executionArn, 'mode "run"');
  const { sfn } = ctx.aws();
  const read = () => readThroughOutage(ctx, () => describeExecution(sfn, executionArn), executionArn);
  let execution = await read();
  const input = JSON.parse(execution.input ?? '{}') as { run_id?: string; runtime_params?: unknown };
  const runId = input.run_id ?? required(ctx, STATE.runId, 'mode "run"');
  if (execution.status === 'RUNNING') {
    core.info('The execution is still running; waiting for it');
    const outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
    if (outcome.timeout !== undefined) {
      return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: input.runtime_params });
    }
    execution = await read();
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
    summary: (checks, unchecked) =>
      writeSummary(ctx, sfn, {
        deployment,
        executionArn,
        runId,
        status,
        ...(checks ? { checks } : {}),
        ...(unchecked ? { unchecked } : {}),
      }),
  };
}
