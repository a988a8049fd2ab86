/**
 * Which outputs a run must have written, and where (records.ts judges whether THIS run wrote them).
 * Pure: the plan in, the expected outputs out.
 */
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';
import type { Dataset, Plan } from '../plan/schema';

export interface ExpectedOutput {
  dataset: string;
  /** s3://bucket/key of the object (versioned: the run's own version), or of the folder for folder datasets. */
  url: string;
  bucket: string;
  key: string;
  versioned: boolean;
  /** A folder of objects (PartitionedDataset and the like): at least one object under it must be fresh. */
  folder: boolean;
}

/** Simple globs for the `expect` input: `*` any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function isFolderDataset(d: Dataset): boolean {
  return /Partitioned|Incremental/.test(d.type ?? '') || (d.filepath ?? '').endsWith('/');
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new ActionError(`${url} is not an s3:// path`);
  return { bucket: m[1]!, key: m[2]! };
}

/** Where a dataset's S3 path comes from, for the message of a failed S3 call. */
export function catalogHint(env: string, dataset: string): string {
  return (
    `The path is dataset "${dataset}"'s filepath as conf/${env}/catalog.yml resolves it (conf env "${env}", ` +
    `input "${INPUT.env}"): check the bucket name there, and that the bucket is in this account.`
  );
}

/**
 * The outputs to check: by default every persisted dataset some group produces; with `expect`, the
 * datasets whose names match one of its names or globs (each entry must match something).
 */
export function expectedOutputs(plan: Plan, runId: string, expect: string[]): ExpectedOutput[] {
  const produced = plan.datasets.filter((d) => d.producer !== null && d.persisted);
  let chosen = produced;
  if (expect.length > 0) {
    const problems: string[] = [];
    const picked = new Set<string>();
    for (const pattern of expect) {
      const re = globToRegExp(pattern);
      const matches = produced.filter((d) => re.test(d.name));
      if (matches.length === 0)
        problems.push(`"${pattern}" matches no persisted output of pipeline "${plan.pipeline}"`);
      for (const m of matches) picked.add(m.name);
    }
    if (problems.length) {
      throw new ActionError(
        `input "expect": ${problems.join('; ')}. Outputs: ${produced.map((d) => d.name).join(', ') || 'none'}`,
      );
    }
    chosen = produced.filter((d) => picked.has(d.name));
  }
  const local = chosen.filter((d) => d.protocol !== 's3' && d.protocol !== 's3a');
  if (local.length) {
    throw new ActionError(
      `verify checks outputs on S3, but in env "${plan.env}" ` +
        local.map((d) => `"${d.name}" is saved at ${d.filepath ?? '(no path)'}`).join(', ') +
        `: give them s3:// paths in conf/${plan.env}/catalog.yml, or leave them out with the "expect" input`,
    );
  }
  return chosen.map((d) => {
    const filepath = d.filepath!.replace(/\/+$/, '');
    const basename = filepath.slice(filepath.lastIndexOf('/') + 1);
    // Kedro saves a versioned dataset at <filepath>/<version>/<basename>; the run id is the version.
    const url = d.versioned ? `${filepath}/${runId}/${basename}` : filepath;
    return { dataset: d.name, url, ...parseS3Url(url), versioned: d.versioned, folder: isFolderDataset(d) };
  });
}

export interface UncheckedOutput {
  dataset: string;
  /** Why verify does not check it: kept in memory, saved on a local path, or left out by `expect`. */
  reason: string;
}

/**
 * The datasets some group produces that verify does not check, and why: pipeline outputs kept in
 * memory (nothing is saved), persisted ones on a local path, and those the `expect` input leaves out.
 * In-memory datasets another group reads are not listed (the planner refuses them; within a group they
 * are intermediate).
 */
export function uncheckedOutputs(plan: Plan, checked: ExpectedOutput[]): UncheckedOutput[] {
  const names = new Set(checked.map((c) => c.dataset));
  const unchecked: UncheckedOutput[] = [];
  for (const d of plan.datasets) {
    if (d.producer === null || names.has(d.name)) continue;
    if (!d.persisted) {
      if (d.consumers.length === 0) {
        unchecked.push({
          dataset: d.name,
          reason: `in memory (${d.type === null ? 'no catalog entry' : d.type}): the run saves nothing to check`,
        });
      }
    } else if (d.protocol !== 's3' && d.protocol !== 's3a') {
      unchecked.push({
        dataset: d.name,
        reason: `local (${d.filepath ?? 'no path'}): saved on the disk of the process that ran its group`,
      });
    } else {
      unchecked.push({ dataset: d.name, reason: `not matched by input "${INPUT.expect}"` });
    }
  }
  return unchecked;
}
