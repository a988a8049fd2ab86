/**
 * `compute: batch` in the local executor: a Batch group's `batch:submitJob.sync` Task runs its job as a
 * container of the job definition `deploy` registers (batch.ts), with only the image's Python packages.
 *
 * The example project with `reporting` on Batch runs to SUCCEEDED and verifies (one `package`, shared
 * by the suite); the same stage with `reporting` given too little memory fails as Batch reports it
 * (OutOfMemoryError, exit code 137), naming the group. The job container itself, with commands of its
 * own (no Kedro, fast): the Batch agent's variables, a writable file system of its own, CPU affinity,
 * the timeout and the retry strategy as AWS Batch documents them; and a SageMaker job's container with
 * only the image's packages. With schedule exact, a Batch group opens its dependents' gates through
 * KEDRO_AWS_RELEASE, as on AWS (the real gates.py, a stand-in entry without Kedro).
 */
import '../../src/targets/local/polyfill';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  INFRASTRUCTURE_RETRY,
  type JobDefinitionSpec,
  jobDefinitionName,
  jobDefinitionSpec,
  retryStrategy,
} from '../../src/plan/batch';
import { BATCH_SUBMIT_JOB_RESOURCE, buildDefinition } from '../../src/plan/statemachine';
import {
  BATCH_OOM_REASON,
  BATCH_TIMEOUT_REASON,
  type SubmitJobRequest,
  submitLocally,
} from '../../src/targets/local/batch';
import { runLocally } from '../../src/targets/local/executor';
import { trainLocally } from '../../src/targets/local/sagemaker';
import { type Deps, planOfDag, standInRuntime } from '../support/gated';
import { runInProcess } from '../support/inprocess';
import { uploadRaw } from '../support/kedro';
import { createDataBuckets, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

describe('a Batch group in the local executor: the example with reporting on compute: batch', () => {
  let runnerTemp: string;
  let project: string;

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-batch-'));
    project = copyProject(EXAMPLE);
    await uploadRaw(new S3Client({ region: 'us-east-1', forcePathStyle: true }), project);
  });

  const chain = (mode: string, settings: Record<string, unknown>) =>
    runInProcess(
      {
        mode,
        'project-path': project,
        python: PYTHON,
        executor: 'local',
        stage: 'lb',
        'group-settings': JSON.stringify({ groups: { reporting: { compute: 'batch', ...settings } } }),
      },
      { runnerTemp },
    );

  test('runs to SUCCEEDED and verifies: the Batch group ran as its job, and the Task got the job as .sync returns it', async () => {
    const result = await chain('package,run,verify', { vcpus: 1, memory_mb: 2048 });
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('SUCCEEDED');
    expect(result.outputs.verified).toBe('true');
    const record = JSON.parse(
      fs.readFileSync(path.join(runnerTemp, 'kedro-aws-action', 'lb', 'local-run.json'), 'utf8'),
    );
    expect(record.groups.reporting.result).toMatchObject({
      Status: 'SUCCEEDED',
      StatusReason: 'Essential container in task exited',
      JobName: 'spaceflights-lb-reporting',
      JobDefinition: 'spaceflights-lb',
      JobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Container: {
        ExitCode: 0,
        Command: expect.arrayContaining(['python3', '-m', 'kedro_aws_action.batch_entry', '--group', 'reporting']),
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '2048' },
        ],
      },
      Attempts: [expect.objectContaining({ Container: expect.objectContaining({ ExitCode: 0 }) })],
    });
    expect(record.groups.reporting.attempts).toBe(1);
    expect(record.groups.data_science.result).toMatchObject({ group: 'data_science' });
    expect(result.summary).toMatch(/\| `reporting` \|[^\n]*\| Batch \|/);
  });

  test('a Batch group past its memory is killed and the failure names the group and Batch’s reason', async () => {
    const result = await chain('run', { memory_mb: 64 });
    expect(result.ok).toBe(false);
    expect(result.outputs.status).toBe('FAILED');
    expect(result.failure).toContain('group "reporting" failed (local executor): States.TaskFailed');
    expect(result.failure).toContain('Status reason: Essential container in task exited');
    expect(result.failure).toContain('Exit code: 137');
    expect(result.failure).toContain(`Container reason: ${BATCH_OOM_REASON}`);
  });

  test('settings AWS Batch refuses are refused before anything runs, naming the group', async () => {
    const result = await chain('run', { timeout_seconds: 30 });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/group "reporting": timeout_seconds 30 .* below the AWS Batch minimum job timeout/);
  });
});

describe('a Batch job container in the local executor', () => {
  let root: string;
  let image: { site: string; taskRoot: string; packageName: string };
  const stageJobDefinition: JobDefinitionSpec = {
    jobDefinitionName: 'spaceflights-dev',
    type: 'container',
    platformCapabilities: ['EC2'],
    parameters: { group: 'default-group' },
    containerProperties: {
      image: 'local',
      command: ['python3', '-c', 'Ref::code', 'Ref::group'],
      jobRoleArn: 'arn:aws:iam::000000000000:role/job',
      environment: [
        { name: 'KEDRO_ENV', value: 'aws' },
        { name: 'FROM_DEFINITION', value: 'yes' },
      ],
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '2048' },
      ],
    },
    retryStrategy: retryStrategy(1),
    timeout: { attemptDurationSeconds: 600 },
    tags: {},
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-batch-job-'));
    image = { site: path.join(root, 'site'), taskRoot: path.join(root, 'task'), packageName: 'spaceflights' };
    fs.mkdirSync(image.site);
    fs.mkdirSync(path.join(image.taskRoot, 'conf', 'base'), { recursive: true });
    fs.writeFileSync(path.join(image.taskRoot, 'conf', 'base', 'catalog.yml'), '{}\n');
    // The image's entrypoint, which the job's command runs through.
    fs.mkdirSync(path.join(root, 'python', 'kedro_aws_action'), { recursive: true });
    fs.copyFileSync(
      path.join(__dirname, '../../python/kedro_aws_action/entrypoint.sh'),
      path.join(root, 'python', 'kedro_aws_action', 'entrypoint.sh'),
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const submit = (code: string, request: Partial<SubmitJobRequest> = {}, extra: { graceSeconds?: number } = {}) => {
    const lines: string[] = [];
    const starts: number[] = [];
    const outcome = submitLocally({
      python: PYTHON,
      image,
      actionPythonDir: path.join(root, 'python'),
      group: 'reporting',
      jobDefinition: stageJobDefinition,
      request: {
        JobName: 'spaceflights-dev-reporting',
        JobQueue: 'the-queue',
        ...request,
        Parameters: { code, ...request.Parameters },
      },
      scratchDir: path.join(root, 'scratch'),
      hostEnv: { ...process.env, GITHUB_TOKEN: 'not-for-the-job', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
      env: { AWS_REGION: 'eu-west-1' },
      log: (line) => lines.push(line),
      onStart: () => starts.push(Date.now()),
      ...extra,
    });
    return { outcome, lines, starts };
  };

  test("the container gets the job's command and environment, Batch's variables, a writable file system and the image's packages only", async () => {
    const code = `
import json, os, sys, importlib.util
open("written-here.txt", "w").write("x")
os.makedirs("data/03_primary", exist_ok=True)
keys = ["KEDRO_ENV", "FROM_DEFINITION", "FROM_OVERRIDE", "AWS_BATCH_JOB_ID", "AWS_BATCH_JQ_NAME",
        "AWS_BATCH_JOB_ATTEMPT", "AWS_BATCH_CE_NAME", "GITHUB_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION", "HOME"]
print("RESULT " + json.dumps({
    "argv": sys.argv[1:], "env": {k: os.environ.get(k) for k in keys}, "cwd": os.getcwd(),
    "files": sorted(os.listdir(".")), "no_site": sys.flags.no_site,
    "moto": importlib.util.find_spec("moto") is not None, "cpus": len(os.sched_getaffinity(0)),
}))
`;
    const { outcome, lines } = submit(code, {
      Parameters: { group: 'reporting' },
      ContainerOverrides: {
        Environment: [{ Name: 'FROM_OVERRIDE', Value: '["data_science"]' }],
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '1024' },
        ],
      },
    });
    const done = await outcome;
    expect(done.ok).toBe(true);
    const seen = JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice(7));
    // Ref::group filled from the job's parameters (over the job definition's default).
    expect(seen.argv).toEqual(['reporting']);
    expect(seen.env).toMatchObject({
      KEDRO_ENV: 'aws',
      FROM_DEFINITION: 'yes',
      FROM_OVERRIDE: '["data_science"]',
      AWS_BATCH_JOB_ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      AWS_BATCH_JQ_NAME: 'the-queue',
      AWS_BATCH_JOB_ATTEMPT: '1',
      AWS_BATCH_CE_NAME: 'kedro-aws-local',
      GITHUB_TOKEN: null,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_REGION: 'eu-west-1',
    });
    expect(seen.env.HOME).not.toBe(os.homedir());
    // The container's file system is writable and its own (a copy of the task folder, removed after).
    expect(seen.files).toEqual(['conf', 'data', 'written-here.txt']);
    expect(fs.existsSync(path.join(image.taskRoot, 'written-here.txt'))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'scratch'))).toEqual([]);
    // Only the image's packages: the test's venv (which has moto) is not on the import path.
    expect(seen.no_site).toBe(1);
    expect(seen.moto).toBe(false);
    // One vCPU: one of the runner's CPUs (where it has more than one, and taskset).
    if (os.cpus().length > 1 && spawnSync('taskset', ['--version']).status === 0) expect(seen.cpus).toBe(1);
    if (!done.ok) return;
    expect(done.payload).toMatchObject({
      Status: 'SUCCEEDED',
      JobQueue: 'the-queue',
      Container: {
        ExitCode: 0,
        Environment: expect.arrayContaining([{ Name: 'FROM_OVERRIDE', Value: '["data_science"]' }]),
      },
    });
  });

  test('a failed attempt is retried as the retry strategy says: EXIT on the group’s own exit, RETRY when nothing matches', async () => {
    const attemptsFile = path.join(root, 'attempts.txt');
    const code = `import os; open(${JSON.stringify(attemptsFile)}, "a").write(os.environ["AWS_BATCH_JOB_ATTEMPT"] + "\\n"); raise SystemExit(3)`;
    const planned = await submit(code, {
      RetryStrategy: {
        Attempts: 3,
        EvaluateOnExit: INFRASTRUCTURE_RETRY.map((e) => ({
          Action: e.action,
          ...(e.onStatusReason ? { OnStatusReason: e.onStatusReason } : {}),
          ...(e.onReason ? { OnReason: e.onReason } : {}),
        })),
      },
    }).outcome;
    expect(planned.ok).toBe(false);
    expect(fs.readFileSync(attemptsFile, 'utf8')).toBe('1\n');
    fs.rmSync(attemptsFile);
    const bare = submit(code, { RetryStrategy: { Attempts: 3 } });
    const retried = await bare.outcome;
    expect(fs.readFileSync(attemptsFile, 'utf8')).toBe('1\n2\n3\n');
    expect(bare.starts).toHaveLength(3);
    expect(retried.ok).toBe(false);
    if (retried.ok) return;
    expect(retried.errorType).toBe('States.TaskFailed');
    const job = JSON.parse(retried.errorMessage);
    expect(job).toMatchObject({
      Status: 'FAILED',
      StatusReason: 'Essential container in task exited',
      Container: { ExitCode: 3 },
    });
    expect(job.Attempts).toHaveLength(3);
  });

  test('past attemptDurationSeconds the job is stopped, reported as Batch reports it, and not retried', async () => {
    const started = Date.now();
    const { outcome, starts } = submit('import time; time.sleep(60)', {
      Timeout: { AttemptDurationSeconds: 1 },
      RetryStrategy: { Attempts: 3 },
    });
    const done = await outcome;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(starts).toHaveLength(1);
    expect(done.ok).toBe(false);
    if (done.ok) return;
    expect(JSON.parse(done.errorMessage)).toMatchObject({
      Status: 'FAILED',
      StatusReason: BATCH_TIMEOUT_REASON,
      // SIGTERM first (the process had no handler): 128 + 15.
      Container: { ExitCode: 143 },
    });
  });

  test('a job past its MEMORY is killed: OutOfMemoryError, exit code 137', async () => {
    const { outcome } = submit(
      'import time; held = bytearray(300 << 20); held[::4096] = b"x" * len(held[::4096]); time.sleep(30)',
      {
        ContainerOverrides: {
          ResourceRequirements: [
            { Type: 'VCPU', Value: '1' },
            { Type: 'MEMORY', Value: '100' },
          ],
        },
      },
    );
    const done = await outcome;
    expect(done.ok).toBe(false);
    if (done.ok) return;
    expect(JSON.parse(done.errorMessage)).toMatchObject({
      Status: 'FAILED',
      StatusReason: 'Essential container in task exited',
      Container: { ExitCode: 137, Reason: BATCH_OOM_REASON },
    });
  });

  test("the Task's result and failure have the shape submitJob.sync gives: ResultSelector, Choice and Catch read them as on AWS", async () => {
    const task = (code: string, next: Record<string, unknown>) => ({
      Type: 'Task',
      Resource: BATCH_SUBMIT_JOB_RESOURCE,
      Parameters: { JobName: 'j', JobQueue: 'q', JobDefinition: 'spaceflights-dev', Parameters: { code } },
      ...next,
    });
    const definition = {
      StartAt: 'ok',
      States: {
        ok: task('pass', {
          ResultSelector: { 'exit.$': '$.Container.ExitCode', 'status.$': '$.Status', 'attempts.$': '$.Attempts' },
          ResultPath: '$.ok',
          Next: 'ok?',
        }),
        'ok?': {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.ok.exit', NumericEquals: 0 },
                { Variable: '$.ok.status', StringEquals: 'SUCCEEDED' },
              ],
              Next: 'broken',
            },
          ],
          Default: 'wrong',
        },
        broken: task('raise SystemExit(3)', {
          ResultPath: null,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'cause' }],
          Next: 'wrong',
        }),
        cause: { Type: 'Pass', Parameters: { 'job.$': 'States.StringToJson($.error.Cause)' }, Next: 'exit 3?' },
        'exit 3?': {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.job.Container.ExitCode', NumericEquals: 3 },
                { Variable: '$.job.Status', StringEquals: 'FAILED' },
              ],
              Next: 'done',
            },
          ],
          Default: 'wrong',
        },
        done: { Type: 'Succeed' },
        wrong: { Type: 'Fail', Error: 'Wrong', Cause: 'the job did not look as submitJob.sync returns it' },
      },
    };
    const result = await runLocally({
      definition,
      input: { run_id: 'r', runtime_params: {} },
      python: PYTHON,
      image,
      actionPythonDir: path.join(root, 'python'),
      groupOfState: new Map([
        ['ok', 'ok'],
        ['broken', 'broken'],
      ]),
      batchJobDefinition: stageJobDefinition,
      scratchDir: path.join(root, 'scratch'),
      log: () => {},
    });
    expect({ status: result.status, failure: result.failure }).toEqual({ status: 'SUCCEEDED' });
    expect(result.groups.broken).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
  });

  test("a package the image does not have fails a Batch job and a SageMaker job, though the runner's venv has it", async () => {
    expect(spawnSync(PYTHON, ['-c', 'import pydantic'], { encoding: 'utf8' }).status).toBe(0);
    const batch = submit('import pydantic');
    const done = await batch.outcome;
    expect(done.ok).toBe(false);
    expect(batch.lines).toContainEqual(expect.stringMatching(/No module named 'pydantic'/));

    const lines: string[] = [];
    const trained = await trainLocally({
      python: PYTHON,
      image,
      actionPythonDir: path.join(root, 'python'),
      group: 'data_science',
      request: {
        TrainingJobName: 'spaceflights-dev-data-scien-1',
        AlgorithmSpecification: { ContainerEntrypoint: ['python3', '-c'], ContainerArguments: ['import pydantic'] },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        Environment: { KEDRO_ENV: 'aws', PYTHONPATH: '/var/task' },
      },
      scratchDir: path.join(root, 'scratch'),
      log: (line) => lines.push(line),
    });
    expect(trained.ok).toBe(false);
    if (trained.ok) return;
    expect(JSON.parse(trained.errorMessage)).toMatchObject({ TrainingJobStatus: 'Failed' });
    expect(lines).toContainEqual(expect.stringMatching(/No module named 'pydantic'/));
  });
});

/** The Batch entry, stand-in (no Kedro): sleeps for the group's duration, then releases as the real entry does. */
const STAND_IN_ENTRY = `
import json, sys, time
from kedro_aws_action import gates

args = sys.argv[1:]
value = lambda option: args[args.index(option) + 1]
group, run_id = value("--group"), value("--run-id")
params = json.loads(value("--runtime-params-json"))
started = time.time()
time.sleep(float(params.get("durations", {}).get(group, 0)))
ended = time.time()
released = gates.release_from_environment(group, run_id)
print(json.dumps({"group": group, "started": started, "ended": ended, "released": released}))
`;

describe('schedule exact with a Batch group in the local executor', () => {
  // The N: g002 needs g000 and g001 (behind a gate), g003 needs g001 only; g001 is a Batch job.
  const deps: Deps = [[], [], [0, 1], [1]];
  const plan = planOfDag(deps, 'gated-batch', { groups: { g001: { compute: 'batch', vcpus: 2 } } });

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
  });

  test('the Batch group opens its dependent’s gate through KEDRO_AWS_RELEASE, as on AWS', async () => {
    const { actionPythonDir, image } = standInRuntime();
    fs.writeFileSync(path.join(actionPythonDir, 'kedro_aws_action', 'batch_entry.py'), STAND_IN_ENTRY);
    const arn = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
    const records = 's3://kedro-aws-fixtures/.kedro-aws/gated-batch/';
    const { definition } = buildDefinition(plan, {
      schedule: 'exact',
      env: 'aws',
      packageName: 'gated',
      functionArn: (g) => arn(g.names.lambdaFunction),
      gateFunctionArn: arn(plan.groups[0]!.names.lambdaFunction),
      batch: { jobQueue: 'the-queue', jobDefinition: jobDefinitionName(plan) },
    });
    const lines: string[] = [];
    const result = await runLocally({
      definition,
      input: {
        run_id: new Date().toISOString().replace(/:/g, '.'),
        runtime_params: { durations: { g000: 0.2, g001: 1.5 } },
        env: 'aws',
      },
      python: PYTHON,
      image,
      actionPythonDir,
      groupOfState: new Map(plan.groups.map((g) => [g.names.state, g.name])),
      batchJobDefinition: jobDefinitionSpec(plan, {
        imageUri: 'local',
        jobRoleArn: 'arn:aws:iam::000000000000:role/job',
        packageName: 'gated',
        recordsUrl: records,
        tags: {},
      }),
      maxConcurrency: 8,
      log: (line) => lines.push(line),
      env: { KEDRO_AWS_RUN_RECORDS: records },
    });
    expect({ status: result.status, failure: result.failure, log: lines.slice(-20) }).toMatchObject({
      status: 'SUCCEEDED',
    });
    // g001 ran as a Batch job (its Task's result is the job) and opened g002's gate when it had run.
    expect(result.groups.g001!.result).toMatchObject({ Status: 'SUCCEEDED', JobQueue: 'the-queue' });
    expect(result.gates.g002).toMatchObject({ openedBy: 'g001' });
    // g002 started once g001's work (1.5 s) was done: the release comes before the container exits.
    expect(result.groups.g002!.start!.getTime()).toBeGreaterThanOrEqual(result.groups.g001!.start!.getTime() + 1500);
  });
});
