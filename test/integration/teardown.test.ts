/** mode: teardown removes exactly one stage: its functions, its state machine, its outputs; nothing else. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { runInProcess } from '../support/inprocess';
import { motoExecuteStateMachines, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const BUCKET = 'kedro-aws-example';

test('teardown of one stage leaves the other stage and the raw data alone', async () => {
  await resetMoto();
  await motoExecuteStateMachines();
  const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-teardown-'));
  const project = copyProject(EXAMPLE);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const file of fs.readdirSync(path.join(project, 'data', '01_raw'))) {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `01_raw/${file}`,
        Body: fs.readFileSync(path.join(project, 'data', '01_raw', file)),
      }),
    );
  }
  const iam = new IAMClient({ region: 'us-east-1' });
  const role = (name: string) =>
    iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
  const common = {
    'project-path': project,
    python: PYTHON,
    'lambda-role-arn': await role('l'),
    'sfn-role-arn': await role('s'),
    'image-uri': `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ef'.repeat(32)}`,
    'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
  };
  for (const stage of ['pr-1', 'pr-2']) {
    const deployed = await runInProcess(
      { ...common, stage, 'runtime-params': `output_prefix=${stage}`, mode: 'package,deploy,run', executor: 'local' },
      { runnerTemp },
    );
    expect(deployed.failure).toBeUndefined();
  }
  const listKeys = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
  expect((await listKeys('pr-1/')).length).toBeGreaterThan(0);

  const teardown = await runInProcess(
    { ...common, stage: 'pr-1', 'runtime-params': 'output_prefix=pr-1', mode: 'package,teardown' },
    { runnerTemp },
  );
  expect(teardown.failure).toBeUndefined();

  const functions = (await new LambdaClient({ region: 'us-east-1' }).send(new ListFunctionsCommand({}))).Functions!.map(
    (f) => f.FunctionName!,
  );
  expect(functions.filter((f) => f.startsWith('spaceflights-pr-1-'))).toEqual([]);
  expect(functions.filter((f) => f.startsWith('spaceflights-pr-2-')).length).toBe(3);
  const machines = (
    await new SFNClient({ region: 'us-east-1' }).send(new ListStateMachinesCommand({}))
  ).stateMachines!.map((m) => m.name);
  expect(machines).toEqual(['spaceflights-pr-2']);
  expect(await listKeys('pr-1/')).toEqual([]);
  expect((await listKeys('pr-2/')).length).toBeGreaterThan(0);
  expect((await listKeys('01_raw/')).length).toBe(3);
});
