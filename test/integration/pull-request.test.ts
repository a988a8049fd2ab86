/**
 * On a simulated pull_request event (an event payload file, as the runner writes it), the chain posts
 * one comment for the stage and updates it on the next push, and the stage's GitHub deployment follows
 * its life through teardown. AWS is moto; GitHub is a stand-in on loopback (test/support/github.ts),
 * since no GitHub API is reachable here. The GitHub calls of each step are kept in
 * test/fixtures/github-calls/pull-request.json (`UPDATE_GITHUB_CALLS=1` rewrites it), which the token
 * permission test (test/unit/github-permissions.test.ts) checks against our workflows and templates.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FakeGitHub } from '../support/github';
import {
  type RecordedStep,
  readRecordedCalls,
  recordedStep,
  scenarioOf,
  writeRecordedCalls,
} from '../support/github-api-permissions';
import { runInProcess } from '../support/inprocess';
import { motoExecuteStateMachines, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

test('a pull request gets one comment per stage, updated on the next push; its deployment ends inactive', async () => {
  await resetMoto();
  await motoExecuteStateMachines();
  const github = new FakeGitHub();
  await github.start();
  try {
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-pr-'));
    const project = copyProject(EXAMPLE);
    await s3.send(new CreateBucketCommand({ Bucket: 'kedro-aws-example' }));
    for (const file of fs.readdirSync(path.join(project, 'data', '01_raw'))) {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'kedro-aws-example',
          Key: `01_raw/${file}`,
          Body: fs.readFileSync(path.join(project, 'data', '01_raw', file)),
        }),
      );
    }
    const iam = new IAMClient({ region: 'us-east-1' });
    const role = (name: string) =>
      iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
    const event = path.join(runnerTemp, 'event.json');
    fs.writeFileSync(event, JSON.stringify({ number: 7, pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } }));
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: 'octo/flights',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: github.baseUrl,
    };
    const inputs = {
      'project-path': project,
      python: PYTHON,
      executor: 'local',
      'github-token': 'ghs_test-token',
      'runtime-params': 'output_prefix=pr-7',
      'lambda-role-arn': await role('l'),
      'sfn-role-arn': await role('s'),
      'image-uri': `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'aa'.repeat(32)}`,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
    };

    // Each step's GitHub calls, for the permission test.
    const steps: RecordedStep[] = [];
    const step = async (mode: string) => {
      const before = github.calls.length;
      const result = await runInProcess({ ...inputs, mode }, { runnerTemp, env });
      steps.push(recordedStep(mode, env.GITHUB_EVENT_NAME, github.calls.slice(before)));
      return result;
    };

    const first = await step('package,deploy,run,verify');
    expect(first.failure).toBeUndefined();
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('<!-- kedro-aws-action:stage=pr-7 -->');
    expect(github.comments[0]!.body).toContain('```mermaid');
    const commentId = github.comments[0]!.id;

    // The next push: the same stage, the same comment, updated.
    const second = await step('package,deploy,run,verify');
    expect(second.failure).toBeUndefined();
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.id).toBe(commentId);
    expect(github.requests.filter((r) => r.startsWith('PATCH ')).length).toBe(1);

    // Deployments of environment pr-7, at the pull request's head commit, ending in success with the console URL.
    expect(github.deployments.map((d) => [d.environment, d.sha])).toEqual([
      ['pr-7', 'b'.repeat(40)],
      ['pr-7', 'b'.repeat(40)],
    ]);
    const states = github.deployments.map((d) => (github.statuses.get(Number(d.id)) ?? []).map((s) => s.state));
    expect(states[0]).toEqual(expect.arrayContaining(['in_progress', 'success']));
    expect(
      github.statuses.get(Number(github.deployments[1]!.id))!.find((s) => s.state === 'success')!.environment_url,
    ).toMatch(/states\/home\?region=us-east-1#\/statemachines\/view\/arn:aws:states/);

    const teardown = await step('package,teardown');
    expect(teardown.failure).toBeUndefined();
    for (const d of github.deployments) expect(github.statuses.get(Number(d.id))!.at(-1)!.state).toBe('inactive');

    // Exposed, not asserted on here: the file the permission test reads is what this scenario called.
    if (process.env.UPDATE_GITHUB_CALLS) writeRecordedCalls(scenarioOf(steps));
    expect(scenarioOf(steps)).toEqual(readRecordedCalls());
  } finally {
    await github.stop();
  }
});
