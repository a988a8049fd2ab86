/**
 * Run with `executor: local`. The state machine `deploy` would create, executed on the runner (see
 * executor.ts): no image, no Lambda, no Step Functions; the project's wheel and conf archive from
 * `package` are installed into an emulated image under the stage's work folder (with the packages of
 * the lock package wrote, as build installs them, kept in a cache shared by the job's stages:
 * image.ts), each Lambda group runs held to its function's settings (memory_mb, timeout_seconds) and
 * to what Lambda allows (lambda.ts), each `compute: batch` group as a job of the job definition
 * `deploy` would register (batch.ts), each `compute: sagemaker` group as its training job
 * (sagemaker.ts), and the datasets cross groups wherever the catalog of the env puts them (S3, or
 * the emulator AWS_ENDPOINT_URL points at).
 * The run happens within `start` (always waited for); its record (local-run.json) is what `verify`
 * reads back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { type LoadedPlan, logSchedule, required, stageRecords } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { writePrivateFile } from '../../lib/files';
import { jobDefinitionName, jobDefinitionSpec } from '../../plan/batch';
import { RECORDS_ENV } from '../../plan/environment';
import type { DeploymentPlan } from '../../plan/planner';
import { buildDefinition } from '../../plan/statemachine';
import { readableCause } from '../../report/format';
import type { RunFacts } from '../backend';
import { sagemakerOptions } from '../stepfunctions/sagemaker';
import { type LocalExecutionResult, runLocally } from './executor';
import { prepareImage } from './image';
import type { FunctionLimits } from './lambda';
import { writeLocalSummary } from './summary';

/** Account id of the function ARNs in a local definition (nothing is called with them). */
const LOCAL_ACCOUNT = '000000000000';

/** A finished local run (the record verify reads back is written too). */
export interface LocalRun {
  runId: string;
  result: LocalExecutionResult;
  /** Why the run was stopped before its end, if it was. */
  stopped: 'timeout' | 'cancelled' | undefined;
}

/** Runs the plan with the local executor; `runId` is the run's Kedro run id (as run mode makes it). */
export async function runLocal(ctx: ModeContext, { plan, deployment }: LoadedPlan, runId: string): Promise<LocalRun> {
  const { inputs } = ctx;
  const packageName = plan.project.package_name;
  const wheel = required(ctx, STATE.wheel, 'mode "package"');
  const confArchive = required(ctx, STATE.confArchive, 'mode "package"');

  // Settings AWS Batch refuses were refused when the plan was built (settings.ts), as for deploy.
  const onBatch = deployment.groups.filter((g) => g.settings.compute === 'batch');
  // The lock package wrote, which build installs into the image (a wheel given without one: resolved).
  const lock = ctx.get(STATE.requirementsLock);
  const image = await prepareImage({
    python: inputs.python,
    wheel,
    ...(lock ? { lock } : {}),
    confArchive,
    packageName,
    workDir: path.join(ctx.workDir, 'local', 'image'),
    cacheDir: localCacheDir(ctx.env, ctx.workDir),
    log: (line) => core.info(`Local image: ${line}`),
  });
  core.info(
    image.reused
      ? `Local image: ${image.site} already holds this wheel (sha256 ${image.wheelSha256.slice(0, 12)})`
      : `Local image: ${path.basename(wheel)} installed into ${image.site}`,
  );

  const recordsUrl = stageRecords(ctx, { plan, deployment }).url;
  const region = inputs.awsRegion || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || 'us-east-1';
  // SageMaker groups run here as processes of the same entry; their job's role and image are only named.
  const sagemaker = sagemakerOptions(
    ctx,
    { plan, deployment },
    {
      roleArn: inputs.sagemakerRoleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT}:role/kedro-aws-local`,
      imageUri: ctx.get(STATE.imageUri) ?? 'local',
      region,
    },
  );
  const functionArn = (group: DeploymentPlan['groups'][number]) =>
    `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${group.names.lambdaFunction}`;
  // Batch groups run here as jobs of the job definition deploy would register (the queue is only named).
  const batchJobDefinition =
    onBatch.length > 0
      ? jobDefinitionSpec(deployment, {
          imageUri: ctx.get(STATE.imageUri) ?? 'local',
          jobRoleArn: inputs.batchJobRoleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT}:role/kedro-aws-local`,
          packageName,
          recordsUrl,
          tags: {},
        })
      : undefined;
  const onLambda = deployment.groups.find((g) => g.settings.compute === 'lambda');
  const built = buildDefinition(deployment, {
    schedule: inputs.schedule,
    env: deployment.env,
    packageName,
    functionArn,
    // Schedule exact: a gated Batch group's gate runs on a Lambda group's function, as deploy gives it.
    ...(onLambda ? { gateFunctionArn: functionArn(onLambda) } : {}),
    ...(batchJobDefinition
      ? {
          batch: {
            jobQueue: inputs.batchJobQueue ?? 'kedro-aws-local',
            jobDefinition: jobDefinitionName(deployment, 'EC2'),
          },
        }
      : {}),
    ...(sagemaker ? { sagemaker } : {}),
  });
  logSchedule(built);
  const { definition } = built;

  ctx.remember({ [STATE.runId]: runId });
  ctx.setOutput(OUTPUT.runId, runId);
  if (!inputs.wait) core.info('"wait: false" does not apply to the local executor: the run happens in this step.');
  core.info(`Running ${deployment.groups.length} group(s) locally, each in its own Python process (run id ${runId})`);

  // A cancelled job (SIGINT, then SIGTERM) stops the group processes, which run in process groups of
  // their own and would outlive the action otherwise.
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timeout = AbortSignal.timeout(inputs.timeoutMinutes * 60_000);
  const limits = functionLimits(deployment);
  const result = await runLocally({
    definition,
    input: { run_id: runId, runtime_params: plan.runtime_params, env: deployment.env },
    python: inputs.python,
    image,
    groupOfState: new Map(deployment.groups.map((g) => [g.names.state, g.name])),
    limits,
    ...(batchJobDefinition ? { batchJobDefinition } : {}),
    onTransition: (t) => {
      const size = limits.get(t.group)?.memoryMb;
      const memory =
        t.maxMemoryUsedMb !== undefined && size !== undefined
          ? ` (max memory used ${t.maxMemoryUsedMb} of ${size} MB)`
          : '';
      core.info(`  ${t.group} ${t.status.toLowerCase()}${t.status === 'FAILED' ? `: ${t.error}` : ''}${memory}`);
    },
    scratchDir: path.join(ctx.workDir, 'local', 'sandboxes'),
    signal: AbortSignal.any([timeout, cancel.signal]),
    hostEnv: ctx.env,
    env: () => groupEnv(ctx, region, recordsUrl),
  }).finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  const stopped = cancel.signal.aborted ? 'cancelled' : timeout.aborted ? 'timeout' : undefined;
  ctx.setOutput(OUTPUT.status, localStatus(result, stopped));
  const record = path.join(ctx.workDir, 'local-run.json');
  writePrivateFile(
    record,
    `${JSON.stringify({ runId, runtimeParams: plan.runtime_params, ...result, ...(stopped ? { stopped } : {}) }, null, 2)}\n`,
  );
  ctx.remember({ [STATE.localRun]: record });
  return { runId, result, stopped };
}

/** Each Lambda group's function settings, as `deploy` gives them to its function. */
export function functionLimits(deployment: DeploymentPlan): Map<string, FunctionLimits> {
  return new Map(
    deployment.groups.map((g) => [
      g.name,
      { memoryMb: g.settings.memory_mb, timeoutSeconds: g.settings.timeout_seconds },
    ]),
  );
}

/**
 * Where the local image's installed dependencies are kept: the runner's tool cache when it has one
 * (kept across jobs on a self-hosted runner; a folder unused for a week is removed), else the job's
 * temporary folder, shared by the job's stages.
 */
export function localCacheDir(env: NodeJS.ProcessEnv, workDir: string): string {
  const tools = env.RUNNER_TOOL_CACHE;
  return tools ? path.join(tools, 'kedro-aws-action-local') : path.join(path.dirname(workDir), '_local-cache');
}

/** The run's status: the execution's, but TIMED_OUT when "timeout-minutes" stopped it (as for the other targets). */
function localStatus(result: LocalExecutionResult, stopped: LocalRun['stopped']): string {
  return result.status === 'ABORTED' && stopped === 'timeout' ? 'TIMED_OUT' : result.status;
}

/** The facts of a local run, from its result (after `start`) or its record (for verify). */
export function localRunFacts(
  ctx: ModeContext,
  deployment: LoadedPlan['deployment'],
  run: {
    runId: string;
    result: LocalExecutionResult;
    runtimeParams: unknown;
    source: string;
    stopped?: 'timeout' | 'cancelled';
  },
): RunFacts {
  const { runId, result } = run;
  const seconds = (new Date(result.stopDate).getTime() - new Date(result.startDate).getTime()) / 1000;
  const status = localStatus(result, run.stopped);
  return {
    runId,
    status,
    startDate: new Date(result.startDate),
    runtimeParams: run.runtimeParams,
    source: run.source,
    successLine: `Local execution SUCCEEDED in ${seconds.toFixed(1)} s (run id ${runId})`,
    failure: async () =>
      localFailureMessage(result, {
        timeoutMinutes: ctx.inputs.timeoutMinutes,
        ...(run.stopped ? { stopped: run.stopped } : {}),
      }),
    summary: (checks, unchecked) => writeLocalSummary(ctx, deployment, runId, { ...result, status }, checks, unchecked),
  };
}

/** The run `run` left in the state (its record file), for verify. */
export function recordedLocalRunFacts(ctx: ModeContext, { deployment }: LoadedPlan): RunFacts {
  const file = required(ctx, STATE.localRun, 'mode "run" with executor local');
  const record = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalExecutionResult & {
    runId: string;
    runtimeParams?: unknown;
    stopped?: LocalRun['stopped'];
  };
  return localRunFacts(ctx, deployment, {
    runId: record.runId,
    result: record,
    runtimeParams: record.runtimeParams ?? {},
    source: `local run ${file}`,
    ...(record.stopped ? { stopped: record.stopped } : {}),
  });
}

/**
 * What the groups need besides the step's AWS_* variables: the region, where the stage's run records
 * go, and with `role-to-assume` the role's credentials (asked for as each group starts, so a long run
 * never hands out expired ones).
 */
async function groupEnv(ctx: ModeContext, region: string, recordsUrl: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { AWS_REGION: region, AWS_DEFAULT_REGION: region, [RECORDS_ENV]: recordsUrl };
  const provider = ctx.credentials();
  if (provider) {
    const creds = await provider();
    env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
    env.AWS_SESSION_TOKEN = creds.sessionToken ?? '';
  }
  return env;
}

/** The failure as a message a user can act on: which group, what went wrong, where its log is. */
export function localFailureMessage(
  result: LocalExecutionResult,
  options: { timeoutMinutes: number; stopped?: 'timeout' | 'cancelled' },
): string {
  if (result.status === 'ABORTED') {
    return options.stopped === 'cancelled'
      ? 'the local execution was stopped: the job was cancelled'
      : `the local execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"), so it was stopped`;
  }
  const failure = result.failure;
  const lines = [
    failure?.group
      ? `group "${failure.group}" failed (local executor): ${failure.error}`
      : `the local execution ended ${result.status}: ${failure?.error ?? 'no error recorded'}`,
  ];
  // A SageMaker group's cause is its job's description (JSON, as on AWS): its status and failure reason.
  if (failure?.cause) lines.push(`cause: ${readableCause(failure.cause).text.slice(0, 2000)}`);
  if (failure?.group) lines.push(`logs: the lines prefixed "[${failure.group}]" above`);
  const notStarted = Object.entries(result.groups)
    .filter(([, g]) => g.status === 'NOT_STARTED')
    .map(([name]) => name);
  if (notStarted.length > 0) lines.push(`not started: ${notStarted.join(', ')}`);
  return lines.join('\n');
}
