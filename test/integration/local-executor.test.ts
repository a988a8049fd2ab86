/**
 * executor: local. The state machine `deploy` would create, executed on the runner: each Task runs its
 * group's Lambda handler in a fresh Python process, with the project installed from the wheel of a real
 * `kedro package`, and datasets cross groups through moto's S3, as they would through AWS's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../src/aws/clients';
import { createContext } from '../../src/context/context';
import { readInputs } from '../../src/inputs';
import { runMode } from '../../src/modes/run';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Plan } from '../../src/plan/schema';
import { buildDefinition, LAMBDA_INVOKE_RESOURCE, LAMBDA_SERVICE_RETRY } from '../../src/plan/statemachine';
import type { GroupTransition } from '../../src/report/progress';
import { type LocalExecutionResult, runLocally } from '../../src/targets/local/executor';
import { type LocalImage, prepareImage } from '../../src/targets/local/image';
import { localFailureMessage } from '../../src/targets/local/run';
import { deleteKeys, exportPlan, kedroPackage, listKeys, s3Location, uploadRaw } from '../support/kedro';
import { PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';

const PACKAGE = 'spaceflights';

interface Prepared {
  project: string;
  plan: Plan;
  deployment: DeploymentPlan;
  image: LocalImage;
  workDir: string;
}

async function prepare(project: string, exported?: Plan): Promise<Prepared> {
  const { wheel, confArchive } = kedroPackage(project, PACKAGE);
  const plan = exported ?? exportPlan(project);
  const deployment = buildPlan(plan, { stage: 'local-test' });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-image-'));
  const image = await prepareImage({ python: PYTHON, wheel, confArchive, packageName: PACKAGE, workDir });
  return { project, plan, deployment, image, workDir };
}

function runId(): string {
  return new Date().toISOString().replace(/:/g, '.');
}

async function execute(
  prepared: Prepared,
  options: { runId: string; runtimeParams?: Record<string, unknown>; maxConcurrency?: number },
): Promise<{ result: LocalExecutionResult; transitions: GroupTransition[]; lines: string[] }> {
  const { definition } = buildDefinition(prepared.deployment, {
    schedule: 'dag',
    env: prepared.deployment.env,
    packageName: PACKAGE,
    functionArn: (g) => `arn:aws:lambda:us-east-1:123456789012:function:${g.names.lambdaFunction}`,
  });
  const transitions: GroupTransition[] = [];
  const lines: string[] = [];
  const result = await runLocally({
    definition,
    input: { run_id: options.runId, runtime_params: options.runtimeParams ?? {}, env: prepared.deployment.env },
    python: PYTHON,
    image: prepared.image,
    groupOfState: new Map(prepared.deployment.groups.map((g) => [g.names.state, g.name])),
    onTransition: (t) => transitions.push(t),
    log: (line) => lines.push(line),
    ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
  });
  return { result, transitions, lines };
}

/** Each group started after every one of its dependencies succeeded (by order and by time). */
function expectDependencyOrder(deployment: DeploymentPlan, transitions: GroupTransition[]): void {
  const index = (group: string, status: string) =>
    transitions.findIndex((t) => t.group === group && t.status === status);
  for (const group of deployment.groups) {
    const started = index(group.name, 'RUNNING');
    if (started < 0) continue;
    for (const dependency of group.dependencies) {
      const done = index(dependency, 'SUCCEEDED');
      expect({ group: group.name, dependency, doneBeforeStart: done >= 0 && done < started }).toEqual({
        group: group.name,
        dependency,
        doneBeforeStart: true,
      });
      expect(transitions[done]!.at!.getTime()).toBeLessThanOrEqual(transitions[started]!.at!.getTime());
    }
  }
}

/** Where each persisted output of the plan lands for a run: versioned ones under <filepath>/<run_id>/<basename>. */
function expectedKeys(plan: Plan, id: string, prefix: { from: string; to: string } | null = null): string[] {
  return plan.datasets
    .filter((d) => d.producer !== null && d.persisted && d.filepath)
    .map((d) => {
      let { key } = s3Location(d.filepath!);
      if (prefix && key.startsWith(`${prefix.from}/`)) key = `${prefix.to}/${key.slice(prefix.from.length + 1)}`;
      return d.versioned ? `${key}/${id}/${path.posix.basename(key)}` : key;
    })
    .sort();
}

describe('executor: local, the example project', () => {
  const s3: S3Client = s3Client({ region: 'us-east-1', maxAttempts: 3 });
  let prepared: Prepared;
  let rawKeys: string[];

  beforeAll(async () => {
    await resetMoto();
    prepared = await prepare(copyProject(EXAMPLE));
    rawKeys = await uploadRaw(s3, prepared.project);
  });

  test('runs every group in its own process, after its dependencies, and writes every output to S3', async () => {
    const id = runId();
    const started = Date.now();
    const { result, transitions, lines } = await execute(prepared, { runId: id });
    const seconds = (Date.now() - started) / 1000;

    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(Object.keys(result.groups).sort()).toEqual(['data_processing', 'data_science', 'reporting']);
    for (const [group, record] of Object.entries(result.groups)) {
      expect({ group, status: record.status }).toEqual({ group, status: 'SUCCEEDED' });
      // The handler's own answer, as the Lambda would return it.
      expect(record.result).toMatchObject({ group, type: 'namespace', run_id: id });
      expect(record.start!.getTime()).toBeLessThanOrEqual(record.end!.getTime());
    }
    expect(transitions.filter((t) => t.status === 'RUNNING').map((t) => t.group)[0]).toBe('data_processing');
    expectDependencyOrder(prepared.deployment, transitions);

    // Every output of the plan, at the path the catalog gives it, in the emulated bucket.
    const expected = expectedKeys(prepared.plan, id);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.every((k) => k.startsWith('main/'))).toBe(true);
    expect(await listKeys(s3, 'main/')).toEqual(expect.arrayContaining(expected));
    expect(expected).toEqual(expect.arrayContaining([`main/06_models/regressor.pickle/${id}/regressor.pickle`]));

    // Each group's log lines reach the step log, prefixed with the group.
    for (const group of ['data_processing', 'data_science', 'reporting']) {
      expect(lines.some((l) => l.startsWith(`[${group}] `))).toBe(true);
    }
    // The project was imported from the wheel, not from anywhere else.
    expect(lines.filter((l) => /is imported from/.test(l))).toEqual([]);
    process.stdout.write(`local executor, example project: ${seconds.toFixed(1)} s for 3 groups\n`);
  });

  test('the run id and the runtime params of the execution input reach every group', async () => {
    const id = runId();
    const { result } = await execute(prepared, {
      runId: id,
      runtimeParams: { output_prefix: 'pr-9' },
      maxConcurrency: 1,
    });
    expect(result.status).toBe('SUCCEEDED');
    const expected = expectedKeys(prepared.plan, id, { from: 'main', to: 'pr-9' });
    expect(await listKeys(s3, 'pr-9/')).toEqual(expected);
    // One process at a time: no two groups overlap.
    const spans = Object.values(result.groups)
      .map((g) => [g.start!.getTime(), g.end!.getTime()] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  test('the same wheel again: the emulated image is reused', async () => {
    const dist = path.join(prepared.project, 'dist');
    const wheel = path.join(dist, fs.readdirSync(dist).find((f) => f.endsWith('.whl'))!);
    const again = await prepareImage({
      python: PYTHON,
      wheel,
      confArchive: path.join(dist, `conf-${PACKAGE}.tar.gz`),
      packageName: PACKAGE,
      workDir: prepared.workDir,
    });
    expect(again.reused).toBe(true);
    expect(again.wheelSha256).toBe(prepared.image.wheelSha256);
    expect(prepared.image.reused).toBe(false);
    // conf/local is never part of the image.
    expect(fs.existsSync(path.join(again.taskRoot, 'conf', 'aws', 'catalog.yml'))).toBe(true);
    expect(fs.existsSync(path.join(again.taskRoot, 'conf', 'local'))).toBe(false);
  });

  test('run mode with executor: local runs the plan from the state and sets the outputs', async () => {
    // The plan exported with the run's runtime params (run refuses others before starting).
    exportPlan(prepared.project, { runtimeParams: { output_prefix: 'mode-1' } });
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-runner-'));
    const dist = path.join(prepared.project, 'dist');
    const given: Record<string, string> = {
      mode: 'run',
      'project-path': prepared.project,
      python: PYTHON,
      stage: 'local-mode',
      wheel: path.join(dist, fs.readdirSync(dist).find((f) => f.endsWith('.whl'))!),
      'conf-archive': path.join(dist, `conf-${PACKAGE}.tar.gz`),
      plan: path.join(prepared.project, 'plan.json'),
      // The plan was exported from a JSON object: run compares a JSON object (key=value text is Kedro's to read).
      'runtime-params': '{"output_prefix": "mode-1"}',
      executor: 'local',
    };
    const id = runId();
    given['run-id'] = id;
    const inputs = readInputs((name) => given[name] ?? '', prepared.project);
    const outputs: Record<string, string> = {};
    const ctx = {
      ...createContext(inputs, { ...process.env, RUNNER_TEMP: runnerTemp }),
      setOutput: (n: string, v: string) => void (outputs[n] = v),
    };
    const result = await runMode(ctx);
    expect(result?.status).toBe('SUCCEEDED');
    expect(outputs).toEqual({ 'run-id': id, status: 'SUCCEEDED' });
    expect(await listKeys(s3, 'mode-1/')).toEqual(expectedKeys(prepared.plan, id, { from: 'main', to: 'mode-1' }));
    // The emulated image and the sandboxes live under the stage's work folder.
    expect(
      fs.existsSync(path.join(runnerTemp, 'kedro-aws-action', 'local-mode', 'local', 'image', 'site', PACKAGE)),
    ).toBe(true);
    expect(fs.readdirSync(path.join(runnerTemp, 'kedro-aws-action', 'local-mode', 'local', 'sandboxes'))).toEqual([]);
  });

  test('a group that fails fails the execution, names the group, and nothing downstream starts', async () => {
    await deleteKeys(s3, rawKeys);
    try {
      const { result, transitions, lines } = await execute(prepared, { runId: runId() });
      expect(result.status).toBe('FAILED');
      expect(result.failure?.group).toBe('data_processing');
      expect(result.failure?.error).toBe('DatasetError');
      expect(result.failure?.cause).toMatch(/01_raw\/(companies|shuttles|reviews)\.csv/);
      expect(result.groups.data_processing?.status).toBe('FAILED');
      expect(result.groups.data_science?.status).toBe('NOT_STARTED');
      expect(result.groups.reporting?.status).toBe('NOT_STARTED');
      expect(transitions.map((t) => `${t.group} ${t.status}`)).toEqual([
        'data_processing RUNNING',
        'data_processing FAILED',
      ]);
      // A function error is not retried (the definition retries Lambda service errors only).
      expect(result.groups.data_processing?.attempts).toBe(1);
      expect(lines.some((l) => /retried/.test(l))).toBe(false);
      // The step's failure message names the group, the error, and what did not run.
      const message = localFailureMessage(result, { timeoutMinutes: 350 });
      expect(message).toMatch(/^group "data_processing" failed \(local executor\): DatasetError\ncause: companies: /);
      expect(message).toMatch(/failed in node 'data_processing\.preprocess_companies_node' while loading 'companies'/);
      expect(message).toMatch(/\nnot started: data_science, reporting$/);
    } finally {
      rawKeys = await uploadRaw(s3, prepared.project);
    }
  });
});

describe('executor: local, a dataset that cannot cross Lambdas', () => {
  const s3: S3Client = s3Client({ region: 'us-east-1', maxAttempts: 3 });

  test('a crossing dataset on a local relative path is refused at package; run anyway, the group that reads it fails, by name', async () => {
    await resetMoto();
    const project = copyProject(EXAMPLE);
    const onS3 = exportPlan(project);
    const catalog = path.join(project, 'conf', 'aws', 'catalog.yml');
    const text = fs.readFileSync(catalog, 'utf8');
    const local = text.replace(
      /(model_input_table:\n\s+type: pandas\.ParquetDataset\n\s+filepath: )[^\n]+/,
      '$1data/03_primary/model_input_table.parquet',
    );
    expect(local).not.toBe(text);
    fs.writeFileSync(catalog, local);
    // `package` refuses it, naming the dataset, where it is and who reads it.
    expect(() => exportPlan(project)).toThrow(
      /'model_input_table' at data\/03_primary\/model_input_table\.parquet \(written by group 'data_processing', read by 'data_science'\): each Lambda invocation or Batch container has a disk of its own/,
    );
    // Deployed anyway (the plan of before the change, the conf of after): each group has a disk of its own here too.
    const prepared = await prepare(project, onS3);
    await uploadRaw(s3, project);

    const { result, transitions } = await execute(prepared, { runId: runId() });
    expect(result.status).toBe('FAILED');
    expect(result.groups.data_processing?.status).toBe('SUCCEEDED');
    expect(result.failure?.group).toBe('data_science');
    expect(result.failure?.error).toBe('DatasetError');
    expect(result.failure?.cause).toMatch(/model_input_table/);
    // Read from data_science's own task root, where nothing wrote it.
    expect(result.failure?.cause).toMatch(
      /kedro-aws-local-data_science-[^/]+\/task\/data\/03_primary\/model_input_table\.parquet/,
    );
    expect(transitions.find((t) => t.status === 'FAILED')?.group).toBe('data_science');
    // It was written, but in data_processing's own sandbox, which is gone; nothing in the project either.
    expect(fs.existsSync(path.join(project, 'data', '03_primary', 'model_input_table.parquet'))).toBe(false);
  });
});

/**
 * The executor's own behaviour, with a stand-in for kedro_aws_action.lambda_handler (no Kedro, fast):
 * the handler does what the event says.
 */
describe('executor: local, with a stand-in handler', () => {
  const STUB = `
import json, os, sys, time

class GroupBroke(Exception):
    pass

KEYS = ["PYTHONPATH", "KEDRO_PACKAGE_NAME", "KEDRO_CONF_SOURCE", "KEDRO_ENV", "LAMBDA_TASK_ROOT",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_ENDPOINT_URL", "GITHUB_TOKEN", "TMPDIR", "EXTRA"]

def handler(event, context):
    pid_file = os.environ.get("STUB_PID_DIR")
    if pid_file:
        with open(os.path.join(pid_file, event["group"]), "w") as f:
            f.write(str(os.getpid()))
    what = event.get("do", "echo")
    if what == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"]}
    if what == "raise":
        print("about to break", file=sys.stderr)
        raise GroupBroke("no data for " + event["group"])
    if what == "exit":
        os._exit(3)
    if what == "unjson":
        return {"values": {1, 2}}
    files = sorted(os.listdir("."))
    with open("left-behind.txt", "w") as f:
        f.write("only in this sandbox")
    return {"event": event, "cwd": os.getcwd(), "files": files, "env": {k: os.environ.get(k) for k in KEYS}}
`;
  let actionPythonDir: string;
  let image: { site: string; taskRoot: string; packageName: string };
  let pidDir: string;

  beforeAll(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-stub-'));
    actionPythonDir = path.join(root, 'python');
    fs.mkdirSync(path.join(actionPythonDir, 'kedro_aws_action'), { recursive: true });
    fs.writeFileSync(path.join(actionPythonDir, 'kedro_aws_action', '__init__.py'), '');
    fs.writeFileSync(path.join(actionPythonDir, 'kedro_aws_action', 'lambda_handler.py'), STUB);
    image = { site: path.join(root, 'site'), taskRoot: path.join(root, 'task'), packageName: 'stubpkg' };
    fs.mkdirSync(image.site);
    fs.mkdirSync(path.join(image.taskRoot, 'conf', 'aws'), { recursive: true });
    fs.writeFileSync(path.join(image.taskRoot, 'conf', 'aws', 'catalog.yml'), '{}\n');
    pidDir = path.join(root, 'pids');
    fs.mkdirSync(pidDir);
  });

  beforeEach(() => {
    for (const f of fs.readdirSync(pidDir)) fs.rmSync(path.join(pidDir, f));
  });

  const task = (group: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:proj-dev-${group}`,
      Payload: {
        group,
        type: 'namespace',
        nodes: [`${group}.n`],
        env: 'aws',
        'run_id.$': '$.run_id',
        'runtime_params.$': '$.runtime_params',
        ...payload,
      },
    },
    ResultPath: null,
    TimeoutSeconds: 360,
    Retry: [LAMBDA_SERVICE_RETRY],
    ...extra,
  });
  /** first, then a Parallel state of the others. */
  const machine = (first: object, ...parallel: [string, object][]) => ({
    StartAt: 'first',
    States: {
      first: { ...first, ...(parallel.length ? { Next: 'Parallel 1' } : { End: true }) },
      ...(parallel.length
        ? {
            'Parallel 1': {
              Type: 'Parallel',
              Branches: parallel.map(([name, state]) => ({
                StartAt: name,
                States: { [name]: { ...state, End: true } },
              })),
              ResultPath: null,
              End: true,
            },
          }
        : {}),
    },
  });
  const run = async (definition: object, options: { maxConcurrency?: number; signal?: AbortSignal } = {}) => {
    const transitions: GroupTransition[] = [];
    const lines: string[] = [];
    const names = ['first', 'a', 'b', 'c'];
    const result = await runLocally({
      definition,
      input: { run_id: '2026-01-31T08.15.00.123Z', runtime_params: { output_prefix: 'pr-9' }, env: 'aws' },
      python: PYTHON,
      image,
      actionPythonDir,
      groupOfState: new Map(names.map((n) => [n, n])),
      onTransition: (t) => transitions.push(t),
      log: (line) => lines.push(line),
      env: { EXTRA: 'given', STUB_PID_DIR: pidDir },
      hostEnv: { ...process.env, GITHUB_TOKEN: 'must-not-leak' },
      ...options,
    });
    return { result, transitions, lines };
  };
  const alive = (group: string): boolean => {
    const pid = Number(fs.readFileSync(path.join(pidDir, group), 'utf8'));
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  test('each group gets the event Step Functions would send, in a sandbox of its own', async () => {
    const { result, lines } = await run(machine(task('first', {}), ['a', task('a', {})], ['b', task('b', {})]));
    expect(result.status).toBe('SUCCEEDED');
    type Echo = { event: unknown; cwd: string; files: string[]; env: Record<string, string | null> };
    const echo = (g: string) => result.groups[g]!.result as Echo;
    expect(echo('first').event).toEqual({
      group: 'first',
      type: 'namespace',
      nodes: ['first.n'],
      env: 'aws',
      run_id: '2026-01-31T08.15.00.123Z',
      runtime_params: { output_prefix: 'pr-9' },
    });
    const cwds = ['first', 'a', 'b'].map((g) => echo(g).cwd);
    expect(new Set(cwds).size).toBe(3);
    for (const g of ['first', 'a', 'b']) {
      const { cwd, files, env } = echo(g);
      // Only the image's conf: nothing another group left in its own working directory.
      expect(files).toEqual(['conf']);
      expect(env.LAMBDA_TASK_ROOT).toBe(cwd);
      expect(env.KEDRO_CONF_SOURCE).toBe(path.join(cwd, 'conf'));
      expect(env.KEDRO_PACKAGE_NAME).toBe('stubpkg');
      expect(env.KEDRO_ENV).toBe('aws');
      expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe(`proj-dev-${g}`);
      expect(env.PYTHONPATH).toBe([image.site, actionPythonDir].join(path.delimiter));
      expect(env.AWS_ENDPOINT_URL).toBe(process.env.AWS_ENDPOINT_URL);
      expect(env.EXTRA).toBe('given');
      expect(env.GITHUB_TOKEN).toBeNull();
      expect(env.TMPDIR).not.toBe(os.tmpdir());
      // The sandbox is gone once the group has ended.
      expect(fs.existsSync(cwd)).toBe(false);
    }
    expect(result.groups.first!.start!.getTime()).toBeLessThanOrEqual(result.groups.a!.start!.getTime());
    expect(lines.length).toBe(0);
  });

  test('a function error is reported as Lambda reports it: class name, message; and a crash or a non-JSON result too', async () => {
    const { result } = await run(
      machine(
        task('first', {}),
        ['a', task('a', { do: 'raise' })],
        ['b', task('b', { do: 'exit' })],
        ['c', task('c', { do: 'unjson' })],
      ),
      { maxConcurrency: 3 },
    );
    expect(result.status).toBe('FAILED');
    expect(['a', 'b', 'c']).toContain(result.failure?.group);
    // The branches already running when the first one failed ran to their end, as Lambdas would.
    expect(result.groups.a).toMatchObject({ status: 'FAILED', error: 'GroupBroke', attempts: 1 });
    expect(result.groups.a!.cause).toMatch(/^no data for a\n/);
    expect(result.groups.a!.cause).toMatch(/about to break/);
    expect(result.groups.b).toMatchObject({ status: 'FAILED', error: 'Runtime.ExitError' });
    expect(result.groups.b!.cause).toMatch(/exit status 3/);
    expect(result.groups.c).toMatchObject({ status: 'FAILED', error: 'Runtime.MarshalError' });
  });

  test('a Retry whose ErrorEquals names the error retries the group', async () => {
    const retry = { ErrorEquals: ['GroupBroke'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 };
    const { result, transitions } = await run(
      machine(task('first', { do: 'raise' }, { Retry: [LAMBDA_SERVICE_RETRY, retry] })),
    );
    expect(result.status).toBe('FAILED');
    expect(result.groups.first).toMatchObject({ status: 'FAILED', error: 'GroupBroke', attempts: 2 });
    expect(transitions.map((t) => t.status)).toEqual(['RUNNING', 'FAILED', 'RUNNING', 'FAILED']);
  });

  test('a group past its Lambda timeout is killed and fails with Sandbox.Timedout', async () => {
    // TimeoutSeconds is the Lambda timeout plus deploy's margin of 60 s: here a 1 s Lambda.
    const started = Date.now();
    const { result } = await run(machine(task('first', { do: 'sleep', seconds: 60 }, { TimeoutSeconds: 61 })));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.status).toBe('FAILED');
    expect(result.failure).toMatchObject({ group: 'first', error: 'Sandbox.Timedout' });
    expect(alive('first')).toBe(false);
  });

  test('at most maxConcurrency groups run at once', async () => {
    const sleeper = (g: string) => task(g, { do: 'sleep', seconds: 0.5 });
    const { result, transitions } = await run(
      machine(task('first', {}), ['a', sleeper('a')], ['b', sleeper('b')], ['c', sleeper('c')]),
      { maxConcurrency: 2 },
    );
    expect(result.status).toBe('SUCCEEDED');
    let running = 0;
    let most = 0;
    for (const t of transitions) {
      running += t.status === 'RUNNING' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  test('aborting stops the execution and kills the running groups', async () => {
    const controller = new AbortController();
    const pending = run(machine(task('first', { do: 'sleep', seconds: 60 })), { signal: controller.signal });
    // Abort once the group has written its pid (it is running).
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(path.join(pidDir, 'first')) || fs.readFileSync(path.join(pidDir, 'first'), 'utf8') === '') {
      if (Date.now() > deadline) throw new Error('the group never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    const { result } = await pending;
    expect(result.status).toBe('ABORTED');
    expect(alive('first')).toBe(false);
  });
});
