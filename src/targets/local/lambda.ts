/**
 * One Lambda invocation, emulated: a fresh Python process that calls
 * `kedro_aws_action.lambda_handler.handler(event, None)` with the project installed from the emulated
 * image, as the function's runtime would.
 *
 * Isolation. Each invocation gets a sandbox of its own, removed when it ends, as if it ran on another
 * machine: its working directory and LAMBDA_TASK_ROOT are a fresh folder holding only a copy of the
 * image's `conf/` (where the handler, like the image, resolves relative catalog paths), and its TMPDIR
 * is private. So nothing crosses groups but what the catalog stores remotely: a dataset that would be
 * lost between two Lambdas (a local relative path, a MemoryDataset) is lost here too.
 *
 * Environment: what the deployed function gets (KEDRO_PACKAGE_NAME, KEDRO_ENV,
 * KEDRO_DISABLE_TELEMETRY, LAMBDA_TASK_ROOT, AWS_LAMBDA_FUNCTION_NAME, TZ=UTC), KEDRO_CONF_SOURCE,
 * PYTHONPATH = <image site>:<action>/python, the runner's AWS_* variables, and the few host variables a
 * process needs to start and reach the network (PATH, HOME, locale, proxies, CA bundles). Nothing else
 * of the runner's environment (GITHUB_*, INPUT_*, tokens) reaches the group.
 *
 * Outcome, as the Lambda service reports it: the handler's JSON result, or `{errorType, errorMessage,
 * stackTrace}` where errorType is the Python exception's class name; `Runtime.MarshalError` for a result
 * that is not JSON, `Runtime.ExitError` for a process that ended without an answer, `Sandbox.Timedout`
 * when the function's timeout passed (the process group is killed).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Lines of stderr kept for the failure's cause (those logged before the error's traceback). */
const LOG_TAIL_LINES = 6;
/** stderr lines remembered while the process runs, to pick the cause's lines from. */
const LOG_RING_LINES = 400;

/** The runner's variables a group process gets besides AWS_* (start-up, locale, network). */
export const HOST_ENV = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'SYSTEMROOT',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
]);

/**
 * The process side: reads the event, calls the handler, writes the outcome as JSON to a file (not to
 * stdout, which the project's own print() calls share). Exceptions are reported like the Lambda
 * Python runtime does (class name, message, stack) and logged to stderr with their traceback.
 *
 * Once the outcome is written and the streams flushed, the process ends with `os._exit(0)`: no
 * interpreter finalization (tearing down pandas, pyarrow, botocore... took 0.5 s of CPU, seconds of
 * wall time on a loaded runner: bench/handler.py). Lambda does not finalize either: after an
 * invocation returns, its process is frozen and kept for the next one, so nothing the group does may
 * rely on exit-time clean-up, here as there.
 */
export const INVOKE_SCRIPT = String.raw`
import importlib.util, json, os, sys, traceback
event_path, result_path = sys.argv[1], sys.argv[2]

def emit(outcome):
    with open(result_path, "w", encoding="utf-8") as f:
        f.write(outcome)

def failure(error_type, message, tb=None):
    return json.dumps({"ok": False, "errorType": error_type, "errorMessage": message,
                       "stackTrace": traceback.format_tb(tb) if tb is not None else []})

with open(event_path, encoding="utf-8") as f:
    event = json.load(f)
package = os.environ.get("KEDRO_PACKAGE_NAME", "")
site = os.environ.get("KEDRO_AWS_LOCAL_SITE", "")
try:
    spec = importlib.util.find_spec(package) if package else None
    origin = os.path.dirname(spec.origin) if spec is not None and spec.origin else None
    if origin is not None and site and not os.path.realpath(origin).startswith(os.path.realpath(site) + os.sep):
        sys.stderr.write("[WARNING] package %r is imported from %s, not from the wheel installed in %s\n"
                         % (package, origin, site))
    from kedro_aws_action.lambda_handler import handler
    result = handler(event, None)
except BaseException as exc:
    emit(failure(type(exc).__name__, str(exc), exc.__traceback__))
    sys.stderr.write("[ERROR] %s: %s\n" % (type(exc).__name__, exc))
    traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
try:
    emit(json.dumps({"ok": True, "payload": result}))
except (TypeError, ValueError) as exc:
    sys.stderr.write("[ERROR] Runtime.MarshalError: Unable to marshal response: %s\n" % exc)
    emit(failure("Runtime.MarshalError", "Unable to marshal response: %s" % exc))
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
`;

export interface InvokeOptions {
  /** The user's interpreter. */
  python: string;
  /** The emulated image. */
  image: { site: string; taskRoot: string; packageName: string };
  /** The action's python/ folder (holds kedro_aws_action). */
  actionPythonDir: string;
  /** Group name (log prefix, sandbox name). */
  group: string;
  /** FunctionName of the invoke: its last `:` part names the function. */
  functionName: string;
  /** The Lambda event. */
  payload: unknown;
  /** The function's timeout: past it the process is killed and the invoke fails (`Sandbox.Timedout`). */
  timeoutSeconds: number;
  /** Variables added over the ones the process gets (AWS_ENDPOINT_URL, ...). */
  env?: NodeJS.ProcessEnv;
  /** Where the runner's AWS_* and host variables are read; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Parent folder of the sandboxes; default the system's temp folder. */
  scratchDir?: string;
  /** Each line the process writes (stdout and stderr), without the group prefix. */
  log: (line: string) => void;
  /** Aborting kills the process group. */
  signal?: AbortSignal;
  /** Called once the process has started. */
  onStart?: () => void;
}

export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; errorType: string; errorMessage: string; stackTrace: string[]; logTail: string[] };

/** The function name of a FunctionName parameter (a name, a partial or a full ARN). */
export function functionNameOf(functionName: string): string {
  const m = /(?:^|:function:)([^:]+)(?::[^:]+)?$/.exec(functionName);
  return m?.[1] ?? functionName;
}

/** The environment of one group process. */
export function invocationEnv(options: {
  image: InvokeOptions['image'];
  actionPythonDir: string;
  taskRoot: string;
  tmpDir: string;
  functionName: string;
  kedroEnv: string | undefined;
  hostEnv: NodeJS.ProcessEnv;
  extra: NodeJS.ProcessEnv | undefined;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.hostEnv)) {
    if (value !== undefined && (key.startsWith('AWS_') || HOST_ENV.has(key))) env[key] = value;
  }
  Object.assign(env, {
    PYTHONPATH: [options.image.site, options.actionPythonDir].join(path.delimiter),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    KEDRO_PACKAGE_NAME: options.image.packageName,
    KEDRO_CONF_SOURCE: path.join(options.taskRoot, 'conf'),
    KEDRO_DISABLE_TELEMETRY: '1',
    LAMBDA_TASK_ROOT: options.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: functionNameOf(options.functionName),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    TZ: 'UTC',
    TMPDIR: options.tmpDir,
    KEDRO_AWS_LOCAL_SITE: options.image.site,
  });
  if (options.kedroEnv) env.KEDRO_ENV = options.kedroEnv;
  return { ...env, ...options.extra };
}

/** Runs one invocation to its end; never throws for what the function did (see InvokeOutcome). */
export async function invokeLocally(options: InvokeOptions): Promise<InvokeOutcome> {
  const scratch = options.scratchDir ?? os.tmpdir();
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const safe = options.group.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  const sandbox = fs.mkdtempSync(path.join(scratch, `kedro-aws-local-${safe}-`));
  try {
    return await invokeIn(sandbox, options);
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

async function invokeIn(sandbox: string, options: InvokeOptions): Promise<InvokeOutcome> {
  const taskRoot = path.join(sandbox, 'task');
  const tmpDir = path.join(sandbox, 'tmp');
  const invokeDir = path.join(sandbox, 'invoke');
  for (const dir of [taskRoot, tmpDir, invokeDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.cpSync(path.join(options.image.taskRoot, 'conf'), path.join(taskRoot, 'conf'), { recursive: true });
  const eventFile = path.join(invokeDir, 'event.json');
  const resultFile = path.join(invokeDir, 'result.json');
  fs.writeFileSync(eventFile, JSON.stringify(options.payload ?? null), { mode: 0o600 });
  const kedroEnv =
    options.payload &&
    typeof options.payload === 'object' &&
    typeof (options.payload as { env?: unknown }).env === 'string'
      ? (options.payload as { env: string }).env
      : undefined;
  const env = invocationEnv({
    image: options.image,
    actionPythonDir: options.actionPythonDir,
    taskRoot,
    tmpDir,
    functionName: options.functionName,
    kedroEnv,
    hostEnv: options.hostEnv ?? process.env,
    extra: options.env,
  });

  const tail: string[] = [];
  let timedOut = false;
  let aborted = false;
  const started = Date.now();
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>(
    (resolve) => {
      const child = spawn(options.python, ['-c', INVOKE_SCRIPT, eventFile, resultFile], {
        cwd: taskRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a timeout or an abort kills what the group started too (ParallelRunner).
        detached: process.platform !== 'win32',
      });
      const kill = () => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        try {
          if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutSeconds * 1000);
      const onAbort = () => {
        aborted = true;
        kill();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      const lines = (stream: NodeJS.ReadableStream, keep: boolean) => {
        let buffered = '';
        stream.setEncoding('utf8');
        const emit = (line: string) => {
          options.log(line);
          if (keep) {
            tail.push(line);
            if (tail.length > LOG_RING_LINES) tail.shift();
          }
        };
        stream.on('data', (chunk: string) => {
          buffered += chunk;
          const parts = buffered.split('\n');
          buffered = parts.pop() ?? '';
          for (const part of parts) emit(part.replace(/\r$/, ''));
        });
        stream.on('end', () => {
          if (buffered !== '') emit(buffered);
        });
      };
      if (child.stdout) lines(child.stdout, false);
      if (child.stderr) lines(child.stderr, true);
      child.once('spawn', () => options.onStart?.());
      let settled = false;
      const done = (value: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      child.once('error', (error) => done({ code: null, signal: null, spawnError: error }));
      child.once('close', (code, signal) => done({ code, signal }));
    },
  );

  const fail = (errorType: string, errorMessage: string, stackTrace: string[] = []): InvokeOutcome => {
    // The lines logged before the runner's "[ERROR] <type>: ..." and its traceback: what led to it
    // (the runtime's line naming the node and the dataset), not the traceback again.
    const marker = tail.map((l) => l.startsWith(`[ERROR] ${errorType}:`)).lastIndexOf(true);
    const before = marker >= 0 ? tail.slice(0, marker) : tail;
    return { ok: false, errorType, errorMessage, stackTrace, logTail: before.slice(-LOG_TAIL_LINES) };
  };
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    return fail(
      'Runtime.InvalidEntrypoint',
      code === 'ENOENT'
        ? `the interpreter "${options.python}" was not found (input "python")`
        : `could not start "${options.python}": ${exit.spawnError.message}`,
    );
  }
  if (aborted) return fail('States.Aborted', 'the local execution was stopped before this group finished');
  if (timedOut) {
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    return fail(
      'Sandbox.Timedout',
      `Task timed out after ${seconds} seconds (the group's timeout_seconds is ${options.timeoutSeconds})`,
    );
  }
  let text: string | undefined;
  try {
    text = fs.readFileSync(resultFile, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined || text === '') {
    const how = exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code ?? 'unknown'}`;
    return fail('Runtime.ExitError', `Runtime exited without providing a reason (${how})`);
  }
  const outcome = JSON.parse(text) as
    | { ok: true; payload: unknown }
    | { ok: false; errorType: string; errorMessage: string; stackTrace?: string[] };
  if (outcome.ok) return { ok: true, payload: outcome.payload };
  return fail(outcome.errorType, outcome.errorMessage, outcome.stackTrace ?? []);
}
