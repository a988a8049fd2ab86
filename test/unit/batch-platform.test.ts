/**
 * The model of AWS Batch's rules that the integration tests put in front of moto
 * (test/support/batch-rules.ts), checked on its own; the code's Fargate table against the model's
 * (transcribed from the same page in the other direction); and every job definition and job the code
 * makes, for EC2 and for Fargate, against the model.
 */
import type { JobDefinition } from '@aws-sdk/client-batch';
import { jobDefinitionDifferences } from '../../src/aws/batch';
import {
  type BatchJob,
  buildJobGraph,
  jobDefinitionSpec,
  type PlatformChoice,
  submitJobRequest,
} from '../../src/plan/batch';
import { buildPlan } from '../../src/plan/planner';
import { FARGATE_RESOURCES } from '../../src/plan/settings';
import {
  FARGATE_VCPUS_BY_MEMORY,
  jobDefinitionProblems,
  mergedRequirements,
  resourceProblems,
} from '../support/batch-rules';
import { group, makePlan } from './plan/fixtures';

const req = (vcpus: number | string, memory: number | string) => [
  { type: 'VCPU', value: String(vcpus) },
  { type: 'MEMORY', value: String(memory) },
];
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/exec';

describe('the model of what AWS Batch refuses', () => {
  test("the code's Fargate pairs are exactly the model's (the page's two listings agree)", () => {
    const fromCode = [...FARGATE_RESOURCES].flatMap(([v, ms]) => ms.map((m) => `${v}/${m}`)).sort();
    const fromModel = [...FARGATE_VCPUS_BY_MEMORY].flatMap(([m, vs]) => vs.map((v) => `${v}/${m}`)).sort();
    expect(fromCode).toEqual(fromModel);
    expect(fromCode).toHaveLength(77);
  });

  test('EC2: whole vCPUs of at least 1 and 4 MiB; Fargate: only the listed pairs', () => {
    expect(resourceProblems('EC2', req(1, 4))).toEqual([]);
    expect(resourceProblems('EC2', req(0.5, 1024))[0]).toMatch(/whole vCPUs, at least 1 \(got 0\.5\)/);
    expect(resourceProblems('EC2', req(2, 2))[0]).toMatch(/at least 4 MiB/);
    expect(resourceProblems('FARGATE', req(0.5, 1024))).toEqual([]);
    expect(resourceProblems('FARGATE', req(1, 1024))[0]).toMatch(/MEMORY 1024 only with VCPU 0\.25 or 0\.5 \(got 1\)/);
    expect(resourceProblems('FARGATE', req(1, 1000))[0]).toMatch(/does not take MEMORY 1000/);
    expect(resourceProblems('FARGATE', [{ type: 'VCPU', value: '1' }])[0]).toMatch(/VCPU and MEMORY/);
  });

  test('a Fargate job definition needs an execution role; EC2 ones carry no Fargate fields', () => {
    const fargate = { platformCapabilities: ['FARGATE'], containerProperties: { resourceRequirements: req(1, 2048) } };
    expect(jobDefinitionProblems(fargate)).toEqual([
      'a job definition for Fargate must give an execution role (executionRoleArn)',
    ]);
    expect(
      jobDefinitionProblems({
        ...fargate,
        containerProperties: { ...fargate.containerProperties, executionRoleArn: EXECUTION_ROLE },
      }),
    ).toEqual([]);
    expect(
      jobDefinitionProblems({
        containerProperties: {
          resourceRequirements: req(1, 1024),
          networkConfiguration: { assignPublicIp: 'ENABLED' },
          fargatePlatformConfiguration: { platformVersion: 'LATEST' },
        },
      }),
    ).toEqual([
      'networkConfiguration is for Fargate jobs only',
      'fargatePlatformConfiguration is for Fargate jobs only',
    ]);
  });

  test('runtimePlatform: X86_64 or ARM64, and an operating system family the page lists', () => {
    const fargate = {
      platformCapabilities: ['FARGATE'],
      containerProperties: { resourceRequirements: req(1, 2048), executionRoleArn: EXECUTION_ROLE },
    };
    const withRuntime = (runtimePlatform: { cpuArchitecture?: string; operatingSystemFamily?: string }) =>
      jobDefinitionProblems({ ...fargate, containerProperties: { ...fargate.containerProperties, runtimePlatform } });
    expect(withRuntime({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' })).toEqual([]);
    expect(withRuntime({ cpuArchitecture: 'arm64' })).toEqual([
      'runtimePlatform.cpuArchitecture must be X86_64 or ARM64 (got arm64)',
    ]);
    expect(withRuntime({ operatingSystemFamily: 'linux' })[0]).toMatch(/operatingSystemFamily linux is not one/);
  });

  test("a job's overrides replace the definition's resources of the same type", () => {
    expect(mergedRequirements(req(1, 2048), [{ type: 'MEMORY', value: '4096' }])).toEqual(req(1, 4096));
  });
});

describe('what the code makes passes the model', () => {
  const options = {
    imageUri: `img@sha256:${'a'.repeat(64)}`,
    jobRoleArn: 'arn:aws:iam::123456789012:role/r',
    packageName: 'spaceflights',
    recordsUrl: 's3://data/.kedro-aws/spaceflights/dev/',
    tags: { a: 'b' },
  };
  const run = {
    jobQueue: 'q',
    jobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:1',
    runId: 'r',
    runtimeParams: {},
    tags: {},
  };
  const sources = Array.from({ length: 25 }, (_, i) => `s${i}`);
  const groups = [...sources.map((s) => group(s)), group('sink', sources)];

  test.each([
    ['EC2', { defaults: { compute: 'batch', vcpus: 2, memory_mb: 3000 } }],
    ['FARGATE', { defaults: { compute: 'batch', vcpus: 0.5, memory_mb: 3072 } }],
  ] as const)('%s: the job definition and every job (a join too)', (platform, settings) => {
    const plan = buildPlan(makePlan({ groups }), { stage: 'dev', groupSettings: settings });
    const spec = jobDefinitionSpec(plan, { ...options, platform, executionRoleArn: EXECUTION_ROLE });
    expect(jobDefinitionProblems(spec as unknown as Parameters<typeof jobDefinitionProblems>[0])).toEqual([]);
    const choice: PlatformChoice = { platform, why: 'test' };
    const graph = buildJobGraph(plan, choice);
    expect(graph.joins).toBeGreaterThan(0);
    const ids = graph.jobs.map((_, i) => `id-${i}`);
    for (const job of graph.jobs) {
      const request = submitJobRequest(job as BatchJob, run, ids);
      const merged = mergedRequirements(
        spec.containerProperties.resourceRequirements,
        request.containerOverrides.resourceRequirements,
      );
      expect({ job: job.jobName, problems: resourceProblems(platform, merged) }).toEqual({
        job: job.jobName,
        problems: [],
      });
    }
  });

  test('a redeploy sees a change of execution role, of public IP or of platform version', () => {
    const plan = buildPlan(makePlan(), { stage: 'dev' });
    const spec = jobDefinitionSpec(plan, { ...options, platform: 'FARGATE', executionRoleArn: EXECUTION_ROLE });
    const current: JobDefinition = {
      jobDefinitionName: spec.jobDefinitionName,
      jobDefinitionArn: `arn:aws:batch:eu-west-1:123456789012:job-definition/${spec.jobDefinitionName}:1`,
      revision: 1,
      type: 'container',
      platformCapabilities: ['FARGATE'],
      parameters: { ...spec.parameters },
      containerProperties: {
        ...spec.containerProperties,
        command: [...spec.containerProperties.command],
        environment: [...spec.containerProperties.environment],
        resourceRequirements: [...spec.containerProperties.resourceRequirements],
        networkConfiguration: { assignPublicIp: 'DISABLED' },
        fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      },
      retryStrategy: { attempts: spec.retryStrategy.attempts, evaluateOnExit: [...spec.retryStrategy.evaluateOnExit] },
      timeout: { ...spec.timeout },
    };
    expect(jobDefinitionDifferences(current, spec)).toEqual([]);
    expect(
      jobDefinitionDifferences(
        {
          ...current,
          containerProperties: {
            ...current.containerProperties,
            executionRoleArn: 'arn:aws:iam::123456789012:role/other',
            networkConfiguration: { assignPublicIp: 'ENABLED' },
            fargatePlatformConfiguration: { platformVersion: '1.3.0' },
          },
        },
        spec,
      ),
    ).toEqual(['execution role', 'network', 'platform version']);
    const ec2 = jobDefinitionSpec(plan, options);
    expect(jobDefinitionDifferences(current, ec2)).toEqual(
      expect.arrayContaining(['platform', 'execution role', 'network', 'platform version', 'resources']),
    );
  });

  test('Fargate job definitions say the architecture (runtimePlatform); EC2 ones do not; a redeploy compares it', () => {
    const plan = buildPlan(makePlan(), { stage: 'dev' });
    const fargate = { ...options, platform: 'FARGATE' as const, executionRoleArn: EXECUTION_ROLE };
    const x86 = jobDefinitionSpec(plan, fargate);
    const arm = jobDefinitionSpec(plan, { ...fargate, cpuArchitecture: 'ARM64' });
    expect(x86.containerProperties.runtimePlatform).toEqual({
      cpuArchitecture: 'X86_64',
      operatingSystemFamily: 'LINUX',
    });
    expect(arm.containerProperties.runtimePlatform).toEqual({
      cpuArchitecture: 'ARM64',
      operatingSystemFamily: 'LINUX',
    });
    expect(jobDefinitionProblems(arm as unknown as Parameters<typeof jobDefinitionProblems>[0])).toEqual([]);
    // EC2: the instance decides, so the job definition names none even for an arm64 image.
    expect(jobDefinitionSpec(plan, { ...options, cpuArchitecture: 'ARM64' }).containerProperties).not.toHaveProperty(
      'runtimePlatform',
    );
    const described = (runtimePlatform?: {
      cpuArchitecture?: string;
      operatingSystemFamily?: string;
    }): JobDefinition => ({
      jobDefinitionName: x86.jobDefinitionName,
      jobDefinitionArn: `arn:aws:batch:eu-west-1:123456789012:job-definition/${x86.jobDefinitionName}:1`,
      revision: 1,
      type: 'container',
      platformCapabilities: ['FARGATE'],
      parameters: { ...x86.parameters },
      containerProperties: {
        image: x86.containerProperties.image,
        command: [...x86.containerProperties.command],
        jobRoleArn: x86.containerProperties.jobRoleArn,
        executionRoleArn: EXECUTION_ROLE,
        environment: [...x86.containerProperties.environment],
        resourceRequirements: [...x86.containerProperties.resourceRequirements],
        networkConfiguration: { assignPublicIp: 'DISABLED' },
        fargatePlatformConfiguration: { platformVersion: 'LATEST' },
        ...(runtimePlatform ? { runtimePlatform } : {}),
      },
      retryStrategy: { attempts: x86.retryStrategy.attempts, evaluateOnExit: [...x86.retryStrategy.evaluateOnExit] },
      timeout: { ...x86.timeout },
    });
    expect(
      jobDefinitionDifferences(described({ cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' }), x86),
    ).toEqual([]);
    expect(
      jobDefinitionDifferences(described({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }), arm),
    ).toEqual([]);
    // A revision registered before runtimePlatform (none: Batch's default, X86_64) needs no new one for X86_64.
    expect(jobDefinitionDifferences(described(), x86)).toEqual([]);
    expect(jobDefinitionDifferences(described(), arm)).toEqual(['architecture']);
    expect(
      jobDefinitionDifferences(described({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }), x86),
    ).toEqual(['architecture']);
  });
});
