/**
 * Target batch against moto's simple Batch (`{"batch": {"use_docker": false}}`): an UNMANAGED compute
 * environment and a job queue made by the test (EC2, as unmanaged environments are), and a Fargate one,
 * then deploy (the job definition of the queue's platform) and run (submit, wait), as a user sees them:
 * outputs set, a second deploy registering nothing, every job submitted with the dependsOn of its group,
 * a failure naming its group and its logs, settings a platform refuses refused at deploy.
 *
 * moto registers and runs job definitions AWS refuses (a Fargate one without an execution role, vCPUs
 * and memory Fargate does not take, a Fargate job on an EC2 queue): test/support/batch-rules.ts stands
 * in front of it for every test here and refuses them as AWS does.
 *
 * moto's simple Batch marks a job SUCCEEDED when it is submitted (or FAILED, on a server started with
 * MOTO_SIMPLE_BATCH_FAIL_AFTER=0) and never evaluates dependsOn, so the dependencies are checked on
 * what was submitted (DescribeJobs returns them). The groups' code is tested by
 * python/tests/test_batch_entry.py. The suite runs its own moto servers (the Batch config is
 * server-wide), reached by clients given their endpoints explicitly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobsCommand,
  type JobDetail,
} from '@aws-sdk/client-batch';
import { CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { batchClient, callLog, isReadOnly, lambdaClient, sfnClient } from '../../src/aws/clients';
import { ensureFunction } from '../../src/aws/lambda';
import { ensureStateMachine } from '../../src/aws/stepfunctions';
import { loadPlan } from '../../src/context/common';
import { readInputs } from '../../src/inputs';
import { ActionError } from '../../src/lib/errors';
import { runMode } from '../../src/modes/run';
import { buildDefinition } from '../../src/plan/statemachine';
import { type BatchBackendOptions, batchBackend } from '../../src/targets/batch';
import { deployBatch } from '../../src/targets/batch/deploy';
import { batchRunFacts } from '../../src/targets/batch/facts';

/** mode: run with the Batch backend on a given client (a second emulator): what `run` does for target batch. */
const runBatch = (ctx: ModeContext, options: BatchBackendOptions) => runMode(ctx, batchBackend(options));

import { createContext, type ModeContext } from '../../src/context/context';
import type { WaitClock } from '../../src/lib/wait';
import { runAction } from '../support/action';
import { type BatchRules, enforceBatchRules } from '../support/batch-rules';
import { boto } from '../support/boto';
import { createDataBuckets, FAKE_AWS_ENV, type MotoServer, PYTHON, ROOT, startMoto } from '../support/moto';
import { copyProject, EXAMPLE, FIXTURES } from '../support/projects';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`;
const OTHER_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'cd'.repeat(32)}`;
const REGION = FAKE_AWS_ENV.AWS_REGION;
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** moto's Batch without Docker: jobs end when submitted (and state machines executed, Lambda answering its payload). */
async function motoSimpleBatch(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      batch: { use_docker: false },
      lambda: { use_docker: false },
      stepfunctions: { execute_state_machine: true },
    }),
  });
  if (!res.ok) throw new Error(`moto config failed: HTTP ${res.status}`);
}

interface Emulator {
  server: MotoServer;
  /** A role moto's Lambda and Step Functions accept. */
  serviceRole: string;
  batch: BatchClient;
  /** DescribeJobs calls seen by `batch`: the number of ids asked and the poll round of the call. */
  describeCalls: { ids: number; round: number }[];
  /** A queue on EC2 (its compute environment is unmanaged). */
  queue: string;
  jobRole: string;
  /** AWS Batch's rules in front of this emulator (see test/support/batch-rules.ts). */
  rules: BatchRules;
  stop(): Promise<void>;
}

let round = 0;

/** A moto server with simple Batch, a service role, a job role, an UNMANAGED compute environment and a queue. */
async function emulator(extraEnv: NodeJS.ProcessEnv = {}): Promise<Emulator> {
  const server = await startMoto(extraEnv);
  await motoSimpleBatch(server.endpoint);
  const iam = new IAMClient({ region: REGION, endpoint: server.endpoint });
  const service = await iam.send(new CreateRoleCommand({ RoleName: 'batch-service', AssumeRolePolicyDocument: TRUST }));
  const job = await iam.send(new CreateRoleCommand({ RoleName: 'kedro-batch-job', AssumeRolePolicyDocument: TRUST }));
  const batch = batchClient({ region: REGION, maxAttempts: 3, endpoint: server.endpoint });
  const describeCalls: Emulator['describeCalls'] = [];
  batch.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DescribeJobsCommand') {
        describeCalls.push({ ids: ((args.input as { jobs?: string[] }).jobs ?? []).length, round });
      }
      return next(args);
    },
    { step: 'initialize', name: 'testDescribeCounter' },
  );
  const ce = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'kedro-ce',
      type: 'UNMANAGED',
      state: 'ENABLED',
      serviceRole: service.Role!.Arn!,
    }),
  );
  const queue = await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: 'kedro-queue',
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
    }),
  );
  const rules = enforceBatchRules(new BatchClient({ region: REGION, endpoint: server.endpoint }));
  return {
    server,
    serviceRole: service.Role!.Arn!,
    batch,
    describeCalls,
    queue: queue.jobQueueArn!,
    jobRole: job.Role!.Arn!,
    rules,
    stop: async () => {
      rules.restore();
      await server.stop();
    },
  };
}

/** A managed FARGATE compute environment in moto's default VPC, and a queue on it; returns the queue's ARN. */
async function fargateQueue(
  moto: Emulator,
  name: string,
  type: 'FARGATE' | 'FARGATE_SPOT' = 'FARGATE',
): Promise<string> {
  const endpoint = moto.server.endpoint;
  const subnets = (boto('ec2', 'describe_subnets', {}, endpoint).Subnets as { SubnetId: string }[])
    .slice(0, 2)
    .map((s) => s.SubnetId);
  const group = (boto('ec2', 'describe_security_groups', {}, endpoint).SecurityGroups as { GroupId: string }[])[0]!
    .GroupId;
  const ce = await moto.batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `${name}-ce`,
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: moto.serviceRole,
      computeResources: { type, maxvCpus: 16, subnets, securityGroupIds: [group] },
    }),
  );
  const queue = await moto.batch.send(
    new CreateJobQueueCommand({
      jobQueueName: name,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
    }),
  );
  return queue.jobQueueArn!;
}

/**
 * A managed EC2 compute environment of `instanceTypes` (no instance at rest) in moto's default VPC, and a
 * queue on it; returns the queue's ARN.
 */
async function ec2Queue(moto: Emulator, name: string, instanceTypes: string[]): Promise<string> {
  const endpoint = moto.server.endpoint;
  const subnets = (boto('ec2', 'describe_subnets', {}, endpoint).Subnets as { SubnetId: string }[])
    .slice(0, 2)
    .map((s) => s.SubnetId);
  const group = (boto('ec2', 'describe_security_groups', {}, endpoint).SecurityGroups as { GroupId: string }[])[0]!
    .GroupId;
  const iam = new IAMClient({ region: REGION, endpoint });
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `${name}-instance` }));
  const ce = await moto.batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `${name}-ce`,
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: moto.serviceRole,
      computeResources: {
        type: 'EC2',
        minvCpus: 0,
        maxvCpus: 16,
        instanceTypes,
        instanceRole: profile.InstanceProfile!.Arn!,
        subnets,
        securityGroupIds: [group],
      },
    }),
  );
  const queue = await moto.batch.send(
    new CreateJobQueueCommand({
      jobQueueName: name,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
    }),
  );
  return queue.jobQueueArn!;
}

/** Sleeps take no time: the clock jumps, and each sleep ends a poll round. */
function fastClock(): WaitClock {
  let now = Date.now();
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      round += 1;
    },
    random: () => 0.5,
  };
}

/** Package a project once (real Kedro), so deploy/run start from its plan. */
function packaged(source: string, runnerTemp: string, stage: string, runtimeParams = ''): string {
  const project = copyProject(source);
  const run = runAction(
    { mode: 'package', 'project-path': project, python: PYTHON, stage, 'runtime-params': runtimeParams },
    { runnerTemp },
  );
  if (run.code !== 0) throw new Error(`package failed: ${run.errors.join('\n')}`);
  return run.outputs.plan!;
}

/** Where the runs of synthetic plans keep their records (they have no outputs' bucket). */
const SYNTHETIC_RECORDS = 's3://kedro-aws-fixtures/.kedro-aws';

/** A plan.json of `groups` (synthetic: the run never executes Kedro). */
function syntheticPlan(runnerTemp: string, name: string, groups: { name: string; dependencies: string[] }[]): string {
  const file = path.join(runnerTemp, `${name}.json`);
  const plan = {
    schema_version: 1,
    project: { name: 'Synthetic', package_name: 'synthetic', kedro_version: '1.4.0', python_version: '3.12.0' },
    pipeline: '__default__',
    env: 'aws',
    runtime_params: {},
    groups: groups.map((g) => ({ ...g, type: 'namespace', nodes: [`${g.name}.node`], inputs: [], outputs: [] })),
    datasets: [],
    settings: {},
    warnings: [],
  };
  fs.writeFileSync(file, JSON.stringify(plan));
  return file;
}

interface TestContext {
  ctx: ModeContext;
  outputs: Record<string, string>;
}

/** A real ModeContext for these inputs, its outputs captured. */
function contextFor(inputs: Record<string, string>, runnerTemp: string): TestContext {
  const env = { ...process.env, RUNNER_TEMP: runnerTemp };
  const parsed = readInputs((name) => inputs[name] ?? '', ROOT);
  const base = createContext(parsed, env, fastClock());
  const outputs: Record<string, string> = {};
  return { ctx: { ...base, setOutput: (name, value) => void (outputs[name] = value) }, outputs };
}

function mutatingBatchCalls(since: number): string[] {
  return callLog
    .slice(since)
    .filter((c) => c.service === 'batch' && !isReadOnly(c.operation))
    .map((c) => c.operation);
}

async function jobsById(batch: BatchClient, ids: string[]): Promise<Map<string, JobDetail>> {
  const out = new Map<string, JobDetail>();
  for (let i = 0; i < ids.length; i += 100) {
    const res = await batch.send(new DescribeJobsCommand({ jobs: ids.slice(i, i + 100) }));
    for (const j of res.jobs ?? []) out.set(j.jobId!, j);
  }
  return out;
}

/** Group names whose jobs `jobId` depends on, directly or through join jobs. */
function groupsBehind(jobs: Map<string, JobDetail>, byId: Map<string, string>, jobId: string): Set<string> {
  const out = new Set<string>();
  const stack = (jobs.get(jobId)?.dependsOn ?? []).map((d) => d.jobId!);
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = byId.get(id);
    if (group !== undefined) out.add(group);
    else stack.push(...(jobs.get(id)?.dependsOn ?? []).map((d) => d.jobId!));
  }
  return out;
}

describe('target batch against moto', () => {
  let moto: Emulator;
  let runnerTemp: string;
  let examplePlan: string;

  beforeAll(async () => {
    await createDataBuckets();
    moto = await emulator();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-batch-'));
    examplePlan = packaged(EXAMPLE, runnerTemp, 'batch');
  });
  afterAll(async () => {
    await moto?.stop();
  });

  const inputsFor = (plan: string, stage: string, extra: Record<string, string> = {}) => ({
    mode: 'deploy,run',
    plan,
    stage,
    'image-uri': IMAGE,
    'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
    'aws-region': REGION,
    'poll-interval-seconds': '1',
    ...extra,
  });

  test('deploy registers a job definition; a second deploy registers none; a new image registers a revision', async () => {
    const first = contextFor(inputsFor(examplePlan, 'jd'), runnerTemp);
    const created = await deployBatch(first.ctx, {
      jobRoleArn: moto.jobRole,
      jobQueue: moto.queue,
      client: moto.batch,
    });
    expect(created.change).toBe('created');
    expect(first.outputs['job-definition-arn']).toBe(created.arn);
    expect(created.arn).toMatch(/^arn:aws:batch:us-east-1:\d{12}:job-definition\/spaceflights-jd:1$/);

    const described = await moto.batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [created.arn] }));
    const def = described.jobDefinitions![0]!;
    expect(def.containerProperties?.image).toBe(IMAGE);
    expect(def.containerProperties?.jobRoleArn).toBe(moto.jobRole);
    expect(def.containerProperties?.command?.slice(0, 5)).toEqual([
      'python3',
      '-m',
      'kedro_aws_action.batch_entry',
      '--group',
      'Ref::group',
    ]);
    expect(def.containerProperties?.environment).toEqual(
      expect.arrayContaining([
        { name: 'KEDRO_PACKAGE_NAME', value: 'spaceflights' },
        { name: 'KEDRO_ENV', value: 'aws' },
      ]),
    );
    expect(def.timeout?.attemptDurationSeconds).toBeGreaterThanOrEqual(60);
    expect(def.retryStrategy?.attempts).toBe(3);
    expect(def.tags).toMatchObject({ 'kedro-aws:project': 'spaceflights', 'kedro-aws:stage': 'jd' });

    const before = callLog.length;
    const again = contextFor(inputsFor(examplePlan, 'jd'), runnerTemp);
    const unchanged = await deployBatch(again.ctx, {
      jobRoleArn: moto.jobRole,
      jobQueue: moto.queue,
      client: moto.batch,
    });
    expect(unchanged.change).toBe('unchanged');
    expect(unchanged.arn).toBe(created.arn);
    expect(mutatingBatchCalls(before)).toEqual([]);

    const moved = contextFor(inputsFor(examplePlan, 'jd', { 'image-uri': OTHER_IMAGE }), runnerTemp);
    const next = await deployBatch(moved.ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    expect(next).toMatchObject({ change: 'updated', differences: ['image'], revision: 2 });
    expect(next.arn).toMatch(/:job-definition\/spaceflights-jd:2$/);
  });

  test("a change of one group's settings registers no revision (it is an override of that job)", async () => {
    const base = contextFor(inputsFor(examplePlan, 'jd-settings'), runnerTemp);
    await deployBatch(base.ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    const before = callLog.length;
    const changed = contextFor(
      inputsFor(examplePlan, 'jd-settings', {
        'group-settings': '{"groups":{"reporting":{"memory_mb":512,"vcpus":2}}}',
      }),
      runnerTemp,
    );
    const result = await deployBatch(changed.ctx, {
      jobRoleArn: moto.jobRole,
      jobQueue: moto.queue,
      client: moto.batch,
    });
    expect(result.change).toBe('unchanged');
    expect(mutatingBatchCalls(before)).toEqual([]);
  });

  test('deploy then run the example: every job submitted with its dependencies, outputs set, SUCCEEDED', async () => {
    // The plan and the run with the same runtime params (run refuses others before starting).
    const plan = packaged(EXAMPLE, runnerTemp, 'run', 'output_prefix=pr-9');
    const { ctx, outputs } = contextFor(inputsFor(plan, 'run', { 'runtime-params': 'output_prefix=pr-9' }), runnerTemp);
    await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    const outcome = await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch });
    expect(outcome?.status).toBe('SUCCEEDED');
    expect(outputs.status).toBe('SUCCEEDED');
    expect(outputs['run-id']).toMatch(/^\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z$/);
    const ids = JSON.parse(outputs['batch-job-ids']!) as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(['data_processing', 'data_science', 'reporting']);

    const jobs = await jobsById(moto.batch, Object.values(ids));
    const dp = jobs.get(ids.data_processing!)!;
    expect(dp.dependsOn).toEqual([]);
    for (const downstream of ['data_science', 'reporting']) {
      expect(jobs.get(ids[downstream]!)!.dependsOn).toEqual([{ jobId: ids.data_processing }]);
    }
    const ds = jobs.get(ids.data_science!)!;
    expect(ds.jobName).toBe('spaceflights-run-data_science');
    expect(ds.jobDefinition).toBe(outputs['job-definition-arn']);
    expect(ds.parameters).toMatchObject({
      group: 'data_science',
      type: 'namespace',
      env: 'aws',
      run_id: outputs['run-id'],
      runtime_params: '{"output_prefix":"pr-9"}',
    });
    expect(JSON.parse(ds.parameters!.nodes!)).toContain('data_science.train_model_node');
    // conf/aws/kedro_aws.yml: timeout_seconds 300 for every group, memory_mb 2048 for data_science.
    expect(ds.timeout).toEqual({ attemptDurationSeconds: 300 });
    expect(ds.tags).toMatchObject({ 'kedro-aws:run-id': outputs['run-id'], 'kedro-aws:group': 'data_science' });

    // What verify reads back from the jobs.
    const facts = await batchRunFacts(ctx, { client: moto.batch });
    expect(facts).toMatchObject({
      status: 'SUCCEEDED',
      runId: outputs['run-id'],
      runtimeParams: { output_prefix: 'pr-9' },
      groupIds: ids,
      failure: undefined,
      outcome: { status: 'SUCCEEDED' },
    });
    expect(facts.startDate).toBeInstanceOf(Date);
  });

  test.each(['diamond', 'n-shaped', 'no-namespaces'])(
    'the %s fixture deploys and runs, every job depending on the jobs of its reduced dependencies',
    async (fixture) => {
      const stage = `fx-${fixture}`;
      const plan = packaged(path.join(FIXTURES, fixture), runnerTemp, stage);
      const { ctx, outputs } = contextFor(inputsFor(plan, stage), runnerTemp);
      await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
      await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch });
      expect(outputs.status).toBe('SUCCEEDED');
      const ids = JSON.parse(outputs['batch-job-ids']!) as Record<string, string>;
      const byId = new Map(Object.entries(ids).map(([g, id]) => [id, g]));
      const jobs = await jobsById(moto.batch, Object.values(ids));
      const planJson = JSON.parse(fs.readFileSync(plan, 'utf8')) as {
        groups: { name: string; dependencies: string[] }[];
      };
      for (const group of planJson.groups) {
        const behind = groupsBehind(jobs, byId, ids[group.name]!);
        for (const dep of group.dependencies) expect(behind).toContain(dep);
      }
    },
  );

  test('a group with 30 dependencies waits on a join job; the join runs nothing', async () => {
    const sources = Array.from({ length: 30 }, (_, i) => ({ name: `source_${i}`, dependencies: [] as string[] }));
    const plan = syntheticPlan(runnerTemp, 'fan-in-30', [
      ...sources,
      { name: 'sink', dependencies: sources.map((s) => s.name) },
    ]);
    // A synthetic plan has no dataset, so no outputs' bucket: the run records go where the input says.
    const { ctx, outputs } = contextFor(inputsFor(plan, 'fanin', { 'run-records': SYNTHETIC_RECORDS }), runnerTemp);
    await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch });
    expect(outputs.status).toBe('SUCCEEDED');
    const ids = JSON.parse(outputs['batch-job-ids']!) as Record<string, string>;
    expect(Object.keys(ids)).toHaveLength(31);
    const sink = (await jobsById(moto.batch, [ids.sink!])).get(ids.sink!)!;
    expect(sink.dependsOn).toHaveLength(20);
    const groupIds = new Set(Object.values(ids));
    const joinIds = sink.dependsOn!.map((d) => d.jobId!).filter((id) => !groupIds.has(id));
    expect(joinIds).toHaveLength(1);
    const join = (await jobsById(moto.batch, joinIds)).get(joinIds[0]!)!;
    expect(join.jobName).toBe('synthetic-fanin-join-1');
    expect(join.dependsOn).toHaveLength(11);
    expect(join.container?.command).toEqual([
      'python3',
      '-m',
      'kedro_aws_action.batch_entry',
      '--join',
      'synthetic-fanin-join-1',
    ]);
    const byId = new Map(Object.entries(ids).map(([g, id]) => [id, g]));
    const all = await jobsById(moto.batch, [...Object.values(ids), ...joinIds]);
    expect(groupsBehind(all, byId, ids.sink!)).toEqual(new Set(sources.map((s) => s.name)));
  });

  test('250 groups: at most 3 DescribeJobs calls per poll round, finished jobs never asked again', async () => {
    const sources = Array.from({ length: 249 }, (_, i) => ({
      name: `g${String(i).padStart(3, '0')}`,
      dependencies: [] as string[],
    }));
    const plan = syntheticPlan(runnerTemp, 'wide-250', [
      ...sources,
      { name: 'sink', dependencies: sources.map((s) => s.name) },
    ]);
    const { ctx, outputs } = contextFor(inputsFor(plan, 'wide', { 'run-records': SYNTHETIC_RECORDS }), runnerTemp);
    await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    moto.describeCalls.length = 0;
    await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch });
    expect(outputs.status).toBe('SUCCEEDED');
    const perRound = new Map<number, { calls: number; ids: number }>();
    for (const call of moto.describeCalls) {
      const r = perRound.get(call.round) ?? { calls: 0, ids: 0 };
      perRound.set(call.round, { calls: r.calls + 1, ids: r.ids + call.ids });
    }
    const rounds = [...perRound.values()];
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    for (const r of rounds) expect(r.calls).toBeLessThanOrEqual(3);
    expect(moto.describeCalls.every((c) => c.ids <= 100)).toBe(true);
    // Round 1 asks about the 249 sources (all SUCCEEDED at once in moto), round 2 only about the sink.
    expect(rounds[0]).toEqual({ calls: 3, ids: 249 });
    expect(rounds[1]).toEqual({ calls: 1, ids: 1 });
  });

  test('wait: false returns right after submitting, with the job ids, the run id and RUNNING', async () => {
    const { ctx, outputs } = contextFor(inputsFor(examplePlan, 'nowait', { wait: 'false' }), runnerTemp);
    await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    moto.describeCalls.length = 0;
    const outcome = await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch });
    expect(outcome).toBeUndefined();
    expect(outputs.status).toBe('RUNNING');
    expect(Object.keys(JSON.parse(outputs['batch-job-ids']!) as object)).toHaveLength(3);
    expect(outputs['run-id']).toBeTruthy();
    expect(moto.describeCalls).toEqual([]);
  });

  // ------------------------------------------------------------------ EC2 and Fargate queues

  const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/kedro-batch-execution';
  /** The example's groups as a Fargate pair (the built-in 1 vCPU and 1024 MiB is not one). */
  const FARGATE_SETTINGS = '{"defaults":{"memory_mb":2048}}';
  const definitionOf = async (arn: string) =>
    (await moto.batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [arn] }))).jobDefinitions![0]!;
  const batchCallsSince = (since: number) =>
    callLog
      .slice(since)
      .filter((c) => c.service === 'batch')
      .map((c) => c.operation);

  test('a Fargate queue gets a Fargate job definition (execution role, network, platform version) and its jobs Fargate pairs', async () => {
    const fargate = await fargateQueue(moto, 'kedro-fargate', 'FARGATE_SPOT');
    const inputs = inputsFor(examplePlan, 'fg', {
      'batch-execution-role-arn': EXECUTION_ROLE,
      'group-settings': FARGATE_SETTINGS,
    });
    const { ctx, outputs } = contextFor(inputs, runnerTemp);
    const created = await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch });
    expect(created.arn).toMatch(/:job-definition\/spaceflights-fg_fargate:1$/);
    const def = await definitionOf(created.arn);
    expect(def.platformCapabilities).toEqual(['FARGATE']);
    expect(def.containerProperties).toMatchObject({
      jobRoleArn: moto.jobRole,
      executionRoleArn: EXECUTION_ROLE,
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    });
    // Submitted through the stand-in of AWS's rules: every job a Fargate pair, on a Fargate queue.
    const refusedBefore = moto.rules.refused.length;
    await runBatch(ctx, { jobQueue: fargate, client: moto.batch });
    expect(outputs.status).toBe('SUCCEEDED');
    expect(moto.rules.refused.slice(refusedBefore)).toEqual([]);

    // The same stage on the EC2 queue: a job definition of its own; redeploys to either change nothing.
    const onEc2 = contextFor(inputsFor(examplePlan, 'fg'), runnerTemp);
    const ec2 = await deployBatch(onEc2.ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    expect(ec2.arn).toMatch(/:job-definition\/spaceflights-fg:1$/);
    expect((await definitionOf(ec2.arn)).platformCapabilities).toEqual(['EC2']);
    const before = callLog.length;
    const again = contextFor(inputs, runnerTemp);
    expect(
      await deployBatch(again.ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch }),
    ).toMatchObject({
      change: 'unchanged',
      arn: created.arn,
    });
    expect(
      await deployBatch(contextFor(inputsFor(examplePlan, 'fg'), runnerTemp).ctx, {
        jobRoleArn: moto.jobRole,
        jobQueue: moto.queue,
        client: moto.batch,
      }),
    ).toMatchObject({ change: 'unchanged', arn: ec2.arn });
    expect(mutatingBatchCalls(before)).toEqual([]);
    // A public IP when asked (subnets without a NAT gateway): a new revision.
    const open = contextFor({ ...inputs, 'batch-assign-public-ip': 'true' }, runnerTemp);
    const next = await deployBatch(open.ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch });
    expect(next).toMatchObject({ change: 'updated', differences: ['network'], revision: 2 });
  });

  test('settings the platform refuses are refused at deploy, naming the group, the setting, the source and the queue', async () => {
    const fargate = await fargateQueue(moto, 'kedro-fargate-2');
    const before = callLog.length;
    // EC2: whole vCPUs only.
    const half = contextFor(
      inputsFor(examplePlan, 'vcpus', { 'group-settings': '{"groups":{"reporting":{"vcpus":0.5}}}' }),
      runnerTemp,
    );
    await expect(
      deployBatch(half.ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch }),
    ).rejects.toThrow(
      /group "reporting": vcpus 0\.5 \(from groups\.reporting\.vcpus in the `group-settings` input\) is not a whole number of at least 1, which AWS Batch needs on EC2 \(the compute environments of job queue kedro-queue \(kedro-ce: UNMANAGED\)\)/,
    );
    // Fargate: 1 vCPU (built in) with 1024 MiB (the example's conf/aws/kedro_aws.yml) is no Fargate pair; the
    // message lists the pairs and the page.
    const defaults = contextFor(
      inputsFor(examplePlan, 'pairs', { 'batch-execution-role-arn': EXECUTION_ROLE }),
      runnerTemp,
    );
    const refusal = await deployBatch(defaults.ctx, {
      jobRoleArn: moto.jobRole,
      jobQueue: fargate,
      client: moto.batch,
    }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).toMatch(
      /groups "data_processing" and "reporting": memory_mb 1024 \(from defaults\.memory_mb in conf\/aws\/kedro_aws\.yml\) with vcpus 1 \(from the built-in default\) is not a vCPU and memory pair Fargate accepts on FARGATE \(the compute environments of job queue kedro-fargate-2 \(kedro-fargate-2-ce: FARGATE\)\)/,
    );
    expect(refusal).toContain('https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html');
    expect(refusal).toContain('1 vCPU: 2048 to 8192 MiB in steps of 1024');
    // Fargate without the execution role.
    const noRole = contextFor(inputsFor(examplePlan, 'norole', { 'group-settings': FARGATE_SETTINGS }), runnerTemp);
    await expect(
      deployBatch(noRole.ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch }),
    ).rejects.toThrow(
      /input "batch-execution-role-arn" is required by mode "deploy" when the Batch jobs run on Fargate/,
    );
    // Nothing was registered.
    expect(batchCallsSince(before)).not.toContain('RegisterJobDefinition');
  });

  test('an arm64 image: the Fargate job definition says ARM64 (moto keeps runtimePlatform); a redeploy registers nothing, amd64 a revision', async () => {
    const fargate = await fargateQueue(moto, 'kedro-fargate-arm');
    const arm64 = {
      'batch-execution-role-arn': EXECUTION_ROLE,
      'group-settings': FARGATE_SETTINGS,
      platform: 'linux/arm64',
    };
    const { ctx, outputs } = contextFor(inputsFor(examplePlan, 'arm', arm64), runnerTemp);
    const created = await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch });
    expect(created).toMatchObject({ change: 'created', revision: 1 });
    expect((await definitionOf(created.arn)).containerProperties?.runtimePlatform).toEqual({
      cpuArchitecture: 'ARM64',
      operatingSystemFamily: 'LINUX',
    });
    const refusedBefore = moto.rules.refused.length;
    await runBatch(ctx, { jobQueue: fargate, client: moto.batch });
    expect(outputs.status).toBe('SUCCEEDED');
    expect(moto.rules.refused.slice(refusedBefore)).toEqual([]);
    const before = callLog.length;
    const again = contextFor(inputsFor(examplePlan, 'arm', arm64), runnerTemp);
    expect(
      await deployBatch(again.ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch }),
    ).toMatchObject({ change: 'unchanged', arn: created.arn });
    expect(mutatingBatchCalls(before)).toEqual([]);
    const amd64 = contextFor(inputsFor(examplePlan, 'arm', { ...arm64, platform: 'linux/amd64' }), runnerTemp);
    const x86 = await deployBatch(amd64.ctx, { jobRoleArn: moto.jobRole, jobQueue: fargate, client: moto.batch });
    expect(x86).toMatchObject({ change: 'updated', differences: ['architecture'], revision: 2 });
    expect((await definitionOf(x86.arn)).containerProperties?.runtimePlatform?.cpuArchitecture).toBe('X86_64');
  });

  test('a queue whose capacity cannot run the image is refused before any change: Fargate Spot with arm64, Graviton instances with amd64', async () => {
    const spot = await fargateQueue(moto, 'kedro-spot-arm', 'FARGATE_SPOT');
    const graviton = await ec2Queue(moto, 'kedro-graviton', ['m6g', 'c7g.large']);
    const arm64 = {
      'batch-execution-role-arn': EXECUTION_ROLE,
      'group-settings': FARGATE_SETTINGS,
      platform: 'linux/arm64',
    };
    const before = callLog.length;
    const onSpot = contextFor(inputsFor(examplePlan, 'spotarm', arm64), runnerTemp);
    await expect(
      deployBatch(onSpot.ctx, { jobRoleArn: moto.jobRole, jobQueue: spot, client: moto.batch }),
    ).rejects.toThrow(
      /^job queue kedro-spot-arm runs its jobs on Fargate Spot only \(compute environment kedro-spot-arm-ce: FARGATE_SPOT\).*the image .* is linux\/arm64: give a job queue with a FARGATE compute environment .*or build with "platform: linux\/amd64"$/,
    );
    const amd64 = contextFor(inputsFor(examplePlan, 'graviton'), runnerTemp);
    await expect(
      deployBatch(amd64.ctx, { jobRoleArn: moto.jobRole, jobQueue: graviton, client: moto.batch }),
    ).rejects.toThrow(
      /^job queue kedro-graviton launches only arm64 \(Graviton\) instances \(compute environment kedro-graviton-ce: instance types m6g, c7g\.large;.*\), and the image .* is linux\/amd64, whose jobs would fail to start there: build with "platform: linux\/arm64", or give a job queue of x86_64 instances \(the bootstrap's BatchArchitecture: x86_64\)$/,
    );
    expect(mutatingBatchCalls(before)).toEqual([]);
    // With "batch-platform" given, deploy reads no queue (so cannot check it); the stand-in refuses the ARM64
    // job on the Fargate Spot queue at submit, where AWS would take it and block the queue.
    const given = contextFor(
      inputsFor(examplePlan, 'spotgiven', { ...arm64, 'batch-platform': 'fargate' }),
      runnerTemp,
    );
    await deployBatch(given.ctx, { jobRoleArn: moto.jobRole, client: moto.batch });
    const blocked = await runBatch(given.ctx, { jobQueue: spot, client: moto.batch }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(blocked).toMatch(/is ARM64, and job queue .*kedro-spot-arm has only FARGATE_SPOT compute environments/);
    // The image of the queue's architecture: an EC2 job definition, which names no runtimePlatform.
    const arm = contextFor(inputsFor(examplePlan, 'graviton', { platform: 'linux/arm64' }), runnerTemp);
    const created = await deployBatch(arm.ctx, { jobRoleArn: moto.jobRole, jobQueue: graviton, client: moto.batch });
    const def = await definitionOf(created.arn);
    expect(def.platformCapabilities).toEqual(['EC2']);
    expect(def.containerProperties).not.toHaveProperty('runtimePlatform');
  });

  test('batch-platform says it without a queue; the stand-in refuses a Fargate job on an EC2 queue, as AWS does', async () => {
    const inputs = inputsFor(examplePlan, 'given', {
      'batch-platform': 'fargate',
      'batch-execution-role-arn': EXECUTION_ROLE,
      'group-settings': FARGATE_SETTINGS,
    });
    const { ctx, outputs } = contextFor(inputs, runnerTemp);
    const before = callLog.length;
    const created = await deployBatch(ctx, { jobRoleArn: moto.jobRole, client: moto.batch });
    expect(created.arn).toMatch(/spaceflights-given_fargate:1$/);
    expect(batchCallsSince(before)).not.toContain('DescribeJobQueues');
    const failure = await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(failure).toMatch(/job spaceflights-given-data_processing could not be submitted: batch:SubmitJob/);
    expect(failure).toMatch(/is for FARGATE, and job queue .*kedro-queue runs on EC2/);
    expect(outputs['batch-job-ids']).toBeUndefined();
  });

  test('deploy without the job role and run without the queue name the inputs', async () => {
    const { ctx } = contextFor(inputsFor(examplePlan, 'noinputs'), runnerTemp);
    await expect(deployBatch(ctx, { client: moto.batch })).rejects.toThrow(
      /input "batch-job-role-arn" is required by mode "deploy" with target batch/,
    );
    await expect(deployBatch(ctx, { client: moto.batch, jobRoleArn: moto.jobRole })).rejects.toThrow(
      /input "batch-job-queue" is required by mode "deploy" with target batch: its compute environments say whether the jobs run on EC2 or Fargate.*"batch-platform"/,
    );
    await expect(runBatch(ctx, { client: moto.batch })).rejects.toThrow(
      /input "batch-job-queue" is required by mode "run" with target batch/,
    );
    await expect(runBatch(ctx, { client: moto.batch, jobQueue: moto.queue })).rejects.toThrow(
      /no "job-definition-arn": run mode "deploy" earlier/,
    );
  });
});

describe('target batch: a failing group (moto with MOTO_SIMPLE_BATCH_FAIL_AFTER=0)', () => {
  let moto: Emulator;
  let runnerTemp: string;

  beforeAll(async () => {
    await createDataBuckets();
    moto = await emulator({ MOTO_SIMPLE_BATCH_FAIL_AFTER: '0' });
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-batch-fail-'));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test("the run fails naming the group, Batch's reason, the log stream and the job; status FAILED", async () => {
    const plan = packaged(EXAMPLE, runnerTemp, 'fail');
    const { ctx, outputs } = contextFor(
      {
        mode: 'deploy,run',
        plan,
        stage: 'fail',
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
        'aws-region': REGION,
        'poll-interval-seconds': '1',
      },
      runnerTemp,
    );
    await deployBatch(ctx, { jobRoleArn: moto.jobRole, jobQueue: moto.queue, client: moto.batch });
    const failure = await runBatch(ctx, { jobQueue: moto.queue, client: moto.batch }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ActionError);
    const message = (failure as Error).message;
    const ids = JSON.parse(outputs['batch-job-ids']!) as Record<string, string>;
    expect(outputs.status).toBe('FAILED');
    expect(message).toMatch(/^group "data_processing" failed: /);
    expect(message).toMatch(
      /\nlogs: \/aws\/batch\/job, stream spaceflights-fail\/default\/[0-9a-f-]+ \(https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logsV2:log-groups\/log-group\/\$252Faws\$252Fbatch\$252Fjob\/log-events\//,
    );
    expect(message).toContain(
      `\njob: spaceflights-fail-data_processing ${ids.data_processing} (https://us-east-1.console.aws.amazon.com/batch/home?region=us-east-1#jobs/detail/${ids.data_processing})`,
    );
    const facts = await batchRunFacts(ctx, { client: moto.batch });
    expect(facts.status).toBe('FAILED');
    expect(facts.failure).toMatch(/^group "data_processing" failed: /);
  });
});

describe('Batch groups inside Step Functions (compute: batch) against moto', () => {
  let moto: Emulator;
  let runnerTemp: string;

  beforeAll(async () => {
    await createDataBuckets();
    moto = await emulator();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-mixed-'));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  // moto 5.2's Step Functions cannot run a batch:submitJob.sync Task (it fails even the minimal AWS form
  // {JobName, JobQueue, JobDefinition} with States.Runtime "'JobName'"), so the machine is deployed and
  // read back, not executed; the Batch parameters it submits are those of the Batch target's jobs.
  test('a mixed machine (data_science on Batch) is deployed: its Batch task submits a job of the stage, with no Retry', async () => {
    const stage = 'mixed';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const { ctx } = contextFor(
      {
        mode: 'deploy',
        plan,
        stage,
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
        'aws-region': REGION,
        'group-settings': '{"groups":{"data_science":{"compute":"batch","timeout_seconds":3600,"vcpus":2}}}',
      },
      runnerTemp,
    );
    const options = { region: REGION, maxAttempts: 3, endpoint: moto.server.endpoint };
    const jobDefinition = await deployBatch(ctx, {
      jobRoleArn: moto.jobRole,
      jobQueue: moto.queue,
      client: moto.batch,
      forStateMachine: true,
    });
    const { deployment } = loadPlan(ctx);
    const lambda = lambdaClient(options);
    const arns: Record<string, string> = {};
    for (const g of deployment.groups.filter((x) => x.settings.compute === 'lambda')) {
      const fn = await ensureFunction(lambda, {
        name: g.names.lambdaFunction,
        imageUri: IMAGE,
        architecture: 'x86_64',
        roleArn: moto.serviceRole,
        memoryMb: g.settings.memory_mb,
        timeoutSeconds: g.settings.timeout_seconds,
        environment: { KEDRO_PACKAGE_NAME: 'spaceflights' },
        description: g.name,
        tags: {},
      });
      arns[g.name] = fn.arn;
    }
    const built = buildDefinition(deployment, {
      env: deployment.env,
      packageName: 'spaceflights',
      functionArn: (g) => arns[g.name]!,
      batch: { jobQueue: moto.queue, jobDefinition: jobDefinition.arn },
    });
    const sfn: SFNClient = sfnClient(options);
    const machine = await ensureStateMachine(sfn, {
      name: deployment.names.stateMachine,
      definition: built.json,
      roleArn: moto.serviceRole,
      tags: {},
      versionDescription: 'test',
    });
    expect(machine.change).toBe('created');
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine.arn }));
    const states = (JSON.parse(described.definition!) as { States: Record<string, Record<string, unknown>> }).States;
    const flat: Record<string, Record<string, unknown>> = {};
    const walk = (s: Record<string, Record<string, unknown>>) => {
      for (const [name, state] of Object.entries(s)) {
        flat[name] = state;
        for (const b of (state.Branches as { States: Record<string, Record<string, unknown>> }[] | undefined) ?? [])
          walk(b.States);
      }
    };
    walk(states);
    const ds = flat.data_science!;
    expect(ds.Resource).toBe('arn:aws:states:::batch:submitJob.sync');
    expect(ds.Retry).toBeUndefined();
    expect(ds.Parameters).toMatchObject({
      JobName: 'spaceflights-mixed-data_science',
      JobQueue: moto.queue,
      JobDefinition: jobDefinition.arn,
      Parameters: { group: 'data_science', 'run_id.$': '$.run_id' },
    });
    expect(flat.data_processing!.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(flat.reporting!.Resource).toBe('arn:aws:states:::lambda:invoke');
  });
});
