/**
 * The local executor's Batch side, pure parts: how a SubmitJob request and the job definition combine
 * (as AWS Batch merges them), what the retry strategy decides after a failed attempt
 * (https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html: the first entry whose
 * patterns all match; none matching means RETRY), and the process slots a job's vCPUs take.
 */
import '../../src/targets/local/polyfill';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INFRASTRUCTURE_RETRY, jobDefinitionSpec } from '../../src/plan/batch';
import { buildDefinition } from '../../src/plan/statemachine';
import { afterFailure, effectiveJob, fillCommand, type SubmitJobRequest } from '../../src/targets/local/batch';
import { Slots } from '../../src/targets/local/executor';
import { allowedCpus, withCpuAffinity } from '../../src/targets/local/sandbox';
import { planOfDag } from '../support/gated';

describe('a local Batch job: the request over the job definition', () => {
  const plan = planOfDag([[], [0]], 'dev', {
    groups: { g001: { compute: 'batch', vcpus: 4, memory_mb: 8192, timeout_seconds: 1200, retries: 1 } },
  });
  const spec = jobDefinitionSpec(plan, {
    imageUri: 'local',
    jobRoleArn: 'arn:aws:iam::000000000000:role/job',
    packageName: 'gated',
    recordsUrl: 's3://bucket/records/',
    tags: {},
  });
  /** The Task's parameters as Step Functions resolves them (run_id and runtime_params from the input). */
  const request = (): SubmitJobRequest => {
    const { definition } = buildDefinition(plan, {
      schedule: 'dag',
      env: 'aws',
      packageName: 'gated',
      functionArn: (g) => `arn:aws:lambda:us-east-1:000000000000:function:${g.names.lambdaFunction}`,
      batch: { jobQueue: 'q', jobDefinition: spec.jobDefinitionName },
    });
    const states = (definition as { States: Record<string, { Resource?: string; Parameters?: SubmitJobRequest }> })
      .States;
    const task = Object.values(states).find((s) => s.Resource === 'arn:aws:states:::batch:submitJob.sync')!;
    const p = task.Parameters!;
    const { 'run_id.$': _r, 'runtime_params.$': _p, ...fixed } = p.Parameters as Record<string, string>;
    return { ...p, Parameters: { ...fixed, run_id: 'r1', runtime_params: '{"a":1}' } };
  };

  test("the job runs the definition's command with the job's parameters, the group's resources, timeout and attempts", () => {
    const job = effectiveJob(spec, request());
    expect(job.command).toEqual([
      'python3',
      '-m',
      'kedro_aws_action.batch_entry',
      '--group',
      'g001',
      '--type',
      'namespace',
      '--nodes',
      '["g001.node"]',
      '--env',
      'aws',
      '--run-id',
      'r1',
      '--runtime-params-json',
      '{"a":1}',
      '--pipeline',
      '__default__',
    ]);
    expect(job).toMatchObject({ vcpus: 4, memoryMb: 8192, attemptDurationSeconds: 1200, attempts: 2 });
    expect(job.environment).toMatchObject({ KEDRO_PACKAGE_NAME: 'gated', KEDRO_ENV: 'aws' });
    expect(job.evaluateOnExit).toEqual(INFRASTRUCTURE_RETRY);
  });

  test("without overrides the job definition's own settings hold; a SubmitJob retry strategy replaces its whole", () => {
    const job = effectiveJob(spec, { Parameters: { group: 'g' } });
    expect(job).toMatchObject({ vcpus: 1, memoryMb: 1024, attemptDurationSeconds: 900, attempts: 3 });
    expect(effectiveJob(spec, { RetryStrategy: { Attempts: 5 } }).evaluateOnExit).toEqual([]);
  });

  test('Ref:: references are filled from the parameters; an unknown one is left as written', () => {
    expect(fillCommand(['--a', 'Ref::a', 'x-Ref::b', 'Ref::none'], { a: '1', b: '2' })).toEqual([
      '--a',
      '1',
      'x-2',
      'Ref::none',
    ]);
  });
});

describe("a local Batch job: after a failed attempt, the plan's retry strategy", () => {
  const exited = { statusReason: 'Essential container in task exited' };

  test("ends the job on the group's own exit and on an out-of-memory kill", () => {
    expect(afterFailure(INFRASTRUCTURE_RETRY, { ...exited, exitCode: 1 })).toBe('EXIT');
    expect(
      afterFailure(INFRASTRUCTURE_RETRY, {
        ...exited,
        exitCode: 137,
        reason: 'OutOfMemoryError: Container killed due to memory usage',
      }),
    ).toBe('EXIT');
  });

  test('retries what the infrastructure failed; with no entry matching, Batch retries', () => {
    expect(afterFailure(INFRASTRUCTURE_RETRY, { statusReason: 'Host EC2 (instance i-1) terminated.' })).toBe('RETRY');
    expect(
      afterFailure(INFRASTRUCTURE_RETRY, {
        statusReason: 'Task failed to start',
        reason: 'CannotStartContainerError: no python',
      }),
    ).toBe('RETRY');
    expect(afterFailure([], { ...exited, exitCode: 1 })).toBe('RETRY');
    expect(afterFailure([{ action: 'exit', onExitCode: '1*' }], { ...exited, exitCode: 12 })).toBe('EXIT');
    expect(afterFailure([{ action: 'EXIT', onExitCode: '1' }], { ...exited, exitCode: 12 })).toBe('RETRY');
  });
});

describe("the local executor's process slots", () => {
  test('a Batch job takes as many slots as its vCPUs (at most all), first come first served', async () => {
    const slots = new Slots(4);
    expect(await slots.acquire(1)).toBe(1);
    expect(await slots.acquire(2.5)).toBe(3);
    const order: string[] = [];
    const big = slots.acquire(16).then((n) => order.push(`big ${n}`));
    // A small one asked for after the big one waits behind it, though a slot would be free for it.
    const small = slots.acquire(1).then((n) => order.push(`small ${n}`));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release(1);
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release(3);
    await big;
    expect(order).toEqual(['big 4']);
    slots.release(4);
    await small;
    expect(order).toEqual(['big 4', 'small 1']);
  });
});

describe("a local Batch job's vCPUs", () => {
  test("the CPUs the runner allows are read from Linux's Cpus_allowed_list", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-cpus-'));
    const status = path.join(dir, 'status');
    fs.writeFileSync(status, 'Name:\tnode\nCpus_allowed_list:\t0,2-4,7\nMems_allowed_list:\t0\n');
    expect(allowedCpus(status)).toEqual([0, 2, 3, 4, 7]);
    expect(allowedCpus(path.join(dir, 'missing')).length).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('two 1-vCPU jobs at once are pinned to different CPUs; a job with all of them is not pinned', () => {
    const cpus = allowedCpus();
    if (cpus.length < 2 || spawnSync('taskset', ['--version']).status !== 0) return;
    const first = withCpuAffinity(['python3'], 1);
    const second = withCpuAffinity(['python3'], 1);
    expect(first.argv.slice(1, 3)).toEqual(['-c', String(cpus[0])]);
    expect(second.argv.slice(1, 3)).toEqual(['-c', String(cpus[1])]);
    first.release();
    expect(withCpuAffinity(['python3'], 0.25).argv.slice(1, 3)).toEqual(['-c', String(cpus[0])]);
    expect(withCpuAffinity(['python3'], cpus.length + 4).argv).toEqual(['python3']);
  });
});
