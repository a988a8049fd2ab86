/**
 * Real Kedro on a copied project, for tests that need what `package` makes: `kedro package` (the wheel
 * and the conf archive), the plan exporter, and the S3 side of the example (its bucket and raw data).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readExportResult } from '../../src/kedro/export';
import type { Plan } from '../../src/plan/schema';
import { PYTHON, ROOT } from './moto';

/** The example's bucket (conf/aws/globals.yml). */
export const EXAMPLE_BUCKET = 'kedro-aws-example';

export interface PackagedProject {
  wheel: string;
  confArchive: string;
}

/** `python -m kedro package` in `project`: the wheel and `conf-<package>.tar.gz` it wrote. */
export function kedroPackage(project: string, packageName: string): PackagedProject {
  const result = spawnSync(PYTHON, ['-m', 'kedro', 'package'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, KEDRO_DISABLE_TELEMETRY: '1' },
  });
  if (result.status !== 0) throw new Error(`kedro package failed in ${project}:\n${result.stderr}`);
  const dist = path.join(project, 'dist');
  const wheel = fs.readdirSync(dist).find((f) => f.endsWith('.whl'));
  const confArchive = path.join(dist, `conf-${packageName}.tar.gz`);
  if (!wheel || !fs.existsSync(confArchive)) throw new Error(`kedro package wrote no wheel or conf archive in ${dist}`);
  return { wheel: path.join(dist, wheel), confArchive };
}

/** The plan of `project` as python/kedro_aws_action/export_plan.py exports it. */
export function exportPlan(
  project: string,
  options: { env?: string; pipeline?: string; runtimeParams?: Record<string, unknown> } = {},
): Plan {
  const output = path.join(project, 'plan.json');
  const result = spawnSync(
    PYTHON,
    [
      path.join(ROOT, 'python', 'kedro_aws_action', 'export_plan.py'),
      '--project-path',
      project,
      '--env',
      options.env ?? 'aws',
      '--pipeline',
      options.pipeline ?? '__default__',
      '--runtime-params',
      JSON.stringify(options.runtimeParams ?? {}),
      '--output',
      output,
    ],
    { cwd: project, encoding: 'utf8', env: { ...process.env, KEDRO_DISABLE_TELEMETRY: '1' } },
  );
  return readExportResult(output, result.status ?? 1, result.stderr);
}

export async function listKeys(s3: S3Client, prefix: string, bucket = EXAMPLE_BUCKET): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(res.Contents ?? []).map((o) => o.Key!));
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Creates the example's bucket (if needed) and uploads the project's data/01_raw to s3://<bucket>/01_raw/. */
export async function uploadRaw(s3: S3Client, project: string, bucket = EXAMPLE_BUCKET): Promise<string[]> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!/BucketAlready/.test((error as Error).name)) throw error;
  }
  const raw = path.join(project, 'data', '01_raw');
  const keys: string[] = [];
  for (const file of fs.readdirSync(raw)) {
    const key = `01_raw/${file}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(path.join(raw, file)) }));
    keys.push(key);
  }
  return keys;
}

export async function deleteKeys(s3: S3Client, keys: readonly string[], bucket = EXAMPLE_BUCKET): Promise<void> {
  for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** `s3://bucket/a/b.csv` → `{bucket, key}`. */
export function s3Location(url: string): { bucket: string; key: string } {
  const m = /^s3a?:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// path: ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}
