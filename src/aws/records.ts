/**
 * The run records on S3 (see src/verify/records.ts for what they are): conditional writes (a record
 * is never overwritten), reads validated against their schema, and what S3 holds now at a recorded key.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { z } from 'zod';
import {
  type CurrentObject,
  type Lease,
  LeaseSchema,
  layout,
  type RecordsRoot,
  type RunRecord,
  RunRecordSchema,
  type StageRecord,
  StageRecordSchema,
} from '../verify/records';
import { awsCall, awsError } from './errors';

/** The input that names where the records are (its default: `.kedro-aws/` in the outputs' bucket). */
const RECORDS_INPUT = 'run-records';
const about = (call: string, bucket: string, key: string) => ({
  call,
  resource: `s3://${bucket}/${key}`,
  input: RECORDS_INPUT,
  hint: 'The run records are kept in the bucket of the pipeline\'s outputs unless "run-records" names another.',
});

function status(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  return (
    status(error) === 404 ||
    (error as { name?: string })?.name === 'NoSuchKey' ||
    (error as { name?: string })?.name === 'NotFound'
  );
}

/** Writes `body` at `key` only when nothing is there (If-None-Match: *); false when something was. */
export async function putIfAbsent(client: S3Client, bucket: string, key: string, body: unknown): Promise<boolean> {
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(body, null, 2)}\n`,
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
    return true;
  } catch (error) {
    // 412: there is one already; 409: a concurrent conditional write of the same key is in flight.
    if (status(error) === 412 || status(error) === 409) return false;
    throw awsError(error, about('s3:PutObject', bucket, key));
  }
}

/** Writes `body` at `key` only when the object there still has `etag` (If-Match); false when it changed. */
export async function putIfUnchanged(
  client: S3Client,
  bucket: string,
  key: string,
  etag: string,
  body: unknown,
): Promise<boolean> {
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(body, null, 2)}\n`,
        ContentType: 'application/json',
        IfMatch: etag,
      }),
    );
    return true;
  } catch (error) {
    if (status(error) === 412 || status(error) === 409 || isNotFound(error)) return false;
    throw awsError(error, about('s3:PutObject', bucket, key));
  }
}

/** Writes `body` at `key`, replacing what is there (the stage record, which each deploy renews). */
export async function putJson(client: S3Client, bucket: string, key: string, body: unknown): Promise<void> {
  await awsCall(about('s3:PutObject', bucket, key), () =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(body, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    ),
  );
}

/** The JSON at `key` checked against `schema` with its ETag; undefined when there is no object. */
export async function getJson<T extends z.ZodTypeAny>(
  client: S3Client,
  bucket: string,
  key: string,
  schema: T,
): Promise<{ value: z.infer<T>; etag: string } | undefined> {
  let text: string;
  let etag: string;
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await res.Body?.transformToString()) ?? '';
    etag = res.ETag ?? '';
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw awsError(error, about('s3:GetObject', bucket, key));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`s3://${bucket}/${key} is not JSON`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new Error(`s3://${bucket}/${key} is not a record this action wrote: ${result.error.message}`);
  return { value: result.data, etag };
}

/** Every key under `prefix` (paginated). */
export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** The next level of "folders" under `prefix` (as `<prefix><name>/`). */
async function listFolders(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall(about('s3:ListObjectsV2', bucket, prefix), () =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
      ),
    );
    folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    token = page.NextContinuationToken;
  } while (token);
  return folders;
}

/** Every record of one run (all groups, all attempts). */
export async function readRunRecords(
  client: S3Client,
  root: RecordsRoot,
  project: string,
  stage: string,
  runId: string,
): Promise<RunRecord[]> {
  const keys = await listKeys(client, root.bucket, layout.run(root, project, stage, runId));
  const records: RunRecord[] = [];
  for (const key of keys.filter((k) => k.endsWith('.json') && !k.endsWith('/run.json'))) {
    const got = await getJson(client, root.bucket, key, RunRecordSchema);
    if (got) records.push(got.value);
  }
  return records;
}

/** The run ids a stage has records of, oldest first (Kedro run ids sort by time). */
export async function recordedRuns(
  client: S3Client,
  root: RecordsRoot,
  project: string,
  stage: string,
): Promise<string[]> {
  const runs = layout.runs(root, project, stage);
  return (await listFolders(client, root.bucket, runs)).map((p) => p.slice(runs.length, -1)).sort();
}

/** The stages of a project that have records (of runs, a stage record or a lease). */
export async function recordedStages(client: S3Client, root: RecordsRoot, project: string): Promise<string[]> {
  const base = layout.project(root, project);
  return (await listFolders(client, root.bucket, base)).map((p) => p.slice(base.length, -1)).sort();
}

/** Every stage of every project that has a stage record under the root. */
export async function readStageRecords(client: S3Client, root: RecordsRoot): Promise<StageRecord[]> {
  const base = root.prefix ? `${root.prefix}/` : '';
  const records: StageRecord[] = [];
  for (const project of await listFolders(client, root.bucket, base)) {
    for (const stage of await listFolders(client, root.bucket, project)) {
      const got = await getJson(client, root.bucket, `${stage}stage.json`, StageRecordSchema);
      if (got) records.push(got.value);
    }
  }
  return records;
}

export async function readLease(
  client: S3Client,
  root: RecordsRoot,
  project: string,
  stage: string,
): Promise<{ value: Lease; etag: string } | undefined> {
  return getJson(client, root.bucket, layout.lease(root, project, stage), LeaseSchema);
}

/** What S3 holds now at a key (the latest version, or the version given), undefined when nothing. */
export async function currentObject(
  client: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<CurrentObject | undefined> {
  try {
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    return {
      etag: head.ETag ?? '',
      versionId: head.VersionId ?? undefined,
      size: head.ContentLength ?? 0,
      lastModified: head.LastModified,
    };
  } catch (error) {
    // A version id that is not there any more answers 404 (or 400 on a bucket that was never versioned).
    if (isNotFound(error) || (versionId && status(error) === 400)) return undefined;
    throw awsError(error, { ...about('s3:HeadObject', bucket, key), input: undefined, hint: undefined });
  }
}

/** Every record of every run of a stage. */
export async function readStageRunRecords(
  client: S3Client,
  root: RecordsRoot,
  project: string,
  stage: string,
): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const runId of await recordedRuns(client, root, project, stage)) {
    records.push(...(await readRunRecords(client, root, project, stage, runId)));
  }
  return records;
}

/** Deletes one object (one version of it, when `versionId` is given). */
export async function deleteObject(
  client: S3Client,
  bucket: string,
  key: string,
  versionId?: string | null,
): Promise<void> {
  await client.send(
    new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
}
