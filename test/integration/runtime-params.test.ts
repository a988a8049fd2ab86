/**
 * Runtime params as `kedro run --params` takes them, end to end: `package` has Kedro parse the input, the
 * plan carries Kedro's reading, `run` starts every group with exactly that (the example's groups really run:
 * the local executor, data through moto's S3), and `verify` finds the outputs where they went. A dotted key
 * overrides one nested parameter, as with `kedro run --params`: the example's X_test is what a local
 * `kedro run --params` makes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runInProcess } from '../support/inprocess';
import { EXAMPLE_BUCKET, listKeys, uploadRaw } from '../support/kedro';
import { createDataBuckets, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });

/** Rows of a parquet file (pandas, in the project's venv). */
function parquetRows(file: string): number {
  const r = spawnSync(PYTHON, ['-c', 'import sys, pandas; print(len(pandas.read_parquet(sys.argv[1])))', file], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

/** Whether two parquet files hold the same frame (values, index and dtypes). */
function sameFrame(a: string, b: string): boolean {
  const r = spawnSync(
    PYTHON,
    ['-c', 'import sys, pandas as pd; print(pd.read_parquet(sys.argv[1]).equals(pd.read_parquet(sys.argv[2])))', a, b],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim() === 'True';
}

async function download(key: string, dir: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: EXAMPLE_BUCKET, Key: key }));
  const file = path.join(dir, path.basename(key));
  fs.writeFileSync(file, await res.Body!.transformToByteArray());
  return file;
}

describe('runtime params, parsed by Kedro (package) and run as the plan says (run, verify)', () => {
  let runnerTemp: string;
  let project: string;

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-params-'));
    project = copyProject(EXAMPLE);
    await uploadRaw(s3, project);
  });

  const step = (inputs: Record<string, string>) =>
    runInProcess(
      { 'project-path': project, python: PYTHON, executor: 'local', stage: 'params', ...inputs },
      { runnerTemp },
    );

  test('model_options.test_size=0.5 gives the X_test `kedro run --params` gives (20 rows, not 10)', async () => {
    // One item a line, as a workflow's YAML block gives them.
    const given = 'output_prefix=params\nmodel_options.test_size=0.5';
    const chain = await step({ mode: 'package,run,verify', 'runtime-params': given });
    expect(chain.failure).toBeUndefined();
    expect(chain.outputs.verified).toBe('true');
    const plan = JSON.parse(fs.readFileSync(chain.outputs.plan!, 'utf8'));
    // Nested, and typed: the one parameter overridden, the others of model_options kept from parameters.yml.
    expect(plan.runtime_params).toEqual({ output_prefix: 'params', model_options: { test_size: 0.5 } });
    expect(plan.runtime_params_text).toBe(given);

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-params-data-'));
    const ours = await download('params/05_model_input/X_test.parquet', scratch);
    expect(parquetRows(ours)).toBe(20);

    // Kedro itself on the same project, env base (local files), the same text on its command line.
    const local = copyProject(EXAMPLE);
    const kedro = spawnSync(
      PYTHON,
      ['-m', 'kedro', 'run', '--env', 'base', '--params', 'model_options.test_size=0.5'],
      { cwd: local, encoding: 'utf8', env: { ...process.env, KEDRO_DISABLE_TELEMETRY: '1' } },
    );
    expect(kedro.status).toBe(0);
    const theirs = path.join(local, 'data', '05_model_input', 'X_test.parquet');
    expect(parquetRows(theirs)).toBe(20);
    expect(sameFrame(ours, theirs)).toBe(true);

    // Without the param, parameters.yml's test_size (0.25): 10 rows.
    const plain = spawnSync(PYTHON, ['-m', 'kedro', 'run', '--env', 'base'], {
      cwd: local,
      encoding: 'utf8',
      env: { ...process.env, KEDRO_DISABLE_TELEMETRY: '1' },
    });
    expect(plain.status).toBe(0);
    expect(parquetRows(theirs)).toBe(10);
  });

  test('run refuses other params than the plan was exported with, before anything starts', async () => {
    const before = await listKeys(s3, '', EXAMPLE_BUCKET);
    const run = await step({ mode: 'run', 'runtime-params': 'output_prefix=params,model_options.test_size=0.4' });
    expect(run.ok).toBe(false);
    expect(run.failure).toBe(
      'input "runtime-params" is "output_prefix=params,model_options.test_size=0.4", but the plan was exported ' +
        'with "output_prefix=params\\nmodel_options.test_size=0.5", which Kedro reads as ' +
        '{"model_options":{"test_size":0.5},"output_prefix":"params"}: a run gets the plan\'s runtime params, and ' +
        'verify looks for the outputs where they put them. Leave "runtime-params" empty for mode "run" to run with ' +
        'the plan\'s, or give it what mode "package" was given (nothing was started)',
    );
    expect(run.outputs['run-id']).toBeUndefined();
    expect(await listKeys(s3, '', EXAMPLE_BUCKET)).toEqual(before);
  });

  test("a bad item is refused at package with Kedro's own words, naming the input", async () => {
    const result = await step({ mode: 'package', stage: 'bad-params', 'runtime-params': 'a=1,b=x,y' });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(
      /^plan export refused the project: The action's runtime-params input is not what `kedro run --params` takes: Invalid format of `params` option: Item `y` must contain a key and a value separated by `=`\./,
    );
  });
});
