/**
 * The group DAG: which Kedro group waits for which.
 *
 * An edge goes from a group to each of its `dependencies` (the groups whose outputs it reads), as
 * `Pipeline.group_nodes_by("namespace")` reports them. Every function here is deterministic: names
 * are compared by UTF-16 code units (`<`), never by locale, so the same plan gives the same order on
 * every machine.
 *
 * Pure: no I/O.
 */
import { PlanningError, quote, quoteList } from './errors';

/** The part of a plan group the graph needs. */
export interface GroupNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** Adjacency of the group DAG. Lists are deduplicated and sorted. */
export interface GroupGraph {
  /** Every group name, sorted. */
  readonly names: readonly string[];
  /** Group → the groups it depends on. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Group → the groups that depend on it. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

/** Sort strings by code units: locale-independent, so deterministic everywhere. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byName);
}

/**
 * Problems that make the groups not a graph at all: a name used by two groups, or a dependency that
 * names no group. Empty when the groups are well-formed (a cycle is checked separately).
 */
export function dependencyProblems(groups: readonly GroupNode[]): string[] {
  const problems: string[] = [];
  const names = groups.map((g) => g.name);
  const known = new Set(names);
  const duplicates = sortedUnique(names.filter((n, i) => names.indexOf(n) !== i));
  if (duplicates.length > 0) {
    problems.push(`the plan has more than one group named ${quoteList(duplicates)}; group names must be unique.`);
  }
  const real = sortedUnique(names);
  for (const group of groups) {
    const missing = sortedUnique(group.dependencies.filter((d) => !known.has(d)));
    for (const dep of missing) {
      problems.push(
        `group ${quote(group.name)} depends on ${quote(dep)}, which is not a group of this pipeline ` +
          `(the groups are ${quoteList(real)}).`,
      );
    }
  }
  return problems;
}

/**
 * Build the adjacency of the groups.
 *
 * @throws PlanningError listing every {@link dependencyProblems} problem.
 */
export function buildGraph(groups: readonly GroupNode[]): GroupGraph {
  const problems = dependencyProblems(groups);
  if (problems.length > 0) throw new PlanningError(problems);

  const names = sortedUnique(groups.map((g) => g.name));
  const dependencies = new Map<string, string[]>();
  const dependents = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const group of groups) {
    const deps = sortedUnique(group.dependencies);
    dependencies.set(group.name, deps);
    for (const dep of deps) dependents.get(dep)?.push(group.name);
  }
  for (const list of dependents.values()) list.sort(byName);
  return { names, dependencies, dependents };
}

function depsOf(graph: GroupGraph, name: string): readonly string[] {
  return graph.dependencies.get(name) ?? [];
}

/**
 * A cycle in the graph, or null when there is none.
 *
 * The cycle is returned as the groups on it, each depending on the next and the last on the first
 * (`['a', 'b']`: `a` depends on `b`, which depends on `a`; a group depending on itself gives `['a']`).
 * The search visits groups and dependencies in name order, so the same graph gives the same cycle.
 */
export function findCycle(graph: GroupGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of graph.names) {
    if (state.has(start)) continue;
    // Iterative depth-first search; `path` is the chain of open groups.
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as string;
      const deps = depsOf(graph, node);
      const index = next[top] as number;
      if (index >= deps.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const dep = deps[index] as string;
      const seen = state.get(dep);
      if (seen === 'open') return path.slice(path.indexOf(dep));
      if (seen === undefined) {
        state.set(dep, 'open');
        path.push(dep);
        next.push(0);
      }
    }
  }
  return null;
}

/** A sentence naming the groups on a cycle, for a {@link PlanningError}. */
export function cycleProblem(cycle: readonly string[]): string {
  const first = cycle[0] ?? '';
  if (cycle.length <= 1) return `group ${quote(first)} depends on itself.`;
  const chain = [...cycle, first].map((g) => quote(g)).join(' → ');
  return (
    `the groups ${quoteList([...cycle])} depend on each other in a cycle (${chain}, each depending on the next); ` +
    'Step Functions and Batch need an order, so break the cycle in the pipeline.'
  );
}

/**
 * Every group after all of its dependencies; among groups that are ready at the same time, the
 * smaller name first (Kahn's algorithm with a name-ordered ready list).
 *
 * @throws PlanningError naming the groups on a cycle.
 */
export function topologicalOrder(graph: GroupGraph): string[] {
  const waiting = new Map<string, number>(graph.names.map((n) => [n, depsOf(graph, n).length]));
  const ready = graph.names.filter((n) => waiting.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const dependent of graph.dependents.get(name) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) insertSorted(ready, dependent);
    }
  }
  if (order.length < graph.names.length) {
    throw new PlanningError([cycleProblem(findCycle(graph) ?? graph.names.filter((n) => !order.includes(n)))]);
  }
  return order;
}

function insertSorted(list: string[], value: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

/**
 * Groups by dependency level, as the Kedro deployment guides chain them: level 0 holds the groups
 * with no dependencies, level k the groups whose deepest dependency is at level k-1. Each level is
 * sorted by name.
 *
 * @throws PlanningError naming the groups on a cycle.
 */
export function dependencyLevels(graph: GroupGraph): string[][] {
  const level = new Map<string, number>();
  for (const name of topologicalOrder(graph)) {
    const deps = depsOf(graph, name);
    level.set(name, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => level.get(d) ?? 0)));
  }
  const levels: string[][] = [];
  for (const name of graph.names) {
    const k = level.get(name) ?? 0;
    while (levels.length <= k) levels.push([]);
    (levels[k] as string[]).push(name);
  }
  return levels;
}

/**
 * Every group's transitive dependencies (everything it must wait for, directly or not).
 *
 * @throws PlanningError naming the groups on a cycle.
 */
export function ancestors(graph: GroupGraph): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const name of topologicalOrder(graph)) {
    const all = new Set<string>();
    for (const dep of depsOf(graph, name)) {
      all.add(dep);
      for (const further of result.get(dep) ?? []) all.add(further);
    }
    result.set(name, all);
  }
  return result;
}

/**
 * The transitive reduction: for each group, only the dependencies that are not already implied by
 * another of its dependencies (if `c` depends on `a` and `b`, and `b` on `a`, `c` keeps only `b`).
 * For a DAG this is the unique smallest edge set with the same reachability. Lists are sorted.
 *
 * @throws PlanningError naming the groups on a cycle.
 */
export function transitiveReduction(graph: GroupGraph): Map<string, string[]> {
  const reach = ancestors(graph);
  const reduced = new Map<string, string[]>();
  for (const name of graph.names) {
    const deps = depsOf(graph, name);
    reduced.set(
      name,
      deps.filter((dep) => !deps.some((other) => other !== dep && (reach.get(other)?.has(dep) ?? false))),
    );
  }
  return reduced;
}
