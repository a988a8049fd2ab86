import { ActionError } from '../../src/lib/errors';
import type { Plan } from '../../src/plan/schema';
import { expectedOutputs, globToRegExp, uncheckedOutputs } from '../../src/verify/expected';
import {
  type CurrentObject,
  judgeRecorded,
  manifestOf,
  objectsOf,
  overlaps,
  type RecordedObject,
  type RunRecord,
  recordsRoot,
  stageOutputs,
} from '../../src/verify/records';

function dataset(name: string, filepath: string | null, extra: Partial<Plan['datasets'][number]> = {}) {
  return {
    name,
    type: 'kedro_datasets.pandas.parquet_dataset.ParquetDataset',
    filepath,
    protocol: filepath?.startsWith('s3://') ? 's3' : 'file',
    versioned: false,
    persisted: true,
    producer: 'g',
    consumers: [],
    crossing: false,
    ...extra,
  };
}

const plan = {
  schema_version: 1,
  project: { name: 'p', package_name: 'p', kedro_version: '1.7.0', python_version: '3.11' },
  pipeline: '__default__',
  env: 'aws',
  runtime_params: {},
  groups: [{ name: 'g', type: 'namespace', nodes: ['g.n'], dependencies: [], inputs: [], outputs: [] }],
  datasets: [
    dataset('raw', 's3://b/01_raw/raw.csv', { producer: null }),
    dataset('table', 's3://b/main/03_primary/table.parquet'),
    dataset('model', 's3://b/main/06_models/model.pickle', { versioned: true }),
    dataset('scratch', null, { type: null, persisted: false, protocol: null }),
    dataset('parts', 's3://b/main/parts', { type: 'kedro.io.PartitionedDataset' }),
  ],
  settings: {},
  warnings: [],
} as Plan;

const RUN = '2026-11-21T10.00.00.000Z';

describe('expected outputs', () => {
  test('every persisted output a group produces; not raw inputs, not memory datasets', () => {
    expect(expectedOutputs(plan, RUN, []).map((o) => o.dataset)).toEqual(['table', 'model', 'parts']);
  });

  test("a versioned output is checked at exactly this run's version", () => {
    const model = expectedOutputs(plan, RUN, ['model'])[0]!;
    expect(model).toMatchObject({
      bucket: 'b',
      key: `main/06_models/model.pickle/${RUN}/model.pickle`,
      versioned: true,
    });
  });

  test('expect takes names and globs, and each must match something', () => {
    expect(expectedOutputs(plan, RUN, ['t*', 'model']).map((o) => o.dataset)).toEqual(['table', 'model']);
    expect(() => expectedOutputs(plan, RUN, ['nope*'])).toThrow(/input "expect": "nope\*" matches no persisted output/);
  });

  test('a local path for an expected output is an error that names it', () => {
    const local = { ...plan, datasets: [dataset('report', '/home/runner/data/report.csv')] } as Plan;
    expect(() => expectedOutputs(local, RUN, [])).toThrow(ActionError);
    expect(() => expectedOutputs(local, RUN, [])).toThrow(/"report" is saved at \/home\/runner\/data\/report.csv/);
  });

  test('folder datasets are checked as folders', () => {
    expect(expectedOutputs(plan, RUN, ['parts'])[0]!.folder).toBe(true);
  });

  test('the outputs verify does not check are listed with the reason: in memory, local, left out by expect', () => {
    const withMore = {
      ...plan,
      datasets: [
        ...plan.datasets,
        dataset('metrics', null, { type: null, persisted: false, protocol: null }),
        dataset('report', 'data/08_reporting/report.json'),
      ],
    } as Plan;
    // scratch is in memory but read by no other group here either: a pipeline output, listed.
    expect(uncheckedOutputs(withMore, expectedOutputs(withMore, RUN, ['table', 'parts']))).toEqual([
      { dataset: 'model', reason: 'not matched by input "expect"' },
      { dataset: 'scratch', reason: 'in memory (no catalog entry): the run saves nothing to check' },
      { dataset: 'metrics', reason: 'in memory (no catalog entry): the run saves nothing to check' },
      {
        dataset: 'report',
        reason: 'local (data/08_reporting/report.json): saved on the disk of the process that ran its group',
      },
    ]);
    // An in-memory dataset another group reads is intermediate, not an output; raw inputs are not outputs.
    const read = { ...plan, datasets: [dataset('handoff', null, { persisted: false, consumers: ['h'] })] } as Plan;
    expect(uncheckedOutputs(read, [])).toEqual([]);
    expect(uncheckedOutputs(plan, expectedOutputs(plan, RUN, [])).map((u) => u.dataset)).toEqual(['scratch']);
  });

  test('globs escape regular expression characters', () => {
    expect(globToRegExp('a.b*').test('a.bcd')).toBe(true);
    expect(globToRegExp('a.b*').test('axbcd')).toBe(false);
  });
});

describe('verdicts from the run records', () => {
  const output = expectedOutputs(plan, RUN, ['table'])[0]!;
  const written = (etag: string, extra: Partial<RecordedObject> = {}): RecordedObject => ({
    bucket: 'b',
    key: output.key,
    etag: `"${etag}"`,
    version_id: null,
    size: 10,
    last_modified: '2026-11-21T10:01:00.000Z',
    ...extra,
  });
  const now = (etag: string, extra: Partial<CurrentObject> = {}): Map<string, CurrentObject | undefined> =>
    new Map([
      [
        `b/${output.key}`,
        { etag: `"${etag}"`, versionId: undefined, size: 10, lastModified: new Date('2026-11-21T10:01:00Z'), ...extra },
      ],
    ]);
  const nobody = () => undefined;

  test('recorded by this run and still the same object: ok', () => {
    expect(judgeRecorded(output, [written('e1')], now('e1'), nobody)).toMatchObject({ verdict: 'ok', size: 10 });
  });
  test('no record of it in this run: not written, whatever S3 holds', () => {
    expect(judgeRecorded(output, [], now('e1'), nobody)).toMatchObject({ verdict: 'not-written' });
  });
  test('recorded, then deleted: missing', () => {
    expect(judgeRecorded(output, [written('e1')], new Map([[`b/${output.key}`, undefined]]), nobody)).toMatchObject({
      verdict: 'missing',
    });
  });
  test('recorded, then rewritten: overwritten, naming the run whose record claims the new object', () => {
    const check = judgeRecorded(
      output,
      [written('e1')],
      now('e2'),
      () => 'run 2026-11-21T11.00.00.000Z of stage "pr-2"',
    );
    expect(check.verdict).toBe('overwritten');
    expect(check.detail).toBe(
      `s3://b/${output.key} was overwritten after this run wrote it, by run 2026-11-21T11.00.00.000Z of stage "pr-2"`,
    );
  });
  test('the same bytes written again later (same ETag, other Last-Modified): overwritten', () => {
    const check = judgeRecorded(
      output,
      [written('e1')],
      now('e1', { lastModified: new Date('2026-11-21T12:00:00Z') }),
      nobody,
    );
    expect(check).toMatchObject({ verdict: 'overwritten' });
    expect(check.detail).toMatch(/no run record claims the new object/);
  });
  test('a versioned bucket tells writes apart by version id', () => {
    expect(
      judgeRecorded(output, [written('e1', { version_id: 'v1' })], now('e1', { versionId: 'v2' }), nobody).verdict,
    ).toBe('overwritten');
    expect(
      judgeRecorded(output, [written('e1', { version_id: 'v1' })], now('e1', { versionId: 'v1' }), nobody).verdict,
    ).toBe('ok');
  });
  test('empty', () => {
    expect(judgeRecorded(output, [written('e1')], now('e1', { size: 0 }), nobody)).toMatchObject({ verdict: 'empty' });
  });
  test("a record's objects outside the output's path are not trusted", () => {
    const entry = {
      objects: [written('e1', { key: 'main/03_primary/table.parquet.bak' }), written('e1', { bucket: 'other' })],
      groups: ['g'],
    };
    expect(objectsOf(output, entry)).toEqual([]);
    const parts = expectedOutputs(plan, RUN, ['parts'])[0]!;
    expect(objectsOf(parts, { objects: [written('e1', { key: 'main/parts/p1.csv' })], groups: ['g'] })).toHaveLength(1);
  });
  test('the records of several attempts merge per dataset', () => {
    const record = (group: string, attempt: string, etag: string): RunRecord => ({
      kind: 'kedro-aws-run-record',
      version: 1,
      project: 'p',
      stage: 's',
      run_id: RUN,
      group,
      attempt,
      origin: {},
      datasets: { table: { objects: [written(etag)] } },
    });
    const manifest = manifestOf([record('g', 'a1', 'e1'), record('g', 'a2', 'e2')]);
    expect(manifest.get('table')!.objects.map((o) => o.etag)).toEqual(['"e1"', '"e2"']);
    // The second attempt's write is the one there now: ok.
    expect(judgeRecorded(output, manifest.get('table')!.objects, now('e2'), nobody).verdict).toBe('ok');
  });
});

describe('stages that would share outputs', () => {
  const record = (stage: string, key: string) => ({
    kind: 'kedro-aws-stage-record' as const,
    version: 1 as const,
    project: 'p',
    stage,
    runtime_params: {},
    outputs: [{ dataset: 'table', bucket: 'b', key, versioned: false }],
    origin: {},
  });
  test('the same path, or one under the other, overlaps; a sibling with a common start does not', () => {
    const mine = stageOutputs(plan);
    expect(overlaps(mine, [record('nightly', 'main/03_primary/table.parquet')]).map((o) => o.mine.dataset)).toEqual([
      'table',
    ]);
    expect(overlaps(mine, [record('nightly', 'main')]).map((o) => o.mine.dataset)).toEqual(['table', 'model', 'parts']);
    expect(overlaps(mine, [record('nightly', 'main/03_primary/table.parquet.v2')])).toEqual([]);
    expect(overlaps(mine, [record('nightly', 'mainline/03_primary/table.parquet')])).toEqual([]);
  });
});

describe('where the records go', () => {
  test('the run-records input wins; else .kedro-aws in the bucket of most outputs', () => {
    expect(recordsRoot(plan, 's3://rec/team/runs/')).toEqual({ bucket: 'rec', prefix: 'team/runs' });
    expect(recordsRoot(plan, undefined)).toEqual({ bucket: 'b', prefix: '.kedro-aws' });
  });
  test('no S3 output and no input: an error naming the input', () => {
    const local = { ...plan, datasets: [dataset('report', 'data/report.csv')] } as Plan;
    expect(() => recordsRoot(local, undefined)).toThrow(/input "run-records" is needed/);
  });
});
