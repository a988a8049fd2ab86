/**
 * One AWS Batch job of a `compute: batch` group, emulated: what `batch:submitJob.sync` submits (the
 * Task's parameters) run as a container of the stage's job definition (the one `deploy` registers,
 * src/plan/batch.ts `jobDefinitionSpec`), each attempt a fresh Python process in a sandbox of its own.
 *
 * The container, as Batch and ECS run it:
 * - Command: the job definition's (`python3 -m kedro_aws_action.batch_entry --group Ref::group ...`)
 *   with each `Ref::<name>` replaced by the job's parameter (the SubmitJob `Parameters` over the job
 *   definition's defaults), run by the image's Python: the runner's interpreter with only the image's
 *   packages (`-s -S`, the import path of image.ts), as a Lambda group's.
 * - File system: writable, the container's own: its working directory is a private copy of the image's
 *   task folder (its `conf/`), /tmp and HOME are private folders, all removed when the job ends.
 * - Environment: the image's, the job definition's `environment`, the Task's `ContainerOverrides`
 *   (KEDRO_AWS_RELEASE with schedule exact: the group opens its dependents' gates, through the
 *   executor's Step Functions endpoint), and what the Batch agent sets in every job container:
 *   AWS_BATCH_JOB_ID, AWS_BATCH_JQ_NAME, AWS_BATCH_JOB_ATTEMPT (1 for the first attempt),
 *   AWS_BATCH_CE_NAME (https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html); the
 *   runner's AWS_* and network variables stand for the job role's credentials.
 * - MEMORY (the job's ResourceRequirements, the override over the definition's): a hard limit on the
 *   container; the resident memory of the job's processes is sampled (sandbox.ts) and past it the
 *   container is killed (SIGKILL, exit code 137), reported as ECS and Batch report it: container reason
 *   "OutOfMemoryError: Container killed due to memory usage"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html), status reason
 *   "Essential container in task exited".
 * - VCPU: the process runs on min(vcpus, the runner's CPUs) of the runner's CPUs, those the fewest
 *   other jobs are pinned to (`taskset`; where the runner has none, this is said once and not
 *   enforced), and the job holds as many of the executor's process slots (executor.ts).
 * - Timeout (`attemptDurationSeconds`): past it the container gets SIGTERM, then SIGKILL 30 seconds
 *   later, and the attempt fails with "Job attempt duration exceeded timeout"; a timed-out attempt is
 *   not retried (https://docs.aws.amazon.com/batch/latest/userguide/job_timeouts.html).
 * - Retries (`retryStrategy`): up to `attempts` attempts; after a failed one, the first
 *   `evaluateOnExit` entry whose patterns all match (a missing reason matched as empty text) decides
 *   RETRY or EXIT, and none matching means RETRY
 *   (https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html). The plan's
 *   strategy retries only the infrastructure's failures (an interpreter that cannot start is
 *   `CannotStartContainerError` here), never the group's own exit.
 *
 * Outcome, as `submitJob.sync` gives it to Step Functions: the DescribeJobs job, in Step Functions'
 * PascalCase (JobId, JobName, Status, StatusReason, Container.ExitCode, Attempts, ...), as the Task's
 * result when it SUCCEEDED; otherwise the Task fails with `States.TaskFailed` and that description as
 * the cause.
 *
 * Not emulated: the queue and the compute environment (the job starts at once on the runner),
 * Fargate's fixed vCPU/memory pairs (the settings are checked at `package` and `deploy`), GPUs,
 * the network (the container reaches what the runner reaches). The command runs through the image's
 * ENTRYPOINT (`/bin/sh .../kedro_aws_action/entrypoint.sh`), as the Lambda image of a step-functions stage
 * runs a Batch job's command on AWS.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobDefinitionSpec } from '../../plan/batch';
import { containerEnvironment, type ImageProcessOptions, imagePythonCommand } from './image';
import { type InvokeOutcome, resolveCommand } from './lambda';
import { jobContainerFolders, openSandbox, removeTree, runContained, withCpuAffinity } from './sandbox';

/** Lines of stderr kept for the log tail. */
const LOG_TAIL_LINES = 20;
/** Seconds between SIGTERM and SIGKILL when a job attempt times out (job_timeouts.html). */
export const BATCH_TIMEOUT_GRACE_SECONDS = 30;
/** What Batch says of an attempt stopped at its timeout. */
export const BATCH_TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
/** What ECS says of a container killed past its memory. */
export const BATCH_OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';
/** What ECS says of a job whose container ended (succeeded or not). */
export const BATCH_EXITED_REASON = 'Essential container in task exited';
/** The compute environment a local job is placed in (AWS_BATCH_CE_NAME). */
export const LOCAL_COMPUTE_ENVIRONMENT = 'kedro-aws-local';

/** The parts of a SubmitJob request (as the Task's parameters resolve them) the local job reads. */
export interface SubmitJobRequest {
  JobName?: string;
  JobQueue?: string;
  JobDefinition?: string;
  Parameters?: Record<string, string>;
  ContainerOverrides?: {
    Command?: string[];
    Environment?: { Name: string; Value: string }[];
    ResourceRequirements?: { Type: string; Value: string }[];
  };
  Timeout?: { AttemptDurationSeconds?: number };
  RetryStrategy?: {
    Attempts?: number;
    EvaluateOnExit?: { Action: string; OnStatusReason?: string; OnReason?: string; OnExitCode?: string }[];
  };
  [key: string]: unknown;
}

export interface SubmitLocallyOptions extends ImageProcessOptions {
  /** The job definition `deploy` registers for the stage. */
  jobDefinition: Pick<
    JobDefinitionSpec,
    'jobDefinitionName' | 'parameters' | 'containerProperties' | 'retryStrategy' | 'timeout' | 'platformCapabilities'
  >;
  /** The job, as the Task's parameters give it. */
  request: SubmitJobRequest;
  /** Seconds between SIGTERM and SIGKILL at the timeout; default Batch's 30. */
  graceSeconds?: number;
  /** The clock of the description's times; default Date. */
  now?: () => Date;
}

/** The job's effective settings: the Task's overrides over the job definition. */
export interface EffectiveJob {
  command: string[];
  environment: Record<string, string>;
  vcpus: number;
  memoryMb: number;
  attemptDurationSeconds: number | undefined;
  attempts: number;
  evaluateOnExit: { action: string; onStatusReason?: string; onReason?: string; onExitCode?: string }[];
  parameters: Record<string, string>;
}

/** `Ref::name` in each argument replaced by the parameter, as Batch fills a command. */
export function fillCommand(command: readonly string[], parameters: Readonly<Record<string, string>>): string[] {
  return command.map((arg) =>
    arg.replace(/Ref::([A-Za-z0-9_-]+)/g, (whole, name: string) =>
      Object.hasOwn(parameters, name) ? (parameters[name] as string) : whole,
    ),
  );
}

function resource(
  requirements: readonly { type?: string; Type?: string; value?: string; Value?: string }[] | undefined,
  type: string,
): number | undefined {
  const found = (requirements ?? []).find((r) => (r.Type ?? r.type) === type);
  const value = Number(found?.Value ?? found?.value);
  return found && Number.isFinite(value) ? value : undefined;
}

/** What the job runs with: the SubmitJob request's overrides over the job definition, as Batch merges them. */
export function effectiveJob(
  definition: SubmitLocallyOptions['jobDefinition'],
  request: SubmitJobRequest,
): EffectiveJob {
  const container = definition.containerProperties;
  const parameters = { ...definition.parameters, ...(request.Parameters ?? {}) };
  const overrides = request.ContainerOverrides ?? {};
  const environment: Record<string, string> = {};
  for (const { name, value } of container.environment) environment[name] = value;
  for (const { Name, Value } of overrides.Environment ?? []) environment[Name] = Value;
  const retry = request.RetryStrategy;
  return {
    command: fillCommand(overrides.Command ?? container.command, parameters),
    environment,
    vcpus: resource(overrides.ResourceRequirements, 'VCPU') ?? resource(container.resourceRequirements, 'VCPU') ?? 1,
    memoryMb:
      resource(overrides.ResourceRequirements, 'MEMORY') ?? resource(container.resourceRequirements, 'MEMORY') ?? 2048,
    attemptDurationSeconds: request.Timeout?.AttemptDurationSeconds ?? definition.timeout.attemptDurationSeconds,
    attempts: Math.max(1, retry?.Attempts ?? definition.retryStrategy.attempts),
    // SubmitJob's retryStrategy replaces the job definition's, whole.
    evaluateOnExit: retry
      ? (retry.EvaluateOnExit ?? []).map((e) => ({
          action: e.Action,
          ...(e.OnStatusReason === undefined ? {} : { onStatusReason: e.OnStatusReason }),
          ...(e.OnReason === undefined ? {} : { onReason: e.OnReason }),
          ...(e.OnExitCode === undefined ? {} : { onExitCode: e.OnExitCode }),
        }))
      : [...definition.retryStrategy.evaluateOnExit],
    parameters,
  };
}

/** A Batch glob: exact, or a prefix when it ends with `*` (letters compared as written). */
function globMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  const text = value ?? '';
  return pattern.endsWith('*') ? text.startsWith(pattern.slice(0, -1)) : text === pattern;
}

/** RETRY or EXIT after a failed attempt (API_EvaluateOnExit: the first entry that matches; none: RETRY). */
export function afterFailure(
  entries: readonly EffectiveJob['evaluateOnExit'][number][],
  attempt: { statusReason: string; reason?: string | undefined; exitCode?: number | undefined },
): 'RETRY' | 'EXIT' {
  for (const e of entries) {
    if (
      globMatches(e.onStatusReason, attempt.statusReason) &&
      globMatches(e.onReason, attempt.reason) &&
      globMatches(e.onExitCode, attempt.exitCode === undefined ? undefined : String(attempt.exitCode))
    ) {
      return e.action.toUpperCase() === 'EXIT' ? 'EXIT' : 'RETRY';
    }
  }
  return 'RETRY';
}

interface Attempt {
  Container: { ExitCode?: number; Reason?: string; LogStreamName: string; TaskArn: string };
  StartedAt: number;
  StoppedAt: number;
  StatusReason: string;
}

let affinityNoticeGiven = false;

/** Runs the job to its end, every attempt its retry strategy allows; never throws for what the group did. */
export async function submitLocally(options: SubmitLocallyOptions): Promise<InvokeOutcome> {
  const now = options.now ?? (() => new Date());
  const request = options.request;
  const job = effectiveJob(options.jobDefinition, request);
  const created = now();
  const jobId = randomUUID();
  const hostEnv = options.hostEnv ?? process.env;
  const region = options.env?.AWS_REGION ?? hostEnv.AWS_REGION ?? hostEnv.AWS_DEFAULT_REGION ?? 'us-east-1';
  const queue = request.JobQueue ?? 'kedro-aws-local';
  const definitionName = options.jobDefinition.jobDefinitionName;
  const attempts: Attempt[] = [];
  let peakKib = 0;
  let final: { status: 'SUCCEEDED' | 'FAILED'; statusReason: string } = {
    status: 'FAILED',
    statusReason: 'the job did not start',
  };
  let startedAt: number | undefined;

  for (let number = 1; number <= job.attempts; number += 1) {
    if (options.signal?.aborted) break;
    if (number > 1) options.log(`[batch] attempt ${number} of ${job.attempts} (the retry strategy said RETRY)`);
    const taskId = randomUUID().replace(/-/g, '');
    const logStream = `${definitionName}/default/${taskId}`;
    const ran = await runAttempt(options, job, {
      jobId,
      queue,
      attempt: number,
      onStart: () => {
        startedAt ??= now().getTime();
        options.onStart?.();
      },
    });
    peakKib = Math.max(peakKib, ran.peakKib);
    const attempt: Attempt = {
      Container: {
        ...(ran.exitCode === undefined ? {} : { ExitCode: ran.exitCode }),
        ...(ran.reason === undefined ? {} : { Reason: ran.reason }),
        LogStreamName: logStream,
        TaskArn: `arn:aws:ecs:${region}:000000000000:task/${LOCAL_COMPUTE_ENVIRONMENT}/${taskId}`,
      },
      StartedAt: ran.started.getTime(),
      StoppedAt: now().getTime(),
      StatusReason: ran.statusReason,
    };
    attempts.push(attempt);
    if (ran.succeeded) {
      final = { status: 'SUCCEEDED', statusReason: ran.statusReason };
      break;
    }
    final = { status: 'FAILED', statusReason: ran.statusReason };
    if (ran.aborted || ran.timedOut) break;
    if (number < job.attempts && afterFailure(job.evaluateOnExit, ran) === 'EXIT') break;
  }

  const last = attempts.at(-1);
  const description = {
    Attempts: attempts,
    Container: {
      Command: job.command,
      Environment: Object.entries(job.environment).map(([Name, Value]) => ({ Name, Value })),
      Image: options.jobDefinition.containerProperties.image,
      JobRoleArn: options.jobDefinition.containerProperties.jobRoleArn,
      ResourceRequirements: [
        { Type: 'VCPU', Value: String(job.vcpus) },
        { Type: 'MEMORY', Value: String(job.memoryMb) },
      ],
      ...(last?.Container.ExitCode === undefined ? {} : { ExitCode: last.Container.ExitCode }),
      ...(last?.Container.Reason === undefined ? {} : { Reason: last.Container.Reason }),
      ...(last ? { LogStreamName: last.Container.LogStreamName, TaskArn: last.Container.TaskArn } : {}),
    },
    CreatedAt: created.getTime(),
    DependsOn: [],
    JobArn: `arn:aws:batch:${region}:000000000000:job/${jobId}`,
    JobDefinition: request.JobDefinition ?? definitionName,
    JobId: jobId,
    JobName: request.JobName ?? options.group,
    JobQueue: queue,
    Parameters: job.parameters,
    PlatformCapabilities: [...options.jobDefinition.platformCapabilities],
    RetryStrategy: {
      Attempts: job.attempts,
      EvaluateOnExit: job.evaluateOnExit.map((e) => ({
        Action: e.action,
        ...(e.onStatusReason === undefined ? {} : { OnStatusReason: e.onStatusReason }),
        ...(e.onReason === undefined ? {} : { OnReason: e.onReason }),
        ...(e.onExitCode === undefined ? {} : { OnExitCode: e.onExitCode }),
      })),
    },
    ...(startedAt === undefined ? {} : { StartedAt: startedAt }),
    Status: final.status,
    StatusReason: final.statusReason,
    StoppedAt: now().getTime(),
    ...(job.attemptDurationSeconds === undefined
      ? {}
      : { Timeout: { AttemptDurationSeconds: job.attemptDurationSeconds } }),
  };
  const maxMemoryUsedMb = Math.ceil(peakKib / 1024);
  if (final.status === 'SUCCEEDED') return { ok: true, payload: description, maxMemoryUsedMb };
  // As `.sync` reports a job that did not succeed: the job's description is the cause.
  return {
    ok: false,
    errorType: 'States.TaskFailed',
    errorMessage: JSON.stringify(description),
    stackTrace: [],
    logTail: [],
    maxMemoryUsedMb,
  };
}

interface AttemptOutcome {
  succeeded: boolean;
  statusReason: string;
  reason?: string;
  exitCode?: number;
  timedOut: boolean;
  aborted: boolean;
  started: Date;
  peakKib: number;
}

/** One attempt: a fresh container (sandbox), removed when it ends. */
async function runAttempt(
  options: SubmitLocallyOptions,
  job: EffectiveJob,
  ids: { jobId: string; queue: string; attempt: number; onStart: () => void },
): Promise<AttemptOutcome> {
  const sandbox = openSandbox('batch', options.group, options.scratchDir);
  const started = new Date();
  try {
    const folders = jobContainerFolders(sandbox, options.image.taskRoot);
    const hostEnv = options.hostEnv ?? process.env;
    const env = containerEnvironment({
      image: options.image,
      actionPythonDir: options.actionPythonDir,
      folders,
      hostEnv,
      job: job.environment,
      // What the Batch agent sets in every job container (job_env_vars.html).
      service: {
        AWS_BATCH_JOB_ID: ids.jobId,
        AWS_BATCH_JQ_NAME: queueName(ids.queue),
        AWS_BATCH_JOB_ATTEMPT: String(ids.attempt),
        AWS_BATCH_CE_NAME: LOCAL_COMPUTE_ENVIRONMENT,
      },
      extra: options.env,
    });
    const command = imagePythonCommand(job.command, resolveCommand(options.python, hostEnv));
    if (typeof command === 'string') {
      options.log(`[ERROR] CannotStartContainerError: ${command}`);
      return {
        succeeded: false,
        statusReason: 'Task failed to start',
        reason: `CannotStartContainerError: ${command}`,
        timedOut: false,
        aborted: false,
        started,
        peakKib: 0,
      };
    }
    // Through the image's entrypoint, as on AWS: the stage's image is the Lambda one, whose entrypoint
    // (python/kedro_aws_action/entrypoint.sh) runs a job's command that the base image's would refuse.
    const entrypoint = path.join(options.actionPythonDir, 'kedro_aws_action', 'entrypoint.sh');
    const pinned = withCpuAffinity(['/bin/sh', entrypoint, ...command], job.vcpus);
    if (!pinned.enforced && !affinityNoticeGiven) {
      affinityNoticeGiven = true;
      options.log("[WARNING] the runner has no taskset: the Batch jobs' vCPUs are not enforced (only counted)");
    }
    const exit = await runContained({
      argv: pinned.argv,
      cwd: folders.taskRoot,
      env,
      ...(job.attemptDurationSeconds === undefined ? {} : { timeoutSeconds: job.attemptDurationSeconds }),
      graceSeconds: options.graceSeconds ?? BATCH_TIMEOUT_GRACE_SECONDS,
      memoryMb: job.memoryMb,
      log: options.log,
      tail: { lines: [], keep: LOG_TAIL_LINES },
      ...(options.signal ? { signal: options.signal } : {}),
      onSpawn: ids.onStart,
    }).finally(pinned.release);
    const base = { timedOut: false, aborted: false, started, peakKib: exit.peakKib };
    if (exit.spawnError) {
      const reason = `CannotStartContainerError: ${exit.spawnError.message}`;
      options.log(`[ERROR] ${reason}`);
      return { ...base, succeeded: false, statusReason: 'Task failed to start', reason };
    }
    const exitCode = exit.code ?? 128 + (exit.signal ? (os.constants.signals[exit.signal] ?? 9) : 9);
    if (exit.stopped === 'aborted') {
      return {
        ...base,
        aborted: true,
        succeeded: false,
        exitCode,
        statusReason: 'Terminated: the local execution was stopped (TerminateJob)',
      };
    }
    if (exit.stopped === 'timeout') {
      options.log(`[ERROR] ${BATCH_TIMEOUT_REASON} (attemptDurationSeconds ${job.attemptDurationSeconds})`);
      return { ...base, timedOut: true, succeeded: false, exitCode, statusReason: BATCH_TIMEOUT_REASON };
    }
    if (exit.stopped === 'memory') {
      options.log(
        `[ERROR] ${BATCH_OOM_REASON}: the job's processes held more than its ${job.memoryMb} MiB (memory_mb)`,
      );
      return { ...base, succeeded: false, exitCode, reason: BATCH_OOM_REASON, statusReason: BATCH_EXITED_REASON };
    }
    return { ...base, succeeded: exitCode === 0, exitCode, statusReason: BATCH_EXITED_REASON };
  } finally {
    removeTree(sandbox);
  }
}

/** The name of a job queue given by name or ARN (AWS_BATCH_JQ_NAME holds the name). */
function queueName(queue: string): string {
  const m = /:job-queue\/(.+)$/.exec(queue);
  return m ? (m[1] as string) : queue;
}
