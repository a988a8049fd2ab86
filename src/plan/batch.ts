/**
 * The deployment plan → the AWS Batch side of a run: the one job definition of a stage, and the job
 * graph of a run (one job per group, plus the join jobs that keep every job within Batch's limit on
 * dependencies), each job with its overrides, ready to submit.
 *
 * Jobs. Every group is one job of the stage's job definition. The job definition's command runs the
 * Batch entry (`python/kedro_aws_action/batch_entry.py`) with Batch parameter references
 * (`--group Ref::group ...`), so a job only carries its parameters: `group`, `type`, `nodes`, `env`,
 * `pipeline` fixed by the plan, `run_id` and `runtime_params` by the run. A group's settings become
 * the job's overrides: `vcpus` and `memory_mb` its VCPU and MEMORY resource requirements,
 * `timeout_seconds` its `attemptDurationSeconds` (Batch's minimum is 60), `retries` its attempts
 * (`retries + 1`, at most 10). The job definition holds only the built-in defaults, so a change of
 * one group's settings never registers a new revision.
 *
 * Retries. Like the Lambda target (which retries only the Lambda service's own errors), a job is
 * retried only when the infrastructure failed it (the instance went away, the container could not
 * start), never for the group's own error: retrying a group that failed on its data only fails
 * again, later. See {@link INFRASTRUCTURE_RETRY}.
 *
 * Dependencies. A job depends on the jobs of its group's dependencies after transitive reduction.
 * Batch accepts at most {@link MAX_DEPENDS_ON} (20) per job; where a group has more, some of them
 * are gathered behind join jobs (no work: the entry's `--join`), each depending on at most 20
 * jobs, joins of joins beyond 400. The fewest joins are used (each one saves at most 19 edges), and
 * identical chunks share one join. Which group can start after which is exactly as in the plan: the
 * joins add no waiting that the dependencies do not imply.
 *
 * Platforms. A job queue runs its jobs on EC2 (compute environments of type EC2, SPOT, or unmanaged)
 * or on Fargate (FARGATE, FARGATE_SPOT); AWS does not mix the two in one queue. The stage has one job
 * definition per platform (`<project>-<stage>` for EC2, `<project>-<stage>_fargate` for Fargate), each
 * valid for it: a Fargate one names the execution role ECS pulls the image and writes the logs with,
 * its network configuration (whether the job gets a public IP) and platform version; an EC2 one has
 * none of these. A group's vCPUs and memory must suit the platform: a whole number of vCPUs of at least
 * 1 on EC2, one of Fargate's vCPU and memory pairs on Fargate ({@link batchSettingsProblems}).
 *
 * Limits relied on (AWS Batch API reference and quotas): `dependsOn` at most 20 jobs;
 * `attemptDurationSeconds` at least 60; `retryStrategy.attempts` 1–10; `evaluateOnExit` at most 5
 * entries; job names up to 128 characters of letters, digits, `-` and `_` (the planner's
 * `batchJob` names); the SubmitJob payload at most 30 KiB; at most 50 tags, values up to 256
 * characters of letters, digits, spaces and `_ . : / = + - @`; Fargate's vCPU and memory pairs and the
 * Fargate-only fields of a job definition (ResourceRequirement, ContainerProperties,
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html and
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html); a queue's compute
 * environments all EC2 or all Fargate (CreateJobQueue `computeEnvironmentOrder`).
 *
 * Pure: no I/O.
 */
import type { CpuArchitecture } from './batch-architecture';
import type { BatchPlatform, PlatformChoice } from './batch-platform';
import { groupEnvironment } from './environment';
import { PlanningError, quote, quoteList } from './errors';
import { awsName } from './names';
import type { DeploymentPlan, PlannedGroup } from './planner';
import { BUILT_IN_DEFAULTS, describeOrigin, FARGATE_RESOURCES, LIMITS } from './settings';

/** AWS Batch: the most jobs one job may depend on. */
export const MAX_DEPENDS_ON = 20;
/** AWS Batch: the shortest job timeout (`attemptDurationSeconds`). */
export const MIN_ATTEMPT_SECONDS = 60;
/** AWS Batch: the most attempts of one job. */
export const MAX_ATTEMPTS = 10;
/** AWS Batch quota: the largest SubmitJob payload (parameters, overrides, tags, ...), in bytes. */
export const MAX_SUBMIT_PAYLOAD_BYTES = 30 * 1024;
/** The node list of a namespace group is left out of its job (`--nodes []`) beyond this many bytes. */
export const MAX_NODES_PARAMETER_BYTES = 8 * 1024;

/** The Python module the image runs for a job (shipped by the action, copied into the image). */
export const BATCH_ENTRY_MODULE = 'kedro_aws_action.batch_entry';
/** The interpreter of the image. */
export const BATCH_PYTHON = 'python3';

/** Batch parameters of a job, each filling a `Ref::<name>` of the job definition's command. */
export const JOB_PARAMETERS = ['group', 'type', 'nodes', 'env', 'run_id', 'runtime_params', 'pipeline'] as const;
export type JobParameter = (typeof JOB_PARAMETERS)[number];

/** The entry's option for each parameter (python/kedro_aws_action/batch_entry.py). */
const OPTION_OF: Readonly<Record<JobParameter, string>> = {
  group: '--group',
  type: '--type',
  nodes: '--nodes',
  env: '--env',
  run_id: '--run-id',
  runtime_params: '--runtime-params-json',
  pipeline: '--pipeline',
};

export {
  BATCH_PLATFORMS,
  type BatchPlatform,
  type ComputeEnvironmentFacts,
  type PlatformChoice,
  queuePlatform,
} from './batch-platform';

/** Resources of a join job: it starts a Python interpreter that exits at once (the least each platform gives). */
export const JOIN_RESOURCES = { vcpus: 1, memoryMb: 256, timeoutSeconds: 300, attempts: 3 } as const;
const JOIN_RESOURCES_OF: Readonly<Record<BatchPlatform, { vcpus: number; memoryMb: number }>> = {
  EC2: { vcpus: JOIN_RESOURCES.vcpus, memoryMb: JOIN_RESOURCES.memoryMb },
  FARGATE: { vcpus: 0.25, memoryMb: 512 },
};

/**
 * The resources of the job definition itself (every job overrides them with its group's): the
 * built-in defaults, with on Fargate the least memory Fargate gives the built-in vCPUs.
 */
export function jobDefinitionResources(platform: BatchPlatform): { vcpus: number; memoryMb: number } {
  const vcpus = BUILT_IN_DEFAULTS.vcpus;
  if (platform === 'EC2') return { vcpus, memoryMb: BUILT_IN_DEFAULTS.memory_mb };
  const memory = FARGATE_RESOURCES.get(vcpus) ?? [];
  return { vcpus, memoryMb: memory.find((m) => m >= BUILT_IN_DEFAULTS.memory_mb) ?? (memory[0] as number) };
}

/** The Fargate platform version of the job definitions (Batch's default when none is given). */
export const FARGATE_PLATFORM_VERSION = 'LATEST';

/** Where the pairs come from, for messages. */
export const FARGATE_PAIRS_PAGE = 'https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html';

/** `2048 to 8192 MiB in steps of 1024`, or the values themselves when they are not evenly spaced. */
function memoryRange(values: readonly number[]): string {
  const step = (values[1] ?? 0) - (values[0] ?? 0);
  const even = values.length > 3 && values.every((v, i) => i === 0 || v - (values[i - 1] as number) === step);
  if (even) return `${values[0]} to ${values.at(-1)} MiB in steps of ${step}`;
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1)} MiB`;
}

/** Every vCPU and memory pair Fargate accepts, in one line. */
export function fargatePairs(): string {
  return [...FARGATE_RESOURCES].map(([vcpus, memory]) => `${vcpus} vCPU: ${memoryRange(memory)}`).join('; ');
}

export type ResourceType = 'VCPU' | 'MEMORY';
export interface ResourceRequirement {
  readonly type: ResourceType;
  readonly value: string;
}

export interface EvaluateOnExit {
  readonly action: 'RETRY' | 'EXIT';
  readonly onStatusReason?: string;
  readonly onReason?: string;
  readonly onExitCode?: string;
}

export interface RetryStrategy {
  readonly attempts: number;
  readonly evaluateOnExit: readonly EvaluateOnExit[];
}

/**
 * When a failed attempt is retried (up to the group's `retries`): only when the infrastructure
 * failed it. The entries are AWS's documented status reasons: the EC2 instance was terminated or
 * reclaimed (`Host EC2 (instance i-...) terminated.`), the container agent failed (`AGENT`), the
 * task or the container could not start. Everything else (the group's own non-zero exit, a timeout)
 * ends the job. Evaluated in order; at most 5 entries.
 */
export const INFRASTRUCTURE_RETRY: readonly EvaluateOnExit[] = [
  { action: 'RETRY', onStatusReason: 'Host EC2*' },
  { action: 'RETRY', onReason: 'AGENT' },
  { action: 'RETRY', onStatusReason: 'Task failed to start' },
  { action: 'RETRY', onReason: 'CannotStartContainerError*' },
  { action: 'EXIT', onReason: '*' },
];

export function retryStrategy(attempts: number): RetryStrategy {
  return { attempts, evaluateOnExit: INFRASTRUCTURE_RETRY };
}

export function resourceRequirements(vcpus: number, memoryMb: number): ResourceRequirement[] {
  return [
    { type: 'VCPU', value: String(vcpus) },
    { type: 'MEMORY', value: String(memoryMb) },
  ];
}

// ---------------------------------------------------------------------------------------------
// The job definition.

/** The container command of the job definition: the entry, every value a Batch parameter reference. */
export function jobDefinitionCommand(): string[] {
  return [BATCH_PYTHON, '-m', BATCH_ENTRY_MODULE, ...JOB_PARAMETERS.flatMap((p) => [OPTION_OF[p], `Ref::${p}`])];
}

/** The command of a join job (overrides the job definition's). */
export function joinCommand(name: string): string[] {
  return [BATCH_PYTHON, '-m', BATCH_ENTRY_MODULE, '--join', name];
}

/** What sets the Fargate job definition's name apart: `_` cannot appear in a stage, so no stage's EC2 name has it. */
const FARGATE_SUFFIX = '_fargate';

/**
 * The name of the stage's job definition for a platform (≤ 128): `<project>-<stage>` on EC2,
 * `<project>-<stage>_fargate` on Fargate (one job definition per platform per stage).
 */
export function jobDefinitionName(
  plan: Pick<DeploymentPlan, 'project' | 'stage'>,
  platform: BatchPlatform = 'EC2',
): string {
  const base = awsName('jobDefinition', [plan.project, plan.stage]);
  if (platform === 'EC2') return base;
  if (base.length + FARGATE_SUFFIX.length <= 128) return `${base}${FARGATE_SUFFIX}`;
  return awsName('jobDefinition', [plan.project, plan.stage, FARGATE_SUFFIX], { forceHash: true });
}

/** What RegisterJobDefinition is given (field names as the API's). */
export interface JobDefinitionSpec {
  readonly jobDefinitionName: string;
  readonly type: 'container';
  readonly platformCapabilities: readonly [BatchPlatform];
  /** Defaults of the parameters a job may leave out. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly containerProperties: {
    readonly image: string;
    readonly command: readonly string[];
    readonly jobRoleArn: string;
    /** The role ECS pulls the image and writes the logs with; required on Fargate. */
    readonly executionRoleArn?: string;
    readonly environment: readonly { readonly name: string; readonly value: string }[];
    readonly resourceRequirements: readonly ResourceRequirement[];
    /** Fargate only: whether the job's network interface gets a public IP (to reach ECR without a NAT gateway). */
    readonly networkConfiguration?: { readonly assignPublicIp: 'ENABLED' | 'DISABLED' };
    /** Fargate only. */
    readonly fargatePlatformConfiguration?: { readonly platformVersion: string };
    /** Fargate only: the architecture Fargate provisions for the job (X86_64 when not given). */
    readonly runtimePlatform?: { readonly cpuArchitecture: CpuArchitecture; readonly operatingSystemFamily: 'LINUX' };
  };
  readonly retryStrategy: RetryStrategy;
  readonly timeout: { readonly attemptDurationSeconds: number };
  readonly tags: Readonly<Record<string, string>>;
}

export interface JobDefinitionOptions {
  /** Digest-pinned image URI. */
  readonly imageUri: string;
  /** The role the jobs run as (the `batch-job-role-arn` input): S3 access for the datasets. */
  readonly jobRoleArn: string;
  /** The Kedro project's package (KEDRO_PACKAGE_NAME). */
  readonly packageName: string;
  /** Where the stage's run records go (see environment.ts). */
  readonly recordsUrl: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The platform of the job queue (default EC2). */
  readonly platform?: BatchPlatform;
  /** The `batch-execution-role-arn` input; required on Fargate, used on EC2 when given. */
  readonly executionRoleArn?: string;
  /** The `batch-assign-public-ip` input (Fargate only; default false). */
  readonly assignPublicIp?: boolean;
  /** The image's architecture (Fargate only: an EC2 job runs on the instance's; default X86_64). */
  readonly cpuArchitecture?: CpuArchitecture;
}

/**
 * The job definition of a stage for a platform: the image, the entry's command, the roles, the
 * environment, and the built-in defaults of the settings (every job overrides them with its group's);
 * on Fargate also the network configuration, the platform version and the runtime platform (the image's
 * CPU architecture: Fargate runs X86_64 when a job definition does not say; an EC2 job runs on its
 * instance's architecture, so an EC2 job definition names none).
 */
export function jobDefinitionSpec(plan: DeploymentPlan, options: JobDefinitionOptions): JobDefinitionSpec {
  const platform = options.platform ?? 'EC2';
  if (platform === 'FARGATE' && !options.executionRoleArn) {
    throw new Error('internal: a Fargate job definition needs an execution role');
  }
  const environment = groupEnvironment({
    packageName: options.packageName,
    env: plan.env,
    recordsUrl: options.recordsUrl,
  });
  const resources = jobDefinitionResources(platform);
  return {
    jobDefinitionName: jobDefinitionName(plan, platform),
    type: 'container',
    platformCapabilities: [platform],
    parameters: { nodes: '[]', runtime_params: '{}', pipeline: plan.pipeline, env: plan.env },
    containerProperties: {
      image: options.imageUri,
      command: jobDefinitionCommand(),
      jobRoleArn: options.jobRoleArn,
      ...(options.executionRoleArn ? { executionRoleArn: options.executionRoleArn } : {}),
      environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
      resourceRequirements: resourceRequirements(resources.vcpus, resources.memoryMb),
      ...(platform === 'FARGATE'
        ? {
            networkConfiguration: { assignPublicIp: options.assignPublicIp ? 'ENABLED' : 'DISABLED' },
            fargatePlatformConfiguration: { platformVersion: FARGATE_PLATFORM_VERSION },
            runtimePlatform: { cpuArchitecture: options.cpuArchitecture ?? 'X86_64', operatingSystemFamily: 'LINUX' },
          }
        : {}),
    },
    retryStrategy: retryStrategy(BUILT_IN_DEFAULTS.retries + 1),
    timeout: { attemptDurationSeconds: BUILT_IN_DEFAULTS.timeout_seconds },
    tags: { ...options.tags },
  };
}

// ---------------------------------------------------------------------------------------------
// The job graph.

/** One job of a run: a group's, or a join. */
export interface BatchJob {
  /** Position in {@link BatchJobGraph.jobs}: the submission order. */
  readonly index: number;
  readonly kind: 'group' | 'join';
  /** The Kedro group (kind `group`). */
  readonly group: string | undefined;
  /** The Batch job name (≤ 128, `[A-Za-z0-9_-]`, first character a letter or digit). */
  readonly jobName: string;
  /** Indices of the jobs it depends on, each smaller than `index`; at most {@link MAX_DEPENDS_ON}. */
  readonly dependsOn: readonly number[];
  /** The groups whose jobs it waits for, directly or through joins (sorted). */
  readonly waitsFor: readonly string[];
  /** Parameters fixed by the plan (kind `group`); the run adds `run_id` and `runtime_params`. */
  readonly parameters: Readonly<Record<string, string>> | undefined;
  /** The job's command, when it is not the job definition's (joins). */
  readonly command: readonly string[] | undefined;
  readonly resourceRequirements: readonly ResourceRequirement[];
  readonly attemptDurationSeconds: number;
  readonly retryStrategy: RetryStrategy;
}

export interface BatchJobGraph {
  /** In submission order: every job after all the jobs it depends on. */
  readonly jobs: readonly BatchJob[];
  /** Group name → index of its job. */
  readonly groupJob: ReadonlyMap<string, number>;
  readonly joins: number;
}

/** One group's vCPUs and memory that its platform refuses; put together by cause in {@link platformProblems}. */
interface PlatformFailure {
  readonly group: string;
  readonly cause: string;
}

/** Why the groups' vCPUs and memory cannot run on the platform, one sentence per cause. */
function platformProblems(groups: readonly PlannedGroup[], choice: PlatformChoice): string[] {
  const failures: PlatformFailure[] = [];
  const on = `on ${choice.platform} (${choice.why})`;
  for (const g of groups) {
    const s = g.settings;
    const from = (key: keyof PlannedGroup['settings']) => describeOrigin(g.settingOrigins[key]);
    if (choice.platform === 'EC2') {
      if (!Number.isInteger(s.vcpus) || s.vcpus < LIMITS.batch.ec2VcpusMin) {
        failures.push({
          group: g.name,
          cause:
            `vcpus ${s.vcpus} (from ${from('vcpus')}) is not a whole number of at least ${LIMITS.batch.ec2VcpusMin}, ` +
            `which AWS Batch needs ${on}; give whole vCPUs, or use a Fargate job queue for fractions of one.`,
        });
      }
      continue;
    }
    const memory = FARGATE_RESOURCES.get(s.vcpus);
    if (!memory) {
      failures.push({
        group: g.name,
        cause:
          `vcpus ${s.vcpus} (from ${from('vcpus')}) is not a vCPU value Fargate accepts ${on}: ` +
          `give one of ${[...FARGATE_RESOURCES.keys()].join(', ')}.`,
      });
    } else if (!memory.includes(s.memory_mb)) {
      const fits = [...FARGATE_RESOURCES].filter(([, m]) => m.includes(s.memory_mb)).map(([v]) => v);
      failures.push({
        group: g.name,
        cause:
          `memory_mb ${s.memory_mb} (from ${from('memory_mb')}) with vcpus ${s.vcpus} (from ${from('vcpus')}) is ` +
          `not a vCPU and memory pair Fargate accepts ${on}: with ${s.vcpus} vCPU Fargate takes ${memoryRange(memory)}` +
          (fits.length ? `, and ${s.memory_mb} MiB goes with vcpus ${fits.join(' or ')}` : '') +
          '; set memory_mb (or vcpus) to a pair of the list below.',
      });
    }
  }
  const byCause = new Map<string, string[]>();
  for (const f of failures) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f.group]);
  const problems = [...byCause].map(([cause, names]) => {
    const shown =
      names.length <= 6
        ? quoteList(names)
        : `${names
            .slice(0, 6)
            .map((n) => quote(n))
            .join(', ')} and ${names.length - 6} more`;
    return `${names.length === 1 ? 'group' : 'groups'} ${shown}: ${cause}`;
  });
  if (choice.platform === 'FARGATE' && problems.length > 0) {
    problems.push(`The vCPU and memory pairs Fargate accepts (${FARGATE_PAIRS_PAGE}): ${fargatePairs()}.`);
  }
  return problems;
}

/**
 * Why a group's settings cannot run on Batch, one sentence each (empty when they can). With the
 * platform of the job queue, also whether its vCPUs and memory suit that platform.
 */
export function batchSettingsProblems(groups: readonly PlannedGroup[], platform?: PlatformChoice): string[] {
  const problems: string[] = [];
  const target = 'with target batch (every group runs as a Batch job, whatever its `compute`)';
  for (const g of groups) {
    const s = g.settings;
    const from = (key: keyof PlannedGroup['settings']) => describeOrigin(g.settingOrigins[key]);
    if (s.compute === 'sagemaker') {
      problems.push(
        `group ${quote(g.name)}: compute sagemaker (from ${from('compute')}) runs a SageMaker job from the Step ` +
          'Functions state machine, which target batch does not have; use target step-functions (its groups may ' +
          'say compute: batch too), or another compute for this group.',
      );
      continue;
    }
    if (s.timeout_seconds < MIN_ATTEMPT_SECONDS) {
      problems.push(
        `group ${quote(g.name)}: timeout_seconds ${s.timeout_seconds} (from ${from('timeout_seconds')}) is below the ` +
          `AWS Batch minimum job timeout (attemptDurationSeconds) of ${MIN_ATTEMPT_SECONDS} seconds ${target}; raise it.`,
      );
    }
    if (s.retries < 0 || s.retries > MAX_ATTEMPTS - 1) {
      problems.push(
        `group ${quote(g.name)}: retries ${s.retries} (from ${from('retries')}) is outside 0 to ${MAX_ATTEMPTS - 1} ` +
          `${target}: AWS Batch runs a job at most ${MAX_ATTEMPTS} times (attempts = retries + 1).`,
      );
    }
    if (s.memory_mb < LIMITS.batch.memoryMinMb) {
      problems.push(
        `group ${quote(g.name)}: memory_mb ${s.memory_mb} (from ${from('memory_mb')}) is below the AWS Batch minimum ` +
          `of ${LIMITS.batch.memoryMinMb} MiB ${target}; raise it.`,
      );
    }
  }
  if (platform) problems.push(...platformProblems(groups, platform));
  return problems;
}

/** The nodes parameter of a group: its node list, left out of a long namespace group. */
function nodesParameter(group: PlannedGroup): string {
  const json = JSON.stringify(group.nodes);
  if (group.type === 'namespace' && Buffer.byteLength(json, 'utf8') > MAX_NODES_PARAMETER_BYTES) return '[]';
  return json;
}

/** The Batch parameters of a group's job fixed by the plan (a run adds `run_id` and `runtime_params`). */
export function groupJobParameters(group: PlannedGroup, env: string, pipeline: string): Record<string, string> {
  return { group: group.name, type: group.type, nodes: nodesParameter(group), env, pipeline };
}

/**
 * The jobs of a run of `plan` on a job queue's platform: one per group, in the plan's dependency
 * order, with joins where a group has more than {@link MAX_DEPENDS_ON} (reduced) dependencies. Without
 * `platform`, the jobs are checked only against what every platform refuses and joins get EC2's
 * resources (enough for a graph that is only waited for).
 *
 * @throws PlanningError for settings Batch refuses (a timeout under 60 s, more than 9 retries, vCPUs
 * and memory the platform does not take).
 */
export function buildJobGraph(plan: DeploymentPlan, platform?: PlatformChoice): BatchJobGraph {
  const problems = batchSettingsProblems(plan.groups, platform);
  if (problems.length > 0) throw new PlanningError(problems);
  const joinResources = JOIN_RESOURCES_OF[platform?.platform ?? 'EC2'];

  const jobs: BatchJob[] = [];
  const groupJob = new Map<string, number>();
  const joinOf = new Map<string, number>();
  let joins = 0;

  const waitsForOf = (members: readonly number[]): string[] => {
    const names = new Set<string>();
    for (const m of members) {
      const job = jobs[m] as BatchJob;
      if (job.kind === 'group') names.add(job.group as string);
      for (const n of job.waitsFor) names.add(n);
    }
    return [...names].sort();
  };

  const join = (members: readonly number[]): number => {
    const key = members.join(',');
    const known = joinOf.get(key);
    if (known !== undefined) return known;
    joins += 1;
    const jobName = awsName('batchJob', [plan.project, plan.stage, 'join', String(joins)]);
    const index = jobs.length;
    jobs.push({
      index,
      kind: 'join',
      group: undefined,
      jobName,
      dependsOn: [...members],
      waitsFor: waitsForOf(members),
      parameters: undefined,
      command: joinCommand(jobName),
      resourceRequirements: resourceRequirements(joinResources.vcpus, joinResources.memoryMb),
      attemptDurationSeconds: JOIN_RESOURCES.timeoutSeconds,
      retryStrategy: retryStrategy(JOIN_RESOURCES.attempts),
    });
    joinOf.set(key, index);
    return index;
  };

  /**
   * At most MAX_DEPENDS_ON jobs standing for `members`: the first members are gathered into joins of
   * up to 20 (each saves up to 19 edges, so this uses the fewest joins), the joins queued behind the
   * rest, until at most 20 remain.
   */
  const fanIn = (members: readonly number[]): number[] => {
    const queue = [...members].sort((a, b) => a - b);
    while (queue.length > MAX_DEPENDS_ON) {
      const take = Math.min(MAX_DEPENDS_ON, queue.length - MAX_DEPENDS_ON + 1);
      queue.push(join(queue.splice(0, take)));
    }
    return queue;
  };

  for (const group of plan.groups) {
    const deps = group.reducedDependencies.map((d) => {
      const index = groupJob.get(d);
      if (index === undefined) throw new Error(`internal: group ${d} has no job before ${group.name}`);
      return index;
    });
    const dependsOn = fanIn(deps);
    const index = jobs.length;
    const s = group.settings;
    jobs.push({
      index,
      kind: 'group',
      group: group.name,
      jobName: group.names.batchJob,
      dependsOn,
      waitsFor: waitsForOf(dependsOn),
      parameters: groupJobParameters(group, plan.env, plan.pipeline),
      command: undefined,
      resourceRequirements: resourceRequirements(s.vcpus, s.memory_mb),
      attemptDurationSeconds: s.timeout_seconds,
      retryStrategy: retryStrategy(s.retries + 1),
    });
    groupJob.set(group.name, index);
  }
  return { jobs, groupJob, joins };
}

// ---------------------------------------------------------------------------------------------
// Submitting.

/** What SubmitJob is given (field names as the API's). */
export interface SubmitJobRequest {
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly dependsOn: readonly { readonly jobId: string }[];
  readonly parameters?: Readonly<Record<string, string>>;
  readonly containerOverrides: {
    readonly resourceRequirements: readonly ResourceRequirement[];
    readonly command?: readonly string[];
  };
  readonly timeout: { readonly attemptDurationSeconds: number };
  readonly retryStrategy: RetryStrategy;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RunContext {
  readonly jobQueue: string;
  /** The job definition (ARN with its revision, or name). */
  readonly jobDefinition: string;
  readonly runId: string;
  readonly runtimeParams: Readonly<Record<string, unknown>>;
  /** Tags of every job of the stage (project, stage, git SHA); the run id and group are added. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Tag keys a job carries besides the stage's. */
export const RUN_TAG = 'kedro-aws:run-id';
export const GROUP_TAG = 'kedro-aws:group';

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** A tag value AWS accepts: the value itself when it can be one, else `fallback`. */
export function tagValue(value: string, fallback: string): string {
  return TAG_VALUE.test(value) ? value : fallback;
}

/**
 * The SubmitJob request of `job` in a run, given the ids of the jobs submitted before it.
 *
 * @throws PlanningError when the request would pass Batch's 30 KiB payload quota (large runtime params).
 */
export function submitJobRequest(job: BatchJob, run: RunContext, jobIds: readonly string[]): SubmitJobRequest {
  const dependsOn = job.dependsOn.map((i) => {
    const jobId = jobIds[i];
    if (jobId === undefined) throw new Error(`internal: job ${i} was not submitted before job ${job.index}`);
    return { jobId };
  });
  const tags: Record<string, string> = {
    ...run.tags,
    [RUN_TAG]: tagValue(run.runId, 'invalid'),
    [GROUP_TAG]: job.kind === 'group' ? tagValue(job.group as string, job.jobName) : 'join',
  };
  const request: SubmitJobRequest = {
    jobName: job.jobName,
    jobQueue: run.jobQueue,
    jobDefinition: run.jobDefinition,
    dependsOn,
    ...(job.parameters
      ? { parameters: { ...job.parameters, run_id: run.runId, runtime_params: JSON.stringify(run.runtimeParams) } }
      : {}),
    containerOverrides: {
      resourceRequirements: job.resourceRequirements,
      ...(job.command ? { command: job.command } : {}),
    },
    timeout: { attemptDurationSeconds: job.attemptDurationSeconds },
    retryStrategy: job.retryStrategy,
    tags,
  };
  const bytes = Buffer.byteLength(JSON.stringify(request), 'utf8');
  if (bytes > MAX_SUBMIT_PAYLOAD_BYTES) {
    throw new PlanningError([
      `the Batch job of ${job.group === undefined ? `join ${quote(job.jobName)}` : `group ${quote(job.group)}`} would be ` +
        `${bytes.toLocaleString('en-US')} bytes to submit, over the AWS Batch limit of ` +
        `${MAX_SUBMIT_PAYLOAD_BYTES.toLocaleString('en-US')} bytes per job; give fewer or shorter runtime params.`,
    ]);
  }
  return request;
}
