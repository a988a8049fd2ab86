/**
 * verify, the merge gate, on real runs: the example project's groups really execute (the local
 * executor: each group's handler in its own Python process, data through moto's S3), then verify checks
 * the run's outputs. Each bad case a user can meet fails with the dataset, the key and what is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runInProcess } from '../support/inprocess';
import { motoExecuteStateMachines, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const BUCKET = 'kedro-aws-example';
const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });

async function uploadRaw(project: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const raw = path.join(project, 'data', '01_raw');
  for (const file of fs.readdirSync(raw)) {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `01_raw/${file}`, Body: fs.readFileSync(path.join(raw, file)) }),
    );
  }
}

async function keys(prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!);
}

describe('verify after a real run (local executor, moto S3)', () => {
  let runnerTemp: string;
  let project: string;

  beforeAll(async () => {
    await resetMoto();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-verify-'));
    project = copyProject(EXAMPLE);
    await uploadRaw(project);
  });

  const chain = (stage: string, extra: Record<string, string> = {}) =>
    runInProcess(
      { mode: 'package,run,verify', 'project-path': project, python: PYTHON, executor: 'local', stage, ...extra },
      { runnerTemp },
    );

  test('package,run,verify passes: every output written by this run, the summary shows it', async () => {
    const result = await chain('pass');
    expect(result.failure).toBeUndefined();
    expect(result.outputs.verified).toBe('true');
    expect(result.outputs.status).toBe('SUCCEEDED');
    const runId = result.outputs['run-id']!;
    const report = JSON.parse(fs.readFileSync(result.outputs.report!, 'utf8'));
    expect(report.verdict).toBe('verified');
    const datasets = report.outputs.map((o: { dataset: string }) => o.dataset);
    expect(datasets).toEqual(
      expect.arrayContaining(['model_input_table', 'regressor', 'metrics', 'shuttle_type_summary']),
    );
    // Versioned outputs in this run's own version folder.
    expect(await keys(`main/06_models/regressor.pickle/${runId}/`)).toEqual([
      `main/06_models/regressor.pickle/${runId}/regressor.pickle`,
    ]);
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toContain('regressor');
  });

  test('an output deleted after the run fails verify, naming it', async () => {
    const first = await chain('deleted');
    expect(first.outputs.verified).toBe('true');
    const runId = first.outputs['run-id']!;
    await s3.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: `main/06_models/regressor.pickle/${runId}/regressor.pickle` }),
    );
    const again = await runInProcess(
      { mode: 'verify', 'project-path': project, python: PYTHON, executor: 'local', stage: 'deleted' },
      { runnerTemp },
    );
    expect(again.ok).toBe(false);
    expect(again.outputs.verified).toBe('false');
    // Other runs left versions there, but the object this run wrote is gone.
    expect(again.failure).toMatch(
      /- regressor \(s3:\/\/kedro-aws-example\/main\/06_models\/regressor\.pickle\/.+\): missing, .+ was deleted after this run wrote it/,
    );
  });

  test('an output overwritten after the run (here with an empty object) fails verify: not the object this run wrote', async () => {
    const first = await chain('empty');
    expect(first.outputs.verified).toBe('true');
    const keysNow = await keys('main/03_primary/');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keysNow[0]!, Body: '' }));
    const again = await runInProcess({ mode: 'verify', executor: 'local', stage: 'empty' }, { runnerTemp });
    expect(again.ok).toBe(false);
    expect(again.failure).toMatch(
      /model_input_table .*: overwritten, .+ was overwritten after this run wrote it \(no run record claims the new object\)/,
    );
  });

  test('a versioned output of an older run does not count for a newer run that lost its own', async () => {
    const older = await chain('older');
    expect(older.outputs.verified).toBe('true');
    const olderRun = older.outputs['run-id']!;
    // A newer run of the same stage whose data_science group did not save (deleted here).
    const newer = await chain('older');
    const newerRun = newer.outputs['run-id']!;
    expect(newerRun).not.toBe(olderRun);
    await s3.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: `main/06_models/regressor.pickle/${newerRun}/regressor.pickle` }),
    );
    const again = await runInProcess({ mode: 'verify', executor: 'local', stage: 'older' }, { runnerTemp });
    expect(again.ok).toBe(false);
    expect(again.failure).toMatch(
      new RegExp(
        `regressor \\(.*${newerRun.replace(/\./g, '\\.')}.*\\): missing, .+ was deleted after this run wrote it`,
      ),
    );
  });

  test('a failed run fails verify with the group named', async () => {
    const broken = copyProject(EXAMPLE);
    // A node of reporting reads a dataset the catalog does not have on S3 in this copy: the group fails.
    const catalog = path.join(broken, 'conf', 'aws', 'catalog.yml');
    fs.writeFileSync(
      catalog,
      fs.readFileSync(catalog, 'utf8').replace('01_raw/shuttles.csv', '01_raw/no-such-file.csv'),
    );
    const result = await runInProcess(
      { mode: 'package,run,verify', 'project-path': broken, python: PYTHON, executor: 'local', stage: 'broken' },
      { runnerTemp },
    );
    expect(result.ok).toBe(false);
    expect(result.outputs.status).toBe('FAILED');
    expect(result.failure).toMatch(/group "data_processing" failed/);
  });

  test('two runs with their own prefixes verify independently', async () => {
    const a = await chain('pr-1', { 'runtime-params': 'output_prefix=pr-1' });
    const b = await chain('pr-2', { 'runtime-params': 'output_prefix=pr-2' });
    expect(a.outputs.verified).toBe('true');
    expect(b.outputs.verified).toBe('true');
    // Remove run b's unversioned table: a still passes, b fails; neither passes on the other's outputs.
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'pr-2/03_primary/model_input_table.parquet' }));
    const againA = await runInProcess({ mode: 'verify', executor: 'local', stage: 'pr-1' }, { runnerTemp });
    const againB = await runInProcess({ mode: 'verify', executor: 'local', stage: 'pr-2' }, { runnerTemp });
    expect(againA.outputs.verified).toBe('true');
    expect(againB.failure).toMatch(
      /model_input_table \(s3:\/\/kedro-aws-example\/pr-2\/03_primary\/model_input_table\.parquet\): missing/,
    );
  });
});

describe('verify of a Step Functions execution whose groups really ran', () => {
  test('passes when the groups wrote with the execution run id, fails once an output is missing', async () => {
    await resetMoto();
    await motoExecuteStateMachines();
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-verify-sfn-'));
    const project = copyProject(EXAMPLE);
    await uploadRaw(project);
    const iam = new IAMClient({ region: 'us-east-1' });
    const role = (name: string) =>
      iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
    const common = {
      'project-path': project,
      python: PYTHON,
      stage: 'sfn',
      'poll-interval-seconds': '1',
      'lambda-role-arn': await role('l'),
      'sfn-role-arn': await role('s'),
      'image-uri': `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'cd'.repeat(32)}`,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
    };
    // moto walks the state machine but its Lambdas do not run the image ...
    const executed = await runInProcess({ ...common, mode: 'package,deploy,run' }, { runnerTemp });
    expect(executed.outputs.status).toBe('SUCCEEDED');
    const runId = executed.outputs['run-id']!;
    // ... so the groups run for real with the execution's run id, as its Lambdas would have.
    const ran = await runInProcess({ ...common, mode: 'run', executor: 'local', 'run-id': runId }, { runnerTemp });
    expect(ran.outputs.status).toBe('SUCCEEDED');

    const verified = await runInProcess({ ...common, mode: 'verify' }, { runnerTemp });
    expect(verified.failure).toBeUndefined();
    expect(verified.outputs.verified).toBe('true');
    const report = JSON.parse(fs.readFileSync(verified.outputs.report!, 'utf8'));
    expect(report.run).toBe(executed.outputs['execution-arn']);

    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'main/08_reporting/fleet_stats.json' }));
    const after = await runInProcess({ ...common, mode: 'verify' }, { runnerTemp });
    expect(after.ok).toBe(false);
    expect(after.failure).toMatch(
      /fleet_stats \(s3:\/\/kedro-aws-example\/main\/08_reporting\/fleet_stats\.json\): missing/,
    );
  });
});
