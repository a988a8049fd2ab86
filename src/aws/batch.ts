/**
 * AWS Batch effects: the platform of a job queue (read from the queue and its compute environments),
 * the stage's job definition (compare with the latest ACTIVE revision, register a new one only when
 * something changed), submitting the jobs of a run (every job up front, each depending on the job ids
 * submitted before it), describing them (at most 100 ids per call) and terminating them.
 */
import {
  type BatchClient,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  type JobDefinition,
  type JobDetail,
  paginateDescribeJobDefinitions,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TagResourceCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';
import type { JobDefinitionSpec, SubmitJobRequest } from '../plan/batch';
import { type ComputeEnvironmentFacts, type PlatformChoice, queuePlatform } from '../plan/batch-platform';
import { awsCall, awsError } from './errors';
import type { Change } from './lambda';

// ---------------------------------------------------------------------------------------------
// The platform of a job queue.

/**
 * Where the jobs of `queue` (name or ARN) run: EC2 or Fargate, from the queue's type or its compute
 * environments (see src/plan/batch.ts `queuePlatform`). Throws, naming the `batch-job-queue` input, for a
 * queue that does not exist, and for one no job definition of the action can run on.
 */
export async function describeQueuePlatform(client: BatchClient, queue: string): Promise<PlatformChoice> {
  const about = { call: 'batch:DescribeJobQueues', resource: `job queue ${queue}`, input: INPUT.batchJobQueue };
  const { jobQueues } = await awsCall(about, () => client.send(new DescribeJobQueuesCommand({ jobQueues: [queue] })));
  const found = (jobQueues ?? []).find((q) => q.jobQueueName === queue || q.jobQueueArn === queue);
  if (!found) {
    throw new ActionError(
      `job queue ${queue} was not found in this account and region: check the "${INPUT.batchJobQueue}" input ` +
        `(a queue name or ARN) and "${INPUT.awsRegion}"`,
    );
  }
  let environments: ComputeEnvironmentFacts[] = [];
  // Read even when the queue's type says the platform: their capacity (Fargate Spot) and instance types
  // say which architecture the jobs can run on.
  const names = (found.computeEnvironmentOrder ?? []).map((o) => o.computeEnvironment ?? '').filter(Boolean);
  if (names.length > 0) {
    const { computeEnvironments } = await awsCall(
      { call: 'batch:DescribeComputeEnvironments', resource: `the compute environments of job queue ${queue}` },
      () => client.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: names })),
    );
    environments = (computeEnvironments ?? []).map((e) => ({
      name: e.computeEnvironmentName ?? e.computeEnvironmentArn ?? '',
      type: e.type,
      resourcesType: e.computeResources?.type,
      orchestration: e.containerOrchestrationType,
      ...(e.computeResources?.instanceTypes ? { instanceTypes: [...e.computeResources.instanceTypes] } : {}),
    }));
  }
  const platform = queuePlatform(found.jobQueueName ?? queue, found.jobQueueType, environments);
  if ('problem' in platform) throw new ActionError(`input "${INPUT.batchJobQueue}": ${platform.problem}`);
  return { ...platform, queue: { name: found.jobQueueName ?? queue, environments } };
}

/** AWS Batch: the most job ids one DescribeJobs call takes. */
export const DESCRIBE_JOBS_MAX_IDS = 100;

// ---------------------------------------------------------------------------------------------
// The job definition.

export interface JobDefinitionResult {
  /** ARN of the revision jobs use (with its `:<revision>`). */
  arn: string;
  revision: number;
  change: Change;
  /** What differed from the latest revision ("image", "role", ...). */
  differences: string[];
}

function envRecord(list: readonly { name?: string; value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((e) => [e.name ?? '', e.value ?? '']));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The retry strategy as comparable data: actions in upper case (the API accepts either), no empty fields. */
function retryOf(strategy: JobDefinition['retryStrategy'] | JobDefinitionSpec['retryStrategy'] | undefined): unknown {
  return {
    attempts: strategy?.attempts ?? 1,
    evaluateOnExit: (strategy?.evaluateOnExit ?? []).map((e) => ({
      action: String(e.action ?? '').toUpperCase(),
      onStatusReason: e.onStatusReason || undefined,
      onReason: e.onReason || undefined,
      onExitCode: e.onExitCode || undefined,
    })),
  };
}

/**
 * The runtime platform as comparable data, Batch's defaults filled in (X86_64, LINUX: "The default value
 * is X86_64", https://docs.aws.amazon.com/batch/latest/APIReference/API_RuntimePlatform.html): a revision
 * registered without one runs as one that says X86_64, so neither needs a new revision.
 */
function runtimePlatformOf(
  platform: { cpuArchitecture?: string; operatingSystemFamily?: string } | undefined,
): unknown {
  return {
    cpuArchitecture: platform?.cpuArchitecture || 'X86_64',
    operatingSystemFamily: platform?.operatingSystemFamily || 'LINUX',
  };
}

function resourcesOf(list: readonly { type?: string; value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((r) => [String(r.type ?? ''), String(r.value ?? '')]));
}

/**
 * What the latest revision needs to match the spec (empty: nothing). Only the fields the action sets
 * are compared (AWS fills in others, such as empty volume lists), each as data, not as text.
 */
export function jobDefinitionDifferences(current: JobDefinition, spec: JobDefinitionSpec): string[] {
  const diffs: string[] = [];
  const container = current.containerProperties ?? {};
  if (current.type !== spec.type) diffs.push('type');
  if (!sameJson([...(current.platformCapabilities ?? ['EC2'])].sort(), [...spec.platformCapabilities].sort())) {
    diffs.push('platform');
  }
  if (container.image !== spec.containerProperties.image) diffs.push('image');
  if (!sameJson(container.command ?? [], spec.containerProperties.command)) diffs.push('command');
  if ((container.jobRoleArn ?? '') !== spec.containerProperties.jobRoleArn) diffs.push('role');
  if ((container.executionRoleArn ?? '') !== (spec.containerProperties.executionRoleArn ?? '')) {
    diffs.push('execution role');
  }
  if (
    (container.networkConfiguration?.assignPublicIp ?? '') !==
    (spec.containerProperties.networkConfiguration?.assignPublicIp ?? '')
  ) {
    diffs.push('network');
  }
  if (
    (container.fargatePlatformConfiguration?.platformVersion ?? '') !==
    (spec.containerProperties.fargatePlatformConfiguration?.platformVersion ?? '')
  ) {
    diffs.push('platform version');
  }
  if (
    !sameJson(runtimePlatformOf(container.runtimePlatform), runtimePlatformOf(spec.containerProperties.runtimePlatform))
  ) {
    diffs.push('architecture');
  }
  if (!sameJson(envRecord(container.environment), envRecord(spec.containerProperties.environment))) {
    diffs.push('environment');
  }
  if (
    !sameJson(resourcesOf(container.resourceRequirements), resourcesOf(spec.containerProperties.resourceRequirements))
  ) {
    diffs.push('resources');
  }
  if (!sameJson(retryOf(current.retryStrategy), retryOf(spec.retryStrategy))) diffs.push('retry strategy');
  if ((current.timeout?.attemptDurationSeconds ?? 0) !== spec.timeout.attemptDurationSeconds) diffs.push('timeout');
  if (!sameJson(current.parameters ?? {}, spec.parameters)) diffs.push('parameters');
  return diffs;
}

/** The ACTIVE revision with the highest number, or undefined when there is none. */
export async function latestActiveRevision(client: BatchClient, name: string): Promise<JobDefinition | undefined> {
  return awsCall({ call: 'batch:DescribeJobDefinitions', resource: `job definition ${name}` }, async () => {
    let latest: JobDefinition | undefined;
    for await (const page of paginateDescribeJobDefinitions(
      { client },
      { jobDefinitionName: name, status: 'ACTIVE' },
    )) {
      for (const def of page.jobDefinitions ?? []) {
        if (def.jobDefinitionName !== name || def.status !== 'ACTIVE') continue;
        if (!latest || (def.revision ?? 0) > (latest.revision ?? 0)) latest = def;
      }
    }
    return latest;
  });
}

function missingTags(current: Record<string, string> | undefined, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).some(([k, v]) => current?.[k] !== v);
}

/**
 * The stage's job definition for `spec`: the latest ACTIVE revision when it matches (its tags updated
 * if they differ), else a new revision. A redeploy with nothing changed makes no mutating call.
 */
export async function ensureJobDefinition(client: BatchClient, spec: JobDefinitionSpec): Promise<JobDefinitionResult> {
  const latest = await latestActiveRevision(client, spec.jobDefinitionName);
  const differences = latest ? jobDefinitionDifferences(latest, spec) : [];
  if (!latest || differences.length > 0) {
    const registered = await awsCall(
      {
        call: 'batch:RegisterJobDefinition',
        resource: `job definition ${spec.jobDefinitionName}`,
        input: [INPUT.batchJobRoleArn, INPUT.batchExecutionRoleArn, INPUT.imageUri],
      },
      () =>
        client.send(
          new RegisterJobDefinitionCommand({
            jobDefinitionName: spec.jobDefinitionName,
            type: spec.type,
            platformCapabilities: [...spec.platformCapabilities],
            parameters: { ...spec.parameters },
            containerProperties: {
              image: spec.containerProperties.image,
              command: [...spec.containerProperties.command],
              jobRoleArn: spec.containerProperties.jobRoleArn,
              ...(spec.containerProperties.executionRoleArn
                ? { executionRoleArn: spec.containerProperties.executionRoleArn }
                : {}),
              environment: spec.containerProperties.environment.map((e) => ({ ...e })),
              resourceRequirements: spec.containerProperties.resourceRequirements.map((r) => ({ ...r })),
              ...(spec.containerProperties.networkConfiguration
                ? { networkConfiguration: { ...spec.containerProperties.networkConfiguration } }
                : {}),
              ...(spec.containerProperties.fargatePlatformConfiguration
                ? { fargatePlatformConfiguration: { ...spec.containerProperties.fargatePlatformConfiguration } }
                : {}),
              ...(spec.containerProperties.runtimePlatform
                ? { runtimePlatform: { ...spec.containerProperties.runtimePlatform } }
                : {}),
            },
            retryStrategy: {
              attempts: spec.retryStrategy.attempts,
              evaluateOnExit: spec.retryStrategy.evaluateOnExit.map((e) => ({ ...e })),
            },
            timeout: { ...spec.timeout },
            tags: { ...spec.tags },
          }),
        ),
    );
    return {
      arn: registered.jobDefinitionArn!,
      revision: registered.revision ?? 0,
      change: latest ? 'updated' : 'created',
      differences,
    };
  }
  if (missingTags(latest.tags, spec.tags)) {
    await awsCall({ call: 'batch:TagResource', resource: `job definition ${latest.jobDefinitionArn}` }, () =>
      client.send(new TagResourceCommand({ resourceArn: latest.jobDefinitionArn!, tags: { ...spec.tags } })),
    );
    differences.push('tags');
  }
  return {
    arn: latest.jobDefinitionArn!,
    revision: latest.revision ?? 0,
    change: differences.length ? 'updated' : 'unchanged',
    differences,
  };
}

// ---------------------------------------------------------------------------------------------
// Jobs.

export class SubmitError extends Error {
  constructor(
    message: string,
    /** Ids of the jobs submitted before the failure (already terminated when `terminated`). */
    readonly submitted: string[],
    readonly terminated: boolean,
  ) {
    super(message);
    this.name = 'SubmitError';
  }
}

/**
 * Submits the requests in order, each built from the ids of those before it (so `dependsOn` can name
 * them). When a submit fails, the jobs already submitted are terminated (nothing is left half-run) and
 * a {@link SubmitError} says which job failed and why.
 */
export async function submitJobs(
  client: BatchClient,
  count: number,
  request: (index: number, ids: readonly string[]) => SubmitJobRequest,
  options: { terminateReason: string; warn: (message: string) => void },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    let req: SubmitJobRequest | undefined;
    try {
      req = request(i, ids);
      const res = await client.send(
        new SubmitJobCommand({
          jobName: req.jobName,
          jobQueue: req.jobQueue,
          jobDefinition: req.jobDefinition,
          dependsOn: req.dependsOn.map((d) => ({ jobId: d.jobId })),
          ...(req.parameters ? { parameters: { ...req.parameters } } : {}),
          containerOverrides: {
            resourceRequirements: req.containerOverrides.resourceRequirements.map((r) => ({ ...r })),
            ...(req.containerOverrides.command ? { command: [...req.containerOverrides.command] } : {}),
          },
          timeout: { ...req.timeout },
          retryStrategy: {
            attempts: req.retryStrategy.attempts,
            evaluateOnExit: req.retryStrategy.evaluateOnExit.map((e) => ({ ...e })),
          },
          tags: { ...req.tags },
        }),
      );
      ids.push(res.jobId!);
    } catch (error) {
      const what = req ? `job ${req.jobName}` : `job ${i + 1}`;
      let terminated = false;
      if (ids.length > 0) {
        await terminateJobs(client, ids, options.terminateReason, options.warn);
        terminated = true;
      }
      // A request that could not even be built is not an AWS error.
      const said = req
        ? awsError(error, {
            call: 'batch:SubmitJob',
            resource: `job ${req.jobName} in queue ${req.jobQueue}`,
            input: [INPUT.batchJobQueue, INPUT.jobDefinitionArn],
          }).message
        : (error as Error).message;
      throw new SubmitError(`${what} could not be submitted: ${said}`, ids, terminated);
    }
  }
  return ids;
}

/** The jobs of `ids` as Batch describes them, with one DescribeJobs call per 100 ids. Unknown ids are left out. */
export async function describeJobs(client: BatchClient, ids: readonly string[]): Promise<JobDetail[]> {
  const out: JobDetail[] = [];
  for (let i = 0; i < ids.length; i += DESCRIBE_JOBS_MAX_IDS) {
    const chunk = ids.slice(i, i + DESCRIBE_JOBS_MAX_IDS);
    const res = await awsCall({ call: 'batch:DescribeJobs', resource: `job(s) ${listed(chunk)}` }, () =>
      client.send(new DescribeJobsCommand({ jobs: chunk })),
    );
    const wanted = new Set(chunk);
    // An emulator may answer with more than was asked; keep what was asked.
    out.push(...(res.jobs ?? []).filter((j) => wanted.has(j.jobId ?? '')));
  }
  return out;
}

/** A few ids and how many more, for an error message. */
function listed(ids: readonly string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED']);

/**
 * Terminates the jobs of `ids` that have not finished (TerminateJob cancels a job that has not
 * started and stops one that has). Returns the ids it terminated; a job that cannot be terminated is
 * reported through `warn`, not thrown.
 */
export async function terminateJobs(
  client: BatchClient,
  ids: readonly string[],
  reason: string,
  warn: (message: string) => void,
): Promise<string[]> {
  const unfinished = (await describeJobs(client, ids)).filter((j) => !FINISHED_STATUSES.has(j.status ?? ''));
  const done: string[] = [];
  for (const job of unfinished) {
    try {
      await awsCall({ call: 'batch:TerminateJob', resource: `job ${job.jobName ?? ''} (${job.jobId})` }, () =>
        client.send(new TerminateJobCommand({ jobId: job.jobId!, reason: reason.slice(0, 1024) })),
      );
      done.push(job.jobId!);
    } catch (error) {
      warn(`could not terminate Batch job ${job.jobName ?? ''} (${job.jobId}): ${(error as Error).message}`);
    }
  }
  return done;
}

/** Deregisters every ACTIVE job definition revision that carries all of `ownerTags`; returns their ARNs. */
export async function deregisterJobDefinitionsTagged(
  client: BatchClient,
  ownerTags: Record<string, string>,
): Promise<string[]> {
  const found: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeJobDefinitionsCommand({ status: 'ACTIVE', nextToken }));
    for (const def of page.jobDefinitions ?? []) {
      if (Object.entries(ownerTags).every(([k, v]) => def.tags?.[k] === v)) found.push(def.jobDefinitionArn!);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  for (const arn of found) await client.send(new DeregisterJobDefinitionCommand({ jobDefinition: arn }));
  return found;
}
