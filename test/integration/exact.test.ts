import type { DeploymentPlan } from '../../src/plan/planner';
import { buildDefinition, type ScheduleKind } from '../../src/plan/statemachine';
import { runLocally } from '../../src/targets/local/executor';
import {
  ancestors,
  type Deps,
  groupName,
  layeredDag,
  planOfDag,
  rng,
  type Span,
  simulate,
  standInRuntime,
  startLatencies,
} from '../support/gated';
import { createDataBuckets, PYTHON, resetMoto } from '../support/moto';

const RECORDS = 's3://kedro-aws-fixtures/.kedro-aws/gated';
/**
 * Longest between the event that lets a group go (its gate opening, its last dependency's Task ending)
 * and its Task being entered: the executor's own event loop, which at the start spawns some 60
 * processes at once (on 2 shared cores, that holds it up to about 1.5 s). The `dag` machine of this DAG
 * holds a group longer than this beyond its dependencies (first test), so the check can tell them apart.
 */
const START_SLACK_MS = 2000;

/** The 60-group DAG and its durations (0.2 to 3 s, log-uniform), the same in every run. */
function fixture(): { deps: Deps; plan: DeploymentPlan; seconds: number[] } {
  const next = rng(16);
  const deps = layeredDag(next, 60);
  const seconds = deps.map(() => Math.round(Math.exp(Math.log(0.2) + next() * Math.log(15)) * 100) / 100);
  return { deps, plan: planOfDag(deps), seconds };
}

function definitionOf(plan: DeploymentPlan, schedule: ScheduleKind, arn: (fn: string) => string) {
  return buildDefinition(plan, {
    schedule,
    env: 'aws',
    packageName: 'gated',
    functionArn: (g) => arn(g.names.lambdaFunction),
  });
}

/** The most any group would wait beyond its dependencies in the `dag` machine, with the same durations. */
function dagLongestExtraWait(plan: DeploymentPlan, deps: Deps, seconds: readonly number[]): number {
  const { definition } = definitionOf(plan, 'dag', (fn) => `arn:aws:lambda:us-east-1:123456789012:function:${fn}`);
  const spans = simulate(definition, (g) => seconds[Number(g.slice(1))] as number);
  const ordered = deps.map((_, j) => spans.get(groupName(j)) as Span);
  return Math.max(...startLatencies(deps, ordered, 0).waits);
}

function runId(): string {
  return new Date().toISOString().replace(/:/g, '.');
}

describe('schedule exact: a 60-group DAG that is not series-parallel', () => {
  const { deps, plan, seconds } = fixture();

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
  });

  test('the DAG is not series-parallel: dag adds waits, exact has gates, and dag would delay a group by seconds', () => {
    const dag = definitionOf(plan, 'dag', (fn) => fn);
    const exact = definitionOf(plan, 'exact', (fn) => fn);
    expect(dag.stats.extraWaits).toBeGreaterThan(0);
    expect(exact.stats.gates).toBeGreaterThan(5);
    expect(exact.stats.extraWaits).toBe(0);
    expect(dagLongestExtraWait(plan, deps, seconds)).toBeGreaterThan(START_SLACK_MS / 1000);
  });

  test('in the local executor: SUCCEEDED, every group after its dependencies and right after the last of them', async () => {
    const { actionPythonDir, image } = standInRuntime();
    const { definition } = definitionOf(plan, 'exact', (fn) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`);
    const durations = Object.fromEntries(seconds.map((s, i) => [groupName(i), s]));
    const lines: string[] = [];
    const result = await runLocally({
      definition,
      input: { run_id: runId(), runtime_params: { durations }, env: 'aws' },
      python: PYTHON,
      image,
      actionPythonDir,
      groupOfState: new Map(plan.groups.map((g) => [g.names.state, g.name])),
      // Room for every gate and every group at once, as on AWS: no group waits for a process slot.
      maxConcurrency: 2 * deps.length,
      log: (line) => lines.push(line),
      env: { KEDRO_AWS_RUN_RECORDS: `${RECORDS}/local/` },
    });
    expect({ status: result.status, failure: result.failure, log: lines.slice(-20) }).toMatchObject({
      status: 'SUCCEEDED',
    });
    // From the execution's times, in epoch ms: each group's Task (its process, by the executor's
    // clock), its work (the handler's own clock), each gate's storing and opening (the executor's).
    const work = deps.map((_, j) => {
      const r = result.groups[groupName(j)]!.result as { started: number; ended: number };
      return { start: r.started * 1000, end: r.ended * 1000 };
    });
    const task = deps.map((_, j) => {
      const r = result.groups[groupName(j)]!;
      return { entered: r.entered!.getTime(), start: r.start!.getTime(), end: r.end!.getTime() };
    });
    const above = ancestors(deps);
    const late: string[] = [];
    const heldBack: string[] = [];
    const releaseMs: number[] = [];
    for (const [j, d] of deps.entries()) {
      const g = groupName(j);
      for (const i of d) if (task[j]!.start < work[i]!.end) late.push(`${g} started before ${groupName(i)} ended`);
      if (d.length === 0) continue;
      const gate = result.gates[g];
      if (gate) {
        // A gate opens by the release of one of its own dependencies, or by itself (when they had all
        // ended before it stored its token): never by another group; and its group starts at once.
        const byDependency = d.some((i) => groupName(i) === gate.openedBy);
        if (!gate.opened || !(byDependency || gate.openedBy === g))
          heldBack.push(`${g}: its gate was opened by ${gate.openedBy ?? 'nobody'}`);
        else if (task[j]!.entered - gate.opened.getTime() > START_SLACK_MS)
          heldBack.push(`${g}: entered ${task[j]!.entered - gate.opened.getTime()} ms after its gate opened`);
        if (byDependency) releaseMs.push(gate.opened!.getTime() - Math.max(...d.map((i) => work[i]!.end)));
      } else {
        // Without a gate, a group follows its dependencies' Tasks (a chain, a Parallel state's end):
        // it starts at once when the last Task of the groups it depends on ends.
        const last = Math.max(...[...above[j]!].map((i) => task[i]!.end));
        if (task[j]!.entered - last > START_SLACK_MS)
          heldBack.push(`${g}: entered ${task[j]!.entered - last} ms after the last group it depends on`);
      }
    }
    expect(late).toEqual([]);
    expect(heldBack).toEqual([]);
    expect(Object.keys(result.gates).sort()).toEqual(gatedGroups(plan).sort());
    const opened = Object.values(result.gates);
    const sorted = releaseMs.sort((a, b) => a - b);
    console.log(
      `exact, local: ${opened.length} gates, ${Object.entries(result.gates).filter(([g, r]) => r.openedBy === g).length} opened by themselves; ` +
        `work end → gate open by the release: median ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`,
    );
  });
});

/** The groups with a gate in the `exact` definition. */
function gatedGroups(plan: DeploymentPlan): string[] {
  const { json } = definitionOf(plan, 'exact', (fn) => fn);
  const found: string[] = [];
  JSON.parse(json, (key, value) => {
    if (key === 'gate' && value && typeof value.group === 'string') found.push(value.group);
    return value;
  });
  return [...new Set(found)];
}
