/**
 * executor: local. The state machine `deploy` would create, executed on the runner: each Task runs its
 * group's Lambda handler in a fresh Python process, with the project installed from the wheel of a real
 * `kedro package` and its requirements (never the test's own venv), and datasets cross groups through
 * moto's S3, as they would through AWS's. Each process is held to what Lambda holds a function to: a
 * read-only file system but for /tmp, its memory, its ephemeral storage, its timeout (lambda.ts says how,
 * and which AWS documentation each rule follows).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../src/aws/clients';
import { parsePythonVersion } from '../../src/build/layout';
import { createContext } from '../../src/context/context';
import { readInputs } from '../../src/inputs';
import { runMode } from '../../src/modes/run';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Plan } from '../../src/plan/schema';
import { buildDefinition, LAMBDA_INVOKE_RESOURCE, LAMBDA_SERVICE_RETRY } from '../../src/plan/statemachine';
import type { GroupTransition } from '../../src/report/progress';
import { type LocalExecutionResult, runLocally } from '../../src/targets/local/executor';
import { installLambdaRuntime, type LocalImage, prepareImage } from '../../src/targets/local/image';
import { type FunctionLimits, type InvokeOutcome, LambdaPool } from '../../src/targets/local/lambda';
import { functionLimits, localCacheDir, localFailureMessage } from '../../src/targets/local/run';
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
  const image = await prepareImage({
    python: PYTHON,
    wheel,
    confArchive,
    packageName: PACKAGE,
    workDir,
    cacheDir: localCacheDir(process.env, workDir),
  });
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
    limits: functionLimits(prepared.deployment),
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
      // Held to its function's memory (conf/aws/kedro_aws.yml: 1024 MB, data_science 2048 MB), which a
      // group of the example fits in with room to spare.
      const memoryMb = functionLimits(prepared.deployment).get(group)!.memoryMb!;
      expect(record.maxMemoryUsedMb).toBeGreaterThan(50);
      expect(record.maxMemoryUsedMb).toBeLessThan(memoryMb / 2);
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
      cacheDir: localCacheDir(process.env, prepared.workDir),
    });
    expect(again.reused).toBe(true);
    expect(again.dependenciesReused).toBe(true);
    expect(again.dependencies).toBe(prepared.image.dependencies);
    expect(again.wheelSha256).toBe(prepared.image.wheelSha256);
    // The wheel's requirements, installed; the runner's own environment is not used.
    expect(again.requirements).toEqual(expect.arrayContaining(['pandas>=2.1', 's3fs>=2024.6.0']));
    expect(fs.existsSync(path.join(again.dependencies, 's3fs'))).toBe(true);
    expect(fs.existsSync(path.join(again.runtime, 'boto3'))).toBe(true);
    // The image is read-only: a group cannot change it, nor the cache other stages share.
    expect(fs.statSync(path.join(again.site, PACKAGE)).mode & 0o222).toBe(0);
    expect(fs.statSync(path.join(again.dependencies, 'pandas')).mode & 0o222).toBe(0);
    expect(prepared.image.reused).toBe(false);
    // conf/local is never part of the image.
    expect(fs.existsSync(path.join(again.taskRoot, 'conf', 'aws', 'catalog.yml'))).toBe(true);
    expect(fs.existsSync(path.join(again.taskRoot, 'conf', 'local'))).toBe(false);
  });

  test("the Lambda runtime's boto3 installs without pip's conflict report on the runner's own packages", async () => {
    // A cache of its own, so that the install runs (the shared one may hold it from an earlier run). The
    // runner's venv has aiobotocore, which pins botocore to a narrow range: pip compared the newest
    // boto3's botocore with it and printed "ERROR: pip's dependency resolver does not currently take into
    // account ..." before --no-warn-conflicts (image.ts says why that is no failure there).
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-runtime-'));
    const logged: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    try {
      const pip = {
        python: PYTHON,
        platform: prepared.image.platform,
        pythonVersion: parsePythonVersion(prepared.image.pythonVersion),
      };
      const installed = await installLambdaRuntime(cacheDir, pip, () => {});
      expect(installed.reused).toBe(false);
      expect(fs.existsSync(path.join(installed.dir, 'boto3'))).toBe(true);
    } finally {
      write.mockRestore();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
    const log = logged.join('');
    expect(log).toMatch(/local image: pip \(runtime\) \| Successfully installed .*boto3-/);
    expect(log).not.toMatch(/dependency resolver|which is incompatible/);
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

describe('executor: local, what the image does not give a group', () => {
  const s3: S3Client = s3Client({ region: 'us-east-1', maxAttempts: 3 });

  beforeAll(async () => {
    await resetMoto();
  });

  test("a group that writes to a relative local path fails with Lambda's read-only file system error", async () => {
    // Lambda's file system is read-only but for /tmp (https://docs.aws.amazon.com/lambda/latest/dg/
    // configuration-ephemeral-storage.html): a relative path lands in /var/task and fails with EROFS.
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
    expect(result.failure?.group).toBe('data_processing');
    expect(result.failure?.error).toBe('DatasetError');
    expect(result.failure?.cause).toMatch(/model_input_table/);
    // Kedro makes the path absolute: the task folder's (on Lambda, '/var/task/data').
    expect(result.failure?.cause).toMatch(/\[Errno 30\] Read-only file system: '[^']*\/task\/data'/);
    expect(transitions.map((t) => `${t.group} ${t.status}`)).toEqual([
      'data_processing RUNNING',
      'data_processing FAILED',
    ]);
    // Nothing was written, in the sandbox or in the project.
    expect(fs.existsSync(path.join(project, 'data', '03_primary', 'model_input_table.parquet'))).toBe(false);
  });

  test("a package the wheel does not require is not there, though the runner's environment has it", async () => {
    // The case: Kedro's spaceflights-pandas starter does not require s3fs, so its image has none,
    // yet a run with the runner's venv (which had s3fs) went green. Here a node imports pydantic, which
    // this test's venv has and the example does not declare (the same requirements as the example, so
    // the installed dependencies are shared with the other tests).
    const venvHasIt = spawnSync(PYTHON, ['-c', 'import pydantic'], { encoding: 'utf8' });
    expect(venvHasIt.status).toBe(0);
    const project = copyProject(EXAMPLE);
    const nodes = path.join(project, 'src', PACKAGE, 'pipelines', 'data_processing', 'nodes.py');
    fs.writeFileSync(nodes, `import pydantic  # noqa: F401\n${fs.readFileSync(nodes, 'utf8')}`);
    const prepared = await prepare(project);
    expect(prepared.image.requirements.some((r) => r.startsWith('pydantic'))).toBe(false);
    await uploadRaw(s3, project);

    const { result, lines } = await execute(prepared, { runId: runId() });
    expect(result.status).toBe('FAILED');
    expect(result.failure?.group).toBe('data_processing');
    // Kedro's find_pipelines(raise_errors=True) wraps it, as it would on Lambda; the group's log says why.
    expect(result.failure).toMatchObject({ error: 'ImportError' });
    expect(result.failure?.cause).toMatch(
      /^An error occurred while importing the 'spaceflights\.pipelines\.data_processing'/,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^\[data_processing\] .*No module named 'pydantic'/));
    expect(result.groups.data_science?.status).toBe('NOT_STARTED');
  });
});

/**
 * The executor's own behaviour, with a stand-in for kedro_aws_action.lambda_handler (no Kedro, fast):
 * the handler does what the event says.
 */
describe('executor: local, with a stand-in handler', () => {
  const STUB = `
import importlib.util, json, os, subprocess, sys, time

class GroupBroke(Exception):
    pass

KEYS = ["PYTHONPATH", "KEDRO_PACKAGE_NAME", "KEDRO_CONF_SOURCE", "KEDRO_ENV", "LAMBDA_TASK_ROOT",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_EXECUTION_ENV", "_HANDLER", "TZ", "LANG",
        "PATH", "HOME", "USER", "AWS_ENDPOINT_URL", "GITHUB_TOKEN", "TMPDIR", "EXTRA"]

def attempt(action):
    try:
        action()
        return "ok"
    except OSError as exc:
        return str(exc)

def write(path):
    with open(path, "w") as f:
        f.write("x")

def handler(event, context):
    if event.get("pid"):
        print("pid=%d" % os.getpid(), flush=True)
    what = event.get("do", "echo")
    if what == "whoami":
        with open(os.path.join(os.environ["TMPDIR"], "seen-%d" % time.time_ns()), "w") as f:
            f.write("x")
        return {"pid": os.getpid(), "tmp": len(os.listdir(os.environ["TMPDIR"])),
                "token": os.environ.get("AWS_SESSION_TOKEN")}
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
    if what == "allocate":
        held = [b"\\x01" * (8 << 20) for _ in range(event["mb"] // 8)]
        time.sleep(30)
        return {"held": len(held)}
    if what == "allocate_in_child":
        code = "import time; held = b'\\x01' * (%d << 20); time.sleep(30)" % event["mb"]
        subprocess.run([sys.executable, "-c", code])
        return {"child": "ended"}
    if what == "reserve":
        return {"reserved": len(bytearray(event["gb"] << 30))}
    if what == "fill_tmp":
        for i in range(event["files"]):
            with open(os.path.join(os.environ["TMPDIR"], "part-%d" % i), "wb") as f:
                f.write(b"\\x01" * (event["mb"] << 20))
        time.sleep(30)
        return {"written": event["files"]}
    files = sorted(os.listdir("."))
    tmp_file = os.path.join(os.environ["TMPDIR"], "scratch.txt")
    native = subprocess.run(["/bin/sh", "-c", "echo x > native.txt"], capture_output=True, text=True)
    return {
        "event": event,
        "cwd": os.getcwd(),
        "files": files,
        "env": {k: os.environ.get(k) for k in KEYS},
        "writes": {
            "relative": attempt(lambda: write("left-behind.txt")),
            "folders": attempt(lambda: os.makedirs("data/03_primary", exist_ok=True)),
            "existing": attempt(lambda: write("conf/aws/catalog.yml")),
            "home": attempt(lambda: os.makedirs(os.path.expanduser("~/.cache"))),
            "tmp": attempt(lambda: write(tmp_file)),
            "missing_parent": attempt(lambda: write("no/such/folder.txt")),
            "native": native.returncode,
        },
        "after": sorted(os.listdir(".")),
        "site": {"no_site": sys.flags.no_site, "no_user_site": sys.flags.no_user_site,
                 "moto": importlib.util.find_spec("moto") is not None},
    }
`;
  let actionPythonDir: string;
  let image: { site: string; taskRoot: string; packageName: string; pythonVersion: string };
  /** Every line the groups logged, as it comes (the pid lines of the groups that print theirs). */
  let logged: string[];

  beforeAll(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-local-stub-'));
    actionPythonDir = path.join(root, 'python');
    fs.mkdirSync(path.join(actionPythonDir, 'kedro_aws_action'), { recursive: true });
    fs.writeFileSync(path.join(actionPythonDir, 'kedro_aws_action', '__init__.py'), '');
    fs.writeFileSync(path.join(actionPythonDir, 'kedro_aws_action', 'lambda_handler.py'), STUB);
    image = {
      site: path.join(root, 'site'),
      taskRoot: path.join(root, 'task'),
      packageName: 'stubpkg',
      pythonVersion: '3.11',
    };
    fs.mkdirSync(image.site);
    fs.mkdirSync(path.join(image.taskRoot, 'conf', 'aws'), { recursive: true });
    fs.writeFileSync(path.join(image.taskRoot, 'conf', 'aws', 'catalog.yml'), '{}\n');
  });

  beforeEach(() => {
    logged = [];
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
  const run = async (
    definition: object,
    options: { maxConcurrency?: number; signal?: AbortSignal; limits?: Map<string, Partial<FunctionLimits>> } = {},
  ) => {
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
      log: (line) => {
        lines.push(line);
        logged.push(line);
      },
      env: { EXTRA: 'given' },
      hostEnv: { ...process.env, GITHUB_TOKEN: 'must-not-leak', USER: 'runner' },
      ...options,
    });
    return { result, transitions, lines };
  };
  /** The pid a group printed (`pid=<n>`). */
  const pidOf = (group: string): number | undefined => {
    const line = logged.find((l) => l.startsWith(`[${group}] pid=`));
    return line ? Number(line.slice(`[${group}] pid=`.length)) : undefined;
  };
  const alive = (group: string): boolean => {
    const pid = pidOf(group);
    if (pid === undefined) throw new Error(`group ${group} printed no pid`);
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  test('each group gets the event Step Functions would send, in a sandbox of its own, with Lambda’s environment', async () => {
    const { result, lines } = await run(machine(task('first', {}), ['a', task('a', {})], ['b', task('b', {})]), {
      limits: new Map([['a', { memoryMb: 2048, timeoutSeconds: 30 }]]),
    });
    expect(result.status).toBe('SUCCEEDED');
    type Echo = {
      event: unknown;
      cwd: string;
      files: string[];
      env: Record<string, string | null>;
      writes: Record<string, string | number>;
      after: string[];
      site: Record<string, number | boolean>;
    };
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
      expect(env.PYTHONPATH).toBe([image.site, actionPythonDir].join(path.delimiter));
      expect(env.AWS_ENDPOINT_URL).toBe(process.env.AWS_ENDPOINT_URL);
      expect(env.EXTRA).toBe('given');
      expect(env.GITHUB_TOKEN).toBeNull();
      expect(env.TMPDIR).not.toBe(os.tmpdir());
      // What the Lambda runtime sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
      // #configuration-envvars-runtime); Lambda sets no HOME and no USER, and its user's home does not exist.
      expect(env).toMatchObject({
        AWS_LAMBDA_FUNCTION_NAME: `proj-dev-${g}`,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: g === 'a' ? '2048' : '1024',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/proj-dev-${g}`,
        AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11',
        _HANDLER: 'kedro_aws_action.lambda_handler.handler',
        TZ: ':UTC',
        LANG: 'en_US.UTF-8',
        PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
        USER: null,
      });
      expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(env.HOME!.startsWith(`${cwd}/`)).toBe(true);
      // The sandbox is gone once the group has ended.
      expect(fs.existsSync(cwd)).toBe(false);
    }
    // Read-only but for /tmp, with the error Lambda gives, in the order the kernel checks.
    const { writes, after, site } = echo('first');
    expect(writes).toEqual({
      relative: "[Errno 30] Read-only file system: 'left-behind.txt'",
      folders: "[Errno 30] Read-only file system: 'data'",
      existing: "[Errno 30] Read-only file system: 'conf/aws/catalog.yml'",
      home: `[Errno 30] Read-only file system: '${echo('first').env.HOME}'`,
      tmp: 'ok',
      missing_parent: "[Errno 2] No such file or directory: 'no/such/folder.txt'",
      native: expect.any(Number),
    });
    // Native code cannot write into the task folder either (mode bits; root's capabilities dropped).
    expect(writes.native).not.toBe(0);
    expect(after).toEqual(['conf']);
    // The interpreter's own site-packages (where this test's moto is installed) are not on the path.
    expect(site).toEqual({ no_site: 1, no_user_site: 1, moto: false });
    expect(lines.length).toBe(0);
  });

  test('an idle container of a function serves its next invocation warm, as Lambda reuses an execution environment', async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html: after an invocation the
    // environment is frozen and may serve the next one (its /tmp and what the handler module made are
    // kept); an invocation that times out or crashes makes Lambda reset it; a function error does not.
    const pool = new LambdaPool();
    const call = async (fn: string, payload: Record<string, unknown> = { do: 'whoami' }, env?: NodeJS.ProcessEnv) => {
      const outcome: InvokeOutcome = await pool.invoke({
        python: PYTHON,
        image,
        actionPythonDir,
        group: fn,
        functionName: `arn:aws:lambda:us-east-1:123456789012:function:proj-dev-${fn}`,
        payload,
        timeoutSeconds: payload.do === 'sleep' ? 1 : 60,
        log: (line) => logged.push(line),
        hostEnv: { ...process.env },
        ...(env ? { env } : {}),
      });
      return outcome as InvokeOutcome & { payload?: { pid: number; tmp: number; token: string | null } };
    };
    try {
      const first = await call('a', undefined, { AWS_SESSION_TOKEN: 'one' });
      const second = await call('a', undefined, { AWS_SESSION_TOKEN: 'two' });
      expect(first.payload).toMatchObject({ tmp: 1, token: 'one' });
      // The same process, its /tmp kept, the credentials of this invocation.
      expect(second.payload).toEqual({ pid: first.payload!.pid, tmp: 2, token: 'two' });
      // Another function: a container of its own.
      const other = await call('b');
      expect(other.payload!.pid).not.toBe(first.payload!.pid);
      // Two at once: one warm, one cold.
      const both = await Promise.all([call('a'), call('a')]);
      expect(both.map((o) => o.payload!.pid === first.payload!.pid).sort()).toEqual([false, true]);
      expect(pool.starts).toEqual({ cold: 3, warm: 2 });
      // A function error keeps the container; a crash and a timeout do not.
      const pids = new Set([first.payload!.pid, ...both.map((o) => o.payload!.pid)]);
      expect(await call('b', { do: 'raise', group: 'b' })).toMatchObject({ ok: false, errorType: 'GroupBroke' });
      expect((await call('b')).payload!.pid).toBe(other.payload!.pid);
      expect(await call('b', { do: 'exit' })).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
      const afterCrash = await call('b');
      expect(afterCrash.payload!.pid).not.toBe(other.payload!.pid);
      expect(afterCrash.payload!.tmp).toBe(1);
      expect(await call('b', { do: 'sleep', seconds: 30 })).toMatchObject({ errorType: 'Sandbox.Timedout' });
      expect((await call('b')).payload!.pid).not.toBe(afterCrash.payload!.pid);
      expect(pids.size).toBe(2);
    } finally {
      pool.close();
    }
    // Idle containers are kept only within the budget of the runner's memory: with none, every start is cold.
    const lean = new LambdaPool({ idleBudgetMb: 0 });
    try {
      const invoke = () =>
        lean.invoke({
          python: PYTHON,
          image,
          actionPythonDir,
          group: 'a',
          functionName: 'proj-dev-a',
          payload: { do: 'whoami' },
          timeoutSeconds: 60,
          log: (line) => logged.push(line),
          hostEnv: { ...process.env },
        }) as Promise<InvokeOutcome & { payload?: { pid: number } }>;
      const [one, two] = [await invoke(), await invoke()];
      expect(one.payload!.pid).not.toBe(two.payload!.pid);
      expect(lean.starts).toEqual({ cold: 2, warm: 0 });
      // A dropped container's process is gone (killed, then reaped).
      const gone = async (pid: number) => {
        for (let i = 0; i < 40; i++) {
          try {
            process.kill(pid, 0);
          } catch {
            return true;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        return false;
      };
      expect(await gone(one.payload!.pid)).toBe(true);
    } finally {
      lean.close();
    }
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
    expect(result.groups.b!.cause).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/m,
    );
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

  test('a group past its timeout is killed and reported as Lambda reports it', async () => {
    // TimeoutSeconds is the Lambda timeout plus deploy's margin of 60 s: here a 1 s Lambda, and the
    // group's own setting (limits) wins over it: 2 s.
    const started = Date.now();
    const { result } = await run(
      machine(
        task('first', {}),
        ['a', task('a', { do: 'sleep', seconds: 60, pid: true }, { TimeoutSeconds: 61 })],
        ['b', task('b', { do: 'sleep', seconds: 60, pid: true })],
      ),
      { limits: new Map([['b', { timeoutSeconds: 2 }]]), maxConcurrency: 2 },
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.status).toBe('FAILED');
    expect(result.groups.a).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(result.groups.b).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    // https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html: "Task timed out after N seconds".
    expect(result.groups.a!.cause).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/m);
    expect(result.groups.b!.cause).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 2\.00 seconds$/m);
    expect(alive('a')).toBe(false);
    expect(alive('b')).toBe(false);
  });

  test('a group over its memory is killed and reported as Lambda reports it; a normal one runs', async () => {
    const { result, transitions } = await run(
      machine(
        task('first', {}),
        // Resident memory past the setting: killed by the sampler.
        ['a', task('a', { do: 'allocate', mb: 400, pid: true })],
        // An allocation past what the address-space backstop allows: a MemoryError, reported the same.
        ['b', task('b', { do: 'reserve', gb: 64 })],
        // A process the group started counts too.
        ['c', task('c', { do: 'allocate_in_child', mb: 400 })],
      ),
      {
        limits: new Map([
          ['first', { memoryMb: 128, timeoutSeconds: 30 }],
          ['a', { memoryMb: 128, timeoutSeconds: 30 }],
          ['b', { memoryMb: 128, timeoutSeconds: 30 }],
          ['c', { memoryMb: 128, timeoutSeconds: 30 }],
        ]),
        maxConcurrency: 3,
      },
    );
    expect(result.status).toBe('FAILED');
    // The stand-in itself fits in 128 MB.
    expect(result.groups.first).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.groups.first!.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(result.groups.first!.maxMemoryUsedMb).toBeLessThan(128);
    for (const g of ['a', 'b', 'c']) {
      expect(result.groups[g]).toMatchObject({ status: 'FAILED', error: 'Runtime.OutOfMemory' });
      expect(result.groups[g]!.cause).toMatch(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/m,
      );
    }
    expect(result.groups.a!.maxMemoryUsedMb).toBeGreaterThan(128);
    expect(result.groups.c!.maxMemoryUsedMb).toBeGreaterThan(128);
    expect(alive('a')).toBe(false);
    expect(transitions.filter((t) => t.status === 'FAILED').map((t) => t.error)).toEqual([
      'Runtime.OutOfMemory',
      'Runtime.OutOfMemory',
      'Runtime.OutOfMemory',
    ]);
  });

  test("a group past its ephemeral storage fails with Lambda's no-space error; one file past it cannot be written", async () => {
    const { result } = await run(
      machine(
        task('first', {}),
        ['a', task('a', { do: 'fill_tmp', files: 4, mb: 8, pid: true })],
        ['b', task('b', { do: 'fill_tmp', files: 1, mb: 24 })],
      ),
      {
        limits: new Map([
          ['a', { ephemeralStorageMb: 16, timeoutSeconds: 30 }],
          ['b', { ephemeralStorageMb: 16, timeoutSeconds: 30 }],
        ]),
        maxConcurrency: 2,
      },
    );
    expect(result.status).toBe('FAILED');
    expect(result.groups.a).toMatchObject({ status: 'FAILED', error: 'OSError' });
    expect(result.groups.a!.cause).toMatch(/^\[Errno 28\] No space left on device: '.*' \(\/tmp\) holds more than/);
    expect(alive('a')).toBe(false);
    expect(result.groups.b).toMatchObject({ status: 'FAILED', error: 'OSError' });
    expect(result.groups.b!.cause).toMatch(/^\[Errno 27\] File too large/);
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
    const pending = run(machine(task('first', { do: 'sleep', seconds: 60, pid: true })), {
      signal: controller.signal,
    });
    // Abort once the group has printed its pid (it is running).
    const deadline = Date.now() + 20_000;
    while (pidOf('first') === undefined) {
      if (Date.now() > deadline) throw new Error('the group never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    const { result } = await pending;
    expect(result.status).toBe('ABORTED');
    expect(alive('first')).toBe(false);
  });
});
