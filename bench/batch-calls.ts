/**
 * API calls of waiting on a Batch run: DescribeJobs calls per job-minute of waiting, for runs of 10,
 * 100 and 1,000 groups, with the action's waiting code (`waitForJobs` of src/modes/batch.ts, the
 * real one, against a simulated Batch in virtual time) beside the seed guide's runner (one
 * DescribeJobs call per job per second while it tracks the job).
 *
 * A job-minute of waiting is one minute during which one job is being waited on: from the moment
 * its dependencies have finished (when the seed's runner submits it and starts polling it, and when
 * the action starts asking about it) to its end. Both strategies are divided by the same job-minutes.
 *
 * Each simulated job waits in RUNNABLE for 10 s to 3 min (log-uniform), then RUNS for 1 to 30 min
 * (log-uniform). Two DAG families: `layered` (layers of about √n groups, each needing 1 to 3 groups of
 * the layer before) and `wide` (n independent groups and one sink needing all of them, with joins).
 *
 * Run: `bash bench/batch-calls.sh [--seed 42]`.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import type { WaitClock } from '../src/lib/wait';
import { buildJobGraph } from '../src/plan/batch';
import { buildPlan } from '../src/plan/planner';
import type { Plan } from '../src/plan/schema';
import { waitForJobs } from '../src/targets/batch/wait';

// The waiting code logs every transition; the bench only counts.
const quiet = core as unknown as { info: (m: string) => void; warning: (m: string) => void };
quiet.info = () => undefined;
quiet.warning = () => undefined;

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
const logUniform = (rng: Rng, lo: number, hi: number): number =>
  Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)));

/** deps[j]: indices < j. */
function layered(rng: Rng, n: number): number[][] {
  const width = Math.max(1, Math.ceil(Math.sqrt(n)));
  return Array.from({ length: n }, (_, j) => {
    const layer = Math.floor(j / width);
    if (layer === 0) return [];
    const prev = Array.from({ length: width }, (_, k) => (layer - 1) * width + k);
    const count = 1 + Math.floor(rng() * 3);
    return [...new Set(Array.from({ length: count }, () => prev[Math.floor(rng() * prev.length)] as number))];
  });
}

function wide(n: number): number[][] {
  return Array.from({ length: n }, (_, j) => (j === n - 1 ? Array.from({ length: n - 1 }, (_, i) => i) : []));
}

function planOf(deps: number[][]): Plan {
  const name = (i: number) => `g${String(i).padStart(4, '0')}`;
  return {
    schema_version: 1,
    project: { name: 'Bench', package_name: 'bench', kedro_version: '1.4.0', python_version: '3.12.0' },
    pipeline: '__default__',
    env: 'aws',
    runtime_params: {},
    groups: deps.map((d, j) => ({
      name: name(j),
      type: 'namespace' as const,
      nodes: [`${name(j)}.node`],
      dependencies: d.map(name),
      inputs: [],
      outputs: [],
    })),
    datasets: [],
    // Long groups: Batch's timeouts, not Lambda's (the bench never runs them).
    settings: { defaults: { compute: 'batch', timeout_seconds: 7200 } },
    warnings: [],
  };
}

interface Result {
  groups: number;
  jobMinutes: number;
  calls: number;
  rounds: number;
  maxCallsPerRound: number;
  seedCalls: number;
  makespanMinutes: number;
}

async function simulate(deps: number[][], rng: Rng): Promise<Result> {
  const plan = buildPlan(planOf(deps), { stage: 'bench' });
  const graph = buildJobGraph(plan);
  // Group j of the plan (topological order = index order here, names sort the same way).
  const index = new Map(plan.groups.map((g, i) => [g.name, i]));
  const queued = deps.map(() => logUniform(rng, 10, 180) * 1000);
  const running = deps.map(() => logUniform(rng, 60, 1800) * 1000);
  const ready: number[] = [];
  const end: number[] = [];
  for (let j = 0; j < deps.length; j++) {
    ready[j] = Math.max(0, ...(deps[j] ?? []).map((d) => end[d] as number));
    end[j] = (ready[j] as number) + (queued[j] as number) + (running[j] as number);
  }
  const ids = graph.jobs.map((job) =>
    job.kind === 'group' ? `job-${index.get(job.group as string)}` : `join-${job.index}`,
  );

  let now = 0;
  let round = 0;
  const callsInRound = new Map<number, number>();
  const clock: WaitClock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      round += 1;
    },
    random: rng,
  };
  const statusAt = (j: number): string => {
    if (now < (ready[j] as number)) return 'PENDING';
    if (now < (ready[j] as number) + (queued[j] as number)) return 'RUNNABLE';
    if (now < (end[j] as number)) return 'RUNNING';
    return 'SUCCEEDED';
  };
  const client = {
    send: async (command: { input: { jobs: string[] } }) => {
      callsInRound.set(round, (callsInRound.get(round) ?? 0) + 1);
      return {
        jobs: command.input.jobs.map((id) => {
          const j = Number(id.slice(4));
          return {
            jobId: id,
            status: statusAt(j),
            startedAt: (ready[j] as number) + (queued[j] as number),
            stoppedAt: end[j],
          };
        }),
      };
    },
  } as unknown as BatchClient;

  await waitForJobs(client, graph, ids, {
    timeoutMinutes: 100_000,
    pollIntervalSeconds: 5,
    clock,
    runnableWarningMinutes: 10,
    jobQueue: 'bench',
  });
  const calls = [...callsInRound.values()].reduce((a, b) => a + b, 0);
  const jobMs = deps.reduce((sum, _, j) => sum + ((end[j] as number) - (ready[j] as number)), 0);
  return {
    groups: deps.length,
    jobMinutes: jobMs / 60_000,
    calls,
    rounds: callsInRound.size,
    maxCallsPerRound: Math.max(...callsInRound.values()),
    // The seed's runner: one DescribeJobs per job per second from its submission to its end.
    seedCalls: deps.reduce((sum, _, j) => sum + Math.ceil(((end[j] as number) - (ready[j] as number)) / 1000), 0),
    makespanMinutes: Math.max(...end) / 60_000,
  };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const seed = arg('seed', 42);
  const rng = mulberry32(seed);
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(
    `DescribeJobs calls per job-minute of waiting (seed ${seed}; RUNNABLE 10 s-3 min, RUNNING 1-30 min, log-uniform)`,
  );
  console.log('');
  const header = [
    'family',
    'groups',
    'job-min',
    'makespan',
    'rounds',
    'max/round',
    'calls',
    'per job-min',
    'seed calls',
    'seed per job-min',
    'fewer',
  ];
  const rows: string[][] = [];
  for (const family of ['layered', 'wide'] as const) {
    for (const n of [10, 100, 1000]) {
      const deps = family === 'layered' ? layered(rng, n) : wide(n);
      const r = await simulate(deps, rng);
      rows.push([
        family,
        fmt(r.groups),
        fmt(r.jobMinutes),
        `${fmt(r.makespanMinutes)} min`,
        fmt(r.rounds),
        fmt(r.maxCallsPerRound),
        fmt(r.calls),
        fmt(r.calls / r.jobMinutes, 3),
        fmt(r.seedCalls),
        fmt(r.seedCalls / r.jobMinutes, 1),
        `${fmt(r.seedCalls / r.calls)}×`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

void main();
