/**
 * One SageMaker training job of a `compute: sagemaker` group, emulated: a fresh Python process that runs
 * the job's command (its ContainerEntrypoint and ContainerArguments, as the Task's parameters give them:
 * the group entry `python3 -m kedro_aws_action.batch_entry ...`) with the job's Environment, in a
 * sandbox of its own, as the container would run on the instance.
 *
 * The same contract as on SageMaker:
 * - the command and the environment are the job's (the group's records are written by the same
 *   runtime as on AWS); the image's paths are the sandbox's: the task root (a copy of the image's
 *   `conf/`) is the working directory, the emulated image and the action's runtime are the import path,
 *   and `/opt/ml/output/failure` (KEDRO_AWS_FAILURE_FILE) is a file of the sandbox;
 * - the job's max runtime (StoppingCondition.MaxRuntimeInSeconds) is enforced: past it the process
 *   group is killed and the job ends Stopped / MaxRuntimeExceeded, as SageMaker ends it;
 * - the outcome is what `createTrainingJob.sync` gives Step Functions: the job's description (its
 *   TrainingJobStatus, SecondaryStatus and, for a failure, the FailureReason read from the failure
 *   file); a job that did not complete fails the Task with `States.TaskFailed` and that description as
 *   the cause.
 *
 * Not emulated: the instance type (the process runs on the runner, with the runner's CPUs, memory and
 * no GPU), spot interruptions, the output upload and SageMaker's RetryStrategy.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAILURE_FILE_ENV } from '../../plan/sagemaker';
import { HOST_ENV, type InvokeOutcome } from './lambda';
import { followLines } from './lines';

/** Lines of stderr kept for a failure whose reason the group did not write. */
const LOG_TAIL_LINES = 6;

/** The parts of a CreateTrainingJob request the local job reads (as the Task resolves them). */
export interface TrainingJobRequest {
  TrainingJobName?: string;
  RoleArn?: string;
  AlgorithmSpecification?: { ContainerEntrypoint?: string[]; ContainerArguments?: string[]; TrainingImage?: string };
  ResourceConfig?: Record<string, unknown>;
  StoppingCondition?: { MaxRuntimeInSeconds?: number; MaxWaitTimeInSeconds?: number };
  Environment?: Record<string, string>;
  [key: string]: unknown;
}

export interface TrainLocallyOptions {
  /** The user's interpreter: it stands for the image's `python3`. */
  python: string;
  image: { site: string; taskRoot: string; packageName: string };
  /** The action's python/ folder (holds kedro_aws_action). */
  actionPythonDir: string;
  group: string;
  /** The job, as the Task's parameters give it. */
  request: TrainingJobRequest;
  /** Variables added over the job's (AWS_ENDPOINT_URL, credentials, region, ...). */
  env?: NodeJS.ProcessEnv;
  /** Where the runner's AWS_* and host variables are read; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  scratchDir?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  onStart?: () => void;
  /** The clock of the description's times; default Date. */
  now?: () => Date;
}

/** Statuses of a finished job, as DescribeTrainingJob names them. */
type Ended =
  | { status: 'Completed'; secondary: 'Completed'; message: string }
  | { status: 'Failed'; secondary: 'Failed'; message: string; reason: string }
  | { status: 'Stopped'; secondary: 'MaxRuntimeExceeded' | 'Stopped'; message: string };

/** Runs the job to its end; never throws for what the group did. */
export async function trainLocally(options: TrainLocallyOptions): Promise<InvokeOutcome> {
  const scratch = options.scratchDir ?? os.tmpdir();
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const safe = options.group.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  const sandbox = fs.mkdtempSync(path.join(scratch, `kedro-aws-sagemaker-${safe}-`));
  try {
    return await trainIn(sandbox, options);
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

/** The command of the job, with the runner's interpreter for the image's. */
function commandOf(request: TrainingJobRequest, python: string): string[] | string {
  const spec = request.AlgorithmSpecification ?? {};
  const command = [...(spec.ContainerEntrypoint ?? []), ...(spec.ContainerArguments ?? [])];
  const [program, ...args] = command;
  if (program === undefined || !/^python3?$/.test(program)) {
    return `the local executor runs a job whose entry point is the image's Python, not ${JSON.stringify(program ?? '')}`;
  }
  return [python, ...args];
}

async function trainIn(sandbox: string, options: TrainLocallyOptions): Promise<InvokeOutcome> {
  const now = options.now ?? (() => new Date());
  const request = options.request;
  const created = now();
  const taskRoot = path.join(sandbox, 'task');
  const tmpDir = path.join(sandbox, 'tmp');
  const failureFile = path.join(sandbox, 'opt', 'ml', 'output', 'failure');
  for (const dir of [taskRoot, tmpDir, path.dirname(failureFile)]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.cpSync(path.join(options.image.taskRoot, 'conf'), path.join(taskRoot, 'conf'), { recursive: true });

  const hostEnv = options.hostEnv ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(hostEnv)) {
    if (value !== undefined && (key.startsWith('AWS_') || HOST_ENV.has(key))) env[key] = value;
  }
  Object.assign(env, request.Environment ?? {}, {
    // The image's paths, in the sandbox.
    PYTHONPATH: [options.image.site, options.actionPythonDir].join(path.delimiter),
    LAMBDA_TASK_ROOT: taskRoot,
    KEDRO_CONF_SOURCE: path.join(taskRoot, 'conf'),
    [FAILURE_FILE_ENV]: failureFile,
    KEDRO_AWS_LOCAL_SITE: options.image.site,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    TMPDIR: tmpDir,
    TZ: 'UTC',
    // What SageMaker tells every training container.
    TRAINING_JOB_NAME: request.TrainingJobName ?? '',
  });
  Object.assign(env, options.env);
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const maxRuntime = request.StoppingCondition?.MaxRuntimeInSeconds ?? 86_400;

  const command = commandOf(request, options.python);
  const tail: string[] = [];
  let ended: Ended;
  let started: Date | undefined;
  if (typeof command === 'string') {
    ended = {
      status: 'Failed',
      secondary: 'Failed',
      message: 'Training job failed',
      reason: `ClientError: ${command}`,
    };
  } else {
    const exit = await run(command, taskRoot, env, maxRuntime, options, tail, () => {
      started = now();
    });
    ended = outcome(exit, failureFile, maxRuntime, options.python, tail);
  }

  const end = now();
  const name = request.TrainingJobName ?? options.group;
  const description = {
    ...withoutRunOnly(request),
    TrainingJobName: name,
    TrainingJobArn: `arn:aws:sagemaker:${region}:000000000000:training-job/${name.toLowerCase()}`,
    TrainingJobStatus: ended.status,
    SecondaryStatus: ended.secondary,
    ...(ended.status === 'Failed' ? { FailureReason: ended.reason } : {}),
    CreationTime: created.toISOString(),
    ...(started ? { TrainingStartTime: started.toISOString(), TrainingEndTime: end.toISOString() } : {}),
    LastModifiedTime: end.toISOString(),
    SecondaryStatusTransitions: [
      { Status: 'Starting', StartTime: created.toISOString(), StatusMessage: 'Starting the training job (local)' },
      ...(started
        ? [{ Status: 'Training', StartTime: started.toISOString(), StatusMessage: 'Training (a local process)' }]
        : []),
      { Status: ended.secondary, StartTime: end.toISOString(), StatusMessage: ended.message },
    ],
  };
  if (ended.status === 'Completed') return { ok: true, payload: description };
  // As `.sync` reports a job that did not complete: the job's description is the cause.
  return {
    ok: false,
    errorType: 'States.TaskFailed',
    errorMessage: JSON.stringify(description),
    stackTrace: [],
    logTail: [],
  };
}

/** The request without what only CreateTrainingJob takes (DescribeTrainingJob does not return tags). */
function withoutRunOnly(request: TrainingJobRequest): Record<string, unknown> {
  const { Tags: _tags, ...rest } = request;
  return rest;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  timedOut: boolean;
  aborted: boolean;
}

function run(
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  maxRuntimeSeconds: number,
  options: TrainLocallyOptions,
  tail: string[],
  onSpawn: () => void,
): Promise<Exit> {
  return new Promise((resolve) => {
    const [program, ...args] = command as [string, ...string[]];
    let timedOut = false;
    let aborted = false;
    const child = spawn(program, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a timeout or an abort kills what the group started too.
      detached: process.platform !== 'win32',
    });
    const kill = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, maxRuntimeSeconds * 1000);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (child.stdout) followLines(child.stdout, options.log);
    if (child.stderr) followLines(child.stderr, options.log, { lines: tail, keep: LOG_TAIL_LINES });
    child.once('spawn', () => {
      onSpawn();
      options.onStart?.();
    });
    let settled = false;
    const done = (value: Omit<Exit, 'timedOut' | 'aborted'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...value, timedOut, aborted });
    };
    child.once('error', (error) => done({ code: null, signal: null, spawnError: error }));
    child.once('close', (code, signal) => done({ code, signal }));
  });
}

/** How the job ended, as SageMaker would say it. */
function outcome(exit: Exit, failureFile: string, maxRuntime: number, python: string, tail: string[]): Ended {
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `the interpreter "${python}" was not found (input "python")`
        : `could not start "${python}": ${exit.spawnError.message}`;
    return { status: 'Failed', secondary: 'Failed', message: 'Training job failed', reason: `ClientError: ${why}` };
  }
  if (exit.aborted) return { status: 'Stopped', secondary: 'Stopped', message: 'The local execution was stopped' };
  if (exit.timedOut) {
    return {
      status: 'Stopped',
      secondary: 'MaxRuntimeExceeded',
      message: `Training job runtime exceeded MaxRuntimeInSeconds provided (${maxRuntime} s)`,
    };
  }
  if (exit.code === 0) return { status: 'Completed', secondary: 'Completed', message: 'Training job completed' };
  let written = '';
  try {
    written = fs.readFileSync(failureFile, 'utf8').trim();
  } catch {
    written = '';
  }
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
  // SageMaker's FailureReason: the container's failure file, or its exit and the last lines it logged.
  const reason = written
    ? `AlgorithmError: ${written}`
    : `AlgorithmError: the container ended with ${how}; last lines of its log:\n${tail.join('\n')}`;
  return { status: 'Failed', secondary: 'Failed', message: 'Training job failed', reason: reason.slice(0, 1024) };
}
