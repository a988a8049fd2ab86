/**
 * Lambda invocations, emulated: each runs in a container, a Python process that calls
 * `kedro_aws_action.lambda_handler.handler(event, None)` with what the function's image gives it, held
 * to what Lambda holds a function to, so that what fails on Lambda fails here first.
 *
 * Containers are kept between invocations as Lambda keeps an execution environment (LambdaPool): the
 * next invocation of the same function, when one of its containers is idle, runs there warm (the
 * handler module, what it made at module level, and /tmp are kept); one that times out, crashes or
 * passes a limit is not reused. A gate of schedule `exact` runs on its group's own function, so the
 * group then starts warm, as on AWS.
 *
 * Isolation. Each container gets a sandbox of its own, removed when it ends, as if it ran on another
 * machine: its working directory and LAMBDA_TASK_ROOT are a fresh read-only folder holding only a copy of
 * the image's `conf/` (where the handler, like the image, resolves relative catalog paths), and its
 * TMPDIR (Lambda's /tmp) is private. Nothing crosses groups but what the catalog stores remotely.
 *
 * Python environment: exactly the image's. The runner's interpreter runs with `-s -S` (neither the
 * user's nor the interpreter's site-packages, no .pth files: Lambda's /var/task is no site folder
 * either), and PYTHONPATH is the wheel, its installed requirements, the action's runtime, and boto3 as
 * the Lambda runtime adds it (image.ts). A package the wheel does not require cannot be imported.
 *
 * What Lambda enforces, and how it is enforced here (sandbox.ts for the mechanics):
 * - The file system is read-only except /tmp ("Read-only file system", EROFS): a rule in the
 *   interpreter (a `sys.addaudithook` hook, installed before the handler is imported) refuses, with
 *   Lambda's own error, every write, creation, removal, rename or mode change outside the group's /tmp
 *   that Python code asks for (the project's, Kedro's, fsspec's, pandas'), in the order the kernel
 *   checks (a missing parent folder is still ENOENT, an existing one EEXIST); the task folder is also
 *   read-only for the kernel (mode bits; capabilities dropped for root), which stops native code there
 *   too (with EACCES, "Permission denied").
 * - Memory (`memory_mb`): the resident memory of the group's processes is sampled every 200 ms (a
 *   process the group starts is found within 2 s) and the group is killed past the setting, reported
 *   as Lambda reports it (Runtime.OutOfMemory, "Runtime exited with error: signal: killed"); an
 *   address-space limit (RLIMIT_AS, per process) is the backstop for an
 *   allocation faster than the sampling, calibrated above what Python reserves without using it, and a
 *   MemoryError is reported the same way.
 * - Ephemeral storage (/tmp, 512 MB unless set): one file cannot grow past it (RLIMIT_FSIZE: "File too
 *   large", where Lambda says "No space left on device"), and a group whose /tmp holds more is stopped
 *   and reported with Lambda's ENOSPC error.
 * - Timeout (`timeout_seconds`): the process group is killed at the function's timeout, reported as
 *   Lambda reports it (Sandbox.Timedout, "Task timed out after N.00 seconds").
 *
 * Environment: the variables the Lambda runtime sets (https://docs.aws.amazon.com/lambda/latest/dg/
 * configuration-envvars.html#configuration-envvars-runtime), the deployed function's own
 * (KEDRO_PACKAGE_NAME, KEDRO_ENV, KEDRO_DISABLE_TELEMETRY, KEDRO_CONF_SOURCE), the runner's AWS_*
 * variables (credentials, endpoint), and the few host variables a process needs to reach the network
 * (proxies, CA bundles, LD_LIBRARY_PATH for the interpreter). HOME names a folder that does not exist
 * in the read-only sandbox (Lambda sets no HOME, and its user's home does not exist), so nothing of
 * the runner's home (~/.aws, ~/.config) is read. Nothing else of the runner's environment (GITHUB_*,
 * INPUT_*, tokens) reaches the group. Not emulated: the runtime API (AWS_LAMBDA_RUNTIME_API), X-Ray,
 * the network (the group reaches what the runner reaches).
 *
 * Outcome, as the Lambda service reports it: the handler's JSON result, or `{errorType, errorMessage,
 * stackTrace}` where errorType is the Python exception's class name; `Runtime.MarshalError` for a result
 * that is not JSON, `Runtime.ExitError` for a process that ended without an answer, and the limits'
 * errors above.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ImageProcessOptions, imageImportPath, NETWORK_ENV } from './image';
import { followLines } from './lines';
import { allocatedBytes, openSandbox, ResidentMemory, removeTree, setReadOnly, withReadOnlyEnforced } from './sandbox';

/** Lines of stderr kept for the failure's cause (those logged before the error's traceback). */
const LOG_TAIL_LINES = 6;
/** stderr lines remembered while the process runs, to pick the cause's lines from. */
const LOG_RING_LINES = 400;

/** Lambda's defaults for a function `deploy` creates (it sets no EphemeralStorage). */
export const LAMBDA_DEFAULT_MEMORY_MB = 1024;
/** https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html: 512 MB to 10,240 MB. */
export const LAMBDA_DEFAULT_EPHEMERAL_STORAGE_MB = 512;
/** How often the group's memory is sampled. */
const MEMORY_SAMPLE_MS = 200;
/** How often the group's /tmp is measured (a walk of the folder). */
const STORAGE_SAMPLE_MS = 1000;
/**
 * The address space a group may reserve beyond its memory setting (RLIMIT_AS): what the interpreter,
 * its native libraries and their thread pools map without using it. Measured on the example project:
 * 1.1 to 1.2 GB of address space for 210 MB resident, on 2 CPUs (glibc reserves up to 64 MiB per
 * thread arena, pyarrow and numpy start a thread per CPU), hence a base plus a share per CPU. Only a
 * backstop for an allocation faster than the sampling: the memory setting itself is enforced on
 * resident memory.
 */
export function addressSpaceLimitMb(memoryMb: number, cpus = os.availableParallelism?.() ?? os.cpus().length): number {
  return memoryMb + 2048 + 160 * Math.max(1, cpus);
}

/** Lambda's PATH (the unreserved variables of the runtime). */
const LAMBDA_PATH = '/usr/local/bin:/usr/bin/:/bin:/opt/bin';

/** The runner's variables a Lambda group's process gets besides AWS_*: Lambda sets its own PATH, LANG, and no HOME. */
const LAMBDA_HOST_ENV = new Set(NETWORK_ENV);

/**
 * The process side of a container (one execution environment of a function): sets the limits and the
 * read-only rule once, then serves invocations one after the other, as Lambda's runtime does. Each
 * request is a JSON line on the request pipe (`{"event": ..., "env": {...}}`: `env` holds the variables
 * that changed since the container started, e.g. refreshed credentials); each outcome a JSON line on
 * the outcome pipe (not stdout, which the project's own print() calls share), written after an end
 * mark on stdout and on stderr, so the runner knows every line of that invocation has come. The
 * handler is imported at the first invocation (Lambda's init) and kept: module-level work (imports,
 * clients, Kedro's bootstrap) is done once per container. Exceptions are reported like the Lambda
 * Python runtime does (class name, message, stack) and logged to stderr with their traceback; the
 * container then serves the next invocation, as Lambda's does after a function error. A MemoryError
 * (Runtime.OutOfMemory) or a BaseException that is not an Exception (SystemExit...) ends it: Lambda
 * resets the execution environment after a crash.
 *
 * A container is never finalized: the runner kills it when it is no longer kept (LambdaPool). Lambda
 * does not finalize either (a frozen environment is dropped), so nothing the group does may rely on
 * exit-time clean-up, here as there; and tearing down pandas, pyarrow, botocore... took 0.5 s of CPU
 * (bench/handler.py).
 */
export const INVOKE_SCRIPT = String.raw`
import errno, importlib.util, json, os, resource, sys, traceback
settings = json.loads(sys.argv[1])
requests = os.fdopen(settings["requests_fd"], "r", encoding="utf-8")
outcomes = os.fdopen(settings["outcomes_fd"], "w", encoding="utf-8")
END = (settings["end"] + "\n").encode()

def emit(outcome, reset=False):
    outcome = json.loads(outcome)
    outcome["reset"] = reset
    usage = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    outcome["maxResidentKib"] = max(usage)
    outcome["marked"] = []
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        try:
            stream.flush()
        except Exception:
            pass
        try:
            os.write(fd, END)
            outcome["marked"].append(fd)
        except OSError:
            pass
    outcomes.write(json.dumps(outcome) + "\n")
    outcomes.flush()

def failure(error_type, message, tb=None):
    return json.dumps({"ok": False, "errorType": error_type, "errorMessage": message,
                       "stackTrace": traceback.format_tb(tb) if tb is not None else []})
for name, value in (("RLIMIT_AS", settings.get("address_space")), ("RLIMIT_FSIZE", settings.get("file_size"))):
    if value:
        kind = getattr(resource, name)
        hard = resource.getrlimit(kind)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))

# Lambda's file system: read-only but for /tmp.
WRITABLE = tuple(os.path.realpath(p) for p in settings["writable"])
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
ROFS = errno.EROFS, os.strerror(errno.EROFS)

def _path(value):
    if isinstance(value, int):
        return None
    try:
        return os.path.abspath(os.fsdecode(os.fspath(value)))
    except TypeError:
        return None

def _writable(path):
    if path.startswith(("/dev/", "/proc/")):
        return True
    real = os.path.realpath(path)
    return any(real == w or real.startswith(w + os.sep) for w in WRITABLE)

def _local(*fds):
    return all(fd is None or fd == -1 for fd in fds)

def _creates(target, *fds):
    path = _path(target)
    if path is None or not _local(*fds) or _writable(path) or os.path.lexists(path):
        return
    if os.path.isdir(os.path.dirname(path)):
        raise OSError(*ROFS, target)

def _changes(target, *fds):
    path = _path(target)
    if path is not None and _local(*fds) and not _writable(path) and os.path.lexists(path):
        raise OSError(*ROFS, target)

def _read_only_rule(event, args):
    try:
        if event == "open":
            target, mode, flags = args
            if isinstance(flags, int):
                writes, creates, exclusive = bool(flags & WRITE_FLAGS), bool(flags & os.O_CREAT), bool(flags & os.O_EXCL)
            else:
                mode = mode or ""
                writes, creates, exclusive = any(c in mode for c in "wax+"), any(c in mode for c in "wax"), "x" in mode
            if not writes:
                return
            path = _path(target)
            if path is None or _writable(path) or os.path.isdir(path):
                return
            if os.path.lexists(path):
                if not (creates and exclusive):
                    raise OSError(*ROFS, target)
            elif creates:
                _creates(target)
        elif event in ("os.mkdir", "os.mkfifo", "os.mknod"):
            _creates(args[0], args[-1])
        elif event == "os.symlink":
            _creates(args[1], args[2])
        elif event == "os.link":
            _creates(args[1], args[2], args[3])
        elif event in ("os.remove", "os.rmdir"):
            _changes(args[0], args[1])
        elif event == "os.rename":
            source, target = _path(args[0]), _path(args[1])
            if source is not None and target is not None and _local(args[2], args[3]) and os.path.lexists(source):
                if not (_writable(source) and _writable(target)):
                    raise OSError(*ROFS, args[0])
        elif event in ("os.truncate", "os.chflags", "os.setxattr", "os.removexattr"):
            _changes(args[0])
        elif event in ("os.chmod", "os.chown", "os.utime"):
            _changes(args[0], args[-1])
    except OSError:
        raise
    except Exception:
        return

sys.addaudithook(_read_only_rule)

def _out_of_memory(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MemoryError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False

handler = None
while True:
    line = requests.readline()
    if not line:
        os._exit(0)
    request = json.loads(line)
    for key, value in (request.get("env") or {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    crashed = False
    try:
        if handler is None:
            package = os.environ.get("KEDRO_PACKAGE_NAME", "")
            site = os.environ.get("KEDRO_AWS_LOCAL_SITE", "")
            spec = importlib.util.find_spec(package) if package else None
            origin = os.path.dirname(spec.origin) if spec is not None and spec.origin else None
            if origin is not None and site and not os.path.realpath(origin).startswith(os.path.realpath(site) + os.sep):
                sys.stderr.write("[WARNING] package %r is imported from %s, not from the wheel installed in %s\n"
                                 % (package, origin, site))
            from kedro_aws_action.lambda_handler import handler
        result = handler(request["event"], None)
    except BaseException as exc:
        crashed = not isinstance(exc, Exception) or _out_of_memory(exc)
        if _out_of_memory(exc):
            sys.stderr.write("[ERROR] Runtime.OutOfMemory: %s: %s\n" % (type(exc).__name__, exc))
            traceback.print_exc()
            emit(failure("Runtime.OutOfMemory", "Runtime exited with error: signal: killed"), crashed)
        else:
            sys.stderr.write("[ERROR] %s: %s\n" % (type(exc).__name__, exc))
            traceback.print_exc()
            emit(failure(type(exc).__name__, str(exc), exc.__traceback__), crashed)
        exc = None
        if crashed:
            os._exit(0)
        continue
    try:
        outcome = json.dumps({"ok": True, "payload": result})
    except (TypeError, ValueError) as exc:
        sys.stderr.write("[ERROR] Runtime.MarshalError: Unable to marshal response: %s\n" % exc)
        outcome = failure("Runtime.MarshalError", "Unable to marshal response: %s" % exc)
    result = None
    emit(outcome)
`;

/** What a group's function is given (its settings). */
export interface FunctionLimits {
  /** The function's timeout: past it the process group is killed (`Sandbox.Timedout`). */
  timeoutSeconds: number;
  /** The function's memory; default Lambda's as deployed (1024 MB). */
  memoryMb?: number;
  /** The size of its /tmp; default Lambda's 512 MB. */
  ephemeralStorageMb?: number;
}

export interface InvokeOptions extends FunctionLimits, ImageProcessOptions {
  /** FunctionName of the invoke: its last `:` part names the function. */
  functionName: string;
  /** The Lambda event. */
  payload: unknown;
}

export type InvokeOutcome = (
  | { ok: true; payload: unknown }
  | { ok: false; errorType: string; errorMessage: string; stackTrace: string[]; logTail: string[] }
) & {
  /** The most resident memory the group's processes held at one sample, in MB (Lambda's "Max Memory Used"). */
  maxMemoryUsedMb?: number;
};

/** The function name of a FunctionName parameter (a name, a partial or a full ARN). */
export function functionNameOf(functionName: string): string {
  const m = /(?:^|:function:)([^:]+)(?::[^:]+)?$/.exec(functionName);
  return m?.[1] ?? functionName;
}

/** Lambda's log stream name: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** The environment of one group process. */
export function invocationEnv(options: {
  image: InvokeOptions['image'];
  actionPythonDir: string;
  taskRoot: string;
  tmpDir: string;
  home: string;
  functionName: string;
  memoryMb: number;
  kedroEnv: string | undefined;
  hostEnv: NodeJS.ProcessEnv;
  extra: NodeJS.ProcessEnv | undefined;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.hostEnv)) {
    if (value !== undefined && (key.startsWith('AWS_') || LAMBDA_HOST_ENV.has(key))) env[key] = value;
  }
  const name = functionNameOf(options.functionName);
  Object.assign(env, {
    // What the Lambda runtime sets.
    _HANDLER: 'kedro_aws_action.lambda_handler.handler',
    ...(options.image.pythonVersion ? { AWS_EXECUTION_ENV: `AWS_Lambda_python${options.image.pythonVersion}` } : {}),
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(new Date()),
    LAMBDA_TASK_ROOT: options.taskRoot,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: LAMBDA_PATH,
    HOME: options.home,
    TMPDIR: options.tmpDir,
    // The image's Python, and the deployed function's environment.
    PYTHONPATH: imageImportPath(options.image, options.actionPythonDir),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    KEDRO_PACKAGE_NAME: options.image.packageName,
    KEDRO_CONF_SOURCE: path.join(options.taskRoot, 'conf'),
    KEDRO_DISABLE_TELEMETRY: '1',
    KEDRO_AWS_LOCAL_SITE: options.image.site,
  });
  if (options.kedroEnv) env.KEDRO_ENV = options.kedroEnv;
  return { ...env, ...options.extra };
}

/** Runs one invocation in a container of its own, then ends it; never throws for what the function did. */
export async function invokeLocally(options: InvokeOptions): Promise<InvokeOutcome> {
  const pool = new LambdaPool();
  try {
    return await pool.invoke(options);
  } finally {
    pool.close();
  }
}

/** Invocations of one function with the same settings may share a container. */
function containerKey(options: InvokeOptions): string {
  return JSON.stringify([
    functionNameOf(options.functionName),
    options.memoryMb ?? LAMBDA_DEFAULT_MEMORY_MB,
    options.ephemeralStorageMb ?? LAMBDA_DEFAULT_EPHEMERAL_STORAGE_MB,
  ]);
}

/**
 * The containers of the functions a local execution invokes, kept between invocations as Lambda keeps
 * an execution environment warm: an invocation takes an idle container of its function when there is
 * one (a warm start: the handler module and what it made at module level are there already, /tmp too),
 * else starts one (a cold start). A container serves one invocation at a time; concurrent invocations
 * of a function get containers of their own. A container that timed out, ran out of memory or storage,
 * crashed or was aborted is never reused (Lambda resets the environment).
 *
 * Lambda keeps an idle environment for minutes; here idle containers hold the runner's memory, so the
 * pool keeps them only while their resident memory together stays under `idleBudgetMb` (default a
 * quarter of the runner's memory), dropping the least recently used first. Dropping one only makes the
 * next invocation of its function cold. `close` ends them all.
 */
export class LambdaPool {
  private readonly idle: Container[] = [];
  private readonly all = new Set<Container>();
  private closed = false;
  private readonly idleBudgetKib: number;

  constructor(options: { idleBudgetMb?: number } = {}) {
    this.idleBudgetKib = (options.idleBudgetMb ?? Math.floor(os.totalmem() / 4 / 1024 / 1024)) * 1024;
  }

  /** Cold and warm starts so far. */
  readonly starts = { cold: 0, warm: 0 };

  async invoke(options: InvokeOptions): Promise<InvokeOutcome> {
    if (this.closed) throw new Error('the local Lambda containers were closed');
    const key = containerKey(options);
    const at = this.idle.findIndex((c) => c.key === key && c.reusable);
    let container: Container;
    if (at >= 0) {
      container = this.idle.splice(at, 1)[0] as Container;
      this.starts.warm += 1;
    } else {
      container = new Container(key, options);
      this.all.add(container);
      this.starts.cold += 1;
    }
    const outcome = await container.invoke(options);
    if (container.reusable && !this.closed) {
      this.idle.push(container);
      this.trim();
    } else {
      this.drop(container);
    }
    return outcome;
  }

  /** Ends every container (idle or not) and removes their sandboxes. */
  close(): void {
    this.closed = true;
    for (const container of this.all) container.dispose();
    this.all.clear();
    this.idle.length = 0;
  }

  private drop(container: Container): void {
    container.dispose();
    this.all.delete(container);
  }

  private trim(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (!(this.idle[i] as Container).reusable) this.drop(this.idle.splice(i, 1)[0] as Container);
    }
    let total = this.idle.reduce((sum, c) => sum + c.idleKib, 0);
    while (total > this.idleBudgetKib && this.idle.length > 0) {
      const oldest = this.idle.shift() as Container;
      total -= oldest.idleKib;
      this.drop(oldest);
    }
  }
}

/** Go's names of the signals a process may die of, as Lambda's "Runtime exited with error: signal: ..." says them. */
const SIGNAL_WORDS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGXFSZ: 'file size limit exceeded',
};

/** Written by the container at the end of an invocation's output on stdout and on stderr. */
const END_MARK = '\u001ekedro-aws-local-invocation-end\u001e';

type Exit = { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error };

/** A variable that may change between invocations of one container (credentials, endpoints, the run's). */
function changes(before: NodeJS.ProcessEnv, after: NodeJS.ProcessEnv): Record<string, string | null> {
  const changed: Record<string, string | null> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key.startsWith('AWS_LAMBDA_')) continue;
    if (before[key] !== after[key]) changed[key] = after[key] ?? null;
  }
  return changed;
}

/** One execution environment of a function: a sandbox and a Python process serving its invocations. */
class Container {
  private readonly sandbox: string;
  private readonly taskRoot: string;
  private readonly tmpDir: string;
  private readonly memoryMb: number;
  private readonly storageMb: number;
  private readonly child: ReturnType<typeof spawn>;
  private readonly memory: ResidentMemory | undefined;
  private readonly enforced: boolean;
  private env: NodeJS.ProcessEnv;
  private sink: (line: string) => void = () => {};
  private tail: string[] = [];
  private readonly ends = { out: 0, err: 0 };
  private readonly outcomes: string[] = [];
  private exit: Exit | undefined;
  private spawned = false;
  private onSpawn: (() => void) | undefined;
  private poke: () => void = () => {};
  private invocations = 0;
  private broken = false;
  private disposed = false;
  /** Resident memory when it last went idle. */
  idleKib = 0;

  constructor(
    readonly key: string,
    options: InvokeOptions,
  ) {
    this.memoryMb = options.memoryMb ?? LAMBDA_DEFAULT_MEMORY_MB;
    this.storageMb = options.ephemeralStorageMb ?? LAMBDA_DEFAULT_EPHEMERAL_STORAGE_MB;
    this.sandbox = openSandbox('local', options.group, options.scratchDir);
    this.taskRoot = path.join(this.sandbox, 'task');
    this.tmpDir = path.join(this.sandbox, 'tmp');
    for (const dir of [this.taskRoot, this.tmpDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.cpSync(path.join(options.image.taskRoot, 'conf'), path.join(this.taskRoot, 'conf'), { recursive: true });
    setReadOnly(this.taskRoot);
    this.env = this.envFor(options);
    const settings = {
      writable: [this.tmpDir],
      address_space: addressSpaceLimitMb(this.memoryMb) * 1024 * 1024,
      file_size: this.storageMb * 1024 * 1024,
      requests_fd: 3,
      outcomes_fd: 4,
      end: END_MARK,
    };
    const python = resolveCommand(options.python, options.hostEnv ?? process.env);
    const { argv, enforced } = withReadOnlyEnforced([
      python,
      '-s',
      '-S',
      '-c',
      INVOKE_SCRIPT,
      JSON.stringify(settings),
    ]);
    this.enforced = enforced;
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: this.taskRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // Its own process group: a limit or an abort kills what the group started too (ParallelRunner).
      detached: true,
    });
    this.memory = this.child.pid === undefined ? undefined : new ResidentMemory(this.child.pid);
    const [, stdout, stderr, , outcomes] = this.child.stdio as unknown as (NodeJS.ReadableStream | null)[];
    if (stdout) followLines(stdout, (line) => this.line('out', line));
    if (stderr) followLines(stderr, (line) => this.line('err', line));
    if (outcomes) {
      followLines(outcomes, (line) => {
        this.outcomes.push(line);
        this.poke();
      });
    }
    // A request written to a container that has just died: its exit says what happened.
    (this.child.stdio[3] as NodeJS.WritableStream | null)?.on('error', () => {});
    this.child.once('spawn', () => {
      this.spawned = true;
      this.onSpawn?.();
      this.onSpawn = undefined;
    });
    this.child.once('error', (error) => this.ended({ code: null, signal: null, spawnError: error }));
    this.child.once('close', (code, signal) => this.ended({ code, signal }));
  }

  /** Whether it may serve another invocation. */
  get reusable(): boolean {
    return !this.broken && !this.disposed && this.exit === undefined;
  }

  /** Kills its processes (no finalization, as Lambda drops a frozen environment) and removes its sandbox. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kill();
    removeTree(this.sandbox);
  }

  private ended(exit: Exit): void {
    this.exit ??= exit;
    this.poke();
  }

  private kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private line(stream: 'out' | 'err', line: string): void {
    let text: string | undefined = line;
    if (line.endsWith(END_MARK)) {
      text = line.slice(0, -END_MARK.length) || undefined;
      this.ends[stream] += 1;
    }
    if (text !== undefined) {
      this.sink(text);
      if (stream === 'err') {
        this.tail.push(text);
        if (this.tail.length > LOG_RING_LINES) this.tail.shift();
      }
    }
    if (text !== line) this.poke();
  }

  private envFor(options: InvokeOptions): NodeJS.ProcessEnv {
    const kedroEnv =
      options.payload &&
      typeof options.payload === 'object' &&
      typeof (options.payload as { env?: unknown }).env === 'string'
        ? (options.payload as { env: string }).env
        : undefined;
    return invocationEnv({
      image: options.image,
      actionPythonDir: options.actionPythonDir,
      taskRoot: this.taskRoot,
      tmpDir: this.tmpDir,
      home: path.join(this.taskRoot, 'home'),
      functionName: options.functionName,
      memoryMb: this.memoryMb,
      kedroEnv,
      hostEnv: options.hostEnv ?? process.env,
      extra: options.env,
    });
  }

  /** Runs one invocation to its end; never throws for what the function did (see InvokeOutcome). */
  async invoke(options: InvokeOptions): Promise<InvokeOutcome> {
    this.invocations += 1;
    const n = this.invocations;
    const requestId = randomUUID();
    this.sink = options.log;
    this.tail = [];
    if (n === 1 && !this.enforced) {
      options.log(
        '[WARNING] the runner runs as root and has no setpriv: the read-only task folder holds for Python code only',
      );
    }
    const env = this.envFor(options);
    const request = { event: options.payload ?? null, env: n === 1 ? {} : changes(this.env, env) };
    this.env = env;
    let stopped: 'timeout' | 'aborted' | 'memory' | 'storage' | undefined;
    let peakKib = 0;
    const stop = (why: NonNullable<typeof stopped>) => {
      if (this.exit !== undefined) return;
      stopped ??= why;
      this.broken = true;
      this.kill();
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutSeconds * 1000);
    let sampledStorage = 0;
    const sampler = setInterval(() => {
      if (this.memory === undefined) return;
      const kib = this.memory.sampleKib();
      peakKib = Math.max(peakKib, kib);
      if (kib > this.memoryMb * 1024) stop('memory');
      if (Date.now() - sampledStorage >= STORAGE_SAMPLE_MS) {
        sampledStorage = Date.now();
        if (allocatedBytes(this.tmpDir) > this.storageMb * 1024 * 1024) stop('storage');
      }
    }, MEMORY_SAMPLE_MS);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (this.spawned) options.onStart?.();
    else this.onSpawn = options.onStart;
    (this.child.stdio[3] as NodeJS.WritableStream | null)?.write(`${JSON.stringify(request)}\n`);
    // Answered: its outcome has come, and the end mark of each stream it could mark (a project that closed
    // its stdout cannot mark it), so every line of this invocation has been logged.
    const base = { ...this.ends };
    await new Promise<void>((resolve) => {
      this.poke = () => {
        const first = this.outcomes[0];
        let answered = false;
        if (first !== undefined) {
          let marked: number[] = [1, 2];
          try {
            marked = (JSON.parse(first) as { marked?: number[] }).marked ?? marked;
          } catch {
            // not JSON: reported below
          }
          answered =
            (!marked.includes(1) || this.ends.out > base.out) && (!marked.includes(2) || this.ends.err > base.err);
        }
        if (answered || this.exit !== undefined) resolve();
      };
      this.poke();
    });
    this.poke = () => {};
    clearTimeout(timer);
    clearInterval(sampler);
    options.signal?.removeEventListener('abort', onAbort);
    this.onSpawn = undefined;
    const tail = this.tail;

    const fail = (errorType: string, errorMessage: string, stackTrace: string[] = []): InvokeOutcome => {
      // The lines logged before the runner's "[ERROR] <type>: ..." and its traceback: what led to it
      // (the runtime's line naming the node and the dataset), not the traceback again.
      const marker = tail.map((l) => l.startsWith(`[ERROR] ${errorType}:`)).lastIndexOf(true);
      const before = marker >= 0 ? tail.slice(0, marker) : tail;
      return {
        ok: false,
        errorType,
        errorMessage,
        stackTrace,
        logTail: before.slice(-LOG_TAIL_LINES),
        maxMemoryUsedMb: Math.ceil(peakKib / 1024),
      };
    };
    // What the Lambda service says, with the request id first, for what ended the runtime.
    const service = (message: string) => `RequestId: ${requestId} Error: ${message}`;
    const exit = this.exit;
    if (exit?.spawnError) {
      const code = (exit.spawnError as NodeJS.ErrnoException).code;
      return fail(
        'Runtime.InvalidEntrypoint',
        code === 'ENOENT'
          ? `the interpreter "${options.python}" was not found (input "python")`
          : `could not start "${options.python}": ${exit.spawnError.message}`,
      );
    }
    if (stopped === 'aborted') {
      return fail('States.Aborted', 'the local execution was stopped before this group finished');
    }
    if (stopped === 'timeout') {
      return fail('Sandbox.Timedout', service(`Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`));
    }
    if (stopped === 'memory') {
      options.log(
        `[ERROR] Runtime.OutOfMemory: the group's processes held more than its ${this.memoryMb} MB (memory_mb): killed`,
      );
      return fail('Runtime.OutOfMemory', service('Runtime exited with error: signal: killed'));
    }
    if (stopped === 'storage') {
      const message =
        `[Errno 28] No space left on device: '${this.tmpDir}' (/tmp) holds more than the function's ` +
        `${this.storageMb} MB of ephemeral storage`;
      options.log(`[ERROR] OSError: ${message}`);
      return fail('OSError', message);
    }
    const text = this.outcomes.shift();
    if (text === undefined) {
      this.broken = true;
      const how = exit?.signal
        ? `signal: ${SIGNAL_WORDS[exit.signal] ?? exit.signal}`
        : `exit status ${exit?.code ?? 1}`;
      return fail('Runtime.ExitError', service(`Runtime exited with error: ${how}`));
    }
    const outcome = JSON.parse(text) as (
      | { ok: true; payload: unknown }
      | { ok: false; errorType: string; errorMessage: string; stackTrace?: string[] }
    ) & { maxResidentKib?: number; reset?: boolean };
    if (outcome.reset) this.broken = true;
    // The process's own peak (getrusage), for a group shorter than one sample.
    peakKib = Math.max(peakKib, outcome.maxResidentKib ?? 0);
    this.idleKib = this.memory?.sampleKib() ?? 0;
    const maxMemoryUsedMb = Math.ceil(peakKib / 1024);
    if (outcome.ok) return { ok: true, payload: outcome.payload, maxMemoryUsedMb };
    if (outcome.errorType === 'Runtime.OutOfMemory') {
      return fail(outcome.errorType, service(outcome.errorMessage));
    }
    return fail(outcome.errorType, outcome.errorMessage, outcome.stackTrace ?? []);
  }
}

/** `command` as a path: looked up in the runner's PATH (the group's own PATH is Lambda's). */
export function resolveCommand(command: string, hostEnv: NodeJS.ProcessEnv): string {
  if (command.includes('/')) return path.resolve(command);
  for (const dir of (hostEnv.PATH ?? process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return command;
}
