/**
 * SageMaker groups: a group with `compute: sagemaker` runs as a SageMaker training job inside the
 * state machine (`sagemaker:createTrainingJob.sync`: Step Functions creates the job and waits for its
 * end), on an ML instance of the group's type (GPU ones included), for up to 28 days.
 *
 * Why training jobs and not processing jobs: both run a container of our image with our entry point
 * and arguments, but only training jobs have managed spot capacity (`spot: true`), a 28-day limit
 * (processing jobs: 9 days; Lambda: 15 minutes), and SageMaker's own retry of a job its
 * infrastructure failed (RetryStrategy). A group's data goes through the Kedro catalog, so the job
 * declares no input channels; the model folder SageMaker uploads at the end stays empty.
 *
 * The job runs the very image of the Lambda groups, its entry point overridden to the group entry
 * (python/kedro_aws_action/batch_entry.py, as a Batch group's job runs it): `ContainerEntrypoint` holds
 * the interpreter, the module and the group's fixed arguments (the same options a Batch job gets),
 * `ContainerArguments` the run's own, `--run-id` and `--runtime-params-json` read from the execution
 * input. The environment is a Lambda group's (environment.ts) plus the image's import path, so the
 * group's run record is written by the same runtime as any other group's.
 *
 * Names. SageMaker never reuses a training job name in an account and region. Each job is named
 * `<prefix>-<UUID>`: the group's fixed prefix (names.ts, ≤ 26 characters, starting with the project
 * name the IAM policies match) and a UUID Step Functions draws when it enters the state
 * (`States.UUID()`), so that a redriven execution creates a new job instead of failing on the name of
 * the first one. (An MD5 of the execution's ARN would be reproducible, but the local executor's
 * interpreter, aws-local-stepfunctions 3.0.0, hashes inputs over 55 bytes wrongly and then gives
 * equal names to different runs; test/unit/statemachine.sagemaker.test.ts shows it.) The run and the
 * group are in the job's tags, and each job's name in the execution's history.
 *
 * Limits relied on (SageMaker API reference, CreateTrainingJob): TrainingJobName ≤ 63 characters of
 * `[a-zA-Z0-9](-*[a-zA-Z0-9])*`; ContainerEntrypoint and ContainerArguments at most 100 strings of at
 * most 256 characters; Environment at most 100 variables, values at most 512 characters; at most 50
 * tags, values of `[\p{L}\p{Z}\p{N}_.:/=+\-@]` up to 256 characters; MaxRuntimeInSeconds at most 28
 * days (settings.ts). State machine permissions: https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
 *
 * Pure: no I/O.
 */
import { BATCH_ENTRY_MODULE, BATCH_PYTHON, GROUP_TAG, RUN_TAG, tagValue } from './batch';
import { RELEASE_ENV } from './environment';
import { PlanningError, quote } from './errors';
import type { PlannedGroup } from './planner';
import type { Plan } from './schema';

/** Service integration of a SageMaker group: create the training job and wait for its end. */
export const SAGEMAKER_TRAINING_RESOURCE = 'arn:aws:states:::sagemaker:createTrainingJob.sync';

/**
 * Seconds a SageMaker Task waits beyond the job's own limit (its max runtime, or with spot its max
 * wait): launching the instance and pulling the image, before the job's clock runs. Past it the Task
 * fails with `States.Timeout` and Step Functions stops the job.
 */
export const SAGEMAKER_TASK_START_SECONDS = 3600;

/** CreateTrainingJob: each ContainerEntrypoint and ContainerArguments string. */
export const MAX_CONTAINER_STRING = 256;
/** CreateTrainingJob: Environment values. */
export const MAX_ENVIRONMENT_VALUE = 512;
/** CreateTrainingJob: Environment variables. */
export const MAX_ENVIRONMENT_ENTRIES = 100;

/**
 * Where a SageMaker container writes why it failed: SageMaker returns the file's text (its first 1,024
 * characters) as the job's FailureReason. The group entry writes the group's error there.
 */
export const SAGEMAKER_FAILURE_FILE = '/opt/ml/output/failure';
/** The variable that tells the group entry where to write its failure (python/kedro_aws_action/batch_entry.py). */
export const FAILURE_FILE_ENV = 'KEDRO_AWS_FAILURE_FILE';

/** Where the SageMaker groups of a machine run, from the `sagemaker-role-arn` input and the deploy. */
export interface SageMakerOptions {
  /** The IAM role the jobs run as (SageMaker assumes it: the data bucket, the image, the logs). */
  readonly roleArn: string;
  /** The image of the stage, pinned by digest (the Lambda groups' image). */
  readonly imageUri: string;
  /** `s3://...`: where SageMaker puts a job's output folder (under the stage's run records). */
  readonly outputPath: string;
  /** The groups' environment (environment.ts) and the image's import path. */
  readonly environment: Readonly<Record<string, string>>;
  /** Tags of every job: the project and the stage (the definition holds nothing that moves per commit). */
  readonly tags: Readonly<Record<string, string>>;
}

/** The group's options of the entry fixed by the plan (the run adds `--run-id` and `--runtime-params-json`). */
export function entrypointOf(group: PlannedGroup, env: string, pipeline: string): string[] {
  return [
    BATCH_PYTHON,
    '-m',
    BATCH_ENTRY_MODULE,
    '--group',
    group.name,
    '--type',
    group.type,
    '--nodes',
    nodesArgument(group),
    '--env',
    env,
    '--pipeline',
    pipeline,
  ];
}

/** The node list of a group, left out (`[]`) of a namespace group whose list is too long for one argument. */
function nodesArgument(group: PlannedGroup): string {
  const json = JSON.stringify(group.nodes);
  return group.type === 'namespace' && json.length > MAX_CONTAINER_STRING ? '[]' : json;
}

/** The run's arguments, built by Step Functions from the execution input. */
export const RUN_ARGUMENTS =
  "States.Array('--run-id', $.run_id, '--runtime-params-json', States.JsonToString($.runtime_params))";

/**
 * The name of the group's job each time the state runs: its prefix and a UUID (see the module comment).
 * The prefix is `[a-z0-9-]` only, so it needs no escaping inside the intrinsic's quotes.
 */
export function trainingJobNameExpression(group: PlannedGroup): string {
  return `States.Format('${group.names.sagemakerJob}-{}', States.UUID())`;
}

/** Seconds the Task may take: the job's own limit and the start-up margin. */
export function sagemakerTaskTimeoutSeconds(settings: PlannedGroup['settings']): number {
  const limit =
    settings.spot && settings.max_wait_seconds !== null ? settings.max_wait_seconds : settings.timeout_seconds;
  return limit + SAGEMAKER_TASK_START_SECONDS;
}

/** The CreateTrainingJob request of a group, as the Task's `Parameters` (`.$` keys filled in by each run). */
export function trainingJobParameters(
  group: PlannedGroup,
  options: SageMakerOptions,
  context: { readonly env: string; readonly pipeline: string },
  release: readonly string[] = [],
): Record<string, unknown> {
  const s = group.settings;
  const entrypoint = entrypointOf(group, context.env, context.pipeline);
  const environment: Record<string, string> = {
    ...options.environment,
    [FAILURE_FILE_ENV]: SAGEMAKER_FAILURE_FILE,
    // schedule exact: the gated groups this one opens once it has run (the group entry reads them, as a
    // Batch job's does).
    ...(release.length > 0 ? { [RELEASE_ENV]: JSON.stringify(release) } : {}),
  };
  const problems = requestProblems(group, entrypoint, environment);
  if (problems.length > 0) throw new PlanningError(problems);
  return {
    'TrainingJobName.$': trainingJobNameExpression(group),
    RoleArn: options.roleArn,
    AlgorithmSpecification: {
      TrainingImage: options.imageUri,
      TrainingInputMode: 'File',
      ContainerEntrypoint: entrypoint,
      'ContainerArguments.$': RUN_ARGUMENTS,
    },
    ResourceConfig: {
      InstanceType: s.instance_type,
      InstanceCount: s.instance_count,
      VolumeSizeInGB: s.volume_size_gb,
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: s.timeout_seconds,
      ...(s.spot && s.max_wait_seconds !== null ? { MaxWaitTimeInSeconds: s.max_wait_seconds } : {}),
    },
    ...(s.spot ? { EnableManagedSpotTraining: true } : {}),
    ...(s.retries > 0 ? { RetryStrategy: { MaximumRetryAttempts: s.retries } } : {}),
    OutputDataConfig: { S3OutputPath: options.outputPath, CompressionType: 'NONE' },
    Environment: environment,
    Tags: [
      ...Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
      { Key: GROUP_TAG, Value: tagValue(group.name, group.names.sagemakerJob) },
      { Key: RUN_TAG, 'Value.$': '$.run_id' },
    ],
  };
}

/** What CreateTrainingJob would refuse in a group's request, known before the run. */
function requestProblems(group: PlannedGroup, entrypoint: string[], environment: Record<string, string>): string[] {
  const problems: string[] = [];
  const long = entrypoint.filter((a) => a.length > MAX_CONTAINER_STRING);
  if (long.length > 0) {
    problems.push(
      `group ${quote(group.name)} runs on SageMaker, whose container arguments are at most ${MAX_CONTAINER_STRING} ` +
        `characters each, but ${quote(long[0])} is ${long[0]?.length}; shorten the node or group name.`,
    );
  }
  for (const [key, value] of Object.entries(environment)) {
    if (value.length > MAX_ENVIRONMENT_VALUE) {
      problems.push(
        `group ${quote(group.name)} runs on SageMaker, whose environment values are at most ${MAX_ENVIRONMENT_VALUE} ` +
          `characters, but ${key} is ${value.length}; shorten it (for the run records: the "run-records" input).`,
      );
    }
  }
  if (Object.keys(environment).length > MAX_ENVIRONMENT_ENTRIES) {
    problems.push(
      `group ${quote(group.name)} would get ${Object.keys(environment).length} environment variables on SageMaker, ` +
        `over its limit of ${MAX_ENVIRONMENT_ENTRIES}.`,
    );
  }
  return problems;
}

/**
 * Problems of a plan with SageMaker groups that only the plan shows: the run's runtime params, which
 * travel as one container argument (at most 256 characters), and the target (SageMaker groups run
 * inside the Step Functions state machine only).
 */
export function sagemakerPlanProblems(plan: Pick<Plan, 'runtime_params'>, groups: readonly PlannedGroup[]): string[] {
  const onSageMaker = groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
  if (onSageMaker.length === 0) return [];
  const params = JSON.stringify(plan.runtime_params ?? {});
  if (params.length <= MAX_CONTAINER_STRING) return [];
  return [
    `the runtime params are ${params.length} characters as JSON, but SageMaker groups (${onSageMaker
      .map((g) => quote(g))
      .join(', ')}) get them as one container argument, at most ${MAX_CONTAINER_STRING} characters; give fewer or ` +
      'shorter runtime params, or run those groups on compute: batch.',
  ];
}
