/**
 * Property tests on random group DAGs: names with unicode and punctuation, random edges i < j.
 */
import fc from 'fast-check';
import {
  buildGraph,
  dependencyLevels,
  findCycle,
  topologicalOrder,
  transitiveReduction,
} from '../../../src/plan/graph';
import { awsName, awsNameSet, cleanStage, NAME_KINDS, NAME_RULES, SAFE_NAME_PATTERN } from '../../../src/plan/names';
import { buildPlan } from '../../../src/plan/planner';
import type { Group } from '../../../src/plan/schema';
import { group, makePlan } from './fixtures';

/** Group names as Kedro users might write them, and worse. */
const groupName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
  fc.constantFrom('...', 'a.b', 'a,b', 'a b', 'Data', 'data', '_x', '-', 'x'.repeat(200), 'ü'.repeat(90)),
  fc.stringMatching(/^[a-z_.]{100,300}$/),
);

interface Dag {
  readonly groups: Group[];
  /** Edges as [dependent, dependency] pairs of names. */
  readonly edges: [string, string][];
}

/** A random DAG: unique names, an edge j → i (j depends on i) only for i < j, groups shuffled. */
const dag: fc.Arbitrary<Dag> = fc.uniqueArray(groupName, { minLength: 1, maxLength: 20 }).chain((names) =>
  fc
    .record({
      pairs: fc.array(fc.tuple(fc.nat(names.length - 1), fc.nat(names.length - 1)), { maxLength: 60 }),
      order: fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
    })
    .map(({ pairs, order }) => {
      const deps = new Map<string, string[]>(names.map((n) => [n, []]));
      const edges: [string, string][] = [];
      for (const [a, b] of pairs) {
        if (a === b) continue;
        const dependency = names[Math.min(a, b)] as string;
        const dependent = names[Math.max(a, b)] as string;
        deps.get(dependent)?.push(dependency);
        edges.push([dependent, dependency]);
      }
      return { groups: order.map((n) => group(n, deps.get(n) ?? [])), edges };
    }),
);

/** Everything reachable from `start` through `deps` (not including `start` unless on a cycle). */
function reachable(deps: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(deps.get(start) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

const RUNS = { numRuns: 150 };

describe('random DAGs', () => {
  it('the topological order puts every group after all its dependencies', () => {
    fc.assert(
      fc.property(dag, ({ groups }) => {
        const order = topologicalOrder(buildGraph(groups));
        expect([...order].sort()).toEqual(groups.map((g) => g.name).sort());
        const position = new Map(order.map((n, i) => [n, i]));
        for (const g of groups) {
          for (const d of g.dependencies) expect(position.get(d)).toBeLessThan(position.get(g.name) as number);
        }
      }),
      RUNS,
    );
  });

  it('the order does not depend on the order groups are listed in', () => {
    fc.assert(
      fc.property(dag, ({ groups }) => {
        const reversed = [...groups].reverse();
        expect(topologicalOrder(buildGraph(reversed))).toEqual(topologicalOrder(buildGraph(groups)));
      }),
      RUNS,
    );
  });

  it('levels put every group one level after its deepest dependency', () => {
    fc.assert(
      fc.property(dag, ({ groups }) => {
        const levels = dependencyLevels(buildGraph(groups));
        const levelOf = new Map(levels.flatMap((names, k) => names.map((n) => [n, k] as const)));
        expect(levelOf.size).toBe(groups.length);
        for (const level of levels) expect(level.length).toBeGreaterThan(0);
        for (const g of groups) {
          const expected =
            g.dependencies.length === 0 ? 0 : 1 + Math.max(...g.dependencies.map((d) => levelOf.get(d) as number));
          expect(levelOf.get(g.name)).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('transitive reduction keeps reachability and is minimal', () => {
    fc.assert(
      fc.property(dag, ({ groups }) => {
        const graph = buildGraph(groups);
        const reduced = transitiveReduction(graph);
        for (const name of graph.names) {
          const kept = reduced.get(name) ?? [];
          for (const d of kept) expect(graph.dependencies.get(name)).toContain(d);
          expect(reachable(reduced, name)).toEqual(reachable(graph.dependencies, name));
          // Minimal: without any one kept edge, its target is no longer reachable.
          for (const d of kept) {
            const without = new Map(reduced);
            without.set(
              name,
              kept.filter((x) => x !== d),
            );
            expect(reachable(without, name).has(d)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('a back edge makes a cycle that is found and is a real cycle', () => {
    fc.assert(
      fc.property(
        dag.filter((d) => d.edges.length > 0),
        fc.nat(),
        ({ groups, edges }, pick) => {
          const [dependent, dependency] = edges[pick % edges.length] as [string, string];
          const cyclic = groups.map((g) =>
            g.name === dependency ? { ...g, dependencies: [...g.dependencies, dependent] } : g,
          );
          const graph = buildGraph(cyclic);
          const cycle = findCycle(graph);
          expect(cycle).not.toBeNull();
          const ring = cycle as string[];
          ring.forEach((name, i) => {
            const next = ring[(i + 1) % ring.length] as string;
            expect(graph.dependencies.get(name)).toContain(next);
          });
          expect(() => topologicalOrder(graph)).toThrow(/cycle|itself/);
        },
      ),
      RUNS,
    );
  });
});

describe('random names', () => {
  const prefix = fc.tuple(
    fc.oneof(fc.stringMatching(/^[a-z_]{1,40}$/), fc.string({ maxLength: 80 })),
    fc.stringMatching(/^[A-Za-z0-9/_.-]{0,60}$/),
  );

  it('names are valid, within the limit, unique in the set and stable, for every kind', () => {
    fc.assert(
      fc.property(fc.uniqueArray(groupName, { minLength: 1, maxLength: 20 }), prefix, (names, [project, stage]) => {
        for (const kind of NAME_KINDS) {
          const parts = kind === 'state' ? [] : [project, stage];
          const set = awsNameSet(kind, parts, names);
          const values = [...set.values()];
          expect(new Set(values.map((v) => v.toLowerCase())).size).toBe(names.length);
          for (const value of values) {
            expect(value.length).toBeGreaterThan(0);
            expect(value.length).toBeLessThanOrEqual(NAME_RULES[kind].maxLength);
            expect(value).toMatch(SAFE_NAME_PATTERN);
          }
          expect(awsNameSet(kind, parts, names)).toEqual(set);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('distinct originals get distinct names one at a time, too', () => {
    fc.assert(
      fc.property(groupName, groupName, (a, b) => {
        fc.pre(a !== b);
        for (const kind of NAME_KINDS) expect(awsName(kind, ['p', 'dev', a])).not.toBe(awsName(kind, ['p', 'dev', b]));
      }),
      { numRuns: 300 },
    );
  });

  it('a cleaned stage is short, lowercase and stable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (stage) => {
        let cleaned: string;
        try {
          cleaned = cleanStage(stage);
        } catch {
          expect(stage.toLowerCase()).not.toMatch(/[a-z0-9]/);
          return;
        }
        expect(cleaned).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
        expect(cleanStage(stage)).toBe(cleaned);
      }),
      { numRuns: 200 },
    );
  });

  it('buildPlan plans any random DAG, in dependency order, with valid names', () => {
    fc.assert(
      fc.property(dag, ({ groups }) => {
        const plan = buildPlan(makePlan({ groups }), { stage: 'pr-7' });
        const seen = new Set<string>();
        for (const g of plan.groups) {
          for (const d of g.dependencies) expect(seen.has(d)).toBe(true);
          seen.add(g.name);
          expect(g.names.lambdaFunction.length).toBeLessThanOrEqual(64);
          expect(g.names.state.length).toBeLessThanOrEqual(80);
          expect(g.names.batchJob).toMatch(/^[A-Za-z0-9]/);
        }
        expect(seen.size).toBe(groups.length);
      }),
      { numRuns: 100 },
    );
  });
});
