/**
 * The Step Functions definition generator: hand cases, quotas, and properties on random DAGs.
 *
 * Every check of "who waits for whom" reads the generated definition itself (chains of states and
 * Parallel branches), never the generator's intermediate data.
 */
import fc from 'fast-check';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Group } from '../../src/plan/schema';
import {
  type BuiltDefinition,
  buildDefinition,
  HISTORY_EVENTS,
  LAMBDA_INVOKE_RESOURCE,
  LAMBDA_SERVICE_ERRORS,
  MAX_DEFINITION_BYTES,
  MAX_HISTORY_EVENTS,
  quotaProblems,
  type ScheduleKind,
  TASK_TIMEOUT_MARGIN_SECONDS,
} from '../../src/plan/statemachine';
import { group, makePlan, problemsOf } from './plan/fixtures';

// asl-validator ships no type declarations.
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

// ---------------------------------------------------------------------------------------------
// Helpers: plans, definitions, and reading a definition back.

const ARN_PREFIX = 'arn:aws:lambda:eu-west-1:123456789012:function:';

function planOf(groups: Group[], settings: Record<string, unknown> = {}): DeploymentPlan {
  return buildPlan(makePlan({ groups, settings }), { stage: 'dev' });
}

/** A plan from `{ name: [dependencies] }`. */
function planFrom(spec: Record<string, string[]>): DeploymentPlan {
  return planOf(Object.entries(spec).map(([name, deps]) => group(name, deps)));
}

function build(plan: DeploymentPlan, schedule: ScheduleKind = 'dag'): BuiltDefinition {
  return buildDefinition(plan, {
    schedule,
    env: 'aws',
    packageName: 'spaceflights',
    functionArn: (g) => `${ARN_PREFIX}${g.names.lambdaFunction}`,
  });
}

interface Chain {
  StartAt: string;
  States: Record<string, State>;
}
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Branches?: Chain[];
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  [key: string]: unknown;
}

/** The definition as Step Functions would receive it (a fresh copy: asl-validator mutates its input). */
function parsed(built: BuiltDefinition): Chain {
  return JSON.parse(built.json) as Chain;
}

function expectValidAsl(built: BuiltDefinition): void {
  const result = aslValidator(parsed(built));
  expect(result.errorsText('\n')).toBe('');
  expect(result.isValid).toBe(true);
}

/** The states of a chain in the order they run. */
function chainStates(chain: Chain): [string, State][] {
  const out: [string, State][] = [];
  const seen = new Set<string>();
  let name: string | undefined = chain.StartAt;
  while (name !== undefined) {
    if (seen.has(name)) throw new Error(`loop at ${name}`);
    seen.add(name);
    const state: State | undefined = chain.States[name];
    if (!state) throw new Error(`missing state ${name}`);
    out.push([name, state]);
    name = state.End === true ? undefined : state.Next;
  }
  expect(seen.size).toBe(Object.keys(chain.States).length); // no unreachable states
  return out;
}

const groupOf = (state: State): string => state.Parameters?.Payload?.group as string;

/** A readable shape: a chain is a list; a Parallel state is `{ parallel: [chain, ...] }`; a Task its group. */
type Shape = string | { parallel: Shape[][] };
function shape(chain: Chain): Shape[] {
  return chainStates(chain).map(([, state]) =>
    state.Type === 'Parallel' ? { parallel: (state.Branches ?? []).map(shape) } : groupOf(state),
  );
}

/** Group → the groups that have finished before it starts, read from the structure. */
function waitsFor(definition: Chain): Map<string, Set<string>> {
  const waits = new Map<string, Set<string>>();
  const walk = (chain: Chain, before: ReadonlySet<string>): Set<string> => {
    const done = new Set<string>(before);
    const inChain = new Set<string>();
    for (const [, state] of chainStates(chain)) {
      if (state.Type === 'Task') {
        const g = groupOf(state);
        if (waits.has(g)) throw new Error(`group ${g} runs twice`);
        waits.set(g, new Set(done));
        done.add(g);
        inChain.add(g);
      } else if (state.Type === 'Parallel') {
        const start = new Set(done);
        for (const branch of state.Branches ?? []) {
          for (const g of walk(branch, start)) {
            done.add(g);
            inChain.add(g);
          }
        }
      } else {
        throw new Error(`unexpected state type ${state.Type}`);
      }
    }
    return inChain;
  };
  walk(definition, new Set());
  return waits;
}

/** Every state of the definition, nested ones included. */
function allStates(chain: Chain): [string, State][] {
  return Object.entries(chain.States).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.Branches ?? []).flatMap(allStates),
  ]);
}

/** Transitive dependencies of each group of a plan. */
function ancestorsOf(plan: DeploymentPlan): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const g of plan.groups) {
    const all = new Set<string>();
    for (const d of g.dependencies) {
      all.add(d);
      for (const x of result.get(d) ?? []) all.add(x);
    }
    result.set(g.name, all);
  }
  return result;
}

/** Independent series-parallel test: the order has no induced N (a<c, b<c, b<d; a, d unrelated...). */
function hasN(plan: DeploymentPlan): boolean {
  const anc = ancestorsOf(plan);
  const names = plan.groups.map((g) => g.name);
  const lt = (x: string, y: string): boolean => anc.get(y)?.has(x) ?? false;
  const related = (x: string, y: string): boolean => x === y || lt(x, y) || lt(y, x);
  for (const c of names) {
    const below = [...(anc.get(c) ?? [])];
    for (const a of below) {
      for (const b of below) {
        if (related(a, b)) continue;
        for (const d of names) if (lt(b, d) && !related(c, d) && !related(a, d)) return true;
      }
    }
  }
  return false;
}

/** Checks that hold for every definition; returns the waits-for relation read from it. */
function checkDefinition(
  plan: DeploymentPlan,
  built: BuiltDefinition,
  schedule: ScheduleKind,
): Map<string, Set<string>> {
  expectValidAsl(built);
  const definition = parsed(built);

  // Names: unique across the whole machine, at most 80 characters.
  const states = allStates(definition);
  const names = states.map(([name]) => name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((name) => name.length > 80)).toEqual([]);

  // Every group is exactly one Task, under its planned state name.
  const tasks = states.filter(([, s]) => s.Type === 'Task');
  expect(tasks.map(([, s]) => groupOf(s)).sort()).toEqual(plan.groups.map((g) => g.name).sort());
  const stateOf = new Map(tasks.map(([name, s]) => [groupOf(s), name]));
  expect(plan.groups.filter((g) => stateOf.get(g.name) !== g.names.state)).toEqual([]);

  // Every state passes the execution input on; nothing is caught; only service errors retried.
  const badStates = states.filter(
    ([, state]) =>
      state.ResultPath !== null ||
      'Catch' in state ||
      ((state.Retry as { ErrorEquals: string[] }[] | undefined) ?? []).some(
        (rule) => rule.ErrorEquals.includes('States.ALL') || rule.ErrorEquals.includes('States.TaskFailed'),
      ),
  );
  expect(badStates).toEqual([]);

  const waits = waitsFor(definition);
  const anc = ancestorsOf(plan);
  const level = new Map(plan.groups.map((g) => [g.name, g.level]));
  const violations: string[] = [];
  let extra = 0;
  for (const g of plan.groups) {
    const w = waits.get(g.name) as Set<string>;
    // After all of its dependencies...
    for (const d of anc.get(g.name) ?? []) if (!w.has(d)) violations.push(`${g.name} does not wait for ${d}`);
    // ...and never waiting for what the level barriers would not make it wait for.
    for (const y of w) if ((level.get(y) as number) >= g.level) violations.push(`${g.name} waits for ${y}`);
    if (schedule === 'levels' && w.size !== plan.groups.filter((y) => y.level < g.level).length) {
      violations.push(`${g.name} does not wait for every lower level`);
    }
    extra += w.size - (anc.get(g.name)?.size ?? 0);
  }
  expect(violations).toEqual([]);
  expect(built.stats.extraWaits).toBe(extra);

  // Sync points are real extra waits of the structure, and there are some exactly when there is any.
  const wrongSyncs = built.stats.syncPoints.filter(
    (sync) =>
      !waits.get(sync.waiter)?.has(sync.waitsFor) ||
      anc.get(sync.waiter)?.has(sync.waitsFor) ||
      sync.reason.length === 0,
  );
  expect(wrongSyncs).toEqual([]);
  expect(built.stats.syncPoints.length > 0).toBe(extra > 0);

  // Stats agree with the definition.
  const parallels = states.filter(([, s]) => s.Type === 'Parallel').length;
  expect(built.stats).toMatchObject({ tasks: tasks.length, parallels, states: states.length });
  expect(built.stats.bytes).toBe(Buffer.byteLength(built.json, 'utf8'));
  expect(built.stats.estimatedHistoryEvents).toBe(
    HISTORY_EVENTS.execution + HISTORY_EVENTS.lambdaTask * tasks.length + HISTORY_EVENTS.parallel * parallels,
  );
  return waits;
}

// ---------------------------------------------------------------------------------------------
// Hand cases.

describe('buildDefinition: hand cases', () => {
  it('a chain is a chain of Tasks, no Parallel state', () => {
    const plan = planFrom({ a: [], b: ['a'], c: ['b'] });
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual(['a', 'b', 'c']);
    expect(built.stats).toMatchObject({ parallels: 0, syncPoints: [], extraWaits: 0 });
  });

  it('Spaceflights fan-out: data_processing, then a Parallel of data_science and reporting', () => {
    const plan = buildPlan(makePlan(), { stage: 'pr-123' });
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual(['data_processing', { parallel: [['data_science'], ['reporting']] }]);
    expect(built.stats.syncPoints).toEqual([]);
    // The levels schedule gives the same machine here.
    expect(shape(parsed(build(plan, 'levels')))).toEqual(shape(parsed(built)));
  });

  it('a Task invokes the group Lambda with the group, its nodes, the env and the run id from the input', () => {
    const plan = buildPlan(makePlan(), { stage: 'pr-123' });
    const definition = parsed(build(plan));
    const parallel = definition.States['Parallel 1'] as State;
    const task = (parallel.Branches![0] as Chain).States.data_science as State;
    expect(task).toEqual({
      Type: 'Task',
      Resource: LAMBDA_INVOKE_RESOURCE,
      Parameters: {
        FunctionName: `${ARN_PREFIX}spaceflights-pr-123-data_science`,
        Payload: {
          group: 'data_science',
          type: 'namespace',
          nodes: ['data_science.node'],
          env: 'aws',
          pipeline: '__default__',
          'run_id.$': '$.run_id',
          'runtime_params.$': '$.runtime_params',
        },
      },
      ResultPath: null,
      TimeoutSeconds: 900 + TASK_TIMEOUT_MARGIN_SECONDS,
      Retry: [
        {
          ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
          IntervalSeconds: 2,
          MaxAttempts: 6,
          BackoffRate: 2,
          MaxDelaySeconds: 60,
          JitterStrategy: 'FULL',
        },
      ],
      End: true,
    });
    // AWS's guidance: https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
    expect(LAMBDA_SERVICE_ERRORS).toEqual([
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ]);
    expect(parallel).toMatchObject({ Type: 'Parallel', ResultPath: null, End: true });
    expect(definition.States.data_processing).toMatchObject({ Next: 'Parallel 1', ResultPath: null });
  });

  it('the Task timeout follows the group timeout', () => {
    const plan = planOf([group('a'), group('b', ['a'])], { groups: { b: { timeout_seconds: 120 } } });
    const states = parsed(build(plan)).States;
    expect(states.a?.TimeoutSeconds).toBe(900 + TASK_TIMEOUT_MARGIN_SECONDS);
    expect(states.b?.TimeoutSeconds).toBe(120 + TASK_TIMEOUT_MARGIN_SECONDS);
  });

  it('a diamond is a Task, a Parallel of two, a Task', () => {
    const plan = planFrom({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual(['a', { parallel: [['b'], ['c']] }, 'd']);
    expect(built.stats.syncPoints).toEqual([]);
  });

  it('the N (c needs a and b, d needs b): one sync point, d waits for a', () => {
    const plan = planFrom({ a: [], b: [], c: ['a', 'b'], d: ['b'] });
    const built = build(plan);
    const waits = checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual([{ parallel: [['a'], ['b']] }, { parallel: [['c'], ['d']] }]);
    // The one synchronisation that nested sequences and Parallel states need here:
    expect(built.stats.syncPoints).toEqual([
      {
        waiter: 'd',
        waitsFor: 'a',
        reason: expect.stringContaining('"c" needs "a" and "b" while "d" needs "b" but not "a"'),
      },
    ]);
    expect(built.stats.extraWaits).toBe(1);
    expect(waits.get('d')).toEqual(new Set(['a', 'b']));
  });

  it('two independent chains run side by side', () => {
    const plan = planFrom({ a1: [], a2: ['a1'], a3: ['a2'], b1: [], b2: ['b1'] });
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual([
      {
        parallel: [
          ['a1', 'a2', 'a3'],
          ['b1', 'b2'],
        ],
      },
    ]);
    expect(built.stats.syncPoints).toEqual([]);

    // The levels schedule makes b2 wait for a1 and a3 wait for b2's level: two extra waits... and more.
    const levels = build(plan, 'levels');
    checkDefinition(plan, levels, 'levels');
    expect(shape(parsed(levels))).toEqual([{ parallel: [['a1'], ['b1']] }, { parallel: [['a2'], ['b2']] }, 'a3']);
    expect(levels.stats.syncPoints.map((s) => `${s.waiter}<-${s.waitsFor}`).sort()).toEqual([
      'a2<-b1',
      'a3<-b2',
      'b2<-a1',
    ]);
    expect(levels.stats.syncPoints[0]?.reason).toContain('schedule "levels"');
  });

  it('a single group is a single Task: no Parallel state at all', () => {
    const plan = planFrom({ only: [] });
    for (const schedule of ['dag', 'levels'] as const) {
      const built = build(plan, schedule);
      checkDefinition(plan, built, schedule);
      const definition = parsed(built);
      expect(definition.StartAt).toBe('only');
      expect(Object.keys(definition.States)).toEqual(['only']);
      expect(definition.States.only).toMatchObject({ Type: 'Task', End: true });
      expect(built.stats).toMatchObject({ tasks: 1, parallels: 0, states: 1 });
    }
  });

  it('a 200-group fan-out is one Task then one Parallel state of 200 branches', () => {
    const leaves = Array.from({ length: 200 }, (_, i) => `leaf_${String(i).padStart(3, '0')}`);
    const plan = planOf([group('root'), ...leaves.map((l) => group(l, ['root']))]);
    for (const schedule of ['dag', 'levels'] as const) {
      const built = build(plan, schedule);
      checkDefinition(plan, built, schedule);
      expect(shape(parsed(built))).toEqual(['root', { parallel: leaves.map((l) => [l]) }]);
      expect(built.stats).toMatchObject({ tasks: 201, parallels: 1, syncPoints: [] });
    }
  });

  it('level barriers stay inside the sub-graph that needs them', () => {
    // An N (a, b → c, d) in parallel with an unrelated chain x → y → z, then all joined by `end`.
    const plan = planFrom({
      a: [],
      b: [],
      c: ['a', 'b'],
      d: ['b'],
      x: [],
      y: ['x'],
      z: ['y'],
      end: ['c', 'd', 'z'],
    });
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    expect(shape(parsed(built))).toEqual([
      {
        parallel: [
          [{ parallel: [['a'], ['b']] }, { parallel: [['c'], ['d']] }],
          ['x', 'y', 'z'],
        ],
      },
      'end',
    ]);
    expect(built.stats.syncPoints.map((s) => `${s.waiter}<-${s.waitsFor}`)).toEqual(['d<-a']);
  });

  it('uses the planned state names (hashed when the group name has characters AWS rejects)', () => {
    const plan = planOf([group('a.b'), group('c d', ['a.b'])]);
    const built = build(plan);
    checkDefinition(plan, built, 'dag');
    const definition = parsed(built);
    const first = definition.States[definition.StartAt] as State;
    expect(definition.StartAt).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(groupOf(first)).toBe('a.b');
  });

  it('is deterministic and does not depend on the order groups are listed in', () => {
    const groups = [group('a'), group('b'), group('c', ['a', 'b']), group('d', ['b']), group('e', ['c', 'd'])];
    const once = build(planOf(groups)).json;
    expect(build(planOf(groups)).json).toBe(once);
    expect(build(planOf([...groups].reverse())).json).toBe(once);
  });

  it('names the project, pipeline, env and schedule in the Comment', () => {
    const definition = build(buildPlan(makePlan(), { stage: 'dev' }), 'levels').definition;
    expect(definition.Comment).toContain('spaceflights');
    expect(definition.Comment).toContain('__default__');
    expect(definition.Comment).toContain('schedule "levels"');
  });

  it('refuses Batch groups until the Batch target exists, naming them', () => {
    const plan = planOf([group('a'), group('b', ['a'])], {
      groups: { b: { compute: 'batch', timeout_seconds: 3600 } },
    });
    const problems = problemsOf(() => build(plan));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"b"');
    expect(problems[0]).toContain('Batch groups arrive with the Batch target');
  });
});

// ---------------------------------------------------------------------------------------------
// Quotas.

describe('buildDefinition: Step Functions quotas', () => {
  it('refuses a definition over 1 MiB and a history over 25,000 events, with the numbers', () => {
    const leaves = Array.from({ length: 5000 }, (_, i) => `leaf_${i}`);
    const plan = planOf([group('root'), ...leaves.map((l) => group(l, ['root']))]);
    const problems = problemsOf(() => build(plan));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/definition would be [\d,]+ bytes, over the Step Functions limit of 1,048,576 bytes/);
    // 2 + 5,001 Tasks × 5 + 1 Parallel × 4
    expect(problems[1]).toContain('about 25,011 history events');
    expect(problems[1]).toContain('limit of 25,000 events');
  });

  it('refuses a definition over 1 MiB even when its history fits', () => {
    const nodes = Array.from({ length: 40 }, (_, k) => `a_rather_long_kedro_node_name_number_${k}`);
    const groups = Array.from({ length: 600 }, (_, i): Group => ({ ...group(`g${i}`), nodes }));
    const problems = problemsOf(() => build(planOf(groups)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('1,048,576 bytes');
  });

  it('refuses a group whose Lambda payload alone would exceed 256 KiB', () => {
    const nodes = Array.from({ length: 3000 }, (_, k) => `${'n'.repeat(90)}_${k}`);
    const problems = problemsOf(() => build(planOf([{ ...group('huge'), nodes }])));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"huge"');
    expect(problems[0]).toContain('262,144 bytes');
  });

  it('quotaProblems: within the limits there is nothing to say', () => {
    expect(
      quotaProblems({
        bytes: MAX_DEFINITION_BYTES,
        estimatedHistoryEvents: MAX_HISTORY_EVENTS,
        tasks: 1,
        parallels: 0,
      }),
    ).toEqual([]);
    expect(
      quotaProblems({ bytes: 1000, estimatedHistoryEvents: MAX_HISTORY_EVENTS + 1, tasks: 5000, parallels: 0 }),
    ).toEqual([expect.stringContaining('25,001 history events')]);
  });

  it('reports a worst-case history with every service-error retry used', () => {
    const built = build(buildPlan(makePlan(), { stage: 'dev' }));
    // 2 + 3 × 5 + 1 × 4, and 3 Tasks × 6 retries × 3 events on top.
    expect(built.stats.estimatedHistoryEvents).toBe(21);
    expect(built.stats.worstCaseHistoryEvents).toBe(21 + 3 * 6 * 3);
  });
});

// ---------------------------------------------------------------------------------------------
// Random DAGs.

/** Group names as Kedro users might write them, and worse (state names are then hashed). */
const groupName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom('a.b', 'a b', 'Data', 'data', 'x'.repeat(120), 'Parallel 1', 'Level 0'),
);

/** A random DAG of 1 to 40 groups: an edge j → i (j depends on i) only for i < j. */
const randomPlan: fc.Arbitrary<DeploymentPlan> = fc
  .uniqueArray(groupName, { minLength: 1, maxLength: 40, size: 'max' })
  .chain((names) =>
    fc
      .record({
        density: fc.double({ min: 0, max: 1, noNaN: true }),
        bits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: (names.length * (names.length - 1)) / 2,
          maxLength: (names.length * (names.length - 1)) / 2,
        }),
      })
      .map(({ density, bits }) => {
        // From no edges to about 2 dependencies per group on average (sometimes up to 4).
        const p = Math.min(1, (density * 4) / Math.max(1, names.length - 1));
        let k = 0;
        const groups = names.map((name, j) => {
          const deps: string[] = [];
          for (let i = 0; i < j; i += 1) {
            if ((bits[k] as number) < p) deps.push(names[i] as string);
            k += 1;
          }
          return group(name, deps);
        });
        return planOf(groups);
      }),
  );

describe('buildDefinition: random DAGs', () => {
  it('dag schedule: valid ASL, every group after its dependencies, within the level barriers, sync points only when not series-parallel', () => {
    const seen = { seriesParallel: 0, not: 0 };
    fc.assert(
      fc.property(randomPlan, (plan) => {
        const built = build(plan, 'dag');
        checkDefinition(plan, built, 'dag');
        // No extra waiting exactly when the DAG is series-parallel (checked independently: no N).
        const n = hasN(plan);
        expect(built.stats.syncPoints.length > 0).toBe(n);
        seen[n ? 'not' : 'seriesParallel'] += 1;
      }),
      { numRuns: 100 },
    );
    // Both kinds of DAG were tried.
    expect(seen.seriesParallel).toBeGreaterThanOrEqual(10);
    expect(seen.not).toBeGreaterThanOrEqual(10);
  });

  it('a big plan far from series-parallel gets a valid, safe machine, quickly', () => {
    // 1,000 groups, each needing 1 to 3 of the 5 before it: hundreds of levels, no series split.
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const groups = Array.from({ length: 1000 }, (_, j) => {
      const deps = new Set<string>();
      if (j > 0) {
        const k = 1 + Math.floor(next() * 3);
        for (let i = 0; i < k; i += 1) deps.add(`g${Math.max(0, j - 1 - Math.floor(next() * 5))}`);
      }
      return group(`g${j}`, [...deps]);
    });
    const plan = planOf(groups);
    const started = Date.now();
    const built = build(plan);
    expect(Date.now() - started).toBeLessThan(5000);
    checkDefinition(plan, built, 'dag');
    expect(built.stats.syncPoints.length).toBeGreaterThan(0);
  });

  it('levels schedule: valid ASL, every group waits for exactly the groups of lower levels', () => {
    fc.assert(
      fc.property(randomPlan, (plan) => {
        checkDefinition(plan, build(plan, 'levels'), 'levels');
      }),
      { numRuns: 50 },
    );
  });

  it('the dag schedule never waits more than the levels schedule, group by group', () => {
    fc.assert(
      fc.property(randomPlan, (plan) => {
        const ours = waitsFor(parsed(build(plan, 'dag')));
        const theirs = waitsFor(parsed(build(plan, 'levels')));
        for (const [g, w] of ours) for (const y of w) expect(theirs.get(g)?.has(y)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
