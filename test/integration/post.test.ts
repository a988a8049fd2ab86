/**
 * The post step (dist/post/index.js, as the runner starts it) under `role-to-assume`: it gets GitHub
 * OIDC credentials through the same helper as the main step, for both targets, and stops what `run`
 * was waiting on. The step's environment has no AWS credentials at all, so every call it makes is
 * signed with the role session (moto's STS accepts the stand-in's token).
 *
 * A moto server of its own: Batch in its regular mode (not the "simple" one, which finishes every job
 * at submit), where a job that depends on a job that never ends stays PENDING until terminated.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { batchClient, sfnClient } from '../../src/aws/clients';
import { inputEnv, runPostAsync } from '../support/action';
import { type MotoServer, startMoto } from '../support/moto';
import { type IdTokenServer, startIdTokenServer } from '../support/oidc';

const REGION = 'us-east-1';
const ROLE = 'arn:aws:iam::123456789012:role/kedro-deploy';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let moto: MotoServer;
let tokens: IdTokenServer;
let batch: BatchClient;
let sfn: SFNClient;

beforeAll(async () => {
  moto = await startMoto();
  tokens = await startIdTokenServer();
  batch = batchClient({ region: REGION, maxAttempts: 3, endpoint: moto.endpoint });
  sfn = sfnClient({ region: REGION, maxAttempts: 3, endpoint: moto.endpoint });
});
afterAll(async () => {
  await tokens?.close();
  await moto?.stop();
});

/** A GITHUB_STATE file as the main step leaves it (what runPost hands the post step as STATE_*). */
function stateFile(state: Record<string, string>): string {
  const file = path.join(os.tmpdir(), `kedro-aws-post-state-${randomUUID()}`);
  fs.writeFileSync(
    file,
    Object.entries(state)
      .map(([k, v]) => `${k}<<EOF\n${v}\nEOF\n`)
      .join(''),
  );
  return file;
}

/** The environment of a step with no AWS credentials anywhere (no keys, no profile, no instance metadata). */
const NO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: 'kedro-aws-none',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** The post step as the runner starts it after a cancelled main step: inputs, saved state, no AWS keys. */
function postUnderOidc(state: Record<string, string>) {
  return runPostAsync(
    {
      ...tokens.env(),
      ...inputEnv({ 'role-to-assume': ROLE, audience: 'sts.amazonaws.com' }),
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: REGION,
      ...NO_CREDENTIALS,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '1',
    },
    stateFile(state),
  );
}

test('target batch: the post step assumes the role with GitHub OIDC and terminates the unfinished jobs', async () => {
  const iam = new IAMClient({ region: REGION, endpoint: moto.endpoint });
  const service = await iam.send(new CreateRoleCommand({ RoleName: 'batch-service', AssumeRolePolicyDocument: TRUST }));
  const ce = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'post-ce',
      type: 'UNMANAGED',
      state: 'ENABLED',
      serviceRole: service.Role!.Arn!,
    }),
  );
  const queue = await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: 'post-queue',
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
    }),
  );
  const definition = await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'post-test',
      type: 'container',
      containerProperties: {
        image: 'busybox',
        command: ['true'],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '512' },
        ],
      },
    }),
  );
  // Waiting on a job that never ends: they stay PENDING, as jobs behind a long group would.
  const never = randomUUID();
  const ids: string[] = [];
  for (const name of ['group-a', 'group-b']) {
    const job = await batch.send(
      new SubmitJobCommand({
        jobName: name,
        jobQueue: queue.jobQueueArn!,
        jobDefinition: definition.jobDefinitionArn!,
        dependsOn: [{ jobId: never }],
      }),
    );
    ids.push(job.jobId!);
  }
  tokens.requests.length = 0;

  const post = await postUnderOidc({
    'waiting-batch-jobs': JSON.stringify({ region: REGION, runId: 'r-1', jobIds: ids }),
  });

  expect(post.stdout).toMatch(/Terminated 2 unfinished Batch job\(s\) of run r-1/);
  expect(post.stdout).not.toMatch(/Could not/);
  expect(post.code).toBe(0);
  expect(tokens.requests.map((r) => r.audience)).toContain('sts.amazonaws.com');
  let statuses: (string | undefined)[] = [];
  for (let i = 0; i < 20; i++) {
    const described = await batch.send(new DescribeJobsCommand({ jobs: ids }));
    statuses = (described.jobs ?? []).map((j) => j.status);
    if (statuses.every((s) => s === 'FAILED')) {
      expect((described.jobs ?? []).map((j) => j.statusReason)).toEqual(
        ids.map(() => 'the GitHub Actions job was cancelled while waiting for run r-1'),
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(statuses).toEqual(['FAILED', 'FAILED']);
});

test('target step-functions: the post step assumes the role with GitHub OIDC and stops the execution', async () => {
  // moto's default: executions are recorded and stay RUNNING.
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'post-test',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } } }),
    }),
  );
  const execution = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn!, name: 'run-42' }),
  );
  tokens.requests.length = 0;

  const post = await postUnderOidc({ 'waiting-execution-arn': execution.executionArn! });

  expect(post.stdout).toMatch(/Stopped execution .*:execution:post-test:run-42: the job ended while waiting for it/);
  expect(post.code).toBe(0);
  expect(tokens.requests.map((r) => r.audience)).toContain('sts.amazonaws.com');
  const after = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn! }));
  expect(after.status).toBe('ABORTED');
});

test('without role-to-assume and with no credentials, the post step warns what it could not stop and exits 0', async () => {
  tokens.requests.length = 0;
  const post = await runPostAsync(
    { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: REGION, ...NO_CREDENTIALS },
    stateFile({ 'waiting-batch-jobs': JSON.stringify({ region: REGION, runId: 'r-2', jobIds: ['j-1'] }) }),
  );
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/::warning::Could not terminate the Batch jobs of the run: /);
  // Without role-to-assume, no ID token is asked for.
  expect(tokens.requests).toEqual([]);
});
