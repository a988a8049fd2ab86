/**
 * One SageMaker training job of a `compute: sagemaker` group, emulated: a fresh Python process that runs
 * the job's command (its ContainerEntrypoint and ContainerArguments, as the Task's parameters give them:
 * the group entry `python3 -m kedro_aws_action.batch_entry ...`) with the job's Environment, in a
 * sandbox of its own, as the container would run on the instance.
 *
 * The same contract as on SageMaker:
 * - the command and the environment are the job's (the group's records are written by the same
 *   runtime as on AWS); the container's file system is writable and its own: the working directory is
 *   a private copy of the image's task folder (its `conf/`), /tmp and HOME are private folders, and
 *   SageMaker's /opt/ml (`/opt/ml/output/failure`, KEDRO_AWS_FAILURE_FILE) is a folder of the sandbox;
 *   the image's paths in the job's environment (LAMBDA_TASK_ROOT, PYTHONPATH) name the sandbox's;
 * - the Python environment is exactly the image's, as for a Lambda group (lambda.ts): the runner's
 *   interpreter with `-s -S` (none of its own or the user's site-packages) and the import path of the
 *   emulated image (image.ts), so a package the wheel does not require fails here as in the image;
 *   of the runner's environment only AWS_* and the network variables (proxies, CA bundles) reach it;
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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILURE_FILE_ENV } from '../../plan/sagemaker';
import { containerEnvironment, type ImageProcessOptions, imagePythonCommand } from './image';
import { type InvokeOutcome, resolveCommand } from './lambda';
import { type ContainedExit, jobContainerFolders, openSandbox, removeTree, runContained } from './sandbox';

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

export interface TrainLocallyOptions extends ImageProcessOptions {
  /** The job, as the Task's parameters give it. */
  request: TrainingJobRequest;
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
  const sandbox = openSandbox('sagemaker', options.group, options.scratchDir);
  try {
    return await trainIn(sandbox, options);
  } finally {
    removeTree(sandbox);
  }
}

async function trainIn(sandbox: string, options: TrainLocallyOptions): Promise<InvokeOutcome> {
  const now = options.now ?? (() => new Date());
  const request = options.request;
  const created = now();
  const folders = jobContainerFolders(sandbox, options.image.taskRoot);
  const failureFile = path.join(sandbox, 'opt', 'ml', 'output', 'failure');
  fs.mkdirSync(path.dirname(failureFile), { recursive: true, mode: 0o700 });

  const hostEnv = options.hostEnv ?? process.env;
  const env = containerEnvironment({
    image: options.image,
    actionPythonDir: options.actionPythonDir,
    folders,
    hostEnv,
    job: request.Environment ?? {},
    service: {
      // SageMaker's /opt/ml, in the sandbox.
      [FAILURE_FILE_ENV]: failureFile,
      // What SageMaker tells every training container.
      TRAINING_JOB_NAME: request.TrainingJobName ?? '',
    },
    extra: options.env,
  });
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const maxRuntime = request.StoppingCondition?.MaxRuntimeInSeconds ?? 86_400;

  const spec = request.AlgorithmSpecification ?? {};
  const command = imagePythonCommand(
    [...(spec.ContainerEntrypoint ?? []), ...(spec.ContainerArguments ?? [])],
    resolveCommand(options.python, hostEnv),
  );
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
    const exit = await runContained({
      argv: command,
      cwd: folders.taskRoot,
      env,
      timeoutSeconds: maxRuntime,
      log: options.log,
      tail: { lines: tail, keep: LOG_TAIL_LINES },
      ...(options.signal ? { signal: options.signal } : {}),
      onSpawn: () => {
        started = now();
        options.onStart?.();
      },
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

/** How the job ended, as SageMaker would say it. */
function outcome(exit: ContainedExit, failureFile: string, maxRuntime: number, python: string, tail: string[]): Ended {
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `the interpreter "${python}" was not found (input "python")`
        : `could not start "${python}": ${exit.spawnError.message}`;
    return { status: 'Failed', secondary: 'Failed', message: 'Training job failed', reason: `ClientError: ${why}` };
  }
  if (exit.stopped === 'aborted')
    return { status: 'Stopped', secondary: 'Stopped', message: 'The local execution was stopped' };
  if (exit.stopped === 'timeout') {
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
