import { PlanningError } from '../../../src/plan/errors';
import {
  ancestors,
  buildGraph,
  cycleProblem,
  dependencyLevels,
  dependencyProblems,
  findCycle,
  topologicalOrder,
  transitiveReduction,
} from '../../../src/plan/graph';
import { group, problemsOf } from './fixtures';

const spaceflights = [
  group('reporting', ['data_processing']),
  group('data_science', ['data_processing']),
  group('data_processing'),
];

describe('buildGraph', () => {
  it('builds sorted, deduplicated adjacency both ways', () => {
    const graph = buildGraph([group('b', ['a', 'a']), group('a'), group('c', ['b', 'a'])]);
    expect(graph.names).toEqual(['a', 'b', 'c']);
    expect(graph.dependencies.get('b')).toEqual(['a']);
    expect(graph.dependencies.get('c')).toEqual(['a', 'b']);
    expect(graph.dependents.get('a')).toEqual(['b', 'c']);
    expect(graph.dependents.get('c')).toEqual([]);
  });

  it('rejects a dependency on a group that does not exist, naming both and the real groups', () => {
    const problems = problemsOf(() => buildGraph([group('a'), group('b', ['ghost'])]));
    expect(problems).toEqual([
      'group "b" depends on "ghost", which is not a group of this pipeline (the groups are "a" and "b").',
    ]);
  });

  it('rejects two groups with the same name', () => {
    expect(dependencyProblems([group('a'), group('a')])[0]).toContain('"a"');
  });
});

describe('cycles', () => {
  it('finds no cycle in a DAG', () => {
    expect(findCycle(buildGraph(spaceflights))).toBeNull();
  });

  it('names the groups on a cycle, in dependency order', () => {
    const graph = buildGraph([group('a', ['c']), group('b', ['a']), group('c', ['b']), group('d', ['a'])]);
    expect(findCycle(graph)).toEqual(['a', 'c', 'b']);
  });

  it('reports a group that depends on itself', () => {
    const graph = buildGraph([group('solo', ['solo'])]);
    expect(findCycle(graph)).toEqual(['solo']);
    expect(cycleProblem(['solo'])).toBe('group "solo" depends on itself.');
  });

  it('makes the topological order throw a PlanningError that names the cycle', () => {
    const graph = buildGraph([group('x', ['y']), group('y', ['x']), group('z')]);
    const problems = problemsOf(() => topologicalOrder(graph));
    expect(problems[0]).toContain('"x" → "y" → "x"');
    expect(problems[0]).not.toContain('"z"');
    expect(() => dependencyLevels(graph)).toThrow(PlanningError);
  });
});

describe('topologicalOrder', () => {
  it('puts Spaceflights in dependency order, ties by name', () => {
    expect(topologicalOrder(buildGraph(spaceflights))).toEqual(['data_processing', 'data_science', 'reporting']);
  });

  it('prefers the smallest ready name at every step', () => {
    const graph = buildGraph([group('z'), group('m', ['z']), group('a', ['z']), group('b')]);
    expect(topologicalOrder(graph)).toEqual(['b', 'z', 'a', 'm']);
  });
});

describe('dependencyLevels', () => {
  it('matches the deployment guide: one level per longest dependency chain', () => {
    expect(dependencyLevels(buildGraph(spaceflights))).toEqual([['data_processing'], ['data_science', 'reporting']]);
  });

  it('puts a group one level after its deepest dependency', () => {
    const graph = buildGraph([group('a'), group('b', ['a']), group('c', ['b']), group('d', ['a', 'c']), group('e')]);
    expect(dependencyLevels(graph)).toEqual([['a', 'e'], ['b'], ['c'], ['d']]);
  });
});

describe('transitiveReduction', () => {
  it('drops a dependency implied by another one', () => {
    const graph = buildGraph([group('a'), group('b', ['a']), group('c', ['a', 'b'])]);
    expect(transitiveReduction(graph).get('c')).toEqual(['b']);
    expect(ancestors(graph).get('c')).toEqual(new Set(['a', 'b']));
  });

  it('keeps independent dependencies', () => {
    const graph = buildGraph([group('a'), group('b'), group('c', ['b', 'a'])]);
    expect(transitiveReduction(graph).get('c')).toEqual(['a', 'b']);
  });

  it('drops long-range edges in a diamond with a shortcut', () => {
    const graph = buildGraph([group('s'), group('l', ['s']), group('r', ['s']), group('t', ['l', 'r', 's'])]);
    const reduced = transitiveReduction(graph);
    expect(reduced.get('t')).toEqual(['l', 'r']);
    expect(reduced.get('l')).toEqual(['s']);
  });
});
