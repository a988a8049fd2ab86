/**
 * Makespan bench of the state machine shapes: `schedule: 'dag'` against `schedule: 'levels'`.
 *
 * For each group DAG, both definitions are built with the real planner and generator, and their
 * makespan is simulated from the definition STRUCTURE alone (a chain of states takes the sum of its
 * states' times, a Parallel state the longest of its branches, a Task its group's duration), then
 * divided by the critical path (the heaviest dependency chain: what an ideal scheduler would take).
 *
 * Series-parallel or not is decided here independently of the generator: a DAG is series-parallel
 * exactly when its order has no induced N (a < c, b < c, b < d, with a, d and a, b and c, d unrelated).
 *
 * Run: `bash bench/run.sh [--dags 1000] [--seed 42]` (see bench/README.md).
 */
import type { DeploymentPlan } from '../src/plan/planner';
import { type BuiltDefinition, buildDefinition, type ScheduleKind } from '../src/plan/statemachine';
import { planOfDag } from '../test/support/gated';

// ---------------------------------------------------------------------------------------------
// Seeded randomness.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const randInt = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;

// ---------------------------------------------------------------------------------------------
// DAGs: deps[j] lists indices < j.

interface Dag {
  readonly name: string;
  readonly family: string;
  readonly deps: number[][];
}

/** Each pair i < j an edge with probability p, p set for 0.5 to 2.5 dependencies per group on average. */
function randomDag(rng: Rng, n: number): number[][] {
  const perGroup = 0.5 + 2 * rng();
  const p = n > 1 ? Math.min(1, (2 * perGroup) / (n - 1)) : 0;
  return Array.from({ length: n }, (_, j) => Array.from({ length: j }, (_, i) => i).filter(() => rng() < p));
}

/** Layers; each group needs 1 to 3 groups of the layer before, sometimes one from further back. */
function layeredDag(rng: Rng, n: number): number[][] {
  const layers = randInt(rng, 2, Math.max(2, Math.floor(n / 3)));
  const layerOf = Array.from({ length: n }, (_, j) => (j < layers ? j : randInt(rng, 0, layers - 1))).sort(
    (a, b) => a - b,
  );
  const members: number[][] = Array.from({ length: layers }, () => []);
  for (const [j, l] of layerOf.entries()) (members[l] as number[]).push(j);
  return layerOf.map((l) => {
    if (l === 0) return [];
    const deps = new Set<number>();
    const previous = members[l - 1] as number[];
    const k = randInt(rng, 1, Math.min(3, previous.length));
    while (deps.size < k) deps.add(pick(rng, previous));
    if (l >= 2 && rng() < 0.3) deps.add(pick(rng, members[randInt(rng, 0, l - 2)] as number[]));
    return [...deps].sort((a, b) => a - b);
  });
}

/** A mostly linear pipeline with skip connections: 1 to 3 dependencies among the 5 groups before. */
function localDag(rng: Rng, n: number): number[][] {
  return Array.from({ length: n }, (_, j) => {
    if (j === 0 || rng() < 0.15) return [];
    const window = Array.from({ length: Math.min(5, j) }, (_, d) => j - 1 - d);
    const deps = new Set<number>();
    const k = randInt(rng, 1, Math.min(3, window.length));
    while (deps.size < k) deps.add(pick(rng, window));
    return [...deps].sort((a, b) => a - b);
  });
}

const FAMILIES: readonly [string, (rng: Rng, n: number) => number[][]][] = [
  ['random', randomDag],
  ['layered', layeredDag],
  ['local', localDag],
];

const FIXTURES: readonly Dag[] = [
  { name: 'chain a→b→c→d', family: 'fixture', deps: [[], [0], [1], [2]] },
  { name: 'fan-out dp→{ds, rep}', family: 'fixture', deps: [[], [0], [0]] },
  { name: 'diamond a→{b,c}→d', family: 'fixture', deps: [[], [0], [0], [1, 2]] },
  { name: 'N a→c, b→c, b→d', family: 'fixture', deps: [[], [], [0, 1], [1]] },
];

// ---------------------------------------------------------------------------------------------
// Plans and definitions.

function definitionOf(plan: DeploymentPlan, schedule: ScheduleKind): BuiltDefinition {
  return buildDefinition(plan, {
    schedule,
    env: 'aws',
    packageName: 'bench',
    functionArn: (g) => `arn:aws:lambda:eu-west-1:123456789012:function:${g.names.lambdaFunction}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Makespans.

interface AslChain {
  readonly StartAt: string;
  readonly States: Record<string, AslStateLike>;
}
interface AslStateLike {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Branches?: readonly AslChain[];
  readonly Parameters?: { readonly Payload?: { readonly group?: string } };
}

/** Time to run a chain of states: the sum of its states, a Parallel taking its longest branch. */
function chainTime(chain: AslChain, duration: (group: string) => number): number {
  let total = 0;
  let name: string | undefined = chain.StartAt;
  while (name !== undefined) {
    const state: AslStateLike | undefined = chain.States[name];
    if (!state) throw new Error(`no state ${name}`);
    if (state.Type === 'Task') total += duration(state.Parameters?.Payload?.group ?? '');
    else if (state.Type === 'Parallel') total += Math.max(...(state.Branches ?? []).map((b) => chainTime(b, duration)));
    else throw new Error(`unexpected state type ${state.Type}`);
    name = state.End ? undefined : state.Next;
  }
  return total;
}

function criticalPath(deps: readonly number[][], durations: readonly number[]): number {
  const finish: number[] = [];
  for (const [j, d] of deps.entries())
    finish.push(Math.max(0, ...d.map((i) => finish[i] as number)) + (durations[j] as number));
  return Math.max(...finish);
}

/** Series-parallel check, independent of the generator: no induced N in the transitive closure. */
function isSeriesParallel(deps: readonly number[][]): boolean {
  const n = deps.length;
  const anc: Set<number>[] = [];
  deps.forEach((d) => {
    const s = new Set<number>();
    for (const i of d) {
      s.add(i);
      for (const x of anc[i] as Set<number>) s.add(x);
    }
    anc.push(s);
  });
  const lt = (x: number, y: number): boolean => (anc[y] as Set<number>).has(x);
  const related = (x: number, y: number): boolean => x === y || lt(x, y) || lt(y, x);
  for (let c = 0; c < n; c += 1) {
    const below = [...(anc[c] as Set<number>)];
    for (const a of below) {
      for (const b of below) {
        if (related(a, b)) continue;
        for (let d = 0; d < n; d += 1) {
          if (lt(b, d) && !related(c, d) && !related(a, d)) return false;
        }
      }
    }
  }
  return true;
}

/**
 * The best any state machine of nested sequences and Parallel states can do while never making a
 * group wait for one at the same or a higher dependency level, KNOWING the durations (which the
 * generator does not): exhaustive over the only choices there are (a level threshold at each
 * sub-graph that is not series-parallel), memoised. A lower bound for the 'dag' ratio.
 */
function bestPossible(deps: readonly number[][], durations: readonly number[]): number {
  const anc: Set<number>[] = [];
  const level: number[] = [];
  deps.forEach((d) => {
    const s = new Set<number>();
    for (const i of d) {
      s.add(i);
      for (const x of anc[i] as Set<number>) s.add(x);
    }
    anc.push(s);
    level.push(d.length === 0 ? 0 : 1 + Math.max(...d.map((i) => level[i] as number)));
  });
  const memo = new Map<string, number>();
  const solve = (set: readonly number[]): number => {
    if (set.length === 1) return durations[set[0] as number] as number;
    const key = set.join(',');
    const known = memo.get(key);
    if (known !== undefined) return known;
    // Components.
    const component = new Map<number, number>();
    const parts: number[][] = [];
    for (const x of set) {
      if (component.has(x)) continue;
      const part: number[] = [];
      const stack = [x];
      component.set(x, parts.length);
      while (stack.length > 0) {
        const y = stack.pop() as number;
        part.push(y);
        for (const z of set) {
          if (!component.has(z) && ((anc[y] as Set<number>).has(z) || (anc[z] as Set<number>).has(y))) {
            component.set(z, parts.length);
            stack.push(z);
          }
        }
      }
      parts.push(part.sort((a, b) => a - b));
    }
    let result: number;
    if (parts.length > 1) {
      result = Math.max(...parts.map(solve));
    } else {
      // A series split: a prefix of the groups sorted by ancestors inside the set, below all the rest.
      const inside = (x: number): number => set.filter((y) => (anc[x] as Set<number>).has(y)).length;
      const order = [...set].sort((a, b) => inside(a) - inside(b) || a - b);
      let cut = -1;
      for (let k = 1; k < order.length && cut < 0; k += 1) {
        const prefix = order.slice(0, k);
        if (order.slice(k).every((b) => prefix.every((a) => (anc[b] as Set<number>).has(a)))) cut = k;
      }
      if (cut > 0) {
        result = solve(order.slice(0, cut).sort((a, b) => a - b)) + solve(order.slice(cut).sort((a, b) => a - b));
      } else {
        const levels = [...new Set(set.map((x) => level[x] as number))].sort((a, b) => a - b).slice(1);
        result = Math.min(
          ...levels.map(
            (t) =>
              solve(set.filter((x) => (level[x] as number) < t)) + solve(set.filter((x) => (level[x] as number) >= t)),
          ),
        );
      }
    }
    memo.set(key, result);
    return result;
  };
  return solve(deps.map((_, i) => i));
}

// ---------------------------------------------------------------------------------------------
// Statistics.

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '  - ');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '   - ');

interface Row {
  readonly family: string;
  readonly n: number;
  readonly sp: boolean;
  readonly dag: number;
  readonly levels: number;
  /** Best possible ratio for a nested shape within the level order, knowing the durations. */
  readonly best: number;
  readonly syncPoints: number;
  readonly ms: number;
}

function measure(dag: Dag, durations: readonly number[]): Row {
  const plan = planOfDag(dag.deps, 'bench');
  const started = process.hrtime.bigint();
  const ours = definitionOf(plan, 'dag');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const theirs = definitionOf(plan, 'levels');
  const duration = (group: string): number => durations[Number(group.slice(1))] as number;
  const cp = criticalPath(dag.deps, durations);
  return {
    family: dag.family,
    n: dag.deps.length,
    sp: isSeriesParallel(dag.deps),
    dag: chainTime(ours.definition, duration) / cp,
    levels: chainTime(theirs.definition, duration) / cp,
    best: bestPossible(dag.deps, durations) / cp,
    syncPoints: ours.stats.syncPoints.length,
    ms,
  };
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

function main(): void {
  const count = argument('--dags', 1000);
  const seed = argument('--seed', 42);
  const rng = mulberry32(seed);
  const at = process.argv.indexOf('--durations');
  const kind = at >= 0 ? (process.argv[at + 1] ?? 'log-uniform') : 'log-uniform';
  const draws: Record<string, [string, () => number]> = {
    'log-uniform': ['log-uniform in [1, 100]', () => Math.exp(rng() * Math.log(100))],
    uniform: ['uniform in [1, 100]', () => 1 + 99 * rng()],
    exponential: ['exponential, mean 1', () => -Math.log(1 - rng())],
  };
  const [label, logUniform] = draws[kind] ?? (draws['log-uniform'] as [string, () => number]);

  console.log('Makespan / critical path, simulated from the definition structure.');
  console.log(`Durations ${label}; seed ${seed}.\n`);

  console.log('Fixtures (1,000 duration draws each): mean and max of the ratio');
  console.log('  fixture                    SP   sync  dag mean  dag max  levels mean  levels max');
  for (const fixture of FIXTURES) {
    const rows = Array.from({ length: 1000 }, () => measure(fixture, fixture.deps.map(logUniform)));
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const r0 = rows[0] as Row;
    console.log(
      `  ${fixture.name.padEnd(26)} ${r0.sp ? 'yes' : 'no '}  ${String(r0.syncPoints).padStart(4)}  ` +
        `${f2(mean(rows.map((r) => r.dag))).padStart(8)}  ${f2(Math.max(...rows.map((r) => r.dag))).padStart(7)}  ` +
        `${f2(mean(rows.map((r) => r.levels))).padStart(11)}  ${f2(Math.max(...rows.map((r) => r.levels))).padStart(10)}`,
    );
  }

  const rows: Row[] = [];
  for (let k = 0; k < count; k += 1) {
    const [family, make] = FAMILIES[k % FAMILIES.length] as [string, (rng: Rng, n: number) => number[][]];
    const n = randInt(rng, 5, 60);
    const deps = make(rng, n);
    rows.push(measure({ name: `${family}-${k}`, family, deps }, deps.map(logUniform)));
  }

  const header =
    '  family    DAGs   SP  SP dag max  non-SP   dag p50  dag p90  dag max   best p50  best p90   lvl p50  lvl p90  dag>lvl  dag<lvl';
  const report = (label: string, subset: readonly Row[]): void => {
    const sp = subset.filter((r) => r.sp);
    const non = subset.filter((r) => !r.sp);
    const worse = subset.filter((r) => r.dag > r.levels + 1e-9).length;
    const better = subset.filter((r) => r.dag < r.levels - 1e-9).length;
    const cells = [
      label.padEnd(8),
      String(subset.length).padStart(5),
      String(sp.length).padStart(4),
      f3(Math.max(...sp.map((r) => r.dag))).padStart(10),
      String(non.length).padStart(7),
      f3(
        quantile(
          non.map((r) => r.dag),
          0.5,
        ),
      ).padStart(8),
      f3(
        quantile(
          non.map((r) => r.dag),
          0.9,
        ),
      ).padStart(8),
      f3(Math.max(...non.map((r) => r.dag))).padStart(8),
      f3(
        quantile(
          non.map((r) => r.best),
          0.5,
        ),
      ).padStart(9),
      f3(
        quantile(
          non.map((r) => r.best),
          0.9,
        ),
      ).padStart(9),
      f3(
        quantile(
          non.map((r) => r.levels),
          0.5,
        ),
      ).padStart(9),
      f3(
        quantile(
          non.map((r) => r.levels),
          0.9,
        ),
      ).padStart(8),
      String(worse).padStart(8),
      String(better).padStart(8),
    ];
    console.log(`  ${cells.join(' ')}`);
  };

  console.log(`\n${count} random DAGs, 5 to 60 groups (families: ${FAMILIES.map(([f]) => f).join(', ')}, in turn)`);
  console.log('  ratios: makespan / critical path; "best": the best nested shape within levels, knowing the durations');
  console.log(header);
  for (const [family] of FAMILIES)
    report(
      family,
      rows.filter((r) => r.family === family),
    );
  report('all', rows);

  const spSync = rows.filter((r) => r.sp && r.syncPoints > 0).length;
  const nonSpNoSync = rows.filter((r) => !r.sp && r.syncPoints === 0).length;
  const times = rows.map((r) => r.ms);
  console.log(`\n  SP DAGs given sync points: ${spSync}; non-SP DAGs without any: ${nonSpNoSync} (both should be 0).`);
  console.log(
    `  buildDefinition (dag) time per DAG: median ${quantile(times, 0.5).toFixed(2)} ms, ` +
      `p99 ${quantile(times, 0.99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms.`,
  );
}

main();
