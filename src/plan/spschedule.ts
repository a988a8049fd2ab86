/**
 * Which group waits for which, as nested sequences and parallel blocks: the shape a Step Functions
 * state machine can express (a chain of states, and Parallel states whose branches are chains).
 *
 * Such a shape imposes a series-parallel order R on the groups ("X waits for Y"). Let C be the true
 * order (Y is a dependency of X, directly or not) and L the level-barrier order (Y's dependency
 * level is below X's). Every schedule built here satisfies C ⊆ R ⊆ L:
 *
 * - every group runs after all of its dependencies, and
 * - no group waits for anything the level-by-level schedule would not also make it wait for, so for
 *   ANY task durations its makespan is at most the level schedule's (a makespan is the heaviest
 *   chain of the order, and every chain of R is a chain of L).
 *
 * ## The algorithm (`dagSchedule`)
 *
 * `solve(S)` for a set S of groups (the whole DAG first), using the transitive closure:
 *
 * 1. One group: a task.
 * 2. Parallel: if S falls into several components (two groups of S are linked when one depends on
 *    the other), the components run in parallel, each solved on its own.
 * 3. Series: sorted by how many ancestors they have in S, every valid series split (A before B,
 *    every group of B depending on all of A) is a prefix of the order; all of them are taken, and
 *    each chunk is solved on its own.
 * 4. Otherwise S is "prime": connected, no series split, so not series-parallel (it contains an N:
 *    c needs a and b, d needs b but not a). Some group must wait for a group it does not depend on.
 *    Any schedule within L splits such an S as "A before B" at a level threshold (all of S below
 *    level t first, then the rest; a split anywhere else would make some group wait for one at the
 *    same or a higher level). So the choices are exactly the thresholds; each side is solved
 *    recursively. The threshold is picked by searching the whole sub-schedule (memoised): fewest
 *    extra waits on a group exactly one level below the waiter (the ones that really delay it),
 *    then fewest extra waits in all, then the shortest expected makespan if every group took an
 *    independent time of the same mean (Clark's approximation of a maximum). Past a work budget
 *    (big plans that are far from series-parallel), the sub-graphs still to split run level by
 *    level instead; every guarantee above still holds.
 *
 * A series-parallel DAG never reaches step 4 (series-parallel orders are exactly the N-free ones and
 * always decompose), so it runs with no extra waiting at all.
 *
 * ## The exact schedule (`exactSchedule`)
 *
 * The same decomposition (steps 1 to 3), but a prime set is not split: it runs as a forest with
 * gates. Within the prime set S (whose groups' dependencies outside S have all finished when S
 * starts), take each group's dependencies in S after transitive reduction:
 *
 * - none: the group starts a branch of S's parallel block;
 * - exactly one, d: the group follows d in d's branch (right after it, or as one branch of a
 *   parallel block after it), so it starts the moment d ends;
 * - two or more: the group starts a branch of S's parallel block behind a gate ({@link Gate}) that
 *   opens when the last of those dependencies has finished (a callback task in the state machine).
 *
 * So every group starts when its last dependency ends, on any DAG: no extra waits at all. Gates
 * appear only inside prime sets (a series-parallel DAG has none), one per group that joins two
 * or more branches there.
 *
 * Pure: no I/O.
 */

/** One group as the scheduler needs it: its name and its dependencies, by name. */
export interface ScheduleGroup {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** Where a schedule adds waiting that the dependencies do not ask for. */
export interface Barrier {
  /**
   * `split`: a sub-graph that is not series-parallel, split in two at a level (`dag` schedule);
   * `levels-within`: such a sub-graph run level by level, because the plan was too big to search
   * for the best split (`dag` schedule);
   * `level`: between two dependency levels of the whole plan (`levels` schedule).
   */
  readonly kind: 'split' | 'levels-within' | 'level';
  /** Groups at dependency levels below this one run before the barrier, the others after it. */
  readonly level: number;
  /** The groups (indices) of the sub-graph the barrier splits (every group for `level`). */
  readonly groups: readonly number[];
}

/** Four groups [a, b, c, d] forming an N: c needs a and b, d needs b but not a (nor a d, nor b a). */
export type NShape = readonly [number, number, number, number];

/**
 * A group that starts only when a callback says its dependencies have finished (schedule `exact`):
 * the state machine puts a callback task before the group's own task, and the last of `after` to
 * finish opens it.
 */
export interface Gate {
  readonly group: number;
  /** The dependencies it waits for (direct, after transitive reduction), ascending. */
  readonly after: readonly number[];
}

/** The nested structure: tasks, parallel blocks and sequences. */
export type ScheduleNode =
  | { readonly kind: 'task'; readonly group: number }
  | { readonly kind: 'parallel'; readonly branches: readonly ScheduleNode[] }
  | {
      readonly kind: 'sequence';
      readonly steps: readonly ScheduleNode[];
      /** `joins[i]` sits between `steps[i]` and `steps[i + 1]`: null when only true dependencies cross it. */
      readonly joins: readonly (Barrier | null)[];
    };

/** An extra wait of a schedule, at one of its barriers: a cover of R that C does not have. */
export interface ExtraWait {
  readonly waiter: number;
  readonly waitsFor: number;
  readonly barrier: Barrier;
  /**
   * For `split` and `levels-within` barriers: an N inside the barrier's sub-graph (the reason it is
   * not series-parallel), preferably one naming this very wait; null when none was found within the
   * search budget, and for `level` barriers.
   */
  readonly witness: NShape | null;
}

/** A schedule of the groups, with what it costs. */
export interface Schedule {
  readonly root: ScheduleNode;
  /** Group names, by index (the order the groups were given in). */
  readonly names: readonly string[];
  /** Dependency level of each group (0 = no dependencies). */
  readonly levels: readonly number[];
  /** Number of pairs "X waits for Y" of the schedule where Y is not a (transitive) dependency of X. */
  readonly extraWaitCount: number;
  /**
   * The extra waits that are not implied by others (covers of the schedule's order that are not
   * dependencies), each at the barrier that introduced it. Empty exactly when extraWaitCount is 0.
   */
  readonly extraWaits: readonly ExtraWait[];
  /** False when the split search ran out of budget before it could compare every split it wanted to. */
  readonly exact: boolean;
  /** Groups behind a gate (schedule `exact` only; empty otherwise), ascending by group. */
  readonly gates: readonly Gate[];
}

/**
 * Work (in 32-group words of bit sets looked at) the split search may spend before it stops
 * comparing splits and runs every sub-graph still to split level by level (well under a second);
 * plans of up to a few hundred groups stay well within it.
 */
export const SEARCH_WORK_BUDGET = 50_000_000;
/** Steps spent looking for N witnesses, per barrier and for the whole schedule. */
const WITNESS_BUDGET_PER_BARRIER = 100_000;
const WITNESS_BUDGET_TOTAL = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Bit sets over group indices.

type Bits = Uint32Array;

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function has(bits: Bits, i: number): boolean {
  return (((bits[i >>> 5] as number) >>> (i & 31)) & 1) === 1;
}

function add(bits: Bits, i: number): void {
  bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
}

function andCount(a: Bits, b: Bits): number {
  let count = 0;
  for (let w = 0; w < a.length; w += 1) count += popcount((a[w] as number) & (b[w] as number));
  return count;
}

function count(a: Bits): number {
  let total = 0;
  for (let w = 0; w < a.length; w += 1) total += popcount(a[w] as number);
  return total;
}

/** Indices set in `a & b`, ascending. */
function andMembers(a: Bits, b: Bits): number[] {
  const out: number[] = [];
  for (let w = 0; w < a.length; w += 1) {
    let word = ((a[w] as number) & (b[w] as number)) >>> 0;
    while (word !== 0) {
      const low = word & -word;
      out.push(w * 32 + (31 - Math.clz32(low)));
      word = (word ^ low) >>> 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The DAG.

interface Dag {
  readonly n: number;
  readonly names: readonly string[];
  readonly words: number;
  /** Transitive dependencies of each group. */
  readonly ancestors: readonly Bits[];
  /** Transitive dependants of each group. */
  readonly descendants: readonly Bits[];
  /** Longest dependency path from a group without dependencies. */
  readonly levels: readonly number[];
}

function buildDag(groups: readonly ScheduleGroup[]): Dag {
  const n = groups.length;
  const words = Math.max(1, (n + 31) >>> 5);
  const index = new Map<string, number>();
  groups.forEach((g, i) => {
    if (index.has(g.name)) throw new Error(`internal: group ${JSON.stringify(g.name)} is listed twice`);
    index.set(g.name, i);
  });
  const ancestors: Bits[] = [];
  const levels: number[] = [];
  groups.forEach((g, i) => {
    const bits = new Uint32Array(words);
    let level = 0;
    for (const dep of g.dependencies) {
      const j = index.get(dep);
      if (j === undefined || j >= i) {
        throw new Error(
          `internal: group ${JSON.stringify(g.name)} depends on ${JSON.stringify(dep)}, ` +
            'which is not listed before it (the groups must come in dependency order)',
        );
      }
      add(bits, j);
      const depBits = ancestors[j] as Bits;
      for (let w = 0; w < words; w += 1) bits[w] = (bits[w] as number) | (depBits[w] as number);
      level = Math.max(level, (levels[j] as number) + 1);
    }
    ancestors.push(bits);
    levels.push(level);
  });
  const descendants = groups.map(() => new Uint32Array(words));
  ancestors.forEach((bits, i) => {
    for (let w = 0; w < words; w += 1) {
      let word = bits[w] as number;
      while (word !== 0) {
        const low = word & -word;
        add(descendants[w * 32 + (31 - Math.clz32(low))] as Bits, i);
        word = (word ^ low) >>> 0;
      }
    }
  });
  return { n, names: groups.map((g) => g.name), words, ancestors, descendants, levels };
}

function maskOf(dag: Dag, members: readonly number[]): Bits {
  const bits = new Uint32Array(dag.words);
  for (const i of members) add(bits, i);
  return bits;
}

/** Number of true "X waits for Y" pairs, summed over the groups. */
function truePairCount(dag: Dag): number {
  return dag.ancestors.reduce((sum, bits) => sum + count(bits), 0);
}

// ---------------------------------------------------------------------------------------------
// Building nodes.

function task(group: number): ScheduleNode {
  return { kind: 'task', group };
}

/** A sequence of parts, flattening nested sequences (their joins are kept). */
function sequence(parts: readonly ScheduleNode[], joins: readonly (Barrier | null)[]): ScheduleNode {
  const steps: ScheduleNode[] = [];
  const allJoins: (Barrier | null)[] = [];
  parts.forEach((part, i) => {
    if (i > 0) allJoins.push(joins[i - 1] ?? null);
    if (part.kind === 'sequence') {
      steps.push(...part.steps);
      allJoins.push(...part.joins);
    } else {
      steps.push(part);
    }
  });
  return steps.length === 1 ? (steps[0] as ScheduleNode) : { kind: 'sequence', steps, joins: allJoins };
}

function parallel(branches: readonly ScheduleNode[]): ScheduleNode {
  return branches.length === 1 ? (branches[0] as ScheduleNode) : { kind: 'parallel', branches };
}

// ---------------------------------------------------------------------------------------------
// The dag schedule.

interface Solved {
  readonly node: ScheduleNode;
  /** Extra waits (pairs "X waits for Y", Y not an ancestor of X) inside this sub-schedule. */
  readonly cost: number;
  /** Those of them where Y is exactly one dependency level below X. */
  readonly near: number;
  /**
   * Mean and variance of this sub-schedule's makespan if every group took an independent time of
   * mean 1 and variance 1 (Clark's normal approximation): the tie-break between splits that add as
   * many extra waits.
   */
  readonly mean: number;
  readonly variance: number;
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Mean and variance of the later of two independent finishing times (Clark, "The greatest of a
 * finite set of random variables", 1961). Branches of a Parallel state hold distinct groups, so
 * their times are independent.
 */
function laterOf(a: Solved, b: Solved): { mean: number; variance: number } {
  const theta = Math.sqrt(a.variance + b.variance);
  if (theta < 1e-12) return a.mean >= b.mean ? a : b;
  const alpha = (a.mean - b.mean) / theta;
  const p = normalCdf(alpha);
  const q = normalPdf(alpha);
  const mean = a.mean * p + b.mean * (1 - p) + theta * q;
  const second =
    (a.mean * a.mean + a.variance) * p + (b.mean * b.mean + b.variance) * (1 - p) + (a.mean + b.mean) * theta * q;
  return { mean, variance: Math.max(0, second - mean * mean) };
}

function inParallel(parts: readonly Solved[]): Solved {
  let acc = parts[0] as Solved;
  for (const part of parts.slice(1)) {
    const { mean, variance } = laterOf(acc, part);
    acc = { node: acc.node, cost: 0, near: 0, mean, variance };
  }
  return {
    node: parallel(parts.map((p) => p.node)),
    cost: parts.reduce((s, p) => s + p.cost, 0),
    near: parts.reduce((s, p) => s + p.near, 0),
    mean: acc.mean,
    variance: acc.variance,
  };
}

function inSequence(parts: readonly Solved[], joins: readonly (Barrier | null)[], extra = 0, near = 0): Solved {
  return {
    node: sequence(
      parts.map((p) => p.node),
      joins,
    ),
    cost: parts.reduce((s, p) => s + p.cost, extra),
    near: parts.reduce((s, p) => s + p.near, near),
    mean: parts.reduce((s, p) => s + p.mean, 0),
    variance: parts.reduce((s, p) => s + p.variance, 0),
  };
}

/** Relative tolerance when comparing expected makespans (they are sums of floating-point terms). */
const MEAN_EPSILON = 1e-9;

/** Options of {@link dagSchedule}. */
export interface DagScheduleOptions {
  /** Work the split search may spend (default {@link SEARCH_WORK_BUDGET}); tests lower it. */
  readonly workBudget?: number;
}

class Solver {
  private readonly memo = new Map<string, Solved>();
  private work = 0;
  /** Set once the search budget is spent: sub-graphs still to split run level by level. */
  private exhausted = false;
  /** Set when the budget changed the outcome: a split chosen among some only, or levels within. */
  gaveUp = false;
  constructor(
    private readonly dag: Dag,
    private readonly budget: number,
    /** Schedule `exact`: prime sets become gated forests, whose gates are collected here. */
    private readonly gates: Map<number, number[]> | null = null,
  ) {}

  solve(members: readonly number[]): Solved {
    if (members.length === 1) return { node: task(members[0] as number), cost: 0, near: 0, mean: 1, variance: 1 };
    const key = members.join(',');
    const known = this.memo.get(key);
    if (known) return known;
    this.spend(members.length * this.dag.words);

    const mask = maskOf(this.dag, members);
    let result: Solved;
    const components = this.components(members, mask);
    if (components.length > 1) {
      result = inParallel(components.map((c) => this.solve(c)));
    } else {
      const chunks = this.seriesChunks(members, mask);
      result =
        chunks.length > 1
          ? inSequence(
              chunks.map((c) => this.solve(c)),
              chunks.slice(1).map(() => null),
            )
          : this.gates
            ? this.gatedForest(members)
            : this.splitPrime(members);
    }
    this.memo.set(key, result);
    return result;
  }

  private spend(units: number): void {
    this.work += units;
    if (this.work > this.budget) this.exhausted = true;
  }

  /**
   * Components of `members` where two groups are linked when one depends on the other (directly or
   * not), each ascending, in order of their smallest group.
   */
  private components(members: readonly number[], mask: Bits): number[][] {
    const { ancestors, descendants, words } = this.dag;
    const remaining = mask.slice();
    const result: number[][] = [];
    for (const start of members) {
      if (!has(remaining, start)) continue;
      const component = new Uint32Array(words);
      add(component, start);
      remaining[start >>> 5] = (remaining[start >>> 5] as number) & ~(1 << (start & 31));
      const queue = [start];
      while (queue.length > 0) {
        const y = queue.pop() as number;
        const up = ancestors[y] as Bits;
        const down = descendants[y] as Bits;
        for (let w = 0; w < words; w += 1) {
          let found = ((up[w] as number) | (down[w] as number)) & (remaining[w] as number);
          if (found === 0) continue;
          component[w] = (component[w] as number) | found;
          remaining[w] = (remaining[w] as number) & ~found;
          while (found !== 0) {
            const low = found & -found;
            queue.push(w * 32 + (31 - Math.clz32(low)));
            found = (found ^ low) >>> 0;
          }
        }
      }
      result.push(andMembers(component, component));
    }
    this.spend(members.length * words);
    return result;
  }

  /**
   * The finest series decomposition of `members` (A1 before A2 before ...; every group of a later
   * chunk depends on every group of the earlier ones). One chunk when there is no series split.
   */
  private seriesChunks(members: readonly number[], mask: Bits): number[][] {
    const { ancestors } = this.dag;
    const inside = new Map<number, number>(members.map((m) => [m, andCount(ancestors[m] as Bits, mask)]));
    const order = [...members].sort((a, b) => (inside.get(a) as number) - (inside.get(b) as number) || a - b);
    const size = order.length;
    // suffix[k] = groups of S that are ancestors of every group order[k..].
    const suffix: Bits[] = new Array<Bits>(size);
    let running = mask.slice();
    for (let k = size - 1; k >= 1; k -= 1) {
      const anc = ancestors[order[k] as number] as Bits;
      const next = new Uint32Array(running.length);
      for (let w = 0; w < next.length; w += 1) next[w] = (running[w] as number) & (anc[w] as number);
      suffix[k] = next;
      running = next;
    }
    const cuts: number[] = [];
    const prefix = new Uint32Array(this.dag.words);
    for (let k = 1; k < size; k += 1) {
      add(prefix, order[k - 1] as number);
      // A group of the prefix has at most k-1 ancestors in S; one of the suffix needs at least k.
      if ((inside.get(order[k] as number) as number) < k) continue;
      if (andCount(prefix, suffix[k] as Bits) === k) cuts.push(k);
    }
    const chunks: number[][] = [];
    let start = 0;
    for (const cut of [...cuts, size]) {
      chunks.push(order.slice(start, cut).sort((a, b) => a - b));
      start = cut;
    }
    return chunks;
  }

  /**
   * Split a prime (not series-parallel) set at a level threshold. Preferred, in order: the split whose
   * whole sub-schedule adds the fewest extra waits on a group exactly one level below the waiter,
   * then the fewest extra waits in all, then the shortest expected makespan, then the lowest level.
   *
   * Why waits one level down count first: a group X at level k has a chain of k groups before it, so
   * it usually starts after a group Y at level k-2 or below has finished anyway (Y's own chain is
   * shorter): waiting for Y costs little. A group at level k-1 has a chain as long as X's
   * dependencies' and is the one that really delays X. (On the bench this order beats counting every
   * extra wait alike; see bench/README.md.)
   *
   * Once {@link SEARCH_WORK_BUDGET} is spent, the best split found so far is kept, and sets not yet
   * split run level by level instead.
   */
  private splitPrime(members: readonly number[]): Solved {
    const { levels, ancestors } = this.dag;
    const thresholds = [...new Set(members.map((m) => levels[m] as number))].sort((a, b) => a - b).slice(1);
    if (thresholds.length === 0) throw new Error('internal: a connected set of groups has a single level');
    if (this.exhausted) return this.levelsWithin(members);

    interface Candidate {
      readonly level: number;
      readonly before: number[];
      readonly after: number[];
      /** Extra waits added by this split: all, and those on a group one level below the waiter. */
      readonly extra: number;
      readonly near: number;
      /** The same for the whole sub-schedule, and its expected makespan. */
      readonly totalNear: number;
      readonly total: number;
      readonly mean: number;
    }
    const better = (a: Candidate, b: Candidate): boolean =>
      a.totalNear !== b.totalNear
        ? a.totalNear < b.totalNear
        : a.total !== b.total
          ? a.total < b.total
          : a.mean < b.mean - MEAN_EPSILON * Math.max(1, b.mean);

    let best: Candidate | null = null;
    for (const level of thresholds) {
      // Out of budget part-way: keep the best split found so far.
      if (best && this.exhausted) {
        this.gaveUp = true;
        break;
      }
      this.spend(members.length * this.dag.words);
      const before = members.filter((m) => (levels[m] as number) < level);
      const after = members.filter((m) => (levels[m] as number) >= level);
      const beforeMask = maskOf(this.dag, before);
      const lastBefore = before.filter((m) => levels[m] === level - 1);
      const lastMask = maskOf(this.dag, lastBefore);
      let truePairs = 0;
      let nearTruePairs = 0;
      let firstAfter = 0;
      for (const m of after) {
        truePairs += andCount(ancestors[m] as Bits, beforeMask);
        if (levels[m] === level) {
          firstAfter += 1;
          nearTruePairs += andCount(ancestors[m] as Bits, lastMask);
        }
      }
      const extra = before.length * after.length - truePairs;
      // Across this split, "one level below" can only be level - 1 before and level after.
      const near = lastBefore.length * firstAfter - nearTruePairs;
      const first = this.solve(before);
      const second = this.solve(after);
      const candidate: Candidate = {
        level,
        before,
        after,
        extra,
        near,
        totalNear: near + first.near + second.near,
        total: extra + first.cost + second.cost,
        mean: first.mean + second.mean,
      };
      if (!best || better(candidate, best)) best = candidate;
    }
    const chosen = best as Candidate;
    const barrier: Barrier = { kind: 'split', level: chosen.level, groups: members };
    return inSequence([this.solve(chosen.before), this.solve(chosen.after)], [barrier], chosen.extra, chosen.near);
  }

  /**
   * A prime set as a forest with gates (schedule `exact`, see the module comment): each group after
   * its one dependency in the set, in that dependency's branch; a group with two or more starts a
   * branch of its own behind a gate. No extra waits.
   */
  private gatedForest(members: readonly number[]): Solved {
    const { ancestors } = this.dag;
    const gates = this.gates as Map<number, number[]>;
    const mask = maskOf(this.dag, members);
    const children = new Map<number, number[]>();
    const tops: number[] = [];
    for (const m of members) {
      // Dependencies in the set that no other dependency in the set depends on.
      const inSet = andMembers(ancestors[m] as Bits, mask);
      const direct = inSet.filter((d) => !inSet.some((o) => o !== d && has(ancestors[o] as Bits, d)));
      this.spend(inSet.length * inSet.length);
      if (direct.length === 1) {
        const list = children.get(direct[0] as number);
        if (list) list.push(m);
        else children.set(direct[0] as number, [m]);
        continue;
      }
      if (direct.length > 1) gates.set(m, direct);
      tops.push(m);
    }
    const branch = (group: number): ScheduleNode => {
      const below = children.get(group) ?? [];
      return below.length === 0 ? task(group) : sequence([task(group), parallel(below.map(branch))], [null]);
    };
    // Ascending: a gated branch comes after the branches of everything it waits for.
    const node = parallel(tops.map(branch));
    return { node, cost: 0, near: 0, mean: 1, variance: 1 };
  }

  /** A prime set run level by level (each level of it a parallel block), when the search is over budget. */
  private levelsWithin(members: readonly number[]): Solved {
    this.gaveUp = true;
    const { levels, ancestors } = this.dag;
    const byLevel = new Map<number, number[]>();
    for (const m of members) {
      const level = levels[m] as number;
      const list = byLevel.get(level);
      if (list) list.push(m);
      else byLevel.set(level, [m]);
    }
    const slices = [...byLevel.entries()].sort(([a], [b]) => a - b);
    const mask = maskOf(this.dag, members);
    let pairs = 0;
    let done = 0;
    let near = 0;
    let truePairs = 0;
    slices.forEach(([level, slice], k) => {
      pairs += done * slice.length;
      done += slice.length;
      const previous = k > 0 ? (slices[k - 1] as [number, number[]]) : null;
      const previousMask = previous && previous[0] === level - 1 ? maskOf(this.dag, previous[1]) : null;
      for (const m of slice) {
        truePairs += andCount(ancestors[m] as Bits, mask);
        if (previousMask && previous) near += previous[1].length - andCount(ancestors[m] as Bits, previousMask);
      }
    });
    const parts = slices.map(([, slice]) => inParallel(slice.map((m) => this.solve([m]))));
    const joins = slices.slice(1).map(([level]): Barrier => ({ kind: 'levels-within', level, groups: members }));
    return inSequence(parts, joins, pairs - truePairs, near);
  }
}

/** Steps left for witness searches (shared by every barrier of a schedule). */
interface WitnessBudget {
  left: number;
}

/**
 * An N inside a barrier's sub-graph: a, b, c, d with c needing a and b, d needing b, and a, d
 * unrelated (as are a and b, c and d). Tried first on the barrier's own extra waits (d waits for a
 * just across it, so the N names a wait that was added), then anywhere in the sub-graph. Null when
 * the budget runs out first.
 */
function findWitness(
  dag: Dag,
  barrier: Barrier,
  waits: readonly { readonly waiter: number; readonly waitsFor: number }[],
  budget: WitnessBudget,
): NShape | null {
  const anc = (x: number): Bits => dag.ancestors[x] as Bits;
  const related = (x: number, y: number): boolean => x === y || has(anc(x), y) || has(anc(y), x);
  const members = barrier.groups;
  let steps = Math.min(budget.left, WITNESS_BUDGET_PER_BARRIER);
  const spend = (): boolean => {
    steps -= 1;
    budget.left -= 1;
    return steps > 0;
  };

  /** An N with a and d given (d does not need a): c needs a but is unrelated to d, b under c and d. */
  const withEnds = (a: number, d: number): NShape | null | 'out' => {
    for (const c of members) {
      if (!spend()) return 'out';
      if (!has(anc(c), a) || related(c, d)) continue;
      for (const b of members) {
        if (!spend()) return 'out';
        if (b !== a && has(anc(c), b) && has(anc(d), b) && !related(a, b)) return [a, b, c, d];
      }
    }
    return null;
  };

  for (const { waiter, waitsFor } of waits) {
    const found = withEnds(waitsFor, waiter);
    if (found === 'out') return null;
    if (found) return found;
  }
  for (const a of members) {
    for (const d of members) {
      if (!spend()) return null;
      if (related(a, d)) continue;
      const found = withEnds(a, d);
      if (found === 'out') return null;
      if (found) return found;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Costs and extra waits of any schedule.

/** Number of "X waits for Y" pairs the structure imposes, and of groups in it. */
function orderPairs(node: ScheduleNode): { pairs: number; size: number } {
  switch (node.kind) {
    case 'task':
      return { pairs: 0, size: 1 };
    case 'parallel':
      return node.branches.map(orderPairs).reduce((a, b) => ({ pairs: a.pairs + b.pairs, size: a.size + b.size }));
    case 'sequence': {
      let pairs = 0;
      let done = 0;
      for (const step of node.steps) {
        const inner = orderPairs(step);
        pairs += done * inner.size + inner.pairs;
        done += inner.size;
      }
      return { pairs, size: done };
    }
  }
}

/** Groups of a sub-schedule that nothing else in it waits for / that wait for nothing in it. */
function ends(node: ScheduleNode, which: 'first' | 'last'): number[] {
  switch (node.kind) {
    case 'task':
      return [node.group];
    case 'parallel':
      return node.branches.flatMap((b) => ends(b, which));
    case 'sequence':
      return ends(node.steps[which === 'first' ? 0 : node.steps.length - 1] as ScheduleNode, which);
  }
}

interface Cover {
  readonly waiter: number;
  readonly waitsFor: number;
  readonly barrier: Barrier;
}

function extraCovers(dag: Dag, node: ScheduleNode, out: Cover[]): void {
  if (node.kind === 'parallel') {
    for (const b of node.branches) extraCovers(dag, b, out);
    return;
  }
  if (node.kind !== 'sequence') return;
  node.steps.forEach((step, i) => {
    extraCovers(dag, step, out);
    const next = node.steps[i + 1];
    if (!next) return;
    const barrier = node.joins[i] ?? null;
    for (const waiter of ends(next, 'first')) {
      for (const waitsFor of ends(step, 'last')) {
        if (has(dag.ancestors[waiter] as Bits, waitsFor)) continue;
        if (!barrier) throw new Error('internal: a plain series step adds a wait that is not a dependency');
        out.push({ waiter, waitsFor, barrier });
      }
    }
  });
}

function finish(dag: Dag, root: ScheduleNode, exact: boolean, gates: readonly Gate[] = []): Schedule {
  if (gates.length > 0) {
    // Gates add waits the structure does not show; by construction none is extra (see gatedForest).
    return { root, names: dag.names, levels: dag.levels, extraWaitCount: 0, extraWaits: [], exact, gates };
  }
  const covers: Cover[] = [];
  extraCovers(dag, root, covers);
  const byBarrier = new Map<Barrier, Cover[]>();
  for (const cover of covers) {
    const list = byBarrier.get(cover.barrier);
    if (list) list.push(cover);
    else byBarrier.set(cover.barrier, [cover]);
  }
  const budget: WitnessBudget = { left: WITNESS_BUDGET_TOTAL };
  const witnesses = new Map<Barrier, NShape | null>();
  for (const [barrier, list] of byBarrier) {
    witnesses.set(barrier, barrier.kind === 'level' ? null : findWitness(dag, barrier, list, budget));
  }
  return {
    root,
    names: dag.names,
    levels: dag.levels,
    extraWaitCount: orderPairs(root).pairs - truePairCount(dag),
    extraWaits: covers.map((cover) => ({ ...cover, witness: witnesses.get(cover.barrier) ?? null })),
    exact,
    gates,
  };
}

/**
 * The dependency-following schedule: no extra waiting for a series-parallel DAG, and within a
 * sub-graph that is not, level-threshold barriers chosen to add the fewest extra waits.
 *
 * @param groups every group, each after all of its dependencies (the planner's order).
 */
export function dagSchedule(groups: readonly ScheduleGroup[], options: DagScheduleOptions = {}): Schedule {
  const dag = buildDag(groups);
  if (dag.n === 0) throw new Error('internal: no groups to schedule');
  const solver = new Solver(dag, options.workBudget ?? SEARCH_WORK_BUDGET);
  const root = solver.solve(groups.map((_, i) => i)).node;
  return finish(dag, root, !solver.gaveUp);
}

/**
 * The exact schedule: every group starts when its last dependency ends, on any DAG. The series-parallel
 * parts nest as in {@link dagSchedule}; the prime sets run as forests with gates (see the module comment).
 *
 * @param groups every group, each after all of its dependencies (the planner's order).
 */
export function exactSchedule(groups: readonly ScheduleGroup[]): Schedule {
  const dag = buildDag(groups);
  if (dag.n === 0) throw new Error('internal: no groups to schedule');
  const gates = new Map<number, number[]>();
  // No search happens here (a prime set has one forest): the budget cannot change the outcome.
  const solver = new Solver(dag, Number.POSITIVE_INFINITY, gates);
  const root = solver.solve(groups.map((_, i) => i)).node;
  const list = [...gates.entries()].sort(([a], [b]) => a - b).map(([group, after]) => ({ group, after }));
  return finish(dag, root, true, list);
}

/** The seed guides' schedule: all groups of one dependency level in parallel, one level after another. */
export function levelSchedule(groups: readonly ScheduleGroup[]): Schedule {
  const dag = buildDag(groups);
  if (dag.n === 0) throw new Error('internal: no groups to schedule');
  const byLevel: number[][] = [];
  dag.levels.forEach((level, i) => {
    while (byLevel.length <= level) byLevel.push([]);
    (byLevel[level] as number[]).push(i);
  });
  const all = groups.map((_, i) => i);
  const parts = byLevel.map((members) => parallel(members.map(task)));
  const joins = byLevel.slice(1).map((_, k): Barrier => ({ kind: 'level', level: k + 1, groups: all }));
  return finish(dag, sequence(parts, joins), true);
}
