/**
 * Facts, target batch: a run read back from its jobs (the `batch-job-ids` that `run` left), waited for
 * first when it is still going (as `run` waits). For `verify` and the summary.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import { describeJobs, FINISHED_STATUSES } from '../../aws/batch';
import { resolveRegion } from '../../aws/clients';
import { loadPlan, required } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { STATE } from '../../context/state';
import { ActionError } from '../../lib/errors';
import { callThroughOutage, WaitTimeoutError } from '../../lib/wait';
import { buildJobGraph } from '../../plan/batch';
import { awsOutagePolicy, waitFailure } from '../outage';
import { batchFailureMessage } from './report';
import { type BatchOutcome, DEFAULT_RUNNABLE_WARNING_MINUTES, type GroupProgress, waitForJobs } from './wait';

/** What `verify` needs to know of a Batch run (read back from its jobs). */
export interface BatchRunFacts {
  runId: string;
  /** SUCCEEDED when every group's job did, FAILED when one failed, else RUNNING. */
  status: 'SUCCEEDED' | 'FAILED' | 'RUNNING';
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
      if (!(error instanceof WaitTimeoutError)) {
        throw waitFailure(error, `waiting for the jobs of the run`, 'The jobs were left running.');
      }
      throw new ActionError(`the run is still going after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes")`);
    }
    jobs = await readJobs();
  }
  const failed = order.filter((g) => statusOf(g) === 'FAILED');
  // The root cause first: a job failed by its own run, not by a failed dependency.
  const root =
    failed.find((g) => !/^Dependent Job failed/i.test(jobs.get(groupIds[g])?.statusReason ?? '')) ?? failed[0];
  const status = failed.length ? 'FAILED' : order.every((g) => statusOf(g) === 'SUCCEEDED') ? 'SUCCEEDED' : 'RUNNING';
  const first = jobs.get(groupIds[order[0] as string]);
  let runtimeParams: Record<string, unknown> = {};
  try {
    runtimeParams = JSON.parse(first?.parameters?.runtime_params ?? '{}') as Record<string, unknown>;
  } catch {
    runtimeParams = {};
  }
  const created = [...jobs.values()].map((j) => j.createdAt).filter((t): t is number => typeof t === 'number');
  const progress = new Map<string, GroupProgress>(
    order.map((g) => {
      const detail = jobs.get(groupIds[g]);
      return [g, detail ? { status: detail.status ?? 'UNKNOWN', detail } : { status: 'UNKNOWN' }];
    }),
  );
  return {
    runId: first?.parameters?.run_id ?? required(ctx, STATE.runId, 'mode "run"'),
    status,
    startDate: created.length ? new Date(Math.min(...created)) : undefined,
    runtimeParams,
    groupIds,
    failure: root ? batchFailureMessage(root, jobs.get(groupIds[root])!, region) : undefined,
    outcome: {
      status: failed.length ? 'FAILED' : 'SUCCEEDED',
      ...(root ? { failure: { group: root, job: jobs.get(groupIds[root])! } } : {}),
      progress,
    },
  };
}
