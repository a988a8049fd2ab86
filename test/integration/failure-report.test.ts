/**
 * What a user sees when a run does not succeed, whatever the mode list: the job summary, the pull
 * request's comment and the stage's deployment status say so (group, cause), the `status` and `verified`
 * outputs are set, and only then does the step fail. And what never leaves the process: a credential the
 * action masked, or one shaped like an AWS key, is in none of the texts it publishes; its files under
 * RUNNER_TEMP are the runner's user's only, and no copy of a credentials file is left there.
 *
 * AWS is moto; the groups really run (executor local), except for the timeout, where moto's Step
 * Functions keeps the execution RUNNING and a fake clock lets the wait give up at once. GitHub is the
 * stand-in of test/support/github.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { WaitClock } from '../../src/lib/wait';
import { FakeGitHub } from '../support/github';
import { runInProcess } from '../support/inprocess';
import { motoRecordOnly, PYTHON, resetMoto } from '../support/moto';
import { setEnv, startIdTokenServer } from '../support/oidc';
import { copyProject, EXAMPLE } from '../support/projects';

const BUCKET = 'kedro-aws-example';
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'aa'.repeat(32)}`;
/** AWS's documentation example of an access key id: shaped like one, never real. */
const EXAMPLE_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

let runnerTemp: string;
let github: FakeGitHub;
let roles: { lambda: string; sfn: string };

beforeAll(async () => {
  await resetMoto();
  github = new FakeGitHub();
  await github.start();
  const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const raw = path.join(EXAMPLE, 'data', '01_raw');
  for (const file of fs.readdirSync(raw)) {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `01_raw/${file}`, Body: fs.readFileSync(path.join(raw, file)) }),
    );
  }
  const iam = new IAMClient({ region: 'us-east-1' });
  const role = (name: string) =>
    iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
  roles = { lambda: await role('failure-lambda'), sfn: await role('failure-sfn') };
});

afterAll(async () => {
  await github.stop();
});

beforeEach(() => {
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-failure-'));
});

/** The environment of a pull_request event for pull request `number` (the event file in RUNNER_TEMP). */
function pullRequest(number: number): NodeJS.ProcessEnv {
  const event = path.join(runnerTemp, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ number, pull_request: { number, head: { sha: 'c'.repeat(40) } } }));
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'octo/flights',
    GITHUB_SHA: 'd'.repeat(40),
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.baseUrl,
  };
}

/** The comment of a stage on the stand-in (there is one per stage). */
function commentOf(stage: string): string {
  const found = github.comments.filter((c) => (c.body ?? '').includes(`kedro-aws-action:stage=${stage} `));
  expect(found).toHaveLength(1);
  return found[0]!.body ?? '';
}

/** The example project, with `edit` applied to one of its files. */
function exampleWith(file: string, edit: (text: string) => string): string {
  const project = copyProject(EXAMPLE);
  const target = path.join(project, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  return project;
}

/** Every file and folder under `root`, with its permission bits. */
function modes(root: string): { path: string; mode: number }[] {
  return fs.readdirSync(root, { withFileTypes: true, recursive: true }).map((e) => {
    const p = path.join(e.parentPath, e.name);
    return { path: path.relative(root, p), mode: fs.lstatSync(p).mode & 0o777 };
  });
}

test('a group that fails in package,deploy,run,verify: the summary and the comment name it and its cause, the deployment fails, status FAILED and verified false', async () => {
  // data_processing reads a raw file that is not on S3 in this copy.
  const project = exampleWith('conf/aws/catalog.yml', (t) =>
    t.replace('01_raw/shuttles.csv', '01_raw/no-such-file.csv'),
  );
  const result = await runInProcess(
    {
      mode: 'package,deploy,run,verify',
      'project-path': project,
      python: PYTHON,
      executor: 'local',
      stage: 'pr-21',
      'github-token': 'ghs_test-token',
      'lambda-role-arn': roles.lambda,
      'sfn-role-arn': roles.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
    },
    { runnerTemp, env: pullRequest(21) },
  );

  expect(result.ok).toBe(false);
  expect(result.failure).toMatch(/group "data_processing" failed/);
  expect(result.outputs.status).toBe('FAILED');
  expect(result.outputs.verified).toBe('false');

  // The job summary: the verdict names the group, the failure section its cause.
  expect(result.summary.split('\n')[0]).toMatch(/❌ .*the run failed in group `data_processing`/);
  expect(result.summary).toContain('no-such-file.csv');
  expect(result.summary).toContain('```mermaid');

  // The pull request's comment says the same.
  const comment = commentOf('pr-21');
  expect(comment).toMatch(/the run failed in group `data_processing`/);
  expect(comment).toMatch(/\*\*❌ Failure in group `data_processing`:\*\*/);
  expect(comment).toContain('no-such-file.csv');

  // The stage's deployment: deployed (success), then the run failed (failure, saying why).
  const deployment = github.deployments.find((d) => d.environment === 'pr-21')!;
  const statuses = github.statuses.get(Number(deployment.id))!;
  expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'failure']);
  expect(statuses.at(-1)!.description).toMatch(/^Run failed: group "data_processing" failed/);
  expect(statuses.at(-1)!.log_url).toBe('https://github.com/octo/flights/actions/runs/4242');
});

test('a run that outlives timeout-minutes: the summary says it timed out, status TIMED_OUT and verified false', async () => {
  // Executions stay RUNNING in moto's record-only mode; the fake clock runs the wait out at once.
  await motoRecordOnly();
  let now = Date.now();
  const clock: WaitClock = { now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5 };
  const packaged = await runInProcess(
    { mode: 'package', 'project-path': copyProject(EXAMPLE), python: PYTHON, stage: 'slow' },
    { runnerTemp },
  );
  expect(packaged.failure).toBeUndefined();
  const result = await runInProcess(
    {
      mode: 'deploy,run,verify',
      stage: 'slow',
      'lambda-role-arn': roles.lambda,
      'sfn-role-arn': roles.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
      'timeout-minutes': '1',
      'poll-interval-seconds': '5',
      // pr-21 of the test above resolves to main/ too (this test is about the timeout, not the overlap).
      'allow-shared-outputs': 'true',
    },
    { runnerTemp, clock },
  );

  expect(result.ok).toBe(false);
  expect(result.failure).toMatch(/still running after 1 minute\(s\) \("timeout-minutes"\), so it was stopped/);
  expect(result.outputs.status).toBe('TIMED_OUT');
  expect(result.outputs.verified).toBe('false');
  expect(result.summary.split('\n')[0]).toMatch(/❌ .*the run timed out/);
  expect(result.summary).toContain(result.outputs['run-id']!);
  for (const group of ['data_processing', 'data_science', 'reporting']) expect(result.summary).toContain(group);
  // on-timeout: stop (the default) stopped it.
  const sfn = new SFNClient({ region: 'us-east-1' });
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: result.outputs['execution-arn'] }));
  expect(execution.status).toBe('ABORTED');
});

test('a credential the action masked, printed by a failing group, is in neither the summary, the comment nor the failure; nor is a string shaped like an AWS key', async () => {
  // The role's credentials come from GitHub OIDC (an ID token stand-in) and moto's STS; the groups get them.
  const tokens = await startIdTokenServer();
  const restoreEnv = setEnv(tokens.env());
  const masked: string[] = [];
  const setSecret = core.setSecret;
  const spy = jest.spyOn(core, 'setSecret').mockImplementation((value: string) => {
    masked.push(value);
    setSecret(value);
  });
  try {
    const project = exampleWith('src/spaceflights/pipelines/data_processing/nodes.py', (t) =>
      t.replace(
        '    """Turn the rating into a fraction and the IATA flag into a boolean."""\n',
        '    """Turn the rating into a fraction and the IATA flag into a boolean."""\n' +
          '    import os, sys\n' +
          '    print("leaked", os.environ["AWS_SECRET_ACCESS_KEY"], file=sys.stderr, flush=True)\n' +
          `    print("found ${EXAMPLE_KEY_ID} in a file", file=sys.stderr, flush=True)\n` +
          '    raise ValueError("cannot go on with session " + os.environ["AWS_SESSION_TOKEN"] + ' +
          `" and key ${EXAMPLE_KEY_ID}")\n`,
      ),
    );
    const result = await runInProcess(
      {
        mode: 'package,run,verify',
        'project-path': project,
        python: PYTHON,
        executor: 'local',
        stage: 'pr-22',
        'github-token': 'ghs_test-token',
        'role-to-assume': 'arn:aws:iam::123456789012:role/kedro-ci',
      },
      { runnerTemp, env: pullRequest(22) },
    );
    expect(result.ok).toBe(false);
    expect(result.outputs.status).toBe('FAILED');
    expect(result.outputs.verified).toBe('false');

    // The role session's keys and token were masked (and the ID token).
    const secrets = masked.filter((v) => v !== 'ghs_test-token');
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const comment = commentOf('pr-22');
    const published = { summary: result.summary, comment, failure: result.failure ?? '' };
    for (const [where, text] of Object.entries(published)) {
      for (const secret of [...secrets, EXAMPLE_KEY_ID]) {
        expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
      }
    }
    // What was there is shown masked: the group and the error are still named.
    expect(result.summary).toMatch(/the run failed in group `data_processing` with `ValueError`/);
    expect(result.summary).toContain('cannot go on with session *** and key ***');
    expect(comment).toContain('cannot go on with session *** and key ***');
    expect(result.failure).toContain('cannot go on with session *** and key ***');
  } finally {
    spy.mockRestore();
    restoreEnv();
    await tokens.close();
  }
});

test("after a local run the action's files under RUNNER_TEMP are the runner's user's only, and no credentials file is left", async () => {
  // Kedro's credentials files in the project's conf (not used by its catalog): kedro package archives them.
  const project = copyProject(EXAMPLE);
  const credentials = `dev_s3:\n  key: ${EXAMPLE_KEY_ID}\n  secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`;
  fs.writeFileSync(path.join(project, 'conf', 'aws', 'credentials.yml'), credentials);
  fs.writeFileSync(path.join(project, 'conf', 'base', 'credentials.yml'), credentials);
  const result = await runInProcess(
    { mode: 'package,run,verify', 'project-path': project, python: PYTHON, executor: 'local', stage: 'files' },
    { runnerTemp },
  );
  expect(result.failure).toBeUndefined();
  expect(result.outputs.verified).toBe('true');

  const root = path.join(runnerTemp, 'kedro-aws-action');
  const all = [{ path: '.', mode: fs.statSync(root).mode & 0o777 }, ...modes(root)];
  // The state, the plan, the reports, the local image (site and conf) and what the groups left.
  expect(all.map((e) => e.path)).toEqual(
    expect.arrayContaining([
      'files/state.json',
      'files/plan.json',
      'files/verify-report.json',
      'files/local-run.json',
      'files/local/image/image.json',
      'files/local/image/task/conf/aws/catalog.yml',
    ]),
  );
  expect(all.filter((e) => (e.mode & 0o077) !== 0)).toEqual([]);
  for (const file of ['state.json', 'plan.json', 'verify-report.json', 'local-run.json']) {
    expect(fs.statSync(path.join(root, 'files', file)).mode & 0o777).toBe(0o600);
  }
  // The archive held the credentials files; no copy of them anywhere under RUNNER_TEMP.
  expect(modes(runnerTemp).filter((e) => /credentials/i.test(path.basename(e.path)))).toEqual([]);
});
