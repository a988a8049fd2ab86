/**
 * Which outputs a run must have written, and what counts as written by THIS run. Pure: the plan and
 * what S3 answered in, verdicts out.
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

export type Verdict = 'ok' | 'missing' | 'empty' | 'stale';

export interface ObjectSeen {
  key: string;
  size: number;
  lastModified: Date;
}

export interface OutputCheck {
  dataset: string;
  url: string;
  verdict: Verdict;
  size?: number;
  lastModified?: string;
  detail: string;
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

/**
 * The verdict on one output from what S3 holds under its key (the object itself, or the objects under
 * `<key>/` for a folder). `notBefore` is the execution's start (AWS's clock) minus the skew allowance.
 */
export function judge(output: ExpectedOutput, objects: ObjectSeen[], notBefore: Date): OutputCheck {
  const base = { dataset: output.dataset, url: output.url };
  if (objects.length === 0) {
    return { ...base, verdict: 'missing', detail: output.versioned ? `no object for this run's version` : 'no object' };
  }
  const fresh = objects.filter((o) => o.lastModified >= notBefore);
  const newest = objects.reduce((a, b) => (a.lastModified >= b.lastModified ? a : b));
  if (fresh.length === 0) {
    return {
      ...base,
      verdict: 'stale',
      size: newest.size,
      lastModified: newest.lastModified.toISOString(),
      detail: `last written ${newest.lastModified.toISOString()}, before this run started (${notBefore.toISOString()})`,
    };
  }
  const size = fresh.reduce((sum, o) => sum + o.size, 0);
  const last = fresh.reduce((a, b) => (a.lastModified >= b.lastModified ? a : b)).lastModified.toISOString();
  if (size === 0)
    return {
      ...base,
      verdict: 'empty',
      size: 0,
      lastModified: last,
      detail: 'written by this run, but empty (0 bytes)',
    };
  const detail = output.folder ? `${fresh.length} object(s) written by this run` : 'written by this run';
  return { ...base, verdict: 'ok', size, lastModified: last, detail };
}
