/**
 * SageMaker groups in the pure core: their settings (refused at `package`, naming the group, the
 * setting and the file or input it came from), the instance types (SageMaker's own list), the fixed
 * part of their job names, and what a plan with them may not hold.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { batchSettingsProblems } from '../../../src/plan/batch';
import { SAGEMAKER_NAME_PATTERN, SAGEMAKER_PREFIX_MAX, sagemakerJobPrefix } from '../../../src/plan/names';
import { buildPlan, type DeploymentPlan } from '../../../src/plan/planner';
import { SAGEMAKER_TRAINING_INSTANCE_TYPES } from '../../../src/plan/sagemaker-instances';
import { GROUP_SETTINGS_INPUT_LABEL, LIMITS, resolveSettings, type SettingsResult } from '../../../src/plan/settings';
import { group, makePlan, problemsOf } from './fixtures';

const FILE = 'conf/aws/kedro_aws.yml';
const GROUPS = ['data_processing', 'data_science', 'reporting'];
const ROOT = path.resolve(__dirname, '..', '..', '..');

function resolve(file: unknown, input?: unknown): SettingsResult {
  return resolveSettings(
    GROUPS,
    { value: file, label: FILE },
    input === undefined ? undefined : { value: input, label: GROUP_SETTINGS_INPUT_LABEL },
  );
}

function problems(result: SettingsResult): string[] {
  if (result.ok) throw new Error('expected problems, got none');
  return result.problems;
}

const onSageMaker = (settings: Record<string, unknown>) => ({
  groups: { data_science: { compute: 'sagemaker', ...settings } },
});

describe('SageMaker settings', () => {
  it('take a GPU instance, a volume, a max runtime, spot with a max wait and retries', () => {
    const result = resolve(
      onSageMaker({
        instance_type: 'ml.g5.xlarge',
        volume_size_gb: 100,
        timeout_seconds: 3 * 24 * 3600,
        spot: true,
        max_wait_seconds: 4 * 24 * 3600,
        retries: 3,
      }),
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.groups.get('data_science')?.settings).toMatchObject({
      compute: 'sagemaker',
      instance_type: 'ml.g5.xlarge',
      instance_count: 1,
      volume_size_gb: 100,
      timeout_seconds: 259200,
      spot: true,
      max_wait_seconds: 345600,
      retries: 3,
    });
  });

  it('ignore the Lambda limits (memory, 15 minutes) and the SageMaker keys of defaults for other groups', () => {
    const result = resolve({
      defaults: { instance_type: 'ml.p4d.24xlarge', spot: true, max_wait_seconds: 7200 },
      groups: { data_science: { compute: 'sagemaker', timeout_seconds: 7200, memory_mb: 1 } },
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.groups.get('data_science')?.settings.instance_type).toBe('ml.p4d.24xlarge');
  });

  it('refuse an unknown instance type, naming the group, the setting, the file and the family sizes', () => {
    const [problem, ...rest] = problems(resolve(onSageMaker({ instance_type: 'ml.g5.huge' })));
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^group "data_science": instance_type "ml\.g5\.huge"/);
    expect(problem).toContain(`from groups.data_science.instance_type in ${FILE}`);
    expect(problem).toContain('not an instance type of SageMaker training jobs');
    expect(problem).toContain('"ml.g5.xlarge"');
    expect(problems(resolve(onSageMaker({ instance_type: 'g5.xlarge' })))[0]).toContain('did you mean "ml.g5.xlarge"?');
    expect(problems(resolve(onSageMaker({ instance_type: 'ml.zz9.large' })))[0]).toContain(
      'ml.<family>.<size>, e.g. "ml.m5.xlarge" (CPU) or "ml.g5.xlarge" (GPU)',
    );
  });

  it('refuse more than one instance, saying why: a group is one process', () => {
    const [problem] = problems(resolve({}, onSageMaker({ instance_count: 2 })));
    expect(problem).toMatch(/^group "data_science": instance_count 2/);
    expect(problem).toContain(`groups.data_science.instance_count in ${GROUP_SETTINGS_INPUT_LABEL}`);
    expect(problem).toContain('one Kedro session in one Python process');
    expect(problem).toContain('a larger instance_type');
  });

  it('refuse a max runtime over 28 days', () => {
    const days28 = LIMITS.sagemaker.timeoutMaxSeconds;
    expect(days28).toBe(2_419_200);
    expect(resolve(onSageMaker({ timeout_seconds: days28 })).ok).toBe(true);
    const [problem] = problems(resolve(onSageMaker({ timeout_seconds: days28 + 1 })));
    expect(problem).toMatch(/^group "data_science": timeout_seconds 2419201/);
    expect(problem).toContain('2,419,200 seconds (28 days');
    expect(problem).toContain(`groups.data_science.timeout_seconds in ${FILE}`);
  });

  it('refuse spot without a max wait, and a max wait shorter than the max runtime', () => {
    const [problem] = problems(resolve(onSageMaker({ spot: true, timeout_seconds: 3600 })));
    expect(problem).toMatch(/^group "data_science": spot true \(from groups\.data_science\.spot in conf\/aws/);
    expect(problem).toContain('set without max_wait_seconds');
    expect(problem).toContain('MaxWaitTimeInSeconds');
    const [short] = problems(resolve(onSageMaker({ spot: true, timeout_seconds: 3600, max_wait_seconds: 600 })));
    expect(short).toMatch(/^group "data_science": max_wait_seconds 600/);
    expect(short).toContain('below timeout_seconds (3600)');
  });

  it('refuse volumes and retries out of range', () => {
    expect(problems(resolve(onSageMaker({ volume_size_gb: 0 })))[0]).toContain('volume_size_gb 0');
    expect(problems(resolve(onSageMaker({ volume_size_gb: 20000 })))[0]).toContain('16,384 GB');
    expect(problems(resolve(onSageMaker({ retries: 31 })))[0]).toContain('MaximumRetryAttempts');
  });

  it('refuse a SageMaker setting on a group that does not run there (a forgotten compute)', () => {
    const [problem] = problems(resolve({ groups: { reporting: { instance_type: 'ml.g5.xlarge' } } }));
    expect(problem).toMatch(/^group "reporting": instance_type "ml\.g5\.xlarge"/);
    expect(problem).toContain(
      'a SageMaker setting, but the group runs with compute: lambda (from the built-in default)',
    );
    expect(problem).toContain('add compute: sagemaker');
  });

  it('refuse wrong types with what is expected', () => {
    const list = problems(resolve(onSageMaker({ instance_type: 5, spot: 'yes', instance_count: 1.5 })));
    expect(list.join('\n')).toMatch(/instance_type is 5.*SageMaker instance type/);
    expect(list.join('\n')).toMatch(/spot is "yes".*true or false/);
    expect(list.join('\n')).toMatch(/instance_count is 1\.5.*whole number/);
  });
});

describe("SageMaker's instance types", () => {
  it('are those of the SageMaker API model (botocore in the venv), GPU families included', () => {
    const script =
      'import json, botocore.session; ' +
      'm = botocore.session.get_session().get_service_model("sagemaker"); ' +
      'print(json.dumps(m.shape_for("TrainingInstanceType").enum))';
    const run = spawnSync(path.join(ROOT, '.venv', 'bin', 'python'), ['-c', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const model = new Set<string>(JSON.parse(run.stdout));
    const invented = SAGEMAKER_TRAINING_INSTANCE_TYPES.filter((t) => !model.has(t));
    expect(invented).toEqual([]);
    for (const gpu of ['ml.g5.xlarge', 'ml.g4dn.xlarge', 'ml.p3.2xlarge', 'ml.p4d.24xlarge']) {
      expect(SAGEMAKER_TRAINING_INSTANCE_TYPES).toContain(gpu);
    }
    for (const t of SAGEMAKER_TRAINING_INSTANCE_TYPES) expect(t).toMatch(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/);
  });
});

describe('SageMaker job names', () => {
  it('start with the whole project, then the stage and the group, in [a-z0-9-] and at most 26 characters', () => {
    expect(sagemakerJobPrefix('spaceflights', 'dev', 'data_science')).toBe('spaceflights-dev-data-scie');
    const long = sagemakerJobPrefix('spaceflights', 'pr-1234', 'Feature_Engineering.Steps');
    expect(long.startsWith('spaceflights-')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(SAGEMAKER_PREFIX_MAX);
    expect(long).toMatch(/^[a-z0-9-]+$/);
    // A project of exactly 26 characters keeps nothing else; longer is refused, saying what to do.
    expect(sagemakerJobPrefix('p'.repeat(26), 'dev', 'g')).toBe('p'.repeat(26));
    expect(sagemakerJobPrefix('my_project', 'dev', 'g')).toBe('my-project-dev-g');
    expect(() => sagemakerJobPrefix('p'.repeat(27), 'dev', 'g')).toThrow(/shorter package name/);
  });

  it('with a run suffix, are valid SageMaker names for any project, stage and group', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,25}$/),
        fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/),
        fc.string({ minLength: 1, maxLength: 120 }),
        (project, stage, name) => {
          const prefix = sagemakerJobPrefix(project, stage, name);
          const job = `${prefix}-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
          expect(job.length).toBeLessThanOrEqual(63);
          expect(job).toMatch(SAGEMAKER_NAME_PATTERN);
          // As bootstrap/template.yml spells the project in the SageMaker policy: `_` becomes `-`.
          expect(prefix.startsWith(project.replace(/_/g, '-'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('plans with SageMaker groups', () => {
  const plan = (settings: Record<string, unknown>, runtimeParams: Record<string, unknown> = {}): DeploymentPlan =>
    buildPlan(makePlan({ settings, runtime_params: runtimeParams }), { stage: 'pr-7' });

  it('name each SageMaker group its job prefix, and no other group', () => {
    const deployment = plan(onSageMaker({ instance_type: 'ml.g5.xlarge' }));
    const byName = new Map(deployment.groups.map((g) => [g.name, g.names.sagemakerJob]));
    expect(byName.get('data_science')).toBe('spaceflights-pr-7-data-sci');
    expect(byName.get('reporting')).toBe('');
  });

  it('refuse runtime params too long for one container argument (256 characters)', () => {
    expect(() => plan(onSageMaker({}), { output_prefix: 'x'.repeat(200) })).not.toThrow();
    const [problem] = problemsOf(() => plan(onSageMaker({}), { output_prefix: 'x'.repeat(300) }));
    expect(problem).toContain('"data_science"');
    expect(problem).toContain('at most 256 characters');
    // Without SageMaker groups, long runtime params are fine.
    expect(() => plan({}, { output_prefix: 'x'.repeat(300) })).not.toThrow();
  });

  it('refuse a project name too long to start its SageMaker job names', () => {
    const long = makePlan({
      project: { name: 'x', package_name: 'a'.repeat(27), kedro_version: '1.5.0', python_version: '3.12' },
      settings: onSageMaker({}),
      groups: [group('data_science')],
    });
    expect(problemsOf(() => buildPlan(long, { stage: 'dev' }))[0]).toContain('SageMaker job names');
  });

  it('cannot run on target batch, which has no state machine for them', () => {
    const deployment = plan(onSageMaker({}));
    const [problem] = batchSettingsProblems(deployment.groups);
    expect(problem).toMatch(/^group "data_science": compute sagemaker \(from groups\.data_science\.compute in conf/);
    expect(problem).toContain('use target step-functions');
  });
});
