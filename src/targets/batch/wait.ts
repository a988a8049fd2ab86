/**
 * Waiting on a Batch run. One DescribeJobs call per 100 jobs, and only for the jobs that can have
 * moved: a group's job is asked about once all the groups it waits for have SUCCEEDED (before that it
 * can only sit in PENDING, or fail because a dependency failed, which the dependency's own job shows
 * first), and never again once it has finished. Polls back off from `poll-interval-seconds` to 30 s
 * with jitter (src/wait.ts). Each group's transitions are logged; a job that sits in RUNNABLE longer
 * than a threshold gets a warning (the queue has no capacity for it). The first failed group ends the
 * wait; the run's jobs that do not depend on it are terminated (Batch fails those that do), as Step
 * Functions stops the other branches of a failed execution. The wait goes on through an outage
 * (network errors, server errors, throttling) for five minutes in a row, with notices (../outage.ts).
 */
import * as core from '@actions/core';
import type { BatchClient, JobDetail } from '@aws-sdk/client-batch';
import { describeJobs, FINISHED_STATUSES, terminateJobs } from '../../aws/batch';
import { type OutagePolicy, pollUntil, type WaitClock, WaitTimeoutError } from '../../lib/wait';
import type { BatchJob, BatchJobGraph } from '../../plan/batch';
import { formatDuration } from '../../report/format';
import { awsOutagePolicy } from '../outage';

/** A job in RUNNABLE longer than this many minutes gets a warning (no capacity). */
export const DEFAULT_RUNNABLE_WARNING_MINUTES = 10;

export interface GroupProgress {
  status: string;
  /** Our clock when the job was first seen RUNNABLE (cleared when it leaves RUNNABLE). */
  runnableSince?: number;
  warned?: boolean;
  detail?: JobDetail;
}

export interface BatchOutcome {
  /** TIMED_OUT: the wait gave up ("timeout-minutes") before the run ended. */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  /** The first group that failed (dependency order), with Batch's description of its job. */
  failure?: { group: string; job: JobDetail };
  progress: Map<string, GroupProgress>;
}

export interface WaitOptions {
  timeoutMinutes: number;
  pollIntervalSeconds: number;
  clock: WaitClock;
  runnableWarningMinutes: number;
  jobQueue: string;
  /** How failing calls are waited through; default: network, server errors and throttling, with notices. */
  outage?: OutagePolicy;
}

function groupJob(graph: BatchJobGraph, group: string): BatchJob {
  return graph.jobs[graph.groupJob.get(group) as number] as BatchJob;
}

/** The wait gave up after `timeoutMinutes`; `progress` is where each group's job was last seen. */
export class JobsTimeoutError extends WaitTimeoutError {
  constructor(
    waitedMs: number,
    readonly progress: Map<string, GroupProgress>,
  ) {
    super(waitedMs);
  }
}

/**
 * Polls the group jobs of a run until all SUCCEEDED or one FAILED (see the module comment for which
 * jobs each poll asks about). Throws a JobsTimeoutError (a WaitTimeoutError) after `timeoutMinutes`,
 * OutageError after five minutes of failing calls, and at once an error that waiting would not fix.
 */
export async function waitForJobs(
  client: BatchClient,
  graph: BatchJobGraph,
  ids: readonly string[],
  options: WaitOptions,
): Promise<BatchOutcome> {
  const groups = graph.jobs.filter((j) => j.kind === 'group').map((j) => j.group as string);
  const progress = new Map<string, GroupProgress>(groups.map((g) => [g, { status: 'SUBMITTED' }]));
  const groupOfId = new Map(groups.map((g) => [ids[graph.groupJob.get(g) as number] as string, g]));
  const unfinished = new Set(groups);
  const failed: string[] = [];
  const warnedMissing = new Set<string>();
  const thresholdMs = options.runnableWarningMinutes * 60_000;

  const poll = pollUntil<BatchOutcome>(
    async () => {
      const now = options.clock.now();
      const ready = [...unfinished].filter((g) =>
        groupJob(graph, g).waitsFor.every((d) => progress.get(d)?.status === 'SUCCEEDED'),
      );
      const asked = ready.map((g) => ids[graph.groupJob.get(g) as number] as string);
      const details = await describeJobs(client, asked);
      const seen = new Set<string>();
      for (const job of details) {
        const group = groupOfId.get(job.jobId ?? '');
        if (group === undefined) continue;
        seen.add(group);
        const p = progress.get(group) as GroupProgress;
        const status = job.status ?? 'UNKNOWN';
        p.detail = job;
        if (status !== p.status) {
          core.info(`  ${group}: ${p.status} → ${status}${transitionNote(job)}`);
          p.status = status;
        }
        if (status === 'RUNNABLE') p.runnableSince ??= now;
        else p.runnableSince = undefined;
        if (FINISHED_STATUSES.has(status)) {
          unfinished.delete(group);
          if (status === 'FAILED') failed.push(group);
        }
      }
      for (const group of ready) {
        if (!seen.has(group) && !warnedMissing.has(group)) {
          warnedMissing.add(group);
          core.warning(
            `Batch does not know the job of group "${group}" (${ids[graph.groupJob.get(group) as number]}) any more`,
          );
        }
      }
      warnLongRunnable(progress, now, thresholdMs, options.jobQueue);
      if (failed.length > 0) {
        const order = new Map(groups.map((g, i) => [g, i]));
        const first = [...failed].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] as string;
        return {
          done: true,
          value: { status: 'FAILED', failure: { group: first, job: progress.get(first)!.detail! }, progress },
        };
      }
      if (unfinished.size === 0) return { done: true, value: { status: 'SUCCEEDED', progress } };
      return { done: false };
    },
    {
      timeoutMs: options.timeoutMinutes * 60_000,
      backoff: { initialSeconds: options.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
      clock: options.clock,
      outage: options.outage ?? awsOutagePolicy,
    },
  );
  return poll.catch((error: unknown) => {
    throw error instanceof WaitTimeoutError ? new JobsTimeoutError(error.waitedMs, progress) : error;
  });
}

function transitionNote(job: JobDetail): string {
  if (job.status === 'SUCCEEDED' && job.startedAt && job.stoppedAt)
    return ` (ran ${formatDuration(job.stoppedAt - job.startedAt)})`;
  if (job.status === 'FAILED') return `: ${job.statusReason ?? 'no status reason'}`;
  return '';
}

/** One warning per round for the jobs that have just passed the RUNNABLE threshold. */
function warnLongRunnable(
  progress: Map<string, GroupProgress>,
  now: number,
  thresholdMs: number,
  jobQueue: string,
): void {
  const late = [...progress.entries()].filter(
    ([, p]) =>
      p.status === 'RUNNABLE' && !p.warned && p.runnableSince !== undefined && now - p.runnableSince >= thresholdMs,
  );
  if (late.length === 0) return;
  for (const [, p] of late) p.warned = true;
  const asks = late
    .slice(0, 10)
    .map(([group, p]) => {
      const r = Object.fromEntries((p.detail?.container?.resourceRequirements ?? []).map((x) => [x.type, x.value]));
      return `"${group}" (${r.VCPU ?? '?'} vCPU, ${r.MEMORY ?? '?'} MiB)`;
    })
    .join(', ');
  core.warning(
    `${late.length} job(s) have waited in RUNNABLE for over ${Math.round(thresholdMs / 60_000)} minute(s): ${asks}` +
      `${late.length > 10 ? ` and ${late.length - 10} more` : ''}. The job queue ${jobQueue} has no capacity for them: ` +
      'check that its compute environments are ENABLED and VALID, that their maxvCpus leave room, and that their ' +
      'instance types have the vCPUs and memory a job asks for (a job that fits no instance type waits forever).',
  );
}

/** Terminates the unfinished jobs of the run that do not depend on a failed group (Batch fails those that do). */
export async function terminateIndependentJobs(
  client: BatchClient,
  graph: BatchJobGraph,
  ids: readonly string[],
  outcome: BatchOutcome,
  runId: string,
): Promise<string[]> {
  const failedIdx = new Set(
    [...outcome.progress.entries()]
      .filter(([, p]) => p.status === 'FAILED')
      .map(([g]) => graph.groupJob.get(g) as number),
  );
  // Jobs are in dependency order: one pass finds every job behind a failed one.
  const behind = new Set<number>(failedIdx);
  for (const job of graph.jobs) if (job.dependsOn.some((d) => behind.has(d))) behind.add(job.index);
  const candidates = graph.jobs
    .filter((j) => !behind.has(j.index))
    .filter((j) => j.kind === 'join' || !FINISHED_STATUSES.has(outcome.progress.get(j.group as string)?.status ?? ''))
    .map((j) => ids[j.index] as string);
  if (candidates.length === 0) return [];
  return terminateJobs(
    client,
    candidates,
    `kedro-aws-action: group "${outcome.failure?.group}" of run ${runId} failed`,
    (m) => core.warning(m),
  );
}
