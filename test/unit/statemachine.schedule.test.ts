/**
 * The scheduler under the state machine generator (src/plan/spschedule.ts): the same guarantees,
 * also when its split search runs out of budget and falls back to level barriers inside a sub-graph.
 * "Who waits for whom" is read from the schedule's structure (a sequence runs its steps one after
 * another, a parallel block its branches side by side).
 */
import fc from 'fast-check';
import { dagSchedule, levelSchedule, type ScheduleGroup, type ScheduleNode } from '../../src/plan/spschedule';

/** Group index → the groups finished before it starts, read from the structure. */
function waitsFor(root: ScheduleNode, n: number): Set<number>[] {
  const waits: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(n);
  const walk = (node: ScheduleNode, before: ReadonlySet<number>): Set<number> => {
    switch (node.kind) {
      case 'task':
        if (waits[node.group]) throw new Error(`group ${node.group} runs twice`);
        waits[node.group] = new Set(before);
        return new Set([node.group]);
      case 'parallel': {
        const all = new Set<number>();
        for (const branch of node.branches) for (const g of walk(branch, before)) all.add(g);
        return all;
      }
      case 'sequence': {
        const done = new Set(before);
        const all = new Set<number>();
        for (const step of node.steps) {
          for (const g of walk(step, done)) {
            done.add(g);
            all.add(g);
          }
        }
        return all;
      }
    }
  };
  walk(root, new Set());
  return waits.map((w, i) => {
    if (!w) throw new Error(`group ${i} never runs`);
    return w;
  });
}

interface Dag {
  readonly groups: ScheduleGroup[];
  readonly ancestors: Set<number>[];
  readonly levels: number[];
}

function dagOf(deps: number[][]): Dag {
  const ancestors: Set<number>[] = [];
  const levels: number[] = [];
  deps.forEach((d) => {
    const all = new Set<number>();
    for (const i of d) {
      all.add(i);
      for (const x of ancestors[i] as Set<number>) all.add(x);
    }
    ancestors.push(all);
    levels.push(d.length === 0 ? 0 : 1 + Math.max(...d.map((i) => levels[i] as number)));
  });
  return { groups: deps.map((d, j) => ({ name: `g${j}`, dependencies: d.map((i) => `g${i}`) })), ancestors, levels };
}

/** Random DAGs of 1 to 40 groups, dependencies on earlier groups only, sparse to dense. */
const randomDeps: fc.Arbitrary<number[][]> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
    )
    .map(([density, bits]) => {
      const p = Math.min(1, (density * density * 6) / Math.max(1, n - 1));
      return Array.from({ length: n }, (_, j) =>
        Array.from({ length: j }, (_, i) => i).filter((i) => (bits[j * n + i] as number) < p),
      );
    }),
);

function expectSafe(dag: Dag, root: ScheduleNode): number {
  const waits = waitsFor(root, dag.groups.length);
  const problems: string[] = [];
  let extra = 0;
  waits.forEach((w, x) => {
    for (const y of dag.ancestors[x] as Set<number>) if (!w.has(y)) problems.push(`${x} does not wait for ${y}`);
    for (const y of w) if ((dag.levels[y] as number) >= (dag.levels[x] as number)) problems.push(`${x} waits for ${y}`);
    extra += w.size - (dag.ancestors[x] as Set<number>).size;
  });
  expect(problems).toEqual([]);
  return extra;
}

describe('dagSchedule', () => {
  it.each([
    ['the full search', undefined],
    ['a search that gives up at once', 0],
    ['a search that gives up part-way', 300],
  ])('with %s: every group after its dependencies and within the level barriers', (_label, workBudget) => {
    fc.assert(
      fc.property(randomDeps, (deps) => {
        const dag = dagOf(deps);
        const schedule = dagSchedule(dag.groups, workBudget === undefined ? {} : { workBudget });
        const extra = expectSafe(dag, schedule.root);
        expect(schedule.extraWaitCount).toBe(extra);
        expect(schedule.extraWaits.length > 0).toBe(extra > 0);
        const waits = waitsFor(schedule.root, deps.length);
        for (const wait of schedule.extraWaits) {
          expect(waits[wait.waiter]?.has(wait.waitsFor)).toBe(true);
          expect(dag.ancestors[wait.waiter]?.has(wait.waitsFor)).toBe(false);
        }
        if (workBudget === undefined) expect(schedule.exact).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a series-parallel DAG needs no search at all, whatever the budget', () => {
    // ((a → b) ∥ c) → d, then (e ∥ f)
    const dag = dagOf([[], [0], [], [1, 2], [3], [3]]);
    const schedule = dagSchedule(dag.groups, { workBudget: 0 });
    expect(schedule.exact).toBe(true);
    expect(schedule.extraWaitCount).toBe(0);
    expect(expectSafe(dag, schedule.root)).toBe(0);
  });

  it('names the N behind a sync point: c needs a and b, d needs b but not a', () => {
    const dag = dagOf([[], [], [0, 1], [1]]);
    const schedule = dagSchedule(dag.groups);
    expect(schedule.extraWaits).toEqual([
      { waiter: 3, waitsFor: 0, barrier: expect.objectContaining({ kind: 'split', level: 1 }), witness: [0, 1, 2, 3] },
    ]);
  });

  it('falls back to level barriers inside the sub-graph only, and says so', () => {
    // The N next to an independent chain: only the N's groups are run level by level.
    const dag = dagOf([[], [], [0, 1], [1], [], [4], [5]]);
    const schedule = dagSchedule(dag.groups, { workBudget: 0 });
    expect(schedule.exact).toBe(false);
    expect(schedule.extraWaits.map((w) => [w.waiter, w.waitsFor, w.barrier.kind])).toEqual([[3, 0, 'levels-within']]);
    expect(schedule.extraWaits[0]?.barrier.groups).toEqual([0, 1, 2, 3]);
    expect(expectSafe(dag, schedule.root)).toBe(1);
  });

  it('refuses groups that do not come after their dependencies (an internal error)', () => {
    expect(() =>
      dagSchedule([
        { name: 'b', dependencies: ['a'] },
        { name: 'a', dependencies: [] },
      ]),
    ).toThrow(/not listed before it/);
  });
});

describe('levelSchedule', () => {
  it('every group waits for exactly the groups of lower levels', () => {
    fc.assert(
      fc.property(randomDeps, (deps) => {
        const dag = dagOf(deps);
        const waits = waitsFor(levelSchedule(dag.groups).root, deps.length);
        waits.forEach((w, x) => {
          const lower = dag.levels.flatMap((l, y) => (l < (dag.levels[x] as number) ? [y] : []));
          expect([...w].sort((a, b) => a - b)).toEqual(lower);
        });
      }),
      { numRuns: 100 },
    );
  });
});
