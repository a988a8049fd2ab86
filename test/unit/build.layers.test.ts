/**
 * The oci builder's pure parts: deterministic tar layers, the image config and manifest, the registry
 * protocol helpers, pip's error for a dependency without a wheel, and the wheel's METADATA.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parsePythonVersion } from '../../src/build/layout';
import { dependencyCacheKey, imageConfig, imageManifest } from '../../src/build/oci';
import { missingWheelFromPipOutput, missingWheelMessage, rewriteShebang, tidyPipTarget } from '../../src/build/pip';
import {
  isLoopbackHost,
  MEDIA,
  parseChallenge,
  parseImageRef,
  registryEndpoint,
  sha256Digest,
} from '../../src/build/registry';
import {
  entriesFromDir,
  fixGzipHeader,
  type LayerEntry,
  normalizeEntries,
  paxRecord,
  readTar,
  splitUstarName,
  tarBuffer,
  writeLayer,
} from '../../src/build/tar';
import { normalizeName, parseMetadata, requirementName } from '../../src/build/wheel';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-layers-${prefix}-`));
}

const LONG = `var/task/${'deep_folder_name/'.repeat(12)}module_with_a_rather_long_name.py`;

function sampleTree(): string {
  const dir = tmp('tree');
  fs.mkdirSync(path.join(dir, 'pkg', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pkg', '__init__.py'), 'x = 1\n');
  fs.writeFileSync(path.join(dir, 'pkg', 'sub', 'b.py'), 'y = 2\n');
  fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o775 });
  fs.symlinkSync('pkg/__init__.py', path.join(dir, 'link.py'));
  return dir;
}

describe('deterministic tar layers', () => {
  test('sorted entries with parents, fixed mtime, uid/gid 0, normalised modes', async () => {
    const entries = entriesFromDir(sampleTree(), '/var/task');
    const members = readTar(await tarBuffer(entries, 0));
    expect(members.map((m) => `${m.type} ${m.name}`)).toEqual([
      'dir var',
      'dir var/task',
      'symlink var/task/link.py',
      'dir var/task/pkg',
      'file var/task/pkg/__init__.py',
      'dir var/task/pkg/sub',
      'file var/task/pkg/sub/b.py',
      'file var/task/run.sh',
    ]);
    for (const m of members) {
      expect([m.uid, m.gid, m.mtime]).toEqual([0, 0, 0]);
    }
    expect(members.find((m) => m.name === 'var/task/run.sh')!.mode).toBe(0o755);
    expect(members.find((m) => m.name === 'var/task/pkg/__init__.py')!.mode).toBe(0o644);
    expect(members.find((m) => m.name === 'var/task/link.py')!.linkname).toBe('pkg/__init__.py');
    expect(members.find((m) => m.name === 'var/task/pkg/sub/b.py')!.content.toString()).toBe('y = 2\n');
  });

  test('long and non-ASCII paths use PAX headers that GNU tar reads back', async () => {
    const entries: LayerEntry[] = [
      { type: 'file', path: LONG, mode: 0o644, content: Buffer.from('long\n') },
      { type: 'file', path: 'var/task/données/été.txt', mode: 0o644, content: Buffer.from('utf8\n') },
      { type: 'symlink', path: 'var/task/l', target: `/${LONG}` },
    ];
    const tar = await tarBuffer(entries, 1234);
    const members = readTar(tar);
    expect(members.filter((m) => m.type !== 'dir').map((m) => m.name)).toEqual(
      [LONG, 'var/task/données/été.txt', 'var/task/l'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    const file = path.join(tmp('gnu'), 'layer.tar');
    fs.writeFileSync(file, tar);
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listed).toContain(LONG);
    expect(listed).toContain('var/task/données/été.txt');
    const out = tmp('x');
    execFileSync('tar', ['-xf', file, '-C', out]);
    expect(fs.readFileSync(path.join(out, LONG), 'utf8')).toBe('long\n');
    expect(fs.readlinkSync(path.join(out, 'var/task/l'))).toBe(`/${LONG}`);
  });

  test('ustar name/prefix split and PAX record lengths', () => {
    expect(splitUstarName('a/b')).toEqual({ name: 'a/b', prefix: '' });
    const p = `${'p'.repeat(120)}/${'n'.repeat(50)}`;
    expect(splitUstarName(p)).toEqual({ name: 'n'.repeat(50), prefix: 'p'.repeat(120) });
    expect(splitUstarName('x'.repeat(101))).toBeUndefined();
    expect(splitUstarName('été')).toBeUndefined();
    for (const value of ['a', 'x'.repeat(5), 'y'.repeat(93), 'z'.repeat(994)]) {
      const record = paxRecord('path', value);
      expect(Number(record.split(' ')[0])).toBe(Buffer.byteLength(record));
    }
  });

  test('the same files give the same digest; any change gives another', async () => {
    const tree = sampleTree();
    const dir = tmp('out');
    const a = await writeLayer(entriesFromDir(tree, '/var/task'), path.join(dir, 'a.tgz'), { mtime: 0 });
    // Touch every file: mtimes on disk must not matter.
    for (const f of ['pkg/__init__.py', 'pkg/sub/b.py', 'run.sh'])
      fs.utimesSync(path.join(tree, f), new Date(), new Date(2001, 1, 1));
    const b = await writeLayer(entriesFromDir(tree, '/var/task'), path.join(dir, 'b.tgz'), { mtime: 0 });
    expect(b.digest).toBe(a.digest);
    expect(b.diffId).toBe(a.diffId);
    expect(a.size).toBe(fs.statSync(path.join(dir, 'a.tgz')).size);
    expect(a.digest).toBe(sha256Digest(fs.readFileSync(path.join(dir, 'a.tgz'))));
    expect(a.diffId).toBe(sha256Digest(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'a.tgz')))));
    fs.appendFileSync(path.join(tree, 'pkg', 'sub', 'b.py'), '# one line\n');
    const c = await writeLayer(entriesFromDir(tree, '/var/task'), path.join(dir, 'c.tgz'), { mtime: 0 });
    expect(c.digest).not.toBe(a.digest);
    const d = await writeLayer(entriesFromDir(tree, '/var/task'), path.join(dir, 'd.tgz'), { mtime: 86400 });
    expect(d.diffId).not.toBe(c.diffId);
  });

  test('the gzip header is fixed: no mtime, OS unknown', async () => {
    const dir = tmp('gz');
    const blob = await writeLayer(
      [{ type: 'file', path: 'a', mode: 0o644, content: Buffer.from('a') }],
      path.join(dir, 'l.tgz'),
    );
    const header = fs.readFileSync(blob.file).subarray(0, 10);
    expect([...header]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    expect([...fixGzipHeader(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 0)]).toEqual([
      1, 2, 3, 4, 0, 0, 0, 0, 0, 255, 11,
    ]);
    expect([...fixGzipHeader(Buffer.from([7, 7]), 8)]).toEqual([0, 255]);
  });

  test('one path twice: the last wins; a file used as a folder is refused', () => {
    const entries = normalizeEntries([
      { type: 'file', path: '/a/b', mode: 0o644, content: Buffer.from('1') },
      { type: 'file', path: 'a/b/', mode: 0o644, content: Buffer.from('2') },
    ]);
    expect(entries.map((e) => e.path)).toEqual(['a', 'a/b']);
    expect(() =>
      normalizeEntries([
        { type: 'file', path: 'a', mode: 0o644, content: Buffer.alloc(0) },
        { type: 'file', path: 'a/b', mode: 0o644, content: Buffer.alloc(0) },
      ]),
    ).toThrow(/both a file and a folder/);
    expect(() => normalizeEntries([{ type: 'dir', path: '../etc' }])).toThrow(/not a path inside the image/);
  });
});

describe('image config and manifest', () => {
  const base = {
    architecture: 'amd64',
    os: 'linux',
    created: '2025-01-01T00:00:00Z',
    config: {
      Env: ['PATH=/usr/bin', 'LAMBDA_TASK_ROOT=/var/task'],
      Entrypoint: ['/lambda-entrypoint.sh'],
      Cmd: ['x.handler'],
      WorkingDir: '/',
    },
    rootfs: { type: 'layers', diff_ids: ['sha256:base'] },
    history: [{ created: '2025-01-01T00:00:00Z', created_by: 'base' }],
  };
  const changes = {
    diffIds: ['sha256:d1', 'sha256:d2'],
    layerNames: ['wheel', 'conf'],
    cmd: ['kedro_aws_action.lambda_handler.handler'],
    workingDir: '/var/task',
    env: { KEDRO_DISABLE_TELEMETRY: 'true', LAMBDA_TASK_ROOT: '/var/task' },
    created: '1970-01-01T00:00:00Z',
  };

  test('our layers, Cmd, WorkingDir and Env over the base, entrypoint kept', () => {
    const config = JSON.parse(imageConfig(base, changes).toString()) as typeof base;
    expect(config.config.Entrypoint).toEqual(['/lambda-entrypoint.sh']);
    expect(config.config.Cmd).toEqual(['kedro_aws_action.lambda_handler.handler']);
    expect(config.config.WorkingDir).toBe('/var/task');
    expect(config.config.Env).toEqual(['PATH=/usr/bin', 'LAMBDA_TASK_ROOT=/var/task', 'KEDRO_DISABLE_TELEMETRY=true']);
    expect(config.rootfs.diff_ids).toEqual(['sha256:base', 'sha256:d1', 'sha256:d2']);
    expect(config.history).toHaveLength(3);
    expect(config.created).toBe('1970-01-01T00:00:00Z');
    expect(base.config.Cmd).toEqual(['x.handler']); // the base is not changed
    expect(imageConfig(base, changes).equals(imageConfig(JSON.parse(JSON.stringify(base)), changes))).toBe(true);
  });

  test('the manifest keeps the base format', () => {
    const baseLayers = [{ mediaType: MEDIA.dockerLayerGzip, digest: 'sha256:b', size: 10 }];
    const docker = JSON.parse(
      imageManifest(MEDIA.dockerManifest, { digest: 'sha256:c', size: 5 }, baseLayers, [
        { digest: 'sha256:l', size: 3 },
      ]).toString(),
    );
    expect(docker.mediaType).toBe(MEDIA.dockerManifest);
    expect(docker.config.mediaType).toBe(MEDIA.dockerConfig);
    expect(docker.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      MEDIA.dockerLayerGzip,
      MEDIA.dockerLayerGzip,
    ]);
    const oci = JSON.parse(
      imageManifest(
        MEDIA.ociManifest,
        { digest: 'sha256:c', size: 5 },
        [],
        [{ digest: 'sha256:l', size: 3 }],
      ).toString(),
    );
    expect(oci.config.mediaType).toBe(MEDIA.ociConfig);
    expect(oci.layers[0].mediaType).toBe(MEDIA.ociLayerGzip);
  });

  test('the dependency cache key follows what decides the layer', () => {
    const k = dependencyCacheKey(['pandas>=2'], '3.12', 'linux/amd64', 0);
    expect(dependencyCacheKey(['pandas>=2'], '3.12.1', 'linux/amd64', 0)).toBe(k);
    expect(dependencyCacheKey(['pandas>=2.1'], '3.12', 'linux/amd64', 0)).not.toBe(k);
    expect(dependencyCacheKey(['pandas>=2'], '3.11', 'linux/amd64', 0)).not.toBe(k);
    expect(dependencyCacheKey(['pandas>=2'], '3.12', 'linux/arm64', 0)).not.toBe(k);
  });
});

describe('registry protocol helpers', () => {
  test('image references', () => {
    expect(parseImageRef('public.ecr.aws/lambda/python:3.12')).toEqual({
      registry: 'public.ecr.aws',
      repository: 'lambda/python',
      reference: '3.12',
    });
    expect(parseImageRef('python:3.12-slim')).toEqual({
      registry: 'registry-1.docker.io',
      repository: 'library/python',
      reference: '3.12-slim',
    });
    expect(parseImageRef('127.0.0.1:5000/base/py')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'base/py',
      reference: 'latest',
    });
    const d = `sha256:${'0'.repeat(64)}`;
    expect(parseImageRef(`localhost/a@${d}`)).toEqual({ registry: 'localhost', repository: 'a', reference: d });
    expect(() => parseImageRef('Bad/Repo')).toThrow(/not an image reference/);
  });

  test('registry endpoints: https, or http on loopback', () => {
    expect(registryEndpoint('123.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      host: '123.dkr.ecr.eu-west-1.amazonaws.com',
      url: 'https://123.dkr.ecr.eu-west-1.amazonaws.com',
    });
    expect(registryEndpoint('127.0.0.1:5000')).toEqual({ host: '127.0.0.1:5000', url: 'http://127.0.0.1:5000' });
    expect(registryEndpoint('http://registry.internal:5000/')).toEqual({
      host: 'registry.internal:5000',
      url: 'http://registry.internal:5000',
    });
    expect(isLoopbackHost('localhost:1')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(() => registryEndpoint('a b')).toThrow(/not a registry host/);
  });

  test('auth challenges', () => {
    expect(parseChallenge('Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"')).toEqual(
      {
        scheme: 'bearer',
        params: { realm: 'https://public.ecr.aws/token/', service: 'public.ecr.aws', scope: 'aws' },
      },
    );
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
  });
});

describe('pip for the image', () => {
  test('the dependency without a wheel is named, with what needs it', () => {
    const direct = missingWheelFromPipOutput(
      'ERROR: Could not find a version that satisfies the requirement nowheel-dep>=1 (from versions: none)\n' +
        'ERROR: No matching distribution found for nowheel-dep>=1',
    );
    expect(direct).toEqual({ requirement: 'nowheel-dep>=1', name: 'nowheel-dep' });
    const transitive = missingWheelFromPipOutput(
      'ERROR: Could not find a version that satisfies the requirement lxml>=4 (from kedro-datasets) (from versions: 1.0, 2.0)',
    );
    expect(transitive).toEqual({ requirement: 'lxml>=4', name: 'lxml', neededBy: 'kedro-datasets' });
    expect(missingWheelFromPipOutput('ERROR: something else')).toBeUndefined();
    const message = missingWheelMessage(transitive!, 'linux/amd64', parsePythonVersion('3.12'), ['kedro-datasets>=9']);
    expect(message).toContain(
      'dependency "lxml" (needed by kedro-datasets) has no wheel for the image: CPython 3.12 on manylinux2014_x86_64',
    );
    expect(missingWheelMessage(direct!, 'linux/amd64', parsePythonVersion('3.11'), ['nowheel-dep>=1'])).toContain(
      '"nowheel-dep" (one of the project\'s own requirements)',
    );
  });

  test("console scripts lose the runner's interpreter; direct_url.json goes", () => {
    expect(rewriteShebang('#!/work/main/.venv/bin/python\nimport x\n')).toBe('#!/usr/bin/env python3\nimport x\n');
    expect(rewriteShebang("#!/bin/sh\n'''exec' /very/long/python \"$0\" \"$@\"\n' '''\nimport x\n")).toBe(
      '#!/usr/bin/env python3\nimport x\n',
    );
    expect(rewriteShebang('#!/bin/sh\necho\n')).toBeUndefined();
    const dir = tmp('pip');
    fs.mkdirSync(path.join(dir, 'demo-0.1.dist-info'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.mkdirSync(path.join(dir, 'demo', '__pycache__'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'demo-0.1.dist-info', 'direct_url.json'), '{"url": "file:///tmp/x/demo.whl"}');
    fs.writeFileSync(
      path.join(dir, 'demo-0.1.dist-info', 'RECORD'),
      'demo/__init__.py,sha256=x,0\n../../bin/demo,sha256=old,39\ndemo-0.1.dist-info/direct_url.json,sha256=y,10\n',
    );
    fs.writeFileSync(path.join(dir, 'bin', 'demo'), '#!/tmp/venv/bin/python3.11\nimport demo\n');
    tidyPipTarget(dir);
    expect(fs.existsSync(path.join(dir, 'demo-0.1.dist-info', 'direct_url.json'))).toBe(false);
    // The script's RECORD line follows its new content (pip recorded it with the runner's interpreter).
    const script = Buffer.from('#!/usr/bin/env python3\nimport demo\n');
    const hash = createHash('sha256').update(script).digest('base64url');
    expect(fs.readFileSync(path.join(dir, 'demo-0.1.dist-info', 'RECORD'), 'utf8')).toBe(
      `demo/__init__.py,sha256=x,0\n../../bin/demo,sha256=${hash},${script.length}\n`,
    );
    expect(fs.readFileSync(path.join(dir, 'bin', 'demo'), 'utf8')).toBe('#!/usr/bin/env python3\nimport demo\n');
    expect(fs.existsSync(path.join(dir, 'demo', '__pycache__'))).toBe(false);
  });
});

describe('wheel METADATA', () => {
  test('requirements without extras-only lines; the description is not headers', () => {
    const meta = parseMetadata(
      'Metadata-Version: 2.1\nName: spaceflights\nVersion: 0.1\nRequires-Python: >=3.10\n' +
        'Requires-Dist: kedro~=1.7\nRequires-Dist: kedro-datasets[pandas-csvdataset]<10,>=9.6\n' +
        'Requires-Dist: pytest; extra == "test"\nRequires-Dist: tomli; python_version < "3.11"\n\nRequires-Dist: no\n',
    );
    expect(meta).toEqual({
      name: 'spaceflights',
      version: '0.1',
      requiresPython: '>=3.10',
      requirements: ['kedro~=1.7', 'kedro-datasets[pandas-csvdataset]<10,>=9.6', 'tomli; python_version < "3.11"'],
    });
    expect(requirementName('kedro-datasets[pandas]<10')).toBe('kedro-datasets');
    expect(normalizeName('Kedro_Datasets.x')).toBe('kedro-datasets-x');
  });
});
