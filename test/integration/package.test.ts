/**
 * mode: package, through the bundled action (dist/index.js) as the runner starts it: real Kedro
 * exports the plan, real `kedro package` builds the wheel and the conf archive.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UV_VERSION } from '../../src/build/lock';
import { PlanSchema } from '../../src/plan/schema';
import { runAction } from '../support/action';
import { PYTHON } from '../support/moto';
import { copyProject, EXAMPLE, FIXTURES } from '../support/projects';

describe('mode: package', () => {
  test('the example project gives plan.json with its three groups, a wheel and a conf archive', () => {
    const project = copyProject(EXAMPLE);
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON, stage: 'pr-7' });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);

    const { wheel, 'conf-archive': confArchive, plan: planFile, groups } = run.outputs;
    expect(wheel).toMatch(/\.whl$/);
    expect(fs.statSync(wheel!).size).toBeGreaterThan(0);
    expect(path.basename(confArchive!)).toBe('conf-spaceflights.tar.gz');
    expect(fs.existsSync(confArchive!)).toBe(true);

    const plan = PlanSchema.parse(JSON.parse(fs.readFileSync(planFile!, 'utf8')));
    expect(plan.env).toBe('aws');
    const deps = Object.fromEntries(plan.groups.map((g) => [g.name, g.dependencies]));
    expect(deps).toEqual({ data_processing: [], data_science: ['data_processing'], reporting: ['data_processing'] });
    expect(plan.groups.every((g) => g.type === 'namespace')).toBe(true);
    expect(JSON.parse(groups!)).toEqual(['data_processing', 'data_science', 'reporting']);

    // Every dataset crossing groups is persisted on S3 in the aws env.
    const crossing = plan.datasets.filter((d) => d.crossing);
    expect(crossing.length).toBeGreaterThan(0);
    for (const d of crossing) expect(d).toMatchObject({ persisted: true, protocol: 's3' });

    // The lock of the image's packages, made with uv from the wheel's requirements for the image's Python.
    const lockFile = run.outputs['requirements-lock']!;
    expect(lockFile).toBe(path.join(run.runnerTemp, 'kedro-aws-action', 'pr-7', 'requirements.lock'));
    const lock = fs.readFileSync(lockFile, 'utf8');
    expect(lock.split('\n')[0]).toBe(
      `# kedro-aws-action lock: python=${plan.project.python_version} platform=linux/amd64 source=uv ${UV_VERSION}`,
    );
    for (const name of ['kedro', 'kedro-datasets', 'pandas', 'pyarrow', 's3fs', 'fsspec'])
      expect(lock).toMatch(new RegExp(`^${name}==\\S+ \\\\\n    --hash=sha256:[0-9a-f]{64}`, 'm'));
    expect(run.stdout).toMatch(
      /Lock: .*requirements\.lock, \d+ package\(s\) for CPython 3\.\d+ on linux\/amd64 with their hashes, from uv/,
    );

    // The state file hands the artefacts to later modes and steps.
    const state = JSON.parse(
      fs.readFileSync(path.join(run.runnerTemp, 'kedro-aws-action', 'pr-7', 'state.json'), 'utf8'),
    );
    expect(state).toEqual({ wheel, 'conf-archive': confArchive, plan: planFile, 'requirements-lock': lockFile });
  });

  test('a dataset crossing groups that is a MemoryDataset in the env is refused before packaging', () => {
    const project = copyProject(path.join(FIXTURES, 'memory-crossing'));
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/handoff_table/);
    expect(run.errors.join('\n')).toMatch(/in env 'aws'/);
    expect(run.errors.join('\n')).toMatch(/conf\/aws\/catalog\.yml/);
    // The other crossing dataset is on S3 and is not named.
    expect(run.errors.join('\n')).not.toMatch(/'orders'/);
    // The place to fix is marked: the node that produces the dataset (it has no catalog entry to point at).
    const marks = run.stdout.split('\n').filter((l) => l.startsWith('::error ') && l.includes('file='));
    expect(marks).toEqual([
      expect.stringMatching(/file=[^,]*src\/memory_crossing_fixture\/.+\.py,line=\d+::.*'handoff_table'/),
    ]);
    // Refused before `kedro package`: no wheel was built.
    expect(fs.existsSync(path.join(project, 'dist'))).toBe(false);
  });

  test('env local is refused before anything runs: kedro package never ships conf/local', () => {
    const project = copyProject(path.join(FIXTURES, 'diamond'));
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON, env: 'local' });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /input "env" is "local".*Use an env that is shipped \(the envs it ships: aws\)/s,
    );
    expect(fs.existsSync(path.join(project, 'dist'))).toBe(false);
  });

  test('an env whose files the conf archive leaves out is refused, with the envs it ships', () => {
    // Kedro reads conf/aws/local/*.yml (its loader looks into subfolders), but "kedro package" leaves
    // every local/*.yml out of the archive: conf/aws would not be in the image.
    const project = copyProject(path.join(FIXTURES, 'diamond'));
    const aws = path.join(project, 'conf', 'aws');
    const catalog = fs
      .readFileSync(path.join(aws, 'catalog.yml'), 'utf8')
      .replaceAll('${globals:s3_bucket}', 'kedro-aws-fixtures');
    fs.mkdirSync(path.join(aws, 'local'));
    fs.writeFileSync(path.join(aws, 'local', 'catalog.yml'), catalog);
    for (const file of ['catalog.yml', 'globals.yml']) fs.rmSync(path.join(aws, file));
    fs.mkdirSync(path.join(project, 'conf', 'prod'));
    fs.writeFileSync(path.join(project, 'conf', 'prod', 'parameters.yml'), 'n: 1\n');
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /input "env" is "aws", but the conf archive conf-diamond_fixture\.tar\.gz has no files of conf\/aws.*the envs it ships: prod/s,
    );
    expect(run.outputs.wheel).toBeUndefined();
  });

  test('s3:// paths in a project whose dependencies lack s3fs are refused, naming s3fs', () => {
    // As in the spaceflights-pandas starter: kedro-datasets without s3fs. The image would have no s3fs.
    const project = copyProject(path.join(FIXTURES, 'diamond'));
    const pyproject = path.join(project, 'pyproject.toml');
    fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace(/^\s*"s3fs[^"]*",\n/m, ''));
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /wheel diamond_fixture-.*\.whl does not require.*"s3fs" for s3:\/\/ \(dataset\(s\) 'combined', 'cubes'.*Add "s3fs" to the project's dependencies/s,
    );
    // The catalog entry of one of its datasets is marked.
    const marks = run.stdout.split('\n').filter((l) => l.startsWith('::error ') && l.includes('file='));
    expect(marks).toEqual([expect.stringMatching(/file=[^,]*conf\/aws\/catalog\.yml,line=\d+::.*'s3fs'/)]);
    expect(run.outputs.wheel).toBeUndefined();
  });

  test('an unknown pipeline is named, with the registered ones', () => {
    const project = copyProject(EXAMPLE);
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON, pipeline: 'nope' });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/nope/);
    expect(run.errors.join('\n')).toMatch(/__default__/);
  });

  test('an interpreter that does not exist is named', () => {
    const run = runAction({ mode: 'package', 'project-path': EXAMPLE, python: '/no/such/python3' });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/input "python"/);
  });
});

describe.each([
  [
    'no-namespaces',
    'nodes',
    {
      clean_readings_node: [],
      count_by_sensor_node: ['clean_readings_node'],
      hourly_means_node: ['clean_readings_node'],
      peak_hours_node: ['hourly_means_node'],
    },
  ],
  ['diamond', 'namespace', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }],
  ['n-shaped', 'namespace', { a: [], b: [], c: ['a', 'b'], d: ['b'] }],
])('mode: package on the %s fixture', (fixture, type, expected) => {
  test('gives the group graph Kedro groups by namespace', () => {
    const project = copyProject(path.join(FIXTURES, fixture));
    const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON });
    expect(run.errors).toEqual([]);
    const plan = PlanSchema.parse(JSON.parse(fs.readFileSync(run.outputs.plan!, 'utf8')));
    expect(Object.fromEntries(plan.groups.map((g) => [g.name, [...g.dependencies].sort()]))).toEqual(expected);
    expect(new Set(plan.groups.map((g) => g.type))).toEqual(new Set([type]));
    // Groups come out in an order where every group follows its dependencies.
    const order = JSON.parse(run.outputs.groups!) as string[];
    for (const [group, deps] of Object.entries(expected)) {
      for (const dep of deps) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(group));
    }
  });
});

describe('the bundled action refuses bad inputs', () => {
  test('an unknown mode names the input and the accepted values', () => {
    const run = runAction({ mode: 'bogus' });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /input "mode" has "bogus"; accepted values: package, build, deploy, run, verify, teardown/,
    );
  });

  test('a folder that is not a Kedro project is named', () => {
    const run = runAction({ mode: 'package', 'project-path': FIXTURES });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/input "project-path".*not a Kedro project/);
  });
});
