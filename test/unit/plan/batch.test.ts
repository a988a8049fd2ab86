/**
 * The Batch job graph and job definition: hand cases (Spaceflights, a 30-dependency fan-in, shared
 * joins, settings Batch refuses) and properties on random DAGs with wide fan-in.
 */
import fc from 'fast-check';
import {
  BATCH_ENTRY_MODULE,
  type BatchJob,
  type BatchJobGraph,
  batchSettingsProblems,
  buildJobGraph,
  FARGATE_PAIRS_PAGE,
  fargatePairs,
  GROUP_TAG,
  INFRASTRUCTURE_RETRY,
  JOB_PARAMETERS,
  jobDefinitionCommand,
  jobDefinitionName,
  jobDefinitionSpec,
  MAX_DEPENDS_ON,
  MAX_NODES_PARAMETER_BYTES,
  type PlatformChoice,
  queuePlatform,
  RUN_TAG,
  submitJobRequest,
} from '../../../src/plan/batch';
import { NAME_RULES, SAFE_NAME_PATTERN } from '../../../src/plan/names';
import { buildPlan, type DeploymentPlan } from '../../../src/plan/planner';
import type { Group } from '../../../src/plan/schema';
import { FARGATE_RESOURCES } from '../../../src/plan/settings';
import { group, makePlan, problemsOf } from './fixtures';

function planOf(groups: Group[], settings: Record<string, unknown> = {}, groupSettings?: unknown): DeploymentPlan {
  return buildPlan(makePlan({ groups, settings }), { stage: 'dev', groupSettings });
}

/** `{ sink: [30 roots] }`-style plans: every name in a dependency list that is not a key becomes a root. */
function planFrom(spec: Record<string, string[]>): DeploymentPlan {
  const names = new Set(Object.keys(spec));
  const roots = [...new Set(Object.values(spec).flat())].filter((n) => !names.has(n));
  return planOf([...roots.map((r) => group(r)), ...Object.entries(spec).map(([name, deps]) => group(name, deps))]);
}

function roots(n: number, prefix = 'source'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
}

function jobOf(graph: BatchJobGraph, name: string): BatchJob {
  const index = graph.groupJob.get(name);
  if (index === undefined) throw new Error(`no job for ${name}`);
  return graph.jobs[index] as BatchJob;
}

/** Group names whose jobs `job` waits for, directly or through joins. */
function groupsBehind(graph: BatchJobGraph, job: BatchJob): Set<string> {
  const seen = new Set<number>();
  const stack = [...job.dependsOn];
  const groups = new Set<string>();
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    const dep = graph.jobs[i] as BatchJob;
    if (dep.kind === 'group') groups.add(dep.group as string);
    stack.push(...dep.dependsOn);
  }
  return groups;
}

/** The groups each group needs, directly or not, from the plan itself. */
function ancestorsOf(groups: readonly Group[]): Map<string, Set<string>> {
  const deps = new Map(groups.map((g) => [g.name, g.dependencies]));
  const out = new Map<string, Set<string>>();
  for (const g of groups) {
    const seen = new Set<string>();
    const stack = [...g.dependencies];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(deps.get(n) ?? []));
    }
    out.set(g.name, seen);
  }
  return out;
}

const RUN = {
  jobQueue: 'kedro-queue',
  jobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:3',
  runId: '2026-11-21T10.00.00.000Z',
  runtimeParams: { output_prefix: 'pr-9' },
  tags: { 'kedro-aws:project': 'spaceflights', 'kedro-aws:stage': 'dev', 'kedro-aws:git-sha': 'abc' },
};

// ---------------------------------------------------------------------------------------------

describe('the job graph of Spaceflights', () => {
  const plan = planOf(
    [group('data_processing'), group('data_science', ['data_processing']), group('reporting', ['data_processing'])],
    { groups: { data_science: { compute: 'batch', memory_mb: 4096, vcpus: 2, timeout_seconds: 3600, retries: 1 } } },
  );
  const graph = buildJobGraph(plan);

  it('has one job per group in dependency order, each depending on its dependencies, and no join', () => {
    expect(graph.jobs.map((j) => j.group)).toEqual(['data_processing', 'data_science', 'reporting']);
    expect(graph.joins).toBe(0);
    expect(jobOf(graph, 'data_processing').dependsOn).toEqual([]);
    expect(jobOf(graph, 'data_science').dependsOn).toEqual([0]);
    expect(jobOf(graph, 'reporting').dependsOn).toEqual([0]);
  });

  it('names jobs as the planner does', () => {
    expect(graph.jobs.map((j) => j.jobName)).toEqual([
      'spaceflights-dev-data_processing',
      'spaceflights-dev-data_science',
      'spaceflights-dev-reporting',
    ]);
  });

  it("turns a group's settings into its overrides", () => {
    const ds = jobOf(graph, 'data_science');
    expect(ds.resourceRequirements).toEqual([
      { type: 'VCPU', value: '2' },
      { type: 'MEMORY', value: '4096' },
    ]);
    expect(ds.attemptDurationSeconds).toBe(3600);
    expect(ds.retryStrategy).toEqual({ attempts: 2, evaluateOnExit: INFRASTRUCTURE_RETRY });
    const dp = jobOf(graph, 'data_processing');
    expect(dp.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '1024' },
    ]);
    expect(dp.retryStrategy.attempts).toBe(3);
  });

  it('gives each job the parameters of its group', () => {
    expect(jobOf(graph, 'reporting').parameters).toEqual({
      group: 'reporting',
      type: 'namespace',
      nodes: '["reporting.node"]',
      env: 'aws',
      pipeline: '__default__',
    });
  });

  it('builds the SubmitJob request with the run, the dependencies by job id and tags', () => {
    const ids = ['id-dp', 'id-ds', 'id-rep'];
    const request = submitJobRequest(jobOf(graph, 'data_science'), RUN, ids);
    expect(request).toEqual({
      jobName: 'spaceflights-dev-data_science',
      jobQueue: 'kedro-queue',
      jobDefinition: RUN.jobDefinition,
      dependsOn: [{ jobId: 'id-dp' }],
      parameters: {
        group: 'data_science',
        type: 'namespace',
        nodes: '["data_science.node"]',
        env: 'aws',
        pipeline: '__default__',
        run_id: RUN.runId,
        runtime_params: '{"output_prefix":"pr-9"}',
      },
      containerOverrides: {
        resourceRequirements: [
          { type: 'VCPU', value: '2' },
          { type: 'MEMORY', value: '4096' },
        ],
      },
      timeout: { attemptDurationSeconds: 3600 },
      retryStrategy: { attempts: 2, evaluateOnExit: INFRASTRUCTURE_RETRY },
      tags: { ...RUN.tags, [RUN_TAG]: RUN.runId, [GROUP_TAG]: 'data_science' },
    });
  });
});

describe('wide fan-in', () => {
  it('a group with 30 dependencies waits for 19 of them and one join of the other 11', () => {
    const graph = buildJobGraph(planFrom({ sink: roots(30) }));
    expect(graph.joins).toBe(1);
    const sink = jobOf(graph, 'sink');
    expect(sink.dependsOn).toHaveLength(MAX_DEPENDS_ON);
    const join = graph.jobs.find((j) => j.kind === 'join') as BatchJob;
    expect(join.dependsOn).toHaveLength(11);
    expect(sink.dependsOn).toContain(join.index);
    expect(join.index).toBeLessThan(sink.index);
    expect(join.jobName).toBe('spaceflights-dev-join-1');
    expect(join.command).toEqual(['python3', '-m', BATCH_ENTRY_MODULE, '--join', 'spaceflights-dev-join-1']);
    expect(join.parameters).toBeUndefined();
    expect(join.waitsFor).toEqual(roots(30).slice(0, 11));
    expect(groupsBehind(graph, sink)).toEqual(new Set(roots(30)));
    // A join does no work: the smallest resources, a command that exits at once.
    expect(join.attemptDurationSeconds).toBeGreaterThanOrEqual(60);
    const request = submitJobRequest(
      join,
      RUN,
      graph.jobs.map((j) => `id-${j.index}`),
    );
    expect(request.parameters).toBeUndefined();
    expect(request.containerOverrides.command).toEqual(join.command);
    expect(request.tags[GROUP_TAG]).toBe('join');
  });

  it('exactly 20 dependencies need no join', () => {
    const graph = buildJobGraph(planFrom({ sink: roots(20) }));
    expect(graph.joins).toBe(0);
    expect(jobOf(graph, 'sink').dependsOn).toHaveLength(20);
  });

  it('400 dependencies take 20 joins of 20; 401 take a join of joins', () => {
    const g400 = buildJobGraph(planFrom({ sink: roots(400) }));
    expect(g400.joins).toBe(20);
    expect(g400.jobs.filter((j) => j.kind === 'join').every((j) => j.dependsOn.length === 20)).toBe(true);
    const g401 = buildJobGraph(planFrom({ sink: roots(401) }));
    expect(g401.joins).toBe(21);
    const sink = jobOf(g401, 'sink');
    expect(sink.dependsOn.length).toBeLessThanOrEqual(20);
    expect(groupsBehind(g401, sink).size).toBe(401);
    expect(g401.jobs.some((j) => j.kind === 'join' && j.dependsOn.some((d) => g401.jobs[d]?.kind === 'join'))).toBe(
      true,
    );
  });

  it('groups with the same wide dependencies share their joins', () => {
    const graph = buildJobGraph(planFrom({ left: roots(30), right: roots(30) }));
    expect(graph.joins).toBe(1);
    expect(jobOf(graph, 'left').dependsOn).toEqual(jobOf(graph, 'right').dependsOn);
  });

  it('only reduced dependencies count: a chain implied through another group needs no join', () => {
    // sink needs 25 sources, but also `all`, which already needs every source.
    const sources = roots(25);
    const graph = buildJobGraph(planFrom({ all: sources, sink: [...sources, 'all'] }));
    expect(jobOf(graph, 'sink').dependsOn).toEqual([jobOf(graph, 'all').index]);
    expect(graph.joins).toBe(1); // the one `all` itself needs
  });
});

describe('what Batch refuses is refused before anything is submitted', () => {
  it('a timeout under 60 s, naming the group, the value and where it came from', () => {
    const problems = problemsOf(() =>
      buildJobGraph(planOf([group('fast')], { groups: { fast: { timeout_seconds: 30 } } })),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^group "fast": timeout_seconds 30 \(from groups\.fast\.timeout_seconds in conf\/aws\/kedro_aws\.yml\)/,
    );
    expect(problems[0]).toMatch(/minimum job timeout \(attemptDurationSeconds\) of 60 seconds with target batch/);
  });

  it('more than 9 retries (a Lambda group may have 10)', () => {
    const problems = problemsOf(() => buildJobGraph(planOf([group('a')], {}, { defaults: { retries: 10 } })));
    expect(problems[0]).toMatch(
      /^group "a": retries 10 \(from defaults\.retries in the `group-settings` input\) is outside 0 to 9/,
    );
  });

  it('a cycle never reaches the job graph: the plan refuses it', () => {
    const problems = problemsOf(() => planOf([group('a', ['b']), group('b', ['a'])]));
    expect(problems.join(' ')).toMatch(/cycle/);
  });

  it('a run whose runtime params pass 30 KiB', () => {
    const graph = buildJobGraph(planFrom({ a: [] }));
    const problems = problemsOf(() =>
      submitJobRequest(graph.jobs[0] as BatchJob, { ...RUN, runtimeParams: { big: 'x'.repeat(40_000) } }, []),
    );
    expect(problems[0]).toMatch(
      /^the Batch job of group "a" would be 40,\d{3} bytes to submit, over the AWS Batch limit of 30,720 bytes/,
    );
  });

  it('a namespace group with a very long node list is submitted without it (the runtime runs the namespace)', () => {
    const nodes = Array.from({ length: 400 }, (_, i) => `big.node_${i}_${'x'.repeat(20)}`);
    const graph = buildJobGraph(planOf([{ ...group('big'), nodes }]));
    expect(JSON.stringify(nodes).length).toBeGreaterThan(MAX_NODES_PARAMETER_BYTES);
    expect(graph.jobs[0]?.parameters?.nodes).toBe('[]');
    expect(() => submitJobRequest(graph.jobs[0] as BatchJob, RUN, [])).not.toThrow();
  });
});

describe('the job definition', () => {
  const plan = planFrom({ a: [] });
  const spec = jobDefinitionSpec(plan, {
    imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`,
    jobRoleArn: 'arn:aws:iam::123456789012:role/kedro-batch',
    packageName: 'spaceflights',
    recordsUrl: 's3://data/.kedro-aws/spaceflights/dev/',
    tags: RUN.tags,
  });

  it('is named after the project and stage', () => {
    expect(spec.jobDefinitionName).toBe('spaceflights-dev');
    expect(jobDefinitionName({ project: 'a.b', stage: 'pr-1' })).toMatch(/^a-b-pr-1-[0-9a-f]{8}$/);
  });

  it('runs the entry with every parameter as a Batch parameter reference, the options the entry reads', () => {
    // python/tests/test_batch_entry.py checks the entry's side: the same options.
    const command = jobDefinitionCommand();
    expect(command.slice(0, 3)).toEqual(['python3', '-m', 'kedro_aws_action.batch_entry']);
    const pairs = Object.fromEntries(
      Array.from({ length: (command.length - 3) / 2 }, (_, i) => [command[3 + 2 * i], command[4 + 2 * i]]),
    );
    expect(pairs).toEqual({
      '--group': 'Ref::group',
      '--type': 'Ref::type',
      '--nodes': 'Ref::nodes',
      '--env': 'Ref::env',
      '--run-id': 'Ref::run_id',
      '--runtime-params-json': 'Ref::runtime_params',
      '--pipeline': 'Ref::pipeline',
    });
    expect(JOB_PARAMETERS).toHaveLength(7);
    expect(spec.containerProperties.command).toEqual(command);
  });

  it('carries the image, the job role, the environment, the built-in defaults and the retry strategy', () => {
    expect(spec.containerProperties.environment).toEqual([
      { name: 'KEDRO_PACKAGE_NAME', value: 'spaceflights' },
      { name: 'KEDRO_ENV', value: 'aws' },
      { name: 'KEDRO_DISABLE_TELEMETRY', value: 'true' },
      { name: 'KEDRO_AWS_RUN_RECORDS', value: 's3://data/.kedro-aws/spaceflights/dev/' },
    ]);
    expect(spec.containerProperties.jobRoleArn).toBe('arn:aws:iam::123456789012:role/kedro-batch');
    expect(spec.timeout.attemptDurationSeconds).toBeGreaterThanOrEqual(60);
    expect(spec.retryStrategy.evaluateOnExit.length).toBeLessThanOrEqual(5);
    expect(spec.retryStrategy.evaluateOnExit.at(-1)).toEqual({ action: 'EXIT', onReason: '*' });
    expect(spec.parameters).toEqual({ nodes: '[]', runtime_params: '{}', pipeline: '__default__', env: 'aws' });
  });

  it('does not change with the groups or their settings (they are overrides of each job)', () => {
    const other = jobDefinitionSpec(
      planOf([group('a'), group('b', ['a'])], { defaults: { memory_mb: 8192, vcpus: 4 } }),
      {
        imageUri: spec.containerProperties.image,
        jobRoleArn: spec.containerProperties.jobRoleArn,
        packageName: 'spaceflights',
        recordsUrl: 's3://data/.kedro-aws/spaceflights/dev/',
        tags: RUN.tags,
      },
    );
    expect(other).toEqual(spec);
  });
});

// ---------------------------------------------------------------------------------------------
// EC2 and Fargate.

const FARGATE: PlatformChoice = { platform: 'FARGATE', why: 'the compute environments of job queue q (ce: FARGATE)' };
const EC2: PlatformChoice = { platform: 'EC2', why: 'the compute environments of job queue q (ce: EC2)' };
const SPEC_OPTIONS = {
  imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`,
  jobRoleArn: 'arn:aws:iam::123456789012:role/kedro-batch',
  packageName: 'spaceflights',
  recordsUrl: 's3://data/.kedro-aws/spaceflights/dev/',
  tags: RUN.tags,
};
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/kedro-batch-execution';

describe('the platform of a job queue', () => {
  const ce = (name: string, resourcesType?: string, extra: { type?: string; orchestration?: string } = {}) => ({
    name,
    type: extra.type ?? (resourcesType ? 'MANAGED' : 'UNMANAGED'),
    resourcesType,
    orchestration: extra.orchestration,
  });

  it('Fargate when every compute environment is FARGATE or FARGATE_SPOT; EC2 for EC2, SPOT and unmanaged ones', () => {
    expect(queuePlatform('q', undefined, [ce('a', 'FARGATE'), ce('b', 'FARGATE_SPOT')])).toEqual({
      platform: 'FARGATE',
      why: 'the compute environments of job queue q (a: FARGATE, b: FARGATE_SPOT)',
    });
    expect(queuePlatform('q', undefined, [ce('a', 'SPOT'), ce('b', 'EC2')])).toMatchObject({ platform: 'EC2' });
    expect(queuePlatform('q', undefined, [ce('own')])).toMatchObject({ platform: 'EC2' });
  });

  it("the queue's own type when AWS gives it", () => {
    expect(queuePlatform('q', 'ECS_FARGATE', [])).toEqual({
      platform: 'FARGATE',
      why: 'job queue q is of type ECS_FARGATE',
    });
    expect(queuePlatform('q', 'ECS', [])).toMatchObject({ platform: 'EC2' });
  });

  it('a mixed, an EKS, an empty or a SageMaker queue is a problem that says why', () => {
    expect(queuePlatform('q', undefined, [ce('a', 'FARGATE'), ce('b', 'EC2')])).toEqual({
      problem: expect.stringMatching(/^job queue q mixes Fargate and EC2 compute environments \(a: FARGATE, b: EC2\)/),
    });
    expect(queuePlatform('q', undefined, [ce('k', 'EC2', { orchestration: 'EKS' })])).toEqual({
      problem: expect.stringMatching(/runs its jobs on Amazon EKS \(compute environment "k"\)/),
    });
    expect(queuePlatform('q', undefined, [])).toEqual({ problem: expect.stringMatching(/has no compute environment/) });
    expect(queuePlatform('q', 'SAGEMAKER_TRAINING', [])).toEqual({
      problem: expect.stringMatching(/is of type SAGEMAKER_TRAINING; give an ECS job queue/),
    });
  });
});

describe('job definitions for EC2 and for Fargate', () => {
  const plan = planFrom({ a: [] });

  it('one per platform per stage: the Fargate one has a name of its own no stage can take', () => {
    const ec2 = jobDefinitionSpec(plan, SPEC_OPTIONS);
    const fargate = jobDefinitionSpec(plan, { ...SPEC_OPTIONS, platform: 'FARGATE', executionRoleArn: EXECUTION_ROLE });
    expect(ec2.jobDefinitionName).toBe('spaceflights-dev');
    expect(fargate.jobDefinitionName).toBe('spaceflights-dev_fargate');
    // A stage's names hold letters, digits and `-` only: no EC2 name of another stage ends in `_fargate`.
    expect(jobDefinitionName({ project: 'spaceflights', stage: 'dev-fargate' })).toBe('spaceflights-dev-fargate');
    const long = { project: 'p'.repeat(100), stage: 's'.repeat(27) };
    expect(jobDefinitionName(long, 'FARGATE').length).toBeLessThanOrEqual(NAME_RULES.jobDefinition.maxLength);
    expect(jobDefinitionName(long, 'FARGATE')).not.toBe(jobDefinitionName(long, 'EC2'));
  });

  it('EC2: no execution role unless given, no Fargate fields, the built-in 1 vCPU and 1024 MiB', () => {
    const spec = jobDefinitionSpec(plan, SPEC_OPTIONS);
    expect(spec.platformCapabilities).toEqual(['EC2']);
    expect(spec.containerProperties).not.toHaveProperty('executionRoleArn');
    expect(spec.containerProperties).not.toHaveProperty('networkConfiguration');
    expect(spec.containerProperties).not.toHaveProperty('fargatePlatformConfiguration');
    expect(spec.containerProperties.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '1024' },
    ]);
    expect(
      jobDefinitionSpec(plan, { ...SPEC_OPTIONS, executionRoleArn: EXECUTION_ROLE }).containerProperties,
    ).toMatchObject({
      executionRoleArn: EXECUTION_ROLE,
    });
  });

  it('Fargate: the execution role, no public IP unless asked, the platform version, a pair Fargate takes', () => {
    const spec = jobDefinitionSpec(plan, { ...SPEC_OPTIONS, platform: 'FARGATE', executionRoleArn: EXECUTION_ROLE });
    expect(spec.platformCapabilities).toEqual(['FARGATE']);
    expect(spec.containerProperties).toMatchObject({
      executionRoleArn: EXECUTION_ROLE,
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '2048' },
      ],
    });
    const open = jobDefinitionSpec(plan, {
      ...SPEC_OPTIONS,
      platform: 'FARGATE',
      executionRoleArn: EXECUTION_ROLE,
      assignPublicIp: true,
    });
    expect(open.containerProperties.networkConfiguration).toEqual({ assignPublicIp: 'ENABLED' });
    expect(() => jobDefinitionSpec(plan, { ...SPEC_OPTIONS, platform: 'FARGATE' })).toThrow(/execution role/);
  });
});

describe("a group's vCPUs and memory must suit the queue's platform", () => {
  const fargatePlan = (settings: Record<string, unknown>) => planOf([group('a'), group('b', ['a'])], settings);

  it('EC2: whole vCPUs of at least 1; the group, the setting, the file and the queue are named', () => {
    const plan = planOf([group('small')], { groups: { small: { compute: 'batch', vcpus: 0.5 } } });
    expect(batchSettingsProblems(plan.groups)).toEqual([]);
    expect(batchSettingsProblems(plan.groups, EC2)).toEqual([
      'group "small": vcpus 0.5 (from groups.small.vcpus in conf/aws/kedro_aws.yml) is not a whole number of at ' +
        'least 1, which AWS Batch needs on EC2 (the compute environments of job queue q (ce: EC2)); give whole ' +
        'vCPUs, or use a Fargate job queue for fractions of one.',
    ]);
    expect(problemsOf(() => buildJobGraph(plan, EC2))).toHaveLength(1);
    // Half a vCPU with 1024 MiB is a Fargate pair.
    expect(buildJobGraph(plan, FARGATE).jobs[0]?.resourceRequirements).toEqual([
      { type: 'VCPU', value: '0.5' },
      { type: 'MEMORY', value: '1024' },
    ]);
  });

  it('Fargate: a pair from the list, or a problem per cause with the pairs that fit and the whole list, cited', () => {
    // The built-in 1 vCPU with the built-in 1024 MiB is not a Fargate pair: both groups, one sentence.
    const problems = batchSettingsProblems(fargatePlan({}).groups, FARGATE);
    expect(problems).toEqual([
      'groups "a" and "b": memory_mb 1024 (from the built-in default) with vcpus 1 (from the built-in default) is ' +
        'not a vCPU and memory pair Fargate accepts on FARGATE (the compute environments of job queue q (ce: FARGATE)): ' +
        'with 1 vCPU Fargate takes 2048 to 8192 MiB in steps of 1024, and 1024 MiB goes with vcpus 0.25 or 0.5; ' +
        'set memory_mb (or vcpus) to a pair of the list below.',
      `The vCPU and memory pairs Fargate accepts (${FARGATE_PAIRS_PAGE}): ${fargatePairs()}.`,
    ]);
    expect(fargatePairs()).toMatch(
      /^0\.25 vCPU: 512, 1024 or 2048 MiB; 0\.5 vCPU: 1024 to 4096 MiB in steps of 1024; /,
    );
    expect(fargatePairs()).toMatch(/; 32 vCPU: 61440, 122880 or 249856 MiB$/);
    const odd = batchSettingsProblems(
      fargatePlan({ groups: { b: { vcpus: 3, memory_mb: 8192 } }, defaults: { memory_mb: 2048 } }).groups,
      FARGATE,
    );
    expect(odd[0]).toMatch(
      /^group "b": vcpus 3 \(from groups\.b\.vcpus in conf\/aws\/kedro_aws\.yml\) is not a vCPU value Fargate accepts on FARGATE .*: give one of 0\.25, 0\.5, 1, 2, 4, 8, 16, 32\.$/,
    );
    expect(batchSettingsProblems(fargatePlan({ defaults: { memory_mb: 2048 } }).groups, FARGATE)).toEqual([]);
    expect(batchSettingsProblems(fargatePlan({ defaults: { vcpus: 0.25, memory_mb: 512 } }).groups, FARGATE)).toEqual(
      [],
    );
  });

  it('every pair of the table is accepted; a join on Fargate has the least Fargate gives', () => {
    for (const [vcpus, memory] of FARGATE_RESOURCES) {
      for (const memory_mb of memory) {
        const plan = planOf([group('a')], {}, { defaults: { compute: 'batch', vcpus, memory_mb } });
        expect(batchSettingsProblems(plan.groups, FARGATE)).toEqual([]);
      }
    }
    const sources = roots(30);
    const wide = planOf([...sources.map((r) => group(r)), group('sink', sources)], { defaults: { memory_mb: 2048 } });
    expect(problemsOf(() => buildJobGraph(planFrom({ sink: sources }), FARGATE))[0]).toMatch(
      /^groups "source_000", "source_001", "source_002", "source_003", "source_004", "source_005" and 25 more: memory_mb 1024/,
    );
    const graph = buildJobGraph(wide, FARGATE);
    expect(graph.joins).toBe(1);
    const join = graph.jobs.find((j) => j.kind === 'join')!;
    expect(join.resourceRequirements).toEqual([
      { type: 'VCPU', value: '0.25' },
      { type: 'MEMORY', value: '512' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

/**
 * Random DAGs with wide fan-in: `roots` independent groups, then `inner` groups each depending on a
 * random subset of the groups before it (so some have dozens of reduced dependencies).
 */
const wideDag: fc.Arbitrary<Group[]> = fc
  .record({ roots: fc.integer({ min: 1, max: 70 }), inner: fc.integer({ min: 1, max: 12 }) })
  .chain(({ roots: r, inner }) =>
    fc
      .array(fc.array(fc.boolean(), { minLength: r + inner, maxLength: r + inner }), {
        minLength: inner,
        maxLength: inner,
      })
      .map((masks) => {
        const names = [...roots(r, 'r'), ...Array.from({ length: inner }, (_, i) => `g${i}.x`)];
        const groups: Group[] = names.slice(0, r).map((n) => group(n));
        masks.forEach((mask, i) => {
          const self = r + i;
          const deps = names.slice(0, self).filter((_, k) => mask[k]);
          groups.push(group(names[self] as string, deps));
        });
        return groups;
      }),
  );

const RUNS = { numRuns: 150 };

describe('random DAGs with wide fan-in', () => {
  it('every job depends on at most 20 jobs, all submitted before it', () => {
    fc.assert(
      fc.property(wideDag, (groups) => {
        const graph = buildJobGraph(planOf(groups));
        graph.jobs.forEach((job, i) => {
          expect(job.index).toBe(i);
          expect(job.dependsOn.length).toBeLessThanOrEqual(MAX_DEPENDS_ON);
          for (const d of job.dependsOn) expect(d).toBeLessThan(i);
          expect(new Set(job.dependsOn).size).toBe(job.dependsOn.length);
        });
      }),
      RUNS,
    );
  });

  it('each group waits for exactly the groups it needs, directly or not (reachability is preserved)', () => {
    fc.assert(
      fc.property(wideDag, (groups) => {
        const graph = buildJobGraph(planOf(groups));
        const needs = ancestorsOf(groups);
        for (const g of groups) expect(groupsBehind(graph, jobOf(graph, g.name))).toEqual(needs.get(g.name));
      }),
      RUNS,
    );
  });

  it('joins do no work, stand for at least two jobs, and are no more than one per 19 edges saved', () => {
    fc.assert(
      fc.property(wideDag, (groups) => {
        const plan = planOf(groups);
        const graph = buildJobGraph(plan);
        expect(graph.jobs.filter((j) => j.kind === 'group')).toHaveLength(groups.length);
        const joins = graph.jobs.filter((j) => j.kind === 'join');
        expect(joins).toHaveLength(graph.joins);
        for (const j of joins) {
          expect(j.dependsOn.length).toBeGreaterThanOrEqual(2);
          expect(j.command).toContain('--join');
          expect(j.parameters).toBeUndefined();
        }
        const bound = plan.groups.reduce(
          (sum, g) =>
            sum + Math.max(0, Math.ceil((g.reducedDependencies.length - MAX_DEPENDS_ON) / (MAX_DEPENDS_ON - 1))),
          0,
        );
        expect(graph.joins).toBeLessThanOrEqual(bound);
      }),
      RUNS,
    );
  });

  it('job names are within the limits and unique', () => {
    fc.assert(
      fc.property(wideDag, (groups) => {
        const graph = buildJobGraph(planOf(groups));
        const names = graph.jobs.map((j) => j.jobName);
        for (const n of names) {
          expect(n.length).toBeLessThanOrEqual(NAME_RULES.batchJob.maxLength);
          expect(n).toMatch(SAFE_NAME_PATTERN);
        }
        expect(new Set(names).size).toBe(names.length);
      }),
      RUNS,
    );
  });
});
