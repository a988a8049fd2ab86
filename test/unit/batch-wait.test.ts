/**
 * Waiting on a Batch run with a scripted Batch (no server): which jobs each poll asks about, the
 * transitions logged, the RUNNABLE warning, the failure message, which jobs a failure terminates, and
 * the post step.
 */
import * as core from '@actions/core';
import type { BatchClient, JobDetail } from '@aws-sdk/client-batch';
import { DESCRIBE_JOBS_MAX_IDS, jobDefinitionDifferences } from '../../src/aws/batch';
import { type WaitClock, WaitTimeoutError } from '../../src/lib/wait';
import { buildJobGraph, jobDefinitionSpec } from '../../src/plan/batch';
import { buildPlan } from '../../src/plan/planner';
import type { Group } from '../../src/plan/schema';
import { terminateBatchRunOnPost } from '../../src/targets/batch/cancel';
import { BATCH_LOG_GROUP, batchFailureMessage } from '../../src/targets/batch/report';
import { terminateIndependentJobs, waitForJobs } from '../../src/targets/batch/wait';
import { group, makePlan } from './plan/fixtures';

/** A Batch whose job statuses follow a script: `script[jobId][round]` (the last entry stays). */
class ScriptedBatch {
  round = 0;
  readonly asked: string[][] = [];
  readonly terminated: string[] = [];
  readonly extra = new Map<string, Partial<JobDetail>>();

  constructor(private readonly script: Record<string, string[]>) {}

  status(id: string): string {
    const steps = this.script[id] ?? ['SUCCEEDED'];
    return steps[Math.min(this.round, steps.length - 1)] as string;
  }

  client(): BatchClient {
    return {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name;
        if (name === 'DescribeJobsCommand') {
          const ids = command.input.jobs as string[];
          if (ids.length > DESCRIBE_JOBS_MAX_IDS) throw new Error('too many ids');
          this.asked.push(ids);
          return {
            jobs: ids.map((id) => ({
              jobId: id,
              jobName: `job-${id}`,
              jobArn: `arn:aws:batch:eu-west-1:123456789012:job/${id}`,
              status: this.terminated.includes(id) ? 'FAILED' : this.status(id),
              ...this.extra.get(id),
            })),
          };
        }
        if (name === 'TerminateJobCommand') {
          this.terminated.push(command.input.jobId as string);
          return {};
        }
        throw new Error(`unexpected ${name}`);
      },
    } as unknown as BatchClient;
  }
}

function clockFor(batch: ScriptedBatch): WaitClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
      batch.round += 1;
    },
    random: () => 0.5,
  };
  return clock;
}

function graphOf(groups: Group[]) {
  return buildJobGraph(buildPlan(makePlan({ groups }), { stage: 'dev' }));
}

const WAIT = { timeoutMinutes: 60, pollIntervalSeconds: 5, runnableWarningMinutes: 10, jobQueue: 'kedro-queue' };

let infos: string[];
let warnings: string[];
beforeEach(() => {
  infos = [];
  warnings = [];
  jest.spyOn(core, 'info').mockImplementation((m: string) => void infos.push(m));
  jest.spyOn(core, 'warning').mockImplementation((m: string | Error) => void warnings.push(String(m)));
});
afterEach(() => jest.restoreAllMocks());

describe('waiting', () => {
  // a → b → c, and d on its own
  const graph = graphOf([group('a'), group('b', ['a']), group('c', ['b']), group('d')]);
  const ids = ['id-a', 'id-b', 'id-c', 'id-d'];

  it('asks only about jobs whose dependencies succeeded, never again once finished, and logs each transition', async () => {
    const batch = new ScriptedBatch({
      'id-a': ['RUNNABLE', 'RUNNING', 'SUCCEEDED'],
      'id-b': ['PENDING', 'PENDING', 'PENDING', 'RUNNING', 'SUCCEEDED'],
      'id-c': ['PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'SUCCEEDED'],
      'id-d': ['RUNNING', 'SUCCEEDED'],
    });
    const outcome = await waitForJobs(batch.client(), graph, ids, { ...WAIT, clock: clockFor(batch) });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(batch.asked).toEqual([['id-a', 'id-d'], ['id-a', 'id-d'], ['id-a'], ['id-b'], ['id-b'], ['id-c']]);
    expect(infos).toEqual([
      '  a: SUBMITTED → RUNNABLE',
      '  d: SUBMITTED → RUNNING',
      '  a: RUNNABLE → RUNNING',
      '  d: RUNNING → SUCCEEDED',
      '  a: RUNNING → SUCCEEDED',
      '  b: SUBMITTED → RUNNING',
      '  b: RUNNING → SUCCEEDED',
      '  c: SUBMITTED → SUCCEEDED',
    ]);
  });

  it('asks about at most 100 jobs per call', async () => {
    const many = graphOf(Array.from({ length: 250 }, (_, i) => group(`g${i}`)));
    const manyIds = many.jobs.map((j) => `id-${j.index}`);
    const batch = new ScriptedBatch(Object.fromEntries(manyIds.map((id) => [id, ['RUNNING', 'SUCCEEDED']])));
    await waitForJobs(batch.client(), many, manyIds, { ...WAIT, clock: clockFor(batch) });
    expect(batch.asked.map((a) => a.length)).toEqual([100, 100, 50, 100, 100, 50]);
  });

  it('warns once when a job sits in RUNNABLE past the threshold, naming what it asks for', async () => {
    const batch = new ScriptedBatch({ 'id-a': [...Array(40).fill('RUNNABLE'), 'SUCCEEDED'], 'id-d': ['SUCCEEDED'] });
    batch.extra.set('id-a', {
      container: {
        resourceRequirements: [
          { type: 'VCPU', value: '64' },
          { type: 'MEMORY', value: '500000' },
        ],
      },
    });
    const two = graphOf([group('a'), group('d')]);
    await waitForJobs(batch.client(), two, ['id-a', 'id-d'], { ...WAIT, clock: clockFor(batch) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^1 job\(s\) have waited in RUNNABLE for over 10 minute\(s\): "a" \(64 vCPU, 500000 MiB\)\. The job queue kedro-queue has no capacity for them/,
    );
  });

  it('ends at the first failed group (in dependency order), with its description', async () => {
    const batch = new ScriptedBatch({ 'id-a': ['RUNNING', 'FAILED'], 'id-d': ['RUNNING', 'FAILED'] });
    batch.extra.set('id-a', { statusReason: 'Essential container in task exited', container: { exitCode: 1 } });
    const outcome = await waitForJobs(batch.client(), graph, ids, { ...WAIT, clock: clockFor(batch) });
    expect(outcome.status).toBe('FAILED');
    expect(outcome.failure?.group).toBe('a');
    expect(outcome.failure?.job.statusReason).toBe('Essential container in task exited');
    expect(infos).toContain('  a: RUNNING → FAILED: Essential container in task exited');
  });

  it('gives up at the deadline', async () => {
    const batch = new ScriptedBatch({ 'id-a': ['RUNNING'], 'id-d': ['SUCCEEDED'] });
    await expect(
      waitForJobs(batch.client(), graph, ids, { ...WAIT, timeoutMinutes: 1, clock: clockFor(batch) }),
    ).rejects.toBeInstanceOf(WaitTimeoutError);
  });
});

describe('after a failure', () => {
  it('terminates the unfinished jobs that do not depend on the failed group, joins included', async () => {
    // a fails; b and the join behind it fail with it (Batch does that); d and e do not depend on it.
    const sources = Array.from({ length: 25 }, (_, i) => group(`s${i}`));
    const graph = graphOf([
      group('a'),
      group('b', ['a']),
      group('d'),
      ...sources,
      group(
        'e',
        sources.map((s) => s.name),
      ),
      group('f', ['a', ...sources.map((s) => s.name)]),
    ]);
    const ids = graph.jobs.map((j) => `id-${j.index}`);
    const idOf = (g: string) => ids[graph.groupJob.get(g) as number] as string;
    const batch = new ScriptedBatch(Object.fromEntries(ids.map((id) => [id, ['RUNNING']])));
    for (const s of sources) batch.extra.set(idOf(s.name), { status: 'SUCCEEDED' });
    const progress = new Map<string, { status: string }>(
      graph.jobs.filter((j) => j.kind === 'group').map((j) => [j.group as string, { status: 'RUNNING' }]),
    );
    progress.set('a', { status: 'FAILED' });
    for (const s of sources) progress.set(s.name, { status: 'SUCCEEDED' });
    const joins = graph.jobs.filter((j) => j.kind === 'join');
    expect(joins.length).toBeGreaterThan(0);
    const terminated = await terminateIndependentJobs(
      batch.client(),
      graph,
      ids,
      { status: 'FAILED', failure: { group: 'a', job: {} as JobDetail }, progress },
      'r1',
    );
    // d, e, and the joins that do not wait for a; not b, f or f's join of a (behind a), not the finished sources.
    const free = joins.filter((j) => !j.waitsFor.includes('a'));
    expect(free.length).toBeGreaterThan(0);
    expect(free.length).toBeLessThan(joins.length);
    const expected = [idOf('d'), idOf('e'), ...free.map((j) => ids[j.index] as string)];
    expect([...terminated].sort()).toEqual([...expected].sort());
  });
});

describe('the failure message', () => {
  const job: JobDetail = {
    jobId: 'abc-123',
    jobName: 'spaceflights-dev-reporting',
    jobArn: 'arn:aws:batch:eu-west-1:123456789012:job/abc-123',
    jobQueue: 'q',
    jobDefinition: 'd',
    startedAt: 1,
    status: 'FAILED',
    statusReason: 'Essential container in task exited',
    container: {
      exitCode: 1,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
      logStreamName: 'spaceflights-dev/default/xyz',
    },
    attempts: [
      {
        container: { exitCode: 137, logStreamName: 'spaceflights-dev/default/old' },
        statusReason: 'Host EC2 (instance i-1) terminated.',
      },
      {
        container: { exitCode: 1, logStreamName: 'spaceflights-dev/default/xyz' },
        statusReason: 'Essential container in task exited',
      },
    ],
  };

  it('names the group, the reason, the container, every attempt, the log stream and the job', () => {
    expect(batchFailureMessage('reporting', job, 'us-east-1').split('\n')).toEqual([
      'group "reporting" failed: Essential container in task exited',
      'container: exit code 1, OutOfMemoryError: Container killed due to memory usage',
      'attempts: #1 exit code 137 (Host EC2 (instance i-1) terminated.); #2 exit code 1 (Essential container in task exited)',
      `logs: ${BATCH_LOG_GROUP}, stream spaceflights-dev/default/xyz (https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fbatch$252Fjob/log-events/spaceflights-dev$252Fdefault$252Fxyz)`,
      'job: spaceflights-dev-reporting abc-123 (https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#jobs/detail/abc-123)',
    ]);
  });

  it('says when the container never started', () => {
    const message = batchFailureMessage(
      'a',
      { ...job, container: {}, attempts: [], statusReason: 'CannotPullContainerError: pull access denied' },
      'us-east-1',
    );
    expect(message).toMatch(
      /^group "a" failed: CannotPullContainerError: pull access denied\nlogs: none \(the container never started\)/,
    );
  });
});

describe('the post step', () => {
  it('terminates the unfinished jobs of the recorded run and says so', async () => {
    const batch = new ScriptedBatch({ 'id-a': ['SUCCEEDED'], 'id-b': ['RUNNING'], 'id-c': ['PENDING'] });
    const state = JSON.stringify({ region: 'eu-west-1', runId: 'r1', jobIds: ['id-a', 'id-b', 'id-c'] });
    const terminated = await terminateBatchRunOnPost({ client: batch.client(), state, warn: (m) => core.warning(m) });
    expect(terminated).toEqual(['id-b', 'id-c']);
    expect(batch.terminated).toEqual(['id-b', 'id-c']);
    expect(warnings).toEqual(['Terminated 2 unfinished Batch job(s) of run r1: the job ended while waiting for them.']);
  });

  it('does nothing when nothing was recorded (wait: false, or the wait ended)', async () => {
    const batch = new ScriptedBatch({});
    expect(await terminateBatchRunOnPost({ client: batch.client(), state: '', warn: (m) => core.warning(m) })).toEqual(
      [],
    );
    expect(batch.asked).toEqual([]);
  });
});

describe('comparing job definitions', () => {
  const plan = buildPlan(makePlan(), { stage: 'dev' });
  const spec = jobDefinitionSpec(plan, {
    imageUri: `img@sha256:${'a'.repeat(64)}`,
    jobRoleArn: 'arn:aws:iam::123456789012:role/r',
    packageName: 'spaceflights',
    recordsUrl: 's3://data/.kedro-aws/spaceflights/dev/',
    tags: { a: 'b' },
  });
  /** What AWS answers for the spec: defaults filled in, lists reordered, actions in lower case. */
  const described = {
    jobDefinitionName: spec.jobDefinitionName,
    jobDefinitionArn: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:4',
    revision: 4,
    status: 'ACTIVE',
    type: 'container',
    platformCapabilities: ['EC2'],
    parameters: { ...spec.parameters },
    containerProperties: {
      ...spec.containerProperties,
      command: [...spec.containerProperties.command],
      environment: [...spec.containerProperties.environment].reverse(),
      resourceRequirements: [...spec.containerProperties.resourceRequirements].reverse(),
      volumes: [],
      mountPoints: [],
      ulimits: [],
    },
    retryStrategy: {
      attempts: spec.retryStrategy.attempts,
      evaluateOnExit: spec.retryStrategy.evaluateOnExit.map((e) => ({ ...e, action: e.action.toLowerCase() })),
    },
    timeout: { ...spec.timeout },
    tags: { a: 'b' },
  } as unknown as Parameters<typeof jobDefinitionDifferences>[0];

  it('finds nothing to change in what AWS returns for the same spec', () => {
    expect(jobDefinitionDifferences(described, spec)).toEqual([]);
  });

  it('names what differs', () => {
    const changed = {
      ...described,
      containerProperties: { ...described.containerProperties, image: 'other', jobRoleArn: 'x' },
      timeout: { attemptDurationSeconds: 61 },
    };
    expect(jobDefinitionDifferences(changed, spec)).toEqual(['image', 'role', 'timeout']);
  });
});
