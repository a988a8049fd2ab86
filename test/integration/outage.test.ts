/**
 * Outages are survived (issue 13): a TCP proxy on loopback (test/support/proxy.ts) stands between the
 * action and moto, and cuts the connections while `run` waits: real connections fail (socket hang up,
 * ECONNREFUSED), nothing is mocked. The action runs in this process with a clock of the test's: time
 * on it passes with the wait's sleeps (each also sleeps a little for real, so moto moves on), so a
 * 60 s outage or five minutes without an answer take seconds. The proxy follows that clock.
 *
 * And the post step: it stops an execution only when the job was cancelled or timed out, never
 * because the main step failed on its own error (an outage, `on-timeout: leave`).
 *
 * A moto server of its own: the suite switches Step Functions between executing and record-only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { sfnClient } from '../../src/aws/clients';
import { AwsCallError, awsErrorKind, isTransientAwsError } from '../../src/aws/errors';
import { describeExecution } from '../../src/aws/stepfunctions';
import type { WaitClock } from '../../src/lib/wait';
import { parseOutputFile, runPost } from '../support/action';
import { type InProcessRun, runInProcess } from '../support/inprocess';
import {
  createDataBuckets,
  type MotoServer,
  motoExecuteStateMachines,
  motoRecordOnly,
  PYTHON,
  startMoto,
} from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';
import { type FlakyProxy, type ProxyMode, startProxy } from '../support/proxy';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`;
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const SECOND = 1000;

let moto: MotoServer;
let sfn: SFNClient;
let runnerTemp: string;
let roles: { lambda: string; sfn: string };
let plan: string;

beforeAll(async () => {
  moto = await startMoto();
  await createDataBuckets(moto.endpoint);
  sfn = new SFNClient({ region: 'us-east-1', endpoint: moto.endpoint });
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint });
  const lambda = await iam.send(new CreateRoleCommand({ RoleName: 'kedro-lambda', AssumeRolePolicyDocument: TRUST }));
  const machine = await iam.send(new CreateRoleCommand({ RoleName: 'kedro-sfn', AssumeRolePolicyDocument: TRUST }));
  roles = { lambda: lambda.Role!.Arn!, sfn: machine.Role!.Arn! };
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-outage-'));
  const packaged = await runInProcess(
    { mode: 'package', 'project-path': copyProject(EXAMPLE), python: PYTHON, stage: 'outage' },
    { runnerTemp },
  );
  if (!packaged.ok) throw new Error(`package failed: ${packaged.failure}`);
  plan = packaged.outputs.plan!;
});

afterAll(async () => {
  await moto?.stop();
});

/**
 * The test's clock: its time moves by what the wait sleeps, and each sleep also takes 1/40 of it for
 * real (at most 0.5 s), so moto's executions move on meanwhile. `onSleep` runs after each sleep.
 */
function testClock(onSleep: (now: number) => Promise<void>): WaitClock & { sleeps: number } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = {
    sleeps: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.sleeps++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms / 40, 500)));
      await onSleep(now);
    },
    random: Math.random,
  };
  return clock;
}

/**
 * Cuts the proxy (`mode`) at the wait's first sleep (the execution has started and been seen once)
 * for `forMs` of the clock's time (Infinity: never back).
 */
function outage(proxy: FlakyProxy, mode: ProxyMode, forMs: number) {
  const seen = { start: undefined as number | undefined, end: undefined as number | undefined };
  const clock = testClock(async (now) => {
    if (seen.start === undefined) {
      seen.start = now;
      await proxy.set(mode);
    } else if (seen.end === undefined && now - seen.start >= forMs) {
      seen.end = now;
      await proxy.set('pass');
    }
  });
  return { clock, seen };
}

/** The action in this process, its AWS calls through the proxy. */
async function runThrough(
  proxy: FlakyProxy,
  inputs: Record<string, string>,
  clock: WaitClock,
  stage: string,
): Promise<InProcessRun> {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    return await runInProcess(
      {
        'lambda-role-arn': roles.lambda,
        'sfn-role-arn': roles.sfn,
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
        plan,
        stage,
        'poll-interval-seconds': '1',
        // Few SDK retries: what survives the outage is the wait, not the client's retries.
        'max-retries': '2',
        ...inputs,
      },
      { runnerTemp, clock },
    );
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
}

async function deploy(stage: string): Promise<string> {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  try {
    const deployed = await runInProcess(
      {
        mode: 'deploy',
        'lambda-role-arn': roles.lambda,
        'sfn-role-arn': roles.sfn,
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
        plan,
        stage,
        // Several stages of one plan, all on main/: this suite is about outages, not shared outputs.
        'allow-shared-outputs': 'true',
      },
      { runnerTemp },
    );
    if (!deployed.ok) throw new Error(`deploy failed: ${deployed.failure}`);
    return deployed.outputs['state-machine-arn']!;
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
}

/** What the main step left for the post step, as the runner hands it over (the last value of each key). */
function postState(): Record<string, string> {
  return parseOutputFile(fs.readFileSync(path.join(runnerTemp, 'github_state'), 'utf8'));
}

function post() {
  return runPost({ AWS_ENDPOINT_URL: moto.endpoint }, path.join(runnerTemp, 'github_state'));
}

async function statusOf(executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

describe('a run through an outage', () => {
  let proxy: FlakyProxy;
  beforeEach(async () => {
    proxy = await startProxy(moto.endpoint);
  });
  afterEach(async () => {
    await proxy.close();
  });

  test('the proxy drops every connection for 60 s during the wait: the run is followed to SUCCEEDED', async () => {
    await motoExecuteStateMachines(moto.endpoint);
    const stage = 'drop';
    const deployed = await deploy(stage);
    // The deployed machine with a 3 s Wait first (moto waits for real): still RUNNING when the outage starts.
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: deployed }));
    const original = JSON.parse(definition!) as { StartAt: string; States: Record<string, unknown> };
    const held = await sfn.send(
      new CreateStateMachineCommand({
        name: 'spaceflights-drop-held',
        roleArn: roles.sfn,
        definition: JSON.stringify({
          StartAt: 'Hold',
          States: { Hold: { Type: 'Wait', Seconds: 3, Next: original.StartAt }, ...original.States },
        }),
      }),
    );
    const { clock, seen } = outage(proxy, 'drop', 60 * SECOND);

    const result = await runThrough(proxy, { mode: 'run', 'state-machine-arn': held.stateMachineArn! }, clock, stage);

    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.outputs.status).toBe('SUCCEEDED');
    // The outage was real and lasted 60 s of the wait's time: connections were dropped, polls failed.
    expect(seen.end! - seen.start!).toBeGreaterThanOrEqual(60 * SECOND);
    expect(proxy.dropped).toBeGreaterThanOrEqual(3);
    // Under jest the SDK sees Node's errors from another realm and keeps only their text: no code here.
    expect(result.notices[0]).toMatch(
      /^states:(DescribeExecution|GetExecutionHistory) on execution \S+ failed: socket hang up/,
    );
    expect(result.notices[0]).toMatch(/\nAWS could not be reached from the runner/);
    expect(result.notices[0]).toMatch(/\nStill waiting; the wait gives up after 5m 00s without an answer\.$/);
    expect(result.notices.length).toBeLessThanOrEqual(2);
    expect(await statusOf(result.outputs['execution-arn']!)).toBe('SUCCEEDED');
    expect(postState()['waiting-execution-arn']).toBe('');
  });

  test('refused for good: the step fails after five minutes saying what it was doing and what to check; the post step leaves the run alone', async () => {
    await motoRecordOnly(moto.endpoint);
    const stage = 'refused';
    await deploy(stage);
    const { clock, seen } = outage(proxy, 'refuse', Infinity);

    const result = await runThrough(proxy, { mode: 'run' }, clock, stage);

    expect(result.ok).toBe(false);
    const executionArn = result.outputs['execution-arn']!;
    const failure = result.failure!;
    expect(failure).toMatch(
      new RegExp(
        `^AWS calls kept failing while waiting for execution ${executionArn}: \\d+ call\\(s\\) failed in a row over 5m 00s; ` +
          `the last: states:(DescribeExecution|GetExecutionHistory) on execution ${executionArn} failed: connect ECONNREFUSED`,
      ),
    );
    expect(failure).toContain(`the region (input "aws-region") and the endpoint AWS_ENDPOINT_URL=${proxy.endpoint}`);
    expect(failure).toMatch(
      /\nThe execution was left running: https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\//,
    );
    expect(seen.start).toBeDefined();
    // A notice at most once a minute: the first at once, then about each minute (polls are 30 s apart).
    expect(result.notices.length).toBeGreaterThanOrEqual(4);
    expect(result.notices.length).toBeLessThanOrEqual(5);

    // The main step ended by itself: no record for the post step, which stops nothing.
    expect(postState()['waiting-execution-arn']).toBe('');
    const after = post();
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(
      'Nothing to stop: the main step was not cancelled or timed out while waiting on a run.',
    );
    expect(after.stdout).not.toMatch(/Stopped execution/);
    expect(await statusOf(executionArn)).toBe('RUNNING');
  });
});

describe('timeout-minutes, and what the post step does after', () => {
  let proxy: FlakyProxy;
  beforeAll(async () => {
    await motoRecordOnly(moto.endpoint);
    proxy = await startProxy(moto.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  test('on-timeout: stop stops the execution in the main step; the post step has nothing left to stop', async () => {
    const stage = 'tostop';
    await deploy(stage);
    const result = await runThrough(
      proxy,
      { mode: 'run', 'timeout-minutes': '1', 'on-timeout': 'stop' },
      testClock(async () => undefined),
      stage,
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/still running after 1 minute\(s\) \("timeout-minutes"\), so it was stopped/);
    const executionArn = result.outputs['execution-arn']!;
    expect(await statusOf(executionArn)).toBe('ABORTED');
    expect(postState()['waiting-execution-arn']).toBe('');
    expect(post().stdout).toContain('Nothing to stop');
  });

  test('on-timeout: leave leaves the execution running, and the post step does not stop it', async () => {
    const stage = 'toleave';
    await deploy(stage);
    const result = await runThrough(
      proxy,
      { mode: 'run', 'timeout-minutes': '1', 'on-timeout': 'leave' },
      testClock(async () => undefined),
      stage,
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/it was left running \("on-timeout: leave"\)/);
    expect(postState()['waiting-execution-arn']).toBe('');
    const after = post();
    expect(after.stdout).not.toMatch(/Stopped execution/);
    expect(await statusOf(result.outputs['execution-arn']!)).toBe('RUNNING');
  });
});

describe('a network that goes silent', () => {
  test('a call on a connection that never answers ends at the socket timeout, as a network error the waits go through', async () => {
    const proxy = await startProxy(moto.endpoint);
    try {
      await proxy.set('silent');
      const client = sfnClient({
        region: 'us-east-1',
        maxAttempts: 1,
        endpoint: proxy.endpoint,
        timeouts: { socketMs: 500 },
      });
      const started = Date.now();
      const error = await describeExecution(
        client,
        'arn:aws:states:us-east-1:123456789012:execution:spaceflights-silent:run',
      ).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(AwsCallError);
      expect(awsErrorKind(error)).toBe('network');
      expect(isTransientAwsError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^states:DescribeExecution on execution \S+ failed: .*timed out/);
    } finally {
      await proxy.close();
    }
  });
});
