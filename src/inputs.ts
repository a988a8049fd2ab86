/**
 * Every input of the action is read and validated here, and nowhere else.
 *
 * A bad value fails the step with a message that names the input and what it accepts. Values that an
 * earlier mode left in the state file (see state.ts) may also be given as inputs; the input wins.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ActionError } from './errors';
import { cleanStage } from './plan/names';
import { AUTO_STAGE, autoStage } from './stage';

export const MODES = ['package', 'build', 'deploy', 'run', 'verify', 'teardown'] as const;
export type Mode = (typeof MODES)[number];

export const TARGETS = ['step-functions', 'batch'] as const;
export type Target = (typeof TARGETS)[number];

/** Input names, spelled once. */
export const INPUT = {
  mode: 'mode',
  target: 'target',
  projectPath: 'project-path',
  env: 'env',
  pipeline: 'pipeline',
  python: 'python',
  runtimeParams: 'runtime-params',
  groupSettings: 'group-settings',
  stage: 'stage',
  awsRegion: 'aws-region',
  roleToAssume: 'role-to-assume',
  audience: 'audience',
  roleSessionName: 'role-session-name',
  roleDurationSeconds: 'role-duration-seconds',
  exportCredentials: 'export-credentials',
  wait: 'wait',
  timeoutMinutes: 'timeout-minutes',
  pollIntervalSeconds: 'poll-interval-seconds',
  maxRetries: 'max-retries',
  wheel: 'wheel',
  confArchive: 'conf-archive',
  plan: 'plan',
  imageUri: 'image-uri',
  lambdaRoleArn: 'lambda-role-arn',
  sfnRoleArn: 'sfn-role-arn',
  schedule: 'schedule',
  onTimeout: 'on-timeout',
  stateMachineArn: 'state-machine-arn',
  executionArn: 'execution-arn',
  runId: 'run-id',
  expect: 'expect',
  executor: 'executor',
  ecrRepository: 'ecr-repository',
  createRepository: 'create-repository',
  builder: 'builder',
  platform: 'platform',
  registry: 'registry',
  dockerfile: 'dockerfile',
  baseImage: 'base-image',
  batchJobQueue: 'batch-job-queue',
  batchJobRoleArn: 'batch-job-role-arn',
  jobDefinitionArn: 'job-definition-arn',
  githubToken: 'github-token',
  commentOnPr: 'comment-on-pr',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** Defaults, the same as action.yml's (a test keeps the two equal). */
export const DEFAULTS: Partial<Record<InputName, string>> = {
  [INPUT.target]: 'step-functions',
  [INPUT.projectPath]: '.',
  [INPUT.env]: 'aws',
  [INPUT.pipeline]: '__default__',
  [INPUT.python]: 'python3',
  [INPUT.stage]: AUTO_STAGE,
  [INPUT.audience]: 'sts.amazonaws.com',
  [INPUT.roleDurationSeconds]: '3600',
  [INPUT.exportCredentials]: 'false',
  [INPUT.wait]: 'true',
  [INPUT.timeoutMinutes]: '350',
  [INPUT.pollIntervalSeconds]: '5',
  [INPUT.maxRetries]: '8',
  [INPUT.schedule]: 'dag',
  [INPUT.onTimeout]: 'stop',
  [INPUT.executor]: 'aws',
  [INPUT.commentOnPr]: 'true',
  [INPUT.createRepository]: 'true',
  [INPUT.builder]: 'auto',
  [INPUT.platform]: 'linux/amd64',
};

export const EXECUTORS = ['aws', 'local'] as const;
export const BUILDERS = ['auto', 'docker', 'oci'] as const;
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

export const SCHEDULES = ['dag', 'levels'] as const;
export const ON_TIMEOUT = ['stop', 'leave'] as const;

export interface Inputs {
  modes: Mode[];
  target: Target;
  /** Absolute path of the Kedro project. */
  projectPath: string;
  env: string;
  pipeline: string;
  python: string;
  runtimeParams: Record<string, unknown>;
  /** Parsed but not yet validated: the planner checks it against the plan's groups. */
  groupSettings: unknown;
  stage: string;
  awsRegion: string | undefined;
  roleToAssume: string | undefined;
  audience: string;
  roleSessionName: string | undefined;
  roleDurationSeconds: number;
  exportCredentials: boolean;
  wait: boolean;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
  maxRetries: number;
  wheel: string | undefined;
  confArchive: string | undefined;
  plan: string | undefined;
  imageUri: string | undefined;
  lambdaRoleArn: string | undefined;
  sfnRoleArn: string | undefined;
  schedule: (typeof SCHEDULES)[number];
  onTimeout: (typeof ON_TIMEOUT)[number];
  stateMachineArn: string | undefined;
  executionArn: string | undefined;
  runId: string | undefined;
  /** Dataset names or globs whose outputs verify checks (empty: every persisted output). */
  expect: string[];
  /** `local`: the groups run on the runner, each in its own Python process (no image, no AWS compute). */
  executor: (typeof EXECUTORS)[number];
  /** Job queue of target batch (and of `compute: batch` groups). */
  batchJobQueue: string | undefined;
  /** IAM role the Batch jobs run as. */
  batchJobRoleArn: string | undefined;
  jobDefinitionArn: string | undefined;
  /** Token for the pull-request comment and GitHub deployments (empty outside Actions). */
  githubToken: string;
  commentOnPr: boolean;
  /** ECR repository of the image (`build`); default: the project's name. */
  ecrRepository: string | undefined;
  createRepository: boolean;
  builder: (typeof BUILDERS)[number];
  platform: (typeof PLATFORMS)[number];
  /** Registry host to push to instead of the one ECR names (an emulator's ECR names AWS's own). */
  registry: string | undefined;
  /** The project's own Dockerfile (absolute), for builder docker. */
  dockerfile: string | undefined;
  /** Base image instead of the AWS Lambda Python image of the project's Python. */
  baseImage: string | undefined;
}

/** Reads one raw input; the default reads what the Actions runner passes (`INPUT_<NAME>`). */
export type InputReader = (name: InputName) => string;

export function envInputReader(env: NodeJS.ProcessEnv = process.env): InputReader {
  // The same lookup as @actions/core's getInput: spaces become underscores, upper case.
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const KEDRO_ENV_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/; // = SESSION_NAME_RE of aws/credentials.ts
const REGION_RE = /^[a-z]{2}(-gov|-iso|-isob)?-[a-z]+-\d$/;

function withInput<T extends z.ZodTypeAny>(name: InputName, schema: T): T {
  return schema.describe(name);
}

const nonEmpty = (name: InputName, what: string) =>
  withInput(name, z.string().min(1, { message: `is empty; give ${what}` }));

const boolInput = (name: InputName) =>
  withInput(
    name,
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(['true', 'false'], { message: 'accepts true or false' }))
      .transform((v) => v === 'true'),
  );

const intInput = (name: InputName, min: number, max: number) =>
  withInput(
    name,
    z
      .string()
      .regex(/^\d+$/, { message: `accepts a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(z.number().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` })),
  );

const optional = (name: InputName, schema: z.ZodType<string, string>) =>
  withInput(
    name,
    z
      .string()
      .transform((v) => (v === '' ? undefined : v))
      .pipe(schema.optional()),
  );

/** An optional IAM role ARN input. */
const roleArn = (name: InputName) =>
  optional(name, z.string().regex(ROLE_ARN_RE, { message: 'must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>' }));

/** Kedro's `--params` syntax (key=value pairs), or a JSON object. */
export function parseRuntimeParams(raw: string): Record<string, unknown> {
  const text = raw.trim();
  if (text === '') return {};
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`is not valid JSON (${(e as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  const params: Record<string, unknown> = {};
  for (const item of text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    if (key === '') {
      throw new Error(`has "${item}", which is not key=value (give key=value pairs, or a JSON object)`);
    }
    const value = item.slice(eq + 1).trim();
    // Like Kedro's CLI: numbers become numbers, everything else stays a string.
    params[key] = value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  return params;
}

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
  return items as Mode[];
}

/** Wraps a parser that throws into a zod transform whose message names nothing (the caller adds the input). */
const parsed = <T>(name: InputName, parse: (raw: string) => T) =>
  withInput(
    name,
    z.string().transform((raw, ctx) => {
      try {
        return parse(raw);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  );

const RawInputsSchema = z.object({
  [INPUT.mode]: parsed(INPUT.mode, parseModes),
  [INPUT.target]: withInput(
    INPUT.target,
    z.enum(TARGETS, { message: `accepts ${TARGETS.join(' or ')}` }),
  ),
  [INPUT.projectPath]: nonEmpty(INPUT.projectPath, 'the path of the Kedro project'),
  [INPUT.env]: withInput(
    INPUT.env,
    z.string().regex(KEDRO_ENV_RE, {
      message: 'must be the name of a folder under conf/ (letters, digits, _ . -)',
    }),
  ),
  [INPUT.pipeline]: nonEmpty(INPUT.pipeline, 'the name of a registered pipeline, e.g. __default__'),
  [INPUT.python]: nonEmpty(INPUT.python, 'a Python interpreter, e.g. python3'),
  [INPUT.runtimeParams]: parsed(INPUT.runtimeParams, parseRuntimeParams),
  [INPUT.groupSettings]: parsed(INPUT.groupSettings, parseJsonObject),
  // Cleaned to what AWS names accept (lowercase, digits, -); a hash keeps distinct stages distinct.
  [INPUT.stage]: withInput(
    INPUT.stage,
    z
      .string()
      .regex(/[A-Za-z0-9]/, { message: 'has no letters or digits; give a stage such as dev, nightly or pr-123' })
      .transform((raw) => cleanStage(raw)),
  ),
  [INPUT.awsRegion]: optional(
    INPUT.awsRegion,
    z.string().regex(REGION_RE, { message: 'is not an AWS region name (e.g. eu-west-1)' }),
  ),
  [INPUT.roleToAssume]: roleArn(INPUT.roleToAssume),
  [INPUT.audience]: nonEmpty(INPUT.audience, 'the audience of the GitHub OIDC token, e.g. sts.amazonaws.com'),
  [INPUT.roleSessionName]: optional(
    INPUT.roleSessionName,
    z.string().regex(SESSION_NAME_RE, { message: 'must be 2 to 64 characters of letters, digits and _ + = , . @ -' }),
  ),
  [INPUT.roleDurationSeconds]: intInput(INPUT.roleDurationSeconds, 900, 43200),
  [INPUT.exportCredentials]: boolInput(INPUT.exportCredentials),
  [INPUT.wait]: boolInput(INPUT.wait),
  [INPUT.timeoutMinutes]: intInput(INPUT.timeoutMinutes, 1, 60 * 24 * 7),
  [INPUT.pollIntervalSeconds]: intInput(INPUT.pollIntervalSeconds, 1, 300),
  [INPUT.maxRetries]: intInput(INPUT.maxRetries, 1, 20),
  [INPUT.wheel]: optional(INPUT.wheel, z.string()),
  [INPUT.confArchive]: optional(INPUT.confArchive, z.string()),
  [INPUT.plan]: optional(INPUT.plan, z.string()),
  [INPUT.imageUri]: optional(
    INPUT.imageUri,
    z.string().regex(/^[^\s@]+@sha256:[0-9a-f]{64}$/, {
      message: 'must be pinned by digest: <registry>/<repository>@sha256:<64 hex>',
    }),
  ),
  [INPUT.lambdaRoleArn]: roleArn(INPUT.lambdaRoleArn),
  [INPUT.sfnRoleArn]: roleArn(INPUT.sfnRoleArn),
  [INPUT.schedule]: withInput(INPUT.schedule, z.enum(SCHEDULES, { message: `accepts ${SCHEDULES.join(' or ')}` })),
  [INPUT.onTimeout]: withInput(INPUT.onTimeout, z.enum(ON_TIMEOUT, { message: `accepts ${ON_TIMEOUT.join(' or ')}` })),
  [INPUT.stateMachineArn]: optional(
    INPUT.stateMachineArn,
    z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}(:[A-Za-z0-9_$-]+)?$/, {
      message: 'must be a state machine ARN, arn:aws:states:<region>:<account>:stateMachine:<name>',
    }),
  ),
  [INPUT.executionArn]: optional(
    INPUT.executionArn,
    z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[A-Za-z0-9_-]{1,80}$/, {
      message: 'must be an execution ARN, arn:aws:states:<region>:<account>:execution:<machine>:<name>',
    }),
  ),
  [INPUT.expect]: withInput(
    INPUT.expect,
    z.string().transform((raw) => raw.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)),
  ),
  [INPUT.executor]: withInput(INPUT.executor, z.enum(EXECUTORS, { message: `accepts ${EXECUTORS.join(' or ')}` })),
  [INPUT.ecrRepository]: optional(
    INPUT.ecrRepository,
    z.string().regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
      message: 'must be an ECR repository name (lowercase letters, digits and . _ - /), e.g. kedro/spaceflights',
    }),
  ),
  [INPUT.createRepository]: boolInput(INPUT.createRepository),
  [INPUT.builder]: withInput(INPUT.builder, z.enum(BUILDERS, { message: `accepts ${BUILDERS.join(', ')}` })),
  [INPUT.platform]: withInput(INPUT.platform, z.enum(PLATFORMS, { message: `accepts ${PLATFORMS.join(' or ')}` })),
  [INPUT.registry]: optional(
    INPUT.registry,
    z.string().regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/, { message: 'must be a registry host, host[:port] or http(s)://host[:port]' }),
  ),
  [INPUT.dockerfile]: optional(INPUT.dockerfile, z.string()),
  [INPUT.baseImage]: optional(
    INPUT.baseImage,
    z.string().regex(/^[^\s]+$/, { message: 'must be an image reference, <registry>/<repository>[:tag|@sha256:...]' }),
  ),
  [INPUT.batchJobQueue]: optional(
    INPUT.batchJobQueue,
    z.string().regex(/^(arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-queue\/)?[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, {
      message: 'must be a job queue name or ARN',
    }),
  ),
  [INPUT.batchJobRoleArn]: roleArn(INPUT.batchJobRoleArn),
  [INPUT.jobDefinitionArn]: optional(
    INPUT.jobDefinitionArn,
    z.string().regex(/^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-definition\/[A-Za-z0-9_-]{1,128}:\d+$/, {
      message: 'must be a job definition ARN with its revision, arn:aws:batch:<region>:<account>:job-definition/<name>:<revision>',
    }),
  ),
  // The runner evaluates the default `${{ github.token }}`; anything else that looks like one is no token.
  [INPUT.githubToken]: withInput(INPUT.githubToken, z.string().transform((v) => (v.startsWith('${{') ? '' : v))),
  [INPUT.commentOnPr]: boolInput(INPUT.commentOnPr),
  [INPUT.runId]: optional(
    INPUT.runId,
    z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be a Kedro run id (letters, digits, _ . : -), e.g. 2026-11-21T10.00.00.000Z' }),
  ),
});

/** Modes that need the Kedro project itself (not only what an earlier mode produced). */
const MODES_NEEDING_PROJECT: readonly Mode[] = ['package'];

function formatIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    return `input "${name}" ${issue.message}`;
  });
  return lines.join('\n');
}

/** What the runner says of the event that started the workflow (GITHUB_EVENT_NAME, its payload file, the ref). */
function eventFacts(env: NodeJS.ProcessEnv): { eventName: string | undefined; payload: unknown; refName: string | undefined } {
  let payload: unknown;
  const file = env.GITHUB_EVENT_PATH;
  if (file && fs.existsSync(file)) {
    try {
      payload = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      payload = undefined;
    }
  }
  return { eventName: env.GITHUB_EVENT_NAME || undefined, payload, refName: env.GITHUB_REF_NAME || undefined };
}

/** Checks that a folder is a Kedro project, as Kedro decides it: pyproject.toml with a [tool.kedro] table. */
export function checkKedroProject(projectPath: string): void {
  if (!fs.existsSync(projectPath)) {
    throw new ActionError(`input "${INPUT.projectPath}": ${projectPath} does not exist`);
  }
  if (!fs.statSync(projectPath).isDirectory()) {
    throw new ActionError(`input "${INPUT.projectPath}": ${projectPath} is not a folder`);
  }
  const pyproject = path.join(projectPath, 'pyproject.toml');
  if (!fs.existsSync(pyproject)) {
    throw new ActionError(
      `input "${INPUT.projectPath}": ${projectPath} is not a Kedro project (no pyproject.toml there); ` +
        'point it at the folder that holds the project\'s pyproject.toml',
    );
  }
  const text = fs.readFileSync(pyproject, 'utf8');
  if (!/^\s*\[tool\.kedro\]\s*$/m.test(text)) {
    throw new ActionError(
      `input "${INPUT.projectPath}": ${projectPath} is not a Kedro project ` +
        '(its pyproject.toml has no [tool.kedro] table with package_name and project_name)',
    );
  }
}

/**
 * Reads and validates every input. Throws one ActionError listing every bad input.
 * @param cwd the folder relative paths are taken from (the workspace on a runner)
 */
export function readInputs(
  read: InputReader = envInputReader(),
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Inputs {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUT)) {
    const value = read(name);
    raw[name] = value === '' ? (DEFAULTS[name] ?? '') : value;
  }
  if (raw[INPUT.stage] === AUTO_STAGE) raw[INPUT.stage] = autoStage(eventFacts(env));
  const result = RawInputsSchema.safeParse(raw);
  if (!result.success) {
    throw new ActionError(formatIssues(result.error));
  }
  const v = result.data;
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const inputs: Inputs = {
    modes: v[INPUT.mode],
    target: v[INPUT.target],
    projectPath: path.resolve(cwd, v[INPUT.projectPath]),
    env: v[INPUT.env],
    pipeline: v[INPUT.pipeline],
    python: v[INPUT.python],
    runtimeParams: v[INPUT.runtimeParams],
    groupSettings: v[INPUT.groupSettings],
    stage: v[INPUT.stage],
    awsRegion: v[INPUT.awsRegion],
    roleToAssume: v[INPUT.roleToAssume],
    audience: v[INPUT.audience],
    roleSessionName: v[INPUT.roleSessionName],
    roleDurationSeconds: v[INPUT.roleDurationSeconds],
    exportCredentials: v[INPUT.exportCredentials],
    wait: v[INPUT.wait],
    timeoutMinutes: v[INPUT.timeoutMinutes],
    pollIntervalSeconds: v[INPUT.pollIntervalSeconds],
    maxRetries: v[INPUT.maxRetries],
    wheel: resolve(v[INPUT.wheel]),
    confArchive: resolve(v[INPUT.confArchive]),
    plan: resolve(v[INPUT.plan]),
    imageUri: v[INPUT.imageUri],
    lambdaRoleArn: v[INPUT.lambdaRoleArn],
    sfnRoleArn: v[INPUT.sfnRoleArn],
    schedule: v[INPUT.schedule],
    onTimeout: v[INPUT.onTimeout],
    stateMachineArn: v[INPUT.stateMachineArn],
    executionArn: v[INPUT.executionArn],
    runId: v[INPUT.runId],
    expect: v[INPUT.expect],
    executor: v[INPUT.executor],
    batchJobQueue: v[INPUT.batchJobQueue],
    batchJobRoleArn: v[INPUT.batchJobRoleArn],
    jobDefinitionArn: v[INPUT.jobDefinitionArn],
    githubToken: v[INPUT.githubToken],
    commentOnPr: v[INPUT.commentOnPr],
    ecrRepository: v[INPUT.ecrRepository],
    createRepository: v[INPUT.createRepository],
    builder: v[INPUT.builder],
    platform: v[INPUT.platform],
    registry: v[INPUT.registry],
    dockerfile: resolve(v[INPUT.dockerfile]),
    baseImage: v[INPUT.baseImage],
  };
  if (inputs.exportCredentials && !inputs.roleToAssume) {
    throw new ActionError(`input "${INPUT.exportCredentials}" is true but "${INPUT.roleToAssume}" is not set: there are no credentials to export`);
  }
  if (inputs.modes.some((m) => MODES_NEEDING_PROJECT.includes(m))) {
    checkKedroProject(inputs.projectPath);
  }
  return inputs;
}
