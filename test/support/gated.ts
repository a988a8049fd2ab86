/**
 * Gated runs (schedule `exact`) without Kedro: a generated group DAG whose groups sleep for given
 * durations, run by the real gate and release code (python/kedro_aws_action/gates.py) inside a
 * stand-in Lambda handler. Shared by the local executor's and moto's integration tests and by the
 * executed makespan bench (bench/makespan.ts --execute).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Plan } from '../../src/plan/schema';
import { PYTHON, ROOT } from './moto';

/** Each group `deps[j]` lists indices below j. */
export type Deps = readonly (readonly number[])[];

export const groupName = (i: number): string => `g${String(i).padStart(3, '0')}`;

/** Seeded randomness (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A layered DAG of `n` groups: each needs 1 to 3 groups of the layer before, sometimes one further
 * back. Such DAGs are almost never series-parallel (tests check it).
 */
export function layeredDag(next: () => number, n: number, layers = Math.max(2, Math.floor(n / 6))): number[][] {
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const layerOf = Array.from({ length: n }, (_, j) => (j < layers ? j : int(0, layers - 1))).sort((a, b) => a - b);
  const members: number[][] = Array.from({ length: layers }, () => []);
  for (const [j, l] of layerOf.entries()) (members[l] as number[]).push(j);
  return layerOf.map((l) => {
    if (l === 0) return [];
    const previous = members[l - 1] as number[];
    const deps = new Set<number>();
    const k = int(1, Math.min(3, previous.length));
    while (deps.size < k) deps.add(previous[Math.floor(next() * previous.length)] as number);
    if (l >= 2 && next() < 0.3) {
      const earlier = members[int(0, l - 2)] as number[];
      deps.add(earlier[Math.floor(next() * earlier.length)] as number);
    }
    return [...deps].sort((a, b) => a - b);
  });
}

/** The deployment plan of a DAG (one node per group, nothing persisted: the stand-in reads nothing). */
export function planOfDag(deps: Deps, stage = 'gated'): DeploymentPlan {
  const plan: Plan = {
    schema_version: 1,
    project: { name: 'Gated', package_name: 'gated', kedro_version: '1.0.0', python_version: '3.12.0' },
    pipeline: '__default__',
    env: 'aws',
    runtime_params: {},
    groups: deps.map((d, i) => ({
      name: groupName(i),
      type: 'namespace' as const,
      nodes: [`${groupName(i)}.node`],
      dependencies: d.map(groupName),
      inputs: [],
      outputs: [],
    })),
    datasets: [],
    settings: {},
    warnings: [],
  };
  return buildPlan(plan, { stage });
}

/** Transitive dependencies of each group. */
export function ancestors(deps: Deps): Set<number>[] {
  const out: Set<number>[] = [];
  deps.forEach((d) => {
    const s = new Set<number>();
    for (const i of d) {
      s.add(i);
      for (const x of out[i] as Set<number>) s.add(x);
    }
    out.push(s);
  });
  return out;
}

/**
 * The stand-in `kedro_aws_action.lambda_handler`: a gate event goes to the real gates.open_gate; a
 * group sleeps for `runtime_params.durations[group]` seconds, then releases its gated dependents with
 * the real gates.release, and returns when it started and ended its work (epoch seconds).
 */
export const STAND_IN_HANDLER = `
import time
from kedro_aws_action import gates


class GroupBroke(Exception):
    pass


def handler(event, context):
    if "gate" in event:
        return gates.open_gate(event)
    group = event["group"]
    params = event.get("runtime_params") or {}
    if event.get("release"):
        # As the real handler does: the release's clients are made while the group runs.
        gates.prepare_release()
    started = time.time()
    time.sleep(float(params.get("durations", {}).get(group, 0)))
    ended = time.time()
    if group in params.get("fail", []):
        raise GroupBroke("group " + group + " broke")
    released = gates.release(group, event["run_id"], event["release"]) if event.get("release") else []
    return {"group": group, "started": started, "ended": ended, "released": released}
`;

/**
 * An action python/ folder whose kedro_aws_action is the real one (gates.py, records.py, ...) but for
 * the stand-in handler, and an emulated image with an empty site and a conf folder.
 */
export function standInRuntime(): {
  actionPythonDir: string;
  image: { site: string; taskRoot: string; packageName: string; runtime: string };
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-gated-'));
  const actionPythonDir = path.join(root, 'python');
  const pkg = path.join(actionPythonDir, 'kedro_aws_action');
  fs.cpSync(path.join(ROOT, 'python', 'kedro_aws_action'), pkg, {
    recursive: true,
    filter: (src) => !src.includes('__pycache__'),
  });
  fs.writeFileSync(path.join(pkg, 'lambda_handler.py'), STAND_IN_HANDLER);
  // The local executor runs a group with the image's packages only; the stand-in image has none, and
  // the Lambda runtime's boto3 (what the gate and release code use) comes from the test's interpreter.
  const runtime = execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], {
    encoding: 'utf8',
  }).trim();
  const image = { site: path.join(root, 'site'), taskRoot: path.join(root, 'task'), packageName: 'gated', runtime };
  fs.mkdirSync(image.site);
  fs.mkdirSync(path.join(image.taskRoot, 'conf', 'aws'), { recursive: true });
  fs.writeFileSync(path.join(image.taskRoot, 'conf', 'aws', 'catalog.yml'), '{}\n');
  return { actionPythonDir, image };
}

/**
 * When each group would start and end in a definition whose Tasks take `seconds(group)` (a chain takes
 * the sum of its states, a Parallel state its longest branch), from 0. Definitions without gates only.
 */
export function simulate(definition: object, seconds: (group: string) => number): Map<string, Span> {
  interface Chain {
    StartAt: string;
    States: Record<
      string,
      {
        Type: string;
        Next?: string;
        End?: boolean;
        Branches?: Chain[];
        Parameters?: { Payload?: { group?: string; gate?: unknown } };
      }
    >;
  }
  const spans = new Map<string, Span>();
  const run = (chain: Chain, at: number): number => {
    let t = at;
    let name: string | undefined = chain.StartAt;
    while (name !== undefined) {
      const state = chain.States[name] as Chain['States'][string];
      if (state.Type === 'Parallel') {
        t = Math.max(t, ...(state.Branches ?? []).map((b) => run(b, t)));
      } else {
        if (state.Parameters?.Payload?.gate) throw new Error('simulate: a definition with gates');
        const group = state.Parameters?.Payload?.group as string;
        spans.set(group, { start: t, end: t + seconds(group) });
        t += seconds(group);
      }
      name = state.End ? undefined : state.Next;
    }
    return t;
  };
  run(definition as Chain, 0);
  return spans;
}

/** When each group ran (epoch milliseconds, or seconds for a simulation): its work's start and end. */
export interface Span {
  start: number;
  end: number;
}

/** The heaviest dependency chain of measured spans: what an ideal scheduler would take. */
export function criticalPath(deps: Deps, seconds: readonly number[]): number {
  const finish: number[] = [];
  for (const [j, d] of deps.entries())
    finish.push(Math.max(0, ...d.map((i) => finish[i] as number)) + (seconds[j] as number));
  return Math.max(...finish);
}

/**
 * What the spans say about the order: `late` lists groups that started before one of their
 * dependencies ended; `waits[j]` is how long group j started after the last of its dependencies
 * ended (after `origin`, the execution's start, for a group without any).
 */
export function startLatencies(
  deps: Deps,
  spans: readonly Span[],
  origin: number,
): { late: string[]; waits: number[] } {
  const late: string[] = [];
  const waits = deps.map((d, j) => {
    const span = spans[j] as Span;
    for (const i of d) {
      if ((spans[i] as Span).end > span.start) late.push(`${groupName(j)} started before ${groupName(i)} ended`);
    }
    const ready = Math.max(origin, ...d.map((i) => (spans[i] as Span).end));
    return span.start - ready;
  });
  return { late, waits };
}
