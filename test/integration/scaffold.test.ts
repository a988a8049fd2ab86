/**
 * Adapting one's own project (issue 15, item 6): Kedro's official spaceflights-pandas starter, as Kedro
 * renders it (test/fixtures/projects/spaceflights-pandas, SOURCE.md names the commit), has no conf/aws.
 * `package` refuses it and suggests conf/aws/catalog.yml and globals.yml; copied in unchanged, they
 * give a project that goes `package,deploy,run,verify` to verified with the local executor (the groups
 * run here for real, one per node, the data through moto's S3). Pipeline `data_science`: its pandas
 * Series (`y_train`, `y_test`) cross groups, and its `metrics` stay in memory (verify says it does not
 * check them and why).
 *
 * Then with namespaces, as a user would add them (two pipeline-level namespaces, dataset names kept): only
 * what crosses the two groups is suggested, and the same steps reach verified.
 *
 * The starter needs scikit-learn in the project's interpreter (PYTHON).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runInProcess } from '../support/inprocess';
import { motoRecordOnly, PYTHON, resetMoto } from '../support/moto';
import { copyProject, FIXTURES } from '../support/projects';

const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`;
const BUCKET = 'spaceflights-pandas-data';
const STARTER = path.join(FIXTURES, 'spaceflights-pandas');

let project: string;
let runnerTemp: string;
let roles: { lambda: string; sfn: string };

beforeAll(async () => {
  const sklearn = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (sklearn.status !== 0) {
    throw new Error(`the starter's data_science pipeline needs scikit-learn in ${PYTHON}: ${sklearn.stderr.trim()}`);
  }
  await resetMoto();
  await motoRecordOnly();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const iam = new IAMClient({ region: 'us-east-1' });
  const role = (name: string) =>
    iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: '{}' })).then((r) => r.Role!.Arn!);
  roles = { lambda: await role('scaffold-lambda'), sfn: await role('scaffold-sfn') };
  project = copyProject(STARTER);
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-scaffold-'));
});

const step = (inputs: Record<string, string>, where = project) =>
  runInProcess(
    {
      'project-path': where,
      python: PYTHON,
      executor: 'local',
      env: 'aws',
      pipeline: 'data_science',
      stage: 'starter',
      // The bucket the suggested globals.yml names (the run records' bucket).
      'run-records': `s3://${BUCKET}/.kedro-aws`,
      'lambda-role-arn': roles.lambda,
      'sfn-role-arn': roles.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
      ...inputs,
    },
    { runnerTemp },
  );

/**
 * The starter's dependencies do not reach s3fs (issue 14): package refuses its s3:// catalog, naming s3fs;
 * the user adds it to pyproject.toml, as the refusal says.
 */
function addS3fs(where: string): void {
  const pyproject = path.join(where, 'pyproject.toml');
  fs.writeFileSync(
    pyproject,
    fs.readFileSync(pyproject, 'utf8').replace('dependencies = [\n', 'dependencies = [\n    "s3fs",\n'),
  );
}

/** The pipeline's one input, model_input_table, where the suggested catalog reads it (what a user uploads). */
async function uploadModelInputTable(): Promise<void> {
  const file = path.join(runnerTemp, 'model_input_table.parquet');
  const script = [
    'import sys, numpy as np, pandas as pd',
    'rng = np.random.default_rng(7)',
    'n = 60',
    'df = pd.DataFrame({',
    '  "engines": rng.integers(1, 5, n).astype(float), "passenger_capacity": rng.integers(2, 10, n),',
    '  "crew": rng.integers(1, 6, n).astype(float), "d_check_complete": rng.random(n) > 0.5,',
    '  "moon_clearance_complete": rng.random(n) > 0.5, "iata_approved": rng.random(n) > 0.5,',
    '  "company_rating": rng.random(n), "review_scores_rating": rng.random(n) * 100,',
    '})',
    'df["price"] = 1000 + 200 * df["engines"] + 50 * df["passenger_capacity"] + rng.normal(0, 10, n)',
    'df.to_parquet(sys.argv[1])',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: '03_primary/model_input_table.parquet', Body: fs.readFileSync(file) }),
  );
}

test('the starter as it comes: package suggests conf/aws; copied in unchanged, package refuses it without s3fs; with s3fs added, package,deploy,run,verify is verified', async () => {
  const first = await step({ mode: 'package' });
  expect(first.ok).toBe(false);
  expect(first.failure).toMatch(/the project has no conf\/aws folder/);
  expect(first.failure).toMatch(/A suggested conf\/aws\/catalog\.yml and globals\.yml/);
  const scaffold = first.outputs.scaffold!;
  expect(scaffold).toBeDefined();
  const suggested = path.join(scaffold, 'conf', 'aws');
  const catalog = fs.readFileSync(path.join(suggested, 'catalog.yml'), 'utf8');
  const out = 's3://${globals:s3_bucket}/${runtime_params:output_prefix, main}';
  // A pandas Series crossing groups, with no base entry: the type that stores any Python object.
  expect(catalog).toContain(`y_train:\n  type: pickle.PickleDataset\n  filepath: ${out}/y_train.pkl\n`);
  // The base entries' types (and their other keys), on S3; the input read from the bucket, not the prefix.
  expect(catalog).toContain(
    'model_input_table:\n  type: pandas.ParquetDataset\n  filepath: s3://${globals:s3_bucket}/03_primary/model_input_table.parquet\n',
  );
  expect(catalog).toContain(
    `regressor:\n  type: pickle.PickleDataset\n  filepath: ${out}/06_models/regressor.pickle\n  versioned: true\n`,
  );
  // metrics (a pipeline output in memory) is not suggested: verify lists it as not checked.
  expect(catalog).not.toContain('metrics');
  expect(fs.readFileSync(path.join(suggested, 'globals.yml'), 'utf8')).toContain(`s3_bucket: ${BUCKET}\n`);

  // What "Adapt your project" says: copy the files in, upload the inputs.
  fs.cpSync(suggested, path.join(project, 'conf', 'aws'), { recursive: true });
  await uploadModelInputTable();

  const refused = await step({ mode: 'package,deploy,run,verify' });
  expect(refused.failure).toMatch(/"s3fs" for s3:\/\/ .*Add "s3fs" to the project's dependencies/);
  addS3fs(project);
  const chain = await step({ mode: 'package,deploy,run,verify' });
  expect(chain.failure).toBeUndefined();
  expect(chain.outputs.verified).toBe('true');
  expect(chain.outputs.scaffold).toBeUndefined();
  expect(JSON.parse(chain.outputs.groups!)).toEqual(['split_data_node', 'train_model_node', 'evaluate_model_node']);
  const report = JSON.parse(fs.readFileSync(chain.outputs.report!, 'utf8'));
  expect(report.verdict).toBe('verified');
  expect(report.outputs.map((o: { dataset: string }) => o.dataset).sort()).toEqual([
    'X_test',
    'X_train',
    'regressor',
    'y_test',
    'y_train',
  ]);
  expect(report.unchecked).toEqual([
    { dataset: 'metrics', reason: 'in memory (no catalog entry): the run saves nothing to check' },
  ]);
  // The job summary says so too, after the outputs verified (the comment renders the same section).
  const verified = chain.summary.slice(chain.summary.lastIndexOf('### ✅'));
  expect(verified.split('\n')[0]).toContain('5 outputs verified, 1 not checked');
  expect(verified).toContain(
    '#### Not checked (1): 1 in memory\n\n- `metrics`: in memory (no catalog entry): the run saves nothing to check\n',
  );
  expect(verified.indexOf('#### Not checked')).toBeGreaterThan(verified.indexOf('#### Outputs'));
});

/** data_science in two namespaces (training, evaluation), dataset names unprefixed, as the README advises. */
const NAMESPACED_PIPELINE = `from kedro.pipeline import Node, Pipeline

from .nodes import evaluate_model, split_data, train_model


def create_pipeline(**kwargs) -> Pipeline:
    training = Pipeline(
        [
            Node(split_data, ["model_input_table", "params:model_options"], ["X_train", "X_test", "y_train", "y_test"], name="split_data_node"),
            Node(train_model, ["X_train", "y_train"], "regressor", name="train_model_node"),
        ],
        namespace="training",
        prefix_datasets_with_namespace=False,
    )
    evaluation = Pipeline(
        [Node(evaluate_model, ["regressor", "X_test", "y_test"], "metrics", name="evaluate_model_node")],
        namespace="evaluation",
        prefix_datasets_with_namespace=False,
    )
    return training + evaluation
`;

test('with namespaces: only what crosses the two groups is suggested, and the suggestion reaches verified', async () => {
  const namespaced = copyProject(STARTER);
  const pipelineFile = path.join(namespaced, 'src', 'spaceflights_pandas', 'pipelines', 'data_science', 'pipeline.py');
  fs.writeFileSync(pipelineFile, NAMESPACED_PIPELINE);
  const inputs = { stage: 'starter-ns', 'runtime-params': 'output_prefix=ns' };
  const first = await step({ mode: 'package', ...inputs }, namespaced);
  expect(first.failure).toMatch(/the project has no conf\/aws folder/);
  const suggested = path.join(first.outputs.scaffold!, 'conf', 'aws');
  const catalog = fs.readFileSync(path.join(suggested, 'catalog.yml'), 'utf8');
  // X_train and y_train stay inside group training: kept in memory, not suggested.
  const names = catalog.split('\n').filter((l) => /^\S+:$/.test(l));
  expect(names).toEqual(['X_test:', 'model_input_table:', 'regressor:', 'y_test:']);

  fs.cpSync(suggested, path.join(namespaced, 'conf', 'aws'), { recursive: true });
  addS3fs(namespaced);
  const chain = await step({ mode: 'package,deploy,run,verify', ...inputs }, namespaced);
  expect(chain.failure).toBeUndefined();
  expect(chain.outputs.verified).toBe('true');
  expect(JSON.parse(chain.outputs.groups!)).toEqual(['training', 'evaluation']);
  const report = JSON.parse(fs.readFileSync(chain.outputs.report!, 'utf8'));
  expect(report.outputs.map((o: { url: string }) => o.url).sort()).toEqual([
    `s3://${BUCKET}/ns/06_models/regressor.pickle/${chain.outputs['run-id']}/regressor.pickle`,
    `s3://${BUCKET}/ns/X_test.pkl`,
    `s3://${BUCKET}/ns/y_test.pkl`,
  ]);
  expect(report.unchecked.map((u: { dataset: string }) => u.dataset)).toEqual(['metrics']);
});
