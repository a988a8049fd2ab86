/** S3 reads for verify: the object at a key, else the objects under it as a folder. */
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ObjectSeen } from '../verify/expected';

const MAX_FOLDER_OBJECTS = 1000;

export async function objectsAt(client: S3Client, bucket: string, key: string, folder: boolean): Promise<ObjectSeen[]> {
  if (!folder) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return [{ key, size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) }];
    } catch (error) {
      const notFound =
        error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
      if (!notFound) throw error;
      // Not an object: some datasets save a folder at their path (e.g. a partitioned parquet).
    }
  }
  const listed = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key.replace(/\/+$/, '')}/`, MaxKeys: MAX_FOLDER_OBJECTS }),
  );
  return (listed.Contents ?? []).map((o) => ({
    key: o.Key!,
    size: o.Size ?? 0,
    lastModified: o.LastModified ?? new Date(0),
  }));
}

/** The version folders Kedro saved under a versioned dataset's path (`<path>/<version>/...`). */
export async function versionsAt(client: S3Client, bucket: string, datasetKey: string): Promise<string[]> {
  const prefix = `${datasetKey.replace(/\/+$/, '')}/`;
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
  return (listed.CommonPrefixes ?? [])
    .map((p) => p.Prefix!.slice(prefix.length).replace(/\/$/, ''))
    .filter(Boolean)
    .sort();
}

/** Deletes every object at `key` or under `key/`; returns how many were deleted. */
export async function deletePrefix(client: S3Client, bucket: string, key: string): Promise<number> {
  const base = key.replace(/\/+$/, '');
  let deleted = 0;
  for (const prefix of [base, `${base}/`]) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      // `base` as a prefix also matches `base.other`; keep the object itself and what is under it.
      const keys = (page.Contents ?? []).map((o) => o.Key!).filter((k) => k === base || k.startsWith(`${base}/`));
      if (keys.length) {
        await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
        );
        deleted += keys.length;
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return deleted;
}
