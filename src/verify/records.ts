/**
 * Run records: the proof `verify` and `teardown` trust. Each group of a run writes, right after its
 * datasets are saved, a record of every S3 object it wrote (bucket, key, ETag, version id, size,
 * S3's own Last-Modified of that write), under one run-records location keyed by project, stage and
 * run id, with a conditional write (a record is never overwritten). `deploy` writes the stage's record:
 * the output paths it resolved, which is how a stage knows which paths other stages own.
 *
 *   <root>/<project>/<stage>/stage.json                         the stage (deploy)
 *   <root>/<project>/<stage>/lease.json                         a local run in progress
 *   <root>/<project>/<stage>/runs/<run id>/<group>/<attempt>.json  what one group attempt wrote
 *
 * Pure: layouts, the schemas of what is read back, merging, judging, overlaps. The S3 effects are in
 * src/aws/records.ts; the Python side writes group records (python/kedro_aws_action/records.py).
 */
import { z } from 'zod';
import { ActionError } from '../lib/errors';
import type { Plan } from '../plan/schema';
import { type ExpectedOutput, parseS3Url } from './expected';

/** Where records go when the `run-records` input is not given: this prefix in the outputs' bucket. */
export const DEFAULT_RECORDS_PREFIX = '.kedro-aws';

export interface RecordsRoot {
  bucket: string;
  /** Key prefix, without a trailing slash ('' for the bucket's root). */
  prefix: string;
}

export function recordsRootUrl(root: RecordsRoot): string {
  return `s3://${root.bucket}/${root.prefix}`;
}

/**
 * The records' root: the `run-records` input (`s3://bucket[/prefix]`), or `.kedro-aws/` in the bucket
 * most of the pipeline's persisted S3 outputs are in (alphabetical on a tie).
 */
export function recordsRoot(plan: Plan, input: string | undefined): RecordsRoot {
  if (input) {
    const { bucket, key } = parseS3Url(input);
    return { bucket, prefix: key.replace(/\/+$/, '') };
  }
  const counts = new Map<string, number>();
  for (const d of plan.datasets) {
    if (d.producer === null || !d.persisted || !d.filepath || (d.protocol !== 's3' && d.protocol !== 's3a')) continue;
    const { bucket } = parseS3Url(d.filepath);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (ranked.length === 0) {
    throw new ActionError(
      `input "run-records" is needed: no output of pipeline "${plan.pipeline}" is on S3 in env "${plan.env}", so there is ` +
        'no bucket to keep the run records in; give one, e.g. s3://my-bucket/.kedro-aws',
    );
  }
  return { bucket: ranked[0]![0], prefix: DEFAULT_RECORDS_PREFIX };
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export const layout = {
  project: (root: RecordsRoot, project: string) => `${join(root.prefix, project)}/`,
  stage: (root: RecordsRoot, project: string, stage: string) => `${join(root.prefix, project, stage)}/`,
  stageRecord: (root: RecordsRoot, project: string, stage: string) => `${layout.stage(root, project, stage)}stage.json`,
  lease: (root: RecordsRoot, project: string, stage: string) => `${layout.stage(root, project, stage)}lease.json`,
  runs: (root: RecordsRoot, project: string, stage: string) => `${layout.stage(root, project, stage)}runs/`,
  run: (root: RecordsRoot, project: string, stage: string, runId: string) =>
    `${layout.runs(root, project, stage)}${runId}/`,
};

/** What a group's process is told (RECORDS_ENV): the stage's records, as an s3:// URL. */
export function stageRecordsUrl(root: RecordsRoot, project: string, stage: string): string {
  return `s3://${root.bucket}/${layout.stage(root, project, stage)}`;
}

// ---------------------------------------------------------------------------------------------
// What is read back.

export const RecordedObjectSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  etag: z.string(),
  version_id: z.string().nullable(),
  size: z.number(),
  /** S3's Last-Modified of this write (ISO), told apart from a rewrite with the same bytes (same ETag). */
  last_modified: z.string().nullable(),
});
export type RecordedObject = z.infer<typeof RecordedObjectSchema>;

export const RunRecordSchema = z.object({
  kind: z.literal('kedro-aws-run-record'),
  version: z.literal(1),
  project: z.string(),
  stage: z.string(),
  run_id: z.string(),
  group: z.string(),
  /** One id per attempt of the group (a retried Lambda writes a record of its own). */
  attempt: z.string(),
  /** Where the run came from (the workflow run), as the execution input said. */
  origin: z.record(z.string(), z.string()).default({}),
  datasets: z.record(z.string(), z.object({ objects: z.array(RecordedObjectSchema) })),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const StageOutputSchema = z.object({
  dataset: z.string(),
  bucket: z.string(),
  /** The resolved path (the folder of a versioned dataset's versions). */
  key: z.string(),
  versioned: z.boolean(),
});
export type StageOutput = z.infer<typeof StageOutputSchema>;

export const StageRecordSchema = z.object({
  kind: z.literal('kedro-aws-stage-record'),
  version: z.literal(1),
  project: z.string(),
  stage: z.string(),
  runtime_params: z.record(z.string(), z.unknown()),
  outputs: z.array(StageOutputSchema),
  origin: z.record(z.string(), z.string()).default({}),
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

export const LeaseSchema = z.object({
  kind: z.literal('kedro-aws-lease'),
  version: z.literal(1),
  holder: z.string(),
  run_id: z.string(),
  /** Epoch milliseconds after which the lease may be taken over (the holder died). */
  expires: z.number(),
  origin: z.record(z.string(), z.string()).default({}),
  /** The run once started, so that a later run can ask the service whether it still goes. */
  run: z.object({ execution_arn: z.string().optional(), job_ids: z.array(z.string()).optional() }).default({}),
});
export type LeaseRun = Lease['run'];
export type Lease = z.infer<typeof LeaseSchema>;

// ---------------------------------------------------------------------------------------------
// The stage's outputs, and stages that would share them.

/** The S3 outputs of a plan as a stage record holds them. */
export function stageOutputs(plan: Plan): StageOutput[] {
  return plan.datasets
    .filter((d) => d.producer !== null && d.persisted && d.filepath && (d.protocol === 's3' || d.protocol === 's3a'))
    .map((d) => {
      const { bucket, key } = parseS3Url(d.filepath!);
      return { dataset: d.name, bucket, key: key.replace(/\/+$/, ''), versioned: d.versioned };
    });
}

/** True when one path is the other or lies under it (at a `/`: `main/a` does not hold `main/ab`). */
function nested(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export interface Overlap {
  stage: string;
  mine: StageOutput;
  theirs: StageOutput;
}

/** The outputs of this stage that another stage's record also claims. */
export function overlaps(mine: readonly StageOutput[], others: readonly StageRecord[]): Overlap[] {
  const found: Overlap[] = [];
  for (const other of others) {
    for (const m of mine) {
      const hit = other.outputs.find((t) => t.bucket === m.bucket && nested(m.key, t.key));
      if (hit) found.push({ stage: other.stage, mine: m, theirs: hit });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The manifest of a run, and the verdict on each output.

export interface ManifestEntry {
  /** Every object the run's records hold for the dataset (all attempts). */
  objects: RecordedObject[];
  groups: string[];
}

/** The run's records merged: per dataset, every object any attempt of any group recorded. */
export function manifestOf(records: readonly RunRecord[]): Map<string, ManifestEntry> {
  const manifest = new Map<string, ManifestEntry>();
  for (const record of records) {
    for (const [dataset, { objects }] of Object.entries(record.datasets)) {
      const entry = manifest.get(dataset) ?? { objects: [], groups: [] };
      entry.objects.push(...objects);
      if (!entry.groups.includes(record.group)) entry.groups.push(record.group);
      manifest.set(dataset, entry);
    }
  }
  return manifest;
}

/** What S3 holds now at a recorded key (undefined: nothing). */
export interface CurrentObject {
  etag: string;
  versionId: string | undefined;
  size: number;
  lastModified: Date | undefined;
}

const bareEtag = (etag: string) => etag.replace(/^W\//, '').replace(/"/g, '');

/** Same write: the same ETag and, when both are known, the same Last-Modified (to the second). */
export function sameWrite(recorded: RecordedObject, current: CurrentObject): boolean {
  if (bareEtag(recorded.etag) !== bareEtag(current.etag)) return false;
  if (recorded.version_id && current.versionId) return recorded.version_id === current.versionId;
  if (recorded.last_modified && current.lastModified) {
    const a = Math.floor(Date.parse(recorded.last_modified) / 1000);
    const b = Math.floor(current.lastModified.getTime() / 1000);
    if (!Number.isNaN(a)) return a === b;
  }
  return true;
}

export type ProofVerdict = 'ok' | 'not-written' | 'missing' | 'overwritten' | 'empty';

export interface ProofCheck {
  dataset: string;
  url: string;
  verdict: ProofVerdict;
  size?: number;
  /** S3's Last-Modified of the newest object (ISO), for the report. */
  lastModified?: string;
  /** The objects of the dataset this run wrote (keys), for the report. */
  objects: number;
  detail: string;
}

/** Recorded objects that belong to the output's resolved path (a record is not trusted beyond it). */
export function objectsOf(output: ExpectedOutput, entry: ManifestEntry | undefined): RecordedObject[] {
  if (!entry) return [];
  // A versioned dataset's write is <filepath>/<run id>/<basename>; `output.key` is exactly that.
  const base = output.key.replace(/\/+$/, '');
  return entry.objects.filter((o) => o.bucket === output.bucket && (o.key === base || o.key.startsWith(`${base}/`)));
}

/**
 * The verdict on one output: this run's records must hold at least one object of it, and each such
 * object must still be the one this run wrote. `current` has what S3 holds now at each recorded
 * object's key (`bucket/key` → object, or undefined when there is none); `claimedBy` names the run
 * whose record claims the object now there, when one does.
 */
export function judgeRecorded(
  output: ExpectedOutput,
  recorded: readonly RecordedObject[],
  current: ReadonlyMap<string, CurrentObject | undefined>,
  claimedBy: (where: string, now: CurrentObject) => string | undefined,
): ProofCheck {
  const base = { dataset: output.dataset, url: output.url, objects: recorded.length };
  if (recorded.length === 0) {
    return {
      ...base,
      verdict: 'not-written',
      detail: "this run's records hold no object of it: the run wrote nothing there",
    };
  }
  // The newest record of a key wins when several attempts wrote it.
  const byKey = new Map<string, RecordedObject[]>();
  for (const o of recorded) byKey.set(`${o.bucket}/${o.key}`, [...(byKey.get(`${o.bucket}/${o.key}`) ?? []), o]);
  let size = 0;
  let newest: Date | undefined;
  for (const [where, writes] of byKey) {
    const now = current.get(where);
    if (!now) {
      return { ...base, verdict: 'missing', detail: `s3://${where} was deleted after this run wrote it` };
    }
    const own = writes.find((w) => sameWrite(w, now));
    if (!own) {
      const by = claimedBy(where, now);
      return {
        ...base,
        verdict: 'overwritten',
        detail: `s3://${where} was overwritten after this run wrote it${by ? `, by ${by}` : ' (no run record claims the new object)'}`,
      };
    }
    size += now.size;
    if (now.lastModified && (!newest || now.lastModified > newest)) newest = now.lastModified;
  }
  const when = newest ? { lastModified: newest.toISOString() } : {};
  if (size === 0)
    return { ...base, verdict: 'empty', size, ...when, detail: 'written by this run, but empty (0 bytes)' };
  return { ...base, verdict: 'ok', size, ...when, detail: `written by this run (${byKey.size} object(s))` };
}
