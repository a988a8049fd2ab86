/**
 * Schedule `exact`: every group starts when its last dependency ends, on any DAG. The series-parallel
 * parts nest as with `dag`; where the graph is not series-parallel, a group with two or more
 * dependencies there sits behind a gate (a `lambda:invoke.waitForTaskToken` Task) that the last of them
 * releases. Every check reads the generated definition itself: the chains, the Parallel branches, the
 * gates' payloads (`after`) and the groups' payloads (`release`).
 */
import fc from 'fast-check';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Group } from '../../src/plan/schema';
import {
  type BuiltDefinition,
  buildDefinition,
  GATE_MARGIN_SECONDS,
  gateStateName,
  HISTORY_EVENTS,
  LAMBDA_CALLBACK_RESOURCE,
  LAMBDA_INVOKE_RESOURCE,
  LAMBDA_SERVICE_RETRY,
  MAX_GATE_TIMEOUT_SECONDS,
  type ScheduleChoice,
  type ScheduleKind,
  TASK_TIMEOUT_MARGIN_SECONDS,
} from '../../src/plan/statemachine';
import { group, makePlan, problemsOf } from './plan/fixtures';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

const ARN_PREFIX = 'arn:aws:lambda:eu-west-1:123456789012:function:';
const BATCH = {
  jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/q',
  jobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:1',
};

function planOf(groups: Group[], settings: Record<string, unknown> = {}): DeploymentPlan {
  return buildPlan(makePlan({ groups, settings }), { stage: 'dev' });
}

function planFrom(spec: Record<string, string[]>): DeploymentPlan {
  return planOf(Object.entries(spec).map(([name, deps]) => group(name, deps)));
}

function build(plan: DeploymentPlan, schedule: ScheduleKind = 'exact', extra: object = {}): BuiltDefinition {
  return buildDefinition(plan, {
    schedule,
    env: 'aws',
    packageName: 'spaceflights',
    functionArn: (g) => `${ARN_PREFIX}${g.names.lambdaFunction}`,
    ...extra,
  });
}

interface Chain {
  StartAt: string;
  States: Record<string, State>;
}
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Branches?: Chain[];
  TimeoutSeconds?: number;
  Parameters?: {
    FunctionName?: string;
    Payload?: Record<string, unknown> & { gate?: { group: string; after: string[] } };
    ContainerOverrides?: { Environment?: { Name: string; Value: string }[] };
    JobName?: string;
  };
  [key: string]: unknown;
}

const parsed = (built: BuiltDefinition): Chain => JSON.parse(built.json) as Chain;

function chainStates(chain: Chain): [string, State][] {
  const out: [string, State][] = [];
  let name: string | undefined = chain.StartAt;
  while (name !== undefined) {
    const state = chain.States[name] as State;
    out.push([name, state]);
    name = state.End === true ? undefined : state.Next;
  }
  expect(out.length).toBe(Object.keys(chain.States).length); // no unreachable states
  return out;
}

const isGate = (state: State): boolean => state.Resource === LAMBDA_CALLBACK_RESOURCE;
/** The group of a group's Task (Lambda payload, or the Batch job's parameters). */
const groupOf = (state: State): string =>
  (state.Parameters?.Payload?.group as string | undefined) ??
  ((state.Parameters as { Parameters?: { group?: string } } | undefined)?.Parameters?.group as string);

/**
 * Group → every group that has finished when it starts, read from the definition: what the chains and
 * Parallel branches put before it, and for a gated group the groups its gate names (and what those
 * waited for in turn). Also checks each gate sits right before its own group's Task.
 */
function waitsFor(definition: Chain): { waits: Map<string, Set<string>>; gates: Map<string, string[]> } {
  const structural = new Map<string, Set<string>>();
  const gates = new Map<string, string[]>();
  const walk = (chain: Chain, before: ReadonlySet<string>): Set<string> => {
    const done = new Set(before);
    const inChain = new Set<string>();
    let gateFor: string | null = null;
    for (const [, state] of chainStates(chain)) {
      if (state.Type === 'Task' && isGate(state)) {
        const gate = state.Parameters?.Payload?.gate as { group: string; after: string[] };
        gates.set(gate.group, gate.after);
        gateFor = gate.group;
        continue;
      }
      if (state.Type === 'Task') {
        const g = groupOf(state);
        if (gateFor !== null) expect(g).toBe(gateFor);
        gateFor = null;
        if (structural.has(g)) throw new Error(`group ${g} runs twice`);
        structural.set(g, new Set(done));
        done.add(g);
        inChain.add(g);
      } else if (state.Type === 'Parallel') {
        expect(gateFor).toBeNull();
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
  const waits = new Map<string, Set<string>>();
  const resolve = (g: string): Set<string> => {
    const known = waits.get(g);
    if (known) return known;
    // What it waits for, and everything those waited for in turn.
    const all = new Set<string>();
    for (const a of [...(structural.get(g) ?? []), ...(gates.get(g) ?? [])]) {
      all.add(a);
      for (const x of resolve(a)) all.add(x);
    }
    waits.set(g, all);
    return all;
  };
  for (const g of structural.keys()) resolve(g);
  return { waits, gates };
}

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

/** Every state of the definition, nested ones included. */
function allStates(chain: Chain): [string, State][] {
  return Object.entries(chain.States).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.Branches ?? []).flatMap(allStates),
  ]);
}

/** What holds for every exact definition; returns the gates (group → the groups it waits for). */
function checkExact(plan: DeploymentPlan, built: BuiltDefinition): Map<string, string[]> {
  const asl = aslValidator(parsed(built), { checkArn: true, checkPaths: true });
  expect(asl.errorsText('\n')).toBe('');
  const definition = parsed(built);
  const { waits, gates } = waitsFor(definition);
  const anc = ancestorsOf(plan);
  // Exactly its dependencies: no group waits for one it does not depend on, none misses one.
  const wrong: string[] = [];
  for (const g of plan.groups) {
    const w = waits.get(g.name) ?? new Set();
    const a = anc.get(g.name) ?? new Set();
    for (const d of a) if (!w.has(d)) wrong.push(`${g.name} does not wait for ${d}`);
    for (const y of w) if (!a.has(y)) wrong.push(`${g.name} waits for ${y}, which it does not depend on`);
  }
  expect(wrong).toEqual([]);
  expect(built.stats.extraWaits).toBe(0);
  expect(built.stats.syncPoints).toEqual([]);

  // Who releases whom: each group's `release` is exactly the gated groups whose gate names it.
  const states = allStates(definition);
  const release = new Map<string, string[]>();
  for (const [, state] of states) {
    if (state.Type !== 'Task' || isGate(state)) continue;
    const list =
      (state.Parameters?.Payload?.release as string[] | undefined) ??
      JSON.parse(
        state.Parameters?.ContainerOverrides?.Environment?.find((e) => e.Name === 'KEDRO_AWS_RELEASE')?.Value ?? '[]',
      );
    if (list.length > 0) release.set(groupOf(state), [...list].sort());
  }
  const expected = new Map<string, string[]>();
  for (const [gated, after] of gates) for (const a of after) expected.set(a, [...(expected.get(a) ?? []), gated]);
  for (const [k, v] of expected) expected.set(k, v.sort());
  expect(Object.fromEntries(release)).toEqual(Object.fromEntries(expected));

  // Names unique and within 80 characters; gates named after their group's state.
  const names = states.map(([name]) => name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => n.length > 80)).toEqual([]);
  for (const [name, state] of states.filter(([, s]) => isGate(s))) {
    const gated = plan.groups.find((g) => g.name === state.Parameters?.Payload?.gate?.group)!;
    expect(name).toBe(gateStateName(gated.names.state));
  }

  // Stats: gates counted, and their history events.
  const tasks = states.filter(([, s]) => s.Type === 'Task' && !isGate(s)).length;
  const syncTasks = states.filter(([, s]) => s.Resource?.endsWith('.sync')).length;
  const parallels = states.filter(([, s]) => s.Type === 'Parallel').length;
  expect(built.stats).toMatchObject({ tasks, parallels, gates: gates.size, states: states.length });
  expect(built.stats.estimatedHistoryEvents).toBe(
    HISTORY_EVENTS.execution +
      HISTORY_EVENTS.lambdaTask * (tasks - syncTasks) +
      HISTORY_EVENTS.syncTask * syncTasks +
      HISTORY_EVENTS.callbackTask * gates.size +
      HISTORY_EVENTS.parallel * parallels,
  );
  return gates;
}

describe('schedule exact: hand cases', () => {
  it('the N (a→c, b→c, b→d): d follows b in its branch, c waits behind a gate for a and b', () => {
    const plan = planFrom({ a: [], b: [], c: ['a', 'b'], d: ['b'] });
    const built = build(plan);
    const gates = checkExact(plan, built);
    expect(Object.fromEntries(gates)).toEqual({ c: ['a', 'b'] });
    const top = parsed(built).States[parsed(built).StartAt] as State;
    expect(top.Type).toBe('Parallel');
    const shapes = (top.Branches ?? []).map((b) => chainStates(b).map(([name]) => name));
    expect(shapes).toEqual([['a'], ['b', 'd'], ['Gate c', 'c']]);

    const gate = parsed(built).States[parsed(built).StartAt]!.Branches![2]!.States['Gate c'] as State;
    expect(gate).toMatchObject({
      Type: 'Task',
      Resource: LAMBDA_CALLBACK_RESOURCE,
      Parameters: {
        FunctionName: `${ARN_PREFIX}${plan.groups[2]!.names.lambdaFunction}`,
        Payload: { gate: { group: 'c', after: ['a', 'b'], 'run_id.$': '$.run_id', 'token.$': '$$.Task.Token' } },
      },
      ResultPath: null,
      Retry: [LAMBDA_SERVICE_RETRY],
      Next: 'c',
    });
    // The longest its groups can take: a's or b's Task with every service retry, plus the margin.
    const task = 900 + TASK_TIMEOUT_MARGIN_SECONDS;
    const worst = task * (1 + LAMBDA_SERVICE_RETRY.MaxAttempts) + 60 * LAMBDA_SERVICE_RETRY.MaxAttempts;
    expect(gate.TimeoutSeconds).toBe(worst + GATE_MARGIN_SECONDS);
    // a and b release c; the run id and the params still reach every group.
    const a = (top.Branches![0]!.States.a as State).Parameters!.Payload!;
    expect(a).toMatchObject({
      group: 'a',
      release: ['c'],
      'run_id.$': '$.run_id',
      'runtime_params.$': '$.runtime_params',
    });
    expect((top.Branches![1]!.States.d as State).Parameters!.Payload!.release).toBeUndefined();
  });

  it('a series-parallel graph gets no gate: exact is the dag machine', () => {
    const specs: Record<string, string[]>[] = [
      { a: [], b: ['a'], c: ['b'] },
      { dp: [], ds: ['dp'], rep: ['dp'] },
      { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] },
      { a: [], b: [], c: [] },
    ];
    for (const spec of specs) {
      const plan = planFrom(spec);
      const exact = build(plan, 'exact');
      checkExact(plan, exact);
      expect(exact.stats.gates).toBe(0);
      const dag = parsed(build(plan, 'dag'));
      expect({ ...parsed(exact), Comment: '' }).toEqual({ ...dag, Comment: '' });
    }
  });

  it('only the part that is not series-parallel gets gates: a chain before and after an N stays a chain', () => {
    const plan = planFrom({ s: [], a: ['s'], b: ['s'], c: ['a', 'b'], d: ['b'], t: ['c', 'd'] });
    const built = build(plan);
    const gates = checkExact(plan, built);
    expect([...gates.keys()]).toEqual(['c']);
    const top = chainStates(parsed(built)).map(([name, state]) => (state.Type === 'Parallel' ? 'P' : name));
    expect(top).toEqual(['s', 'P', 't']);
  });

  it('a SageMaker group releases through its training job environment; one behind a gate opens on the gate function', () => {
    const sagemaker = {
      roleArn: 'arn:aws:iam::123456789012:role/kedro-sagemaker',
      imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/spaceflights@sha256:${'ab'.repeat(32)}`,
      outputPath: 's3://spaceflights-data/.kedro-aws/spaceflights/dev/sagemaker/',
      environment: {},
      tags: {},
    };
    const nShape = [group('a'), group('b'), group('c', ['a', 'b']), group('d', ['b'])];
    const releasing = planOf(nShape, { groups: { b: { compute: 'sagemaker' } } });
    const built = build(releasing, 'exact', { sagemaker });
    const states = new Map(allStates(parsed(built)));
    const environment = (states.get('b')!.Parameters as { Environment: Record<string, string> }).Environment;
    expect(JSON.parse(environment.KEDRO_AWS_RELEASE!)).toEqual(['c']);
    // The dag machine has no gate, so nothing to release.
    const dag = new Map(allStates(parsed(build(releasing, 'dag', { sagemaker }))));
    expect((dag.get('b')!.Parameters as { Environment: Record<string, string> }).Environment).not.toHaveProperty(
      'KEDRO_AWS_RELEASE',
    );
    const gated = planOf(nShape, { groups: { c: { compute: 'sagemaker' } } });
    const gateFunctionArn = `${ARN_PREFIX}spaceflights-dev-a`;
    const gatedBuilt = build(gated, 'exact', { sagemaker, gateFunctionArn });
    expect(new Map(allStates(parsed(gatedBuilt))).get('Gate c')!.Parameters!.FunctionName).toBe(gateFunctionArn);
  });

  it('a gated Batch group opens on the gate function, and a Batch group releases through its job environment', () => {
    const plan = planOf([group('a'), group('b'), group('c', ['a', 'b']), group('d', ['b'])], {
      groups: { c: { compute: 'batch' }, b: { compute: 'batch' } },
    });
    const problems = problemsOf(() => build(plan, 'exact', { batch: BATCH }));
    expect(problems.join('\n')).toMatch(/group "c" \(compute: batch\) behind a gate.*Lambda function/s);
    const gateFunctionArn = `${ARN_PREFIX}spaceflights-dev-a`;
    const built = build(plan, 'exact', { batch: BATCH, gateFunctionArn });
    checkExact(plan, built);
    const states = new Map(allStates(parsed(built)));
    expect(states.get('Gate c')!.Parameters!.FunctionName).toBe(gateFunctionArn);
    expect(states.get('b')!.Parameters!.ContainerOverrides!.Environment).toEqual([
      { Name: 'KEDRO_AWS_RELEASE', Value: '["c"]' },
    ]);
    // A gate after a Batch group allows for the Batch Task's whole timeout (its attempts, the queue).
    expect(states.get('Gate c')!.TimeoutSeconds).toBe(
      Math.max(states.get('b')!.TimeoutSeconds!, (900 + 60) * 7 + 360) + GATE_MARGIN_SECONDS,
    );
  });

  it('gate names stay within 80 characters and apart from every group state', () => {
    const long = 'x'.repeat(100);
    const plan = planFrom({ a: [], b: [], [long]: ['a', 'b'], d: ['b'] });
    const built = build(plan);
    checkExact(plan, built);
    const gated = plan.groups.find((g) => g.name === long)!;
    expect(gateStateName(gated.names.state)).toMatch(/^Gate x+-[0-9a-f]{8}$/);
    expect(gateStateName(gated.names.state).length).toBeLessThanOrEqual(80);
  });

  it('a gate never waits more than a year, the longest an execution lasts', () => {
    // Long Batch groups before the gate would otherwise add up past it (10 attempts of 40 days each).
    const groups = [group('a'), group('b'), group('z', ['a', 'b']), group('y', ['b'])];
    const batch = Object.fromEntries(
      groups.map((g) => [g.name, { compute: 'batch', retries: 9, timeout_seconds: 40 * 86_400 }]),
    );
    const plan = planOf(groups, { groups: { ...batch, z: { compute: 'lambda' } } });
    const built = build(plan, 'exact', { batch: BATCH, gateFunctionArn: `${ARN_PREFIX}f` });
    const gate = new Map(allStates(parsed(built))).get('Gate z')!;
    expect(gate.TimeoutSeconds).toBe(MAX_GATE_TIMEOUT_SECONDS);
  });

  it('the history estimate counts each gate as a callback Task, and refuses a run past the quota', () => {
    // Side by side Ns: every c_i needs a_i and b_i, every d_i needs b_i: 4,000 groups, 1,000 gates.
    const groups: Group[] = [];
    for (let i = 0; i < 1000; i += 1) {
      groups.push(group(`a${i}`), group(`b${i}`), group(`c${i}`, [`a${i}`, `b${i}`]), group(`d${i}`, [`b${i}`]));
    }
    const plan = planOf(groups);
    const problems = problemsOf(() => build(plan));
    expect(problems.join('\n')).toMatch(/4,000 Task states × 5, 1,000 gates × 6/);
  });
});

// ---------------------------------------------------------------------------------------------
// Random DAGs.

const randomPlan: fc.Arbitrary<DeploymentPlan> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), { minLength: 1, maxLength: 40, size: 'max' })
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
        const p = Math.min(1, (density * 4) / Math.max(1, names.length - 1));
        let k = 0;
        return planOf(
          names.map((name, j) => {
            const deps: string[] = [];
            for (let i = 0; i < j; i += 1) {
              if ((bits[k] as number) < p) deps.push(names[i] as string);
              k += 1;
            }
            return group(name, deps);
          }),
        );
      }),
  );

describe('schedule exact: random DAGs', () => {
  it('valid ASL; every group waits for exactly its dependencies; gates only where dag adds waits', () => {
    const seen = { gated: 0, none: 0 };
    fc.assert(
      fc.property(randomPlan, (plan) => {
        const built = build(plan);
        const gates = checkExact(plan, built);
        const dag = build(plan, 'dag');
        // Gates exactly where nesting alone cannot be exact.
        expect(gates.size > 0).toBe(dag.stats.extraWaits > 0);
        // A gate waits for two or more groups, none of which depends on another.
        const anc = ancestorsOf(plan);
        for (const after of gates.values()) {
          expect(after.length).toBeGreaterThanOrEqual(2);
          for (const x of after) for (const y of after) expect(anc.get(x)?.has(y)).toBeFalsy();
        }
        seen[gates.size > 0 ? 'gated' : 'none'] += 1;
        // Each group's Task is a Lambda invoke as with the other schedules.
        for (const [, s] of allStates(parsed(built))) {
          if (s.Type === 'Task' && !isGate(s)) expect(s.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
        }
      }),
      { numRuns: 60 },
    );
    expect(seen.gated).toBeGreaterThanOrEqual(10);
    expect(seen.none).toBeGreaterThanOrEqual(10);
  });

  it('a big plan far from series-parallel: valid and exact, quickly', () => {
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
    const gates = checkExact(plan, built);
    expect(gates.size).toBeGreaterThan(0);
  });
});

describe('schedule auto (the default): exact where it can be made, else dag saying why', () => {
  /** The definition of `plan` with `schedule` (none: the default). */
  const make = (plan: DeploymentPlan, schedule?: ScheduleChoice, extra: object = {}) =>
    buildDefinition(plan, {
      ...(schedule ? { schedule } : {}),
      env: 'aws',
      packageName: 'spaceflights',
      functionArn: (g) => `${ARN_PREFIX}${g.names.lambdaFunction}`,
      ...extra,
    });
  const build = (plan: DeploymentPlan, schedule?: 'auto', extra: object = {}) => make(plan, schedule, extra);
  const exactly = (plan: DeploymentPlan, extra: object = {}) => make(plan, 'exact', extra);
  const dag = (plan: DeploymentPlan, extra: object = {}) => make(plan, 'dag', extra);

  it('is exact on the N, gates and all, and is the default', () => {
    const plan = planFrom({ a: [], b: [], c: ['a', 'b'], d: ['b'] });
    for (const built of [build(plan, 'auto'), build(plan)]) {
      expect(built.schedule).toBe('exact');
      expect(built.fallback).toBeUndefined();
      expect(built.stats.gates).toBe(1);
      expect(built.definition.States).toEqual(exactly(plan).definition.States);
    }
  });

  it('is the dag definition on a series-parallel graph (no gate)', () => {
    const plan = planFrom({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const built = build(plan);
    expect(built.stats.gates).toBe(0);
    expect(built.definition.States).toEqual(dag(plan).definition.States);
  });

  it('falls back to dag, saying why, where a gated Batch group has no Lambda function to open its gate', () => {
    const plan = planOf([group('a', []), group('b', []), group('c', ['a', 'b']), group('d', ['b'])], {
      defaults: { compute: 'batch' },
    });
    const extra = { batch: BATCH };
    // Explicit exact is refused, naming the group and the fix.
    expect(problemsOf(() => exactly(plan, extra)).join('\n')).toMatch(/group "c" \(compute: batch\) behind a gate/);
    const built = build(plan, 'auto', extra);
    expect(built.schedule).toBe('dag');
    expect(built.stats.gates).toBe(0);
    expect(built.definition.States).toEqual(dag(plan, extra).definition.States);
    expect(built.fallback?.join('\n')).toMatch(/needs a Lambda function of the stage to open it/);
  });

  it('refuses what dag refuses too (a plan without groups), as dag would', () => {
    const empty = planOf([group('a', [])]);
    const none = { ...empty, groups: [] };
    expect(() => build(none)).toThrow(/the plan has no groups/);
  });
});
