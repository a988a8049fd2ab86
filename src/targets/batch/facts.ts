/**
 * Facts, target batch: a run read back from its jobs (the `batch-job-ids` that `run` left), waited for
 * first when it is still going (as `run` waits). For `verify` and the summary.
 */
import * as core from '@actions/core';
import type { BatchClient, JobDetail } from '@aws-sdk/client-batch';
import { describeJobs, FINISHED_STATUSES } from '../../aws/batch';
import { resolveRegion } from '../../aws/clients';
import { loadPlan, required } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { STATE } from '../../context/state';
import { ActionError } from '../../lib/errors';
import { callThroughOutage } from '../../lib/wait';
import { buildJobGraph } from '../../plan/batch';
import { awsOutagePolicy, waitFailure } from '../outage';
import { batchFailureMessage } from './report';
import {
  type BatchOutcome,
  DEFAULT_RUNNABLE_WARNING_MINUTES,
  type GroupProgress,
  JobsTimeoutError,
  waitForJobs,
} from './wait';

/** What `verify` needs to know of a Batch run (read back from its jobs). */
export interface BatchRunFacts {
  runId: string;
  /** SUCCEEDED when every group's job did, FAILED when one failed, TIMED_OUT when the wait gave up, else RUNNING. */
  status: 'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'TIMED_OUT';
  /** When the first job was created (Batch's clock): outputs written before it are not this run's. */
  startDate: Date | undefined;
  /** The runtime params the jobs ran with. */
  runtimeParams: Record<string, unknown>;
  groupIds: Record<string, string>;
  /** Why the run failed, naming the group (as `run` says it), when it did. */
  failure: string | undefined;
  /** The jobs as the summary shows them (for {@link writeBatchSummary}). */
  outcome: BatchOutcome;
}

/**
 * Reads a Batch run back from its jobs (the `batch-job-ids` that `run` left), waiting for it first
 * when it is still going (like `run` waits). For `verify`.
 */
export async function batchRunFacts(
  ctx: ModeContext,
  options: { client?: BatchClient; groupIds?: Record<string, string>; runnableWarningMinutes?: number } = {},
): Promise<BatchRunFacts> {
  const raw = ctx.get(STATE.batchJobIds);
  const groupIds = options.groupIds ?? (raw ? (JSON.parse(raw) as Record<string, string>) : undefined);
  if (!groupIds || Object.keys(groupIds).length === 0) {
    throw new ActionError(
      `no "${STATE.batchJobIds}": run mode "run" earlier in this job (same stage "${ctx.inputs.stage}")`,
    );
  }
  const { deployment } = loadPlan(ctx);
  const batch = options.client ?? ctx.aws().batch;
  const region = resolveRegion(ctx.inputs.awsRegion, ctx.env);
  const order = deployment.groups.map((g) => g.name).filter((g) => groupIds[g] !== undefined);
  const readJobs = async () => {
    const ids = order.map((g) => groupIds[g] as string);
    try {
      const read = await callThroughOutage(() => describeJobs(batch, ids), {
        backoff: { initialSeconds: ctx.inputs.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
        clock: ctx.clock,
        outage: awsOutagePolicy,
      });
      return new Map(read.map((j) => [j.jobId, j]));
    } catch (error) {
      throw waitFailure(error, `reading the jobs of the run (${ids.length} job(s))`, undefined);
    }
  };
  let jobs = await readJobs();
  const statusOf = (g: string) => jobs.get(groupIds[g])?.status ?? 'UNKNOWN';
  if (!order.some((g) => statusOf(g) === 'FAILED') && order.some((g) => !FINISHED_STATUSES.has(statusOf(g)))) {
    core.info('The run is still going; waiting for its jobs');
    const graph = buildJobGraph(deployment);
    const ids = graph.jobs.map((j) => (j.kind === 'group' ? (groupIds[j.group as string] ?? '') : ''));
    try {
      await waitForJobs(batch, graph, ids, {
        timeoutMinutes: ctx.inputs.timeoutMinutes,
        pollIntervalSeconds: ctx.inputs.pollIntervalSeconds,
        clock: ctx.clock,
        runnableWarningMinutes: options.runnableWarningMinutes ?? DEFAULT_RUNNABLE_WARNING_MINUTES,
        jobQueue: 'the job queue',
      });
    } catch (error) {
      if (!(error instanceof JobsTimeoutError)) {
        throw waitFailure(error, `waiting for the jobs of the run`, 'The jobs were left running.');
      }
      // Left running: this step only stopped waiting for it.
      return {
        runId: first(jobs, groupIds, order)?.parameters?.run_id ?? required(ctx, STATE.runId, 'mode "run"'),
        status: 'TIMED_OUT',
        startDate: startOf(jobs),
        runtimeParams: runtimeParamsOf(first(jobs, groupIds, order)),
        groupIds,
        failure: `the run is still going after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes")`,
        outcome: { status: 'TIMED_OUT', progress: error.progress },
      };
    }
    jobs = await readJobs();
  }
  const failed = order.filter((g) => statusOf(g) === 'FAILED');
  // The root cause first: a job failed by its own run, not by a failed dependency.
  const root =
    failed.find((g) => !/^Dependent Job failed/i.test(jobs.get(groupIds[g])?.statusReason ?? '')) ?? failed[0];
  const status = failed.length ? 'FAILED' : order.every((g) => statusOf(g) === 'SUCCEEDED') ? 'SUCCEEDED' : 'RUNNING';
  const firstJob = first(jobs, groupIds, order);
  const progress = new Map<string, GroupProgress>(
    order.map((g) => {
      const detail = jobs.get(groupIds[g]);
      return [g, detail ? { status: detail.status ?? 'UNKNOWN', detail } : { status: 'UNKNOWN' }];
    }),
  );
  return {
    runId: firstJob?.parameters?.run_id ?? required(ctx, STATE.runId, 'mode "run"'),
    status,
    startDate: startOf(jobs),
    runtimeParams: runtimeParamsOf(firstJob),
    groupIds,
    failure: root ? batchFailureMessage(root, jobs.get(groupIds[root])!, region) : undefined,
    outcome: {
      status: failed.length ? 'FAILED' : 'SUCCEEDED',
      ...(root ? { failure: { group: root, job: jobs.get(groupIds[root])! } } : {}),
      progress,
    },
  };
}

/** The job of the first group (its parameters hold the run id and the runtime params). */
function first(jobs: Map<string | undefined, JobDetail>, groupIds: Record<string, string>, order: string[]) {
  return jobs.get(groupIds[order[0] as string]);
}

/** When the first job was created (Batch's clock). */
function startOf(jobs: Map<string | undefined, JobDetail>): Date | undefined {
  const created = [...jobs.values()].map((j) => j.createdAt).filter((t): t is number => typeof t === 'number');
  return created.length ? new Date(Math.min(...created)) : undefined;
}

function runtimeParamsOf(job: JobDetail | undefined): Record<string, unknown> {
  try {
    return JSON.parse(job?.parameters?.runtime_params ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}
