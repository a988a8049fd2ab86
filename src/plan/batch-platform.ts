/**
 * The platform (EC2 or Fargate) of an AWS Batch job queue, from what DescribeJobQueues and
 * DescribeComputeEnvironments say. Apart from src/plan/batch.ts so that the AWS effects (and the post
 * step's bundle, which must not carry zod) reach it without the group settings' schema.
 *
 * Pure: no I/O.
 */
import { quoteList } from './errors';

/** Where a queue's jobs run; a job definition's `platformCapabilities`. */
export const BATCH_PLATFORMS = ['EC2', 'FARGATE'] as const;
export type BatchPlatform = (typeof BATCH_PLATFORMS)[number];

/** A compute environment of a job queue, as DescribeComputeEnvironments describes it. */
export interface ComputeEnvironmentFacts {
  readonly name: string;
  /** MANAGED or UNMANAGED. */
  readonly type: string | undefined;
  /** `computeResources.type` of a managed one: EC2, SPOT, FARGATE, FARGATE_SPOT. */
  readonly resourcesType: string | undefined;
  /** ECS (the default) or EKS. */
  readonly orchestration: string | undefined;
  /** `computeResources.instanceTypes` of a managed EC2 or SPOT one (`optimal`, `default_arm64`, `m6g`, `c7g.large`). */
  readonly instanceTypes?: readonly string[];
}

/**
 * The platform of a job queue: from its `jobQueueType` when AWS gives it (ECS, ECS_FARGATE), else from
 * its compute environments (FARGATE and FARGATE_SPOT run on Fargate; EC2, SPOT and unmanaged ones on
 * EC2). An EKS queue, one that mixes the two, or one without compute environments is a problem to say.
 */
export function queuePlatform(
  queue: string,
  jobQueueType: string | undefined,
  environments: readonly ComputeEnvironmentFacts[],
): { platform: BatchPlatform; why: string } | { problem: string } {
  if (jobQueueType === 'ECS_FARGATE') return { platform: 'FARGATE', why: `job queue ${queue} is of type ECS_FARGATE` };
  if (jobQueueType === 'ECS') return { platform: 'EC2', why: `job queue ${queue} is of type ECS` };
  const eks = environments.filter((e) => e.orchestration === 'EKS').map((e) => e.name);
  if (jobQueueType === 'EKS' || eks.length > 0) {
    return {
      problem:
        `job queue ${queue} runs its jobs on Amazon EKS${eks.length ? ` (compute environment ${quoteList(eks)})` : ''}, ` +
        'which needs a different kind of job definition; give an ECS job queue (EC2 or Fargate).',
    };
  }
  if (jobQueueType !== undefined && jobQueueType !== '') {
    return { problem: `job queue ${queue} is of type ${jobQueueType}; give an ECS job queue (EC2 or Fargate).` };
  }
  if (environments.length === 0) {
    return { problem: `job queue ${queue} has no compute environment, so no job of it can run; add one.` };
  }
  const described = environments.map((e) => `${e.name}: ${e.resourcesType ?? e.type ?? 'unknown'}`);
  const onFargate = environments.filter((e) => (e.resourcesType ?? '').startsWith('FARGATE'));
  if (onFargate.length === environments.length) {
    return { platform: 'FARGATE', why: `the compute environments of job queue ${queue} (${described.join(', ')})` };
  }
  if (onFargate.length === 0) {
    return { platform: 'EC2', why: `the compute environments of job queue ${queue} (${described.join(', ')})` };
  }
  return {
    problem:
      `job queue ${queue} mixes Fargate and EC2 compute environments (${described.join(', ')}), which AWS Batch ` +
      'does not allow; give a queue whose compute environments are all one or the other.',
  };
}

/** The platform of the job queue and how it is known ("the compute environments of job queue q (ce: FARGATE)"). */
export interface PlatformChoice {
  readonly platform: BatchPlatform;
  readonly why: string;
  /** The queue and its compute environments, when the platform was read from them (not given by an input). */
  readonly queue?: { readonly name: string; readonly environments: readonly ComputeEnvironmentFacts[] };
}
