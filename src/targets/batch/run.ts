/**
 * Run, target batch: every group submitted as a job up front (each with `dependsOn` the job ids of its
 * dependencies, joins for wide fan-in), `batch-job-ids` and `run-id` set at once. No driver: once the
 * jobs are submitted the run goes on by itself (Batch starts a job when its dependencies succeeded, and
 * fails it when one failed), so `wait: false` can stop right there. The wait is wait.ts's.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import { SubmitError, submitJobs, terminateJobs } from '../../aws/batch';
import { resolveRegion } from '../../aws/clients';
import { type LoadedPlan, stageTags } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { INPUT } from '../../inputs';
import { ActionError } from '../../lib/errors';
import { type BatchJob, type BatchJobGraph, buildJobGraph, submitJobRequest } from '../../plan/batch';
import { batchJobConsoleUrl } from '../../report/links';
import type { RunFacts } from '../backend';
import { waitFailure } from '../outage';
import { POST_STATE_BATCH_JOBS, type PostBatchState } from './cancel';
import { batchPlatform } from './platform';
import { batchFailureMessage, writeBatchSummary } from './report';
import {
  type BatchOutcome,
  DEFAULT_RUNNABLE_WARNING_MINUTES,
  JobsTimeoutError,
  terminateIndependentJobs,
  waitForJobs,
} from './wait';

export interface BatchRunOptions {
  /** The job queue; default: the `batch-job-queue` input. */
  jobQueue?: string;
  /** The job definition; default: the `job-definition-arn` input, else what deploy left in the state. */
  jobDefinitionArn?: string;
  runnableWarningMinutes?: number;
  /** A client of its own (tests: another emulator); default: the step's. */
  client?: BatchClient;
}

/** A submitted run, for the wait. */
export interface BatchHandle {
  runId: string;
  jobQueue: string;
  region: string;
  graph: BatchJobGraph;
  /** Job ids, in the order of `graph.jobs`. */
  ids: string[];
  groupIds: Record<string, string>;
}

const warn = (message: string) => core.warning(message);

export async function submitBatchRun(
  ctx: ModeContext,
  { plan, deployment }: LoadedPlan,
  runId: string,
  options: BatchRunOptions = {},
): Promise<BatchHandle> {
  const { inputs } = ctx;
  if (inputs.executor === 'local') {
    throw new ActionError(
      'input "executor": local runs the Step Functions target only; use target step-functions, or executor aws',
    );
  }
  const jobQueue = options.jobQueue ?? inputs.batchJobQueue;
  if (!jobQueue) {
    throw new ActionError(
      `input "${INPUT.batchJobQueue}" is required by mode "run" with target batch: the AWS Batch job queue the jobs go to`,
    );
  }
  const jobDefinition = options.jobDefinitionArn ?? ctx.get(STATE.jobDefinitionArn);
  if (!jobDefinition) {
    throw new ActionError(
      `no "${STATE.jobDefinitionArn}": run mode "deploy" earlier in this job (same stage "${inputs.stage}"), ` +
        `or give the "${INPUT.jobDefinitionArn}" input`,
    );
  }
  const batch = options.client ?? ctx.aws().batch;
  // The jobs' resources must suit where they run (a join job too); AWS refuses a job definition of the
  // other platform at submit.
  const platform = await batchPlatform(ctx, batch, jobQueue, 'run');
  const graph = buildJobGraph(deployment, platform);
  const run = { jobQueue, jobDefinition, runId, runtimeParams: plan.runtime_params, tags: stageTags(ctx, deployment) };

  core.info(
    `Submitting ${graph.jobs.length} job(s) to ${jobQueue} (run id ${runId}): ${deployment.groups.length} group(s)` +
      (graph.joins ? ` and ${graph.joins} join(s)` : ''),
  );
  let ids: string[];
  try {
    ids = await submitJobs(
      batch,
      graph.jobs.length,
      (i, before) => submitJobRequest(graph.jobs[i] as BatchJob, run, before),
      {
        terminateReason: `kedro-aws-action: a later job of run ${runId} could not be submitted`,
        warn,
      },
    );
  } catch (error) {
    if (!(error instanceof SubmitError)) throw error;
    const left = error.submitted.length
      ? `\nThe ${error.submitted.length} job(s) submitted before it were terminated.`
      : '\nNo job was submitted.';
    throw new ActionError(`${error.message}${left}`);
  }
  const groupIds = Object.fromEntries(
    deployment.groups.map((g) => [g.name, ids[graph.groupJob.get(g.name) as number] as string]),
  );
  ctx.remember({ [STATE.runId]: runId, [STATE.batchJobIds]: JSON.stringify(groupIds) });
  ctx.setOutput(OUTPUT.batchJobIds, JSON.stringify(groupIds));
  ctx.setOutput(OUTPUT.runId, runId);
  const region = resolveRegion(inputs.awsRegion, ctx.env);
  const listed = deployment.groups.slice(0, 50);
  for (const g of listed)
    core.info(`  ${g.name}: job ${groupIds[g.name]} (${batchJobConsoleUrl(region, groupIds[g.name]!)})`);
  if (deployment.groups.length > listed.length) {
    core.info(
      `  and ${deployment.groups.length - listed.length} more (the "${OUTPUT.batchJobIds}" output lists them all)`,
    );
  }
  return { runId, jobQueue, region, graph, ids, groupIds };
}

/**
 * Waits for the submitted jobs. The post step terminates them if the job is cancelled (or times out)
 * meanwhile: they are recorded for it while this waits, and the record is cleared however the wait
 * ends by itself (an error of the step included: the jobs go on, and the error says so).
 * When a group failed, the run's jobs that do not depend on it are terminated before this returns.
 * Past `timeout-minutes` the unfinished jobs are terminated (or left, `on-timeout: leave`) and the run
 * is TIMED_OUT: reported like a failed one.
 */
export async function waitForBatchRun(
  ctx: ModeContext,
  { plan, deployment }: LoadedPlan,
  handle: BatchHandle,
  options: BatchRunOptions = {},
): Promise<RunFacts> {
  const { inputs } = ctx;
  const { runId, jobQueue, region, graph, ids, groupIds } = handle;
  const batch = options.client ?? ctx.aws().batch;
  const post: PostBatchState = { region, runId, jobIds: ids };
  core.saveState(POST_STATE_BATCH_JOBS, JSON.stringify(post));
  let outcome: BatchOutcome;
  let timeout: string | undefined;
  try {
    outcome = await waitForJobs(batch, graph, ids, {
      timeoutMinutes: inputs.timeoutMinutes,
      pollIntervalSeconds: inputs.pollIntervalSeconds,
      clock: ctx.clock,
      runnableWarningMinutes: options.runnableWarningMinutes ?? DEFAULT_RUNNABLE_WARNING_MINUTES,
      jobQueue,
    });
  } catch (error) {
    core.saveState(POST_STATE_BATCH_JOBS, '');
    if (!(error instanceof JobsTimeoutError)) {
      throw waitFailure(
        error,
        `waiting for the ${ids.length} job(s) of run ${runId}`,
        `The jobs were left running (run id ${runId}, queue ${jobQueue}; output "${OUTPUT.batchJobIds}" lists them).`,
      );
    }
    outcome = { status: 'TIMED_OUT', progress: error.progress };
    if (inputs.onTimeout === 'stop') {
      let terminated: string[] | undefined;
      try {
        terminated = await terminateJobs(
          batch,
          ids,
          `kedro-aws-action stopped waiting after ${inputs.timeoutMinutes} minute(s)`,
          warn,
        );
      } catch (stopError) {
        timeout =
          `the run was still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes") and its jobs could not ` +
          `be terminated (${(stopError as Error).message}); they may still be running (run id ${runId}, queue ${jobQueue})`;
      }
      if (terminated) {
        timeout =
          `the run was still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"), so its ${terminated.length} ` +
          `unfinished job(s) were terminated (run id ${runId}, queue ${jobQueue})`;
      }
    } else {
      timeout =
        `the run is still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"); its jobs were left running ` +
        `("on-timeout: leave") (run id ${runId}, queue ${jobQueue})`;
    }
  }
  core.saveState(POST_STATE_BATCH_JOBS, '');
  let note = '';
  if (outcome.failure) {
    const terminated = await terminateIndependentJobs(batch, graph, ids, outcome, runId);
    if (terminated.length) {
      note = `\n${terminated.length} job(s) of the run that do not depend on it were terminated; those that do fail with it.`;
    }
  }
  const failure = outcome.failure;
  return {
    runId,
    status: outcome.status,
    startDate: undefined,
    runtimeParams: plan.runtime_params,
    source: `Batch jobs ${Object.values(groupIds).join(', ')}`,
    successLine: `All ${deployment.groups.length} group(s) SUCCEEDED (run id ${runId})`,
    failure: async () =>
      timeout ??
      (failure
        ? `${batchFailureMessage(failure.group, failure.job, region)}${note}`
        : `the run ended ${outcome.status}`),
    summary: (checks, unchecked) =>
      writeBatchSummary(ctx, deployment, {
        runId,
        region,
        groupIds,
        outcome,
        ...(checks ? { checks } : {}),
        ...(unchecked ? { unchecked } : {}),
      }),
  };
}
