/**
 * What an image says it was built from, and for which architecture (pure parts): the labels build sets,
 * how deploy compares them, the functions' architecture, and when the docker builder needs emulation.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { configDifferences, type FunctionSpec } from '../../src/aws/lambda';
import { buildxArgs } from '../../src/build/dockerfile';
import { binfmtEntry, emulationRefusal, nativeArchitecture, parseBuildxPlatforms } from '../../src/build/emulation';
import { imageConfig } from '../../src/build/oci';
import {
  contentDigest,
  LABEL,
  planDigest,
  provenanceDifferences,
  provenanceLabels,
  wheelDigest,
} from '../../src/build/provenance';
import { ecrRegistryId } from '../../src/context/image';

const SHA = (c: string) => `sha256:${c.repeat(64)}`;

describe('labels: what the image was built from', () => {
  test('a content digest does not depend on the order of the files, and changes with any byte or name', () => {
    const a = contentDigest([
      ['x.py', Buffer.from('1')],
      ['y.py', Buffer.from('2')],
    ]);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      contentDigest([
        ['y.py', Buffer.from('2')],
        ['x.py', Buffer.from('1')],
      ]),
    ).toBe(a);
    expect(
      contentDigest([
        ['x.py', Buffer.from('1')],
        ['y.py', Buffer.from('3')],
      ]),
    ).not.toBe(a);
    expect(
      contentDigest([
        ['x.py', Buffer.from('1')],
        ['z.py', Buffer.from('2')],
      ]),
    ).not.toBe(a);
  });

  test('the wheel digest is of its content: zip dates, RECORD and WHEEL aside', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-wheel-digest-'));
    const make = (name: string, date: string, code: string, generator: string) => {
      const file = path.join(dir, name);
      execFileSync('python3', [
        '-c',
        [
          'import sys, zipfile',
          'date = tuple(int(x) for x in sys.argv[2].split("-")) + (0, 0, 0)',
          'z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)',
          'for name, text in [("p/__init__.py", sys.argv[3]), ("p-1.dist-info/METADATA", "Name: p\\n"),',
          '    ("p-1.dist-info/WHEEL", "Generator: " + sys.argv[4] + "\\n"), ("p-1.dist-info/RECORD", sys.argv[2])]:',
          '    z.writestr(zipfile.ZipInfo(name, date), text)',
          'z.close()',
        ].join('\n'),
        file,
        date,
        code,
        generator,
      ]);
      return file;
    };
    const first = wheelDigest(make('a.whl', '2025-01-01', 'X = 1\n', 'setuptools (80.0)'));
    expect(wheelDigest(make('b.whl', '2026-06-30', 'X = 1\n', 'setuptools (81.2)'))).toBe(first);
    expect(wheelDigest(make('c.whl', '2025-01-01', 'X = 2\n', 'setuptools (80.0)'))).not.toBe(first);
  });

  test('the plan digest: the package, pipeline, env and the groups, not the runtime params or paths', () => {
    const plan = {
      project: { name: 'p', package_name: 'p', kedro_version: '1.7.0', python_version: '3.12' },
      pipeline: '__default__',
      env: 'aws',
      groups: [
        { name: 'a', type: 'namespace' as const, nodes: ['a.n2', 'a.n1'], dependencies: [], inputs: [], outputs: [] },
      ],
    };
    const digest = planDigest(plan);
    expect(planDigest({ ...plan, project: { ...plan.project, kedro_version: '1.8.0' } })).toBe(digest);
    expect(planDigest({ ...plan, env: 'prod' })).not.toBe(digest);
    expect(planDigest({ ...plan, groups: [{ ...plan.groups[0]!, nodes: ['a.n1'] }] })).not.toBe(digest);
  });

  const labels = provenanceLabels({ wheel: SHA('a'), conf: SHA('b'), env: 'aws', plan: SHA('c') });

  test('the labels are named once', () => {
    expect(labels).toEqual({
      'kedro-aws-action.wheel-digest': SHA('a'),
      'kedro-aws-action.conf-digest': SHA('b'),
      'kedro-aws-action.env': 'aws',
      'kedro-aws-action.plan-digest': SHA('c'),
    });
  });

  test.each([
    ['the same package', { wheel: SHA('a'), conf: SHA('b'), env: 'aws' }, []],
    ['only the wheel known', { wheel: SHA('a') }, []],
    ['another wheel', { wheel: SHA('d'), conf: SHA('b') }, [/its wheel is sha256:a{64}, this step's is sha256:d{64}/]],
    [
      'another env',
      { wheel: SHA('a'), conf: SHA('e'), env: 'prod' },
      [/its conf is sha256:b{64}, this step's is sha256:e{64} \(built for env "aws", deployed with env "prod"\)/],
    ],
  ])('%s', (_label, expected, found) => {
    const differences = provenanceDifferences(labels, expected);
    expect(differences).toHaveLength(found.length);
    for (const [i, re] of found.entries()) expect(differences[i]).toMatch(re);
  });

  test('an image without the labels is not this package', () => {
    expect(provenanceDifferences({ 'org.opencontainers.image.title': 'x' }, { wheel: SHA('a') })).toEqual([
      'it has no kedro-aws-action labels (it was not built by mode "build" of this action)',
    ]);
    expect(provenanceDifferences(null, { conf: SHA('b') })).toHaveLength(1);
  });

  test('oci builder: the labels go in the image config, over the base image labels, in one order', () => {
    const base = { architecture: 'amd64', os: 'linux', config: { Labels: { maintainer: 'AWS', [LABEL.env]: 'old' } } };
    const changes = { diffIds: [], layerNames: [], cmd: ['h'], workingDir: '/var/task', env: {}, created: 'x' };
    const config = JSON.parse(imageConfig(base, { ...changes, labels }).toString()) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toEqual({ maintainer: 'AWS', ...labels });
    expect(Object.keys(config.config.Labels)).toEqual(Object.keys(config.config.Labels).sort());
    // Without labels the base's config is kept as it is.
    const plain = JSON.parse(imageConfig(base, changes).toString()) as { config: { Labels: Record<string, string> } };
    expect(plain.config.Labels).toEqual(base.config.Labels);
  });

  test('docker builder: one --label per label', () => {
    const args = buildxArgs({
      contextDir: '/ctx',
      dockerfile: '/ctx/Dockerfile',
      platform: 'linux/amd64',
      repositoryRef: 'r/p',
      metadataFile: '/m.json',
      cacheScope: 's',
      env: {},
      labels,
    });
    const given = args.flatMap((a, i) => (a === '--label' ? [args[i + 1]] : []));
    expect(given).toEqual(
      Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
  });
});

describe('architectures', () => {
  const spec: FunctionSpec = {
    name: 'f',
    imageUri: 'r/p@sha256:0',
    architecture: 'arm64',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    memoryMb: 512,
    timeoutSeconds: 60,
    environment: {},
    description: 'd',
    tags: {},
  };
  const config: FunctionConfiguration = {
    MemorySize: 512,
    Timeout: 60,
    Role: spec.roleArn,
    Description: 'd',
    Environment: { Variables: {} },
  };

  test('a function of another architecture differs; one without Architectures is x86_64', () => {
    expect(configDifferences({ ...config, Architectures: ['arm64'] }, spec.imageUri, spec)).toEqual([]);
    expect(configDifferences({ ...config, Architectures: ['x86_64'] }, spec.imageUri, spec)).toEqual(['architecture']);
    expect(configDifferences(config, spec.imageUri, spec)).toEqual(['architecture']);
    expect(configDifferences(config, spec.imageUri, { ...spec, architecture: 'x86_64' })).toEqual([]);
  });

  test('ECR hosts give their registry id; other hosts none', () => {
    expect(ecrRegistryId('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('123456789012');
    expect(ecrRegistryId('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toBe('123456789012');
    expect(ecrRegistryId('127.0.0.1:5000')).toBeUndefined();
    expect(ecrRegistryId('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example')).toBeUndefined();
  });

  test('docker builder: another architecture than the runner needs emulation registered, or is refused with the fix', () => {
    const none = { binfmt: undefined, buildxPlatforms: ['linux/amd64', 'linux/386'] };
    expect(emulationRefusal('linux/amd64', 'x64', none)).toBeUndefined();
    expect(emulationRefusal('linux/arm64', 'arm64', none)).toBeUndefined();
    const refused = emulationRefusal('linux/arm64', 'x64', none);
    expect(refused).toMatch(
      /input "platform" is linux\/arm64 and the builder is docker, but this runner is x64 and no emulation of arm64 is registered \(no \/proc\/sys\/fs\/binfmt_misc\/qemu-aarch64/,
    );
    expect(refused).toMatch(/docker\/setup-qemu-action.*builder: oci.*ubuntu-24\.04-arm/);
    expect(emulationRefusal('linux/arm64', 'x64', { ...none, binfmt: 'enabled' })).toBeUndefined();
    expect(emulationRefusal('linux/arm64', 'x64', { ...none, binfmt: 'disabled' })).toBeDefined();
    expect(emulationRefusal('linux/arm64', 'x64', { ...none, buildxPlatforms: ['linux/amd64', 'linux/arm64'] })).toBe(
      undefined,
    );
    expect(emulationRefusal('linux/amd64', 'arm64', none)).toBeUndefined(); // buildx lists linux/amd64
    expect(emulationRefusal('linux/amd64', 'arm64', { binfmt: undefined, buildxPlatforms: [] })).toMatch(/qemu-x86_64/);
    expect(binfmtEntry('linux/arm64')).toBe('/proc/sys/fs/binfmt_misc/qemu-aarch64');
    expect(nativeArchitecture('x64')).toBe('amd64');
    expect(nativeArchitecture('ppc64')).toBeUndefined();
  });

  test('docker buildx inspect: the platforms of its nodes', () => {
    const output = [
      'Name:          default',
      'Driver:        docker',
      'Nodes:',
      'Name:      default',
      'Status:    running',
      'Platforms: linux/amd64, linux/amd64/v2, linux/arm64*, linux/386',
    ].join('\n');
    expect(parseBuildxPlatforms(output)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/386']);
    expect(parseBuildxPlatforms('')).toEqual([]);
  });
});
