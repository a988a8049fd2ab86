/**
 * `compute: sagemaker`, end to end without AWS: the example project's `data_science` group on SageMaker
 * (through the `group-settings` input). The stage deploys to moto (the definition read back: the
 * SageMaker Task, the image, the role, the instance, the names), the local executor runs it (the
 * SageMaker group as a process of the group entry, with its job's command and environment) to SUCCEEDED,
 * and verify passes on the run's records. The training job the definition asks for, resolved as Step
 * Functions resolves it, is accepted by moto's SageMaker and conforms to the SageMaker API model (which
 * moto does not enforce: test/support/api-model.ts). Bad SageMaker settings are refused at `package`.
 * The local job itself (trainLocally): a cancel kills it and it ends Stopped, as StopTrainingJob ends a job
 * (Step Functions calls it for a `.sync` Task whose execution is stopped; the post step stops the execution);
 * past its max runtime it ends Stopped / MaxRuntimeExceeded.
 */
import '../../src/targets/local/polyfill';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { SAGEMAKER_NAME_PATTERN } from '../../src/plan/names';
import { SAGEMAKER_TRAINING_RESOURCE } from '../../src/plan/sagemaker';
import { type TrainingJobRequest, trainLocally } from '../../src/targets/local/sagemaker';
import { modelViolations } from '../support/api-model';
import { boto } from '../support/boto';
import { runInProcess } from '../support/inprocess';
import { uploadRaw } from '../support/kedro';
import { createDataBuckets, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/spaceflights@sha256:${'cd'.repeat(32)}`;
const ON_SAGEMAKER = {
  groups: {
    data_science: { compute: 'sagemaker', instance_type: 'ml.g5.xlarge', timeout_seconds: 3600, volume_size_gb: 50 },
  },
};

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

function trust(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

interface Task {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Branches?: { States: Record<string, Task> }[];
}

function tasks(states: Record<string, Task>): [string, Task][] {
  return Object.entries(states).flatMap(([name, s]) =>
    s.Type === 'Task' ? [[name, s] as [string, Task]] : (s.Branches ?? []).flatMap((b) => tasks(b.States)),
  );
}

describe('a SageMaker group: the example with data_science on compute: sagemaker', () => {
  let runnerTemp: string;
  let project: string;
  let roles: { lambda: string; sfn: string; sagemaker: string };

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    const iam = new IAMClient({ region: 'us-east-1' });
    const role = async (name: string, service: string) =>
      (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service) }))).Role!.Arn!;
    roles = {
      lambda: await role('kedro-lambda', 'lambda.amazonaws.com'),
      sfn: await role('kedro-sfn', 'states.amazonaws.com'),
      sagemaker: await role('kedro-sagemaker', 'sagemaker.amazonaws.com'),
    };
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-sagemaker-'));
    project = copyProject(EXAMPLE);
    await uploadRaw(new S3Client({ region: 'us-east-1', forcePathStyle: true }), project);
  });

  const chain = (mode: string, stage: string, extra: Record<string, string> = {}) =>
    runInProcess(
      {
        mode,
        'project-path': project,
        python: PYTHON,
        executor: 'local',
        stage,
        'group-settings': JSON.stringify(ON_SAGEMAKER),
        'lambda-role-arn': roles.lambda,
        'sfn-role-arn': roles.sfn,
        'sagemaker-role-arn': roles.sagemaker,
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
        ...extra,
      },
      { runnerTemp },
    );

  let deployed: { definition: { States: Record<string, Task> }; arn: string } | undefined;

  test('deploys, runs locally to SUCCEEDED and verifies: the SageMaker Task runs the image, as the role, on its instance', async () => {
    const result = await chain('package,deploy,run,verify', 'sm');
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('SUCCEEDED');
    expect(result.outputs.verified).toBe('true');

    // The state machine in moto: data_science is a createTrainingJob.sync Task; the others are Lambda functions.
    const arn = result.outputs['state-machine-arn']!;
    const described = await new SFNClient({ region: 'us-east-1' }).send(
      new DescribeStateMachineCommand({ stateMachineArn: arn }),
    );
    const definition = JSON.parse(described.definition!) as { States: Record<string, Task> };
    deployed = { definition, arn };
    // The definition as deployed (not only as built) is valid ASL.
    const asl = aslValidator(definition, { checkPaths: true, checkArn: true });
    expect(asl.errorsText('\n')).toBe('');
    expect(asl.isValid).toBe(true);
    const byName = new Map(tasks(definition.States));
    const ds = byName.get('data_science')!;
    expect(ds.Resource).toBe(SAGEMAKER_TRAINING_RESOURCE);
    const p = ds.Parameters!;
    expect(p.RoleArn).toBe(roles.sagemaker);
    expect(p.AlgorithmSpecification).toMatchObject({
      TrainingImage: IMAGE,
      ContainerEntrypoint: expect.arrayContaining(['python3', '-m', 'kedro_aws_action.batch_entry', 'data_science']),
    });
    expect(p.ResourceConfig).toEqual({ InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 });
    expect(p.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    // The groups' environment (environment.ts), the image's task root, the stage's region.
    expect(p.Environment).toEqual({
      KEDRO_PACKAGE_NAME: 'spaceflights',
      KEDRO_ENV: 'aws',
      KEDRO_DISABLE_TELEMETRY: 'true',
      KEDRO_AWS_RUN_RECORDS: 's3://kedro-aws-example/.kedro-aws/spaceflights/sm/',
      LAMBDA_TASK_ROOT: '/var/task',
      PYTHONPATH: '/var/task',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      KEDRO_AWS_FAILURE_FILE: '/opt/ml/output/failure',
    });
    expect((p.OutputDataConfig as { S3OutputPath: string }).S3OutputPath).toBe(
      's3://kedro-aws-example/.kedro-aws/spaceflights/sm/sagemaker/',
    );
    // <project>-<stage>-<group> in 26 characters, then a UUID per job: at most 63.
    expect(p['TrainingJobName.$']).toBe("States.Format('spaceflights-sm-data-scien-{}', States.UUID())");
    expect(byName.get('data_processing')!.Resource).toBe('arn:aws:states:::lambda:invoke');
    const functions = await new LambdaClient({ region: 'us-east-1' }).send(new ListFunctionsCommand({}));
    expect((functions.Functions ?? []).map((f) => f.FunctionName).sort()).toEqual([
      'spaceflights-sm-data_processing',
      'spaceflights-sm-reporting',
    ]);

    // The SageMaker group ran as its job (the local record keeps the job's description, as .sync returns it).
    const record = JSON.parse(
      fs.readFileSync(path.join(runnerTemp, 'kedro-aws-action', 'sm', 'local-run.json'), 'utf8'),
    );
    expect(record.groups.data_science.result).toMatchObject({
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      TrainingJobName: expect.stringMatching(/^spaceflights-sm-data-scien-[0-9a-f-]{36}$/),
    });
    expect(record.groups.data_processing.result).toMatchObject({ group: 'data_processing', nodes_run: 3 });

    // The summary shows where each group ran.
    expect(result.summary).toContain('SageMaker `ml.g5.xlarge`');
    expect(result.summary).toMatch(/\| `data_processing` \|[^\n]*\| Lambda \|/);
  });

  test("the deployed Task's training job, resolved as Step Functions resolves it, is accepted by moto and by the API model", async () => {
    expect(deployed).toBeDefined();
    const seen = new Map<string, Record<string, unknown>>();
    const handlers = Object.fromEntries(
      tasks(deployed!.definition.States).map(([name]) => [
        name,
        async (input: Record<string, unknown>) => {
          seen.set(name, input);
          return {};
        },
      ]),
    );
    const execution = new StateMachine(deployed!.definition as never).run(
      { run_id: '2026-02-01T06.00.00.000Z', runtime_params: {} },
      {
        overrides: { taskResourceLocalHandlers: handlers as never },
        context: { Execution: { Id: `${deployed!.arn.replace(':stateMachine:', ':execution:')}:e1`, RedriveCount: 0 } },
      },
    );
    await execution.result;
    const request = seen.get('data_science')!;
    const name = request.TrainingJobName as string;
    expect(name).toMatch(SAGEMAKER_NAME_PATTERN);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(modelViolations('sagemaker', 'CreateTrainingJob', request)).toEqual([]);

    const created = boto('sagemaker', 'create_training_job', request);
    expect(created.TrainingJobArn).toBe(`arn:aws:sagemaker:us-east-1:123456789012:training-job/${name}`);
    const job = boto('sagemaker', 'describe_training_job', { TrainingJobName: name });
    expect(job.AlgorithmSpecification.TrainingImage).toBe(IMAGE);
    expect(job.RoleArn).toBe(roles.sagemaker);
    expect(job.ResourceConfig).toMatchObject({ InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 });
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    const tags = boto('sagemaker', 'list_tags', { ResourceArn: created.TrainingJobArn });
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'kedro-aws:project', Value: 'spaceflights' },
        { Key: 'kedro-aws:stage', Value: 'sm' },
        { Key: 'kedro-aws:run-id', Value: '2026-02-01T06.00.00.000Z' },
      ]),
    );

    // The model check is no formality: what SageMaker refuses, it refuses.
    const tooLong = modelViolations('sagemaker', 'CreateTrainingJob', {
      ...request,
      TrainingJobName: `${name}_x${'y'.repeat(63)}`,
      ResourceConfig: { InstanceType: 'ml.g5.huge', InstanceCount: 1, VolumeSizeInGB: 50 },
    });
    expect(tooLong).toEqual([
      expect.stringMatching(/^CreateTrainingJob\.TrainingJobName: length \d+ is above the maximum 63/),
      expect.stringMatching(/^CreateTrainingJob\.TrainingJobName: .* does not match/),
      expect.stringMatching(/^CreateTrainingJob\.ResourceConfig\.InstanceType: 'ml\.g5\.huge' is not one of/),
    ]);
  });

  test("a failing SageMaker group: the failure and the summary give the job's FailureReason, the group's error", async () => {
    // data_processing, on SageMaker here, reads a raw file that is not on S3 in this copy.
    const failing = copyProject(EXAMPLE);
    const catalog = path.join(failing, 'conf', 'aws', 'catalog.yml');
    fs.writeFileSync(
      catalog,
      fs.readFileSync(catalog, 'utf8').replace('01_raw/shuttles.csv', '01_raw/no-such-file.csv'),
    );
    const result = await runInProcess(
      {
        mode: 'package,run',
        'project-path': failing,
        python: PYTHON,
        executor: 'local',
        stage: 'sm-fail',
        'group-settings': JSON.stringify({ groups: { data_processing: { compute: 'sagemaker' } } }),
      },
      { runnerTemp },
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toContain('group "data_processing" failed (local executor): States.TaskFailed');
    expect(result.failure).toContain('Status: Failed / Failed');
    expect(result.failure).toMatch(
      /Failure reason: AlgorithmError: DatasetError: group 'data_processing' failed: .*no-such-file\.csv/,
    );
    expect(result.summary.split('\n')[0]).toMatch(/the run failed in group `data_processing` with `States.TaskFailed`/);
    expect(result.summary).toMatch(/AlgorithmError: DatasetError: group 'data_processing' failed/);
    expect(result.summary).toContain('SageMaker `ml.m5.large`');
  });

  test('a SageMaker group past its max runtime is stopped locally too, and the failure says so', async () => {
    // The stage packaged by the first test, run again with a max runtime of one second.
    const result = await chain('run', 'sm', {
      'group-settings': JSON.stringify({ groups: { data_science: { compute: 'sagemaker', timeout_seconds: 1 } } }),
    });
    expect(result.ok).toBe(false);
    expect(result.outputs.status).toBe('FAILED');
    expect(result.failure).toContain('group "data_science" failed (local executor): States.TaskFailed');
    expect(result.failure).toContain('Status: Stopped / MaxRuntimeExceeded');
    expect(result.failure).toContain('MaxRuntimeInSeconds provided (1 s)');
  });

  test("teardown removes the stage, its SageMaker jobs' output folder included (under the stage's records)", async () => {
    // What SageMaker writes for a job: <S3OutputPath><job>/output/model.tar.gz (a stand-in: jobs here run locally).
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    const key = '.kedro-aws/spaceflights/sm/sagemaker/spaceflights-sm-data-scien-1/output/model.tar.gz';
    await s3.send(new PutObjectCommand({ Bucket: 'kedro-aws-example', Key: key, Body: 'model' }));
    const result = await chain('teardown', 'sm');
    expect(result.failure).toBeUndefined();
    const left = await s3.send(
      new ListObjectsV2Command({ Bucket: 'kedro-aws-example', Prefix: '.kedro-aws/spaceflights/sm/' }),
    );
    expect((left.Contents ?? []).map((o) => o.Key)).toEqual([]);
    const functions = await new LambdaClient({ region: 'us-east-1' }).send(new ListFunctionsCommand({}));
    expect(
      (functions.Functions ?? []).map((f) => f.FunctionName).filter((n) => n?.startsWith('spaceflights-sm-')),
    ).toEqual([]);
  });

  test('bad SageMaker settings in conf/aws/kedro_aws.yml are refused at package, each naming the group, the setting and the file', async () => {
    const bad = copyProject(EXAMPLE);
    fs.writeFileSync(
      path.join(bad, 'conf', 'aws', 'kedro_aws.yml'),
      [
        'groups:',
        '  data_science:',
        '    compute: sagemaker',
        '    instance_type: ml.g5.huge',
        '    instance_count: 2',
        '    timeout_seconds: 2419201',
        '    spot: true',
        '',
      ].join('\n'),
    );
    const result = await runInProcess(
      { mode: 'package', 'project-path': bad, python: PYTHON, stage: 'sm-bad' },
      { runnerTemp },
    );
    expect(result.ok).toBe(false);
    const failure = result.failure ?? '';
    for (const [setting, value] of [
      ['instance_type', '"ml.g5.huge"'],
      ['instance_count', '2'],
      ['timeout_seconds', '2419201'],
      ['spot', 'true'],
    ]) {
      expect(failure).toContain(`group "data_science": ${setting} ${value}`);
      expect(failure).toContain(`groups.data_science.${setting} in conf/aws/kedro_aws.yml`);
    }
    expect(failure).toContain('not an instance type of SageMaker training jobs');
    expect(failure).toContain('one Kedro session in one Python process');
    expect(failure).toContain('2,419,200 seconds (28 days');
    expect(failure).toContain('set without max_wait_seconds');
    // Refused before `kedro package`: no wheel was built.
    expect(fs.existsSync(path.join(bad, 'dist'))).toBe(false);
  });
});

describe('a SageMaker job in the local executor, stopped', () => {
  let root: string;
  let image: { site: string; taskRoot: string; packageName: string };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-sagemaker-stop-'));
    image = { site: path.join(root, 'site'), taskRoot: path.join(root, 'task'), packageName: 'spaceflights' };
    fs.mkdirSync(image.site);
    fs.mkdirSync(path.join(image.taskRoot, 'conf'), { recursive: true });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A job whose container writes its pid, then sleeps for a minute. */
  const sleeper = (pidFile: string, maxRuntime: number): TrainingJobRequest => ({
    TrainingJobName: 'spaceflights-dev-data-scien-1',
    AlgorithmSpecification: {
      ContainerEntrypoint: ['python3', '-c'],
      ContainerArguments: [
        `import os, time; open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid())); time.sleep(60)`,
      ],
    },
    StoppingCondition: { MaxRuntimeInSeconds: maxRuntime },
    Environment: { KEDRO_ENV: 'aws' },
  });
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const train = (request: TrainingJobRequest, signal?: AbortSignal) =>
    trainLocally({
      python: PYTHON,
      image,
      actionPythonDir: path.join(root, 'python'),
      group: 'data_science',
      request,
      scratchDir: path.join(root, 'scratch'),
      log: () => {},
      ...(signal ? { signal } : {}),
    });

  test('a cancelled run (the executor aborted) kills the job and reports it Stopped, as StopTrainingJob ends it', async () => {
    const pidFile = path.join(root, 'cancelled.pid');
    const controller = new AbortController();
    const pending = train(sleeper(pidFile, 3600), controller.signal);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8') === '') {
      if (Date.now() > deadline) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    controller.abort();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errorType).toBe('States.TaskFailed');
    expect(JSON.parse(outcome.errorMessage)).toMatchObject({
      TrainingJobStatus: 'Stopped',
      SecondaryStatus: 'Stopped',
    });
    expect(alive(pid)).toBe(false);
  });

  test('past MaxRuntimeInSeconds the job is killed and ends Stopped / MaxRuntimeExceeded', async () => {
    const pidFile = path.join(root, 'timeout.pid');
    const outcome = await train(sleeper(pidFile, 2));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(JSON.parse(outcome.errorMessage)).toMatchObject({
      TrainingJobStatus: 'Stopped',
      SecondaryStatus: 'MaxRuntimeExceeded',
    });
    expect(alive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
  });
});
