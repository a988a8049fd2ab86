/**
 * Schedule `exact` executed: a generated 60-group DAG that is not series-parallel, whose groups sleep
 * for drawn durations, runs with its gates (the real gate and release code of
 * python/kedro_aws_action/gates.py, in a stand-in handler without Kedro: test/support/gated.ts)
 *
 * - in the local executor: each group and each gate a process of its own, the gates' callbacks to the
 *   executor's own Step Functions endpoint, their tokens in moto's S3;
 * - in moto's Step Functions (executing mode), which runs `lambda:invoke.waitForTaskToken` as AWS does:
 *   it invokes the function with the task token in the payload and waits for SendTaskSuccess. moto's
 *   Lambda runs no image (it answers with the payload it was given), so drivers here do what the
 *   functions would, with the real gates.py: each gate's call with the event the history shows (its
 *   token included), each group's release once its Task has exited. The groups take no time there,
 *   and the drivers poll the history, so only the order is checked there, not how soon.
 *
 * Both check, from the times and events the execution records, that every group started after all of
 * its dependencies ended and that each gate was opened by one of its own dependencies (or by itself,
 * when they had all ended before it stored its token). The local executor also checks that every
 * group's Task was entered right after the event that let it go: no group waited for one it does not
 * depend on. The `dag` machine of the same DAG would have held some group seconds beyond its
 * dependencies (first test).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { DeploymentPlan } from '../../src/plan/planner';
import { buildDefinition, gateStateName, type ScheduleKind } from '../../src/plan/statemachine';
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
import { createDataBuckets, motoExecuteStateMachines, motoRecordOnly, PYTHON, ROOT, resetMoto } from '../support/moto';

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

  test('in moto: SUCCEEDED, every group after its dependencies, every gate opened by one of its own dependencies', async () => {
    await motoExecuteStateMachines();
    const region = 'us-east-1';
    const iam = new IAMClient({ region });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'gated', AssumeRolePolicyDocument: trust }))).Role!
      .Arn!;
    const lambda = new LambdaClient({ region });
    const arns = new Map<string, string>();
    for (const g of plan.groups) {
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: g.names.lambdaFunction,
          Role: role,
          PackageType: 'Image',
          Code: { ImageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/gated@sha256:${'ab'.repeat(32)}` },
        }),
      );
      arns.set(g.names.lambdaFunction, created.FunctionArn!);
    }
    const built = definitionOf(plan, 'exact', (fn) => arns.get(fn)!);
    const sfn = new SFNClient({ region });
    const machine = await sfn.send(
      new CreateStateMachineCommand({ name: 'gated-exact', definition: built.json, roleArn: role }),
    );
    const id = runId();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine.stateMachineArn!,
        name: `run-${Date.now()}`,
        input: JSON.stringify({ run_id: id, runtime_params: {} }),
      }),
    );

    // Functions run side by side on AWS: a few drivers, each call to the next (gates and releases are
    // safe in any order: both sides write first and read second).
    const drivers = Array.from({ length: 4 }, () => new Driver(`${RECORDS}/moto/`));
    let turn = 0;
    const driver = { call: (request: object) => drivers[turn++ % drivers.length]!.call(request) };
    const groupOfState = new Map(plan.groups.map((g) => [g.names.state, g.name]));
    const gateOfState = new Map(plan.groups.map((g) => [gateStateName(g.names.state), g.name]));
    const entered = new Map<string, HistoryEvent>();
    const exited = new Map<string, HistoryEvent>();
    const gateExited = new Map<string, HistoryEvent>();
    const seen = new Set<number>();
    /** Who opened each gate, by what the real gates.py calls returned. */
    const openedBy = new Map<string, string>();
    const work: Promise<unknown>[] = [];
    let status = 'RUNNING';
    try {
      const deadline = Date.now() + 180_000;
      while (status === 'RUNNING' && Date.now() < deadline) {
        // The status first: a history read after it holds every event up to it.
        status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status!;
        for (const event of await history(sfn, executionArn!)) {
          if (seen.has(event.id!)) continue;
          seen.add(event.id!);
          const details = event.taskScheduledEventDetails;
          if (event.type === 'TaskScheduled' && details?.resource === 'invoke.waitForTaskToken') {
            // The gate's function call, with the event Step Functions sends (its token included).
            const event = JSON.parse(details.parameters!).Payload as { gate: { group: string } };
            work.push(
              driver.call({ op: 'gate', event }).then((out) => {
                if ((out as { opened?: boolean }).opened) openedBy.set(event.gate.group, event.gate.group);
              }),
            );
          }
          const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? '';
          const group = groupOfState.get(name);
          if (event.type === 'TaskStateEntered' && group) entered.set(group, event);
          if (event.type === 'TaskStateExited' && group) {
            exited.set(group, event);
            // The group's function has returned (moto answers at once): it releases its gated groups.
            const release = releaseOf(built.json, group);
            if (release.length > 0)
              work.push(
                driver.call({ op: 'release', group, run_id: id, release }).then((out) => {
                  for (const g of out as string[]) openedBy.set(g, group);
                }),
              );
          }
          if (event.type === 'TaskStateExited' && gateOfState.has(name)) gateExited.set(gateOfState.get(name)!, event);
        }
        if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 300));
      }
      await Promise.all(work);
    } finally {
      for (const d of drivers) d.stop();
      await motoRecordOnly();
    }
    expect(status).toBe('SUCCEEDED');
    expect(gateExited.size).toBe(built.stats.gates);
    // From the history: every group entered after each of its dependencies exited (by id and by time)...
    const late: string[] = [];
    const wrongOpener: string[] = [];
    for (const [j, d] of deps.entries()) {
      const g = groupName(j);
      const start = entered.get(g)!;
      for (const i of d) {
        const dep = exited.get(groupName(i))!;
        if (dep.id! > start.id! || dep.timestamp! > start.timestamp!)
          late.push(`${g} entered before ${groupName(i)} exited`);
      }
      // ...and its gate, if it has one, was opened by one of its own dependencies (or by itself, when
      // they had all ended before it stored its token): no group waited on one it does not depend on.
      const gate = gateExited.get(g);
      if (gate) {
        const by = openedBy.get(g);
        if (!(by === g || d.some((i) => groupName(i) === by))) wrongOpener.push(`${g}: opened by ${by ?? 'nobody'}`);
        for (const i of d) {
          if (exited.get(groupName(i))!.id! > gate.id!) late.push(`${g}'s gate exited before ${groupName(i)} exited`);
        }
      }
    }
    expect(late).toEqual([]);
    expect(wrongOpener).toEqual([]);
    expect(openedBy.size).toBe(built.stats.gates);
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

/** The gated groups a group's Task releases (its payload's `release`). */
function releaseOf(json: string, group: string): string[] {
  const found: string[][] = [];
  JSON.parse(json, (key, value) => {
    if (key === 'Payload' && value && value.group === group && Array.isArray(value.release)) found.push(value.release);
    return value;
  });
  return found[0] ?? [];
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** What the functions would do in moto, by the real gates.py: one Python process, a JSON line per call. */
class Driver {
  private readonly child: ChildProcess;
  private readonly waiting: ((line: string) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(records: string) {
    const script = [
      'import json, sys',
      'from kedro_aws_action import gates',
      'for line in sys.stdin:',
      '    call = json.loads(line)',
      '    try:',
      '        if call["op"] == "gate":',
      '            out = gates.open_gate(call["event"])',
      '        else:',
      '            out = gates.release(call["group"], call["run_id"], call["release"])',
      '        print(json.dumps({"ok": out}), flush=True)',
      '    except Exception as exc:',
      '        print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}), flush=True)',
    ].join('\n');
    this.child = spawn(PYTHON, ['-c', script], {
      env: { ...process.env, PYTHONPATH: `${ROOT}/python`, KEDRO_AWS_RUN_RECORDS: records },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => this.waiting.shift()?.(line));
  }

  /** One call at a time, in the order asked. */
  call(request: object): Promise<unknown> {
    const run = async () => {
      const line = await new Promise<string>((resolve) => {
        this.waiting.push(resolve);
        this.child.stdin!.write(`${JSON.stringify(request)}\n`);
      });
      const answer = JSON.parse(line) as { ok?: unknown; error?: string };
      if (answer.error) throw new Error(`${JSON.stringify(request).slice(0, 200)}: ${answer.error}`);
      return answer.ok;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  stop(): void {
    this.child.stdin!.end();
    this.child.kill();
  }
}

describe('schedule exact: a failed run', () => {
  // The N: g002 needs g000 and g001 (behind a gate), g003 needs g001 only.
  const deps: Deps = [[], [], [0, 1], [1]];
  const plan = planOfDag(deps, 'gated-failing');

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
  });

  test('a group that fails stops the run at once: its gated dependent never opens nor starts, no gate waits for its timeout', async () => {
    const { actionPythonDir, image } = standInRuntime();
    const { definition } = definitionOf(plan, 'exact', (fn) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`);
    const lines: string[] = [];
    const result = await runLocally({
      definition,
      input: {
        run_id: runId(),
        runtime_params: { durations: { g000: 3, g001: 0.2 }, fail: ['g001'] },
        env: 'aws',
      },
      python: PYTHON,
      image,
      actionPythonDir,
      groupOfState: new Map(plan.groups.map((g) => [g.names.state, g.name])),
      maxConcurrency: 8,
      log: (line) => lines.push(line),
      env: { KEDRO_AWS_RUN_RECORDS: `${RECORDS}/local-failing/` },
    });
    expect({ status: result.status, group: result.failure?.group }).toEqual({ status: 'FAILED', group: 'g001' });
    expect(result.failure?.cause ?? '').toMatch(/group g001 broke/);
    // The gate of g002 was entered (it waits for g000 and g001) but never opened; g002 never ran.
    expect(Object.keys(result.gates)).toEqual(['g002']);
    expect(result.gates.g002!.opened).toBeUndefined();
    expect(result.groups.g002!.start).toBeUndefined();
    // The run ended with the failure, not with the gate's timeout (the longest its groups can take).
    expect(result.stopDate.getTime() - result.startDate.getTime()).toBeLessThan(60_000);
  });
});
