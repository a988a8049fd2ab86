/**
 * The container image, emulated on the runner for `executor: local`: the project's wheel installed
 * into a folder of its own (`<work>/site`, without its dependencies, which the user's interpreter
 * already has) and the conf archive of `kedro package` extracted to `<work>/task/conf`, the layout
 * of the image's task root. `conf/local` and Kedro's credentials files are never extracted: they are
 * not part of what is deployed (an image has neither: src/build/layout.ts), so a run that needs them
 * fails here as it would on AWS, and no copy of a credentials file is left on the runner. Everything
 * under `<work>` is the runner's user's only (folders 0700, files 0600).
 *
 * A second call with the same wheel (same sha256) keeps the installed site folder; the conf is
 * extracted afresh every time (it is small, and an edited conf must not be missed).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCredentialsPath } from '../../build/layout';
import { runPython } from '../../kedro/python';
import { ActionError } from '../../lib/errors';
import { privateDir, restrictTree, writePrivateFile } from '../../lib/files';

export interface ImageOptions {
  /** The user's interpreter (the project's dependencies are installed in it). */
  python: string;
  /** The project wheel from `kedro package`. */
  wheel: string;
  /** `conf-<package>.tar.gz` from `kedro package` (holds `conf/`). */
  confArchive: string;
  /** The project's Python package (`[tool.kedro] package_name`). */
  packageName: string;
  /** Folder the emulated image lives in (created when missing, reused across calls). */
  workDir: string;
}

/** What the local executor needs of the emulated image. */
export interface LocalImage {
  /** Where the wheel is installed (goes on PYTHONPATH). */
  site: string;
  /** The image's task root: holds `conf/` (the Lambda's LAMBDA_TASK_ROOT). */
  taskRoot: string;
  packageName: string;
  /** sha256 of the installed wheel (hex). */
  wheelSha256: string;
  /** True when the site folder of an earlier call was kept (same wheel). */
  reused: boolean;
}

/** Name of the file that records which wheel the site folder holds. */
const MARKER = 'image.json';

interface Marker {
  wheel_sha256: string;
  wheel: string;
  package_name: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readMarker(file: string): Marker | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Marker>;
    if (typeof parsed.wheel_sha256 === 'string' && typeof parsed.package_name === 'string') {
      return {
        wheel_sha256: parsed.wheel_sha256,
        wheel: String(parsed.wheel ?? ''),
        package_name: parsed.package_name,
      };
    }
  } catch {
    // missing or unreadable: install afresh
  }
  return undefined;
}

/** Installs the wheel (unless this very wheel is installed already) and extracts the conf. */
export async function prepareImage(options: ImageOptions): Promise<LocalImage> {
  for (const [what, file] of [
    ['wheel', options.wheel],
    ['conf archive', options.confArchive],
  ] as const) {
    if (!fs.existsSync(file)) throw new ActionError(`the ${what} ${file} does not exist; run mode "package" again`);
  }
  const workDir = path.resolve(options.workDir);
  const site = path.join(workDir, 'site');
  const taskRoot = path.join(workDir, 'task');
  const markerFile = path.join(workDir, MARKER);
  privateDir(workDir);

  const wheelSha256 = await sha256File(options.wheel);
  const marker = readMarker(markerFile);
  const reused =
    marker !== undefined &&
    marker.wheel_sha256 === wheelSha256 &&
    marker.package_name === options.packageName &&
    fs.existsSync(site);
  if (!reused) {
    fs.rmSync(markerFile, { force: true });
    await installWheel(options.python, options.wheel, site);
    const record: Marker = {
      wheel_sha256: wheelSha256,
      wheel: path.resolve(options.wheel),
      package_name: options.packageName,
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
  // What pip and tar wrote has the permissions of the runner's umask.
  restrictTree(workDir);
  return { site, taskRoot, packageName: options.packageName, wheelSha256, reused };
}

function listOrNone(names: string[]): string {
  return names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ');
}

/**
 * `pip install --no-deps --target`, into a fresh folder swapped in at the end (an interrupted install
 * never leaves a half site behind). An environment without pip (uv's) gets the wheel unzipped, which
 * is what installing a pure-Python wheel into a target folder amounts to.
 */
async function installWheel(python: string, wheel: string, site: string): Promise<void> {
  const staging = `${site}.${process.pid}.new`;
  fs.rmSync(staging, { recursive: true, force: true });
  const pip = await runPython(
    python,
    [
      '-m',
      'pip',
      'install',
      '--no-deps',
      '--no-input',
      '--disable-pip-version-check',
      '--no-compile',
      '--target',
      staging,
      wheel,
    ],
    { cwd: path.dirname(staging), label: 'local image: pip install' },
  );
  if (pip.code !== 0) {
    if (!/No module named pip/.test(pip.stderrTail)) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new ActionError(
        `installing ${path.basename(wheel)} for the local executor failed (pip exit code ${pip.code}).\n` +
          `Last lines:\n${pip.stderrTail}`,
      );
    }
    const unzip = await runPython(python, ['-m', 'zipfile', '-e', wheel, staging], {
      cwd: path.dirname(staging),
      label: 'local image: unzip wheel',
    });
    if (unzip.code !== 0) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new ActionError(
        `"${python}" has no pip and unzipping ${path.basename(wheel)} failed (exit code ${unzip.code}).\n` +
          `Last lines:\n${unzip.stderrTail}`,
      );
    }
  }
  fs.rmSync(site, { recursive: true, force: true });
  fs.renameSync(staging, site);
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
