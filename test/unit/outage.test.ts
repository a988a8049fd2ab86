/**
 * Waits survive outages (issue 13): network errors, server errors and throttling count as "still
 * waiting" for five minutes in a row, with a notice at most once a minute; then the wait fails saying
 * what it was doing and what to check. An error waiting will not fix fails at once.
 *
 * The clock is a fake one (no real waiting). The services are scripted: moto cannot throttle or answer
 * 5xx, and the network failures are Node's errors as the http module throws them. The same outage with
 * real connections failing is test/integration/outage.test.ts.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import { type SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import { isTransientAwsError } from '../../src/aws/errors';
import type { ModeContext } from '../../src/context/context';
import {
  callThroughOutage,
  DEFAULT_BACKOFF,
  OUTAGE_NOTICE_INTERVAL_MS,
  OUTAGE_TOLERANCE_MS,
  OutageError,
  type OutagePolicy,
  pollUntil,
  type WaitClock,
} from '../../src/lib/wait';
import { buildJobGraph } from '../../src/plan/batch';
import { buildPlan } from '../../src/plan/planner';
import { post } from '../../src/post/post';
import { POST_STATE_BATCH_JOBS } from '../../src/targets/batch/cancel';
import { waitForBatchRun } from '../../src/targets/batch/run';
import { waitForJobs } from '../../src/targets/batch/wait';
import { POST_STATE_EXECUTION } from '../../src/targets/stepfunctions/cancel';
import { waitForExecution } from '../../src/targets/stepfunctions/execution';
import { waitForStateMachineRun } from '../../src/targets/stepfunctions/run';
import { group, makePlan } from './plan/fixtures';

const MINUTE = 60_000;
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-dev:run1';

function fakeClock(): WaitClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
    random: () => 0.5,
  };
  return clock;
}

const hangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
const unavailable = () =>
  new SFNServiceException({
    name: 'ServiceUnavailable',
    message: 'Service Unavailable',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });
const throttled = () =>
  new SFNServiceException({
    name: 'ThrottlingException',
    message: 'Rate exceeded',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
const denied = () =>
  new SFNServiceException({
    name: 'AccessDeniedException',
    message:
      'User: arn:aws:sts::123456789012:assumed-role/kedro-deploy/gh is not authorized to perform: states:DescribeExecution',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
const transientErrors = [hangUp, refused, unavailable, throttled];

/** A policy that records what it says, with the clock's time. */
function recordingPolicy(clock: WaitClock) {
  const notices: { at: number; message: string }[] = [];
  const infos: string[] = [];
  const policy: OutagePolicy = {
    transient: isTransientAwsError,
    notice: (message) => notices.push({ at: clock.now(), message }),
    info: (message) => infos.push(message),
  };
  return { policy, notices, infos };
}

/** A poll that fails (cycling through the transient errors) while `failing(now)` says so, else answers. */
function flakyPoll(clock: WaitClock, failing: (now: number) => boolean, doneAt = Infinity) {
  let calls = 0;
  const poll = async () => {
    calls++;
    if (failing(clock.now())) throw transientErrors[calls % transientErrors.length]!();
    return clock.now() >= doneAt ? { done: true as const, value: 'SUCCEEDED' } : { done: false as const };
  };
  return { poll, calls: () => calls };
}

describe('a wait through an outage', () => {
  test('survives four minutes of network errors, 5xx and throttling, then follows the run to its end', async () => {
    const clock = fakeClock();
    const { policy, notices, infos } = recordingPolicy(clock);
    const { poll } = flakyPoll(clock, (t) => t >= MINUTE && t < 5 * MINUTE, 6 * MINUTE);
    const value = await pollUntil(poll, { timeoutMs: 60 * MINUTE, backoff: DEFAULT_BACKOFF, clock, outage: policy });
    expect(value).toBe('SUCCEEDED');
    expect(notices.length).toBeGreaterThanOrEqual(4);
    expect(infos).toEqual([
      expect.stringMatching(/^AWS answers again after 4m 0\ds \(\d+ failed call\(s\)\); still waiting$/),
    ]);
  });

  test('says so at most once a minute, each time with the failed call and how long it has failed', async () => {
    const clock = fakeClock();
    const { policy, notices } = recordingPolicy(clock);
    const { poll, calls } = flakyPoll(clock, () => true);
    await expect(
      pollUntil(poll, {
        timeoutMs: 60 * MINUTE,
        backoff: { initialSeconds: 1, maxSeconds: 5, factor: 1.5 },
        clock,
        outage: policy,
      }),
    ).rejects.toBeInstanceOf(OutageError);
    // Polls every few seconds, notices once a minute.
    expect(calls()).toBeGreaterThan(50);
    expect(notices.length).toBe(5);
    for (let i = 1; i < notices.length; i++) {
      expect(notices[i]!.at - notices[i - 1]!.at).toBeGreaterThanOrEqual(OUTAGE_NOTICE_INTERVAL_MS);
    }
    expect(notices[0]!.message).toMatch(/\nStill waiting; the wait gives up after 5m 00s without an answer\.$/);
    expect(notices[1]!.message).toMatch(
      /\nStill waiting: \d+ failed calls in a row over 1m 0\ds; the wait gives up after 5m 00s/,
    );
  });

  test('fails once the calls have failed for five minutes in a row, with the last error', async () => {
    const clock = fakeClock();
    const { policy } = recordingPolicy(clock);
    const { poll } = flakyPoll(clock, (t) => t >= 2 * MINUTE);
    const error = await pollUntil(poll, {
      timeoutMs: 60 * MINUTE,
      backoff: DEFAULT_BACKOFF,
      clock,
      outage: policy,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutageError);
    const outage = error as OutageError;
    // Gives up right at the tolerance: the last try is made when it runs out, not a backoff later.
    expect(outage.failingMs).toBe(OUTAGE_TOLERANCE_MS);
    expect(clock.t).toBeGreaterThanOrEqual(2 * MINUTE + OUTAGE_TOLERANCE_MS);
    expect(clock.t).toBeLessThan(2 * MINUTE + OUTAGE_TOLERANCE_MS + 30_000);
    expect(outage.message).toMatch(/^\d+ call\(s\) failed in a row over 5m 00s; the last: /);
  });

  test('an answer starts the count again: two four-minute outages are both survived', async () => {
    const clock = fakeClock();
    const { policy, infos } = recordingPolicy(clock);
    const down = (t: number) => (t >= MINUTE && t < 5 * MINUTE) || (t >= 6 * MINUTE && t < 10 * MINUTE);
    const { poll } = flakyPoll(clock, down, 12 * MINUTE);
    await expect(
      pollUntil(poll, { timeoutMs: 60 * MINUTE, backoff: DEFAULT_BACKOFF, clock, outage: policy }),
    ).resolves.toBe('SUCCEEDED');
    expect(infos).toHaveLength(2);
  });

  test('an error waiting will not fix (access denied) fails at once, with no notice', async () => {
    const clock = fakeClock();
    const { policy, notices } = recordingPolicy(clock);
    let calls = 0;
    const error = await pollUntil(
      async () => {
        calls++;
        throw denied();
      },
      { timeoutMs: 60 * MINUTE, backoff: DEFAULT_BACKOFF, clock, outage: policy },
    ).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AccessDeniedException');
    expect(calls).toBe(1);
    expect(notices).toEqual([]);
  });

  test('a host that does not resolve fails at once on the first call, and is waited through after an answer', async () => {
    const dns = () =>
      Object.assign(new Error('getaddrinfo ENOTFOUND states.xx-east-9.amazonaws.com'), { code: 'ENOTFOUND' });
    const clock = fakeClock();
    const { policy } = recordingPolicy(clock);
    let calls = 0;
    await expect(
      pollUntil(
        async () => {
          calls++;
          throw dns();
        },
        { timeoutMs: MINUTE, backoff: DEFAULT_BACKOFF, clock, outage: policy },
      ),
    ).rejects.toThrow(/ENOTFOUND/);
    expect(calls).toBe(1);

    let round = 0;
    const value = await pollUntil(
      async () => {
        round++;
        if (round === 1) return { done: false };
        if (round < 5) throw dns();
        return { done: true, value: 'SUCCEEDED' };
      },
      { timeoutMs: 60 * MINUTE, backoff: DEFAULT_BACKOFF, clock, outage: policy },
    );
    expect(value).toBe('SUCCEEDED');
  });

  test('without a policy, a failing poll fails the wait as before', async () => {
    const clock = fakeClock();
    await expect(
      pollUntil(
        async () => {
          throw hangUp();
        },
        { timeoutMs: MINUTE, backoff: DEFAULT_BACKOFF, clock },
      ),
    ).rejects.toThrow('socket hang up');
  });

  test('one read goes through an outage as a wait does', async () => {
    const clock = fakeClock();
    const { policy } = recordingPolicy(clock);
    let calls = 0;
    const value = await callThroughOutage(
      async () => {
        calls++;
        if (clock.now() < 2 * MINUTE) throw throttled();
        return 'answer';
      },
      { backoff: DEFAULT_BACKOFF, clock, outage: policy },
    );
    expect(value).toBe('answer');
    expect(calls).toBeGreaterThan(3);
  });
});

/** A Step Functions client whose DescribeExecution follows `answer(now)` (scripted: see the file comment). */
function scriptedSfn(clock: WaitClock, answer: (now: number) => Error | string) {
  const calls: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string } }) => {
      const name = command.constructor.name;
      calls.push(name);
      const a = answer(clock.now());
      if (a instanceof Error) throw a;
      if (name === 'DescribeExecutionCommand') return { executionArn: EXECUTION, status: a, startDate: new Date(0) };
      if (name === 'GetExecutionHistoryCommand') return { events: [] };
      throw new Error(`unexpected ${name}`);
    },
  } as unknown as SFNClient;
  return { client, calls };
}

describe('the Step Functions wait through an outage', () => {
  const deployment = buildPlan(makePlan(), { stage: 'dev' });
  let notices: string[];
  let infos: string[];
  beforeEach(() => {
    notices = [];
    infos = [];
    jest.spyOn(core, 'notice').mockImplementation((m: string | Error) => void notices.push(String(m)));
    jest.spyOn(core, 'info').mockImplementation((m: string) => void infos.push(m));
  });
  afterEach(() => jest.restoreAllMocks());

  const options = (clock: WaitClock) => ({
    timeoutMinutes: 60,
    pollIntervalSeconds: 5,
    onTimeout: 'stop' as const,
    clock,
  });

  test('four minutes of socket hang ups, then the execution is followed to SUCCEEDED', async () => {
    const clock = fakeClock();
    const { client } = scriptedSfn(clock, (t) =>
      t < MINUTE ? 'RUNNING' : t < 5 * MINUTE ? hangUp() : t < 7 * MINUTE ? 'RUNNING' : 'SUCCEEDED',
    );
    const outcome = await waitForExecution(client, EXECUTION, deployment, options(clock));
    expect(outcome.status).toBe('SUCCEEDED');
    expect(notices.length).toBeGreaterThanOrEqual(4);
    expect(notices.length).toBeLessThanOrEqual(5);
    expect(notices[0]).toContain(
      `states:DescribeExecution on execution ${EXECUTION} failed: socket hang up (ECONNRESET)`,
    );
    expect(infos.some((m) => /^AWS answers again after 4m/.test(m))).toBe(true);
  });

  test('after five minutes without an answer it fails saying what it was doing, what to check, and that the run goes on', async () => {
    const clock = fakeClock();
    const { client, calls } = scriptedSfn(clock, (t) => (t < MINUTE ? 'RUNNING' : refused()));
    const error = await waitForExecution(client, EXECUTION, deployment, options(clock)).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^AWS calls kept failing while waiting for execution ${EXECUTION}: \\d+ call\\(s\\) failed in a row over 5m 00s; ` +
          `the last: states:DescribeExecution on execution ${EXECUTION} failed: connect ECONNREFUSED`,
      ),
    );
    expect(message).toContain('check the runner\'s network, the region (input "aws-region")');
    expect(message).toMatch(
      /\nThe execution was left running: https:\/\/eu-west-1\.console\.aws\.amazon\.com\/states\//,
    );
    // Not stopped: no StopExecution was sent.
    expect(calls).not.toContain('StopExecutionCommand');
  });

  test('access denied fails at once, naming the call, the execution and the role input', async () => {
    const clock = fakeClock();
    const { client, calls } = scriptedSfn(clock, () => denied());
    const message = await waitForExecution(client, EXECUTION, deployment, options(clock)).catch(
      (e: unknown) => (e as Error).message,
    );
    expect(calls).toEqual(['DescribeExecutionCommand']);
    expect(message).toMatch(
      new RegExp(
        `^While waiting for execution ${EXECUTION}: states:DescribeExecution on execution ${EXECUTION} failed: AccessDeniedException`,
      ),
    );
    expect(message).toContain('allow it in the policy of the role (input "role-to-assume"');
    expect(notices).toEqual([]);
  });
});

describe('the Batch wait through an outage', () => {
  const graph = buildJobGraph(buildPlan(makePlan({ groups: [group('a'), group('b', ['a'])] }), { stage: 'dev' }));
  beforeEach(() => {
    jest.spyOn(core, 'notice').mockImplementation(() => undefined);
    jest.spyOn(core, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  function scriptedBatch(clock: WaitClock, answer: (now: number) => Error | string) {
    return {
      send: async (command: { input: { jobs: string[] } }) => {
        const a = answer(clock.now());
        if (a instanceof Error) throw a;
        return { jobs: command.input.jobs.map((jobId) => ({ jobId, jobName: jobId, status: a })) };
      },
    } as unknown as BatchClient;
  }

  const options = (clock: WaitClock) => ({
    timeoutMinutes: 60,
    pollIntervalSeconds: 5,
    clock,
    runnableWarningMinutes: 10,
    jobQueue: 'kedro-queue',
  });

  test('DescribeJobs throttled and failing with 503 for four minutes: the jobs are followed to SUCCEEDED', async () => {
    const clock = fakeClock();
    const client = scriptedBatch(clock, (t) =>
      t < MINUTE ? 'RUNNING' : t < 5 * MINUTE ? (t % 2 ? throttled() : unavailable()) : 'SUCCEEDED',
    );
    const outcome = await waitForJobs(client, graph, ['id-a', 'id-b'], options(clock));
    expect(outcome.status).toBe('SUCCEEDED');
  });

  test('five minutes of failures end the wait with the call and the job ids', async () => {
    const clock = fakeClock();
    const client = scriptedBatch(clock, (t) => (t < MINUTE ? 'RUNNING' : hangUp()));
    const error = await waitForJobs(client, graph, ['id-a', 'id-b'], options(clock)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutageError);
    expect((error as Error).message).toMatch(
      /the last: batch:DescribeJobs on job\(s\) id-a(, id-b)? failed: socket hang up/,
    );
  });
});

describe('the record the post step reads', () => {
  /** Just what the waits of `run` use of a mode's context. */
  function contextWith(clients: { sfn?: SFNClient; batch?: BatchClient }, clock: WaitClock) {
    return {
      inputs: { timeoutMinutes: 60, pollIntervalSeconds: 5, onTimeout: 'stop', runtimeParams: {} },
      clock,
      aws: () => clients,
      setOutput: () => undefined,
    } as unknown as ModeContext;
  }
  let saved: [string, string][];
  beforeEach(() => {
    saved = [];
    jest.spyOn(core, 'saveState').mockImplementation((k: string, v: unknown) => void saved.push([k, String(v)]));
    jest.spyOn(core, 'notice').mockImplementation(() => undefined);
    jest.spyOn(core, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  test('Step Functions: recorded while run waits, cleared when the wait fails on its own error (the run goes on)', async () => {
    const clock = fakeClock();
    const { client } = scriptedSfn(clock, (t) => (t < MINUTE ? 'RUNNING' : denied()));
    const deployment = buildPlan(makePlan(), { stage: 'dev' });
    const error = await waitForStateMachineRun(contextWith({ sfn: client }, clock), { deployment } as never, {
      executionArn: EXECUTION,
      runId: 'r1',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/\nThe execution was left running: https:\/\//);
    expect(saved).toEqual([
      [POST_STATE_EXECUTION, EXECUTION],
      [POST_STATE_EXECUTION, ''],
    ]);
  });

  test('Batch: recorded while run waits, cleared when the wait fails on its own error (the jobs go on)', async () => {
    const clock = fakeClock();
    const deployment = buildPlan(makePlan({ groups: [group('a'), group('b', ['a'])] }), { stage: 'dev' });
    const graph = buildJobGraph(deployment);
    const client = {
      send: async () => {
        if (clock.now() < MINUTE) return { jobs: [{ jobId: 'id-a', status: 'RUNNING' }] };
        throw denied();
      },
    } as unknown as BatchClient;
    const error = await waitForBatchRun(contextWith({ batch: client }, clock), { deployment } as never, {
      runId: 'r1',
      jobQueue: 'q',
      region: 'eu-west-1',
      graph,
      ids: ['id-a', 'id-b'],
      groupIds: { a: 'id-a', b: 'id-b' },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^While waiting for the 2 job\(s\) of run r1: batch:DescribeJobs on job\(s\) id-a/,
    );
    expect((error as Error).message).toMatch(/\nThe jobs were left running \(run id r1, queue q;/);
    expect(saved.map(([k]) => k)).toEqual([POST_STATE_BATCH_JOBS, POST_STATE_BATCH_JOBS]);
    expect(saved[1]![1]).toBe('');
  });
});

describe('the post step', () => {
  test('with no record of a wait (the main step ended by itself), it stops nothing and says so', async () => {
    const lines: string[] = [];
    const runner = {
      getInput: () => '',
      getState: () => '',
      debug: () => undefined,
      info: (m: string) => void lines.push(m),
      warning: (m: string) => void lines.push(`warning: ${m}`),
      setSecret: () => undefined,
      getIDToken: async () => {
        throw new Error('no token asked for');
      },
    };
    await post(runner, {});
    expect(lines).toEqual(['Nothing to stop: the main step was not cancelled or timed out while waiting on a run.']);
  });
});
