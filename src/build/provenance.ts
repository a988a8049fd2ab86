/**
 * What an image was built from, as labels of its config: the digests of the wheel and of the conf the
 * image holds, the env, and a digest of the plan's groups. `build` sets them; `deploy` reads them back
 * from the registry and refuses an image whose wheel or conf is not the package of its own step, so a
 * fixed `image-uri` cannot silently run old code (src/context/image.ts).
 *
 * The digests are of the content, not of the files' bytes: `kedro package` writes zip and tar.gz members
 * with the time of the build, so two packages of one commit differ byte for byte but not here.
 * - wheel: every member's name and sha256, except `*.dist-info/RECORD` (hashes of the others) and
 *   `*.dist-info/WHEEL` (names the build backend's version, not the project);
 * - conf: every file of `conf/base` and `conf/<env>` that goes in the image (selectConf), name and sha256;
 * - plan: the package, pipeline, env and each group's nodes (not the runtime params nor the resolved
 *   paths, which one image serves whatever they are). It is recorded, not compared: one wheel and conf
 *   serve every pipeline of the project.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActionError } from '../lib/errors';
import type { Plan } from '../plan/schema';
import { selectConf } from './context';
import { readZipEntries } from './wheel';

/** The labels, spelled once. */
export const LABEL = {
  wheel: 'kedro-aws-action.wheel-digest',
  conf: 'kedro-aws-action.conf-digest',
  env: 'kedro-aws-action.env',
  plan: 'kedro-aws-action.plan-digest',
} as const;

export interface Provenance {
  wheel: string;
  conf: string;
  env: string;
  plan: string;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 over sorted `name\0sha256(content)\n` lines. */
export function contentDigest(files: Iterable<[string, Buffer]>): string {
  const lines = [...files].map(([name, bytes]) => `${name}\0${sha256(bytes)}\n`).sort();
  return `sha256:${sha256(lines.join(''))}`;
}

/** Members of the wheel that say how it was built, not what it holds. */
function buildRecord(name: string): boolean {
  return /^[^/]+\.dist-info\/(RECORD|WHEEL)$/.test(name);
}

export function wheelDigest(wheel: string): string {
  let entries: Map<string, () => Buffer>;
  try {
    entries = readZipEntries(fs.readFileSync(wheel));
  } catch (error) {
    throw new ActionError(`the wheel ${wheel} cannot be read: ${(error as Error).message}`);
  }
  const files = [...entries]
    .filter(([name]) => !name.endsWith('/') && !buildRecord(name))
    .map(([name, read]) => [name, read()] as [string, Buffer]);
  return contentDigest(files);
}

/** The digest of the conf the image of `env` holds (extracted into `scratch`, removed after). */
export async function confDigest(confArchive: string, env: string, scratch: string): Promise<string> {
  try {
    const conf = await selectConf(confArchive, env, scratch);
    return contentDigest(conf.included.map((rel) => [rel, fs.readFileSync(path.join(conf.dir, rel))]));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Pure: the digest of what the plan asks the image to run. */
export function planDigest(plan: Pick<Plan, 'project' | 'pipeline' | 'env' | 'groups'>): string {
  const shape = {
    package: plan.project.package_name,
    pipeline: plan.pipeline,
    env: plan.env,
    groups: plan.groups.map((g) => ({ name: g.name, nodes: [...g.nodes].sort() })),
  };
  return `sha256:${sha256(JSON.stringify(shape))}`;
}

export async function packageProvenance(o: {
  wheel: string;
  confArchive: string;
  plan: Plan;
  scratch: string;
}): Promise<Provenance> {
  return {
    wheel: wheelDigest(o.wheel),
    conf: await confDigest(o.confArchive, o.plan.env, o.scratch),
    env: o.plan.env,
    plan: planDigest(o.plan),
  };
}

export function provenanceLabels(p: Provenance): Record<string, string> {
  return { [LABEL.wheel]: p.wheel, [LABEL.conf]: p.conf, [LABEL.env]: p.env, [LABEL.plan]: p.plan };
}

/**
 * Pure: how the image's labels differ from the package of this step (empty: they match). Only what
 * this step knows is compared: the wheel when it has one, the conf when it has the conf archive.
 */
export function provenanceDifferences(
  labels: Record<string, string> | null | undefined,
  expected: Partial<Pick<Provenance, 'wheel' | 'conf' | 'env'>>,
): string[] {
  const found = labels ?? {};
  if (!found[LABEL.wheel] && !found[LABEL.conf]) {
    return ['it has no kedro-aws-action labels (it was not built by mode "build" of this action)'];
  }
  const differences: string[] = [];
  if (expected.wheel && found[LABEL.wheel] !== expected.wheel) {
    differences.push(`its wheel is ${found[LABEL.wheel] ?? 'not labelled'}, this step's is ${expected.wheel}`);
  }
  if (expected.conf && found[LABEL.conf] !== expected.conf) {
    const envs =
      expected.env && found[LABEL.env] && found[LABEL.env] !== expected.env
        ? ` (built for env "${found[LABEL.env]}", deployed with env "${expected.env}")`
        : '';
    differences.push(`its conf is ${found[LABEL.conf] ?? 'not labelled'}, this step's is ${expected.conf}${envs}`);
  }
  return differences;
}
