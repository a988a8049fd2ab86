import { buildPlan, PlanningError } from '../../../src/plan/planner';
import { group, makePlan, problemsOf } from './fixtures';

describe('buildPlan', () => {
  it('plans Spaceflights: order, levels, names and default settings', () => {
    const plan = buildPlan(makePlan(), { stage: 'pr-123' });
    expect(plan.project).toBe('spaceflights');
    expect(plan.stage).toBe('pr-123');
    expect(plan.env).toBe('aws');
    expect(plan.pipeline).toBe('__default__');
    expect(plan.names.stateMachine).toBe('spaceflights-pr-123');
    expect(plan.groups.map((g) => g.name)).toEqual(['data_processing', 'data_science', 'reporting']);
    expect(plan.levels).toEqual([['data_processing'], ['data_science', 'reporting']]);

    const ds = plan.groups[1];
    expect(ds).toMatchObject({
      name: 'data_science',
      type: 'namespace',
      nodes: ['data_science.node'],
      dependencies: ['data_processing'],
      reducedDependencies: ['data_processing'],
      level: 1,
      names: {
        lambdaFunction: 'spaceflights-pr-123-data_science',
        state: 'data_science',
        batchJob: 'spaceflights-pr-123-data_science',
        jobDefinition: 'spaceflights-pr-123-data_science',
      },
      settings: { memory_mb: 1024, timeout_seconds: 900, compute: 'lambda', vcpus: 1, retries: 2 },
    });
  });

  it('uses the project option in names instead of the package name', () => {
    const plan = buildPlan(makePlan(), { stage: 'dev', project: 'rockets' });
    expect(plan.groups[0]?.names.lambdaFunction).toBe('rockets-dev-data_processing');
    expect(plan.names.stateMachine).toBe('rockets-dev');
  });

  it('cleans the stage before using it in names', () => {
    const plan = buildPlan(makePlan(), { stage: 'Feature/Foo_bar' });
    expect(plan.stage).toMatch(/^feature-foo-bar-[0-9a-f]{8}$/);
    expect(plan.groups[0]?.names.lambdaFunction.startsWith(`spaceflights-${plan.stage}-`)).toBe(true);
  });

  it('applies the kedro_aws config and the group-settings input', () => {
    const plan = buildPlan(
      makePlan({ settings: { groups: { data_science: { compute: 'batch', timeout_seconds: 3600 } } } }),
      { stage: 'dev', groupSettings: { groups: { data_science: { memory_mb: 8192 } } } },
    );
    const ds = plan.groups.find((g) => g.name === 'data_science');
    expect(ds?.settings).toMatchObject({ compute: 'batch', timeout_seconds: 3600, memory_mb: 8192 });
    expect(ds?.settingOrigins.memory_mb.source).toBe('the `group-settings` input');
    expect(ds?.settingOrigins.compute.source).toBe('conf/aws/kedro_aws.yml');
  });

  it('reduces transitive dependencies but keeps the full list too', () => {
    const plan = buildPlan(makePlan({ groups: [group('a'), group('b', ['a']), group('c', ['a', 'b'])] }), {
      stage: 'dev',
    });
    const c = plan.groups.find((g) => g.name === 'c');
    expect(c?.dependencies).toEqual(['a', 'b']);
    expect(c?.reducedDependencies).toEqual(['b']);
  });

  it('gives distinct names to namespaces that differ only in characters AWS rejects', () => {
    const plan = buildPlan(makePlan({ groups: [group('a.b'), group('a,b'), group('a b')] }), { stage: 'dev' });
    for (const kind of ['lambdaFunction', 'state', 'batchJob', 'jobDefinition'] as const) {
      expect(new Set(plan.groups.map((g) => g.names[kind])).size).toBe(3);
    }
  });

  it('throws one PlanningError listing every problem: stage, missing dependency and settings', () => {
    const bad = makePlan({
      groups: [group('a'), group('b', ['ghost'])],
      settings: { groups: { a: { memory_mb: 1 }, zzz: {} } },
    });
    let caught: unknown;
    try {
      buildPlan(bad, { stage: '///', groupSettings: { defaults: { colour: 'red' } } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlanningError);
    const error = caught as PlanningError;
    expect(error.problems).toHaveLength(5);
    expect(error.message).toContain('5 problems');
    for (const fragment of ['`stage` input', '"ghost"', '"zzz"', 'memory_mb', '"colour"']) {
      expect(error.message).toContain(fragment);
    }
  });

  it('names the groups of a cycle', () => {
    const problems = problemsOf(() =>
      buildPlan(makePlan({ groups: [group('train', ['evaluate']), group('evaluate', ['train'])] }), { stage: 'dev' }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"evaluate" → "train" → "evaluate"');
  });

  it('is deterministic: the same plan twice gives equal results', () => {
    const input = makePlan({ groups: [group('x.y'), group('z', ['x.y']), group('é', ['z'])] });
    expect(buildPlan(input, { stage: 'dev' })).toEqual(buildPlan(input, { stage: 'dev' }));
  });

  it('keeps a group without a namespace as a `nodes` group', () => {
    const plan = buildPlan(makePlan({ groups: [group('make_table', [], 'nodes')] }), { stage: 'dev' });
    expect(plan.groups[0]?.type).toBe('nodes');
    expect(plan.levels).toEqual([['make_table']]);
  });
});
