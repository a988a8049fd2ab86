/**
 * Where things go in the image, spelled once for both builders (pure: no I/O).
 *
 * Target step-functions (AWS Lambda): the AWS Lambda Python base image of the project's Python
 * (`public.ecr.aws/lambda/python:<major.minor>`), everything in the task root `/var/task`, which the
 * Lambda Python runtime puts first on `sys.path` (AWS's own instructions for container images install
 * with `pip install --target ${LAMBDA_TASK_ROOT}`):
 *
 *   /var/task/<dependencies>          layer 1: the wheel's requirements (changes rarely)
 *   /var/task/<package>/ + dist-info  layer 2: the project wheel, installed without dependencies
 *   /var/task/conf/{base,<env>}/      layer 3: the conf of the target env (never conf/local, never credentials)
 *   /var/task/kedro_aws_action/       layer 4: the action's runtime (handler and logging.yml)
 *   CMD ["kedro_aws_action.lambda_handler.handler"], ENTRYPOINT our entrypoint.sh: with the handler (one
 *   argument, as Lambda starts it) it hands over to the base image's /lambda-entrypoint.sh; with a Batch
 *   job's command (a `compute: batch` group of the stage) it runs that command, which the base image's
 *   entrypoint would refuse and a Batch job definition cannot bypass.
 */

import { INPUT, PLATFORMS, type Platform } from '../inputs/table';
import { ActionError } from '../lib/errors';

export type { Platform };

export const TASK_ROOT = '/var/task';
export const CONF_DIR = `${TASK_ROOT}/conf`;
export const RUNTIME_PACKAGE = 'kedro_aws_action';
export const LAMBDA_HANDLER = `${RUNTIME_PACKAGE}.lambda_handler.handler`;
/** The Lambda image's entrypoint (python/kedro_aws_action/entrypoint.sh); run by sh, so no mode bit matters. */
export const LAMBDA_IMAGE_ENTRYPOINT = ['/bin/sh', `${TASK_ROOT}/${RUNTIME_PACKAGE}/entrypoint.sh`];
export const LAMBDA_BASE_REPOSITORY = 'public.ecr.aws/lambda/python';

/** Python versions AWS publishes a Lambda base image for (python:3.9 ... python:3.14). */
const LAMBDA_PYTHON_MINORS = [9, 10, 11, 12, 13, 14];

export interface PythonVersion {
  major: number;
  minor: number;
  /** `3.12` */
  text: string;
}

export function parsePythonVersion(value: string): PythonVersion {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  if (!m) throw new ActionError(`the plan's python_version "${value}" is not <major>.<minor> (e.g. 3.12)`);
  return { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` };
}

/** The AWS Lambda base image for the project's Python, or an error that says what to do. */
/** What runs the groups: Lambda (the handler) or Batch (the entry point as the container's command). */
export type ImageKind = 'lambda' | 'batch';

/** The Batch entry point, run from the task root; the job definition's command gives its arguments. */
export const BATCH_COMMAND = ['python3', '-m', 'kedro_aws_action.batch_entry'];

/** Base image of a Batch image: the slim official Python image of the project's version. */
export function batchBaseImage(pythonVersion: string): string {
  const v = parsePythonVersion(pythonVersion);
  return `docker.io/library/python:${v.text}-slim`;
}

/** Image config (env, command, entrypoint) of each kind; the layers are the same. */
export function imageSettings(kind: ImageKind): { cmd: string[]; entrypoint?: string[]; env: Record<string, string> } {
  const env = { LAMBDA_TASK_ROOT: TASK_ROOT, KEDRO_DISABLE_TELEMETRY: 'true' };
  if (kind === 'lambda') return { cmd: [LAMBDA_HANDLER], entrypoint: LAMBDA_IMAGE_ENTRYPOINT, env };
  // Batch: no entrypoint of the base's; the task root on the import path, like Lambda's.
  return { cmd: BATCH_COMMAND, entrypoint: [], env: { ...env, PYTHONPATH: TASK_ROOT } };
}

export function lambdaBaseImage(pythonVersion: string): string {
  const v = parsePythonVersion(pythonVersion);
  if (v.major !== 3 || !LAMBDA_PYTHON_MINORS.includes(v.minor)) {
    throw new ActionError(
      `the project runs on Python ${v.text} (the "python" interpreter of "package"), for which AWS Lambda has no ` +
        `base image (it has 3.${LAMBDA_PYTHON_MINORS[0]} to 3.${LAMBDA_PYTHON_MINORS.at(-1)}); ` +
        'package with a supported Python (actions/setup-python), or give your own base image',
    );
  }
  return `${LAMBDA_BASE_REPOSITORY}:${v.text}`;
}

export function parsePlatform(value: string): Platform {
  if (!(PLATFORMS as readonly string[]).includes(value)) {
    throw new ActionError(
      `input "${INPUT.platform}" accepts ${PLATFORMS.join(' or ')} (the architectures of Lambda and Batch), got "${value}"`,
    );
  }
  return value as Platform;
}

/** `linux/amd64` → `amd64`: the `architecture` of the image config and of an index entry. */
export function platformArchitecture(platform: Platform): 'amd64' | 'arm64' {
  return platform === 'linux/arm64' ? 'arm64' : 'amd64';
}

/**
 * The `--platform` values pip is given for the image: manylinux2014 always (pip adds manylinux2010 and
 * manylinux1 itself); for Python 3.12 and later, whose Lambda images run Amazon Linux 2023 (glibc
 * 2.34), also manylinux_2_28, which newer wheels are often built for only.
 */
export function pipPlatforms(platform: Platform, python: PythonVersion): string[] {
  const arch = platform === 'linux/arm64' ? 'aarch64' : 'x86_64';
  const tags = [`manylinux2014_${arch}`];
  if (python.major === 3 && python.minor >= 12) tags.push(`manylinux_2_28_${arch}`);
  return tags;
}

/**
 * `pip install` arguments that fetch wheels for the image, not for the runner: the image's platform,
 * CPython of the image's version, binary wheels only (nothing is compiled on the runner for the wrong
 * system), no .pyc (their timestamps would change every build's digest).
 */
export function pipTargetArgs(target: string, platform: Platform, python: PythonVersion): string[] {
  return [
    '-m',
    'pip',
    'install',
    '--target',
    target,
    ...pipPlatforms(platform, python).flatMap((p) => ['--platform', p]),
    '--implementation',
    'cp',
    '--python-version',
    python.text,
    '--only-binary=:all:',
    '--no-compile',
    '--no-input',
    '--disable-pip-version-check',
  ];
}

/** Kedro's credentials files (its config loader's patterns `credentials*`, `**\/credentials*`). */
export function isCredentialsPath(rel: string): boolean {
  return rel.split('/').some((part) => part.toLowerCase().startsWith('credentials'));
}

/**
 * Which paths of the conf archive go in the image: `conf/base` and `conf/<env>`, not `conf/local` nor
 * any other env, and no credentials file anywhere. `rel` is relative to `conf/`.
 */
export function confPathIncluded(rel: string, env: string): boolean {
  const [top] = rel.split('/');
  if (top !== 'base' && top !== env) return false;
  if (top === 'local') return false;
  return !isCredentialsPath(rel);
}

/**
 * The conf envs a conf archive ships: folders of `conf/` with at least one file that goes in an image
 * (`conf/local` never: `kedro package` leaves its `.yml` files out, and no image has it; an env of
 * credentials files only neither). `entries` are the archive's paths (`conf/aws/catalog.yml`).
 */
export function shippedEnvs(entries: readonly string[]): string[] {
  const envs = new Set<string>();
  for (const entry of entries) {
    const rel = entry.replace(/^\.\//, '');
    if (!rel.startsWith('conf/') || rel.endsWith('/')) continue;
    const inConf = rel.slice('conf/'.length);
    const [top] = inConf.split('/');
    if (top && inConf.includes('/') && confPathIncluded(inConf, top)) envs.add(top);
  }
  return [...envs].sort();
}
