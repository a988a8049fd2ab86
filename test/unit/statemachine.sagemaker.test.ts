/**
 * SageMaker groups inside the Step Functions definition: a group with `compute: sagemaker` becomes a
 * `sagemaker:createTrainingJob.sync` Task (no Step Functions Retry, result dropped) running the stage's
 * image with the group entry, in the same machine as the Lambda and Batch groups. The Task's
 * parameters are also resolved as Step Functions resolves them (aws-local-stepfunctions, the local
 * executor's interpreter) to check the job names a run gets.
 */
import '../../src/targets/local/polyfill';
import { createHash } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { SAGEMAKER_NAME_PATTERN } from '../../src/plan/names';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import {
  FAILURE_FILE_ENV,
  SAGEMAKER_FAILURE_FILE,
  SAGEMAKER_TASK_START_SECONDS,
  SAGEMAKER_TRAINING_RESOURCE,
  type SageMakerOptions,
} from '../../src/plan/sagemaker';
import type { Group } from '../../src/plan/schema';
import {
  BATCH_SUBMIT_JOB_RESOURCE,
  type BuiltDefinition,
  buildDefinition,
  HISTORY_EVENTS,
  LAMBDA_INVOKE_RESOURCE,
} from '../../src/plan/statemachine';
import { group, makePlan, problemsOf } from './plan/fixtures';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/spaceflights@sha256:${'ab'.repeat(32)}`;
const SAGEMAKER: SageMakerOptions = {
  roleArn: 'arn:aws:iam::123456789012:role/kedro-sagemaker',
  imageUri: IMAGE,
  outputPath: 's3://spaceflights-data/.kedro-aws/spaceflights/dev/sagemaker/',
  environment: { KEDRO_PACKAGE_NAME: 'spaceflights', KEDRO_ENV: 'aws', PYTHONPATH: '/var/task' },
  tags: { 'kedro-aws:project': 'spaceflights', 'kedro-aws:stage': 'dev' },
};
const BATCH = {
  jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/kedro',
  jobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:7',
};
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-dev:dev-run1';

function planOf(groups: Group[], settings: Record<string, unknown> = {}): DeploymentPlan {
  return buildPlan(makePlan({ groups, settings }), { stage: 'dev' });
}

function build(plan: DeploymentPlan, sagemaker: SageMakerOptions | null = SAGEMAKER): BuiltDefinition {
  return buildDefinition(plan, {
    // Each group's Task is what these tests are about; the gates of exact (the default, auto) are
    // statemachine.exact.test.ts's.
    schedule: 'dag',
    env: 'aws',
    packageName: 'spaceflights',
    functionArn: (g) => `arn:aws:lambda:eu-west-1:123456789012:function:${g.names.lambdaFunction}`,
    batch: BATCH,
    ...(sagemaker ? { sagemaker } : {}),
  });
}

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: unknown[];
  Branches?: { States: Record<string, State> }[];
  [key: string]: unknown;
}

function tasks(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, s]) =>
    s.Type === 'Task' ? [[name, s] as [string, State]] : (s.Branches ?? []).flatMap((b) => tasks(b.States)),
  );
}

function expectValid(built: BuiltDefinition): void {
  const result = aslValidator(JSON.parse(built.json), { checkPaths: true, checkArn: true });
  expect(result.errorsText('\n')).toBe('');
  expect(result.isValid).toBe(true);
}

/** The parameters each Task gets in a run, resolved by the local interpreter of Step Functions. */
async function resolvedParameters(
  built: BuiltDefinition,
  context: { executionArn?: string; redriveCount?: number } = {},
): Promise<Map<string, Record<string, unknown>>> {
  const seen = new Map<string, Record<string, unknown>>();
  const handlers = Object.fromEntries(
    tasks(JSON.parse(built.json).States).map(([name]) => [
      name,
      async (input: Record<string, unknown>) => {
        seen.set(name, input);
        return {};
      },
    ]),
  );
  const machine = new StateMachine(JSON.parse(built.json), { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(
    { run_id: '2026-01-31T08.15.00.123Z', runtime_params: { output_prefix: 'pr-7' } },
    {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: { Execution: { Id: context.executionArn ?? EXECUTION, RedriveCount: context.redriveCount ?? 0 } },
    },
  );
  await execution.result;
  return seen;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** An intrinsic function's value, as the local interpreter gives it. */
async function evaluate(expression: string): Promise<unknown> {
  const machine = new StateMachine({
    StartAt: 'P',
    States: { P: { Type: 'Pass', Parameters: { 'value.$': expression }, End: true } },
  } as never);
  const result = (await machine.run({}).result) as { value: unknown };
  return result.value;
}

const spaceflights = (settings: Record<string, unknown> = {}): DeploymentPlan =>
  planOf(
    [group('data_processing'), group('data_science', ['data_processing']), group('reporting', ['data_processing'])],
    {
      groups: {
        data_science: {
          compute: 'sagemaker',
          instance_type: 'ml.g5.xlarge',
          volume_size_gb: 50,
          timeout_seconds: 7200,
          retries: 1,
          ...settings,
        },
      },
    },
  );

describe('a state machine with a SageMaker group', () => {
  const built = build(spaceflights());
  const states = new Map(tasks(JSON.parse(built.json).States));
  const ds = () => states.get('data_science')!;

  it('is valid ASL', () => expectValid(built));

  it('runs the SageMaker group as a createTrainingJob.sync Task without Retry, the others on Lambda', () => {
    expect(ds().Resource).toBe(SAGEMAKER_TRAINING_RESOURCE);
    expect(ds().Retry).toBeUndefined();
    expect(ds().ResultPath).toBeNull();
    expect('Catch' in ds()).toBe(false);
    for (const name of ['data_processing', 'reporting'])
      expect(states.get(name)!.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
  });

  it("creates a job of the stage's image running the group entry, as the role, on the group's instance", () => {
    const p = ds().Parameters!;
    expect(p.RoleArn).toBe(SAGEMAKER.roleArn);
    expect(p.AlgorithmSpecification).toEqual({
      TrainingImage: IMAGE,
      TrainingInputMode: 'File',
      ContainerEntrypoint: [
        'python3',
        '-m',
        'kedro_aws_action.batch_entry',
        '--group',
        'data_science',
        '--type',
        'namespace',
        '--nodes',
        '["data_science.node"]',
        '--env',
        'aws',
        '--pipeline',
        '__default__',
      ],
      'ContainerArguments.$':
        "States.Array('--run-id', $.run_id, '--runtime-params-json', States.JsonToString($.runtime_params))",
    });
    expect(p.ResourceConfig).toEqual({ InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 });
    expect(p.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200 });
    expect(p.RetryStrategy).toEqual({ MaximumRetryAttempts: 1 });
    expect(p.EnableManagedSpotTraining).toBeUndefined();
    expect(p.OutputDataConfig).toEqual({ S3OutputPath: SAGEMAKER.outputPath, CompressionType: 'NONE' });
    expect(p.Environment).toEqual({ ...SAGEMAKER.environment, [FAILURE_FILE_ENV]: SAGEMAKER_FAILURE_FILE });
    expect(p.Tags).toEqual([
      { Key: 'kedro-aws:project', Value: 'spaceflights' },
      { Key: 'kedro-aws:stage', Value: 'dev' },
      { Key: 'kedro-aws:group', Value: 'data_science' },
      { Key: 'kedro-aws:run-id', 'Value.$': '$.run_id' },
    ]);
  });

  it('gives the Task the max runtime and an hour to start', () => {
    expect(ds().TimeoutSeconds).toBe(7200 + SAGEMAKER_TASK_START_SECONDS);
  });

  it('counts the .sync Task in the history estimate', () => {
    const allLambda = build(
      planOf([
        group('data_processing'),
        group('data_science', ['data_processing']),
        group('reporting', ['data_processing']),
      ]),
    );
    expect(built.stats.estimatedHistoryEvents - allLambda.stats.estimatedHistoryEvents).toBe(
      HISTORY_EVENTS.syncTask - HISTORY_EVENTS.lambdaTask,
    );
  });

  it('names each job "<prefix>-<UUID>": a new, valid name of at most 63 every time the state runs', async () => {
    expect(ds().Parameters!['TrainingJobName.$']).toBe("States.Format('spaceflights-dev-data-scie-{}', States.UUID())");
    const first = (await resolvedParameters(built)).get('data_science')!;
    const name = first.TrainingJobName as string;
    expect(name).toMatch(/^spaceflights-dev-data-scie-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(SAGEMAKER_NAME_PATTERN);
    expect(first.AlgorithmSpecification).toMatchObject({
      ContainerArguments: ['--run-id', '2026-01-31T08.15.00.123Z', '--runtime-params-json', '{"output_prefix":"pr-7"}'],
    });
    expect(first.Tags).toContainEqual({ Key: 'kedro-aws:run-id', Value: '2026-01-31T08.15.00.123Z' });
    // A redrive of the same execution creates a job of its own (SageMaker would refuse the first name).
    const redriven = (await resolvedParameters(built, { redriveCount: 1 })).get('data_science')!;
    expect(redriven.TrainingJobName).not.toBe(name);
  });

  it('does not hash the execution into the name: the local interpreter hashes long inputs wrongly', async () => {
    // Why the name takes a UUID, not States.Hash of the execution (sagemaker.ts): aws-local-stepfunctions
    // 3.0.0 gives a wrong MD5 from 56 bytes of input on, equal for inputs that differ late.
    const hash = (text: string) => evaluate(`States.Hash('${text}', 'MD5')`);
    expect(await hash('a'.repeat(55))).toBe(md5('a'.repeat(55)));
    expect(await hash('a'.repeat(56))).not.toBe(md5('a'.repeat(56)));
  });
});

describe('SageMaker settings in the Task', () => {
  it('spot: EnableManagedSpotTraining, the max wait, and the Task waits for the max wait', () => {
    const built = build(spaceflights({ spot: true, max_wait_seconds: 10800, retries: 0 }));
    const ds = new Map(tasks(JSON.parse(built.json).States)).get('data_science')!;
    expect(ds.Parameters!.EnableManagedSpotTraining).toBe(true);
    expect(ds.Parameters!.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 10800 });
    expect(ds.Parameters!.RetryStrategy).toBeUndefined();
    expect(ds.TimeoutSeconds).toBe(10800 + SAGEMAKER_TASK_START_SECONDS);
    expectValid(built);
  });

  it('a namespace group whose node list is too long for one argument runs without it', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => `data_science.node_number_${i}`);
    const plan = planOf([{ ...group('data_science'), nodes }], { groups: { data_science: { compute: 'sagemaker' } } });
    const entry = (
      new Map(tasks(JSON.parse(build(plan).json).States)).get('data_science')!.Parameters!.AlgorithmSpecification as {
        ContainerEntrypoint: string[];
      }
    ).ContainerEntrypoint;
    expect(entry[entry.indexOf('--nodes') + 1]).toBe('[]');
    for (const a of entry) expect(a.length).toBeLessThanOrEqual(256);
  });

  it('an environment value over 512 characters is refused, naming the group and the variable', () => {
    const problems = problemsOf(() =>
      build(spaceflights(), { ...SAGEMAKER, environment: { KEDRO_AWS_RUN_RECORDS: `s3://b/${'x'.repeat(600)}` } }),
    );
    expect(problems[0]).toContain('group "data_science"');
    expect(problems[0]).toContain('KEDRO_AWS_RUN_RECORDS');
  });

  it('without the SageMaker options, the groups are refused, naming the input', () => {
    const [problem] = problemsOf(() => build(spaceflights(), null));
    expect(problem).toMatch(/^group "data_science" has `compute: sagemaker`/);
    expect(problem).toContain('`sagemaker-role-arn`');
    expect(() => build(planOf([group('a')]), null)).not.toThrow();
  });
});

describe('random mixes of Lambda, Batch and SageMaker groups', () => {
  const mixed = fc
    .array(fc.tuple(fc.constantFrom('lambda', 'batch', 'sagemaker'), fc.array(fc.nat(), { maxLength: 3 })), {
      minLength: 1,
      maxLength: 12,
    })
    .map((spec) => ({
      groups: spec.map(([, deps], i) => group(`g${i}`, i === 0 ? [] : [...new Set(deps.map((d) => `g${d % i}`))])),
      compute: spec.map(([c]) => c),
    }));

  it('are valid ASL, each group on its compute, every SageMaker job name distinct and within the rules', async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async ({ groups, compute }) => {
        const settings = {
          groups: Object.fromEntries(
            groups.flatMap((g, i) =>
              compute[i] === 'lambda' ? [] : [[g.name, { compute: compute[i], timeout_seconds: 3600 }]],
            ),
          ),
        };
        const built = build(planOf(groups, settings));
        expectValid(built);
        const states = new Map(tasks(JSON.parse(built.json).States));
        const resource = {
          lambda: LAMBDA_INVOKE_RESOURCE,
          batch: BATCH_SUBMIT_JOB_RESOURCE,
          sagemaker: SAGEMAKER_TRAINING_RESOURCE,
        };
        for (const [i, g] of groups.entries()) {
          expect(states.get(g.name)!.Resource).toBe(resource[compute[i] as keyof typeof resource]);
        }
        const names = [...(await resolvedParameters(built)).entries()]
          .filter(([name]) => states.get(name)!.Resource === SAGEMAKER_TRAINING_RESOURCE)
          .map(([, p]) => p.TrainingJobName as string);
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) expect(n).toMatch(SAGEMAKER_NAME_PATTERN);
      }),
      { numRuns: 25 },
    );
  });
});
