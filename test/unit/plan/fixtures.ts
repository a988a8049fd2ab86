/** Small builders for plan.json-shaped test data. */
import type { Group, Plan } from '../../../src/plan/schema';

/** A group with just a name and dependencies; one node named after the group. */
export function group(name: string, dependencies: string[] = [], type: Group['type'] = 'namespace'): Group {
  return { name, type, nodes: [`${name}.node`], dependencies, inputs: [], outputs: [] };
}

/** A valid plan around the given groups (Spaceflights-like by default). */
export function makePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    schema_version: 1,
    project: {
      name: 'Spaceflights',
      package_name: 'spaceflights',
      kedro_version: '1.0.0',
      python_version: '3.12.0',
    },
    pipeline: '__default__',
    env: 'aws',
    runtime_params: {},
    groups: [
      group('data_processing'),
      group('data_science', ['data_processing']),
      group('reporting', ['data_processing']),
    ],
    datasets: [],
    settings: {},
    warnings: [],
    ...overrides,
  };
}

/** The problems of the PlanningError thrown by `fn` (fails the test if it does not throw one). */
export function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    const problems = (error as { problems?: readonly string[] }).problems;
    if (error instanceof Error && error.name === 'PlanningError' && problems) return problems;
    throw error;
  }
  throw new Error('expected a PlanningError, but nothing was thrown');
}
