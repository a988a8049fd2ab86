/**
 * mode: build with the oci builder (no Docker engine), for real: the example project packaged by real
 * Kedro, ECR's control plane on moto (repository, GetAuthorizationToken), and a real registry on
 * loopback (Debian's docker-registry, distribution 2.8) whose htpasswd holds the login moto hands out,
 * behind the ECR stand-in of test/support/ecr.ts (which answers PutImage, BatchGetImage and DescribeImages
 * from that registry and enforces immutable tags as ECR does), passed with the `registry` input because
 * moto's ECR names AWS's own registry host.
 *
 * The real AWS Lambda base image cannot be pulled here (no network): the base is a tiny stand-in the
 * test pushes itself (test/support/registry.ts). The example's dependencies (pandas, pyarrow, ...) are
 * not downloaded in this test (`dependencies: skip`); the lock and the dependency layer are tested on
 * their own below, with uv and pip for the image's platform on a local folder of wheels (PIP_NO_INDEX,
 * PIP_FIND_LINKS, which the lock passes on to uv).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { callLog, isReadOnly } from '../../src/aws/clients';
import { ecrClient } from '../../src/aws/ecr';
import { emulationRefusal } from '../../src/build/emulation';
import { LAMBDA_HANDLER, type Platform } from '../../src/build/layout';
import { ensureUv, makeLock, type ReadLock, readLock, UV_VERSION, uvToolDir } from '../../src/build/lock';
import { buildImage, type OciBuildOptions, pushImage } from '../../src/build/oci';
import { RegistryClient } from '../../src/build/registry';
import type { TarMember } from '../../src/build/tar';
import { createContext, type ModeContext } from '../../src/context/context';
import { readInputs } from '../../src/inputs';
import { type BuildOptions, buildMode } from '../../src/modes/build';
import type { Plan } from '../../src/plan/schema';
import { type EcrStandIn, startEcr } from '../support/ecr';
import { exportPlan, kedroPackage } from '../support/kedro';
import { FAKE_AWS_ENV, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';
import {
  type LocalRegistry,
  listTags,
  MOTO_ECR_PASSWORD,
  MOTO_ECR_USER,
  type PulledImage,
  pullImage,
  pushTinyBase,
  registryFetch,
  startRegistry,
} from '../support/registry';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const REPO = 'kedro/spaceflights';

/** Runs `f` with what the step log gets (core.info writes to stdout) added to `lines`, line by line. */
async function withStdout<T>(lines: string[], f: () => Promise<T>): Promise<T> {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    return await f();
  } finally {
    write.mockRestore();
  }
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-build-${prefix}-`));
}

/** A wheel written by Python's zipfile: `files` under the package, METADATA with `requires`, console scripts. */
function makeWheel(
  dir: string,
  name: string,
  o: { requires?: string[]; scripts?: Record<string, string>; files?: Record<string, string>; version?: string } = {},
): string {
  const version = o.version ?? '1.0';
  const wheel = path.join(dir, `${name}-${version}-py3-none-any.whl`);
  const spec = JSON.stringify({
    name,
    version,
    requires: o.requires ?? [],
    scripts: o.scripts ?? {},
    files: o.files ?? { '__init__.py': `NAME = "${name}"\n` },
  });
  execFileSync(PYTHON, [
    '-c',
    [
      'import base64, hashlib, json, sys, zipfile',
      'spec = json.loads(sys.argv[2]); n = spec["name"]; v = spec["version"]; info = f"{n}-{v}.dist-info"',
      'members = {f"{n}/{k}": v for k, v in spec["files"].items()}',
      'members[f"{info}/METADATA"] = "Metadata-Version: 2.1\\nName: " + n + "\\nVersion: " + v + "\\n" + "".join(f"Requires-Dist: {r}\\n" for r in spec["requires"])',
      'members[f"{info}/WHEEL"] = "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"',
      'if spec["scripts"]: members[f"{info}/entry_points.txt"] = "[console_scripts]\\n" + "".join(f"{k} = {v}\\n" for k, v in spec["scripts"].items())',
      'h = lambda s: "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(s.encode()).digest()).decode().rstrip("=")',
      'record = "".join(f"{p},{h(t)},{len(t.encode())}\\n" for p, t in members.items()) + f"{info}/RECORD,,\\n"',
      'members[f"{info}/RECORD"] = record',
      'z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)',
      '[z.writestr(p, t) for p, t in members.items()]',
      'z.close()',
    ].join('\n'),
    wheel,
    spec,
  ]);
  return wheel;
}

function files(layer: TarMember[]): string[] {
  return layer.filter((m) => m.type !== 'dir').map((m) => m.name);
}

function fileText(layer: TarMember[], name: string): string {
  const member = layer.find((m) => m.name === name);
  if (!member) throw new Error(`${name} is not in the layer (it has ${files(layer).slice(0, 20).join(', ')} ...)`);
  return member.content.toString('utf8');
}

describe('mode: build, builder oci, against the ECR stand-in (moto and a real registry on loopback)', () => {
  let backend: LocalRegistry;
  let registry: EcrStandIn;
  let project: string;
  let wheel: string;
  let confArchive: string;
  let plan: Plan;
  let planFile: string;
  let runnerTemp: string;
  let baseRef: string;
  const outputs: Record<string, string> = {};

  function context(target = 'step-functions', sha = SHA): ModeContext {
    const inputs = readInputs(
      (name) =>
        (
          ({
            mode: 'package,build',
            'project-path': project,
            python: PYTHON,
            stage: 'dev',
            wheel,
            'conf-archive': confArchive,
            plan: planFile,
            target,
          }) as Record<string, string>
        )[name] ?? '',
      project,
    );
    const ctx = createContext(inputs, { ...process.env, RUNNER_TEMP: runnerTemp, GITHUB_SHA: sha });
    return { ...ctx, setOutput: (name, value) => void (outputs[name] = value) };
  }

  const options = (): BuildOptions => ({
    ecrRepository: REPO,
    createRepository: true,
    builder: 'auto',
    platform: 'linux/amd64',
    registry: registry.host,
    baseImage: baseRef,
    dependencies: 'skip',
    // No Docker engine on this machine; `auto` asks `docker info`, which is replaced to be sure.
    dockerAvailable: async () => false,
  });

  beforeAll(async () => {
    await resetMoto();
    backend = await startRegistry(MOTO_ECR_USER, MOTO_ECR_PASSWORD);
    registry = await startEcr(backend);
    // The SDK's ECR client goes to the stand-in (every other service still goes to moto).
    process.env.AWS_ENDPOINT_URL_ECR = registry.endpoint;
    project = copyProject(EXAMPLE);
    plan = exportPlan(project);
    planFile = path.join(project, 'plan.json');
    ({ wheel, confArchive } = kedroPackage(project, 'spaceflights'));
    baseRef = (await pushTinyBase(registry, 'base/lambda-python', plan.project.python_version)).ref;
    runnerTemp = tmp('runner');
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_ECR;
    await registry?.stop();
    await backend?.stop();
  });

  let first: Awaited<ReturnType<typeof buildMode>>;
  let image: PulledImage;

  test('builds, pushes and outputs image-uri pinned by a digest that the registry serves', async () => {
    const before = callLog.length;
    first = await buildMode(context(), options());
    expect(first.builder).toBe('oci');
    expect(first.imageUri).toBe(`${registry.host}/${REPO}@${first.digest}`);
    expect(first.alreadyThere).toBe(false);
    expect(first.bytesPushed).toBeGreaterThan(0);
    expect(outputs).toEqual({ 'image-uri': first.imageUri, 'image-digest': first.digest, platform: 'linux/amd64' });
    const state = JSON.parse(fs.readFileSync(path.join(runnerTemp, 'kedro-aws-action', 'dev', 'state.json'), 'utf8'));
    expect(state['image-uri']).toBe(first.imageUri);
    // The changes on the AWS side: the repository, and one PutImage per tag (the image went by digest).
    const calls = callLog.slice(before);
    expect(calls.filter((c) => !isReadOnly(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([
      'ecr:CreateRepository',
      'ecr:PutImage',
      'ecr:PutImage',
    ]);
    expect(calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['GetAuthorizationToken', 'DescribeImages']));
    expect(first.tags).toEqual({ set: [SHA, 'dev'], already: [], kept: [] });

    const head = await registryFetch(registry, `/v2/${REPO}/manifests/${first.digest}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe(first.digest);
    expect(await listTags(registry, REPO)).toEqual([SHA, 'dev']);
  });

  test('the image: base layers, then the wheel, the conf of the env, the runtime; the handler as CMD', async () => {
    image = await pullImage(registry, REPO, first.digest);
    expect(image.manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(image.config.architecture).toBe('amd64');
    // Ours, which hands the handler to the base image's /lambda-entrypoint.sh and runs a Batch job's command.
    expect(image.config.config.Entrypoint).toEqual(['/bin/sh', '/var/task/kedro_aws_action/entrypoint.sh']);
    expect(image.config.config.Cmd).toEqual([LAMBDA_HANDLER]);
    expect(image.config.config.WorkingDir).toBe('/var/task');
    expect(image.config.config.Env).toEqual(
      expect.arrayContaining(['LAMBDA_TASK_ROOT=/var/task', 'KEDRO_DISABLE_TELEMETRY=true']),
    );
    expect(image.layers).toHaveLength(4);
    const [base, wheelLayer, conf, runtime] = image.layers as [TarMember[], TarMember[], TarMember[], TarMember[]];
    expect(files(base)).toContain('lambda-entrypoint.sh');

    // The project's package installed in the task root, the runtime's site-packages (first on sys.path).
    expect(files(wheelLayer)).toEqual(
      expect.arrayContaining(['var/task/spaceflights/__init__.py', 'var/task/spaceflights/pipeline_registry.py']),
    );
    const distInfo = files(wheelLayer).find((f) => /^var\/task\/spaceflights-[^/]+\.dist-info\/METADATA$/.test(f));
    expect(distInfo).toBeDefined();
    expect(fileText(wheelLayer, distInfo!)).toMatch(/^Name: spaceflights$/m);
    expect(files(wheelLayer).some((f) => f.endsWith('direct_url.json') || f.includes('__pycache__'))).toBe(false);

    expect(files(conf).sort()).toEqual([
      'var/task/conf/aws/catalog.yml',
      'var/task/conf/aws/globals.yml',
      'var/task/conf/aws/kedro_aws.yml',
      'var/task/conf/base/catalog.yml',
      'var/task/conf/base/parameters_data_science.yml',
    ]);
    expect(fileText(conf, 'var/task/conf/aws/catalog.yml')).toBe(
      fs.readFileSync(path.join(project, 'conf', 'aws', 'catalog.yml'), 'utf8'),
    );

    expect(files(runtime)).toEqual(
      expect.arrayContaining([
        'var/task/kedro_aws_action/lambda_handler.py',
        'var/task/kedro_aws_action/logging.yml',
        'var/task/kedro_aws_action/entrypoint.sh',
      ]),
    );
    expect(fileText(runtime, 'var/task/kedro_aws_action/lambda_handler.py')).toContain('def handler(event');
    // Every entry of our layers: root-owned, the same fixed mtime.
    for (const layer of [wheelLayer, conf, runtime]) {
      for (const m of layer) expect([m.uid, m.gid, m.mtime]).toEqual([0, 0, 0]);
    }
  });

  test('a second build gives the same digest and pushes nothing', async () => {
    const before = callLog.length;
    const second = await buildMode(context(), options());
    expect(second.digest).toBe(first.digest);
    expect(second.alreadyThere).toBe(true);
    expect(second.bytesPushed).toBe(0);
    expect(callLog.slice(before).filter((c) => !isReadOnly(c.operation))).toEqual([]);
    expect(second.tags).toEqual({ set: [], already: [SHA, 'dev'], kept: [] });
    expect(await listTags(registry, REPO)).toEqual([SHA, 'dev']);
  });

  test('a one-line change in a node function: a new digest, only the wheel layer differs', async () => {
    const nodes = path.join(project, 'src', 'spaceflights', 'pipelines', 'data_processing', 'nodes.py');
    fs.appendFileSync(nodes, '\n# a one-line change\n');
    ({ wheel, confArchive } = kedroPackage(project, 'spaceflights'));
    const changed = await buildMode(context(), options());
    expect(changed.digest).not.toBe(first.digest);
    const after = await pullImage(registry, REPO, changed.digest);
    const digests = (img: PulledImage) => img.manifest.layers.map((l) => l.digest);
    const [b0, w0, c0, r0] = digests(image);
    const [b1, w1, c1, r1] = digests(after);
    expect([b1, c1, r1]).toEqual([b0, c0, r0]);
    expect(w1).not.toBe(w0);
    // What travelled: the new wheel layer, the config and the manifests (the base and the rest were there).
    const wheelSize = after.manifest.layers[1]!.size;
    expect(changed.bytesPushed).toBeLessThan(wheelSize + 20_000);
  });

  test('target batch: the same layers, the Batch entry point as the command and the task root importable', async () => {
    const built = await buildMode(context('batch'), options());
    const batchImage = await pullImage(registry, REPO, built.digest);
    expect(batchImage.config.config.Entrypoint ?? []).toEqual([]);
    expect(batchImage.config.config.Cmd).toEqual(['python3', '-m', 'kedro_aws_action.batch_entry']);
    expect(batchImage.config.config.Env).toEqual(expect.arrayContaining(['PYTHONPATH=/var/task']));
    expect(batchImage.manifest.layers.length).toBe(image.manifest.layers.length);
  });

  test('an immutable repository keeps its tags on the first image: the next build is pushed by digest, with a notice', async () => {
    const repo = 'kedro/immutable';
    await ecrClient({ region: FAKE_AWS_ENV.AWS_REGION, maxAttempts: 2 }).send(
      new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' }),
    );
    const notices: string[] = [];
    const spy = jest.spyOn(core, 'notice').mockImplementation((m) => void notices.push(String(m)));
    try {
      const nightly = await buildMode(context(), { ...options(), ecrRepository: repo });
      expect(nightly.tags).toEqual({ set: [SHA, 'dev'], already: [], kept: [] });
      // The same image again (a re-run): its tags are there already, nothing is put, no notice.
      const rerun = await buildMode(context(), { ...options(), ecrRepository: repo });
      expect(rerun).toMatchObject({ digest: nightly.digest, tags: { set: [], already: [SHA, 'dev'], kept: [] } });
      expect(notices).toEqual([]);

      // The next night: new code, same stage (and here the same commit): another image, whose tags exist.
      fs.appendFileSync(path.join(project, 'src', 'spaceflights', 'pipeline_registry.py'), '\n# the next night\n');
      ({ wheel, confArchive } = kedroPackage(project, 'spaceflights'));
      const next = await buildMode(context(), { ...options(), ecrRepository: repo });
      expect(next.digest).not.toBe(nightly.digest);
      expect(next.tags).toEqual({ set: [], already: [], kept: [SHA, 'dev'] });
      expect(outputs['image-uri']).toBe(`${registry.host}/${repo}@${next.digest}`);
      expect(notices).toEqual([
        expect.stringMatching(
          new RegExp(
            `Tag\\(s\\) "${SHA}", "dev" stay on the image they are on: the ECR repository kedro/immutable has immutable tags \\(ImageTagAlreadyExistsException\\)`,
          ),
        ),
      ]);
      // The image is in the repository (by digest), the tags still point at the first one.
      const head = await registryFetch(registry, `/v2/${repo}/manifests/${next.digest}`, {
        method: 'HEAD',
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(head.status).toBe(200);
      const tag = await registryFetch(registry, `/v2/${repo}/manifests/dev`, {
        method: 'HEAD',
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(tag.headers.get('docker-content-digest')).toBe(nightly.digest);

      // A tag written by the push itself, as `docker buildx build --tag ... --push` does, is what ECR refuses.
      const manifest = await registryFetch(registry, `/v2/${repo}/manifests/${next.digest}`, {
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      const put = await registryFetch(registry, `/v2/${repo}/manifests/dev`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' },
        body: Buffer.from(await manifest.arrayBuffer()),
      });
      expect(put.status).toBe(400);
      expect(await put.json()).toEqual({
        errors: [
          {
            code: 'TAG_INVALID',
            message:
              "The image tag 'dev' already exists in the 'kedro/immutable' repository and cannot be overwritten because the repository is immutable.",
          },
        ],
      });
    } finally {
      spy.mockRestore();
    }
  });

  test('the dependencies come from the lock of package: without one, build says where it comes from', async () => {
    await expect(buildMode(context(), { ...options(), dependencies: 'install' })).rejects.toThrow(
      /no "requirements-lock": run mode "package" earlier in this job \(same stage "dev"\), or give the "requirements-lock" input/,
    );
  });

  test('refuses a project Dockerfile without a Docker engine, naming the input', async () => {
    await expect(buildMode(context(), { ...options(), dockerfile: path.join(project, 'Dockerfile') })).rejects.toThrow(
      /input "dockerfile" needs a Docker engine .*"docker info" found no engine/,
    );
  });

  test('docker builder, arm64 on an x64 runner without emulation: refused with the fix, before anything is made', async () => {
    const before = callLog.length;
    // The evidence of a runner without QEMU (no binfmt_misc entry, buildx lists only its own platform).
    const withoutQemu = async (platform: Platform) =>
      emulationRefusal(platform, 'x64', { binfmt: undefined, buildxPlatforms: ['linux/amd64', 'linux/386'] });
    const docker = {
      builder: 'docker' as const,
      dockerAvailable: async () => true,
      dockerPlatformRefusal: withoutQemu,
    };
    await expect(buildMode(context(), { ...options(), ...docker, platform: 'linux/arm64' })).rejects.toThrow(
      /input "platform" is linux\/arm64 and the builder is docker, but this runner is x64 and no emulation of arm64 is registered.*docker\/setup-qemu-action/,
    );
    expect(callLog.slice(before)).toEqual([]);
  });
});

describe('oci builder: the dependency layer, from the lock, with pip for the image platform', () => {
  let registry: LocalRegistry;
  let links: string;
  let confArchive: string;
  let baseRef: string;
  let toolDir: string;
  /** The package index of these tests: a folder of wheels (no network), for pip and for uv alike. */
  const indexEnv = () => ({ ...process.env, PIP_NO_INDEX: '1', PIP_FIND_LINKS: links });

  /** The lock `package` writes for a wheel, made here with uv on the folder of wheels. */
  async function lockFor(
    wheel: string,
    o: { given?: string; project?: string; env?: NodeJS.ProcessEnv; notices?: string[]; logged?: string[] } = {},
  ) {
    const out = path.join(tmp('lock'), 'requirements.lock');
    const made = await makeLock({
      python: PYTHON,
      projectPath: o.project ?? tmp('project'),
      wheel,
      pythonVersion: '3.11',
      platform: 'linux/amd64',
      sdists: false,
      ...(o.given ? { given: o.given } : {}),
      output: out,
      toolDir,
      env: o.env ?? indexEnv(),
      log: (line) => o.logged?.push(line),
      notice: (line) => o.notices?.push(line),
    });
    return { made, lock: readLock(out, { pythonVersion: '3.11', platform: 'linux/amd64' }) };
  }

  beforeAll(async () => {
    registry = await startRegistry();
    links = tmp('links');
    makeWheel(links, 'tinydep', {
      scripts: { tiny: 'tinydep:main' },
      files: { '__init__.py': 'def main():\n    print("tiny")\n' },
    });
    // An sdist only: the image gets binary wheels only, so this one cannot be installed.
    fs.writeFileSync(path.join(links, 'nowheel_dep-1.0.tar.gz'), 'not really an sdist');
    const project = copyProject(EXAMPLE);
    ({ confArchive } = kedroPackage(project, 'spaceflights'));
    baseRef = (await pushTinyBase(registry, 'base/python', '3.11')).ref;
    // uv, from the package index (once per machine: RUNNER_TOOL_CACHE of the global setup).
    toolDir = uvToolDir(process.env, tmp('action'));
    await ensureUv(PYTHON, toolDir, process.env);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const optionsFor = (wheel: string, cacheDir: string, lock: ReadLock): OciBuildOptions => ({
    wheel,
    confArchive,
    env: 'aws',
    pythonVersion: '3.11',
    platform: 'linux/amd64',
    baseImage: baseRef,
    baseClient: new RegistryClient({
      registry: registry.host,
      credentials: { username: registry.username, password: registry.password },
    }),
    python: PYTHON,
    dependencies: 'install' as const,
    lock,
    cacheDir,
    pipEnv: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: links },
  });
  const build = (wheel: string, cacheDir: string, lock: ReadLock) => buildImage(optionsFor(wheel, cacheDir, lock));

  test('the lock uv makes for the wheel: every package pinned with its hash, for the image Python and platform', async () => {
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1', 'pytest; extra == "test"'] });
    const { made, lock } = await lockFor(wheel);
    expect(made).toMatchObject({ source: `uv ${UV_VERSION}`, packages: 1, hashed: true });
    const hash = `sha256:${createHash('sha256')
      .update(fs.readFileSync(path.join(links, 'tinydep-1.0-py3-none-any.whl')))
      .digest('hex')}`;
    expect(lock.parsed.requirements.map((r) => [r.name, r.version, r.hashes])).toEqual([['tinydep', '1.0', [hash]]]);
    expect(lock.parsed.header).toEqual({ python: '3.11', platform: 'linux/amd64', source: `uv ${UV_VERSION}` });
    // A wheel that requires nothing has an empty lock.
    const bare = await lockFor(makeWheel(tmp('proj'), 'bare_project'));
    expect(bare.made.packages).toBe(0);
  });

  test('the locked packages go in their own layer before the wheel; a rebuild takes it from the cache', async () => {
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1', 'pytest; extra == "test"'] });
    const { lock } = await lockFor(wheel);
    const cacheDir = tmp('cache');
    const built = await build(wheel, cacheDir, lock);
    expect(built.layers.map((l) => `${l.name}${l.cached ? ' (cached)' : ''}`)).toEqual([
      'dependencies',
      'wheel',
      'conf',
      'runtime',
    ]);
    const client = new RegistryClient({
      registry: registry.host,
      credentials: { username: registry.username, password: registry.password },
    });
    const pushed = await pushImage(built, { client, repository: 'demo', cacheDir });
    expect(pushed.stats.blobsMounted).toBe(1); // the base layer, from base/python in the same registry
    const image = await pullImage(registry, 'demo', pushed.digest);
    const deps = image.layers[1]!;
    expect(files(deps)).toEqual(
      expect.arrayContaining([
        'var/task/tinydep/__init__.py',
        'var/task/tinydep-1.0.dist-info/METADATA',
        'var/task/bin/tiny',
      ]),
    );
    expect(fileText(deps, 'var/task/bin/tiny').split('\n')[0]).toBe('#!/usr/bin/env python3');
    expect(files(image.layers[2]!)).toContain('var/task/demo_project/__init__.py');

    const again = await build(wheel, cacheDir, lock);
    expect(again.layers[0]).toMatchObject({ name: 'dependencies', cached: true });
    expect(again.manifestDigest).toBe(built.manifestDigest);
    const repush = await pushImage(again, { client, repository: 'demo', cacheDir });
    expect(repush).toMatchObject({ alreadyThere: true });
    expect(repush.stats).toMatchObject({ blobsUploaded: 0, bytesUploaded: 0, manifestsPut: 0 });

    // Another cache folder (another job): pip runs again and gives the same layer.
    const fresh = await build(wheel, tmp('cache2'), lock);
    expect(fresh.layers[0]!.cached).toBe(false);
    expect(fresh.manifestDigest).toBe(built.manifestDigest);
  });

  test('two runs of one commit install the same packages: the committed lock holds them when a newer version is published', async () => {
    const index = tmp('links-moving');
    const env = { ...process.env, PIP_NO_INDEX: '1', PIP_FIND_LINKS: index };
    const pipEnv = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: index };
    makeWheel(index, 'movingdep', { files: { '__init__.py': 'VERSION = 1\n' } });
    const project = tmp('commit');
    const wheel = makeWheel(tmp('proj'), 'moving_project', { requires: ['movingdep>=1'] });
    const client = new RegistryClient({
      registry: registry.host,
      credentials: { username: registry.username, password: registry.password },
    });
    /** One run's build and push; what the image's dependency layer installs. */
    const buildAndList = async (lock: ReadLock) => {
      const cacheDir = tmp('cache');
      const built = await buildImage({ ...optionsFor(wheel, cacheDir, lock), pipEnv });
      const pushed = await pushImage(built, { client, repository: 'moving', cacheDir });
      const image = await pullImage(registry, 'moving', pushed.digest);
      return { digest: built.manifestDigest, installed: files(image.layers[1]!) };
    };

    // Run 1: the project has no lock, so package makes one with uv and says how to commit it.
    const notices: string[] = [];
    const logged: string[] = [];
    const first = await withStdout(logged, () => lockFor(wheel, { env, project, notices, logged }));
    expect(first.made.source).toBe(`uv ${UV_VERSION}`);
    // uv's list of what it resolved (each package with its hashes) stays out of the log: one line says it.
    expect(logged.join('\n')).not.toMatch(/uv pip compile \||--hash=sha256|movingdep==1\.0/);
    expect(logged.filter((l) => /uv pip compile/.test(l))).toEqual([
      `uv pip compile: 1 package(s) resolved from the 1 requirement(s) of ${path.basename(wheel)}, locked in ${first.lock.file}`,
    ]);
    expect(fs.readFileSync(first.lock.file, 'utf8')).toMatch(/^movingdep==1\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    expect(notices.join('\n')).toMatch(
      /the project has no lock .*commit it as requirements\.lock at the project's root \(output "requirements-lock"\), or run "uv pip compile pyproject\.toml --generate-hashes --python-version 3\.11 --python-platform x86_64-manylinux_2_17 --only-binary :all: --output-file requirements\.lock" there/,
    );
    const one = await buildAndList(first.lock);
    expect(one.installed).toContain('var/task/movingdep-1.0.dist-info/METADATA');
    // The user commits the lock package wrote.
    fs.copyFileSync(first.lock.file, path.join(project, 'requirements.lock'));

    // movingdep 2.0 is published; run 2 of the same commit reads the committed lock.
    makeWheel(index, 'movingdep', { version: '2.0', files: { '__init__.py': 'VERSION = 2\n' } });
    const notices2: string[] = [];
    const second = await lockFor(wheel, { env, project, notices: notices2 });
    expect(second.made.source).toBe('requirements.lock');
    expect(notices2).toEqual([]);
    const two = await buildAndList(second.lock);
    expect(two.installed).toEqual(one.installed);
    expect(two.digest).toBe(one.digest);

    // Without a committed lock a run resolves again, and takes 2.0.
    const unlocked = await lockFor(wheel, { env, project: tmp('nolock') });
    expect(unlocked.lock.parsed.requirements.map((r) => `${r.name}==${r.version}`)).toEqual(['movingdep==2.0']);

    // The project now needs movingdep>=2: the committed lock is stale, named with the command that updates it.
    const newer = makeWheel(tmp('proj'), 'moving_project', { requires: ['movingdep>=2'] });
    await expect(lockFor(newer, { env, project })).rejects.toThrow(
      /requirements\.lock is stale: it does not match the requirements of moving_project-1\.0-py3-none-any\.whl for CPython 3\.11 on linux\/amd64: movingdep>=2 \(the lock has movingdep==1\.0\)\. Update it at the project's root with "uv pip compile pyproject\.toml --generate-hashes .*--output-file requirements\.lock" and commit it/,
    );
    // A committed lock made for another platform is refused the same way.
    fs.writeFileSync(
      path.join(project, 'requirements.lock'),
      fs.readFileSync(first.lock.file, 'utf8').replace('platform=linux/amd64', 'platform=linux/arm64'),
    );
    await expect(lockFor(wheel, { env, project })).rejects.toThrow(
      /requirements\.lock was made for CPython 3\.11 on linux\/arm64, and the image is CPython 3\.11 on linux\/amd64: make it again at the project's root with "uv pip compile pyproject\.toml/,
    );
  });

  test('a file that does not have the hash of the lock fails the build, and says to make the lock again', async () => {
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1'] });
    const { lock } = await lockFor(wheel);
    const tampered = path.join(tmp('tampered'), 'requirements.lock');
    fs.writeFileSync(
      tampered,
      fs.readFileSync(lock.file, 'utf8').replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`),
    );
    await expect(
      build(wheel, tmp('cache'), readLock(tampered, { pythonVersion: '3.11', platform: 'linux/amd64' })),
    ).rejects.toThrow(
      /does not have the hash the lock .*tampered.*requirements\.lock gives it .* make the lock again/s,
    );
  });

  test("the project's own lock is used when it pins the wheel's requirements, and refused, named, when it does not", async () => {
    const wheel = makeWheel(tmp('proj'), 'demo_project', {
      requires: ['tinydep>=1', 'winonly; sys_platform == "win32"'],
    });
    const hash = `sha256:${createHash('sha256')
      .update(fs.readFileSync(path.join(links, 'tinydep-1.0-py3-none-any.whl')))
      .digest('hex')}`;
    // pip-compile's output, universal: a Windows-only line that the Linux image leaves out.
    const project = tmp('own');
    fs.writeFileSync(
      path.join(project, 'requirements.txt'),
      `tinydep==1.0 \\\n    --hash=${hash}\n    # via demo-project\nwinonly==3.0 ; sys_platform == "win32" \\\n    --hash=sha256:${'e'.repeat(64)}\n`,
    );
    const { made, lock } = await lockFor(wheel, { project });
    expect(made).toMatchObject({ source: 'requirements.txt', packages: 1, hashed: true });
    expect(lock.parsed.requirements.map((r) => `${r.name}==${r.version}`)).toEqual(['tinydep==1.0']);
    const built = await build(wheel, tmp('cache'), lock);
    expect(built.layers[0]!.name).toBe('dependencies');

    // A stale lock: the wheel now needs a package it does not pin, and a newer tinydep.
    const newer = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=2', 'otherdep'] });
    await expect(lockFor(newer, { project })).rejects.toThrow(
      /requirements\.txt is stale: it does not match the requirements of demo_project-1\.0-py3-none-any\.whl for CPython 3\.11 on linux\/amd64: tinydep>=2 \(the lock has tinydep==1\.0\); otherdep \(not in the lock\)\. Update it at the project's root with "uv pip compile pyproject\.toml --generate-hashes --python-version 3\.11 --python-platform x86_64-manylinux_2_17 --only-binary :all: --output-file requirements\.txt" and commit it/,
    );
    // The input names a lock that is not one.
    const loose = path.join(tmp('loose'), 'prod.txt');
    fs.writeFileSync(loose, 'tinydep>=1\n');
    await expect(lockFor(wheel, { given: loose })).rejects.toThrow(
      /prod\.txt is not a lock: line 1: tinydep>=1 is not pinned/,
    );
  });

  test("a uv project's uv.lock is exported (frozen, no dev group, not the project itself)", async () => {
    const project = tmp('uvproject');
    fs.writeFileSync(
      path.join(project, 'pyproject.toml'),
      '[project]\nname = "demo-project"\nversion = "1.0"\nrequires-python = ">=3.10"\ndependencies = ["tinydep>=1"]\n\n' +
        '[dependency-groups]\ndev = ["devonly"]\n',
    );
    makeWheel(links, 'devonly');
    const uv = path.join(toolDir, 'bin', 'uv');
    execFileSync(uv, ['lock', '--no-index', '--find-links', links, '--no-progress', '--python', PYTHON], {
      cwd: project,
      env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never' },
    });
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1'] });
    const { made, lock } = await lockFor(wheel, { project });
    // uv records no hash for a wheel of a local folder (it does for an index's): pinned, installed without hashes.
    expect(made).toMatchObject({ source: 'uv.lock (uv export)', packages: 1, hashed: false });
    expect(lock.parsed.requirements.map((r) => `${r.name}==${r.version}`)).toEqual(['tinydep==1.0']);
    const built = await build(wheel, tmp('cache'), lock);
    expect(built.layers.map((l) => l.name)).toEqual(['dependencies', 'wheel', 'conf', 'runtime']);
  });

  test("the layers do not depend on where the runner's Python is (console scripts, RECORD)", async () => {
    // Another interpreter path with the same pip: a venv without pip that sees the project's site-packages.
    const venv = path.join(tmp('venv'), 'elsewhere');
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', venv]);
    const site = execFileSync(PYTHON, ['-c', 'import pip, os; print(os.path.dirname(os.path.dirname(pip.__file__)))'], {
      encoding: 'utf8',
    }).trim();
    const version = execFileSync(
      PYTHON,
      ['-c', 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")'],
      { encoding: 'utf8' },
    ).trim();
    fs.writeFileSync(path.join(venv, 'lib', version, 'site-packages', 'project-pip.pth'), `${site}\n`);
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1'] });
    const { lock } = await lockFor(wheel);
    const here = await build(wheel, tmp('cache'), lock);
    const there = await buildImage({
      ...optionsFor(wheel, tmp('cache'), lock),
      python: path.join(venv, 'bin', 'python'),
    });
    expect(there.layers[0]!.blob.digest).toBe(here.layers[0]!.blob.digest);
    expect(there.manifestDigest).toBe(here.manifestDigest);
  });

  test('an interpreter without pip is named, with what to do', async () => {
    const venv = path.join(tmp('nopip'), 'venv');
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', venv]);
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1'] });
    const { lock } = await lockFor(wheel);
    await expect(
      buildImage({ ...optionsFor(wheel, tmp('cache'), lock), python: path.join(venv, 'bin', 'python') }),
    ).rejects.toThrow(/input "python": ".*\/venv\/bin\/python" has no pip, which the oci builder runs .* ensurepip/);
  });

  test('a dependency without a wheel for the platform: the lock cannot be made, and a lock that pins one fails the build', async () => {
    const wheel = makeWheel(tmp('proj'), 'needs_sdist', { requires: ['tinydep', 'nowheel-dep>=1'] });
    const logged: string[] = [];
    await expect(withStdout(logged, () => lockFor(wheel, { logged }))).rejects.toThrow(
      /uv could not resolve the requirements of needs_sdist-1\.0-py3-none-any\.whl for CPython 3\.11 on linux\/amd64 \(binary wheels only, as the oci builder installs\).*nowheel-dep/s,
    );
    // When uv fails, the log has its command and its whole output.
    expect(logged).toContainEqual(
      expect.stringMatching(/^uv pip compile requirements\.in .*--generate-hashes.* \(exit code 1\):$/),
    );
    expect(logged).toContainEqual(expect.stringMatching(/^ {2}uv pip compile \| .*nowheel-dep/));
    const handmade = path.join(tmp('hand'), 'requirements.lock');
    fs.writeFileSync(handmade, `nowheel-dep==1.0 --hash=sha256:${'f'.repeat(64)}\n`);
    await expect(
      build(wheel, tmp('cache'), readLock(handmade, { pythonVersion: '3.11', platform: 'linux/amd64' })),
    ).rejects.toThrow(
      /dependency "nowheel-dep" \(one of the project's own requirements\) has no wheel for the image: CPython 3\.11 on manylinux2014_x86_64 \(linux\/amd64\)/,
    );
  });
});
