/**
 * The build context and the docker builder's command lines (pure). No Docker engine runs on this
 * machine (`docker info` finds none), so the docker builder is tested by the Dockerfile it writes,
 * the context it gives and the commands it would run, never by running them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkRepositoryName, defaultRepositoryName } from '../../src/aws/ecr';
import {
  copyRuntime,
  prepareDockerContext,
  requirementsText,
  runtimeFileIncluded,
  selectConf,
} from '../../src/build/context';
import {
  BUILDX_BUILDER,
  buildxArgs,
  buildxCreateArgs,
  buildxInspectArgs,
  digestFromMetadata,
  dockerLoginArgs,
  githubCacheAvailable,
  lambdaDockerfile,
} from '../../src/build/dockerfile';
import {
  batchBaseImage,
  confPathIncluded,
  imageSettings,
  isCredentialsPath,
  LAMBDA_HANDLER,
  lambdaBaseImage,
  parsePlatform,
  parsePythonVersion,
  pipPlatforms,
  pipTargetArgs,
} from '../../src/build/layout';
import { readLock } from '../../src/build/lock';
import { ActionError } from '../../src/lib/errors';
import { chooseBuilder, imageTagsFor } from '../../src/modes/build';
import { LAMBDA_BASE_ENTRYPOINT } from '../support/registry';

const ROOT = path.resolve(__dirname, '..', '..');

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-build-${prefix}-`));
}

/** A conf archive like `kedro package` writes: conf/{base,aws,local,staging} with credentials here and there. */
function confArchive(): string {
  const dir = tmp('conf');
  const files: Record<string, string> = {
    'conf/base/catalog.yml': 'a: {type: pandas.CSVDataset, filepath: data/a.csv}\n',
    'conf/base/parameters.yml': 'x: 1\n',
    'conf/base/credentials.yml': 'dev_s3: {key: base-secret}\n',
    'conf/aws/catalog.yml': 'a: {type: pandas.CSVDataset, filepath: s3://b/a.csv}\n',
    'conf/aws/globals.yml': 's3_bucket: b\n',
    'conf/aws/credentials/s3.yml': 'key: nested-secret\n',
    'conf/aws/nested/credentials_extra.yml': 'key: other-secret\n',
    'conf/local/credentials.yml': 'key: local-secret\n',
    'conf/local/catalog.yml': 'a: {filepath: /home/me/a.csv}\n',
    'conf/staging/catalog.yml': 'a: {filepath: s3://staging/a.csv}\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const archive = path.join(dir, 'conf-demo.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', dir, 'conf']);
  return archive;
}

/** A minimal wheel (zip with a dist-info/METADATA), written by Python's zipfile. */
function fakeWheel(requirements: string[]): string {
  const dir = tmp('wheel');
  const wheel = path.join(dir, 'demo-0.1-py3-none-any.whl');
  const metadata = [
    'Metadata-Version: 2.1',
    'Name: demo',
    'Version: 0.1',
    'Requires-Python: >=3.10',
    ...requirements.map((r) => `Requires-Dist: ${r}`),
    '',
    'Long description: Requires-Dist: not-a-header',
  ].join('\n');
  execFileSync('python3', [
    '-c',
    'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)\n' +
      'z.writestr("demo/__init__.py", "")\nz.writestr("demo-0.1.dist-info/METADATA", sys.argv[2])\nz.close()',
    wheel,
    metadata,
  ]);
  return wheel;
}

describe('image layout', () => {
  test('the Lambda base image follows the plan python_version', () => {
    expect(lambdaBaseImage('3.12')).toBe('public.ecr.aws/lambda/python:3.12');
    expect(lambdaBaseImage('3.11.7')).toBe('public.ecr.aws/lambda/python:3.11');
    expect(() => lambdaBaseImage('3.8')).toThrow(/no base image/);
    expect(() => lambdaBaseImage('2.7')).toThrow(ActionError);
    expect(() => parsePythonVersion('three')).toThrow(/not <major>.<minor>/);
  });

  test('platforms: amd64 and arm64 only, with the pip tags of each', () => {
    expect(parsePlatform('linux/amd64')).toBe('linux/amd64');
    expect(() => parsePlatform('linux/386')).toThrow(/input "platform"/);
    expect(pipPlatforms('linux/amd64', parsePythonVersion('3.11'))).toEqual(['manylinux2014_x86_64']);
    expect(pipPlatforms('linux/amd64', parsePythonVersion('3.12'))).toEqual([
      'manylinux2014_x86_64',
      'manylinux_2_28_x86_64',
    ]);
    expect(pipPlatforms('linux/arm64', parsePythonVersion('3.11'))).toEqual(['manylinux2014_aarch64']);
  });

  test('pip installs wheels for the image, not for the runner', () => {
    const args = pipTargetArgs('/tmp/t', 'linux/amd64', parsePythonVersion('3.12'));
    expect(args.join(' ')).toBe(
      '-m pip install --target /tmp/t --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 ' +
        '--implementation cp --python-version 3.12 --only-binary=:all: --no-compile --no-input --disable-pip-version-check',
    );
  });

  test('conf: base and the env only; never local, other envs or credentials', () => {
    expect(confPathIncluded('base/catalog.yml', 'aws')).toBe(true);
    expect(confPathIncluded('aws/catalog.yml', 'aws')).toBe(true);
    expect(confPathIncluded('local/catalog.yml', 'aws')).toBe(false);
    expect(confPathIncluded('staging/catalog.yml', 'aws')).toBe(false);
    expect(confPathIncluded('base/credentials.yml', 'aws')).toBe(false);
    expect(confPathIncluded('aws/credentials/s3.yml', 'aws')).toBe(false);
    expect(confPathIncluded('aws/x/Credentials_more.yaml', 'aws')).toBe(false);
    expect(isCredentialsPath('aws/my_credentials.yml')).toBe(false);
  });

  test('repository names and tags', () => {
    expect(defaultRepositoryName('spaceflights')).toBe('spaceflights');
    expect(defaultRepositoryName('Space Flights!')).toBe('space-flights');
    expect(defaultRepositoryName('x')).toBe('kedro-x');
    expect(checkRepositoryName('kedro/spaceflights')).toBe('kedro/spaceflights');
    expect(() => checkRepositoryName('Bad_Name-')).toThrow(/input "ecr-repository"/);
    expect(imageTagsFor('0123abcd', 'dev')).toEqual(['0123abcd', 'dev']);
    expect(imageTagsFor(undefined, 'pr-12')).toEqual(['pr-12']);
  });

  test('builder auto: oci, which needs no setup; docker only for a project Dockerfile and an engine that answers', async () => {
    let asked = 0;
    const engine = (answers: boolean) => async () => {
      asked++;
      return answers;
    };
    // A Docker engine on the runner (GitHub-hosted) is not enough: auto stays with oci and does not even ask.
    expect(await chooseBuilder('auto', { dockerfile: false, dockerAvailable: engine(true) })).toBe('oci');
    expect(asked).toBe(0);
    expect(await chooseBuilder('auto', { dockerfile: true, dockerAvailable: engine(true) })).toBe('docker');
    expect(await chooseBuilder('auto', { dockerfile: true, dockerAvailable: engine(false) })).toBe('oci');
    expect(await chooseBuilder('oci', { dockerfile: true, dockerAvailable: engine(true) })).toBe('oci');
    expect(await chooseBuilder('docker', { dockerfile: false, dockerAvailable: engine(false) })).toBe('docker');
  });
});

describe('generated Dockerfile (Lambda)', () => {
  const text = lambdaDockerfile({
    baseImage: 'public.ecr.aws/lambda/python:3.12',
    wheel: 'spaceflights-0.1-py3-none-any.whl',
    lock: { packages: 40, hashed: true },
    projectName: 'spaceflights',
    pythonVersion: '3.12',
  });
  const instructions = text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(' ')[0]);

  test('base image of the Python version, dependencies (the lock, exactly) before the wheel, handler as CMD', () => {
    expect(text).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.12$/m);
    expect(instructions).toEqual(['FROM', 'COPY', 'RUN', 'COPY', 'RUN', 'COPY', 'COPY', 'ENTRYPOINT', 'CMD']);
    expect(text).toContain('COPY requirements.lock /tmp/kedro-aws/requirements.lock');
    expect(text).toContain(
      'RUN pip install --no-cache-dir --no-compile --no-deps --require-hashes --target "/var/task" -r /tmp/kedro-aws/requirements.lock',
    );
    const deps = text.indexOf('-r /tmp/kedro-aws/requirements.lock');
    const wheel = text.indexOf('--no-deps --target "/var/task" /tmp/kedro-aws/spaceflights-0.1-py3-none-any.whl');
    expect(deps).toBeGreaterThan(0);
    expect(wheel).toBeGreaterThan(deps);
    expect(text).toContain('COPY conf/ /var/task/conf/');
    expect(text).toContain('COPY kedro_aws_action/ /var/task/kedro_aws_action/');
    expect(text.trimEnd().split('\n').at(-1)).toBe(`CMD ["${LAMBDA_HANDLER}"]`);
    expect(LAMBDA_HANDLER).toBe('kedro_aws_action.lambda_handler.handler');
  });

  test('no dependency layer when the lock is empty; no --require-hashes for a lock without hashes', () => {
    const bare = lambdaDockerfile({
      baseImage: 'b:1',
      wheel: 'w.whl',
      lock: { packages: 0, hashed: true },
      projectName: 'p',
      pythonVersion: '3.11',
    });
    expect(bare).not.toContain('requirements.lock');
    expect(bare).toContain('--no-deps');
    const unhashed = lambdaDockerfile({
      baseImage: 'b:1',
      wheel: 'w.whl',
      lock: { packages: 3, hashed: false },
      projectName: 'p',
      pythonVersion: '3.11',
    });
    expect(unhashed).toContain(
      'pip install --no-cache-dir --no-compile --no-deps --target "/var/task" -r /tmp/kedro-aws/requirements.lock',
    );
  });
});

describe('docker command lines (no engine runs here)', () => {
  const base = {
    contextDir: '/ctx',
    dockerfile: '/ctx/Dockerfile',
    platform: 'linux/amd64' as const,
    repositoryRef: '123.dkr.ecr.eu-west-1.amazonaws.com/sf',
    metadataFile: '/w/meta.json',
    cacheScope: 'kedro-aws-sf',
  };

  test('buildx on its own builder, one manifest (no provenance index), pushed by digest (no tag), digest in a metadata file', () => {
    expect(buildxArgs({ ...base, env: {} })).toEqual([
      'buildx',
      'build',
      '--builder',
      'kedro-aws-action',
      '--platform',
      'linux/amd64',
      '--provenance=false',
      '--file',
      '/ctx/Dockerfile',
      '--output',
      'type=image,name=123.dkr.ecr.eu-west-1.amazonaws.com/sf,push-by-digest=true,name-canonical=true,push=true',
      '--metadata-file',
      '/w/meta.json',
      '/ctx',
    ]);
    // No tag is pushed (an immutable repository would refuse an existing one): build tags with PutImage.
    expect(buildxArgs({ ...base, env: {} })).not.toContain('--tag');
    expect(buildxArgs({ ...base, env: {} })).not.toContain('--push');
  });

  test('the builder is a docker-container one (the default docker driver exports no cache and cannot push by digest)', () => {
    expect(BUILDX_BUILDER).toBe('kedro-aws-action');
    expect(buildxInspectArgs()).toEqual(['buildx', 'inspect', 'kedro-aws-action']);
    expect(buildxCreateArgs()).toEqual([
      'buildx',
      'create',
      '--name',
      'kedro-aws-action',
      '--driver',
      'docker-container',
      '--driver-opt',
      'network=host',
      '--bootstrap',
    ]);
  });

  test("GitHub's cache backend when the step can reach it, on that builder only", () => {
    const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results' };
    expect(githubCacheAvailable(env)).toBe(true);
    expect(githubCacheAvailable({ ACTIONS_RESULTS_URL: 'x' })).toBe(false);
    const args = buildxArgs({ ...base, platform: 'linux/arm64', env });
    expect(args.join(' ')).toContain('--builder kedro-aws-action --platform linux/arm64');
    expect(args.join(' ')).toContain(
      '--cache-from type=gha,scope=kedro-aws-sf --cache-to type=gha,mode=max,scope=kedro-aws-sf /ctx',
    );
    expect(buildxArgs({ ...base, env: {} }).join(' ')).not.toContain('type=gha');
  });

  test('login takes the password on stdin, never as an argument', () => {
    const args = dockerLoginArgs('123.dkr.ecr.eu-west-1.amazonaws.com', 'AWS');
    expect(args).toEqual(['login', '--username', 'AWS', '--password-stdin', '123.dkr.ecr.eu-west-1.amazonaws.com']);
  });

  test('the digest comes from the metadata file', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(digestFromMetadata(JSON.stringify({ 'containerimage.digest': digest }))).toBe(digest);
    expect(digestFromMetadata('{}')).toBeUndefined();
    expect(digestFromMetadata('not json')).toBeUndefined();
  });
});

describe('build context', () => {
  test('conf of the env from the archive, without conf/local, other envs or credentials', async () => {
    const dest = path.join(tmp('sel'), 'conf');
    const selection = await selectConf(confArchive(), 'aws', dest);
    expect(selection.included).toEqual([
      'aws/catalog.yml',
      'aws/globals.yml',
      'base/catalog.yml',
      'base/parameters.yml',
    ]);
    expect(selection.excluded).toEqual([
      'aws/credentials/s3.yml',
      'aws/nested/credentials_extra.yml',
      'base/credentials.yml',
      'local/catalog.yml',
      'local/credentials.yml',
      'staging/catalog.yml',
    ]);
    expect(fs.existsSync(path.join(dest, 'local'))).toBe(false);
    const texts = selection.included.map((rel) => fs.readFileSync(path.join(dest, rel), 'utf8'));
    expect(texts.join('\n')).not.toMatch(/secret/);
  });

  test('an env missing from the archive, and env local, are refused', async () => {
    await expect(selectConf(confArchive(), 'prod', path.join(tmp('x'), 'conf'))).rejects.toThrow(
      /no conf\/prod .*conf\/aws/,
    );
    await expect(selectConf(confArchive(), 'local', path.join(tmp('x'), 'conf'))).rejects.toThrow(
      /never put in an image/,
    );
  });

  test("the runtime is the action's python/kedro_aws_action without the exporter or caches", () => {
    const files = copyRuntime(path.join(tmp('rt'), 'kedro_aws_action'));
    expect(files).toEqual(expect.arrayContaining(['__init__.py', 'lambda_handler.py', 'runtime.py', 'logging.yml']));
    expect(files).not.toContain('export_plan.py');
    expect(runtimeFileIncluded('__pycache__/runtime.cpython-311.pyc')).toBe(false);
    expect(fs.existsSync(path.join(ROOT, 'python', 'kedro_aws_action', 'lambda_handler.py'))).toBe(true);
  });

  test('the docker context: Dockerfile, the lock, requirements, wheel, conf, runtime', async () => {
    const wheel = fakeWheel(['pandas>=2.1', 'kedro~=1.7', 'pytest; extra == "test"']);
    const dir = path.join(tmp('ctx'), 'context');
    const lockFile = path.join(tmp('lock'), 'requirements.lock');
    fs.writeFileSync(
      lockFile,
      `kedro==1.7.1 --hash=sha256:${'a'.repeat(64)}\npandas==2.2.0 --hash=sha256:${'b'.repeat(64)}\n`,
    );
    const lock = readLock(lockFile, { pythonVersion: '3.12', platform: 'linux/amd64' });
    const context = await prepareDockerContext({
      wheel,
      confArchive: confArchive(),
      env: 'aws',
      dir,
      baseImage: 'public.ecr.aws/lambda/python:3.12',
      projectName: 'demo',
      pythonVersion: '3.12',
      lock,
    });
    expect(fs.readFileSync(path.join(dir, 'requirements.lock'), 'utf8')).toBe(fs.readFileSync(lockFile, 'utf8'));
    expect(fs.readFileSync(context.dockerfile, 'utf8')).toContain('--no-deps --require-hashes');
    expect(context.generated).toBe(true);
    expect(context.requirements).toEqual(['pandas>=2.1', 'kedro~=1.7']);
    expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toBe(
      requirementsText(['pandas>=2.1', 'kedro~=1.7']),
    );
    expect(fs.readdirSync(dir).sort()).toEqual([
      'Dockerfile',
      'conf',
      'demo-0.1-py3-none-any.whl',
      'kedro_aws_action',
      'requirements.lock',
      'requirements.txt',
    ]);
    expect(fs.readFileSync(context.dockerfile, 'utf8')).toContain('COPY demo-0.1-py3-none-any.whl /tmp/kedro-aws/');

    const own = path.join(tmp('own'), 'Dockerfile');
    fs.writeFileSync(own, 'FROM scratch\n');
    const custom = await prepareDockerContext({
      wheel,
      confArchive: confArchive(),
      env: 'aws',
      dir,
      baseImage: 'x',
      projectName: 'demo',
      pythonVersion: '3.12',
      dockerfile: own,
      lock,
    });
    expect(custom.generated).toBe(false);
    expect(custom.dockerfile).toBe(own);
  });
});

describe('the Batch image (target batch)', () => {
  test('a slim Python base of the project version, the entry point as the command, the task root importable', () => {
    expect(batchBaseImage('3.11')).toBe('docker.io/library/python:3.11-slim');
    const settings = imageSettings('batch');
    expect(settings.cmd).toEqual(['python3', '-m', 'kedro_aws_action.batch_entry']);
    expect(settings.entrypoint).toEqual([]);
    expect(settings.env).toMatchObject({ PYTHONPATH: '/var/task', LAMBDA_TASK_ROOT: '/var/task' });
    const text = lambdaDockerfile({
      baseImage: batchBaseImage('3.11'),
      wheel: 'w.whl',
      lock: { packages: 1, hashed: true },
      projectName: 'p',
      pythonVersion: '3.11',
      kind: 'batch',
    });
    expect(text).toContain('FROM docker.io/library/python:3.11-slim');
    expect(text).toContain('ENV PYTHONPATH=/var/task');
    expect(text).toContain('ENTRYPOINT []');
    expect(text.trimEnd().split('\n').at(-1)).toBe('CMD ["python3","-m","kedro_aws_action.batch_entry"]');
  });

  test('the Lambda image keeps the handler as its command, behind our entrypoint', () => {
    expect(imageSettings('lambda').cmd).toEqual(['kedro_aws_action.lambda_handler.handler']);
    expect(imageSettings('lambda').entrypoint).toEqual(['/bin/sh', '/var/task/kedro_aws_action/entrypoint.sh']);
    const text = lambdaDockerfile({
      baseImage: 'public.ecr.aws/lambda/python:3.11',
      wheel: 'w.whl',
      lock: { packages: 1, hashed: true },
      projectName: 'p',
      pythonVersion: '3.11',
    });
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      'ENTRYPOINT ["/bin/sh","/var/task/kedro_aws_action/entrypoint.sh"]',
      'CMD ["kedro_aws_action.lambda_handler.handler"]',
    ]);
  });

  test("the Lambda image's entrypoint gives Lambda's handler to the base image's, and runs a Batch job's command", () => {
    // A Batch job definition has a command and no entrypoint
    // (https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html), so a
    // compute: batch group of a step-functions stage starts the Lambda image with its command as the
    // arguments of the image's entrypoint; the base image's refuses more than one (the model below).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-entrypoint-'));
    const base = path.join(dir, 'lambda-entrypoint.sh');
    fs.writeFileSync(base, LAMBDA_BASE_ENTRYPOINT, { mode: 0o755 });
    const ours = path.join(dir, 'entrypoint.sh');
    const source = fs.readFileSync(path.join(__dirname, '../../python/kedro_aws_action/entrypoint.sh'), 'utf8');
    expect(source).toContain('LAMBDA_ENTRYPOINT=/lambda-entrypoint.sh\n');
    fs.writeFileSync(ours, source.replace('LAMBDA_ENTRYPOINT=/lambda-entrypoint.sh', `LAMBDA_ENTRYPOINT=${base}`));
    const run = (file: string, args: string[]) =>
      spawnSync('/bin/sh', [file, ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: '/var/task' },
      });
    const command = ['/bin/sh', '-c', 'echo "batch job: $PYTHONPATH $0"', 'python3'];
    // Without ours, the job's command is refused as on AWS.
    const refused = run(base, command);
    expect(refused.status).toBe(142);
    expect(refused.stderr).toContain('entrypoint requires the handler name to be the first argument');
    // Ours: Lambda's one argument goes to the base image's entrypoint; a job's command runs.
    expect(run(ours, ['kedro_aws_action.lambda_handler.handler'])).toMatchObject({
      status: 0,
      stdout: 'lambda runtime started with handler kedro_aws_action.lambda_handler.handler\n',
    });
    expect(run(ours, command)).toMatchObject({ status: 0, stdout: 'batch job: /var/task python3\n' });
  });
});
