/**
 * Proof, not clocks (issue 13): several stages and runs sharing a bucket, as teams use the action (a
 * nightly stage, a stage per pull request, re-runs, matrix jobs). Real Kedro runs every group (the local
 * executor), the data and the run records live in moto's S3, deploys go to moto's Lambda and Step
 * Functions. Each scenario is its own test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { type ActionRun, runActionAsync } from '../support/action';
import { type InProcessRun, runInProcess } from '../support/inprocess';
import { EXAMPLE_BUCKET, listKeys, uploadRaw } from '../support/kedro';
import { motoRecordOnly, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE, FIXTURES } from '../support/projects';

const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ef'.repeat(32)}`;

let example: string;
let roles: { lambda: string; sfn: string };

beforeAll(async () => {
  await resetMoto();
  await motoRecordOnly();
  example = copyProject(EXAMPLE);
  await s3.send(new CreateBucketCommand({ Bucket: EXAMPLE_BUCKET }));
  await uploadRaw(s3, example);
  await s3.send(new CreateBucketCommand({ Bucket: 'kedro-aws-fixtures' }));
  const iam = new IAMClient({ region: 'us-east-1' });
  const role = (name: string) =>
    iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
  roles = { lambda: await role('records-lambda'), sfn: await role('records-sfn') };
});

/** A step of the action on the example project (executor local: the groups run here, for real). */
function step(
  inputs: Record<string, string>,
  options: { runnerTemp?: string; env?: NodeJS.ProcessEnv; project?: string } = {},
) {
  return runInProcess(
    {
      'project-path': options.project ?? example,
      python: PYTHON,
      executor: 'local',
      'lambda-role-arn': roles.lambda,
      'sfn-role-arn': roles.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
      ...inputs,
    },
    {
      runnerTemp: options.runnerTemp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-records-')),
      env: options.env,
    },
  );
}

function failureOf(run: InProcessRun): string {
  expect(run.ok).toBe(false);
  return run.failure ?? '';
}

/** Every key under the example's `main/` outputs, with its content's ETag (what a stage wrote there). */
async function mainObjects(): Promise<string[]> {
  return (await listKeys(s3, 'main/')).sort();
}

describe('two stages sharing main/', () => {
  test('a second stage resolving to the same paths is refused at deploy, naming both stages and the datasets', async () => {
    const nightly = await step({ mode: 'package,deploy,run,verify', stage: 'nightly' });
    expect(nightly.failure).toBeUndefined();
    const pr = await step({ mode: 'package,deploy', stage: 'pr-2' });
    const message = failureOf(pr);
    expect(message).toMatch(/stage "pr-2" would write where another stage does/);
    expect(message).toMatch(
      /stage "nightly" writes there too: .*model_input_table \(s3:\/\/kedro-aws-example\/main\/03_primary\/model_input_table\.parquet\)/,
    );
    expect(message).toMatch(/runtime_params:output_prefix/);
    expect(message).toMatch(/"allow-shared-outputs: true"/);
    // Refused before anything was deployed.
    expect(pr.mutatingCalls.filter((c) => c.startsWith('lambda:') || c.startsWith('states:'))).toEqual([]);
  });

  test('teardown of a stage that never deployed or ran deletes no data', async () => {
    const before = await mainObjects();
    expect(before.length).toBeGreaterThan(0);
    const teardown = await step({ mode: 'package,teardown', stage: 'pr-3' });
    expect(teardown.failure).toBeUndefined();
    expect(await mainObjects()).toEqual(before);
  });

  test('shared on purpose: teardown of one stage keeps every object the other wrote (its verify still passes)', async () => {
    const prJob = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-records-'));
    const pr = await step(
      { mode: 'package,deploy,run,verify', stage: 'pr-4', 'allow-shared-outputs': 'true' },
      { runnerTemp: prJob },
    );
    expect(pr.failure).toBeUndefined();
    const prRun = pr.outputs['run-id']!;
    const nightlyVersions = (await listKeys(s3, 'main/06_models/regressor.pickle/')).filter((k) => !k.includes(prRun));
    expect(nightlyVersions.length).toBeGreaterThan(0);

    // nightly's unversioned outputs were rewritten by pr-4: tearing nightly down keeps them (and says so).
    const teardown = await step({ mode: 'package,teardown', stage: 'nightly' });
    expect(teardown.failure).toBeUndefined();
    const left = await listKeys(s3, 'main/');
    for (const version of nightlyVersions) expect(left).not.toContain(version);
    expect(left).toContain(`main/06_models/regressor.pickle/${prRun}/regressor.pickle`);
    expect(left).toContain('main/03_primary/model_input_table.parquet');
    const verify = await step({ mode: 'verify', stage: 'pr-4' }, { runnerTemp: prJob });
    expect(verify.failure).toBeUndefined();
    expect(verify.outputs.verified).toBe('true');
  });
});

describe('teardown finds what a stage owns by its tags and records', () => {
  test('a stage whose long name was cut and hashed in the function names is torn down whole', async () => {
    const stage = `feature-${'very-long-branch-name-'.repeat(3)}x`;
    const deployed = await step({ mode: 'package,deploy', stage, 'runtime-params': 'output_prefix=long' });
    expect(deployed.failure).toBeUndefined();
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const tagged = async () => {
      const names: string[] = [];
      for (const fn of (await lambda.send(new ListFunctionsCommand({}))).Functions ?? []) {
        const { Tags } = await lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }));
        if (Tags?.['kedro-aws:stage']?.startsWith('feature-very-long')) names.push(fn.FunctionName!);
      }
      return names;
    };
    expect((await tagged()).length).toBe(3);
    const teardown = await step({ mode: 'package,teardown', stage, 'runtime-params': 'output_prefix=long' });
    expect(teardown.failure).toBeUndefined();
    expect(await tagged()).toEqual([]);
  });

  test('teardown with a records bucket that does not exist names the bucket and what was already removed', async () => {
    const teardown = await step({
      mode: 'package,teardown',
      stage: 'gone',
      'run-records': 's3://no-such-records-bucket/x',
    });
    expect(failureOf(teardown)).toMatch(
      /^teardown: the bucket no-such-records-bucket of the run records \(s3:\/\/no-such-records-bucket\/x; input "run-records"\) does not exist, so no data of stage "gone" was removed\. Already removed: nothing\.$/,
    );
  });
});

describe('a versioned data bucket', () => {
  test('teardown deletes the versions its stage wrote, and only those; the other stage keeps its own', async () => {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: EXAMPLE_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    try {
      const jobA = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-records-'));
      const jobB = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-records-'));
      const chain = { mode: 'package,run,verify', 'runtime-params': 'output_prefix=ver' };
      expect((await step({ ...chain, stage: 'ver-a' }, { runnerTemp: jobA })).failure).toBeUndefined();
      expect((await step({ ...chain, stage: 'ver-b' }, { runnerTemp: jobB })).failure).toBeUndefined();
      const key = 'ver/03_primary/model_input_table.parquet';
      const versions = async () =>
        ((await s3.send(new ListObjectVersionsCommand({ Bucket: EXAMPLE_BUCKET, Prefix: key }))).Versions ?? []).map(
          (v) => v.VersionId!,
        );
      const before = await versions();
      expect(before).toHaveLength(2);

      const teardown = await step({ mode: 'package,teardown', stage: 'ver-a', 'runtime-params': 'output_prefix=ver' });
      expect(teardown.failure).toBeUndefined();
      const after = await versions();
      expect(after).toHaveLength(1);
      expect(before).toContain(after[0]);
      // ver-b's write is the one left, and it is still the latest: its verify passes.
      const verify = await step(
        { mode: 'verify', stage: 'ver-b', 'runtime-params': 'output_prefix=ver' },
        { runnerTemp: jobB },
      );
      expect(verify.failure).toBeUndefined();
    } finally {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: EXAMPLE_BUCKET, VersioningConfiguration: { Status: 'Suspended' } }),
      );
    }
  });
});

describe('verify trusts what this run recorded', () => {
  test('back-to-back runs where the second writes nothing to a partitioned output: verify fails naming it', async () => {
    const project = copyProject(path.join(FIXTURES, 'partitioned'));
    const first = await step({ mode: 'package,run,verify', stage: 'parts' }, { project });
    expect(first.failure).toBeUndefined();
    expect((await listKeys(s3, 'main/partitioned/parts/', 'kedro-aws-fixtures')).length).toBe(3);
    const second = await step({ mode: 'package,run,verify', stage: 'parts', 'runtime-params': 'parts=0' }, { project });
    expect(second.outputs.status).toBe('SUCCEEDED');
    expect(failureOf(second)).toMatch(
      /- parts \(s3:\/\/kedro-aws-fixtures\/main\/partitioned\/parts\): not-written, this run's records hold no object of it/,
    );
    // The partitions of the first run are still there: they are what a clock window would have counted.
    expect((await listKeys(s3, 'main/partitioned/parts/', 'kedro-aws-fixtures')).length).toBe(3);
  });

  test('an object overwritten by another run after this run wrote it: verify fails naming both runs', async () => {
    const jobA = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-records-'));
    const a = await step(
      { mode: 'package,run,verify', stage: 'ow-a', 'runtime-params': 'output_prefix=ow' },
      { runnerTemp: jobA },
    );
    expect(a.failure).toBeUndefined();
    const b = await step({ mode: 'package,run,verify', stage: 'ow-b', 'runtime-params': 'output_prefix=ow' });
    expect(b.failure).toBeUndefined();
    const again = await step(
      { mode: 'verify', stage: 'ow-a', 'runtime-params': 'output_prefix=ow' },
      { runnerTemp: jobA },
    );
    const message = failureOf(again);
    expect(message).toContain(`output(s) of run ${a.outputs['run-id']} are not right`);
    expect(message).toMatch(
      new RegExp(
        `model_input_table \\(.*\\): overwritten, .* was overwritten after this run wrote it, by run ${b.outputs['run-id']!.replace(/\./g, '\\.')} of stage "ow-b"`,
      ),
    );
  });
});

describe('a busy stage', () => {
  test('two runs of one stage at once: the second waits, and starts only when the first has ended', async () => {
    // Two jobs (processes, runner temp folders of their own) run the same stage at the same time.
    const inputs = {
      mode: 'package,run,verify',
      stage: 'busy',
      'runtime-params': 'output_prefix=busy',
      'project-path': example,
      python: PYTHON,
      executor: 'local',
    };
    const [first, second] = await Promise.all([
      runActionAsync(inputs),
      new Promise((r) => setTimeout(r, 1000)).then(() => runActionAsync(inputs)),
    ]);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    const record = (run: ActionRun) =>
      JSON.parse(fs.readFileSync(path.join(run.runnerTemp, 'kedro-aws-action', 'busy', 'local-run.json'), 'utf8')) as {
        startDate: string;
        stopDate: string;
      };
    const [a, b] = [record(first), record(second)].sort((x, y) => x.startDate.localeCompare(y.startDate));
    // The later run started after the earlier one had stopped: it never read the other's data in flight.
    expect(Date.parse(b!.startDate)).toBeGreaterThanOrEqual(Date.parse(a!.stopDate));
    expect(second.stdout + first.stdout).toMatch(/Stage "busy" is busy: waiting for run .+ to end/);
  });

  test('with "if-busy: fail", a run of a busy stage fails at once, naming the other run', async () => {
    const key = '.kedro-aws/spaceflights/held/lease.json';
    await s3.send(
      new PutObjectCommand({
        Bucket: EXAMPLE_BUCKET,
        Key: key,
        Body: JSON.stringify({
          kind: 'kedro-aws-lease',
          version: 1,
          holder: 'another-run',
          run_id: '2026-11-30T09.00.00.000Z',
          expires: Date.now() + 3_600_000,
          origin: { workflow_run_url: 'https://github.com/octo-org/octo-repo/actions/runs/7/attempts/1' },
          run: {},
        }),
      }),
    );
    const run = await step({ mode: 'package,run', stage: 'held', 'if-busy': 'fail' });
    expect(failureOf(run)).toBe(
      'stage "held" is busy: run 2026-11-30T09.00.00.000Z, workflow run https://github.com/octo-org/octo-repo/actions/runs/7/attempts/1 ' +
        'is still going ("if-busy: fail"). Wait for it, or set "if-busy: wait"',
    );
    expect(run.outputs['run-id']).toBeUndefined();
  });
});

describe('run identity', () => {
  test('two run steps of one workflow run attempt with different runtime params start two executions; the same step again follows its own', async () => {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-identity-'));
    const job = { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'smoke' };
    const sfn = new SFNClient({ region: 'us-east-1' });
    const deployed = await step(
      { mode: 'package,deploy', stage: 'two', 'runtime-params': 'output_prefix=two-a', executor: 'aws' },
      { runnerTemp, env: job },
    );
    expect(deployed.failure).toBeUndefined();
    const machine = deployed.outputs['state-machine-arn']!;
    const runStep = async (prefix: string, stepId: string) => {
      const packaged = await step(
        { mode: 'package', stage: 'two', 'runtime-params': `output_prefix=${prefix}` },
        { runnerTemp, env: job },
      );
      expect(packaged.failure).toBeUndefined();
      const run = await step(
        { mode: 'run', stage: 'two', 'runtime-params': `output_prefix=${prefix}`, executor: 'aws', wait: 'false' },
        { runnerTemp, env: { ...job, GITHUB_ACTION: stepId } },
      );
      expect(run.failure).toBeUndefined();
      // moto records executions without walking them: end it, as its groups would.
      const arn = run.outputs['execution-arn']!;
      if ((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status === 'RUNNING') {
        await sfn.send(new StopExecutionCommand({ executionArn: arn }));
      }
      return run.outputs['execution-arn']!;
    };
    const first = await runStep('two-a', 'run-a');
    const second = await runStep('two-b', 'run-b');
    expect(second).not.toBe(first);
    const again = await runStep('two-a', 'run-a');
    expect(again).toBe(first);
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? [];
    expect(executions.map((e) => e.executionArn).sort()).toEqual([first, second].sort());
  });
});
