/**
 * mode: build with the oci builder (no Docker engine), for real: the example project packaged by real
 * Kedro, ECR's control plane on moto (repository, GetAuthorizationToken), and a real registry on
 * loopback (Debian's docker-registry, distribution 2.8) whose htpasswd holds the login moto hands out,
 * passed with the `registry` input because moto's ECR names AWS's own registry host.
 *
 * The real AWS Lambda base image cannot be pulled here (no network): the base is a tiny stand-in the
 * test pushes itself (test/support/registry.ts). The example's dependencies (pandas, pyarrow, ...) are
 * not downloaded in this test (`dependencies: skip`); the dependency layer is tested on its own below
 * with pip for the image's platform and a local folder of wheels (PIP_NO_INDEX, PIP_FIND_LINKS).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callLog, isReadOnly } from '../../src/aws/clients';
import { emulationRefusal } from '../../src/build/emulation';
import { LAMBDA_HANDLER, type Platform } from '../../src/build/layout';
import { buildImage, type OciBuildOptions, pushImage } from '../../src/build/oci';
import { RegistryClient } from '../../src/build/registry';
import type { TarMember } from '../../src/build/tar';
import { createContext, type ModeContext } from '../../src/context/context';
import { readInputs } from '../../src/inputs';
import { type BuildOptions, buildMode } from '../../src/modes/build';
import type { Plan } from '../../src/plan/schema';
import { exportPlan, kedroPackage } from '../support/kedro';
import { PYTHON, resetMoto } from '../support/moto';
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

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-build-${prefix}-`));
}

/** A wheel written by Python's zipfile: `files` under the package, METADATA with `requires`, console scripts. */
function makeWheel(
  dir: string,
  name: string,
  o: { requires?: string[]; scripts?: Record<string, string>; files?: Record<string, string> } = {},
): string {
  const wheel = path.join(dir, `${name}-1.0-py3-none-any.whl`);
  const spec = JSON.stringify({
    name,
    requires: o.requires ?? [],
    scripts: o.scripts ?? {},
    files: o.files ?? { '__init__.py': `NAME = "${name}"\n` },
  });
  execFileSync(PYTHON, [
    '-c',
    [
      'import base64, hashlib, json, sys, zipfile',
      'spec = json.loads(sys.argv[2]); n = spec["name"]; info = f"{n}-1.0.dist-info"',
      'members = {f"{n}/{k}": v for k, v in spec["files"].items()}',
      'members[f"{info}/METADATA"] = "Metadata-Version: 2.1\\nName: " + n + "\\nVersion: 1.0\\n" + "".join(f"Requires-Dist: {r}\\n" for r in spec["requires"])',
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

describe('mode: build, builder oci, against moto ECR and a real registry on loopback', () => {
  let registry: LocalRegistry;
  let project: string;
  let wheel: string;
  let confArchive: string;
  let plan: Plan;
  let planFile: string;
  let runnerTemp: string;
  let baseRef: string;
  const outputs: Record<string, string> = {};

  function context(target = 'step-functions'): ModeContext {
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
    const ctx = createContext(inputs, { ...process.env, RUNNER_TEMP: runnerTemp, GITHUB_SHA: SHA });
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
    registry = await startRegistry(MOTO_ECR_USER, MOTO_ECR_PASSWORD);
    project = copyProject(EXAMPLE);
    plan = exportPlan(project);
    planFile = path.join(project, 'plan.json');
    ({ wheel, confArchive } = kedroPackage(project, 'spaceflights'));
    baseRef = (await pushTinyBase(registry, 'base/lambda-python', plan.project.python_version)).ref;
    runnerTemp = tmp('runner');
  });
  afterAll(async () => {
    await registry?.stop();
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
    // The only change on the AWS side: the repository.
    const calls = callLog.slice(before);
    expect(calls.filter((c) => !isReadOnly(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([
      'ecr:CreateRepository',
    ]);
    expect(calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['GetAuthorizationToken', 'DescribeImages']));

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
    expect(image.config.config.Entrypoint).toEqual(['/lambda-entrypoint.sh']);
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
      expect.arrayContaining(['var/task/kedro_aws_action/lambda_handler.py', 'var/task/kedro_aws_action/logging.yml']),
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

describe('oci builder: the dependency layer, with pip for the image platform', () => {
  let registry: LocalRegistry;
  let links: string;
  let confArchive: string;
  let baseRef: string;
  const pipEnv = () => ({ PIP_NO_INDEX: '1', PIP_FIND_LINKS: links });

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
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const optionsFor = (wheel: string, cacheDir: string): OciBuildOptions => ({
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
    cacheDir,
    pipEnv: pipEnv(),
  });
  const build = (wheel: string, cacheDir: string) => buildImage(optionsFor(wheel, cacheDir));

  test('requirements go in their own layer before the wheel; a rebuild takes it from the cache', async () => {
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1', 'pytest; extra == "test"'] });
    const cacheDir = tmp('cache');
    const built = await build(wheel, cacheDir);
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
    const pushed = await pushImage(built, { client, repository: 'demo', tags: ['dev'], cacheDir });
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

    const again = await build(wheel, cacheDir);
    expect(again.layers[0]).toMatchObject({ name: 'dependencies', cached: true });
    expect(again.manifestDigest).toBe(built.manifestDigest);
    const repush = await pushImage(again, { client, repository: 'demo', tags: ['dev'], cacheDir });
    expect(repush).toMatchObject({ alreadyThere: true, tagsSet: [] });
    expect(repush.stats).toMatchObject({ blobsUploaded: 0, bytesUploaded: 0, manifestsPut: 0 });

    // Another cache folder (another job): pip runs again and gives the same layer.
    const fresh = await build(wheel, tmp('cache2'));
    expect(fresh.layers[0]!.cached).toBe(false);
    expect(fresh.manifestDigest).toBe(built.manifestDigest);
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
    const here = await build(wheel, tmp('cache'));
    const there = await buildImage({ ...optionsFor(wheel, tmp('cache')), python: path.join(venv, 'bin', 'python') });
    expect(there.layers[0]!.blob.digest).toBe(here.layers[0]!.blob.digest);
    expect(there.manifestDigest).toBe(here.manifestDigest);
  });

  test('an interpreter without pip is named, with what to do', async () => {
    const venv = path.join(tmp('nopip'), 'venv');
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', venv]);
    const wheel = makeWheel(tmp('proj'), 'demo_project', { requires: ['tinydep>=1'] });
    await expect(
      buildImage({ ...optionsFor(wheel, tmp('cache')), python: path.join(venv, 'bin', 'python') }),
    ).rejects.toThrow(/input "python": ".*\/venv\/bin\/python" has no pip, which the oci builder runs .* ensurepip/);
  });

  test('a dependency without a wheel for the platform fails the build, named', async () => {
    const wheel = makeWheel(tmp('proj'), 'needs_sdist', { requires: ['tinydep', 'nowheel-dep>=1'] });
    await expect(build(wheel, tmp('cache'))).rejects.toThrow(
      /dependency "nowheel-dep" \(one of the project's own requirements\) has no wheel for the image: CPython 3\.11 on manylinux2014_x86_64 \(linux\/amd64\)/,
    );
  });
});
