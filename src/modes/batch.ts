/**
 * Target batch: `deploy` registers the stage's job definition, `run` submits every group as a job up
 * front (each with `dependsOn` the job ids of its dependencies, joins for wide fan-in) and waits
 * cheaply, and the post step terminates the run's unfinished jobs when the workflow was cancelled.
 *
 * No driver: once the jobs are submitted the run goes on by itself (Batch starts a job when its
 * dependencies succeeded, and fails it when one failed), so `wait: false` can stop right there.
 *
 * Waiting. One DescribeJobs call per 100 jobs, and only for the jobs that can have moved: a group's
 * job is asked about once all the groups it waits for have SUCCEEDED (before that it can only sit in
 * PENDING, or fail because a dependency failed, which the dependency's own job shows first), and never
 * again once it has finished. Polls back off from `poll-interval-seconds` to 30 s with jitter
 * (src/wait.ts). Each group's transitions are logged; a job that sits in RUNNABLE longer than a
 * threshold gets a warning (the queue has no capacity for it). The first failed group ends the wait:
 * the message names the group, Batch's status reason, the container's exit code and reason and the
 * log stream (`/aws/batch/job`); the run's jobs that do not depend on it are terminated (Batch fails
 * those that do), as Step Functions stops the other branches of a failed execution.
 */
import * as core from '@actions/core';
import type { BatchClient, JobDetail } from '@aws-sdk/client-batch';
import {
  FINISHED_STATUSES,
  type JobDefinitionResult,
  SubmitError,
  batchClient,
  describeJobs,
  ensureJobDefinition,
  submitJobs,
  terminateJobs,
} from '../aws/batch';
import { resolveRegion } from '../aws/clients';
import { ActionError } from '../errors';
import type { OutputName } from '../outputs';
import {
  type BatchJob,
  type BatchJobGraph,
  batchSettingsProblems,
  buildJobGraph,
  jobDefinitionSpec,
  submitJobRequest,
} from '../plan/batch';
import { PlanningError } from '../plan/errors';
import type { DeploymentPlan } from '../plan/planner';
import { formatDuration } from '../report/format';
import { arnRegion, logGroupConsoleUrl } from '../report/links';
import {
  type ReportGroup,
  type RunReport,
  renderSummary,
  reportGroupsFromPlan,
  reportOutputsFromVerify,
} from '../report/summary';
import type { OutputCheck as VerifiedOutput } from '../verify/expected';
import { STATE, type State } from '../state';
import { type WaitClock, WaitTimeoutError, pollUntil } from '../wait';
import { kedroRunId, loadPlan, required, stageTags } from './common';
import { publishReport } from './publish';
import type { ModeContext } from './context';


// ---------------------------------------------------------------------------------------------
// Names of the Batch inputs, outputs and state keys (to move into inputs.ts, outputs.ts, state.ts).

export const BATCH_INPUT = {
  jobQueue: 'batch-job-queue',
  jobRoleArn: 'batch-job-role-arn',
  jobDefinitionArn: 'job-definition-arn',
} as const;

export const BATCH_OUTPUT = {
  jobDefinitionArn: 'job-definition-arn',
  batchJobIds: 'batch-job-ids',
} as const;

export const BATCH_STATE = {
  jobDefinitionArn: 'job-definition-arn',
  batchJobIds: 'batch-job-ids',
} as const;

/** The post step terminates the jobs recorded under this key (JSON {@link PostBatchState}). */
export const POST_STATE_BATCH_JOBS = 'waiting-batch-jobs';

/** A job in RUNNABLE longer than this many minutes gets a warning (no capacity). */
export const DEFAULT_RUNNABLE_WARNING_MINUTES = 10;

/** The CloudWatch log group of Batch jobs (the awslogs driver's default). */
export const BATCH_LOG_GROUP = '/aws/batch/job';

/** The Batch fields of the inputs, read this way until inputs.ts has them. */
interface BatchInputs {
  batchJobQueue?: string;
  batchJobRoleArn?: string;
  jobDefinitionArn?: string;
}

export interface BatchDeployOptions {
  /** The `batch-job-role-arn` input (default: ctx.inputs.batchJobRoleArn once inputs.ts has it). */
  jobRoleArn?: string;
  /** A client of its own (tests: another emulator); default: ctx.aws().batch, or one built like it. */
  client?: BatchClient;
  /**
   * True when the job definition is for the `compute: batch` groups of a Step Functions machine
   * (target step-functions): only those groups' settings are checked against Batch's limits. Default:
   * target batch, every group runs as a job.
   */
  forStateMachine?: boolean;
}

export interface BatchRunOptions {
  /** The `batch-job-queue` input (default: ctx.inputs.batchJobQueue once inputs.ts has it). */
  jobQueue?: string;
  /** The `job-definition-arn` input; default: what deploy left in the state. */
  jobDefinitionArn?: string;
  runnableWarningMinutes?: number;
  client?: BatchClient;
}

function batchInputs(ctx: ModeContext): BatchInputs {
  return ctx.inputs as unknown as BatchInputs;
}

const clients = new WeakMap<ModeContext, BatchClient>();

/** The Batch client of a mode: the context's (once clients.ts has one), else one built the same way. */
export function batchOf(ctx: ModeContext, override?: BatchClient): BatchClient {
  if (override) return override;
  const shared = (ctx.aws() as unknown as { batch?: BatchClient }).batch;
  if (shared) return shared;
  let client = clients.get(ctx);
  if (!client) {
    client = batchClient({
      region: resolveRegion(ctx.inputs.awsRegion, ctx.env),
      maxAttempts: ctx.inputs.maxRetries,
      env: ctx.env,
      credentials: ctx.credentials(),
    });
    clients.set(ctx, client);
  }
  return client;
}

function setOutput(ctx: ModeContext, name: string, value: string): void {
  ctx.setOutput(name as OutputName, value);
}

function remember(ctx: ModeContext, update: Record<string, string>): void {
  ctx.remember(update as State);
}

function valueOf(ctx: ModeContext, key: string): string | undefined {
  return ctx.get(key as Parameters<ModeContext['get']>[0]);
}

// ---------------------------------------------------------------------------------------------
// deploy

/**
 * mode: deploy, target batch. Registers a revision of the stage's job definition for the image
 * unless the latest ACTIVE one already matches; outputs its ARN.
 */
export async function deployBatch(ctx: ModeContext, options: BatchDeployOptions = {}): Promise<JobDefinitionResult> {
  const { plan, deployment } = loadPlan(ctx);
  const imageUri = required(ctx, STATE.imageUri, 'mode "build"');
  const jobRoleArn = options.jobRoleArn ?? batchInputs(ctx).batchJobRoleArn;
  if (!jobRoleArn) {
    throw new ActionError(
      `input "${BATCH_INPUT.jobRoleArn}" is required by mode "deploy" with target batch: the IAM role the jobs run as ` +
        '(it needs the S3 access of the datasets)',
    );
  }
  // Settings Batch would refuse are refused now, before anything is changed.
  const onBatch = options.forStateMachine ? deployment.groups.filter((g) => g.settings.compute === 'batch') : deployment.groups;
  const problems = batchSettingsProblems(onBatch);
  if (problems.length > 0) throw new PlanningError(problems);
  const joins = options.forStateMachine ? 0 : buildJobGraph(deployment).joins;
  const spec = jobDefinitionSpec(deployment, {
    imageUri,
    jobRoleArn,
    packageName: plan.project.package_name,
    tags: stageTags(ctx, deployment),
  });
  const result = await ensureJobDefinition(batchOf(ctx, options.client), spec);
  const what = result.change === 'updated' ? ` (${result.differences.join(', ')})` : '';
  core.info(`Job definition ${spec.jobDefinitionName} revision ${result.revision} ${result.change}${what}: ${result.arn}`);
  core.info(
    `  ${onBatch.length} group(s) will run as jobs of it` +
      (joins ? `, with ${joins} join job(s) for dependencies beyond 20 per job` : ''),
  );
  remember(ctx, { [BATCH_STATE.jobDefinitionArn]: result.arn });
  setOutput(ctx, BATCH_OUTPUT.jobDefinitionArn, result.arn);
  return result;
}

// ---------------------------------------------------------------------------------------------
// run

/** What the post step needs to terminate a run's jobs. */
export interface PostBatchState {
  region: string;
  runId: string;
  jobIds: string[];
}

export interface GroupProgress {
  status: string;
  /** Our clock when the job was first seen RUNNABLE (cleared when it leaves RUNNABLE). */
  runnableSince?: number;
  warned?: boolean;
  detail?: JobDetail;
}

export interface BatchOutcome {
  status: 'SUCCEEDED' | 'FAILED';
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
}

/**
 * mode: run, target batch. Submits the run's jobs, sets `batch-job-ids` and `run-id` at once, then
 * waits unless `wait: false`, and fails the step unless every group SUCCEEDED.
 */
export async function runBatch(ctx: ModeContext, options: BatchRunOptions = {}): Promise<BatchOutcome | undefined> {
  const { inputs } = ctx;
  const { deployment } = loadPlan(ctx);
  const jobQueue = options.jobQueue ?? batchInputs(ctx).batchJobQueue;
  if (!jobQueue) {
    throw new ActionError(
      `input "${BATCH_INPUT.jobQueue}" is required by mode "run" with target batch: the AWS Batch job queue the jobs go to`,
    );
  }
  const jobDefinition =
    options.jobDefinitionArn ?? batchInputs(ctx).jobDefinitionArn ?? valueOf(ctx, BATCH_STATE.jobDefinitionArn);
  if (!jobDefinition) {
    throw new ActionError(
      `no "${BATCH_STATE.jobDefinitionArn}": run mode "deploy" earlier in this job (same stage "${inputs.stage}"), ` +
        `or give the "${BATCH_INPUT.jobDefinitionArn}" input`,
    );
  }
  const batch = batchOf(ctx, options.client);
  const graph = buildJobGraph(deployment);
  const runId = inputs.runId ?? kedroRunId(new Date(ctx.clock.now()));
  const run = { jobQueue, jobDefinition, runId, runtimeParams: inputs.runtimeParams, tags: stageTags(ctx, deployment) };

  core.info(
    `Submitting ${graph.jobs.length} job(s) to ${jobQueue} (run id ${runId}): ${deployment.groups.length} group(s)` +
      (graph.joins ? ` and ${graph.joins} join(s)` : ''),
  );
  let ids: string[];
  try {
    ids = await submitJobs(batch, graph.jobs.length, (i, before) => submitJobRequest(graph.jobs[i] as BatchJob, run, before), {
      terminateReason: `kedro-aws-action: a later job of run ${runId} could not be submitted`,
    });
  } catch (error) {
    if (!(error instanceof SubmitError)) throw error;
    const left = error.submitted.length
      ? `\nThe ${error.submitted.length} job(s) submitted before it were terminated.`
      : '\nNo job was submitted.';
    throw new ActionError(`${error.message}${left}`);
  }
  const groupIds = Object.fromEntries(deployment.groups.map((g) => [g.name, ids[graph.groupJob.get(g.name) as number] as string]));
  remember(ctx, { [STATE.runId]: runId, [BATCH_STATE.batchJobIds]: JSON.stringify(groupIds) });
  setOutput(ctx, BATCH_OUTPUT.batchJobIds, JSON.stringify(groupIds));
  setOutput(ctx, 'run-id', runId);
  const region = resolveRegion(inputs.awsRegion, ctx.env);
  const listed = deployment.groups.slice(0, 50);
  for (const g of listed) core.info(`  ${g.name}: job ${groupIds[g.name]} (${batchJobConsoleUrl(region, groupIds[g.name]!)})`);
  if (deployment.groups.length > listed.length) {
    core.info(`  and ${deployment.groups.length - listed.length} more (the "${BATCH_OUTPUT.batchJobIds}" output lists them all)`);
  }

  if (!inputs.wait) {
    setOutput(ctx, 'status', 'RUNNING');
    core.info('Not waiting ("wait: false"): the jobs go on without this workflow (Batch starts each after its dependencies).');
    return undefined;
  }
  const post: PostBatchState = { region, runId, jobIds: ids };
  core.saveState(POST_STATE_BATCH_JOBS, JSON.stringify(post));
  let outcome: BatchOutcome;
  try {
    outcome = await waitForJobs(batch, graph, ids, {
      timeoutMinutes: inputs.timeoutMinutes,
      pollIntervalSeconds: inputs.pollIntervalSeconds,
      clock: ctx.clock,
      runnableWarningMinutes: options.runnableWarningMinutes ?? DEFAULT_RUNNABLE_WARNING_MINUTES,
      jobQueue,
    });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    core.saveState(POST_STATE_BATCH_JOBS, '');
    setOutput(ctx, 'status', 'TIMED_OUT');
    if (inputs.onTimeout === 'stop') {
      const terminated = await terminateJobs(batch, ids, `kedro-aws-action stopped waiting after ${inputs.timeoutMinutes} minute(s)`);
      throw new ActionError(
        `the run was still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"), so its ${terminated.length} ` +
          `unfinished job(s) were terminated (run id ${runId}, queue ${jobQueue})`,
      );
    }
    throw new ActionError(
      `the run is still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"); its jobs were left running ` +
        `("on-timeout: leave") (run id ${runId}, queue ${jobQueue})`,
    );
  }
  core.saveState(POST_STATE_BATCH_JOBS, '');
  setOutput(ctx, 'status', outcome.status);
  // With verify next in this step, verify writes the one summary (with the outputs it checked).
  if (!inputs.modes.includes('verify')) await writeBatchSummary(ctx, deployment, { runId, region, groupIds, outcome });
  if (outcome.failure) {
    const terminated = await terminateIndependentJobs(batch, graph, ids, outcome, runId);
    const note = terminated.length
      ? `\n${terminated.length} job(s) of the run that do not depend on it were terminated; those that do fail with it.`
      : '';
    throw new ActionError(`${batchFailureMessage(outcome.failure.group, outcome.failure.job, region)}${note}`);
  }
  core.info(`All ${deployment.groups.length} group(s) SUCCEEDED (run id ${runId})`);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Waiting.

function groupJob(graph: BatchJobGraph, group: string): BatchJob {
  return graph.jobs[graph.groupJob.get(group) as number] as BatchJob;
}

/**
 * Polls the group jobs of a run until all SUCCEEDED or one FAILED (see the module comment for which
 * jobs each poll asks about). Throws WaitTimeoutError after `timeoutMinutes`.
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

  return pollUntil<BatchOutcome>(
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
          core.warning(`Batch does not know the job of group "${group}" (${ids[graph.groupJob.get(group) as number]}) any more`);
        }
      }
      warnLongRunnable(progress, now, thresholdMs, options.jobQueue);
      if (failed.length > 0) {
        const order = new Map(groups.map((g, i) => [g, i]));
        const first = [...failed].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] as string;
        return { done: true, value: { status: 'FAILED', failure: { group: first, job: progress.get(first)!.detail! }, progress } };
      }
      if (unfinished.size === 0) return { done: true, value: { status: 'SUCCEEDED', progress } };
      return { done: false };
    },
    {
      timeoutMs: options.timeoutMinutes * 60_000,
      backoff: { initialSeconds: options.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
      clock: options.clock,
    },
  );
}

function transitionNote(job: JobDetail): string {
  if (job.status === 'SUCCEEDED' && job.startedAt && job.stoppedAt) return ` (ran ${formatDuration(job.stoppedAt - job.startedAt)})`;
  if (job.status === 'FAILED') return `: ${job.statusReason ?? 'no status reason'}`;
  return '';
}

/** One warning per round for the jobs that have just passed the RUNNABLE threshold. */
function warnLongRunnable(progress: Map<string, GroupProgress>, now: number, thresholdMs: number, jobQueue: string): void {
  const late = [...progress.entries()].filter(
    ([, p]) => p.status === 'RUNNABLE' && !p.warned && p.runnableSince !== undefined && now - p.runnableSince >= thresholdMs,
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
      "check that its compute environments are ENABLED and VALID, that their maxvCpus leave room, and that their " +
      "instance types have the vCPUs and memory a job asks for (a job that fits no instance type waits forever).",
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
    [...outcome.progress.entries()].filter(([, p]) => p.status === 'FAILED').map(([g]) => graph.groupJob.get(g) as number),
  );
  // Jobs are in dependency order: one pass finds every job behind a failed one.
  const behind = new Set<number>(failedIdx);
  for (const job of graph.jobs) if (job.dependsOn.some((d) => behind.has(d))) behind.add(job.index);
  const candidates = graph.jobs
    .filter((j) => !behind.has(j.index))
    .filter((j) => j.kind === 'join' || !FINISHED_STATUSES.has(outcome.progress.get(j.group as string)?.status ?? ''))
    .map((j) => ids[j.index] as string);
  if (candidates.length === 0) return [];
  return terminateJobs(client, candidates, `kedro-aws-action: group "${outcome.failure?.group}" of run ${runId} failed`);
}

// ---------------------------------------------------------------------------------------------
// Reporting.

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
}

export function batchJobConsoleUrl(region: string, jobId: string): string {
  return `${consoleHost(region)}/batch/home?region=${region}#jobs/detail/${jobId}`;
}

export function logStreamConsoleUrl(region: string, logGroup: string, stream: string): string {
  const encoded = encodeURIComponent(encodeURIComponent(stream)).replace(/%/g, '$');
  return `${logGroupConsoleUrl(region, logGroup)}/log-events/${encoded}`;
}

/** The log stream of a job's last attempt (or of the job). */
function logStreamOf(job: JobDetail): string | undefined {
  return job.attempts?.at(-1)?.container?.logStreamName ?? job.container?.logStreamName ?? undefined;
}

/** The failure as a message a user can act on: which group, why Batch says it failed, the container, the logs. */
export function batchFailureMessage(group: string, job: JobDetail, fallbackRegion: string): string {
  const region = job.jobArn ? arnRegion(job.jobArn) : fallbackRegion;
  const lines = [`group "${group}" failed: ${job.statusReason ?? 'Batch gave no status reason'}`];
  const container = job.container;
  const attempts = job.attempts ?? [];
  if (container?.exitCode !== undefined || container?.reason) {
    const exit = container.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`;
    lines.push(`container: ${exit}${container.reason ? `, ${container.reason}` : ''}`);
  }
  if (attempts.length > 1) {
    const each = attempts.map((a, i) => {
      const code = a.container?.exitCode === undefined ? '' : ` exit code ${a.container.exitCode}`;
      return `#${i + 1}${code}${a.statusReason ? ` (${a.statusReason})` : ''}`;
    });
    lines.push(`attempts: ${each.join('; ')}`);
  }
  const stream = logStreamOf(job);
  lines.push(
    stream
      ? `logs: ${BATCH_LOG_GROUP}, stream ${stream} (${logStreamConsoleUrl(region, BATCH_LOG_GROUP, stream)})`
      : `logs: none (the container never started); ${BATCH_LOG_GROUP} (${logGroupConsoleUrl(region, BATCH_LOG_GROUP)})`,
  );
  if (job.jobId) lines.push(`job: ${job.jobName ?? ''} ${job.jobId} (${batchJobConsoleUrl(region, job.jobId)})`);
  return lines.join('\n');
}

function reportStatus(status: string): ReportGroup['status'] {
  if (status === 'SUCCEEDED' || status === 'FAILED') return status;
  if (status === 'STARTING' || status === 'RUNNING') return 'RUNNING';
  return 'PENDING';
}

/**
 * The job summary of a Batch run: the graph coloured by status, the groups' times, the jobs, the
 * failure, and the outputs verify checked (`checks`, when verify writes it).
 */
export async function writeBatchSummary(
  ctx: ModeContext,
  deployment: DeploymentPlan,
  run: { runId: string; region: string; groupIds: Record<string, string>; outcome: BatchOutcome; checks?: VerifiedOutput[] },
): Promise<void> {
  const { outcome, region } = run;
  const logsOf = (job: JobDetail | undefined) => {
    const stream = job ? logStreamOf(job) : undefined;
    return stream
      ? { group: BATCH_LOG_GROUP, stream, url: logStreamConsoleUrl(region, BATCH_LOG_GROUP, stream) }
      : undefined;
  };
  const failureJob = outcome.failure?.job;
  const report: RunReport = {
    project: deployment.project,
    stage: deployment.stage,
    env: deployment.env,
    target: 'batch',
    executor: 'aws',
    runId: run.runId,
    status: outcome.status,
    jobs: Object.fromEntries(
      Object.entries(run.groupIds).map(([g, jobId]) => [g, { jobId, consoleUrl: batchJobConsoleUrl(region, jobId) }]),
    ),
    groups: reportGroupsFromPlan(deployment).map((g) => {
      const p = outcome.progress.get(g.name);
      const job = p?.detail;
      const logs = logsOf(job);
      return {
        ...g,
        compute: 'batch' as const,
        status: reportStatus(p?.status ?? 'PENDING'),
        ...(job?.startedAt ? { start: new Date(job.startedAt) } : {}),
        ...(job?.stoppedAt ? { end: new Date(job.stoppedAt) } : {}),
        ...(logs ? { logs } : {}),
      };
    }),
    ...(outcome.failure && failureJob
      ? (() => {
          const logs = logsOf(failureJob);
          return {
            failure: {
              group: outcome.failure.group,
              error: failureJob.statusReason ?? 'FAILED',
              cause: batchFailureMessage(outcome.failure.group, failureJob, region),
              ...(logs ? { logs } : {}),
            },
          };
        })()
      : {}),
    ...(run.checks ? { outputs: reportOutputsFromVerify(run.checks) } : {}),
  };
  await publishReport(ctx, report);
}

// ---------------------------------------------------------------------------------------------
// For verify: what a Batch run was.

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
  const raw = valueOf(ctx, BATCH_STATE.batchJobIds);
  const groupIds = options.groupIds ?? (raw ? (JSON.parse(raw) as Record<string, string>) : undefined);
  if (!groupIds || Object.keys(groupIds).length === 0) {
    throw new ActionError(`no "${BATCH_STATE.batchJobIds}": run mode "run" earlier in this job (same stage "${ctx.inputs.stage}")`);
  }
  const { deployment } = loadPlan(ctx);
  const batch = batchOf(ctx, options.client);
  const region = resolveRegion(ctx.inputs.awsRegion, ctx.env);
  const order = deployment.groups.map((g) => g.name).filter((g) => groupIds[g] !== undefined);
  let jobs = new Map((await describeJobs(batch, order.map((g) => groupIds[g] as string))).map((j) => [j.jobId, j]));
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
      if (!(error instanceof WaitTimeoutError)) throw error;
      throw new ActionError(`the run is still going after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes")`);
    }
    jobs = new Map((await describeJobs(batch, order.map((g) => groupIds[g] as string))).map((j) => [j.jobId, j]));
  }
  const failed = order.filter((g) => statusOf(g) === 'FAILED');
  // The root cause first: a job failed by its own run, not by a failed dependency.
  const root = failed.find((g) => !/^Dependent Job failed/i.test(jobs.get(groupIds[g])?.statusReason ?? '')) ?? failed[0];
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

// ---------------------------------------------------------------------------------------------
// The post step.

/**
 * For the post step: when the main step was cancelled (or died) while waiting on a run's jobs,
 * terminate those that have not finished. Jobs left running on purpose (`wait: false`) are never
 * recorded, so never terminated. Never throws (a post step only warns).
 */
export async function terminateBatchRunOnPost(options: { client?: BatchClient; state?: string } = {}): Promise<string[]> {
  const raw = options.state ?? core.getState(POST_STATE_BATCH_JOBS);
  if (!raw) return [];
  try {
    const state = JSON.parse(raw) as PostBatchState;
    const client = options.client ?? batchClient({ region: resolveRegion(state.region), maxAttempts: 5 });
    const terminated = await terminateJobs(
      client,
      state.jobIds,
      `the GitHub Actions job was cancelled while waiting for run ${state.runId}`,
    );
    if (terminated.length) {
      core.warning(`Terminated ${terminated.length} unfinished Batch job(s) of run ${state.runId}: the job ended while waiting for them.`);
    }
    return terminated;
  } catch (error) {
    core.warning(`Could not terminate the Batch jobs of the run: ${(error as Error).message}`);
    return [];
  }
}
