import { ActionError } from '../../src/lib/errors';
import type { Plan } from '../../src/plan/schema';
import { expectedOutputs, globToRegExp, judge } from '../../src/verify/expected';

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

  test('globs escape regular expression characters', () => {
    expect(globToRegExp('a.b*').test('a.bcd')).toBe(true);
    expect(globToRegExp('a.b*').test('axbcd')).toBe(false);
  });
});

describe('verdicts', () => {
  const started = new Date('2026-11-21T10:00:00Z');
  const output = expectedOutputs(plan, RUN, ['table'])[0]!;
  const at = (iso: string, size = 10) => ({ key: output.key, size, lastModified: new Date(iso) });

  test('written after the start and non-empty: ok', () => {
    expect(judge(output, [at('2026-11-21T10:01:00Z')], started)).toMatchObject({ verdict: 'ok', size: 10 });
  });
  test('missing', () => {
    expect(judge(output, [], started)).toMatchObject({ verdict: 'missing' });
  });
  test('empty', () => {
    expect(judge(output, [at('2026-11-21T10:01:00Z', 0)], started)).toMatchObject({ verdict: 'empty' });
  });
  test('stale, with its date', () => {
    const check = judge(output, [at('2026-11-20T09:00:00Z')], started);
    expect(check.verdict).toBe('stale');
    expect(check.detail).toContain('2026-11-20T09:00:00.000Z');
  });
  test('a folder needs one fresh object', () => {
    const parts = expectedOutputs(plan, RUN, ['parts'])[0]!;
    const check = judge(parts, [at('2026-11-20T09:00:00Z'), at('2026-11-21T10:02:00Z', 5)], started);
    expect(check).toMatchObject({ verdict: 'ok', size: 5 });
  });
});
