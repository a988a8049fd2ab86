/**
 * The container image, emulated on the runner for `executor: local`: what `build` puts in the image, and
 * nothing of the user's Python environment.
 *
 *   <work>/site            the project wheel, installed alone (`pip install --no-deps`), like the image's
 *                          wheel layer; kept while the wheel is the same (sha256)
 *   <cache>/dependencies-* the packages of the lock `package` wrote, installed as the oci builder
 *                          installs its dependency layer (src/build/pip.ts: exactly the lock's, hashes
 *                          checked, wheels for the image's Python and platform, here the runner's
 *                          interpreter and architecture, which the lock must have been made for); without
 *                          a lock (a wheel given alone), the wheel's requirements resolved by pip; kept by
 *                          what decides them (the lock's digest or the requirements, Python, platform),
 *                          shared by every stage and step that uses the same cache folder
 *   <cache>/runtime-*      what the Lambda Python runtime adds to every function: the AWS SDK for Python
 *                          (boto3), behind the image's own packages on the import path, as on Lambda
 *                          ("Your code runs in an environment that includes the SDK for Python (Boto3)",
 *                          https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html)
 *   <work>/task/conf       the conf archive of `kedro package`, without `conf/local` and without Kedro's
 *                          credentials files (an image has neither: src/build/layout.ts), so a run that
 *                          needs them fails here as it would on AWS, and no copy of a credentials file
 *                          is left on the runner
 *
 * The groups run with the runner's interpreter isolated from its own site-packages (lambda.ts: `-s -S`),
 * so a package the wheel does not require is missing here as it is in the image, and the run fails on
 * the runner first. The installed folders are read-only (a group cannot change the image, nor the
 * cache another stage shares) and byte-compiled once (Lambda compiles at every cold start; a group here
 * would do the same for every process).
 *
 * Linux only: the image's packages are Linux wheels, and the limits of a group's process (sandbox.ts)
 * are Linux's. The conf is extracted afresh every time (it is small, and an edited conf must not be
 * missed). Everything under `<work>` and the cache is the runner's user's only (folders 0700, the
 * installed ones read-only: 0500).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isCredentialsPath,
  type Platform,
  type PythonVersion,
  parsePythonVersion,
  pipTargetArgs,
} from '../../build/layout';
import { type ReadLock, readLock } from '../../build/lock';
import { installDependencies, installWheel, tidyPipTarget } from '../../build/pip';
import { readWheelMetadata } from '../../build/wheel';
import { INPUT } from '../../inputs/table';
import { runPython } from '../../kedro/python';
import { ActionError } from '../../lib/errors';
import { privateDir, restrictTree, writePrivateFile } from '../../lib/files';
import { removeTree, setReadOnly } from './sandbox';

export interface ImageOptions {
  /** The user's interpreter: runs the groups (isolated from its site-packages) and pip. */
  python: string;
  /** The project wheel from `kedro package`. */
  wheel: string;
  /**
   * The lock `package` wrote (what `build` installs into the image): installed exactly, as build
   * installs it. Without one, the wheel's requirements are resolved by pip.
   */
  lock?: string;
  /** `conf-<package>.tar.gz` from `kedro package` (holds `conf/`). */
  confArchive: string;
  /** The project's Python package (`[tool.kedro] package_name`). */
  packageName: string;
  /** Folder the emulated image lives in (created when missing, reused across calls). */
  workDir: string;
  /** Where installed dependencies are kept for reuse; default `<workDir>/cache`. */
  cacheDir?: string;
  /** Environment of pip (PIP_INDEX_URL, PIP_FIND_LINKS, ... pass through). */
  pipEnv?: NodeJS.ProcessEnv;
  /** Progress lines (what is installed, what is reused). */
  log?: (line: string) => void;
}

/** What the local executor needs of the emulated image. */
export interface LocalImage {
  /** Where the wheel is installed (first on the import path). */
  site: string;
  /** The wheel's requirements, installed (next on the import path). */
  dependencies: string;
  /** What the Lambda runtime adds (boto3; last on the import path). */
  runtime: string;
  /** The image's task root: holds `conf/` (the Lambda's LAMBDA_TASK_ROOT). */
  taskRoot: string;
  packageName: string;
  /** The interpreter's `<major>.<minor>` (the `AWS_Lambda_python<version>` of the function). */
  pythonVersion: string;
  /** The runner's platform, which the packages were installed for. */
  platform: Platform;
  /** The wheel's Requires-Dist (what `dependencies` holds, with their own dependencies). */
  requirements: string[];
  /** sha256 of the installed wheel (hex). */
  wheelSha256: string;
  /** True when the site folder of an earlier call was kept (same wheel). */
  reused: boolean;
  /** True when the installed dependencies came from the cache. */
  dependenciesReused: boolean;
}

/** Name of the file that records which wheel the site folder holds. */
const MARKER = 'image.json';
/** Name of the file in a cached folder that records what it holds (written last: its presence means complete). */
const CACHE_MARKER = '.kedro-aws-local.json';
/** Bumped when what a cached folder holds changes, so that older folders are not reused. */
const CACHE_FORMAT = 1;
/** A cached folder not used for this long is removed (a folder in use is never). */
const CACHE_UNUSED_DAYS = 7;
/** What the Lambda Python runtime provides to every function. */
const LAMBDA_RUNTIME_REQUIREMENTS = ['boto3'];

interface Marker {
  wheel_sha256: string;
  wheel: string;
  package_name: string;
  python: string;
  platform: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readJson<T>(file: string): Partial<T> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<T>;
  } catch {
    return undefined;
  }
}

interface Interpreter {
  version: PythonVersion;
  platform: Platform;
}

/** The interpreter's Python version and the platform it runs on; refuses what the local image cannot be. */
export async function probeInterpreter(python: string): Promise<Interpreter> {
  const script =
    'import json, platform, sys; print(json.dumps([sys.implementation.name, "%d.%d" % sys.version_info[:2], platform.system(), platform.machine()]))';
  const out = await new Promise<string>((resolve, reject) => {
    execFile(python, ['-S', '-s', '-c', script], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          new ActionError(
            code === 'ENOENT'
              ? `input "${INPUT.python}": the interpreter "${python}" was not found`
              : `input "${INPUT.python}": "${python}" could not be run: ${(stderr || error.message).trim().split('\n').pop()}`,
          ),
        );
      } else resolve(stdout);
    });
  });
  const [implementation, version, system, machine] = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
  if (system !== 'Linux') {
    throw new ActionError(
      `executor "local" runs each group as Lambda runs it: on Linux, with the image's Linux packages and ` +
        `Linux process limits; this runner is ${system || 'not Linux'}. Run the job on a Linux runner ` +
        '(runs-on: ubuntu-latest).',
    );
  }
  if (implementation !== 'cpython') {
    throw new ActionError(
      `input "${INPUT.python}": "${python}" is ${implementation}; Lambda runs CPython, and so does the local executor`,
    );
  }
  const arch = (machine ?? '').toLowerCase();
  const platform: Platform | undefined =
    arch === 'x86_64' || arch === 'amd64'
      ? 'linux/amd64'
      : arch === 'aarch64' || arch === 'arm64'
        ? 'linux/arm64'
        : undefined;
  if (!platform) {
    throw new ActionError(
      `executor "local" runs on x86_64 or arm64 runners (the architectures of Lambda); this one is ${machine}`,
    );
  }
  return { version: parsePythonVersion(version ?? ''), platform };
}

/** Installs the wheel and its dependencies (unless installed already) and extracts the conf. */
export async function prepareImage(options: ImageOptions): Promise<LocalImage> {
  for (const [what, file] of [
    ['wheel', options.wheel],
    ['conf archive', options.confArchive],
  ] as const) {
    if (!fs.existsSync(file)) throw new ActionError(`the ${what} ${file} does not exist; run mode "package" again`);
  }
  const log = options.log ?? (() => {});
  const workDir = path.resolve(options.workDir);
  const cacheDir = path.resolve(options.cacheDir ?? path.join(workDir, 'cache'));
  const site = path.join(workDir, 'site');
  const taskRoot = path.join(workDir, 'task');
  const markerFile = path.join(workDir, MARKER);
  privateDir(workDir);
  privateDir(cacheDir);

  const interpreter = await probeInterpreter(options.python);
  const pip = {
    python: options.python,
    platform: interpreter.platform,
    pythonVersion: interpreter.version,
    ...(options.pipEnv ? { env: options.pipEnv } : {}),
  };
  const { requirements } = readWheelMetadata(options.wheel);
  const where = `CPython ${interpreter.version.text} ${interpreter.platform}`;

  const lock = options.lock
    ? readLock(options.lock, {
        pythonVersion: interpreter.version.text,
        platform: interpreter.platform,
        pipOnRunner: true,
      })
    : undefined;
  const what = lock
    ? `the ${lock.parsed.requirements.length} package(s) of the lock ${path.basename(lock.file)}`
    : `${requirements.length} requirement(s) of the wheel`;
  const dependencies = await cachedInstall(
    cacheDir,
    'dependencies',
    lock ? [`lock sha256:${createHash('sha256').update(fs.readFileSync(lock.file)).digest('hex')}`] : requirements,
    pip,
    (reused) =>
      log(
        !lock && requirements.length === 0
          ? 'the wheel requires nothing'
          : `${what}: ${reused ? 'installed already' : 'installed'} for ${where}`,
      ),
    lock ? { lock, direct: requirements } : undefined,
  );
  const runtime = await installLambdaRuntime(cacheDir, pip, (reused) =>
    log(
      `the Lambda runtime's ${LAMBDA_RUNTIME_REQUIREMENTS.join(', ')}: ${reused ? 'installed already' : 'installed'}`,
    ),
  );

  const wheelSha256 = await sha256File(options.wheel);
  const marker = readJson<Marker>(markerFile);
  const reused =
    marker !== undefined &&
    marker.wheel_sha256 === wheelSha256 &&
    marker.package_name === options.packageName &&
    marker.python === interpreter.version.text &&
    marker.platform === interpreter.platform &&
    fs.existsSync(site);
  if (!reused) {
    fs.rmSync(markerFile, { force: true });
    const staging = `${site}.${process.pid}.new`;
    removeTree(staging);
    await installWheel(options.wheel, { ...pip, target: staging, label: 'local image: pip (wheel)' });
    setReadOnly(staging);
    removeTree(site);
    fs.renameSync(staging, site);
    const record: Marker = {
      wheel_sha256: wheelSha256,
      wheel: path.resolve(options.wheel),
      package_name: options.packageName,
      python: interpreter.version.text,
      platform: interpreter.platform,
    };
    writePrivateFile(markerFile, `${JSON.stringify(record, null, 2)}\n`);
  }
  if (!fs.existsSync(path.join(site, options.packageName))) {
    throw new ActionError(
      `the wheel ${path.basename(options.wheel)} has no package "${options.packageName}" ([tool.kedro] package_name); ` +
        `it holds ${listOrNone(fs.readdirSync(site).filter((f) => !f.endsWith('.dist-info') && !f.endsWith('.data')))}`,
    );
  }
  await extractConf(options.confArchive, taskRoot);
  // What tar wrote has the permissions of the runner's umask.
  restrictTree(taskRoot);
  return {
    site,
    dependencies: dependencies.dir,
    runtime: runtime.dir,
    taskRoot,
    packageName: options.packageName,
    pythonVersion: interpreter.version.text,
    platform: interpreter.platform,
    requirements,
    wheelSha256,
    reused,
    dependenciesReused: dependencies.reused,
  };
}

function listOrNone(names: string[]): string {
  return names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ');
}

/**
 * What the Lambda runtime adds (boto3) in `<cacheDir>/runtime-<key>`, installed unless an earlier call
 * did. Exported for the test that reads the install's log.
 */
export function installLambdaRuntime(
  cacheDir: string,
  pip: { python: string; platform: Platform; pythonVersion: PythonVersion; env?: NodeJS.ProcessEnv },
  done: (reused: boolean) => void,
): Promise<{ dir: string; reused: boolean }> {
  return cachedInstall(cacheDir, 'runtime', LAMBDA_RUNTIME_REQUIREMENTS, pip, done);
}

interface CacheMarker {
  format: number;
  kind: string;
  requirements: string[];
  python: string;
  platform: string;
}

/**
 * `requirements` installed into `<cacheDir>/<kind>-<key>` (key: what decides the folder's content), or
 * that folder as an earlier call left it. The install goes to a staging folder renamed at the end, so
 * an interrupted one never leaves a half folder behind, and two runs installing at once both end up
 * with a complete one.
 */
async function cachedInstall(
  cacheDir: string,
  kind: 'dependencies' | 'runtime',
  requirements: readonly string[],
  pip: { python: string; platform: Platform; pythonVersion: PythonVersion; env?: NodeJS.ProcessEnv },
  done: (reused: boolean) => void,
  locked?: { lock: ReadLock; direct: readonly string[] },
): Promise<{ dir: string; reused: boolean }> {
  const wanted: CacheMarker = {
    format: CACHE_FORMAT,
    kind,
    // In a fixed order: the same requirements listed differently are the same folder.
    requirements: [...requirements].sort(),
    python: pip.pythonVersion.text,
    platform: pip.platform,
  };
  const key = createHash('sha256').update(JSON.stringify(wanted)).digest('hex').slice(0, 24);
  const dir = path.join(cacheDir, `${kind}-${key}`);
  const complete = () => JSON.stringify(readJson<CacheMarker>(path.join(dir, CACHE_MARKER))) === JSON.stringify(wanted);
  if (complete()) {
    touch(dir);
    done(true);
    return { dir, reused: true };
  }
  const staging = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  try {
    const label = `local image: pip (${kind})`;
    if (locked) await installDependencies(locked.lock, { ...pip, target: staging, label, direct: locked.direct });
    else await installResolved(requirements, { ...pip, target: staging, label, warnConflicts: kind !== 'runtime' });
    await byteCompile(pip.python, staging);
    fs.writeFileSync(path.join(staging, CACHE_MARKER), `${JSON.stringify(wanted, null, 2)}\n`);
    setReadOnly(staging);
    if (!complete()) {
      removeTree(dir);
      try {
        fs.renameSync(staging, dir);
      } catch (error) {
        // Another run finished the same folder first: use that one.
        if (!complete()) throw error;
      }
    }
  } finally {
    removeTree(staging);
  }
  evict(cacheDir, kind, dir);
  done(false);
  return { dir, reused: false };
}

/** `requirements` and what they depend on, resolved by pip, for the image's Python and platform. */
async function installResolved(
  requirements: readonly string[],
  o: {
    python: string;
    platform: Platform;
    pythonVersion: PythonVersion;
    env?: NodeJS.ProcessEnv;
    target: string;
    label: string;
    /** False: no "pip's dependency resolver ... conflicts" report (see the runtime's install). */
    warnConflicts: boolean;
  },
): Promise<void> {
  fs.rmSync(o.target, { recursive: true, force: true });
  fs.mkdirSync(o.target, { recursive: true });
  if (requirements.length > 0) {
    const file = `${o.target}.requirements.txt`;
    writePrivateFile(file, `${requirements.join('\n')}\n`);
    try {
      // The runtime's boto3 goes to a folder of its own, last on the groups' import path, and nothing else is
      // installed beside it. pip compares what it installed with the packages of the interpreter it runs
      // (the runner's environment, which the groups never import: they run with `-s -S`), and prints
      // "ERROR: pip's dependency resolver ... aiobotocore ... requires botocore<..." when one of them pins
      // another botocore. That is no failure here (pip exits 0, and the folder holds boto3 with exactly
      // the botocore it requires), so it is not printed: --no-warn-conflicts, for the runtime's install only.
      const conflicts = o.warnConflicts ? [] : ['--no-warn-conflicts'];
      const args = [...pipTargetArgs(o.target, o.platform, o.pythonVersion), ...conflicts, '-r', file];
      const result = await runPython(o.python, args, {
        cwd: path.dirname(o.target),
        label: o.label,
        ...(o.env ? { env: o.env } : {}),
      });
      if (result.code !== 0) {
        throw new ActionError(
          `installing ${requirements.join(', ')} for the local image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`,
        );
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  tidyPipTarget(o.target);
}

/** Compiles the folder's modules once (best effort: a module that does not compile is left as it is). */
async function byteCompile(python: string, dir: string): Promise<void> {
  await new Promise<void>((resolve) => {
    execFile(
      python,
      ['-S', '-s', '-m', 'compileall', '-q', '-j', '0', dir],
      { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      () => resolve(),
    );
  });
}

function touch(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(dir, now, now);
  } catch {
    // the age only decides what is evicted first
  }
}

/** Removes the folders of a kind that no run has used for CACHE_UNUSED_DAYS (a stage's old requirements). */
function evict(cacheDir: string, kind: string, keep: string): void {
  const before = Date.now() - CACHE_UNUSED_DAYS * 86_400_000;
  for (const name of fs.readdirSync(cacheDir)) {
    const dir = path.join(cacheDir, name);
    if (!name.startsWith(`${kind}-`) || dir === keep) continue;
    try {
      if (fs.statSync(dir).mtimeMs < before) removeTree(dir);
    } catch {
      // removed meanwhile
    }
  }
}

/**
 * tar patterns for Kedro's credentials files (its config loader's `credentials*`, `**\/credentials*`, in
 * any case, as isCredentialsPath): unanchored, so they match a file or folder at any depth, with GNU
 * tar and bsdtar alike.
 */
const CREDENTIALS_EXCLUDE = `--exclude=${[...'credentials'].map((c) => `[${c.toUpperCase()}${c}]`).join('')}*`;

/** `conf/` of the archive → `<taskRoot>/conf`, without `conf/local` and without any credentials file. */
async function extractConf(archive: string, taskRoot: string): Promise<void> {
  const staging = `${taskRoot}.${process.pid}.new`;
  fs.rmSync(staging, { recursive: true, force: true });
  privateDir(staging);
  const args = [
    '-xzf',
    path.resolve(archive),
    '-C',
    staging,
    '--exclude=conf/local',
    '--exclude=./conf/local',
    CREDENTIALS_EXCLUDE,
  ];
  const failure = await new Promise<string | null>((resolve) => {
    execFile('tar', args, { encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve(error ? `${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim()}` : ''}` : null);
    });
  });
  if (failure !== null) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ActionError(`extracting the conf archive ${archive} failed: ${failure}`);
  }
  const conf = path.join(staging, 'conf');
  if (!fs.existsSync(conf) || !fs.statSync(conf).isDirectory()) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ActionError(`the conf archive ${archive} has no conf/ folder (it should come from "kedro package")`);
  }
  fs.rmSync(path.join(conf, 'local'), { recursive: true, force: true });
  // Should a tar match the patterns differently: none is left all the same.
  removeCredentials(conf);
  fs.rmSync(taskRoot, { recursive: true, force: true });
  fs.mkdirSync(taskRoot, { recursive: true });
  fs.renameSync(conf, path.join(taskRoot, 'conf'));
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Removes every credentials file or folder under `conf` (see CREDENTIALS_EXCLUDE). */
function removeCredentials(conf: string, rel = ''): void {
  for (const entry of fs.readdirSync(path.join(conf, rel), { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (isCredentialsPath(childRel)) fs.rmSync(path.join(conf, childRel), { recursive: true, force: true });
    else if (entry.isDirectory()) removeCredentials(conf, childRel);
  }
}

/**
 * The import path of the image's Python, in the emulated image: the wheel, its installed requirements,
 * the action's runtime, and what the base image adds (boto3, last). Every group process gets exactly
 * this (with `-s -S`: none of the runner's site-packages), whatever runs it: a Lambda function
 * (lambda.ts), a Batch container (batch.ts), a SageMaker training container (sagemaker.ts).
 */
export function imageImportPath(
  image: { site: string; dependencies?: string | undefined; runtime?: string | undefined },
  actionPythonDir: string,
): string {
  return [
    image.site,
    ...(image.dependencies ? [image.dependencies] : []),
    actionPythonDir,
    ...(image.runtime ? [image.runtime] : []),
  ].join(path.delimiter);
}

/** The options that cut the runner's interpreter off from its own and the user's site-packages (and .pth files). */
export const ISOLATED_PYTHON_FLAGS = ['-s', '-S'] as const;

/**
 * A container command that runs the image's Python (`python3 ...`, `python ...`), as the runner runs
 * it: the runner's interpreter with {@link ISOLATED_PYTHON_FLAGS}. Anything else cannot be emulated:
 * the reason, as a string.
 */
export function imagePythonCommand(command: readonly string[], python: string): string[] | string {
  const [program, ...args] = command;
  if (program === undefined || !/^(?:\/usr\/(?:local\/)?bin\/|\/var\/lang\/bin\/)?python3?$/.test(program)) {
    return `the local executor runs a container whose command is the image's Python, not ${JSON.stringify(program ?? '')}`;
  }
  return [python, ...ISOLATED_PYTHON_FLAGS, ...args];
}

/**
 * What every process of the emulated image is given: a Lambda invocation (lambda.ts), a Batch job
 * (batch.ts), a SageMaker training job (sagemaker.ts).
 */
export interface ImageProcessOptions {
  /** The user's interpreter: it stands for the image's `python3` (run isolated from its site-packages). */
  python: string;
  /** The emulated image (`prepareImage`); `dependencies` and `runtime` go on the import path when given. */
  image: {
    site: string;
    taskRoot: string;
    packageName: string;
    dependencies?: string;
    runtime?: string;
    pythonVersion?: string;
  };
  /** The action's python/ folder (holds kedro_aws_action). */
  actionPythonDir: string;
  /** Group name (log prefix, sandbox name). */
  group: string;
  /** Variables added over the ones the process gets (AWS_ENDPOINT_URL, credentials, region, ...). */
  env?: NodeJS.ProcessEnv;
  /** Where the runner's AWS_* and host variables are read; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Parent folder of the sandboxes; default the system's temp folder. */
  scratchDir?: string;
  /** Each line the process writes (stdout and stderr), without the group prefix. */
  log: (line: string) => void;
  /** Aborting kills the process group. */
  signal?: AbortSignal;
  /** Called once the process has started (each attempt's, for a job). */
  onStart?: () => void;
}

/** The PATH of the image (the Lambda base image's, where `python3` is /var/lang/bin/python3). */
export const IMAGE_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';

/** The runner's variables a process needs to reach the network (proxies, CA bundles) and start the interpreter. */
export const NETWORK_ENV = [
  'LD_LIBRARY_PATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'AWS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
];

/**
 * The environment of a container of the image (a Batch job's, a SageMaker training job's) on the
 * runner: the runner's AWS_* and network variables (`hostKeys`), the image's own variables with the
 * image's paths mapped into the container's sandbox (task root, /tmp, HOME, the import path), then
 * the job's environment, then what the service sets (`service`: AWS_BATCH_*, TRAINING_JOB_NAME), then
 * `extra` (endpoint, credentials, region). Nothing else of the runner's (GITHUB_*, INPUT_*, tokens).
 */
export function containerEnvironment(options: {
  image: { site: string; dependencies?: string | undefined; runtime?: string | undefined };
  actionPythonDir: string;
  /** The container's folders in its sandbox (jobContainerFolders). */
  folders: { taskRoot: string; tmpDir: string; home: string };
  hostEnv: NodeJS.ProcessEnv;
  job: Readonly<Record<string, string>>;
  service: Readonly<Record<string, string>>;
  extra: NodeJS.ProcessEnv | undefined;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.hostEnv)) {
    if (value !== undefined && (key.startsWith('AWS_') || NETWORK_ENV.includes(key))) env[key] = value;
  }
  const imagePaths = {
    PYTHONPATH: imageImportPath(options.image, options.actionPythonDir),
    LAMBDA_TASK_ROOT: options.folders.taskRoot,
  };
  Object.assign(
    env,
    {
      // The image's variables (the Lambda base image's, whose /var/lang/bin/python3 the command runs).
      PATH: IMAGE_PATH,
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      // The container runs as root: its home is /root, in the container's own file system.
      HOME: options.folders.home,
      TMPDIR: options.folders.tmpDir,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      KEDRO_AWS_LOCAL_SITE: options.image.site,
      ...imagePaths,
    },
    options.job,
    // A job variable that names an image path (PYTHONPATH=/var/task) names the sandbox's here.
    imagePaths,
    options.service,
    options.extra,
  );
  return env;
}
