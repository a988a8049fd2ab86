/**
 * The inputs of the action, declared once: one row per input, in action.yml's order. Everything else is
 * derived from this table: the names (`INPUT`), the defaults (`DEFAULTS`), the field of `Inputs` each input
 * fills (`FIELD`), and in ./index.ts the zod schema and the `Inputs` type. A unit test checks action.yml
 * against it (the set of inputs, `required`, each default).
 *
 * Zod-free on purpose: the post step imports the names from here and must stay small.
 */
import { type CamelCase, camelCase, keyed } from '../lib/keys';
import { AUTO_STAGE } from '../lib/stage';
import { cleanStage } from '../plan/names';
import { SCHEDULES } from '../plan/schedules';

// ---------------------------------------------------------------------------------------------
// Accepted values, and limits the code that uses an input shares with its check.

export const MODES = ['package', 'build', 'deploy', 'run', 'verify', 'teardown'] as const;
export type Mode = (typeof MODES)[number];

export const TARGETS = ['step-functions', 'batch'] as const;
export type Target = (typeof TARGETS)[number];

export const EXECUTORS = ['aws', 'local'] as const;
export const BUILDERS = ['auto', 'docker', 'oci'] as const;
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
export type Platform = (typeof PLATFORMS)[number];
export { SCHEDULES };
export const ON_TIMEOUT = ['stop', 'leave'] as const;
/** Where Batch jobs run: `auto` reads it from the job queue's compute environments. */
export const BATCH_PLATFORM_INPUTS = ['auto', 'ec2', 'fargate'] as const;
export const IF_BUSY = ['wait', 'fail'] as const;

/** The audience AWS's IAM OIDC provider for GitHub expects by default (its client ID). */
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
/** What STS accepts as RoleSessionName. */
export const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/;
/** STS's limits on DurationSeconds (the upper one is also capped by the role's own maximum). */
export const MIN_ROLE_DURATION_SECONDS = 900;
export const MAX_ROLE_DURATION_SECONDS = 43200;

/** ECR's rule for repository names (the length, 2 to 256, is checked where the repository is used). */
export const ECR_REPOSITORY_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * AWS's partitions: the pattern of their region names and their DNS suffix, as AWS's endpoint data
 * declares them (`partitions.json` of the SDKs: botocore/data/partitions.json, `regionRegex` and
 * `outputs.dnsSuffix`; a unit test compares this copy with the venv's botocore). One example region each.
 */
export const AWS_PARTITIONS = {
  aws: { regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: 'amazonaws.com', example: 'eu-west-1' },
  'aws-cn': { regionRegex: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn', example: 'cn-north-1' },
  'aws-eusc': { regionRegex: /^eusc-(de)-\w+-\d+$/, dnsSuffix: 'amazonaws.eu', example: 'eusc-de-east-1' },
  'aws-iso': { regionRegex: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov', example: 'us-iso-east-1' },
  'aws-iso-b': { regionRegex: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov', example: 'us-isob-east-1' },
  'aws-iso-e': { regionRegex: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk', example: 'eu-isoe-west-1' },
  'aws-iso-f': { regionRegex: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov', example: 'us-isof-south-1' },
  'aws-us-gov': { regionRegex: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com', example: 'us-gov-west-1' },
} as const satisfies Record<string, { regionRegex: RegExp; dnsSuffix: string; example: string }>;
export type AwsPartition = keyof typeof AWS_PARTITIONS;

/** The partition whose region names `region` matches (undefined: no partition's). */
export function partitionOfRegion(region: string): AwsPartition | undefined {
  return (Object.keys(AWS_PARTITIONS) as AwsPartition[]).find((p) => AWS_PARTITIONS[p].regionRegex.test(region));
}

const REGION_RE: RegExp = new RegExp(
  `^(?:${Object.values(AWS_PARTITIONS)
    .map((p) => p.regionRegex.source.replace(/^\^|\$$/g, ''))
    .join('|')})$`,
);
const PARTITION_RE = Object.keys(AWS_PARTITIONS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const KEDRO_ENV_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ROLE_ARN_RE = new RegExp(`^arn:(?:${PARTITION_RE}):iam::\\d{12}:role\\/[\\w+=,.@/-]{1,512}$`);

// ---------------------------------------------------------------------------------------------
// Parsers of the values that are more than a pattern. Each throws an Error whose message is said of the
// input ("is empty; ..."); the caller puts `input "<name>"` in front.

/**
 * The `runtime-params` input: a JSON object, or Kedro's `key=value` syntax. The second is not parsed
 * here: `package` hands the text to Kedro (the plan exporter parses it with `kedro run --params` itself,
 * so dotted keys nest and values are typed as Kedro types them), and the plan carries the result.
 */
export type RuntimeParamsInput =
  | { readonly form: 'json'; readonly params: Record<string, unknown> }
  | { readonly form: 'kedro'; readonly text: string };

/** A JSON object (it starts with `{`), or Kedro's `key=value` text; undefined when empty. */
export function parseRuntimeParams(raw: string): RuntimeParamsInput | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  if (text.startsWith('{')) return { form: 'json', params: parseJsonObject(text) as Record<string, unknown> };
  return { form: 'kedro', text };
}

/**
 * The `key=value` items of Kedro's syntax, as `kedro run --params` splits them (at every comma, each
 * trimmed, empty ones dropped), a line break counting as a comma. Two texts with the same items give
 * the same params; only Kedro says what they are.
 */
export function runtimeParamItems(text: string): string[] {
  return text
    .split(/,|\r\n|\r|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A JSON object, or undefined for an empty value. */
function parseJsonObject(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new Error(`is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('must be a JSON object');
  }
  return parsed;
}

function parseModes(raw: string): Mode[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const accepted = MODES.join(', ');
  if (items.length === 0) {
    throw new Error(`is empty; give one of ${accepted}, or several comma-separated`);
  }
  const unknown = items.filter((m) => !(MODES as readonly string[]).includes(m));
  if (unknown.length > 0) {
    throw new Error(`has ${unknown.map((m) => `"${m}"`).join(', ')}; accepted values: ${accepted}`);
  }
  const seen = new Set<string>();
  for (const m of items) {
    if (seen.has(m)) throw new Error(`lists "${m}" twice`);
    seen.add(m);
  }
  // Each mode works from what the ones before it left (the plan, the image, the stage, the run): checked
  // here, before any of them starts.
  const modes = items as Mode[];
  const rank = (m: Mode) => MODES.indexOf(m);
  const misplaced = modes.findIndex((m, i) => i > 0 && rank(m) < rank(modes[i - 1]!));
  if (misplaced > 0) {
    const inOrder = [...modes].sort((a, b) => rank(a) - rank(b));
    throw new Error(
      `lists "${modes[misplaced - 1]}" before "${modes[misplaced]}": the modes run in the order given, each from ` +
        `what the ones before it left, so they go in this order: ${MODES.join(', ')} (teardown after package); ` +
        `give "${inOrder.join(',')}"`,
    );
  }
  return modes;
}

/** Cleaned to what AWS names accept (lowercase, digits, -); a hash keeps distinct stages distinct. */
function parseStage(raw: string): string {
  if (!/[A-Za-z0-9]/.test(raw))
    throw new Error('has no letters or digits; give a stage such as dev, nightly or pr-123');
  return cleanStage(raw);
}

/** Comma-separated or one per line. */
function parseList(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The runner evaluates the default `${{ github.token }}`; anything else that looks like one is no token. */
function parseToken(raw: string): string {
  return raw.startsWith('${{') ? '' : raw;
}

// ---------------------------------------------------------------------------------------------
// What an input's value may be, declared as data (./index.ts turns it into zod).

/** A pattern the value must match, and what the error says of the input when it does not. */
export interface Match {
  readonly re: RegExp;
  readonly message: string;
}

export type ValueSpec =
  /** `true` or `false` (any case). */
  | { readonly kind: 'bool' }
  /** A whole number from min to max. */
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /** One of the values. */
  | { readonly kind: 'enum'; readonly values: readonly [string, ...string[]] }
  /**
   * A string. `optional`: empty is undefined. `match`: a non-empty value must match. `ifEmpty`: an empty value
   * is refused with "is empty; give <ifEmpty>".
   */
  | { readonly kind: 'text'; readonly optional: boolean; readonly match?: Match; readonly ifEmpty?: string }
  /** Whatever `parse` returns; an Error it throws is the input's error. */
  | { readonly kind: 'parse'; readonly parse: (raw: string) => unknown };

export interface InputSpec {
  readonly value: ValueSpec;
  /** What the code uses when the input is empty; action.yml declares the same default. */
  readonly default?: string;
  /**
   * An expression action.yml declares as the default, evaluated by the runner (e.g. `${{ github.token }}`).
   * The code has no default of its own: without a runner it sees an empty value.
   */
  readonly runnerDefault?: string;
  /** action.yml says `required: true` (and there is no default). */
  readonly required?: true;
  /** A path, resolved from the working directory. */
  readonly path?: true;
  /** The field of `Inputs` it fills, when that is not the camelCase of the name. */
  readonly field?: string;
}

const bool = { kind: 'bool' } as const;
const int = (min: number, max: number) => ({ kind: 'int', min, max }) as const;
const oneOf = <const V extends readonly [string, ...string[]]>(values: V) => ({ kind: 'enum', values }) as const;
const text = (o: { match?: Match; ifEmpty?: string } = {}) => ({ kind: 'text', optional: false, ...o }) as const;
const optional = (match?: Match) => ({ kind: 'text', optional: true, match }) as const;
const parsed = <T>(parse: (raw: string) => T) => ({ kind: 'parse', parse }) as const;
const matching = (re: RegExp, message: string): Match => ({ re, message });

const roleArn = optional(matching(ROLE_ARN_RE, 'must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>'));

// ---------------------------------------------------------------------------------------------
// The table.

export const INPUT_TABLE = {
  mode: { required: true, field: 'modes', value: parsed(parseModes) },
  target: { default: 'step-functions', value: oneOf(TARGETS) },
  /** Resolved: the absolute path of the Kedro project. */
  'project-path': { default: '.', path: true, value: text({ ifEmpty: 'the path of the Kedro project' }) },
  env: {
    default: 'aws',
    value: text({ match: matching(KEDRO_ENV_RE, 'must be the name of a folder under conf/ (letters, digits, _ . -)') }),
  },
  pipeline: { default: '__default__', value: text({ ifEmpty: 'the name of a registered pipeline, e.g. __default__' }) },
  python: { default: 'python3', value: text({ ifEmpty: 'a Python interpreter, e.g. python3' }) },
  'runtime-params': { value: parsed(parseRuntimeParams) },
  /** Parsed but not yet validated: the planner checks it against the plan's groups. */
  'group-settings': { value: parsed(parseJsonObject) },
  /** `auto` is replaced by the stage of the event (src/stage.ts) before it is parsed. */
  stage: { default: AUTO_STAGE, value: parsed(parseStage) },
  'aws-region': {
    value: optional(
      matching(
        REGION_RE,
        `is not a region name of any AWS partition (${Object.entries(AWS_PARTITIONS)
          .map(([name, p]) => `${name}: e.g. ${p.example}`)
          .join('; ')})`,
      ),
    ),
  },
  'role-to-assume': { value: roleArn },
  audience: {
    default: DEFAULT_AUDIENCE,
    value: text({ ifEmpty: 'the audience of the GitHub OIDC token, e.g. sts.amazonaws.com' }),
  },
  'role-session-name': {
    value: optional(matching(SESSION_NAME_RE, 'must be 2 to 64 characters of letters, digits and _ + = , . @ -')),
  },
  'role-duration-seconds': { default: '3600', value: int(MIN_ROLE_DURATION_SECONDS, MAX_ROLE_DURATION_SECONDS) },
  'export-credentials': { default: 'false', value: bool },
  wait: { default: 'true', value: bool },
  'timeout-minutes': { default: '350', value: int(1, 60 * 24 * 7) },
  'poll-interval-seconds': { default: '5', value: int(1, 300) },
  'max-retries': { default: '8', value: int(1, 20) },
  wheel: { path: true, value: optional() },
  'conf-archive': { path: true, value: optional() },
  plan: { path: true, value: optional() },
  /** The lock of the image's Python packages (package: the one to use; build: the one package wrote). */
  'requirements-lock': { path: true, value: optional() },
  'image-uri': {
    value: optional(
      matching(/^[^\s@]+@sha256:[0-9a-f]{64}$/, 'must be pinned by digest: <registry>/<repository>@sha256:<64 hex>'),
    ),
  },
  /** ECR repository of the image (`build`); default: the project's name. */
  'ecr-repository': {
    value: optional(
      matching(
        ECR_REPOSITORY_RE,
        'must be an ECR repository name (lowercase letters, digits and . _ - /), e.g. kedro/spaceflights',
      ),
    ),
  },
  'create-repository': { default: 'true', value: bool },
  builder: { default: 'auto', value: oneOf(BUILDERS) },
  platform: { default: 'linux/amd64', value: oneOf(PLATFORMS) },
  /** Registry host to push to instead of the one ECR names (an emulator's ECR names AWS's own). */
  registry: {
    value: optional(
      matching(
        /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/,
        'must be a registry host, host[:port] or http(s)://host[:port]',
      ),
    ),
  },
  /** The project's own Dockerfile, for builder docker. */
  dockerfile: { path: true, value: optional() },
  /** Base image instead of the AWS Lambda Python image of the project's Python. */
  'base-image': {
    value: optional(matching(/^[^\s]+$/, 'must be an image reference, <registry>/<repository>[:tag|@sha256:...]')),
  },
  'lambda-role-arn': { value: roleArn },
  'sfn-role-arn': { value: roleArn },
  /** IAM role the SageMaker training jobs of `compute: sagemaker` groups run as. */
  'sagemaker-role-arn': { value: roleArn },
  schedule: { default: 'auto', value: oneOf(SCHEDULES) },
  'on-timeout': { default: 'stop', value: oneOf(ON_TIMEOUT) },
  'state-machine-arn': {
    value: optional(
      matching(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}(:[A-Za-z0-9_$-]+)?$/,
        'must be a state machine ARN, arn:aws:states:<region>:<account>:stateMachine:<name>',
      ),
    ),
  },
  'execution-arn': {
    value: optional(
      matching(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[A-Za-z0-9_-]{1,80}$/,
        'must be an execution ARN, arn:aws:states:<region>:<account>:execution:<machine>:<name>',
      ),
    ),
  },
  /** `local`: the groups run on the runner, each in its own Python process (no image, no AWS compute). */
  executor: { default: 'aws', value: oneOf(EXECUTORS) },
  /** Job queue of target batch (and of `compute: batch` groups). */
  'batch-job-queue': {
    value: optional(
      matching(
        /^(arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-queue\/)?[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/,
        'must be a job queue name or ARN',
      ),
    ),
  },
  /** IAM role the Batch jobs run as. */
  'batch-job-role-arn': { value: roleArn },
  /** IAM role ECS pulls the image and writes the logs of the Batch jobs with (required on Fargate). */
  'batch-execution-role-arn': { value: roleArn },
  /** EC2 or Fargate job definitions; `auto`: the platform of the job queue's compute environments. */
  'batch-platform': { default: 'auto', value: oneOf(BATCH_PLATFORM_INPUTS) },
  /** Fargate jobs get a public IP (subnets with an internet gateway and no NAT gateway need it to pull the image). */
  'batch-assign-public-ip': { default: 'false', value: bool },
  'job-definition-arn': {
    value: optional(
      matching(
        /^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-definition\/[A-Za-z0-9_-]{1,128}:\d+$/,
        'must be a job definition ARN with its revision, arn:aws:batch:<region>:<account>:job-definition/<name>:<revision>',
      ),
    ),
  },
  'run-id': {
    value: optional(
      matching(
        /^[A-Za-z0-9_.:-]{1,64}$/,
        'must be a Kedro run id (letters, digits, _ . : -), e.g. 2026-11-21T10.00.00.000Z',
      ),
    ),
  },
  /** Dataset names or globs whose outputs verify checks (empty: every persisted output). */
  expect: { value: parsed(parseList) },
  /** Where the run records go (s3://bucket/prefix); default: `.kedro-aws` in the outputs' bucket. */
  'run-records': {
    value: optional(
      matching(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/,
        'must be an S3 location, s3://<bucket>[/<prefix>], e.g. s3://my-data/.kedro-aws',
      ),
    ),
  },
  /** Deploy an image whose labels do not say it was built from this step's package (or without comparing). */
  'allow-image-mismatch': { default: 'false', value: bool },
  /** Deploy even when another stage's records claim the same output paths. */
  'allow-shared-outputs': { default: 'false', value: bool },
  /** What `run` does when a run of the same stage is still going: wait for it, or fail. */
  'if-busy': { default: 'wait', value: oneOf(IF_BUSY) },
  /** Token for the pull-request comment and GitHub deployments (empty outside Actions). */
  'github-token': { runnerDefault: '${{ github.token }}', value: parsed(parseToken) },
  'comment-on-pr': { default: 'true', value: bool },
} as const satisfies Record<string, InputSpec>;

// ---------------------------------------------------------------------------------------------
// Derived from the table.

type Table = typeof INPUT_TABLE;
export type InputName = keyof Table;

export const INPUT_NAMES = Object.keys(INPUT_TABLE) as InputName[];

/** Input names, spelled once (in the table): `INPUT.projectPath` is `'project-path'`. */
export const INPUT = keyed(INPUT_NAMES as readonly InputName[]);

/** The field of `Inputs` an input fills. */
export type FieldOf<N extends InputName> = Table[N] extends { field: infer F extends string } ? F : CamelCase<N>;

export const FIELD = Object.fromEntries(
  INPUT_NAMES.map((name) => [name, (INPUT_TABLE[name] as InputSpec).field ?? camelCase(name)]),
) as { readonly [N in InputName]: FieldOf<N> };

/** What the code uses for an empty input (action.yml declares the same). */
export const DEFAULTS: Partial<Record<InputName, string>> = Object.fromEntries(
  INPUT_NAMES.flatMap((name) => {
    const value = (INPUT_TABLE[name] as InputSpec).default;
    return value === undefined ? [] : [[name, value]];
  }),
);

export function isInputName(name: string): name is InputName {
  return Object.hasOwn(INPUT_TABLE, name);
}
