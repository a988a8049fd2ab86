/**
 * The build context from what `package` made: the conf of the target env out of the conf archive, the
 * action's runtime out of its `python/` folder, the lock of the image's packages, and (for the docker
 * builder) all of it in one folder with the Dockerfile.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';
import { pythonDir } from '../lib/paths';
import { lambdaDockerfile } from './dockerfile';
import type { ImageKind } from './layout';
import { confPathIncluded, RUNTIME_PACKAGE } from './layout';
import type { ReadLock } from './lock';
import { readWheelMetadata } from './wheel';

export interface ConfSelection {
  /** Folder holding `base/` and `<env>/` (the image's conf/). */
  dir: string;
  /** Files kept, relative to conf/ (sorted). */
  included: string[];
  /** Files of the archive left out (conf/local, other envs, credentials), relative to conf/. */
  excluded: string[];
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const childRel = rel ? `${rel}/${name}` : name;
    const stat = fs.lstatSync(path.join(dir, childRel));
    if (stat.isDirectory()) out.push(...listFiles(dir, childRel));
    else out.push(childRel);
  }
  return out;
}

async function untar(archive: string, dest: string): Promise<void> {
  const failure = await new Promise<string | null>((resolve) => {
    execFile('tar', ['-xzf', path.resolve(archive), '-C', dest], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve(error ? `${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim()}` : ''}` : null);
    });
  });
  if (failure !== null) throw new ActionError(`extracting the conf archive ${archive} failed: ${failure}`);
}

/** The paths of a conf archive's members (`tar -tzf`). */
export async function listArchive(archive: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'tar',
      ['-tzf', path.resolve(archive)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new ActionError(`listing the conf archive ${archive} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout.split('\n').filter(Boolean));
      },
    );
  });
}

/**
 * `conf/base` and `conf/<env>` of the archive into `dest` (emptied first). Refuses an archive without
 * `conf/<env>`, since every group would then run with an env that does not exist.
 */
export async function selectConf(confArchive: string, env: string, dest: string): Promise<ConfSelection> {
  if (!fs.existsSync(confArchive))
    throw new ActionError(`the conf archive ${confArchive} does not exist; run mode "package" again`);
  if (env === 'local') {
    throw new ActionError(
      `input "${INPUT.env}" is "local": conf/local is never put in an image (it holds machine-local settings and credentials); use an env such as aws`,
    );
  }
  const staging = `${dest}.${process.pid}.extract`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    await untar(confArchive, staging);
    const conf = fs.existsSync(path.join(staging, 'conf')) ? path.join(staging, 'conf') : undefined;
    if (!conf)
      throw new ActionError(
        `the conf archive ${confArchive} has no conf/ folder (it should come from "kedro package")`,
      );
    if (!fs.existsSync(path.join(conf, env))) {
      const envs = fs.readdirSync(conf).filter((n) => fs.statSync(path.join(conf, n)).isDirectory() && n !== 'local');
      throw new ActionError(
        `the conf archive ${confArchive} has no conf/${env} (input "${INPUT.env}"); it has ${envs.map((e) => `conf/${e}`).join(', ') || 'no env folder'}`,
      );
    }
    const included: string[] = [];
    const excluded: string[] = [];
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    for (const rel of listFiles(conf)) {
      if (!confPathIncluded(rel, env)) {
        excluded.push(rel);
        continue;
      }
      const target = path.join(dest, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(conf, rel), target);
      included.push(rel);
    }
    return { dir: dest, included, excluded };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Files of the runtime package that go in the image: not the plan exporter, no caches, no tests. */
export function runtimeFileIncluded(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.some((p) => p === '__pycache__' || p === 'tests' || p.startsWith('.'))) return false;
  if (rel.endsWith('.pyc')) return false;
  return rel !== 'export_plan.py';
}

/** The action's runtime package (python/kedro_aws_action) copied into `dest`. */
export function copyRuntime(dest: string, source = path.join(pythonDir(), RUNTIME_PACKAGE)): string[] {
  if (!fs.existsSync(path.join(source, 'lambda_handler.py'))) {
    throw new ActionError(`the action's runtime is missing: no ${path.join(source, 'lambda_handler.py')}`);
  }
  fs.rmSync(dest, { recursive: true, force: true });
  const files = listFiles(source).filter(runtimeFileIncluded);
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(path.join(source, rel), path.join(dest, rel));
  }
  return files;
}

/** requirements.txt text: one requirement per line, as the wheel lists them. */
export function requirementsText(requirements: readonly string[]): string {
  return requirements.length ? `${requirements.join('\n')}\n` : '';
}

export interface DockerContextOptions {
  wheel: string;
  confArchive: string;
  env: string;
  /** Folder to (re)create. */
  dir: string;
  baseImage: string;
  projectName: string;
  pythonVersion: string;
  /** The project's own Dockerfile (`dockerfile` input); otherwise one is generated. */
  dockerfile?: string;
  /** `lambda` (default) or `batch`. */
  kind?: ImageKind;
  /** The lock of the image's packages (requirements.lock of the context). */
  lock: ReadLock;
}

export interface DockerContext {
  dir: string;
  dockerfile: string;
  generated: boolean;
  requirements: string[];
  conf: ConfSelection;
}

/** The folder `docker buildx build` is given. */
export async function prepareDockerContext(o: DockerContextOptions): Promise<DockerContext> {
  const metadata = readWheelMetadata(o.wheel);
  fs.rmSync(o.dir, { recursive: true, force: true });
  fs.mkdirSync(o.dir, { recursive: true });
  const wheelName = path.basename(o.wheel);
  fs.copyFileSync(o.wheel, path.join(o.dir, wheelName));
  fs.writeFileSync(path.join(o.dir, 'requirements.txt'), requirementsText(metadata.requirements));
  fs.copyFileSync(o.lock.file, path.join(o.dir, 'requirements.lock'));
  const conf = await selectConf(o.confArchive, o.env, path.join(o.dir, 'conf'));
  copyRuntime(path.join(o.dir, RUNTIME_PACKAGE));
  let dockerfile = path.join(o.dir, 'Dockerfile');
  if (o.dockerfile) {
    if (!fs.existsSync(o.dockerfile))
      throw new ActionError(`input "${INPUT.dockerfile}": ${o.dockerfile} does not exist`);
    dockerfile = path.resolve(o.dockerfile);
  } else {
    fs.writeFileSync(
      dockerfile,
      lambdaDockerfile({
        baseImage: o.baseImage,
        ...(o.kind ? { kind: o.kind } : {}),
        wheel: wheelName,
        lock: { packages: o.lock.parsed.requirements.length, hashed: o.lock.hashed },
        projectName: o.projectName,
        pythonVersion: o.pythonVersion,
      }),
    );
  }
  return { dir: o.dir, dockerfile, generated: !o.dockerfile, requirements: metadata.requirements, conf };
}
