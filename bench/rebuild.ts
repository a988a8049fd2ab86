/**
 * Rebuild bench of the `oci` builder: bytes pushed and time of a rebuild after a one-line change in a
 * node function, against a full build of the same image.
 *
 * Everything real but the base image: the example project packaged by Kedro, its dependencies locked
 * by uv and installed from the lock by pip for the image (CPython of the project's Python,
 * manylinux2014_x86_64, wheels only, from the package index as on a runner), deterministic layers, and a real registry on loopback
 * (Debian's docker-registry, test/support/registry.ts). The AWS Lambda base image cannot be pulled
 * here, so the base is the tests' tiny stand-in: the full image's bytes below leave out the real base
 * (tens of MB), which makes the rebuild's share look larger than it would be, not smaller.
 *
 * Steps, each timed (build on the runner + push), each counting the bytes the registry received:
 *   1. full build: empty repository, empty layer cache
 *   2. the same build again (nothing changed)
 *   3. a one-line change in a node function, `kedro package`, rebuild (layer cache of step 1)
 *   4. another one-line change built in a new job (no layer cache: pip runs again, and its layer comes out
 *      the same, so it is not pushed again)
 *
 * Target: the rebuild of step 3 pushes < 5 % of the full image's bytes.
 *
 * Run from the repository (needs docker-registry: `bash scripts/install-registry.sh`; and .venv from
 * scripts/setup.sh). The repository's tsc typechecks this file; it runs in place, transpiled on load,
 * so that the paths it finds from its own folder (examples/, python/) are the repository's:
 *   node -e "const ts=require('typescript'),fs=require('fs');require.extensions['.ts']=(m,f)=>m._compile(
 *     ts.transpileModule(fs.readFileSync(f,'utf8'),{compilerOptions:{module:ts.ModuleKind.CommonJS,
 *     target:ts.ScriptTarget.ES2022,esModuleInterop:true}}).outputText,f);require('./bench/rebuild.ts')" \
 *     -- [--deps skip] [--json FILE]
 * `--deps skip` leaves the dependency layer out (no package index needed; the ratio is then not meaningful).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeLock, readLock, uvToolDir } from '../src/build/lock';
import { type BuiltImage, buildImage, formatBytes, pushImage } from '../src/build/oci';
import { RegistryClient } from '../src/build/registry';
import { exportPlan, kedroPackage } from '../test/support/kedro';
import { PYTHON } from '../test/support/moto';
import { copyProject, EXAMPLE } from '../test/support/projects';
import { pushTinyBase, startRegistry } from '../test/support/registry';

interface Step {
  step: string;
  seconds: number;
  bytesPushed: number;
  blobsUploaded: number;
  digest: string;
  layers: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const deps = arg('deps', 'install') === 'skip' ? 'skip' : 'install';
  const jsonOut = arg('json', '');
  // pip and Kedro talk a lot; the bench prints its own lines.
  const log = process.env.BENCH_VERBOSE ? (l: string) => console.log(l) : () => undefined;
  process.env.KEDRO_DISABLE_TELEMETRY = '1';

  const registry = await startRegistry('AWS', 'bench-password');
  const credentials = { username: registry.username, password: registry.password };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-rebuild-'));
  const steps: Step[] = [];
  try {
    const project = copyProject(EXAMPLE);
    const plan = exportPlan(project);
    let packaged = kedroPackage(project, 'spaceflights');
    const base = await pushTinyBase(registry, 'base/lambda-python', plan.project.python_version);
    // The lock `package` writes (uv, from the package index), installed by every step: made once here.
    const lock =
      deps === 'install'
        ? await (async () => {
            const file = path.join(work, 'requirements.lock');
            await makeLock({
              python: PYTHON,
              projectPath: project,
              wheel: packaged.wheel,
              pythonVersion: plan.project.python_version,
              platform: 'linux/amd64',
              sdists: false,
              output: file,
              toolDir: uvToolDir(process.env, work),
              env: process.env,
              log,
              notice: log,
            });
            return readLock(file, { pythonVersion: plan.project.python_version, platform: 'linux/amd64' });
          })()
        : undefined;

    const run = async (step: string, cacheDir: string): Promise<BuiltImage> => {
      const client = new RegistryClient({ registry: registry.host, credentials });
      const started = process.hrtime.bigint();
      const image = await buildImage({
        wheel: packaged.wheel,
        confArchive: packaged.confArchive,
        env: 'aws',
        pythonVersion: plan.project.python_version,
        platform: 'linux/amd64',
        baseImage: base.ref,
        baseClient: new RegistryClient({ registry: registry.host, credentials }),
        python: PYTHON,
        dependencies: deps,
        ...(lock ? { lock } : {}),
        cacheDir,
        log,
      });
      const pushed = await pushImage(image, { client, repository: 'bench/spaceflights', cacheDir, log });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      steps.push({
        step,
        seconds,
        bytesPushed: pushed.stats.bytesUploaded,
        blobsUploaded: pushed.stats.blobsUploaded,
        digest: pushed.digest,
        layers: image.layers
          .map((l) => `${l.name} ${formatBytes(l.blob.size)}${l.cached ? ' (cached)' : ''}`)
          .join(', '),
      });
      console.log(
        `${step}: ${seconds.toFixed(1)} s, pushed ${formatBytes(pushed.stats.bytesUploaded)} (${pushed.stats.blobsUploaded} blobs)`,
      );
      return image;
    };

    const cache = path.join(work, 'cache');
    const full = await run('1. full build', cache);
    await run('2. no change', cache);
    const nodes = path.join(project, 'src', 'spaceflights', 'pipelines', 'data_processing', 'nodes.py');
    fs.writeFileSync(
      nodes,
      fs.readFileSync(nodes, 'utf8').replace('return x == "t"', 'return x == "t"  # one-line change'),
    );
    packaged = kedroPackage(project, 'spaceflights');
    await run('3. one-line change', cache);
    fs.writeFileSync(nodes, fs.readFileSync(nodes, 'utf8').replace('# one-line change', '# another one-line change'));
    packaged = kedroPackage(project, 'spaceflights');
    const fresh = await run('4. another one-line change, new job (no layer cache)', path.join(work, 'cache-fresh'));

    const fullBytes = full.totalBytes - full.base.layers.reduce((s, l) => s + l.size, 0);
    console.log('');
    console.log(
      `Full image without the base: ${formatBytes(fullBytes)} (${full.layers.map((l) => `${l.name} ${formatBytes(l.blob.size)}`).join(', ')})`,
    );
    console.log('');
    console.log('| step | time | bytes pushed | share of the full image | blobs sent |');
    console.log('|---|---|---|---|---|');
    for (const s of steps) {
      console.log(
        `| ${s.step} | ${s.seconds.toFixed(1)} s | ${formatBytes(s.bytesPushed)} | ${((100 * s.bytesPushed) / fullBytes).toFixed(2)} % | ${s.blobsUploaded} |`,
      );
    }
    const rebuild = steps[2]!;
    const share = rebuild.bytesPushed / fullBytes;
    console.log('');
    console.log(
      `Target: the rebuild after a one-line change pushes < 5 % of the full image: ${(100 * share).toFixed(2)} % ` +
        `${share < 0.05 ? 'MET' : 'NOT MET'}${deps === 'skip' ? ' (dependencies skipped: not meaningful)' : ''}`,
    );
    const depsOf = (image: BuiltImage) => image.layers.find((l) => l.name === 'dependencies')?.blob.digest ?? 'none';
    console.log(
      `Dependency layer of step 4 (pip run again in a new job) identical to step 1's: ${depsOf(fresh) === depsOf(full) ? 'yes' : 'NO'} (${depsOf(full).slice(0, 19)})`,
    );
    if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify({ deps, fullBytes, steps, share }, null, 2)}\n`);
    if (deps === 'install' && share >= 0.05) process.exitCode = 1;
  } finally {
    await registry.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
