/**
 * Executed makespan bench: `levels`, `dag` and `exact` definitions of the same group DAGs, RUN by the
 * local executor (each function a container, kept warm between its invocations as Lambda keeps one, so a
 * gated group runs in its gate's container; as many at once as AWS would run),
 * whose groups sleep for drawn durations (the stand-in handler of test/support/gated.ts, with the real
 * gate and release code; the gates keep their tokens in a moto S3 this bench starts).
 *
 * For each run: measured makespan (first group's work starting → last group's work ending) divided by
 * the critical path of the groups' MEASURED work times (what an ideal scheduler with no overhead would
 * take). The difference is the schedule's added waits plus the executor's overhead between a group and
 * the next: process exit, process start, and for a gate the release (the dependency marks itself done
 * under the run records and sends SendTaskSuccess) and the callback. The overhead is printed apart:
 * per gate (last dependency's work ended → gate opened; gate opened → gated group's work started) and
 * per chained Task (last dependency's work ended → next group's work started).
 *
 * Run: `bash bench/run.sh --execute [--dags 2] [--groups 20] [--seed 7] [--scale 1]` (see bench/README.md).
 */
import { buildDefinition, type ScheduleKind } from '../src/plan/statemachine';
import { runLocally } from '../src/targets/local/executor';
import { criticalPath, type Deps, groupName, layeredDag, planOfDag, rng, standInRuntime } from '../test/support/gated';
import { createDataBuckets, FAKE_AWS_ENV, PYTHON, startMoto } from '../test/support/moto';

const SCHEDULES: readonly ScheduleKind[] = ['levels', 'dag', 'exact'];

/** A series-parallel DAG of n groups: random series and parallel compositions. */
function seriesParallelDag(next: () => number, n: number): number[][] {
  const deps: number[][] = [];
  // Builds n groups from index deps.length on; returns its sources and sinks.
  const build = (k: number): { sources: number[]; sinks: number[] } => {
    if (k === 1) {
      deps.push([]);
      return { sources: [deps.length - 1], sinks: [deps.length - 1] };
    }
    const left = 1 + Math.floor(next() * (k - 1));
    if (next() < 0.5) {
      const a = build(left);
      const b = build(k - left);
      for (const s of b.sources) deps[s] = [...(deps[s] as number[]), ...a.sinks].sort((x, y) => x - y);
      return { sources: a.sources, sinks: b.sinks };
    }
    const a = build(left);
    const b = build(k - left);
    return { sources: [...a.sources, ...b.sources], sinks: [...a.sinks, ...b.sinks] };
  };
  build(n);
  return deps;
}

/** Random DAG (each pair an edge with a probability for ~1.5 dependencies per group). */
function randomDag(next: () => number, n: number): number[][] {
  const p = Math.min(1, 3 / (n - 1));
  return Array.from({ length: n }, (_, j) => Array.from({ length: j }, (_, i) => i).filter(() => next() < p));
}

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
const ms = (x: number): string => (Number.isFinite(x) ? `${Math.round(x)} ms` : '-');

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

interface Measured {
  ratio: number;
  makespan: number;
  critical: number;
  /** Last dependency's work end → gate opened, for gates opened by a dependency's release. */
  release: number[];
  /** Gate opened → the gated group's work start. */
  afterGate: number[];
  /** Last dependency's work end → the group's work start, for groups without a gate. */
  chained: number[];
  gates: number;
  /** State transitions of a run without retries: every state of the definition is entered once. */
  states: number;
  /** Lambda invocations of a run without retries: a group's Task and a gate each invoke once. */
  invocations: number;
}

async function execute(
  deps: Deps,
  seconds: readonly number[],
  schedule: ScheduleKind,
  records: string,
): Promise<Measured> {
  const plan = planOfDag(deps);
  const { definition, stats } = buildDefinition(plan, {
    schedule,
    env: 'aws',
    packageName: 'gated',
    functionArn: (g) => `arn:aws:lambda:us-east-1:000000000000:function:${g.names.lambdaFunction}`,
  });
  const { actionPythonDir, image } = standInRuntime();
  const durations = Object.fromEntries(seconds.map((s, i) => [groupName(i), s]));
  const lines: string[] = [];
  const result = await runLocally({
    definition,
    input: { run_id: `${schedule}-${Date.now()}`, runtime_params: { durations }, env: 'aws' },
    python: PYTHON,
    image,
    actionPythonDir,
    groupOfState: new Map(plan.groups.map((g) => [g.names.state, g.name])),
    maxConcurrency: 2 * deps.length,
    log: (line) => lines.push(line),
    env: { KEDRO_AWS_RUN_RECORDS: records },
  });
  if (result.status !== 'SUCCEEDED') {
    throw new Error(`${schedule}: ${result.status} ${JSON.stringify(result.failure)}\n${lines.slice(-20).join('\n')}`);
  }
  const work = deps.map((_, j) => {
    const r = result.groups[groupName(j)]?.result as { started: number; ended: number };
    return { start: r.started * 1000, end: r.ended * 1000 };
  });
  const makespan = Math.max(...work.map((w) => w.end)) - Math.min(...work.map((w) => w.start));
  const critical = criticalPath(
    deps,
    work.map((w) => w.end - w.start),
  );
  const release: number[] = [];
  const afterGate: number[] = [];
  const chained: number[] = [];
  for (const [j, d] of deps.entries()) {
    if (d.length === 0) continue;
    const ready = Math.max(...d.map((i) => (work[i] as { end: number }).end));
    const gate = result.gates[groupName(j)];
    if (gate?.opened) {
      if (gate.openedBy !== groupName(j)) release.push(gate.opened.getTime() - ready);
      afterGate.push((work[j] as { start: number }).start - gate.opened.getTime());
    } else if (!gate) {
      chained.push((work[j] as { start: number }).start - ready);
    }
  }
  return {
    ratio: makespan / critical,
    makespan,
    critical,
    release,
    afterGate,
    chained,
    gates: stats.gates,
    states: stats.states,
    invocations: stats.tasks + stats.gates,
  };
}

async function main(): Promise<void> {
  const dags = argument('--dags', 2);
  const groups = argument('--groups', 20);
  const seed = argument('--seed', 7);
  const scale = argument('--scale', 1);
  const moto = await startMoto();
  Object.assign(process.env, FAKE_AWS_ENV, { AWS_ENDPOINT_URL: moto.endpoint });
  try {
    await createDataBuckets(moto.endpoint);
    const next = rng(seed);
    const families: [string, (n: number) => number[][]][] = [
      ['layered', (n) => layeredDag(next, n)],
      ['random', (n) => randomDag(next, n)],
      ['series-parallel', (n) => seriesParallelDag(next, n)],
    ];
    console.log(
      `Executed makespan bench: ${dags} DAG(s) of ${groups} groups per family, durations 0.5-4 s log-uniform × ${scale}, local executor (a container per function, kept warm), seed ${seed}\n`,
    );
    console.log(
      'family           dag  gates |  levels    dag  exact | critical path | exact: release → gate open, gate → work, chain → work (medians)',
    );
    const byFamily = new Map<string, Record<ScheduleKind, number[]>>();
    const cost = new Map<string, Record<ScheduleKind, { states: number[]; invocations: number[] }>>();
    const overheads = { release: [] as number[], afterGate: [] as number[], chained: [] as number[] };
    for (const [family, make] of families) {
      const ratios: Record<ScheduleKind, number[]> = { levels: [], dag: [], exact: [] };
      byFamily.set(family, ratios);
      const costs = {
        levels: { states: [] as number[], invocations: [] as number[] },
        dag: { states: [] as number[], invocations: [] as number[] },
        exact: { states: [] as number[], invocations: [] as number[] },
      };
      cost.set(family, costs);
      for (let k = 0; k < dags; k++) {
        const deps = make(groups);
        const seconds = deps.map(() => Math.round(Math.exp(Math.log(0.5) + next() * Math.log(8)) * scale * 100) / 100);
        const measured: Partial<Record<ScheduleKind, Measured>> = {};
        for (const schedule of SCHEDULES) {
          measured[schedule] = await execute(
            deps,
            seconds,
            schedule,
            `s3://kedro-aws-fixtures/.kedro-aws/bench/${family}-${k}-${schedule}/`,
          );
          ratios[schedule].push((measured[schedule] as Measured).ratio);
          costs[schedule].states.push((measured[schedule] as Measured).states);
          costs[schedule].invocations.push((measured[schedule] as Measured).invocations);
        }
        const exact = measured.exact as Measured;
        overheads.release.push(...exact.release);
        overheads.afterGate.push(...exact.afterGate);
        overheads.chained.push(...exact.chained);
        console.log(
          `${family.padEnd(16)} ${String(k).padStart(3)} ${String(exact.gates).padStart(6)} | ${SCHEDULES.map((s) => f2((measured[s] as Measured).ratio).padStart(6)).join(' ')} | ${(exact.critical / 1000).toFixed(1).padStart(10)} s | ${ms(median(exact.release))}, ${ms(median(exact.afterGate))}, ${ms(median(exact.chained))}`,
        );
      }
    }
    console.log('\nMedian measured makespan / critical path of the measured group times:');
    console.log('family              levels    dag  exact');
    for (const [family, ratios] of byFamily) {
      console.log(`${family.padEnd(18)} ${SCHEDULES.map((s) => f2(median(ratios[s])).padStart(6)).join(' ')}`);
    }
    console.log(`\nCost per run of ${groups} groups (median; no retries): state transitions / Lambda invocations`);
    console.log('family                 levels         dag       exact');
    for (const [family, c] of cost) {
      console.log(
        `${family.padEnd(18)} ${SCHEDULES.map((s) => `${median(c[s].states)} / ${median(c[s].invocations)}`.padStart(11)).join(' ')}`,
      );
    }
    console.log(
      `\nOverhead per gate (exact, all runs): last dependency's work end → gate opened by its release: median ${ms(median(overheads.release))} (n=${overheads.release.length}); gate opened → gated group's work start: median ${ms(median(overheads.afterGate))}`,
    );
    console.log(
      `Overhead per chained Task (no gate): last dependency's work end → next group's work start: median ${ms(median(overheads.chained))} (n=${overheads.chained.length})`,
    );
  } finally {
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
