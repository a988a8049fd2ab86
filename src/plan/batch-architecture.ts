/**
 * The CPU architecture of an AWS Batch job queue's compute environments against the image's: whether
 * the jobs of an image built for one architecture can start where the queue runs them.
 *
 * - Fargate: the job definition says the architecture (`runtimePlatform.cpuArchitecture`, X86_64 by
 *   default, or ARM64), and Fargate provisions matching capacity; but Fargate Spot runs X86_64 only, and
 *   "a job queue will be blocked if a Fargate ARM64 ... job is submitted to a job queue with only Fargate
 *   Spot compute environments" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-batch-jobdefinition-runtimeplatform.html;
 *   "Linux tasks with the ARM64 architecture don't support the Fargate Spot capacity provider",
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
 * - EC2 and SPOT: the compute environment's `instanceTypes` decide, and an image of the other architecture
 *   fails on start ("exec format error"). `optimal` and `default_x86_64` are x86 (`optimal` is
 *   "semantically equivalent to default_x86_64"), `default_arm64` is Graviton (the m6g, c6g, r6g and c7g
 *   families) (ComputeResource `instanceTypes`,
 *   https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html). A named family or
 *   size is Graviton when its attribute letters (after the generation digit) hold a `g` (m6g, c7gn,
 *   r8g.large, t4g, x2gd, im4gn, is4gen, g5g, hpc7g), or it is the first Graviton family, a1
 *   (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html). The unit test checks
 *   this against every type of EC2's catalogue as moto ships it (DescribeInstanceTypes' architectures).
 *
 * Pure: no I/O, and no zod (as src/plan/batch-platform.ts, whose facts it reads, for the AWS effects' sake).
 */
import type { BatchPlatform, ComputeEnvironmentFacts } from './batch-platform';

/** `runtimePlatform.cpuArchitecture` of a Fargate job definition; the architecture of an EC2 instance type. */
export type CpuArchitecture = 'X86_64' | 'ARM64';

/** The image platform (`linux/amd64`, `linux/arm64`) as Batch names its architecture. */
export function cpuArchitectureOf(platform: string): CpuArchitecture {
  if (platform === 'linux/arm64') return 'ARM64';
  if (platform === 'linux/amd64') return 'X86_64';
  throw new Error(`internal: no CPU architecture for platform ${platform}`);
}

/** How a message says an architecture: `arm64 (Graviton)`, `x86_64`. */
function said(architecture: CpuArchitecture): string {
  return architecture === 'ARM64' ? 'arm64 (Graviton)' : 'x86_64';
}

/** The page that lists what `instanceTypes` may name. */
export const INSTANCE_TYPES_PAGE = 'https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html';
/** The page that says Fargate Spot runs no ARM64 job. */
export const FARGATE_SPOT_ARM64_PAGE =
  'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html';

/**
 * The architecture of an `instanceTypes` entry: `optimal`, `default_x86_64`, `default_arm64`, a family
 * (`m6g`) or a size (`c7g.large`). Undefined for an entry it cannot read (checked nowhere, so never refused).
 */
export function instanceTypeArchitecture(entry: string): CpuArchitecture | undefined {
  const type = entry.trim().toLowerCase();
  if (type === 'optimal' || type === 'default_x86_64') return 'X86_64';
  if (type === 'default_arm64') return 'ARM64';
  const family = type.split('.')[0] as string;
  if (family === 'a1') return 'ARM64';
  // High memory `u-6tb1` (x86); Mac instances, of either architecture and not for Batch: not read.
  if (/^u-\d+tb\d+$/.test(family)) return 'X86_64';
  if (family.startsWith('mac')) return undefined;
  // <series letters><generation digits><attribute letters>[-<more>]: m6g, c7gn, r6idn, m7i-flex, u7i-12tb.
  const parts = /^([a-z]+)(\d+)([a-z]*)(?:-[a-z0-9]+)*$/.exec(family);
  if (!parts) return undefined;
  return (parts[3] as string).includes('g') ? 'ARM64' : 'X86_64';
}

/** The architecture of a compute environment's instance types: one, both (`mixed`), or unknown. */
function environmentArchitecture(types: readonly string[]): CpuArchitecture | 'mixed' | undefined {
  const known = new Set(types.map(instanceTypeArchitecture));
  if (known.has(undefined) || known.size === 0) return undefined;
  if (known.size > 1) return 'mixed';
  return [...known][0];
}

/** What {@link queueArchitectureProblems} says: refusals (nothing can run) and warnings (some jobs may fail). */
export interface ArchitectureCheck {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Whether jobs of an image of `architecture` can run on the job queue `queue` whose compute environments
 * are `environments` (on `platform`): refused when none of them can (a Fargate queue of FARGATE_SPOT
 * only with ARM64; an EC2 queue whose instance types are all of the other architecture), a warning when
 * some of them cannot. Compute environments without instance types (unmanaged ones) say nothing.
 */
export function queueArchitectureProblems(
  queue: string,
  platform: BatchPlatform,
  environments: readonly ComputeEnvironmentFacts[],
  image: { readonly uri: string; readonly platform: string },
): ArchitectureCheck {
  const architecture = cpuArchitectureOf(image.platform);
  const imageSaid = `the image ${image.uri} is ${image.platform}`;
  if (platform === 'FARGATE') {
    if (architecture !== 'ARM64') return { problems: [], warnings: [] };
    const spot = environments.filter((e) => e.resourcesType === 'FARGATE_SPOT').map((e) => e.name);
    if (spot.length === 0) return { problems: [], warnings: [] };
    const which = `compute environment${spot.length > 1 ? 's' : ''} ${spot.join(', ')}: FARGATE_SPOT`;
    if (spot.length === environments.length) {
      return {
        problems: [
          `job queue ${queue} runs its jobs on Fargate Spot only (${which}), which runs no ARM64 job (a queue of ` +
            `Fargate Spot only is blocked by one, ${FARGATE_SPOT_ARM64_PAGE}), and ${imageSaid}: give a job queue ` +
            "with a FARGATE compute environment (the bootstrap's BatchComputeType: FARGATE), or build with " +
            '"platform: linux/amd64"',
        ],
        warnings: [],
      };
    }
    return {
      problems: [],
      warnings: [
        `job queue ${queue} has Fargate Spot capacity (${which}), which runs no ARM64 job (${FARGATE_SPOT_ARM64_PAGE}); ` +
          `${imageSaid}, so its jobs run on the queue's FARGATE compute environments only`,
      ],
    };
  }
  const other: string[] = [];
  const partly: string[] = [];
  let checked = 0;
  for (const e of environments) {
    const types = e.instanceTypes ?? [];
    const arch = types.length ? environmentArchitecture(types) : undefined;
    if (arch === undefined) continue;
    checked += 1;
    const described = `${e.name}: instance types ${types.join(', ')}`;
    if (arch === 'mixed') partly.push(described);
    else if (arch !== architecture) other.push(described);
  }
  const instead = architecture === 'ARM64' ? 'X86_64' : 'ARM64';
  const fix =
    `build with "platform: ${architecture === 'ARM64' ? 'linux/amd64' : 'linux/arm64'}", or give a job queue of ` +
    `${said(architecture)} instances (the bootstrap's BatchArchitecture: ${architecture === 'ARM64' ? 'arm64' : 'x86_64'})`;
  if (checked > 0 && other.length === checked && checked === environments.length) {
    return {
      problems: [
        `job queue ${queue} launches only ${said(instead)} instances (compute environment${other.length > 1 ? 's' : ''} ` +
          `${other.join('; ')}; ${INSTANCE_TYPES_PAGE}), and ${imageSaid}, whose jobs would fail to start there: ${fix}`,
      ],
      warnings: [],
    };
  }
  const warnings: string[] = [];
  if (other.length > 0) {
    warnings.push(
      `job queue ${queue} has compute environments of ${said(instead)} instances only (${other.join('; ')}), and ` +
        `${imageSaid}: a job placed there fails to start`,
    );
  }
  if (partly.length > 0) {
    warnings.push(
      `job queue ${queue} has compute environments of both architectures (${partly.join('; ')}), and ${imageSaid}: ` +
        `a job placed on an ${said(instead)} instance fails to start`,
    );
  }
  return { problems: [], warnings };
}
