/**
 * The lock of the image's Python packages: every package `build` installs, pinned to one version with the
 * hashes of its files, so two builds of one commit install the same files (and give the same digest), and
 * the local executor can run with the image's packages.
 *
 * `package` writes it (requirements.lock, pip's requirements format), for the image's Python and platform:
 * 1. from the `requirements-lock` input, when given;
 * 2. else from the project's own lock, at the project's root: `requirements.lock` (pinned; hashes where it
 *    has them), `requirements.txt` when every requirement in it is pinned with hashes (what `pip-compile
 *    --generate-hashes`, `uv pip compile --generate-hashes` and `uv export` write), or `uv.lock` (through
 *    `uv export --frozen`). It must pin every requirement of the wheel, at a version the wheel accepts;
 * 3. else generated from the wheel's requirements with `uv pip compile --generate-hashes` for the image's
 *    CPython and manylinux platform (binary wheels only, unless the docker builder, which can build an
 *    sdist in the image, is chosen). uv is the pinned {@link UV_VERSION}, installed with the project's
 *    Python (`pip install --target`) into the runner's tool cache, or under RUNNER_TEMP.
 * Environment markers are evaluated for the image (not the runner): the lock keeps the lines that apply
 * to it, without their markers. pip's index settings (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS,
 * PIP_NO_INDEX) reach uv too.
 *
 * `build` installs it with `pip install --no-deps --require-hashes -r requirements.lock` (without
 * `--require-hashes` for a project lock that has no hashes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INPUT } from '../inputs/table';
import { runPython } from '../kedro/python';
import { ActionError } from '../lib/errors';
import { writePrivateFile } from '../lib/files';
import { runCommand } from './docker';
import { type Platform, type PythonVersion, parsePythonVersion, platformArchitecture } from './layout';
import { normalizeName, readWheelMetadata } from './wheel';

/** The uv that `package` installs to make a lock. */
export const UV_VERSION = '0.13.9';

/** The first line of every lock `package` writes, with what it was made for (parsed back by `build`). */
const HEADER_RE = /^# kedro-aws-action lock: python=(\S+) platform=(\S+) source=(.+)$/m;

export interface LockRequirement {
  /** 1-based line of the requirement's first line. */
  line: number;
  name: string;
  /** `[extra1,extra2]` as written, or ''. */
  extras: string;
  /** The pinned version (`==` or `===`), undefined when the line is not pinned. */
  version: string | undefined;
  /** The version specifier as written (`==1.2`, `>=1`), '' when there is none. */
  specifier: string;
  marker: string | undefined;
  hashes: string[];
  /** `name @ url` requirements: the URL. */
  url?: string;
}

export interface ParsedLock {
  requirements: LockRequirement[];
  /** Option lines kept as they are (`--index-url ...`, `--extra-index-url ...`, `--find-links ...`). */
  options: string[];
  /** Lines that cannot be in a lock: `-e`, `-r`, `-c`, a local path. */
  refused: { line: number; text: string }[];
  header?: LockHeader;
}

export interface LockHeader {
  python: string;
  platform: string;
  source: string;
}

const OPTION_KEPT =
  /^(--index-url|-i|--extra-index-url|--find-links|-f|--no-index|--trusted-host|--prefer-binary|--only-binary|--no-binary)\b/;
const REQUIREMENT_RE =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:@\s*(\S+)|((?:===|==|~=|!=|<=|>=|<|>)[^;]*))?\s*(?:;\s*(.+))?$/;

/** A requirements file (pip's format): logical lines, comments dropped, hashes with their requirement. */
export function parseLock(text: string): ParsedLock {
  const out: ParsedLock = { requirements: [], options: [], refused: [] };
  const header = HEADER_RE.exec(text);
  if (header) out.header = { python: header[1]!, platform: header[2]!, source: header[3]!.trim() };
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    let logical = physical[i]!;
    while (logical.endsWith('\\') && i + 1 < physical.length) logical = `${logical.slice(0, -1)} ${physical[++i]!}`;
    // A comment starts at a # at the line's start or after whitespace (pip's rule).
    const content = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!content) continue;
    if (content.startsWith('-')) {
      if (OPTION_KEPT.test(content)) out.options.push(content);
      else out.refused.push({ line: start, text: content });
      continue;
    }
    const hashes = [...content.matchAll(/--hash[=\s]+(\S+)/g)].map((m) => m[1]!);
    const requirement = content.replace(/--hash[=\s]+\S+/g, '').trim();
    if (/^(\.|\/|file:)/.test(requirement) || /\s--?\w/.test(requirement)) {
      out.refused.push({ line: start, text: requirement });
      continue;
    }
    const m = REQUIREMENT_RE.exec(requirement);
    if (!m) {
      out.refused.push({ line: start, text: requirement });
      continue;
    }
    const specifier = (m[4] ?? '').replace(/\s+/g, '');
    const pinned = /^===?([^,]+)$/.exec(specifier);
    if (m[3] && /^(file:|\.|\/)/.test(m[3])) {
      out.refused.push({ line: start, text: requirement });
      continue;
    }
    out.requirements.push({
      line: start,
      name: m[1]!,
      extras: (m[2] ?? '').replace(/\s+/g, ''),
      version: pinned?.[1],
      specifier,
      marker: m[5]?.trim(),
      hashes,
      ...(m[3] ? { url: m[3] } : {}),
    });
  }
  return out;
}

/**
 * What makes a requirements file a lock: every requirement pinned (`==`, or a URL), no include or editable
 * line, hashes on every requirement or on none. Returns whether it has hashes; throws naming the lines.
 */
export function checkLockShape(lock: ParsedLock, file: string): { hashed: boolean } {
  const problems: string[] = [];
  for (const r of lock.refused)
    problems.push(`line ${r.line}: "${r.text}" (a lock holds pinned requirements only: no -e, -r, -c or local path)`);
  for (const r of lock.requirements) {
    if (!r.version && !r.url) problems.push(`line ${r.line}: ${r.name}${r.specifier} is not pinned (==<version>)`);
  }
  const hashed = lock.requirements.filter((r) => r.hashes.length > 0);
  if (hashed.length > 0 && hashed.length < lock.requirements.length) {
    const bare = lock.requirements.filter((r) => r.hashes.length === 0).map((r) => r.name);
    problems.push(`some requirements have hashes and some do not (${bare.slice(0, 10).join(', ')} have none)`);
  }
  if (problems.length) {
    throw new ActionError(
      `${file} is not a lock: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}. ` +
        'Compile it with hashes (uv pip compile --generate-hashes, or pip-compile --generate-hashes), ' +
        `or name another with input "${INPUT.requirementsLock}"`,
    );
  }
  return { hashed: hashed.length > 0 };
}

/** The lock's text: our header, the kept options, one pinned requirement per entry with its hashes. */
export function lockText(
  header: LockHeader,
  options: readonly string[],
  requirements: readonly LockRequirement[],
): string {
  const lines = [
    `# kedro-aws-action lock: python=${header.python} platform=${header.platform} source=${header.source}`,
    '# The Python packages of the image: `build` installs them with pip --no-deps (--require-hashes when hashed).',
    ...options,
  ];
  for (const r of [...requirements].sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)))) {
    const pin = r.url ? `${r.name}${r.extras} @ ${r.url}` : `${r.name}${r.extras}==${r.version}`;
    lines.push([pin, ...r.hashes.map((h) => `    --hash=${h}`)].join(' \\\n'));
  }
  return `${lines.join('\n')}\n`;
}

/** uv's name of the image's platform: the manylinux of pip's platforms for the image (layout.ts pipPlatforms). */
export function uvPythonPlatform(platform: Platform, python: PythonVersion): string {
  const arch = platformArchitecture(platform) === 'arm64' ? 'aarch64' : 'x86_64';
  return `${arch}-manylinux_${python.major === 3 && python.minor >= 12 ? '2_28' : '2_17'}`;
}

/** pip's index settings, as uv arguments (uv reads UV_* variables, not PIP_* ones). */
export function indexArgs(env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  const words = (v: string | undefined) => (v ?? '').split(/\s+/).filter(Boolean);
  if (env.PIP_INDEX_URL && !env.UV_INDEX_URL && !env.UV_DEFAULT_INDEX) args.push('--index-url', env.PIP_INDEX_URL);
  if (!env.UV_EXTRA_INDEX_URL && !env.UV_INDEX)
    for (const url of words(env.PIP_EXTRA_INDEX_URL)) args.push('--extra-index-url', url);
  if (!env.UV_FIND_LINKS) for (const link of words(env.PIP_FIND_LINKS)) args.push('--find-links', link);
  if (/^(1|true|yes|on)$/i.test(env.PIP_NO_INDEX ?? '') && !env.UV_NO_INDEX) args.push('--no-index');
  return args;
}

export interface CompileOptions {
  /** requirements.in (relative to the folder uv runs in, so annotations name no temporary path). */
  input: string;
  output: string;
  /** The project's Python (uv uses it where it must build an sdist's metadata). */
  python: string;
  pythonVersion: PythonVersion;
  platform: Platform;
  /** Binary wheels only (the oci builder installs nothing else). */
  onlyBinary: boolean;
  env: NodeJS.ProcessEnv;
}

/** `uv pip compile` for the image: its CPython and manylinux platform, with the hashes of every file. */
export function uvCompileArgs(o: CompileOptions): string[] {
  return [
    'pip',
    'compile',
    o.input,
    '--output-file',
    o.output,
    '--python',
    o.python,
    '--no-python-downloads',
    '--python-version',
    o.pythonVersion.text,
    '--python-platform',
    uvPythonPlatform(o.platform, o.pythonVersion),
    '--generate-hashes',
    '--no-header',
    ...(o.onlyBinary ? ['--only-binary', ':all:'] : []),
    ...indexArgs(o.env),
    '--no-progress',
  ];
}

/** `uv export` of a uv.lock: the project's own dependencies (no dev groups, not the project itself), hashed. */
export function uvExportArgs(output: string): string[] {
  return [
    'export',
    '--frozen',
    '--format',
    'requirements.txt',
    '--no-dev',
    '--no-emit-project',
    '--no-header',
    '--output-file',
    output,
    '--no-progress',
  ];
}

/**
 * The command a user runs at the project's root to make (or update) the lock of the image: the wheel's
 * requirements are pyproject.toml's dependencies, compiled for the image's CPython and platform with the
 * hashes of every file. A uv.lock is updated with `uv lock` (package exports it).
 */
export function lockCommand(o: {
  file: string;
  pythonVersion: PythonVersion;
  platform: Platform;
  onlyBinary: boolean;
  uvLock?: boolean;
}): string {
  if (o.uvLock) return 'uv lock';
  return [
    'uv pip compile pyproject.toml --generate-hashes',
    `--python-version ${o.pythonVersion.text}`,
    `--python-platform ${uvPythonPlatform(o.platform, o.pythonVersion)}`,
    ...(o.onlyBinary ? ['--only-binary :all:'] : []),
    `--output-file ${o.file}`,
  ].join(' ');
}

/** A project's lock that does not pin the wheel's requirements (it was not updated with pyproject.toml). */
export function staleLockMessage(o: {
  file: string;
  wheel: string;
  python: PythonVersion;
  platform: Platform;
  /** The requirements it misses or pins outside their range. */
  what: string;
  command: string;
}): string {
  return (
    `${o.file} is stale: it does not match the requirements of ${o.wheel} for CPython ${o.python.text} on ${o.platform}: ${o.what}. ` +
    `Update it at the project's root with "${o.command}" and commit it, or give another lock with input "${INPUT.requirementsLock}"`
  );
}

export interface ProjectLock {
  file: string;
  kind: 'requirements' | 'uv.lock';
}

/** The project's own lock, if it has one this action reads; `ignored`: lock files of other tools it found. */
export function findProjectLock(projectPath: string): { lock?: ProjectLock; ignored: string[] } {
  const at = (name: string) => path.join(projectPath, name);
  const ignored = ['poetry.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'].filter((f) => fs.existsSync(at(f)));
  if (fs.existsSync(at('requirements.lock')))
    return { lock: { file: at('requirements.lock'), kind: 'requirements' }, ignored };
  if (fs.existsSync(at('requirements.txt'))) {
    const parsed = parseLock(fs.readFileSync(at('requirements.txt'), 'utf8'));
    const compiled =
      parsed.requirements.length > 0 &&
      parsed.refused.length === 0 &&
      parsed.requirements.every((r) => (r.version || r.url) && r.hashes.length > 0);
    if (compiled) return { lock: { file: at('requirements.txt'), kind: 'requirements' }, ignored };
  }
  if (fs.existsSync(at('uv.lock'))) return { lock: { file: at('uv.lock'), kind: 'uv.lock' }, ignored };
  return { ignored };
}

/**
 * Where uv is installed: the runner's tool cache (RUNNER_TOOL_CACHE, kept between jobs on self-hosted
 * runners, laid out as @actions/tool-cache does), else the action's folder under RUNNER_TEMP.
 */
export function uvToolDir(env: NodeJS.ProcessEnv, actionDir: string): string {
  const root = env.RUNNER_TOOL_CACHE || path.join(actionDir, 'tools');
  return path.join(root, 'kedro-aws-uv', UV_VERSION, process.arch);
}

/** uv {@link UV_VERSION}, installed with the project's Python when it is not there yet; returns its path. */
export async function ensureUv(python: string, toolDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const binary = path.join(toolDir, 'bin', 'uv');
  if (fs.existsSync(binary)) return binary;
  const staging = `${toolDir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(toolDir), { recursive: true });
  const result = await runPython(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', staging, `uv==${UV_VERSION}`],
    { cwd: path.dirname(toolDir), label: `pip (uv ${UV_VERSION})`, env },
  );
  if (result.code !== 0 || !fs.existsSync(path.join(staging, 'bin', 'uv'))) {
    fs.rmSync(staging, { recursive: true, force: true });
    const noPip = /No module named pip\b/.test(result.stderrTail);
    throw new ActionError(
      `installing uv ${UV_VERSION} (to make the lock of the image's packages) with "${python}" failed` +
        (noPip
          ? `: it has no pip (input "${INPUT.python}"); add pip ("${python} -m ensurepip")`
          : ` (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`) +
        `; or give a lock with input "${INPUT.requirementsLock}"`,
    );
  }
  try {
    fs.renameSync(staging, toolDir);
  } catch {
    // Another job put it there first: use theirs.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/**
 * Evaluates, for the image and with `packaging` (pip's own when the environment has no other), the
 * lock's markers and the wheel's requirements against the lock: which lines apply to the image, which
 * requirements of the wheel the lock does not pin, or pins at a version the wheel does not accept.
 */
const CHECK_SCRIPT = `
import json, platform, sys
try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
job = json.load(open(sys.argv[1]))
version = job["python"]
here = "%d.%d" % sys.version_info[:2]
full = platform.python_version() if here == version else version + ".0"
env = {
    "implementation_name": "cpython", "implementation_version": full, "os_name": "posix",
    "platform_machine": job["machine"], "platform_python_implementation": "CPython",
    "platform_release": "", "platform_system": "Linux", "platform_version": "",
    "python_full_version": full, "python_version": version, "sys_platform": "linux", "extra": "",
}
applies = [not m or Marker(m).evaluate(env) for m in job["markers"]]
pins = {}
for (name, pinned), ok in zip(job["pins"], applies):
    if ok:
        pins[canonicalize_name(name)] = pinned
problems = []
for text in job["wheel"]:
    req = Requirement(text)
    if req.marker and not req.marker.evaluate(env):
        continue
    name = canonicalize_name(req.name)
    if name not in pins:
        problems.append({"requirement": text, "name": req.name, "locked": None})
    elif pins[name] is not None and req.specifier and not req.specifier.contains(pins[name], prereleases=True):
        problems.append({"requirement": text, "name": req.name, "locked": pins[name]})
json.dump({"applies": applies, "problems": problems}, open(sys.argv[2], "w"))
`;

export interface LockCheck {
  /** One per requirement of the lock: does its marker hold on the image? */
  applies: boolean[];
  /** The wheel's requirements the lock misses (`locked` null) or pins outside their specifier. */
  problems: { requirement: string; name: string; locked: string | null }[];
}

export async function checkLock(
  python: string,
  lock: ParsedLock,
  wheelRequirements: readonly string[],
  target: { pythonVersion: PythonVersion; platform: Platform },
  workDir: string,
): Promise<LockCheck> {
  const job = path.join(workDir, 'lock-check.json');
  const answer = path.join(workDir, 'lock-check.out.json');
  fs.writeFileSync(
    job,
    JSON.stringify({
      python: target.pythonVersion.text,
      machine: platformArchitecture(target.platform) === 'arm64' ? 'aarch64' : 'x86_64',
      markers: lock.requirements.map((r) => r.marker ?? null),
      pins: lock.requirements.map((r) => [r.name, r.version ?? null]),
      wheel: wheelRequirements,
    }),
  );
  try {
    const script = path.join(workDir, 'lock_check.py');
    fs.writeFileSync(script, CHECK_SCRIPT);
    const result = await runPython(python, [script, job, answer], { cwd: workDir, label: 'lock check' });
    if (result.code !== 0 || !fs.existsSync(answer)) {
      throw new ActionError(
        `checking the lock against the wheel's requirements with "${python}" failed (exit code ${result.code}); ` +
          `it needs the packaging module or pip (input "${INPUT.python}").\nLast lines:\n${result.stderrTail}`,
      );
    }
    return JSON.parse(fs.readFileSync(answer, 'utf8')) as LockCheck;
  } finally {
    fs.rmSync(job, { force: true });
    fs.rmSync(answer, { force: true });
  }
}

export interface MakeLockOptions {
  /** The project's Python (the `python` input). */
  python: string;
  projectPath: string;
  wheel: string;
  /** The image's Python (the plan's python_version). */
  pythonVersion: string;
  platform: Platform;
  /** The docker builder is chosen: an sdist may be built in the image; otherwise binary wheels only. */
  sdists: boolean;
  /** The `requirements-lock` input. */
  given?: string;
  /** Where to write the lock. */
  output: string;
  /** Where uv is (installed when missing): {@link uvToolDir}. */
  toolDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  notice: (line: string) => void;
}

export interface MadeLock {
  file: string;
  /** Where it came from: `uv <version>`, or the project's file. */
  source: string;
  packages: number;
  hashed: boolean;
}

/** The lock of the image's packages (see the module's comment), written to `o.output`. */
export async function makeLock(o: MakeLockOptions): Promise<MadeLock> {
  const python = parsePythonVersion(o.pythonVersion);
  const wheel = readWheelMetadata(o.wheel);
  const work = `${o.output}.work`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    let text: string;
    let source: string;
    let fromProject: string | undefined;
    const found: { lock?: ProjectLock; ignored: string[] } = o.given
      ? { lock: { file: o.given, kind: 'requirements' }, ignored: [] }
      : findProjectLock(o.projectPath);
    const projectLock = found.lock;
    if (projectLock) {
      if (!fs.existsSync(projectLock.file))
        throw new ActionError(`input "${INPUT.requirementsLock}": ${projectLock.file} does not exist`);
      const relative = path.relative(o.projectPath, projectLock.file);
      fromProject = relative && !relative.startsWith('..') ? relative : projectLock.file;
      if (projectLock.kind === 'uv.lock') {
        const uv = await ensureUv(o.python, o.toolDir, o.env);
        const exported = path.join(work, 'uv-export.txt');
        const result = await runCommand(uv, uvExportArgs(exported), {
          cwd: o.projectPath,
          env: { ...o.env, UV_PYTHON_DOWNLOADS: 'never' },
          label: 'uv export',
          quiet: true, // as uv pip compile below: every package, so its output only when it fails
        });
        if (result.code !== 0 || !fs.existsSync(exported)) {
          for (const line of result.output.split('\n').filter(Boolean)) o.log(`  uv export | ${line}`);
          throw new ActionError(
            `"uv export" of ${projectLock.file} failed (exit code ${result.code}): ${result.output.trim().slice(-800)}\n` +
              `Run "uv lock" in the project and commit uv.lock, or give a compiled lock with input "${INPUT.requirementsLock}"`,
          );
        }
        text = fs.readFileSync(exported, 'utf8');
        source = `${fromProject} (uv export)`;
      } else {
        text = fs.readFileSync(projectLock.file, 'utf8');
        source = fromProject;
      }
    } else {
      for (const file of found.ignored)
        o.notice(
          `${file} is not read (the lock formats read are requirements.lock, a requirements.txt with hashes and uv.lock): ` +
            `export it to requirements.lock with hashes, or the lock is made from the wheel's requirements as now`,
        );
      const uv = await ensureUv(o.python, o.toolDir, o.env);
      fs.writeFileSync(path.join(work, 'requirements.in'), wheel.requirements.map((r) => `${r}\n`).join(''));
      const args = uvCompileArgs({
        input: 'requirements.in',
        output: 'requirements.txt',
        python: o.python,
        pythonVersion: python,
        platform: o.platform,
        onlyBinary: !o.sdists,
        env: o.env,
      });
      // uv prints every package it resolved, with all its hashes (hundreds of lines for a real project):
      // the log gets one line of it, and uv's whole output only when it fails.
      const result = wheel.requirements.length
        ? await runCommand(uv, args, {
            cwd: work,
            env: { ...o.env, UV_PYTHON_DOWNLOADS: 'never' },
            label: 'uv pip compile',
            quiet: true,
          })
        : { code: 0, output: '' };
      if (result.code !== 0) {
        o.log(`uv ${args.join(' ')} (exit code ${result.code}):`);
        for (const line of result.output.split('\n').filter(Boolean)) o.log(`  uv pip compile | ${line}`);
        throw new ActionError(
          `making the lock of the image's packages failed: uv could not resolve the requirements of ${path.basename(o.wheel)} ` +
            `for CPython ${python.text} on ${o.platform}${o.sdists ? '' : ' (binary wheels only, as the oci builder installs)'}: ` +
            `${result.output.trim().slice(-1500)}\nFix the project's dependencies (pyproject.toml), or give a lock with input "${INPUT.requirementsLock}"`,
        );
      }
      text = wheel.requirements.length ? fs.readFileSync(path.join(work, 'requirements.txt'), 'utf8') : '';
      source = `uv ${UV_VERSION}`;
      o.log(
        `uv pip compile: ${parseLock(text).requirements.length} package(s) resolved from the ${wheel.requirements.length} ` +
          `requirement(s) of ${path.basename(o.wheel)}, locked in ${o.output}`,
      );
    }

    const parsed = parseLock(text);
    const shown = fromProject ?? 'the lock uv wrote';
    // How the user makes this lock again (named in every refusal of a project's lock).
    const command = lockCommand({
      file: fromProject && projectLock?.kind !== 'uv.lock' ? fromProject : 'requirements.lock',
      pythonVersion: python,
      platform: o.platform,
      onlyBinary: !o.sdists,
      uvLock: projectLock?.kind === 'uv.lock',
    });
    const { hashed } = checkLockShape(parsed, shown);
    // A lock package wrote, committed as the project's: made for this image's Python and platform?
    if (fromProject && parsed.header && (parsed.header.python !== python.text || parsed.header.platform !== o.platform))
      throw new ActionError(
        `${shown} was made for CPython ${parsed.header.python} on ${parsed.header.platform}, and the image is CPython ` +
          `${python.text} on ${o.platform}: make it again at the project's root with "${command}" and commit it`,
      );
    const check = await checkLock(
      o.python,
      parsed,
      wheel.requirements,
      { pythonVersion: python, platform: o.platform },
      work,
    );
    if (check.problems.length) {
      const what = check.problems
        .map((p) =>
          p.locked === null
            ? `${p.requirement} (not in the lock)`
            : `${p.requirement} (the lock has ${p.name}==${p.locked})`,
        )
        .join('; ');
      throw new ActionError(
        staleLockMessage({ file: shown, wheel: path.basename(o.wheel), python, platform: o.platform, what, command }),
      );
    }
    if (!fromProject)
      o.notice(
        "the project has no lock (requirements.lock, a requirements.txt with hashes, or uv.lock): package made one with uv from the wheel's " +
          'requirements, so another run of this commit may resolve newer versions. To fix them, commit it as requirements.lock at the ' +
          `project's root (output "${INPUT.requirementsLock}"), or run "${command}" there`,
      );
    const kept = parsed.requirements.filter((_, i) => check.applies[i]).map((r) => ({ ...r, marker: undefined }));
    if (fromProject && !hashed)
      o.notice(`${fromProject} has no hashes: build installs its pinned versions without checking the files' hashes`);
    fs.mkdirSync(path.dirname(o.output), { recursive: true });
    writePrivateFile(o.output, lockText({ python: python.text, platform: o.platform, source }, parsed.options, kept));
    return { file: o.output, source, packages: kept.length, hashed: hashed || kept.length === 0 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export interface ReadLock {
  file: string;
  parsed: ParsedLock;
  hashed: boolean;
}

/**
 * The lock `build` installs: pinned (hashes on every line or none), and made for the image's Python and
 * platform when it says what it was made for (the locks `package` writes do).
 */
export function readLock(
  file: string,
  target: {
    pythonVersion: string;
    platform: Platform;
    /** pip runs on the runner (the oci builder): it would evaluate markers for the runner, not the image. */
    pipOnRunner?: boolean;
  },
): ReadLock {
  if (!fs.existsSync(file))
    throw new ActionError(
      `the lock ${file} does not exist; run mode "package" again (input "${INPUT.requirementsLock}")`,
    );
  const parsed = parseLock(fs.readFileSync(file, 'utf8'));
  const { hashed } = checkLockShape(parsed, file);
  const python = parsePythonVersion(target.pythonVersion).text;
  if (parsed.header && (parsed.header.python !== python || parsed.header.platform !== target.platform)) {
    throw new ActionError(
      `the lock ${file} was made for CPython ${parsed.header.python} on ${parsed.header.platform}, and the image is ` +
        `CPython ${python} on ${target.platform}: run mode "package" with the same "${INPUT.platform}" and "${INPUT.python}" as "build"`,
    );
  }
  // pip evaluates a line's marker for the interpreter it runs in (pip/_internal/req/req_install.py
  // match_markers), whatever --platform says: the locks package writes have them evaluated for the image.
  const marked = parsed.requirements.filter((r) => r.marker);
  if (target.pipOnRunner && marked.length)
    throw new ActionError(
      `the lock ${file} has environment markers (line ${marked[0]!.line}: ${marked[0]!.name}; ${marked[0]!.marker}), which pip ` +
        `on the runner would evaluate for the runner, not the image: give it to mode "package" (input "${INPUT.requirementsLock}"), ` +
        'which evaluates them for the image',
    );
  return { file, parsed, hashed };
}
