/**
 * S3 for verify and teardown: the object at a key, else the objects under it as a folder; the version
 * folders of a versioned dataset; deleting what is at a path. A failed call names the bucket and key,
 * and `hint` says where they come from (the catalog of the conf env, which dataset).
 */
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ObjectSeen } from '../verify/expected';
import { awsCall, awsError } from './errors';

const MAX_FOLDER_OBJECTS = 1000;

/** Where a bucket and key come from, for the message of a failed call (e.g. the catalog naming them). */
export interface S3Context {
  hint?: string;
}

/** A HeadObject 404 has no error code (no body): only its status says "no such key". */
function isMissingObject(error: unknown): boolean {
  if (error instanceof NotFound) return true;
  if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) return false;
  // Without a body the SDK names a 404 "NotFound" (or "404"); NoSuchBucket is another story.
  return error.name !== 'NoSuchBucket';
}

export async function objectsAt(
  client: S3Client,
  bucket: string,
  key: string,
  folder: boolean,
  context: S3Context = {},
): Promise<ObjectSeen[]> {
  if (!folder) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return [{ key, size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) }];
    } catch (error) {
      if (!isMissingObject(error)) {
        throw awsError(error, { call: 's3:HeadObject', resource: `s3://${bucket}/${key}`, ...context });
      }
      // Not an object: some datasets save a folder at their path (e.g. a partitioned parquet).
    }
  }
  const prefix = `${key.replace(/\/+$/, '')}/`;
  const listed = await awsCall({ call: 's3:ListObjectsV2', resource: bucketOf(bucket, prefix), ...context }, () =>
    client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: MAX_FOLDER_OBJECTS })),
  );
  return (listed.Contents ?? []).map((o) => ({
    key: o.Key!,
    size: o.Size ?? 0,
    lastModified: o.LastModified ?? new Date(0),
  }));
}

/** The version folders Kedro saved under a versioned dataset's path (`<path>/<version>/...`). */
export async function versionsAt(
  client: S3Client,
  bucket: string,
  datasetKey: string,
  context: S3Context = {},
): Promise<string[]> {
  const prefix = `${datasetKey.replace(/\/+$/, '')}/`;
  const listed = await awsCall({ call: 's3:ListObjectsV2', resource: bucketOf(bucket, prefix), ...context }, () =>
    client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' })),
  );
  return (listed.CommonPrefixes ?? [])
    .map((p) => p.Prefix!.slice(prefix.length).replace(/\/$/, ''))
    .filter(Boolean)
    .sort();
}

/** Deletes every object at `key` or under `key/`; returns how many were deleted. */
export async function deletePrefix(
  client: S3Client,
  bucket: string,
  key: string,
  context: S3Context = {},
): Promise<number> {
  const base = key.replace(/\/+$/, '');
  let deleted = 0;
  for (const prefix of [base, `${base}/`]) {
    let token: string | undefined;
    do {
      const after = token;
      const page = await awsCall({ call: 's3:ListObjectsV2', resource: bucketOf(bucket, prefix), ...context }, () =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: after })),
      );
      // `base` as a prefix also matches `base.other`; keep the object itself and what is under it.
      const keys = (page.Contents ?? []).map((o) => o.Key!).filter((k) => k === base || k.startsWith(`${base}/`));
      if (keys.length) {
        await awsCall({ call: 's3:DeleteObjects', resource: bucketOf(bucket, prefix), ...context }, () =>
          client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
            }),
          ),
        );
        deleted += keys.length;
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return deleted;
}

/** `bucket b (objects under s3://b/p)`: names the bucket first, as NoSuchBucket is about it. */
function bucketOf(bucket: string, prefix: string): string {
  return `bucket ${bucket} (objects under s3://${bucket}/${prefix})`;
}
