/**
 * The test bed itself: a real moto server, real Kedro. The example project's data_processing group
 * runs with `kedro run --env aws --namespaces data_processing` and its outputs land in moto's S3.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../src/aws/clients';
import { PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const BUCKET = 'kedro-aws-example';

async function listKeys(s3: S3Client, prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

async function uploadRaw(s3: S3Client, project: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const raw = path.join(project, 'data', '01_raw');
  for (const file of fs.readdirSync(raw)) {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `01_raw/${file}`, Body: fs.readFileSync(path.join(raw, file)) }),
    );
  }
}

function kedroRun(project: string, args: string[]) {
  const result = spawnSync(PYTHON, ['-m', 'kedro', 'run', ...args], { cwd: project, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kedro run ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

describe('test bed: real Kedro against moto S3', () => {
  const s3 = s3Client({ region: 'us-east-1', maxAttempts: 3 });
  let project: string;

  beforeAll(async () => {
    await resetMoto();
    project = copyProject(EXAMPLE);
    await uploadRaw(s3, project);
  });

  test('the data_processing group writes its outputs to the emulated bucket', async () => {
    expect(await listKeys(s3, 'main/')).toEqual([]);
    kedroRun(project, ['--env', 'aws', '--namespaces', 'data_processing']);
    const keys = await listKeys(s3, 'main/');
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(/model_input_table/)]));
    // Only data_processing ran: nothing of data_science or reporting is there yet.
    expect(keys.some((k) => /regressor|metrics|summary/.test(k))).toBe(false);
  });

  test('a runtime param moves the outputs under another prefix', async () => {
    kedroRun(project, ['--env', 'aws', '--namespaces', 'data_processing', '--params', 'output_prefix=pr-7']);
    expect((await listKeys(s3, 'pr-7/')).length).toBeGreaterThan(0);
  });
});
