import {
  BUILT_IN_DEFAULTS,
  GROUP_SETTINGS_INPUT_LABEL,
  KedroAwsSettingsSchema,
  resolveSettings,
  type SettingsResult,
} from '../../../src/plan/settings';

const FILE = 'conf/aws/kedro_aws.yml';
/** The SageMaker settings every group has (they apply to `compute: sagemaker` groups only). */
const SAGEMAKER_DEFAULTS = {
  instance_type: 'ml.m5.large',
  instance_count: 1,
  volume_size_gb: 30,
  spot: false,
  max_wait_seconds: null,
};
const GROUPS = ['data_processing', 'data_science', 'reporting'];

function resolve(file: unknown, input?: unknown, groups: string[] = GROUPS): SettingsResult {
  return resolveSettings(
    groups,
    { value: file, label: FILE },
    input === undefined ? undefined : { value: input, label: GROUP_SETTINGS_INPUT_LABEL },
  );
}

function settingsOf(result: SettingsResult, group: string) {
  if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.join('\n')}`);
  const entry = result.groups.get(group);
  if (!entry) throw new Error(`no settings for ${group}`);
  return entry;
}

function problems(result: SettingsResult): string[] {
  if (result.ok) throw new Error('expected problems, got none');
  return result.problems;
}

describe('settings merge', () => {
  it('uses the built-in defaults when nothing is configured', () => {
    const entry = settingsOf(resolve({}), 'reporting');
    expect(entry.settings).toEqual({
      memory_mb: 1024,
      timeout_seconds: 900,
      compute: 'lambda',
      vcpus: 1,
      retries: 2,
      ...SAGEMAKER_DEFAULTS,
    });
    expect(entry.origins.memory_mb.source).toBe('built-in default');
    expect(BUILT_IN_DEFAULTS.memory_mb).toBe(1024);
  });

  it('accepts an absent or null config', () => {
    expect(settingsOf(resolve(undefined), 'reporting').settings.memory_mb).toBe(1024);
    expect(settingsOf(resolve(null), 'reporting').settings.memory_mb).toBe(1024);
    expect(settingsOf(resolve({ defaults: null, groups: { reporting: null } }), 'reporting').settings.retries).toBe(2);
  });

  it('applies built-in < file defaults < input defaults < file group < input group', () => {
    const file = {
      defaults: { memory_mb: 2000, timeout_seconds: 100, retries: 1, vcpus: 2 },
      groups: { data_science: { memory_mb: 3000, timeout_seconds: 200 } },
    };
    const input = {
      defaults: { memory_mb: 2500, retries: 3 },
      groups: { data_science: { memory_mb: 4000 } },
    };
    const ds = settingsOf(resolve(file, input), 'data_science');
    expect(ds.settings).toEqual({
      memory_mb: 4000,
      timeout_seconds: 200,
      compute: 'lambda',
      vcpus: 2,
      retries: 3,
      ...SAGEMAKER_DEFAULTS,
    });
    expect(ds.origins.memory_mb).toEqual({ source: GROUP_SETTINGS_INPUT_LABEL, path: 'groups.data_science.memory_mb' });
    expect(ds.origins.timeout_seconds).toEqual({ source: FILE, path: 'groups.data_science.timeout_seconds' });
    expect(ds.origins.retries).toEqual({ source: GROUP_SETTINGS_INPUT_LABEL, path: 'defaults.retries' });
    expect(ds.origins.vcpus).toEqual({ source: FILE, path: 'defaults.vcpus' });
    expect(ds.origins.compute.source).toBe('built-in default');

    const rp = settingsOf(resolve(file, input), 'reporting');
    expect(rp.settings).toEqual({
      memory_mb: 2500,
      timeout_seconds: 100,
      compute: 'lambda',
      vcpus: 2,
      retries: 3,
      ...SAGEMAKER_DEFAULTS,
    });
  });

  it('lets a file group entry beat the input defaults (more specific wins)', () => {
    const result = resolve({ groups: { reporting: { memory_mb: 512 } } }, { defaults: { memory_mb: 2048 } });
    expect(settingsOf(result, 'reporting').settings.memory_mb).toBe(512);
    expect(settingsOf(result, 'data_science').settings.memory_mb).toBe(2048);
  });

  it('treats a key set to null as not set', () => {
    const result = resolve({ defaults: { memory_mb: 2048 } }, { defaults: { memory_mb: null } });
    expect(settingsOf(result, 'reporting').settings.memory_mb).toBe(2048);
  });

  it('lets a group run on Batch with a long timeout and fractional vCPUs', () => {
    const result = resolve({
      groups: { data_science: { compute: 'batch', timeout_seconds: 7200, memory_mb: 30000, vcpus: 0.5 } },
    });
    expect(settingsOf(result, 'data_science').settings).toMatchObject({
      compute: 'batch',
      timeout_seconds: 7200,
      vcpus: 0.5,
    });
  });

  it('does not mistake a group named like an Object method for a configured one', () => {
    const result = resolve({ groups: {} }, undefined, ['constructor', 'toString']);
    expect(settingsOf(result, 'constructor').settings).toEqual(BUILT_IN_DEFAULTS);
  });

  it('exports a zod schema that accepts the documented shape', () => {
    const parsed = KedroAwsSettingsSchema.safeParse({
      defaults: { memory_mb: 1024, timeout_seconds: 900, compute: 'lambda', vcpus: 1, retries: 2 },
      groups: { a: { compute: 'batch' } },
    });
    expect(parsed.success).toBe(true);
  });
});

describe('settings limits', () => {
  it('rejects Lambda memory above 10240 MB, naming group, key, value, limit and source', () => {
    const [problem, ...rest] = problems(resolve({ groups: { data_science: { memory_mb: 20000 } } }));
    expect(rest).toEqual([]);
    expect(problem).toContain('"data_science"');
    expect(problem).toContain('memory_mb');
    expect(problem).toContain('20000');
    expect(problem).toContain('10240');
    expect(problem).toContain(`groups.data_science.memory_mb in ${FILE}`);
    expect(problem).toContain('compute: batch');
  });

  it('rejects Lambda memory below 128 MB', () => {
    const [problem] = problems(resolve({}, { groups: { reporting: { memory_mb: 64 } } }));
    expect(problem).toMatch(/"reporting".*memory_mb.*64.*128 to 10240 MB/);
    expect(problem).toContain(GROUP_SETTINGS_INPUT_LABEL);
  });

  it('rejects a Lambda timeout above 900 s, saying where compute came from', () => {
    const [problem] = problems(resolve({ groups: { data_science: { timeout_seconds: 3600 } } }));
    expect(problem).toMatch(/"data_science".*timeout_seconds.*3600.*900 seconds/);
    expect(problem).toContain(FILE);
    expect(problem).toContain('compute: lambda (from the built-in default)');
  });

  it('rejects a Lambda timeout of 0', () => {
    const [problem] = problems(resolve({ groups: { reporting: { timeout_seconds: 0 } } }));
    expect(problem).toMatch(/"reporting".*timeout_seconds.*"?0"?.*1 to 900/);
  });

  it('rejects a Batch timeout below 60 s (attemptDurationSeconds)', () => {
    const [problem] = problems(resolve({ groups: { reporting: { compute: 'batch', timeout_seconds: 30 } } }));
    expect(problem).toMatch(/"reporting".*timeout_seconds.*30.*60 seconds/);
    expect(problem).toContain('attemptDurationSeconds');
    expect(problem).toContain(FILE);
  });

  it('rejects Batch memory below 4 MiB', () => {
    const [problem] = problems(resolve({ groups: { reporting: { compute: 'batch', memory_mb: 2 } } }));
    expect(problem).toMatch(/"reporting".*memory_mb.*2.*4 MiB/);
  });

  it('rejects vcpus of 0 or less', () => {
    const [problem] = problems(resolve({ groups: { reporting: { compute: 'batch', vcpus: 0 } } }));
    expect(problem).toMatch(/"reporting".*vcpus.*0.*above 0/);
    expect(problem).toContain(FILE);
  });

  it('rejects, already at package, vcpus no Batch platform takes (EC2: whole, at least 1; Fargate: listed values)', () => {
    const [problem] = problems(resolve({ groups: { reporting: { compute: 'batch', vcpus: 0.3 } } }));
    expect(problem).toBe(
      `group "reporting": vcpus 0.3 (from groups.reporting.vcpus in ${FILE}) is a number of vCPUs no AWS Batch ` +
        `platform accepts with compute: batch (from groups.reporting.compute in ${FILE}): EC2 takes a whole number ` +
        'of at least 1, Fargate one of 0.25, 0.5, 1, 2, 4, 8, 16, 32; give one of those.',
    );
    for (const vcpus of [0.25, 0.5, 1, 3, 48]) {
      expect(
        settingsOf(resolve({ groups: { reporting: { compute: 'batch', vcpus } } }), 'reporting').settings.vcpus,
      ).toBe(vcpus);
    }
    // A Lambda group's vcpus are not used.
    expect(settingsOf(resolve({ groups: { reporting: { vcpus: 0.3 } } }), 'reporting').settings.vcpus).toBe(0.3);
  });

  it('rejects more than 9 retries on Batch (at most 10 attempts), but allows 10 on Lambda', () => {
    const [problem] = problems(resolve({ groups: { reporting: { compute: 'batch', retries: 10 } } }));
    expect(problem).toMatch(/"reporting".*retries.*10.*0 to 9/);
    expect(problem).toContain('attempts = retries + 1');
    expect(settingsOf(resolve({ groups: { reporting: { retries: 10 } } }), 'reporting').settings.retries).toBe(10);
  });

  it('rejects negative retries and more than 10 on Lambda', () => {
    expect(problems(resolve({ groups: { reporting: { retries: -1 } } }))[0]).toMatch(/retries.*-1.*0 to 10/);
    expect(problems(resolve({ groups: { reporting: { retries: 11 } } }))[0]).toMatch(/retries.*11.*0 to 10/);
  });

  it('reports a bad default once, naming every group it affects and `defaults`', () => {
    const list = problems(resolve({ defaults: { timeout_seconds: 3600 } }));
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('groups "data_processing", "data_science" and "reporting"');
    expect(list[0]).toContain(`defaults.timeout_seconds in ${FILE}`);
  });

  it('collects every problem of every source together', () => {
    const list = problems(
      resolve(
        { defaults: { memroy_mb: 1 }, groups: { data_science: { memory_mb: 99999 }, nope: {} } },
        { groups: { reporting: { compute: 'fargate' } } },
      ),
    );
    expect(list.length).toBe(4);
    expect(list.join('\n')).toContain('memroy_mb');
    expect(list.join('\n')).toContain('"nope"');
    expect(list.join('\n')).toContain('99999');
    expect(list.join('\n')).toContain('fargate');
  });
});

describe('settings validation', () => {
  it('rejects an unknown key, naming it and the accepted keys', () => {
    const [problem] = problems(resolve({ groups: { reporting: { memroy_mb: 2048 } } }));
    expect(problem).toContain('"memroy_mb"');
    expect(problem).toContain('groups.reporting');
    expect(problem).toContain('memory_mb, timeout_seconds, compute, vcpus, retries');
    expect(problem).toContain(FILE);
  });

  it('rejects an unknown top-level key, naming defaults and groups as the accepted ones', () => {
    const [problem] = problems(resolve({}, { default: { memory_mb: 1 } }));
    expect(problem).toContain('"default"');
    expect(problem).toContain('defaults, groups');
    expect(problem).toContain(GROUP_SETTINGS_INPUT_LABEL);
  });

  it('rejects a `groups` entry for a group that does not exist, listing the real ones', () => {
    const [problem] = problems(resolve({ groups: { data_sceince: { memory_mb: 2048 } } }));
    expect(problem).toContain('data_sceince');
    expect(problem).toContain('"data_processing", "data_science" and "reporting"');
    expect(problem).toContain(FILE);
  });

  it('rejects wrong types with the key, the value and what is expected', () => {
    const list = problems(
      resolve({
        defaults: { memory_mb: '2048', timeout_seconds: 1.5, compute: 'fargate', vcpus: 'two', retries: true },
      }),
    );
    expect(list).toHaveLength(5);
    expect(list[0]).toMatch(/defaults\.memory_mb is "2048".*whole number of MB/);
    expect(list[1]).toMatch(/defaults\.timeout_seconds is 1\.5.*whole number of seconds/);
    expect(list[2]).toMatch(/defaults\.compute is "fargate".*"lambda" or "batch"/);
    expect(list[3]).toMatch(/defaults\.vcpus is "two"/);
    expect(list[4]).toMatch(/defaults\.retries is true/);
  });

  it('rejects a settings value that is not a mapping', () => {
    expect(problems(resolve(['a']))[0]).toMatch(/the settings is a list/);
    expect(problems(resolve({ groups: ['a'] }))[0]).toMatch(/groups is a list.*mapping from group name/);
    expect(problems(resolve({ groups: { reporting: 5 } }))[0]).toMatch(/groups\.reporting is 5.*mapping of settings/);
  });

  it('quotes group names that are not plain identifiers in paths', () => {
    const [problem] = problems(resolve({ groups: { 'a.b': { memory_mb: 1 } } }, undefined, ['a.b']));
    expect(problem).toContain('groups."a.b".memory_mb');
  });

  it('keeps checking the valid rest of a source that has a bad entry', () => {
    const list = problems(resolve({ defaults: { compute: 'fargate', timeout_seconds: 5000 } }));
    expect(list.some((p) => p.includes('fargate'))).toBe(true);
    expect(list.some((p) => p.includes('5000') && p.includes('900'))).toBe(true);
  });
});
