/**
 * The architecture of a Batch job queue's capacity against the image's: instance type names read as
 * x86_64 or Graviton, Fargate Spot refused for ARM64, an EC2 queue of the other architecture refused,
 * partly-other queues warned about.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  cpuArchitectureOf,
  instanceTypeArchitecture,
  queueArchitectureProblems,
} from '../../../src/plan/batch-architecture';
import type { ComputeEnvironmentFacts } from '../../../src/plan/batch-platform';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const ce = (name: string, resourcesType: string, instanceTypes?: string[]): ComputeEnvironmentFacts => ({
  name,
  type: 'MANAGED',
  resourcesType,
  orchestration: 'ECS',
  ...(instanceTypes ? { instanceTypes } : {}),
});
const ARM = { uri: 'repo@sha256:aa', platform: 'linux/arm64' };
const X86 = { uri: 'repo@sha256:bb', platform: 'linux/amd64' };

describe('the architecture of an instance type', () => {
  test.each([
    ['m6g', 'ARM64'],
    ['c7g.large', 'ARM64'],
    ['r8g.2xlarge', 'ARM64'],
    ['t4g.micro', 'ARM64'],
    ['c7gn', 'ARM64'],
    ['m6gd.xlarge', 'ARM64'],
    ['x2gd', 'ARM64'],
    ['im4gn.large', 'ARM64'],
    ['is4gen.xlarge', 'ARM64'],
    ['g5g.xlarge', 'ARM64'],
    ['hpc7g.4xlarge', 'ARM64'],
    ['a1.medium', 'ARM64'],
    ['default_arm64', 'ARM64'],
    ['m5', 'X86_64'],
    ['c5.large', 'X86_64'],
    ['g4dn.xlarge', 'X86_64'],
    ['g4ad.xlarge', 'X86_64'],
    ['m7i-flex.large', 'X86_64'],
    ['r6idn', 'X86_64'],
    ['p4d.24xlarge', 'X86_64'],
    ['trn1.2xlarge', 'X86_64'],
    ['u7i-12tb.224xlarge', 'X86_64'],
    ['optimal', 'X86_64'],
    ['default_x86_64', 'X86_64'],
  ])('%s is %s', (type, architecture) => {
    expect(instanceTypeArchitecture(type)).toBe(architecture);
  });

  test('a name it cannot read says nothing', () => {
    expect(instanceTypeArchitecture('mac2.metal')).toBeUndefined();
    expect(instanceTypeArchitecture('z.large')).toBeUndefined();
    expect(instanceTypeArchitecture('')).toBeUndefined();
  });

  test("every instance type of moto's EC2 catalogue (from AWS's DescribeInstanceTypes) is read as its processor's architecture", () => {
    // moto/ec2/resources/instance_types.json.gz in the project's venv: each type's
    // ProcessorInfo.SupportedArchitectures, as EC2's DescribeInstanceTypes answers.
    const lib = path.join(ROOT, '.venv', 'lib');
    const python = fs.readdirSync(lib).find((d) => d.startsWith('python'));
    const file = path.join(lib, python!, 'site-packages', 'moto', 'ec2', 'resources', 'instance_types.json.gz');
    const catalogue = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Record<
      string,
      { ProcessorInfo?: { SupportedArchitectures?: string[] } }
    >;
    const wrong: string[] = [];
    let read = 0;
    for (const [type, info] of Object.entries(catalogue)) {
      const architectures = info.ProcessorInfo?.SupportedArchitectures ?? [];
      if (type.startsWith('mac')) continue; // arm64_mac or x86_64_mac, not for Batch
      const expected = architectures.includes('arm64') ? 'ARM64' : 'X86_64';
      if (instanceTypeArchitecture(type) !== expected) wrong.push(`${type} (${architectures.join(', ')})`);
      read += 1;
    }
    expect(read).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });

  test('the image platform as Batch names it', () => {
    expect(cpuArchitectureOf('linux/arm64')).toBe('ARM64');
    expect(cpuArchitectureOf('linux/amd64')).toBe('X86_64');
    expect(() => cpuArchitectureOf('linux/s390x')).toThrow(/internal/);
  });
});

describe('a job queue against the image', () => {
  test('Fargate: ARM64 on a queue of Fargate Spot only is refused, naming the queue, the compute environment and the fix', () => {
    const { problems, warnings } = queueArchitectureProblems('q', 'FARGATE', [ce('spot-ce', 'FARGATE_SPOT')], ARM);
    expect(warnings).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^job queue q runs its jobs on Fargate Spot only \(compute environment spot-ce: FARGATE_SPOT\)/,
    );
    expect(problems[0]).toContain('the image repo@sha256:aa is linux/arm64');
    expect(problems[0]).toContain(
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html',
    );
    expect(problems[0]).toMatch(
      /a FARGATE compute environment \(the bootstrap's BatchComputeType: FARGATE\), or build with "platform: linux\/amd64"$/,
    );
  });

  test('Fargate: X86_64 anywhere, ARM64 on FARGATE; a queue with FARGATE beside FARGATE_SPOT is a warning', () => {
    expect(queueArchitectureProblems('q', 'FARGATE', [ce('spot', 'FARGATE_SPOT')], X86)).toEqual({
      problems: [],
      warnings: [],
    });
    expect(queueArchitectureProblems('q', 'FARGATE', [ce('f', 'FARGATE')], ARM)).toEqual({
      problems: [],
      warnings: [],
    });
    // A queue of type ECS_FARGATE whose compute environments were not listed: nothing known, nothing refused.
    expect(queueArchitectureProblems('q', 'FARGATE', [], ARM)).toEqual({ problems: [], warnings: [] });
    const both = queueArchitectureProblems('q', 'FARGATE', [ce('f', 'FARGATE'), ce('s', 'FARGATE_SPOT')], ARM);
    expect(both.problems).toEqual([]);
    expect(both.warnings).toEqual([
      expect.stringMatching(/^job queue q has Fargate Spot capacity \(compute environment s: FARGATE_SPOT\)/),
    ]);
  });

  test('EC2: instance types all of the other architecture are refused both ways, naming the types and the fix', () => {
    const graviton = queueArchitectureProblems('q', 'EC2', [ce('ce1', 'EC2', ['m6g', 'c7g.large'])], X86);
    expect(graviton.problems).toEqual([
      'job queue q launches only arm64 (Graviton) instances (compute environment ce1: instance types m6g, c7g.large; ' +
        'https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html), and the image repo@sha256:bb ' +
        'is linux/amd64, whose jobs would fail to start there: build with "platform: linux/arm64", or give a job ' +
        "queue of x86_64 instances (the bootstrap's BatchArchitecture: x86_64)",
    ]);
    const x86 = queueArchitectureProblems(
      'q',
      'EC2',
      [ce('a', 'SPOT', ['optimal']), ce('b', 'EC2', ['default_x86_64'])],
      ARM,
    );
    expect(x86.problems).toEqual([
      expect.stringMatching(
        /^job queue q launches only x86_64 instances \(compute environments a: instance types optimal; b: instance types default_x86_64;.*linux\/arm64.*build with "platform: linux\/amd64", or give a job queue of arm64 \(Graviton\) instances \(the bootstrap's BatchArchitecture: arm64\)$/,
      ),
    ]);
  });

  test('EC2: the same architecture passes; unmanaged, unreadable or mixed ones are never refused', () => {
    expect(queueArchitectureProblems('q', 'EC2', [ce('a', 'EC2', ['default_arm64'])], ARM)).toEqual({
      problems: [],
      warnings: [],
    });
    expect(queueArchitectureProblems('q', 'EC2', [ce('a', 'EC2', ['m5'])], X86)).toEqual({
      problems: [],
      warnings: [],
    });
    const unmanaged: ComputeEnvironmentFacts = {
      name: 'own',
      type: 'UNMANAGED',
      resourcesType: undefined,
      orchestration: 'ECS',
    };
    expect(queueArchitectureProblems('q', 'EC2', [unmanaged], ARM)).toEqual({ problems: [], warnings: [] });
    expect(queueArchitectureProblems('q', 'EC2', [ce('a', 'EC2', ['mac2.metal'])], ARM)).toEqual({
      problems: [],
      warnings: [],
    });
    // One compute environment of each: some jobs can run, a warning names the other one.
    const some = queueArchitectureProblems('q', 'EC2', [ce('x', 'EC2', ['m5']), ce('g', 'EC2', ['m6g'])], ARM);
    expect(some.problems).toEqual([]);
    expect(some.warnings).toEqual([
      expect.stringMatching(/^job queue q has compute environments of x86_64 instances only \(x: instance types m5\)/),
    ]);
    // Both architectures in one compute environment: a warning.
    const mixed = queueArchitectureProblems('q', 'EC2', [ce('m', 'EC2', ['m5', 'm6g'])], ARM);
    expect(mixed.problems).toEqual([]);
    expect(mixed.warnings).toEqual([expect.stringMatching(/of both architectures \(m: instance types m5, m6g\)/)]);
    // An unmanaged one beside an x86 one: the unmanaged one may run it, so only a warning.
    expect(queueArchitectureProblems('q', 'EC2', [unmanaged, ce('x', 'EC2', ['m5'])], ARM).problems).toEqual([]);
  });
});
