/**
 * Per-group settings (memory, timeout, compute, vCPUs, retries, and for SageMaker the instance): where
 * they come from, how they merge, and the AWS limits they must respect.
 *
 * Two sources have the same shape:
 *
 * ```yaml
 * defaults: { memory_mb: 2048, timeout_seconds: 600, compute: lambda, vcpus: 1, retries: 2 }
 * groups:
 *   data_science: { memory_mb: 4096, compute: batch, timeout_seconds: 3600 }
 * ```
 *
 * the `kedro_aws` config of the project (plan.settings, read by Kedro's own config loader from
 * `conf/base` and `conf/<env>`), and the action's `group-settings` input (parsed by the caller).
 * For each setting of each group, the most specific value wins, and at equal specificity the input
 * wins over the file:
 *
 *   built-in default < file `defaults` < input `defaults` < file `groups.<g>` < input `groups.<g>`
 *
 * A key set to null counts as not set. Every problem (unknown key, wrong type, unknown group, a value
 * outside the AWS limits) is collected and reported together, naming the group, the key, the value,
 * the limit and the file or input it came from.
 *
 * Limits relied on: Lambda memory 128–10,240 MB and timeout 1–900 s (Lambda quotas); Batch job
 * timeout (`attemptDurationSeconds`) at least 60 s; Batch memory at least 4 MiB; Batch
 * `retryStrategy.attempts` 1–10; Batch vCPUs a whole number of at least 1 on EC2, or one of the Fargate
 * values ({@link FARGATE_RESOURCES}), the pair with memory checked at deploy once the platform is known
 * (src/plan/batch.ts `batchSettingsProblems`). `retries` counts the runs AFTER the first, so for Batch
 * attempts = retries + 1 and retries must be 0–9; for Lambda groups retries must be 0–10.
 *
 * SageMaker groups (`compute: sagemaker`, a training job; see sagemaker.ts) take their limits from the
 * SageMaker API reference (CreateTrainingJob, StoppingCondition, RetryStrategy): `timeout_seconds` is
 * the job's MaxRuntimeInSeconds, at most 28 days (2,419,200 s); `instance_type` one of the API model's
 * TrainingInstanceType values (sagemaker-instances.ts); `instance_count` 1, because a group is one
 * Kedro session in one process, which a second instance would only run again; `spot: true` needs
 * `max_wait_seconds` (MaxWaitTimeInSeconds), at least the max runtime; `retries` is the
 * RetryStrategy's MaximumRetryAttempts (1–30, 0 = none), retried by SageMaker only after an internal
 * error of its own; `volume_size_gb` 1–16,384 (an EBS volume is at most 16 TiB). `memory_mb` and
 * `vcpus` do not apply: the instance type sets both.
 *
 * Pure: no I/O.
 */
import { z } from 'zod';
import { quote, quoteList } from './errors';
import { SAGEMAKER_TRAINING_INSTANCE_TYPES } from './sagemaker-instances';

/** Where a group runs. */
export const COMPUTE_KINDS = ['lambda', 'batch', 'sagemaker'] as const;
export type Compute = (typeof COMPUTE_KINDS)[number];

/** The settings that apply to SageMaker groups only. */
export const SAGEMAKER_KEYS = [
  'instance_type',
  'instance_count',
  'volume_size_gb',
  'spot',
  'max_wait_seconds',
] as const;
export type SageMakerKey = (typeof SAGEMAKER_KEYS)[number];

/** The settings a group has, in the order they are documented. */
export const SETTING_KEYS = ['memory_mb', 'timeout_seconds', 'compute', 'vcpus', 'retries', ...SAGEMAKER_KEYS] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Settings of one group, every key set with snake_case names as in the config file. */
export interface GroupSettings {
  /** Memory in MB (Lambda `MemorySize`, Batch `MEMORY` resource requirement). */
  memory_mb: number;
  /** Timeout in seconds (Lambda `Timeout`, Batch `attemptDurationSeconds`). */
  timeout_seconds: number;
  compute: Compute;
  /** vCPUs of a Batch job (not used by Lambda, whose CPU follows memory). */
  vcpus: number;
  /** Extra attempts after a failed first one. */
  retries: number;
  /** SageMaker: the training instance type, `ml.<family>.<size>` (`ml.g5.xlarge` for a GPU). */
  instance_type: string;
  /** SageMaker: instances of the job; always 1 (a group is one process). */
  instance_count: number;
  /** SageMaker: the instance's ML storage volume, in GB. */
  volume_size_gb: number;
  /** SageMaker: managed spot training (EnableManagedSpotTraining). */
  spot: boolean;
  /** SageMaker with spot: MaxWaitTimeInSeconds, the wait for capacity plus the run; null when not set. */
  max_wait_seconds: number | null;
}

/** The built-in defaults, the weakest layer of the merge. */
export const BUILT_IN_DEFAULTS: Readonly<GroupSettings> = {
  memory_mb: 1024,
  timeout_seconds: 900,
  compute: 'lambda',
  vcpus: 1,
  retries: 2,
  instance_type: 'ml.m5.large',
  instance_count: 1,
  volume_size_gb: 30,
  spot: false,
  max_wait_seconds: null,
};

/** `from`, `from + step`, ... up to `to`. */
function steps(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/**
 * The vCPU and memory (MiB) pairs a job on Fargate may have: for each vCPU value, the memory values
 * AWS Batch accepts with it (AWS Batch API reference, ResourceRequirement `value`,
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html). Any other pair,
 * and any other vCPU value, is refused by RegisterJobDefinition and SubmitJob.
 */
export const FARGATE_RESOURCES: ReadonlyMap<number, readonly number[]> = new Map([
  [0.25, [512, 1024, 2048]],
  [0.5, steps(1024, 4096, 1024)],
  [1, steps(2048, 8192, 1024)],
  [2, steps(4096, 16384, 1024)],
  [4, steps(8192, 30720, 1024)],
  [8, steps(16384, 61440, 4096)],
  [16, steps(32768, 122880, 8192)],
  [32, [61440, 122880, 249856]],
]);

/** AWS limits checked after merging (they depend on the group's compute). */
export const LIMITS = {
  lambda: { memoryMinMb: 128, memoryMaxMb: 10240, timeoutMinSeconds: 1, timeoutMaxSeconds: 900, retriesMax: 10 },
  /**
   * vCPUs: on EC2 a whole number of at least 1 ("For Amazon EC2 resources, you must specify at least one
   * vCPU", ResourceRequirement; the job's CPU shares are 1,024 per vCPU); on Fargate one of
   * {@link FARGATE_RESOURCES}' values, with a memory that goes with it.
   */
  batch: { memoryMinMb: 4, timeoutMinSeconds: 60, retriesMax: 9, ec2VcpusMin: 1, fargate: FARGATE_RESOURCES },
  sagemaker: {
    /** StoppingCondition.MaxRuntimeInSeconds: at most 28 days. */
    timeoutMaxSeconds: 28 * 24 * 3600,
    /** RetryStrategy.MaximumRetryAttempts: 1 to 30 (0 here: no RetryStrategy). */
    retriesMax: 30,
    instanceCount: 1,
    volumeMinGb: 1,
    /** The largest EBS volume, 16 TiB. */
    volumeMaxGb: 16384,
  },
} as const;

/** True when AWS Batch accepts `vcpus` on at least one platform (EC2: whole, at least 1; Fargate: a listed value). */
export function batchVcpusAccepted(vcpus: number): boolean {
  return (Number.isInteger(vcpus) && vcpus >= LIMITS.batch.ec2VcpusMin) || FARGATE_RESOURCES.has(vcpus);
}

/** The settings of one group, or of `defaults`, in a source: every key optional, null = not set. */
export const GroupSettingsOverrideSchema = z.strictObject({
  memory_mb: z.int().nullish(),
  timeout_seconds: z.int().nullish(),
  compute: z.enum(COMPUTE_KINDS).nullish(),
  vcpus: z.number().nullish(),
  retries: z.int().nullish(),
  instance_type: z.string().nullish(),
  instance_count: z.int().nullish(),
  volume_size_gb: z.int().nullish(),
  spot: z.boolean().nullish(),
  max_wait_seconds: z.int().nullish(),
});
export type GroupSettingsOverride = z.infer<typeof GroupSettingsOverrideSchema>;

/** The `kedro_aws` config (plan.settings) and the `group-settings` input share this shape. */
export const KedroAwsSettingsSchema = z.strictObject({
  defaults: GroupSettingsOverrideSchema.nullish(),
  groups: z.record(z.string(), GroupSettingsOverrideSchema.nullish()).nullish(),
});
export type KedroAwsSettings = z.infer<typeof KedroAwsSettingsSchema>;

/** One source of settings, with the label used in messages. */
export interface SettingsSource {
  /** The raw value: plan.settings, or the parsed `group-settings` input. undefined/null = empty. */
  readonly value: unknown;
  /** Where it came from, as the user knows it: `conf/aws/kedro_aws.yml`, the `group-settings` input. */
  readonly label: string;
}

/** Where a merged value came from: a path in a source, or the built-in default. */
export interface SettingOrigin {
  /** `built-in default`, or the source label. */
  readonly source: string;
  /** `defaults.memory_mb`, `groups.data_science.memory_mb`; empty for the built-in default. */
  readonly path: string;
}

/** The merged settings of one group, with the origin of each value. */
export interface ResolvedSettings {
  readonly settings: GroupSettings;
  readonly origins: Readonly<Record<SettingKey, SettingOrigin>>;
}

/** Result of {@link resolveSettings}: every group's settings, or every problem found. */
export type SettingsResult =
  | { readonly ok: true; readonly groups: Map<string, ResolvedSettings> }
  | { readonly ok: false; readonly problems: string[] };

const BUILT_IN: SettingOrigin = { source: 'built-in default', path: '' };

/** The label of the action input, for messages. */
export const GROUP_SETTINGS_INPUT_LABEL = 'the `group-settings` input';

/** The label of the project's config file for an env, for messages. */
export function settingsFileLabel(env: string): string {
  return `conf/${env}/kedro_aws.yml`;
}

/** Describe where a value came from: `groups.a.memory_mb in conf/aws/kedro_aws.yml`. */
export function describeOrigin(origin: SettingOrigin): string {
  return origin.path === '' ? `the ${origin.source}` : `${origin.path} in ${origin.source}`;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A config path as the user writes it: `groups.data_science.memory_mb`, `groups."a.b".retries`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'string' && SIMPLE_KEY.test(p) ? p : quote(String(p)))).join('.');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${quote(value)})`;
  if (typeof value === 'object') return 'a mapping';
  return quote(value);
}

const EXPECTED: Readonly<Record<SettingKey, string>> = {
  memory_mb: 'a whole number of MB',
  timeout_seconds: 'a whole number of seconds',
  compute: `one of ${COMPUTE_KINDS.map((c) => quote(c)).join(' or ')}`,
  vcpus: 'a number of vCPUs (such as 1 or 0.5)',
  retries: 'a whole number',
  instance_type: 'a SageMaker instance type such as "ml.m5.xlarge"',
  instance_count: 'a whole number',
  volume_size_gb: 'a whole number of GB',
  spot: 'true or false',
  max_wait_seconds: 'a whole number of seconds',
};

function isSettingKey(key: unknown): key is SettingKey {
  return typeof key === 'string' && (SETTING_KEYS as readonly string[]).includes(key);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function deleteAt(root: unknown, path: readonly PropertyKey[]): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last !== undefined && parent !== null && typeof parent === 'object') {
    delete (parent as Record<PropertyKey, unknown>)[last];
  }
}

/** A sentence for one zod issue, naming the key, the value, what is expected and the source. */
function issueProblem(issue: z.core.$ZodIssue, raw: unknown, label: string): string {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    const accepted = path.length === 0 ? ['defaults', 'groups'] : [...SETTING_KEYS];
    const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
    return (
      `${label}: unknown ${keys.length === 1 ? 'key' : 'keys'} ${quoteList(keys)} ${where}; ` +
      `the accepted keys are ${accepted.join(', ')}.`
    );
  }
  const value = valueAt(raw, path);
  const last = path[path.length - 1];
  let expected: string;
  if (path.length === 0) expected = 'a mapping with `defaults` and/or `groups`';
  else if (path.length === 1 && last === 'groups') expected = 'a mapping from group name to settings';
  else if (isSettingKey(last) && path.length >= 2) expected = EXPECTED[last];
  else expected = `a mapping of settings (${SETTING_KEYS.join(', ')})`;
  const what = path.length === 0 ? 'the settings' : formatPath(path);
  return `${label}: ${what} is ${describeValue(value)}, but it must be ${expected}.`;
}

/**
 * Validate one source against {@link KedroAwsSettingsSchema}. Returns every problem, and the
 * settings with the offending entries removed (so the valid rest can still be merged and checked).
 */
export function parseSettingsSource(source: SettingsSource): { settings: KedroAwsSettings; problems: string[] } {
  const raw = source.value ?? {};
  const first = KedroAwsSettingsSchema.safeParse(raw);
  if (first.success) return { settings: first.data, problems: [] };

  const problems = first.error.issues.map((issue) => issueProblem(issue, raw, source.label));
  if (first.error.issues.some((issue) => issue.path.length === 0 && issue.code !== 'unrecognized_keys')) {
    return { settings: {}, problems };
  }
  const cleaned: unknown = structuredClone(raw);
  for (const issue of first.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) deleteAt(cleaned, [...issue.path, key]);
    } else {
      deleteAt(cleaned, issue.path);
    }
  }
  const second = KedroAwsSettingsSchema.safeParse(cleaned);
  return { settings: second.success ? second.data : {}, problems };
}

interface Layer {
  readonly values: GroupSettingsOverride | null | undefined;
  readonly source: string;
  readonly path: string;
}

function groupEntry(settings: KedroAwsSettings, group: string): GroupSettingsOverride | null | undefined {
  const groups = settings.groups;
  return groups && Object.hasOwn(groups, group) ? groups[group] : undefined;
}

/** One failed limit, before failures with the same cause are put together. */
interface Failure {
  readonly group: string;
  readonly key: SettingKey;
  readonly value: number | string | boolean | null;
  readonly origin: SettingOrigin;
  readonly rule: string;
  readonly hint: string;
}

/** What to say of an instance type SageMaker does not have: the right spelling, or the family's sizes. */
export function instanceTypeHint(value: string): string {
  const known = SAGEMAKER_TRAINING_INSTANCE_TYPES;
  const lower = value.trim().toLowerCase();
  const prefixed = lower.startsWith('ml.') ? lower : `ml.${lower}`;
  if (known.includes(prefixed)) return `did you mean ${quote(prefixed)}?`;
  const family = prefixed.split('.')[1] ?? '';
  const sizes = known.filter((t) => t.split('.')[1] === family);
  if (sizes.length > 0) return `the ${family} family has ${quoteList(sizes)}.`;
  return (
    'SageMaker names them ml.<family>.<size>, e.g. "ml.m5.xlarge" (CPU) or "ml.g5.xlarge" (GPU); ' +
    'see "Instance types for training" in the SageMaker documentation.'
  );
}

function checkSageMaker(s: GroupSettings, fail: (key: SettingKey, rule: string, hint: string) => void, runsOn: string) {
  const l = LIMITS.sagemaker;
  if (!SAGEMAKER_TRAINING_INSTANCE_TYPES.includes(s.instance_type)) {
    fail(
      'instance_type',
      `not an instance type of SageMaker training jobs (the TrainingInstanceType values of the SageMaker API) ${runsOn}`,
      instanceTypeHint(s.instance_type),
    );
  }
  if (s.instance_count !== l.instanceCount) {
    fail(
      'instance_count',
      `not 1 ${runsOn}: a group is one Kedro session in one Python process, which a second instance would ` +
        'only run again (SageMaker starts the same container on every instance)',
      'set 1, and a larger instance_type for more CPUs, memory or GPUs.',
    );
  }
  if (s.timeout_seconds < 1 || s.timeout_seconds > l.timeoutMaxSeconds) {
    fail(
      'timeout_seconds',
      `outside the SageMaker limits of 1 to ${l.timeoutMaxSeconds.toLocaleString('en-US')} seconds (28 days, the ` +
        `job's MaxRuntimeInSeconds) ${runsOn}`,
      'set a value in range, or split the group.',
    );
  }
  if (s.volume_size_gb < l.volumeMinGb || s.volume_size_gb > l.volumeMaxGb) {
    fail(
      'volume_size_gb',
      `outside 1 to ${l.volumeMaxGb.toLocaleString('en-US')} GB (the ML storage volume is an EBS volume, at most 16 TiB) ${runsOn}`,
      'set a value in range.',
    );
  }
  if (s.retries < 0 || s.retries > l.retriesMax) {
    fail(
      'retries',
      `outside 0 to ${l.retriesMax} ${runsOn}: SageMaker retries a training job after its own internal errors at most ` +
        `${l.retriesMax} times (RetryStrategy.MaximumRetryAttempts)`,
      'set a value in range.',
    );
  }
  if (s.spot && s.max_wait_seconds === null) {
    fail(
      'spot',
      `set without max_wait_seconds ${runsOn}: managed spot training needs MaxWaitTimeInSeconds, the longest the ` +
        'job may wait for spot capacity and run',
      `set max_wait_seconds, at least timeout_seconds (${s.timeout_seconds}), next to it.`,
    );
  }
  if (s.spot && s.max_wait_seconds !== null && s.max_wait_seconds < s.timeout_seconds) {
    fail(
      'max_wait_seconds',
      `below timeout_seconds (${s.timeout_seconds}) ${runsOn}: SageMaker requires MaxWaitTimeInSeconds to be at ` +
        'least MaxRuntimeInSeconds',
      'raise it, or lower timeout_seconds.',
    );
  }
}

function checkLimits(group: string, resolved: ResolvedSettings): Failure[] {
  const { settings: s, origins } = resolved;
  const failures: Failure[] = [];
  const fail = (key: SettingKey, rule: string, hint: string): void => {
    failures.push({ group, key, value: s[key], origin: origins[key], rule, hint });
  };
  // The limits depend on where the group runs; say where that choice came from.
  const runsOn = `with compute: ${s.compute} (from ${describeOrigin(origins.compute)})`;
  if (s.compute === 'sagemaker') {
    checkSageMaker(s, fail, runsOn);
    return failures;
  }
  // A SageMaker setting in the group's own entry of a group that does not run there is a mistake (most
  // likely a forgotten `compute: sagemaker`); in `defaults` it is for the SageMaker groups only.
  for (const key of SAGEMAKER_KEYS) {
    if (origins[key].path.startsWith('groups.')) {
      fail(key, `a SageMaker setting, but the group runs ${runsOn}`, 'add compute: sagemaker, or remove it.');
    }
  }
  if (s.compute === 'lambda') {
    const l = LIMITS.lambda;
    if (s.memory_mb < l.memoryMinMb || s.memory_mb > l.memoryMaxMb) {
      fail(
        'memory_mb',
        `outside the Lambda limits of ${l.memoryMinMb} to ${l.memoryMaxMb} MB ${runsOn}`,
        'set a value in range, or compute: batch for more memory.',
      );
    }
    if (s.timeout_seconds < l.timeoutMinSeconds || s.timeout_seconds > l.timeoutMaxSeconds) {
      fail(
        'timeout_seconds',
        `outside the Lambda limits of ${l.timeoutMinSeconds} to ${l.timeoutMaxSeconds} seconds (15 minutes) ${runsOn}`,
        'set a value in range, or compute: batch for longer runs.',
      );
    }
    if (s.retries < 0 || s.retries > l.retriesMax) {
      fail('retries', `outside the limits of 0 to ${l.retriesMax} ${runsOn}`, 'set a value in range.');
    }
  } else {
    const b = LIMITS.batch;
    if (s.memory_mb < b.memoryMinMb) {
      fail('memory_mb', `below the AWS Batch minimum of ${b.memoryMinMb} MiB ${runsOn}`, 'raise it.');
    }
    if (s.timeout_seconds < b.timeoutMinSeconds) {
      fail(
        'timeout_seconds',
        `below the AWS Batch minimum job timeout (attemptDurationSeconds) of ${b.timeoutMinSeconds} seconds ${runsOn}`,
        'raise it.',
      );
    }
    if (s.retries < 0 || s.retries > b.retriesMax) {
      fail(
        'retries',
        `outside the limits of 0 to ${b.retriesMax} ${runsOn}: AWS Batch runs a job at most 10 times ` +
          '(attempts = retries + 1, from 1 to 10)',
        'set a value in range.',
      );
    }
    // Which platform the job queue runs on is known at deploy (which checks the rest); no platform takes this.
    if (s.vcpus > 0 && !batchVcpusAccepted(s.vcpus)) {
      fail(
        'vcpus',
        `a number of vCPUs no AWS Batch platform accepts ${runsOn}: EC2 takes a whole number of at least ` +
          `${b.ec2VcpusMin}, Fargate one of ${[...b.fargate.keys()].join(', ')}`,
        'give one of those.',
      );
    }
  }
  if (!(s.vcpus > 0)) {
    fail('vcpus', 'not above 0', 'give a positive number of vCPUs (such as 1, or 0.5 on Fargate).');
  }
  return failures;
}

/** Put together failures with the same key, value, origin and rule: one sentence for all groups. */
function failureProblems(failures: readonly Failure[]): string[] {
  const byCause = new Map<string, { failure: Failure; groups: string[] }>();
  for (const f of failures) {
    const cause = JSON.stringify([f.key, f.value, f.origin.source, f.origin.path, f.rule, f.hint]);
    const entry = byCause.get(cause);
    if (entry) entry.groups.push(f.group);
    else byCause.set(cause, { failure: f, groups: [f.group] });
  }
  return [...byCause.values()].map(({ failure: f, groups }) => {
    const who = groups.length === 1 ? `group ${quoteList(groups)}` : `groups ${quoteList(groups)}`;
    return `${who}: ${f.key} ${quote(f.value)} (from ${describeOrigin(f.origin)}) is ${f.rule}; ${f.hint}`;
  });
}

/**
 * Merge the settings of every group and check them against the AWS limits.
 *
 * @param groups the plan's group names (a `groups` entry for any other name is a problem).
 * @param file the project's `kedro_aws` config (plan.settings).
 * @param input the `group-settings` input, if given.
 */
export function resolveSettings(
  groups: readonly string[],
  file: SettingsSource,
  input?: SettingsSource,
): SettingsResult {
  const sources = [file, ...(input ? [input] : [])];
  const parsed = sources.map((source) => ({ source, ...parseSettingsSource(source) }));
  const problems = parsed.flatMap((p) => p.problems);

  const known = new Set(groups);
  for (const { source, settings } of parsed) {
    for (const name of Object.keys(settings.groups ?? {})) {
      if (!known.has(name)) {
        problems.push(
          `${source.label}: groups has settings for ${quote(name)}, which is not a group of the pipeline ` +
            `(the groups are ${quoteList([...groups].sort())}); fix the name or remove the entry.`,
        );
      }
    }
  }

  const [fileParsed, inputParsed] = parsed;
  const resolved = new Map<string, ResolvedSettings>();
  const failures: Failure[] = [];
  for (const group of groups) {
    const groupPath = `groups.${SIMPLE_KEY.test(group) ? group : quote(group)}`;
    const layers: Layer[] = [];
    if (fileParsed) layers.push({ values: fileParsed.settings.defaults, source: file.label, path: 'defaults' });
    if (inputParsed && input)
      layers.push({ values: inputParsed.settings.defaults, source: input.label, path: 'defaults' });
    if (fileParsed)
      layers.push({ values: groupEntry(fileParsed.settings, group), source: file.label, path: groupPath });
    if (inputParsed && input) {
      layers.push({ values: groupEntry(inputParsed.settings, group), source: input.label, path: groupPath });
    }

    const settings: GroupSettings = { ...BUILT_IN_DEFAULTS };
    const origins = Object.fromEntries(SETTING_KEYS.map((key) => [key, BUILT_IN])) as Record<SettingKey, SettingOrigin>;
    for (const layer of layers) {
      for (const key of SETTING_KEYS) {
        const value = layer.values?.[key];
        if (value === undefined || value === null) continue;
        (settings as unknown as Record<SettingKey, unknown>)[key] = value;
        origins[key] = { source: layer.source, path: `${layer.path}.${key}` };
      }
    }
    const entry: ResolvedSettings = { settings, origins };
    resolved.set(group, entry);
    failures.push(...checkLimits(group, entry));
  }
  problems.push(...failureProblems(failures));

  return problems.length > 0 ? { ok: false, problems } : { ok: true, groups: resolved };
}
