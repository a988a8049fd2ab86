/**
 * pip on the runner, installing for the image (its platform and Python), not for the runner:
 * `pip install --target <dir> --platform manylinux2014_x86_64 --implementation cp --python-version <v>
 * --only-binary=:all:`. A dependency with no wheel for that platform fails the build with its name.
 *
 * The installed folders are tidied so the same wheels give the same files: no `direct_url.json`
 * (it records the path the wheel was installed from), console scripts start with
 * `#!/usr/bin/env python3` (not the runner's interpreter), no `__pycache__`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INPUT } from '../inputs/table';
import { runPython } from '../kedro/python';
import { ActionError } from '../lib/errors';
import { type Platform, type PythonVersion, pipPlatforms, pipTargetArgs } from './layout';
import { normalizeName, requirementName } from './wheel';

export interface MissingWheel {
  /** The requirement as pip wrote it (`pyarrow>=14`). */
  requirement: string;
  name: string;
  /** The package that needs it, when pip says (`(from kedro-datasets)`). */
  neededBy?: string;
}

/**
 * The dependency pip found no wheel for, from its output:
 *   ERROR: Could not find a version that satisfies the requirement foo>=1 (from bar) (from versions: none)
 *   ERROR: No matching distribution found for foo>=1
 */
export function missingWheelFromPipOutput(output: string): MissingWheel | undefined {
  const satisfies =
    /Could not find a version that satisfies the requirement (\S+)(?: \(from (?!versions:)([^)]*)\))?/.exec(output);
  const noMatch = /No matching distribution found for (\S+)/.exec(output);
  const requirement = satisfies?.[1] ?? noMatch?.[1];
  if (!requirement) return undefined;
  // `(from -r <file> (line 3))` names the lock, not a package that needs it.
  const from = satisfies?.[2]?.startsWith('-r ') ? undefined : satisfies?.[2];
  const neededBy = from ? requirementName(from.split(',')[0]!) : undefined;
  return { requirement, name: requirementName(requirement), ...(neededBy ? { neededBy } : {}) };
}

export function missingWheelMessage(
  missing: MissingWheel,
  platform: Platform,
  python: PythonVersion,
  direct: readonly string[],
): string {
  const directNames = new Set(direct.map((r) => normalizeName(requirementName(r))));
  const via =
    missing.neededBy && !directNames.has(normalizeName(missing.name))
      ? ` (needed by ${missing.neededBy})`
      : directNames.has(normalizeName(missing.name))
        ? " (one of the project's own requirements)"
        : '';
  return (
    `dependency "${missing.name}"${via} has no wheel for the image: CPython ${python.text} on ` +
    `${pipPlatforms(platform, python).join(' / ')} (${platform}), and the oci builder installs binary wheels only ` +
    `(nothing is compiled on the runner). Pin a version of "${missing.name}" that publishes such a wheel ` +
    `(pip asked for "${missing.requirement}") and make the lock again, or use builder: docker, which builds in the image itself.`
  );
}

export interface PipTargetOptions {
  /** The runner's Python with pip (the `python` input). */
  python: string;
  target: string;
  platform: Platform;
  pythonVersion: PythonVersion;
  label: string;
  env?: NodeJS.ProcessEnv;
}

/** The interpreter has no pip (e.g. an environment made by uv): say so, and what to do. */
function noPip(python: string, output: string): void {
  if (/No module named pip\b/.test(output)) {
    throw new ActionError(
      `input "${INPUT.python}": "${python}" has no pip, which the oci builder runs to install the image's packages ` +
        `for the image's platform; add pip to that environment ("${python} -m ensurepip", or "uv pip install pip")`,
    );
  }
}

/** The lock of the packages to install: its file, and whether every line carries hashes. */
export interface LockToInstall {
  file: string;
  hashed: boolean;
}

/** pip's words when a file it downloaded does not have a hash of the lock. */
const HASH_MISMATCH_RE = /THESE PACKAGES DO NOT MATCH THE HASHES|hashes are required in --require-hashes mode/i;

/**
 * Installs the lock into `target` for the image: exactly its pinned versions (`--no-deps`: pip resolves
 * nothing), each file checked against the lock's hashes (`--require-hashes`) when it has them.
 * `direct`: the wheel's own requirements, to say whether a package that has no wheel is one of them.
 */
export async function installDependencies(
  lock: LockToInstall,
  o: PipTargetOptions & { direct: readonly string[] },
): Promise<void> {
  fs.rmSync(o.target, { recursive: true, force: true });
  fs.mkdirSync(o.target, { recursive: true });
  const result = await runPython(
    o.python,
    [
      ...pipTargetArgs(o.target, o.platform, o.pythonVersion),
      '--no-deps',
      ...(lock.hashed ? ['--require-hashes'] : []),
      '-r',
      path.resolve(lock.file),
    ],
    { cwd: path.dirname(o.target), label: o.label, env: o.env },
  );
  if (result.code !== 0) {
    noPip(o.python, result.stderrTail);
    const missing = missingWheelFromPipOutput(result.stderrTail);
    if (missing) throw new ActionError(missingWheelMessage(missing, o.platform, o.pythonVersion, o.direct));
    if (HASH_MISMATCH_RE.test(result.stderrTail)) {
      throw new ActionError(
        `a package downloaded for the image does not have the hash the lock ${lock.file} gives it (the index serves ` +
          'another file than when the lock was made, or the lock was edited): make the lock again (mode "package").\n' +
          `Last lines:\n${result.stderrTail}`,
      );
    }
    throw new ActionError(
      `installing the locked dependencies (${lock.file}) for the image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`,
    );
  }
  tidyPipTarget(o.target);
}

/** Installs the project wheel alone (its dependencies are in their own layer). */
export async function installWheel(wheel: string, o: PipTargetOptions): Promise<void> {
  fs.rmSync(o.target, { recursive: true, force: true });
  fs.mkdirSync(o.target, { recursive: true });
  const result = await runPython(
    o.python,
    [...pipTargetArgs(o.target, o.platform, o.pythonVersion), '--no-deps', path.resolve(wheel)],
    {
      cwd: path.dirname(o.target),
      label: o.label,
      env: o.env,
    },
  );
  if (result.code !== 0) {
    noPip(o.python, result.stderrTail);
    throw new ActionError(
      `installing ${path.basename(wheel)} for the image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`,
    );
  }
  tidyPipTarget(o.target);
}

const SHEBANG = '#!/usr/bin/env python3';

/** A console script's first line(s) pointing at the runner's Python → `#!/usr/bin/env python3`. */
export function rewriteShebang(text: string): string | undefined {
  // pip's launcher for long interpreter paths: #!/bin/sh + '''exec' <python> "$0" "$@" + ' '''
  const launcher = /^#!\/bin\/sh\n'''exec' .*python[^\n]*\n' '''\n/.exec(text);
  if (launcher) return `${SHEBANG}\n${text.slice(launcher[0].length)}`;
  const first = /^#!([^\n]*)\n/.exec(text);
  if (first && /python/.test(first[1]!) && first[0].trim() !== SHEBANG)
    return `${SHEBANG}\n${text.slice(first[0].length)}`;
  return undefined;
}

/** A RECORD hash: `sha256=<urlsafe base64, no padding>`. */
function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/**
 * Makes a pip --target folder the same for the same wheels, wherever and whenever it was installed:
 * console scripts get `#!/usr/bin/env python3` (and their RECORD lines the new hash and size, since
 * pip recorded the script it wrote with the runner's interpreter in it), no direct_url.json (the path
 * the wheel came from), no __pycache__.
 */
export function tidyPipTarget(dir: string): void {
  const rewritten = new Map<string, Buffer>();
  const bin = path.join(dir, 'bin');
  if (fs.existsSync(bin) && fs.statSync(bin).isDirectory()) {
    for (const name of fs.readdirSync(bin)) {
      const file = path.join(bin, name);
      if (!fs.lstatSync(file).isFile()) continue;
      const head = fs.readFileSync(file);
      if (head.subarray(0, 2).toString() !== '#!') continue;
      const text = rewriteShebang(head.toString('utf8'));
      if (text === undefined) continue;
      fs.writeFileSync(file, text);
      rewritten.set(name, Buffer.from(text));
    }
  }
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name.endsWith('.dist-info') && fs.statSync(full).isDirectory()) {
      fs.rmSync(path.join(full, 'direct_url.json'), { force: true });
      const record = path.join(full, 'RECORD');
      if (!fs.existsSync(record)) continue;
      const before = fs.readFileSync(record, 'utf8');
      const after = before
        .split('\n')
        .filter((line) => !line.startsWith(`${name}/direct_url.json,`))
        .map((line) => {
          const m = /^((?:.*\/)?bin\/([^/,]+)),[^,]*,[^,]*$/.exec(line);
          const script = m ? rewritten.get(m[2]!) : undefined;
          return script ? `${m![1]},${recordHash(script)},${script.length}` : line;
        })
        .join('\n');
      if (after !== before) fs.writeFileSync(record, after);
    }
  }
  const removeCaches = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const full = path.join(d, name);
      const stat = fs.lstatSync(full);
      if (!stat.isDirectory()) continue;
      if (name === '__pycache__') fs.rmSync(full, { recursive: true, force: true });
      else removeCaches(full);
    }
  };
  removeCaches(dir);
}
