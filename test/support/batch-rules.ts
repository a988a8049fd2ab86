/**
 * A stand-in for the rules of AWS Batch that moto's Batch does not enforce (moto 5 registers a Fargate
 * job definition without an execution role or with any vCPU and memory, and runs any job definition on
 * any queue). Each rule follows the AWS Batch API reference:
 *
 * - ResourceRequirement (https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html):
 *   on EC2 resources at least one vCPU (whole vCPUs: each is 1,024 CPU shares; the older `vcpus` field is
 *   an integer) and at least 4 MiB of memory; on Fargate only the listed memory values, each with the
 *   vCPU values listed for it.
 * - ContainerProperties (https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html):
 *   "For jobs that run on Fargate resources, you must provide an execution role"; `networkConfiguration`
 *   and `fargatePlatformConfiguration` are for Fargate jobs, and "jobs that are running on Amazon EC2
 *   resources must not specify this parameter".
 * - RegisterJobDefinition `platformCapabilities`: EC2 when not given, FARGATE to run on Fargate resources;
 *   a job runs only on compute environments of its definition's platform, and a queue's compute
 *   environments are all EC2 (EC2, SPOT) or all Fargate (FARGATE, FARGATE_SPOT) (CreateJobQueue
 *   `computeEnvironmentOrder`, https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html).
 * - RuntimePlatform (https://docs.aws.amazon.com/batch/latest/APIReference/API_RuntimePlatform.html,
 *   and the CloudFormation page of the same, which says it for ARM64:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-batch-jobdefinition-runtimeplatform.html):
 *   `cpuArchitecture` is X86_64 or ARM64 and `operatingSystemFamily` one of the listed ones; Fargate Spot
 *   runs no ARM64 job, and "a job queue will be blocked if a Fargate ARM64 ... job is submitted to a job
 *   queue with only Fargate Spot compute environments" (AWS takes the submit; the model refuses it).
 * - SubmitJob: the job's vCPU and memory are the definition's, with `containerOverrides.resourceRequirements`
 *   replacing those of the same type; the same rules apply to the result.
 *
 * The Fargate table is transcribed here as the page lists it by memory (the code's table,
 * src/plan/settings.ts, is listed by vCPU), so each copy checks the other.
 *
 * `enforceBatchRules(lookup)` puts the rules in front of every BatchClient of this process (the action's
 * too): a RegisterJobDefinition or SubmitJob that breaks one is refused with a ClientException, as AWS
 * refuses it, before it reaches moto. `lookup` (a client that is not the action's, so that its reads are
 * not counted as the action's calls) reads the job definition and the queue a SubmitJob names.
 */
import {
  BatchClient,
  ClientException,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';

export type Platform = 'EC2' | 'FARGATE';

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** Fargate: memory (MiB) → the vCPU values that go with it, as the ResourceRequirement page lists them. */
export const FARGATE_VCPUS_BY_MEMORY: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  [512, [0.25]],
  [1024, [0.25, 0.5]],
  [2048, [0.25, 0.5, 1]],
  [3072, [0.5, 1]],
  [4096, [0.5, 1, 2]],
  ...[5120, 6144, 7168].map((m): [number, number[]] => [m, [1, 2]]),
  [8192, [1, 2, 4]],
  ...range(9216, 15360, 1024).map((m): [number, number[]] => [m, [2, 4]]),
  [16384, [2, 4, 8]],
  ...[17408, 18432, 19456, 21504, 22528, 23552, 25600, 26624, 27648, 29696, 30720].map((m): [number, number[]] => [
    m,
    [4],
  ]),
  ...[20480, 24576, 28672].map((m): [number, number[]] => [m, [4, 8]]),
  ...[36864, 45056, 53248].map((m): [number, number[]] => [m, [8]]),
  [61440, [8, 32]],
  ...[32768, 40960, 49152, 57344].map((m): [number, number[]] => [m, [8, 16]]),
  ...range(65536, 114688, 8192).map((m): [number, number[]] => [m, [16]]),
  [122880, [16, 32]],
  [249856, [32]],
]);

interface Requirement {
  type?: string;
  value?: string;
}

function resources(requirements: readonly Requirement[] | undefined): { vcpus?: number; memory?: number } {
  const of = (type: string) => {
    const value = requirements?.find((r) => r.type === type)?.value;
    return value === undefined ? undefined : Number(value);
  };
  const vcpus = of('VCPU');
  const memory = of('MEMORY');
  return { ...(vcpus === undefined ? {} : { vcpus }), ...(memory === undefined ? {} : { memory }) };
}

/** What AWS refuses in a job's (or a job definition's) vCPU and memory on `platform`. */
export function resourceProblems(platform: Platform, requirements: readonly Requirement[] | undefined): string[] {
  const { vcpus, memory } = resources(requirements);
  if (vcpus === undefined || memory === undefined) return ['resourceRequirements must give VCPU and MEMORY'];
  if (platform === 'EC2') {
    const problems: string[] = [];
    if (!Number.isInteger(vcpus) || vcpus < 1)
      problems.push(`EC2 resources need whole vCPUs, at least 1 (got ${vcpus})`);
    if (memory < 4) problems.push(`at least 4 MiB of memory (got ${memory})`);
    return problems;
  }
  const fits = FARGATE_VCPUS_BY_MEMORY.get(memory);
  if (!fits) return [`Fargate does not take MEMORY ${memory}`];
  if (!fits.includes(vcpus))
    return [`Fargate takes MEMORY ${memory} only with VCPU ${fits.join(' or ')} (got ${vcpus})`];
  return [];
}

/** The platform of a job definition (EC2 when `platformCapabilities` is not given). */
export function platformOf(capabilities: readonly string[] | undefined): Platform {
  return capabilities?.includes('FARGATE') ? 'FARGATE' : 'EC2';
}

interface ContainerLike {
  executionRoleArn?: string;
  resourceRequirements?: Requirement[];
  networkConfiguration?: unknown;
  fargatePlatformConfiguration?: unknown;
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
}

/** RuntimePlatform `operatingSystemFamily`: what the page lists. */
const OPERATING_SYSTEM_FAMILIES: readonly string[] = [
  'LINUX',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2022_FULL',
];

/** What AWS refuses in a RegisterJobDefinition request of a container job. */
export function jobDefinitionProblems(request: {
  platformCapabilities?: string[];
  containerProperties?: ContainerLike;
}): string[] {
  const platform = platformOf(request.platformCapabilities);
  const container = request.containerProperties ?? {};
  const problems = resourceProblems(platform, container.resourceRequirements);
  if (platform === 'FARGATE' && !container.executionRoleArn) {
    problems.push('a job definition for Fargate must give an execution role (executionRoleArn)');
  }
  if (platform === 'EC2' && container.networkConfiguration !== undefined) {
    problems.push('networkConfiguration is for Fargate jobs only');
  }
  if (platform === 'EC2' && container.fargatePlatformConfiguration !== undefined) {
    problems.push('fargatePlatformConfiguration is for Fargate jobs only');
  }
  const runtime = container.runtimePlatform;
  if (runtime?.cpuArchitecture !== undefined && !['X86_64', 'ARM64'].includes(runtime.cpuArchitecture)) {
    problems.push(`runtimePlatform.cpuArchitecture must be X86_64 or ARM64 (got ${runtime.cpuArchitecture})`);
  }
  if (
    runtime?.operatingSystemFamily !== undefined &&
    !OPERATING_SYSTEM_FAMILIES.includes(runtime.operatingSystemFamily)
  ) {
    problems.push(`runtimePlatform.operatingSystemFamily ${runtime.operatingSystemFamily} is not one AWS Batch takes`);
  }
  return problems;
}

/** A job's resources: the definition's, each type replaced by an override of that type. */
export function mergedRequirements(
  definition: readonly Requirement[] | undefined,
  overrides: readonly Requirement[] | undefined,
): Requirement[] {
  const byType = new Map<string, Requirement>();
  for (const r of [...(definition ?? []), ...(overrides ?? [])]) byType.set(r.type ?? '', r);
  return [...byType.values()];
}

export interface BatchRules {
  /** Every request refused, with why. */
  readonly refused: { operation: string; problems: string[] }[];
  /** Puts BatchClient back as it was. */
  restore(): void;
}

type Send = (this: BatchClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;

function refuse(operation: string, problems: string[]): never {
  throw new ClientException({
    message: `${operation}: ${problems.join('; ')} (AWS Batch refuses this; test/support/batch-rules.ts)`,
    $metadata: { httpStatusCode: 400 },
  });
}

/**
 * The platform of the queue `queue` names: of its compute environments (all one or the other); and
 * whether they are all FARGATE_SPOT.
 */
async function queuePlatformOf(
  lookup: BatchClient,
  queue: string,
): Promise<{ platform: Platform | 'MIXED'; spotOnly: boolean } | undefined> {
  const { jobQueues } = await lookup.send(new DescribeJobQueuesCommand({ jobQueues: [queue] }));
  const names = (jobQueues?.[0]?.computeEnvironmentOrder ?? []).map((o) => o.computeEnvironment!);
  if (names.length === 0) return undefined;
  const { computeEnvironments } = await lookup.send(
    new DescribeComputeEnvironmentsCommand({ computeEnvironments: names }),
  );
  const types = (computeEnvironments ?? []).map((e) => e.computeResources?.type ?? '');
  const platforms = new Set(types.map((t) => (t.startsWith('FARGATE') ? 'FARGATE' : 'EC2')));
  const spotOnly = types.length > 0 && types.every((t) => t === 'FARGATE_SPOT');
  return { platform: platforms.size !== 1 ? 'MIXED' : ([...platforms][0] as Platform), spotOnly };
}

export function enforceBatchRules(lookup: BatchClient): BatchRules {
  const prototype = BatchClient.prototype as unknown as { send: Send };
  const original = prototype.send;
  const rules: BatchRules = {
    refused: [],
    restore: () => {
      prototype.send = original;
    },
  };
  prototype.send = async function (this: BatchClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof RegisterJobDefinitionCommand && command.input.type !== 'multinode') {
      const problems = jobDefinitionProblems(command.input as Parameters<typeof jobDefinitionProblems>[0]);
      if (problems.length > 0) {
        rules.refused.push({ operation: 'RegisterJobDefinition', problems });
        refuse('RegisterJobDefinition', problems);
      }
    }
    if (command instanceof SubmitJobCommand) {
      const { jobDefinition, jobQueue, containerOverrides } = command.input;
      const { jobDefinitions } = await lookup.send(
        new DescribeJobDefinitionsCommand({ jobDefinitions: [jobDefinition!] }),
      );
      const definition = jobDefinitions?.[0];
      if (definition) {
        const platform = platformOf(definition.platformCapabilities);
        const problems = resourceProblems(
          platform,
          mergedRequirements(
            definition.containerProperties?.resourceRequirements,
            containerOverrides?.resourceRequirements,
          ),
        );
        const queue = await queuePlatformOf(lookup, jobQueue!);
        if (queue !== undefined && queue.platform !== platform) {
          problems.push(
            `job definition ${definition.jobDefinitionName} is for ${platform}, and job queue ${jobQueue} runs on ${queue.platform}`,
          );
        }
        // AWS takes the job, and the queue is blocked: refused here so that a test sees it.
        if (queue?.spotOnly && definition.containerProperties?.runtimePlatform?.cpuArchitecture === 'ARM64') {
          problems.push(
            `job definition ${definition.jobDefinitionName} is ARM64, and job queue ${jobQueue} has only FARGATE_SPOT ` +
              'compute environments, which run no ARM64 job (the queue would be blocked)',
          );
        }
        if (problems.length > 0) {
          rules.refused.push({ operation: 'SubmitJob', problems });
          refuse('SubmitJob', problems);
        }
      }
    }
    return original.call(this, command, ...rest);
  };
  return rules;
}
