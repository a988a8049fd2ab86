"use strict";
exports.id = 70;
exports.ids = [70];
exports.modules = {

/***/ 8070:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  localBackend: () => (/* binding */ localBackend)
});

// EXTERNAL MODULE: ./src/targets/stepfunctions/deploy.ts
var deploy = __webpack_require__(8731);
// EXTERNAL MODULE: ./src/targets/stepfunctions/teardown.ts
var teardown = __webpack_require__(9436);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./src/context/common.ts
var common = __webpack_require__(9518);
// EXTERNAL MODULE: ./src/context/outputs.ts
var outputs = __webpack_require__(9413);
// EXTERNAL MODULE: ./src/context/state.ts
var state = __webpack_require__(9186);
// EXTERNAL MODULE: ./src/lib/files.ts
var files = __webpack_require__(228);
// EXTERNAL MODULE: ./src/plan/environment.ts
var environment = __webpack_require__(2582);
// EXTERNAL MODULE: ./src/plan/statemachine.ts + 1 modules
var statemachine = __webpack_require__(1662);
;// CONCATENATED MODULE: ./src/targets/local/polyfill.ts
/**
 * `Promise.withResolvers` (ES2024, Node >= 22) for Node 20: aws-local-stepfunctions calls it in every
 * Task state. Imported for its effect, before the library is used; a no-op where Node has it (the
 * action runs on Node 24).
 */
const PromiseCtor = Promise;
if (typeof PromiseCtor.withResolvers !== 'function') {
    Object.defineProperty(PromiseCtor, 'withResolvers', {
        configurable: true,
        writable: true,
        enumerable: false,
        value: function withResolvers() {
            let resolve;
            let reject;
            const promise = new this((res, rej) => {
                resolve = res;
                reject = rej;
            });
            return { promise, resolve, reject };
        },
    });
}


// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./node_modules/aws-local-stepfunctions/build/main.node.esm.js + 2 modules
var main_node_esm = __webpack_require__(1198);
// EXTERNAL MODULE: ./src/lib/paths.ts
var paths = __webpack_require__(2308);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/targets/local/lambda.ts
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




/** Lines of stderr kept for the failure's cause (those logged before the error's traceback). */
const LOG_TAIL_LINES = 6;
/** stderr lines remembered while the process runs, to pick the cause's lines from. */
const LOG_RING_LINES = 400;
/** The runner's variables a group process gets besides AWS_* (start-up, locale, network). */
const HOST_ENV = new Set([
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
 */
const INVOKE_SCRIPT = String.raw `
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
    sys.stderr.flush()
    sys.exit(0)
try:
    emit(json.dumps({"ok": True, "payload": result}))
except (TypeError, ValueError) as exc:
    sys.stderr.write("[ERROR] Runtime.MarshalError: Unable to marshal response: %s\n" % exc)
    emit(failure("Runtime.MarshalError", "Unable to marshal response: %s" % exc))
sys.stdout.flush()
sys.stderr.flush()
`;
/** The function name of a FunctionName parameter (a name, a partial or a full ARN). */
function functionNameOf(functionName) {
    const m = /(?:^|:function:)([^:]+)(?::[^:]+)?$/.exec(functionName);
    return m?.[1] ?? functionName;
}
/** The environment of one group process. */
function invocationEnv(options) {
    const env = {};
    for (const [key, value] of Object.entries(options.hostEnv)) {
        if (value !== undefined && (key.startsWith('AWS_') || HOST_ENV.has(key)))
            env[key] = value;
    }
    Object.assign(env, {
        PYTHONPATH: [options.image.site, options.actionPythonDir].join(external_node_path_.delimiter),
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        KEDRO_PACKAGE_NAME: options.image.packageName,
        KEDRO_CONF_SOURCE: external_node_path_.join(options.taskRoot, 'conf'),
        KEDRO_DISABLE_TELEMETRY: '1',
        LAMBDA_TASK_ROOT: options.taskRoot,
        AWS_LAMBDA_FUNCTION_NAME: functionNameOf(options.functionName),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        TZ: 'UTC',
        TMPDIR: options.tmpDir,
        KEDRO_AWS_LOCAL_SITE: options.image.site,
    });
    if (options.kedroEnv)
        env.KEDRO_ENV = options.kedroEnv;
    return { ...env, ...options.extra };
}
/** Runs one invocation to its end; never throws for what the function did (see InvokeOutcome). */
async function invokeLocally(options) {
    const scratch = options.scratchDir ?? external_node_os_.tmpdir();
    external_node_fs_.mkdirSync(scratch, { recursive: true, mode: 0o700 });
    const safe = options.group.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
    const sandbox = external_node_fs_.mkdtempSync(external_node_path_.join(scratch, `kedro-aws-local-${safe}-`));
    try {
        return await invokeIn(sandbox, options);
    }
    finally {
        external_node_fs_.rmSync(sandbox, { recursive: true, force: true });
    }
}
async function invokeIn(sandbox, options) {
    const taskRoot = external_node_path_.join(sandbox, 'task');
    const tmpDir = external_node_path_.join(sandbox, 'tmp');
    const invokeDir = external_node_path_.join(sandbox, 'invoke');
    for (const dir of [taskRoot, tmpDir, invokeDir])
        external_node_fs_.mkdirSync(dir, { recursive: true, mode: 0o700 });
    external_node_fs_.cpSync(external_node_path_.join(options.image.taskRoot, 'conf'), external_node_path_.join(taskRoot, 'conf'), { recursive: true });
    const eventFile = external_node_path_.join(invokeDir, 'event.json');
    const resultFile = external_node_path_.join(invokeDir, 'result.json');
    external_node_fs_.writeFileSync(eventFile, JSON.stringify(options.payload ?? null), { mode: 0o600 });
    const kedroEnv = options.payload &&
        typeof options.payload === 'object' &&
        typeof options.payload.env === 'string'
        ? options.payload.env
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
    const tail = [];
    let timedOut = false;
    let aborted = false;
    const started = Date.now();
    const exit = await new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(options.python, ['-c', INVOKE_SCRIPT, eventFile, resultFile], {
            cwd: taskRoot,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
            // Its own process group: a timeout or an abort kills what the group started too (ParallelRunner).
            detached: process.platform !== 'win32',
        });
        const kill = () => {
            if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
                return;
            try {
                if (process.platform !== 'win32')
                    process.kill(-child.pid, 'SIGKILL');
                else
                    child.kill('SIGKILL');
            }
            catch {
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
        if (options.signal?.aborted)
            onAbort();
        const lines = (stream, keep) => {
            let buffered = '';
            stream.setEncoding('utf8');
            const emit = (line) => {
                options.log(line);
                if (keep) {
                    tail.push(line);
                    if (tail.length > LOG_RING_LINES)
                        tail.shift();
                }
            };
            stream.on('data', (chunk) => {
                buffered += chunk;
                const parts = buffered.split('\n');
                buffered = parts.pop() ?? '';
                for (const part of parts)
                    emit(part.replace(/\r$/, ''));
            });
            stream.on('end', () => {
                if (buffered !== '')
                    emit(buffered);
            });
        };
        if (child.stdout)
            lines(child.stdout, false);
        if (child.stderr)
            lines(child.stderr, true);
        child.once('spawn', () => options.onStart?.());
        let settled = false;
        const done = (value) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
            resolve(value);
        };
        child.once('error', (error) => done({ code: null, signal: null, spawnError: error }));
        child.once('close', (code, signal) => done({ code, signal }));
    });
    const fail = (errorType, errorMessage, stackTrace = []) => {
        // The lines logged before the runner's "[ERROR] <type>: ..." and its traceback: what led to it
        // (the runtime's line naming the node and the dataset), not the traceback again.
        const marker = tail.map((l) => l.startsWith(`[ERROR] ${errorType}:`)).lastIndexOf(true);
        const before = marker >= 0 ? tail.slice(0, marker) : tail;
        return { ok: false, errorType, errorMessage, stackTrace, logTail: before.slice(-LOG_TAIL_LINES) };
    };
    if (exit.spawnError) {
        const code = exit.spawnError.code;
        return fail('Runtime.InvalidEntrypoint', code === 'ENOENT'
            ? `the interpreter "${options.python}" was not found (input "python")`
            : `could not start "${options.python}": ${exit.spawnError.message}`);
    }
    if (aborted)
        return fail('States.Aborted', 'the local execution was stopped before this group finished');
    if (timedOut) {
        const seconds = ((Date.now() - started) / 1000).toFixed(2);
        return fail('Sandbox.Timedout', `Task timed out after ${seconds} seconds (the group's timeout_seconds is ${options.timeoutSeconds})`);
    }
    let text;
    try {
        text = external_node_fs_.readFileSync(resultFile, 'utf8');
    }
    catch {
        text = undefined;
    }
    if (text === undefined || text === '') {
        const how = exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code ?? 'unknown'}`;
        return fail('Runtime.ExitError', `Runtime exited without providing a reason (${how})`);
    }
    const outcome = JSON.parse(text);
    if (outcome.ok)
        return { ok: true, payload: outcome.payload };
    return fail(outcome.errorType, outcome.errorMessage, outcome.stackTrace ?? []);
}

;// CONCATENATED MODULE: ./src/targets/local/executor.ts
/**
 * `executor: local`: the state machine that `deploy` creates, executed on the runner. The definition is
 * walked by aws-local-stepfunctions (the Amazon States Language: Parallel branches run concurrently,
 * Retry and Catch apply as on AWS, a failed branch fails its Parallel state and the execution); each
 * Task is overridden by an emulated Lambda invoke (see lambda.ts): one fresh Python process per group,
 * in a sandbox of its own, given the very event Step Functions would send (the Task's `Parameters`
 * resolved against the execution input).
 *
 * Differences from AWS, on purpose:
 * - At most `maxConcurrency` group processes run at once (default: the runner's CPUs); a group waiting
 *   for a slot has not started. The library's own Task timer would count that wait, so it is given a
 *   copy of the definition with the Tasks' TimeoutSeconds out of the way, and the group's Lambda timeout
 *   (`TimeoutSeconds` minus the margin `deploy` adds) is enforced from the moment its process starts.
 * - When the execution fails, groups already running are let finish (their Lambda would, on AWS) and
 *   their outcome recorded; no other group starts.
 */







/** Task TimeoutSeconds handed to the library: longer than any run (and within setTimeout's range). */
const LIBRARY_TASK_TIMEOUT_SECONDS = 2_000_000;
/** A Task's failure as the state machine sees it: `name` is the error Retry and Catch match. */
class GroupFailure extends Error {
    group;
    error;
    causeText;
    constructor(group, error, causeText) {
        super(causeText);
        this.group = group;
        this.error = error;
        this.causeText = causeText;
        this.name = error;
    }
}
/** Every Task state of a definition, nested ones included, in the order of the JSON. */
function taskStates(definition) {
    const found = [];
    const walk = (states) => {
        for (const [name, state] of Object.entries(states ?? {})) {
            if (state.Type === 'Task') {
                found.push({ state: name, resource: state.Resource ?? '', timeoutSeconds: state.TimeoutSeconds });
            }
            for (const branch of state.Branches ?? [])
                walk(branch.States);
            walk(state.Iterator?.States);
            walk(state.ItemProcessor?.States);
        }
    };
    walk(definition.States);
    return found;
}
/** A copy of the definition whose Tasks' own timers never fire first (see the module comment). */
function withoutTaskTimers(definition) {
    const copy = JSON.parse(JSON.stringify(definition));
    const walk = (states) => {
        for (const state of Object.values(states ?? {})) {
            if (state.Type === 'Task')
                state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
            for (const branch of state.Branches ?? [])
                walk(branch.States);
            walk(state.Iterator?.States);
            walk(state.ItemProcessor?.States);
        }
    };
    walk(copy.States);
    return copy;
}
/** A counting semaphore: at most `size` holders. */
class Slots {
    free;
    waiting = [];
    constructor(size) {
        this.free = Math.max(1, Math.floor(size));
    }
    async acquire() {
        if (this.free > 0) {
            this.free -= 1;
            return;
        }
        await new Promise((resolve) => this.waiting.push(resolve));
    }
    release() {
        const next = this.waiting.shift();
        if (next)
            next();
        else
            this.free += 1;
    }
}
function defaultConcurrency() {
    const available = typeof external_node_os_.availableParallelism === 'function' ? external_node_os_.availableParallelism() : external_node_os_.cpus().length;
    return Math.max(1, available);
}
/** The Lambda timeout of a Task: what `deploy` set, i.e. its TimeoutSeconds minus the margin it added. */
function functionTimeoutSeconds(taskTimeoutSeconds) {
    if (taskTimeoutSeconds === undefined)
        return 900;
    const lambda = taskTimeoutSeconds - statemachine/* TASK_TIMEOUT_MARGIN_SECONDS */.d2;
    return lambda > 0 ? lambda : taskTimeoutSeconds;
}
/** The cause recorded for a failed group: the exception's message, then the last lines it logged. */
function causeOf(outcome) {
    const lines = [outcome.errorMessage];
    if (outcome.logTail.length > 0)
        lines.push('', "Last lines of the group's log:", ...outcome.logTail);
    return lines.join('\n');
}
/** The Lambda event and the invoke's result shape for a Task's resource. */
function invocation(resource, input) {
    if (resource === statemachine/* LAMBDA_INVOKE_RESOURCE */.Yh) {
        const parameters = (input ?? {});
        return {
            functionName: typeof parameters.FunctionName === 'string' ? parameters.FunctionName : '',
            payload: parameters.Payload,
            wrap: (payload) => ({ ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 }),
        };
    }
    if (/^arn:aws[a-z-]*:lambda:/.test(resource)) {
        return { functionName: resource, payload: input, wrap: (payload) => payload };
    }
    return undefined;
}
/** Executes the definition on the runner; resolves when it has ended and no group process is left. */
async function runLocally(options) {
    const log = options.log ?? ((line) => core.info(line));
    const tasks = taskStates(options.definition);
    const groups = {};
    for (const task of tasks)
        groups[options.groupOfState.get(task.state) ?? task.state] = { status: 'NOT_STARTED', attempts: 0 };
    const slots = new Slots(options.maxConcurrency ?? defaultConcurrency());
    const actionPythonDir = options.actionPythonDir ?? (0,paths/* pythonDir */.w)();
    const stop = new AbortController();
    const running = new Set();
    let ended = false;
    const transition = (t) => {
        try {
            options.onTransition?.(t);
        }
        catch (error) {
            core.warning(`onTransition failed: ${error.message}`);
        }
    };
    const handlerFor = (task) => async (input) => {
        const group = options.groupOfState.get(task.state) ?? task.state;
        const call = invocation(task.resource, input);
        if (!call) {
            throw new GroupFailure(group, 'States.Runtime', `the local executor runs Lambda Tasks only; state "${task.state}" has resource ${task.resource}`);
        }
        await slots.acquire();
        try {
            if (ended || stop.signal.aborted) {
                // The execution is over (a branch failed, or it was aborted): nothing new starts.
                throw new GroupFailure(group, 'States.Aborted', 'not started: the execution had already ended');
            }
            const record = groups[group] ?? (groups[group] = { status: 'NOT_STARTED', attempts: 0 });
            const extraEnv = typeof options.env === 'function' ? await options.env() : options.env;
            const work = invokeLocally({
                python: options.python,
                image: options.image,
                actionPythonDir,
                group,
                functionName: call.functionName,
                payload: call.payload,
                timeoutSeconds: functionTimeoutSeconds(task.timeoutSeconds),
                env: extraEnv,
                hostEnv: options.hostEnv,
                scratchDir: options.scratchDir,
                log: (line) => log(`[${group}] ${line}`),
                signal: stop.signal,
                onStart: () => {
                    const now = new Date();
                    record.status = 'RUNNING';
                    record.start ??= now;
                    record.attempts += 1;
                    transition({ group, status: 'RUNNING', at: now });
                },
            });
            running.add(work);
            let outcome;
            try {
                outcome = await work;
            }
            finally {
                running.delete(work);
            }
            record.end = new Date();
            record.start ??= record.end;
            if (outcome.ok) {
                record.status = 'SUCCEEDED';
                record.result = outcome.payload;
                delete record.error;
                delete record.cause;
                transition({ group, status: 'SUCCEEDED', at: record.end });
                return call.wrap(outcome.payload);
            }
            const cause = causeOf(outcome);
            record.status = 'FAILED';
            record.error = outcome.errorType;
            record.cause = cause;
            transition({ group, status: 'FAILED', at: record.end, error: outcome.errorType, cause });
            throw new GroupFailure(group, outcome.errorType, cause);
        }
        finally {
            slots.release();
        }
    };
    const overrides = Object.fromEntries(tasks.map((task) => [task.state, handlerFor(task)]));
    const machine = new main_node_esm/* StateMachine */.Z3(withoutTaskTimers(options.definition), {
        validationOptions: { checkArn: true, checkPaths: true },
    });
    const startDate = new Date();
    const execution = machine.run(options.input, {
        overrides: { taskResourceLocalHandlers: overrides },
    });
    void drainEvents(execution.eventLogs, options.groupOfState, log);
    const onAbort = () => {
        stop.abort();
        execution.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted)
        onAbort();
    let status = 'SUCCEEDED';
    let failure;
    try {
        await execution.result;
    }
    catch (error) {
        if (error instanceof main_node_esm/* ExecutionAbortedError */.uL || stop.signal.aborted) {
            status = 'ABORTED';
            failure = { group: undefined, error: 'States.Aborted', cause: 'the local execution was aborted' };
        }
        else {
            status = 'FAILED';
            const reason = error instanceof main_node_esm/* ExecutionError */.Re ? error.cause : error;
            if (reason instanceof GroupFailure) {
                failure = { group: reason.group, error: reason.error, cause: reason.causeText };
            }
            else {
                // Not a group's error (a path that selects nothing, ...): the state machine's own.
                failure = {
                    group: undefined,
                    error: reason?.name ?? 'States.Runtime',
                    cause: reason?.message ?? String(error),
                };
            }
        }
    }
    finally {
        ended = true;
        options.signal?.removeEventListener('abort', onAbort);
    }
    // Groups still running (siblings of a failed branch) end as their Lambda would: let them finish.
    while (running.size > 0)
        await Promise.allSettled([...running]);
    return { status, ...(failure ? { failure } : {}), groups, startDate, stopDate: new Date() };
}
/** Logs what the event log shows that the groups' own transitions do not (retries). */
async function drainEvents(events, groupOfState, log) {
    try {
        for await (const event of events) {
            if (event.type === 'StateRetried' && event.state) {
                const group = groupOfState.get(event.state.name) ?? event.state.name;
                log(`[${group}] retried (attempt ${(event.retry?.attempt ?? 0) + 1})`);
            }
        }
    }
    catch {
        // the event log ends with the execution
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/build/layout.ts
var layout = __webpack_require__(2268);
// EXTERNAL MODULE: ./src/kedro/python.ts
var kedro_python = __webpack_require__(5497);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
;// CONCATENATED MODULE: ./src/targets/local/image.ts
/**
 * The container image, emulated on the runner for `executor: local`: the project's wheel installed
 * into a folder of its own (`<work>/site`, without its dependencies, which the user's interpreter
 * already has) and the conf archive of `kedro package` extracted to `<work>/task/conf`, the layout
 * of the image's task root. `conf/local` and Kedro's credentials files are never extracted: they are
 * not part of what is deployed (an image has neither: src/build/layout.ts), so a run that needs them
 * fails here as it would on AWS, and no copy of a credentials file is left on the runner. Everything
 * under `<work>` is the runner's user's only (folders 0700, files 0600).
 *
 * A second call with the same wheel (same sha256) keeps the installed site folder; the conf is
 * extracted afresh every time (it is small, and an edited conf must not be missed).
 */








/** Name of the file that records which wheel the site folder holds. */
const MARKER = 'image.json';
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of external_node_fs_.createReadStream(file))
        hash.update(chunk);
    return hash.digest('hex');
}
function readMarker(file) {
    try {
        const parsed = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
        if (typeof parsed.wheel_sha256 === 'string' && typeof parsed.package_name === 'string') {
            return {
                wheel_sha256: parsed.wheel_sha256,
                wheel: String(parsed.wheel ?? ''),
                package_name: parsed.package_name,
            };
        }
    }
    catch {
        // missing or unreadable: install afresh
    }
    return undefined;
}
/** Installs the wheel (unless this very wheel is installed already) and extracts the conf. */
async function prepareImage(options) {
    for (const [what, file] of [
        ['wheel', options.wheel],
        ['conf archive', options.confArchive],
    ]) {
        if (!external_node_fs_.existsSync(file))
            throw new errors/* ActionError */.l(`the ${what} ${file} does not exist; run mode "package" again`);
    }
    const workDir = external_node_path_.resolve(options.workDir);
    const site = external_node_path_.join(workDir, 'site');
    const taskRoot = external_node_path_.join(workDir, 'task');
    const markerFile = external_node_path_.join(workDir, MARKER);
    (0,files/* privateDir */.XK)(workDir);
    const wheelSha256 = await sha256File(options.wheel);
    const marker = readMarker(markerFile);
    const reused = marker !== undefined &&
        marker.wheel_sha256 === wheelSha256 &&
        marker.package_name === options.packageName &&
        external_node_fs_.existsSync(site);
    if (!reused) {
        external_node_fs_.rmSync(markerFile, { force: true });
        await installWheel(options.python, options.wheel, site);
        const record = {
            wheel_sha256: wheelSha256,
            wheel: external_node_path_.resolve(options.wheel),
            package_name: options.packageName,
        };
        (0,files/* writePrivateFile */.Pl)(markerFile, `${JSON.stringify(record, null, 2)}\n`);
    }
    if (!external_node_fs_.existsSync(external_node_path_.join(site, options.packageName))) {
        throw new errors/* ActionError */.l(`the wheel ${external_node_path_.basename(options.wheel)} has no package "${options.packageName}" ([tool.kedro] package_name); ` +
            `it holds ${listOrNone(external_node_fs_.readdirSync(site).filter((f) => !f.endsWith('.dist-info') && !f.endsWith('.data')))}`);
    }
    await extractConf(options.confArchive, taskRoot);
    // What pip and tar wrote has the permissions of the runner's umask.
    (0,files/* restrictTree */.jH)(workDir);
    return { site, taskRoot, packageName: options.packageName, wheelSha256, reused };
}
function listOrNone(names) {
    return names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ');
}
/**
 * `pip install --no-deps --target`, into a fresh folder swapped in at the end (an interrupted install
 * never leaves a half site behind). An environment without pip (uv's) gets the wheel unzipped, which
 * is what installing a pure-Python wheel into a target folder amounts to.
 */
async function installWheel(python, wheel, site) {
    const staging = `${site}.${process.pid}.new`;
    external_node_fs_.rmSync(staging, { recursive: true, force: true });
    const pip = await (0,kedro_python/* runPython */.w)(python, [
        '-m',
        'pip',
        'install',
        '--no-deps',
        '--no-input',
        '--disable-pip-version-check',
        '--no-compile',
        '--target',
        staging,
        wheel,
    ], { cwd: external_node_path_.dirname(staging), label: 'local image: pip install' });
    if (pip.code !== 0) {
        if (!/No module named pip/.test(pip.stderrTail)) {
            external_node_fs_.rmSync(staging, { recursive: true, force: true });
            throw new errors/* ActionError */.l(`installing ${external_node_path_.basename(wheel)} for the local executor failed (pip exit code ${pip.code}).\n` +
                `Last lines:\n${pip.stderrTail}`);
        }
        const unzip = await (0,kedro_python/* runPython */.w)(python, ['-m', 'zipfile', '-e', wheel, staging], {
            cwd: external_node_path_.dirname(staging),
            label: 'local image: unzip wheel',
        });
        if (unzip.code !== 0) {
            external_node_fs_.rmSync(staging, { recursive: true, force: true });
            throw new errors/* ActionError */.l(`"${python}" has no pip and unzipping ${external_node_path_.basename(wheel)} failed (exit code ${unzip.code}).\n` +
                `Last lines:\n${unzip.stderrTail}`);
        }
    }
    external_node_fs_.rmSync(site, { recursive: true, force: true });
    external_node_fs_.renameSync(staging, site);
}
/**
 * tar patterns for Kedro's credentials files (its config loader's `credentials*`, `**\/credentials*`, in
 * any case, as isCredentialsPath): unanchored, so they match a file or folder at any depth, with GNU
 * tar and bsdtar alike.
 */
const CREDENTIALS_EXCLUDE = `--exclude=${[...'credentials'].map((c) => `[${c.toUpperCase()}${c}]`).join('')}*`;
/** `conf/` of the archive → `<taskRoot>/conf`, without `conf/local` and without any credentials file. */
async function extractConf(archive, taskRoot) {
    const staging = `${taskRoot}.${process.pid}.new`;
    external_node_fs_.rmSync(staging, { recursive: true, force: true });
    (0,files/* privateDir */.XK)(staging);
    const args = [
        '-xzf',
        external_node_path_.resolve(archive),
        '-C',
        staging,
        '--exclude=conf/local',
        '--exclude=./conf/local',
        CREDENTIALS_EXCLUDE,
    ];
    const failure = await new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('tar', args, { encoding: 'utf8' }, (error, _stdout, stderr) => {
            resolve(error ? `${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim()}` : ''}` : null);
        });
    });
    if (failure !== null) {
        external_node_fs_.rmSync(staging, { recursive: true, force: true });
        throw new errors/* ActionError */.l(`extracting the conf archive ${archive} failed: ${failure}`);
    }
    const conf = external_node_path_.join(staging, 'conf');
    if (!external_node_fs_.existsSync(conf) || !external_node_fs_.statSync(conf).isDirectory()) {
        external_node_fs_.rmSync(staging, { recursive: true, force: true });
        throw new errors/* ActionError */.l(`the conf archive ${archive} has no conf/ folder (it should come from "kedro package")`);
    }
    external_node_fs_.rmSync(external_node_path_.join(conf, 'local'), { recursive: true, force: true });
    // Should a tar match the patterns differently: none is left all the same.
    removeCredentials(conf);
    external_node_fs_.rmSync(taskRoot, { recursive: true, force: true });
    external_node_fs_.mkdirSync(taskRoot, { recursive: true });
    external_node_fs_.renameSync(conf, external_node_path_.join(taskRoot, 'conf'));
    external_node_fs_.rmSync(staging, { recursive: true, force: true });
}
/** Removes every credentials file or folder under `conf` (see CREDENTIALS_EXCLUDE). */
function removeCredentials(conf, rel = '') {
    for (const entry of external_node_fs_.readdirSync(external_node_path_.join(conf, rel), { withFileTypes: true })) {
        const childRel = rel ? `${rel}/${entry.name}` : entry.name;
        if ((0,layout/* isCredentialsPath */.Sl)(childRel))
            external_node_fs_.rmSync(external_node_path_.join(conf, childRel), { recursive: true, force: true });
        else if (entry.isDirectory())
            removeCredentials(conf, childRel);
    }
}

// EXTERNAL MODULE: ./src/context/publish.ts + 3 modules
var publish = __webpack_require__(3781);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/targets/local/summary.ts


async function writeLocalSummary(ctx, deployment, runId, 
/** `status` may say TIMED_OUT where the record says ABORTED (stopped by "timeout-minutes"). */
result, checks) {
    const report = {
        project: deployment.project,
        stage: deployment.stage,
        env: deployment.env,
        target: 'step-functions',
        executor: 'local',
        runId,
        status: result.status,
        groups: (0,summary/* reportGroupsFromPlan */.WC)(deployment).map((g) => {
            const seen = result.groups[g.name];
            if (!seen || seen.status === 'NOT_STARTED')
                return g;
            const status = seen.status === 'SUCCEEDED' || seen.status === 'FAILED' ? seen.status : 'RUNNING';
            return { ...g, status, start: toDate(seen.start), end: toDate(seen.end) };
        }),
        ...(result.failure ? { failure: result.failure } : {}),
        ...(checks ? { outputs: (0,summary/* reportOutputsFromVerify */.wo)(checks) } : {}),
    };
    await (0,publish/* publishReport */.S3)(ctx, report);
}
/** Dates come back as strings from the record file. */
function toDate(value) {
    return value === undefined ? undefined : new Date(value);
}

;// CONCATENATED MODULE: ./src/targets/local/run.ts
/**
 * Run with `executor: local`. The state machine `deploy` would create, executed on the runner (see
 * executor.ts): no image, no Lambda, no Step Functions; the project's wheel and conf archive from
 * `package` are installed into an emulated image under the stage's work folder, and the datasets cross
 * groups wherever the catalog of the env puts them (S3, or the emulator AWS_ENDPOINT_URL points at).
 * The run happens within `start` (always waited for); its record (local-run.json) is what `verify`
 * reads back.
 */












/** Account id of the function ARNs in a local definition (nothing is called with them). */
const LOCAL_ACCOUNT = '000000000000';
/** Runs the plan with the local executor; `runId` is the run's Kedro run id (as run mode makes it). */
async function runLocal(ctx, { plan, deployment }, runId) {
    const { inputs } = ctx;
    const packageName = plan.project.package_name;
    const wheel = (0,common/* required */.mw)(ctx, state/* STATE */.c4.wheel, 'mode "package"');
    const confArchive = (0,common/* required */.mw)(ctx, state/* STATE */.c4.confArchive, 'mode "package"');
    const image = await prepareImage({
        python: inputs.python,
        wheel,
        confArchive,
        packageName,
        workDir: external_node_path_.join(ctx.workDir, 'local', 'image'),
    });
    core.info(image.reused
        ? `Local image: ${image.site} already holds this wheel (sha256 ${image.wheelSha256.slice(0, 12)})`
        : `Local image: ${external_node_path_.basename(wheel)} installed into ${image.site}`);
    const recordsUrl = (0,common/* stageRecords */.tY)(ctx, { plan, deployment }).url;
    const region = inputs.awsRegion || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || 'us-east-1';
    const { definition, stats } = (0,statemachine/* buildDefinition */._H)(deployment, {
        schedule: inputs.schedule,
        env: deployment.env,
        packageName,
        functionArn: (group) => `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${group.names.lambdaFunction}`,
    });
    (0,common/* logSyncPoints */.BW)(stats.syncPoints);
    ctx.remember({ [state/* STATE */.c4.runId]: runId });
    ctx.setOutput(outputs/* OUTPUT */.a.runId, runId);
    if (!inputs.wait)
        core.info('"wait: false" does not apply to the local executor: the run happens in this step.');
    core.info(`Running ${deployment.groups.length} group(s) locally, each in its own Python process (run id ${runId})`);
    // A cancelled job (SIGINT, then SIGTERM) stops the group processes, which run in process groups of
    // their own and would outlive the action otherwise.
    const cancel = new AbortController();
    const onSignal = () => cancel.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const timeout = AbortSignal.timeout(inputs.timeoutMinutes * 60_000);
    const result = await runLocally({
        definition,
        input: { run_id: runId, runtime_params: plan.runtime_params, env: deployment.env },
        python: inputs.python,
        image,
        groupOfState: new Map(deployment.groups.map((g) => [g.names.state, g.name])),
        onTransition: (t) => core.info(`  ${t.group} ${t.status.toLowerCase()}${t.status === 'FAILED' ? `: ${t.error}` : ''}`),
        scratchDir: external_node_path_.join(ctx.workDir, 'local', 'sandboxes'),
        signal: AbortSignal.any([timeout, cancel.signal]),
        hostEnv: ctx.env,
        env: () => groupEnv(ctx, region, recordsUrl),
    }).finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    });
    const stopped = cancel.signal.aborted ? 'cancelled' : timeout.aborted ? 'timeout' : undefined;
    ctx.setOutput(outputs/* OUTPUT */.a.status, localStatus(result, stopped));
    const record = external_node_path_.join(ctx.workDir, 'local-run.json');
    (0,files/* writePrivateFile */.Pl)(record, `${JSON.stringify({ runId, runtimeParams: plan.runtime_params, ...result, ...(stopped ? { stopped } : {}) }, null, 2)}\n`);
    ctx.remember({ [state/* STATE */.c4.localRun]: record });
    return { runId, result, stopped };
}
/** The run's status: the execution's, but TIMED_OUT when "timeout-minutes" stopped it (as for the other targets). */
function localStatus(result, stopped) {
    return result.status === 'ABORTED' && stopped === 'timeout' ? 'TIMED_OUT' : result.status;
}
/** The facts of a local run, from its result (after `start`) or its record (for verify). */
function localRunFacts(ctx, deployment, run) {
    const { runId, result } = run;
    const seconds = (new Date(result.stopDate).getTime() - new Date(result.startDate).getTime()) / 1000;
    const status = localStatus(result, run.stopped);
    return {
        runId,
        status,
        startDate: new Date(result.startDate),
        runtimeParams: run.runtimeParams,
        source: run.source,
        successLine: `Local execution SUCCEEDED in ${seconds.toFixed(1)} s (run id ${runId})`,
        failure: async () => localFailureMessage(result, {
            timeoutMinutes: ctx.inputs.timeoutMinutes,
            ...(run.stopped ? { stopped: run.stopped } : {}),
        }),
        summary: (checks) => writeLocalSummary(ctx, deployment, runId, { ...result, status }, checks),
    };
}
/** The run `run` left in the state (its record file), for verify. */
function recordedLocalRunFacts(ctx, { deployment }) {
    const file = (0,common/* required */.mw)(ctx, state/* STATE */.c4.localRun, 'mode "run" with executor local');
    const record = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    return localRunFacts(ctx, deployment, {
        runId: record.runId,
        result: record,
        runtimeParams: record.runtimeParams ?? {},
        source: `local run ${file}`,
        ...(record.stopped ? { stopped: record.stopped } : {}),
    });
}
/**
 * What the groups need besides the step's AWS_* variables: the region, where the stage's run records
 * go, and with `role-to-assume` the role's credentials (asked for as each group starts, so a long run
 * never hands out expired ones).
 */
async function groupEnv(ctx, region, recordsUrl) {
    const env = { AWS_REGION: region, AWS_DEFAULT_REGION: region, [environment/* RECORDS_ENV */.H]: recordsUrl };
    const provider = ctx.credentials();
    if (provider) {
        const creds = await provider();
        env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
        env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
        env.AWS_SESSION_TOKEN = creds.sessionToken ?? '';
    }
    return env;
}
/** The failure as a message a user can act on: which group, what went wrong, where its log is. */
function localFailureMessage(result, options) {
    if (result.status === 'ABORTED') {
        return options.stopped === 'cancelled'
            ? 'the local execution was stopped: the job was cancelled'
            : `the local execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"), so it was stopped`;
    }
    const failure = result.failure;
    const lines = [
        failure?.group
            ? `group "${failure.group}" failed (local executor): ${failure.error}`
            : `the local execution ended ${result.status}: ${failure?.error ?? 'no error recorded'}`,
    ];
    if (failure?.cause)
        lines.push(`cause: ${failure.cause.slice(0, 2000)}`);
    if (failure?.group)
        lines.push(`logs: the lines prefixed "[${failure.group}]" above`);
    const notStarted = Object.entries(result.groups)
        .filter(([, g]) => g.status === 'NOT_STARTED')
        .map(([name]) => name);
    if (notStarted.length > 0)
        lines.push(`not started: ${notStarted.join(', ')}`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/targets/local/index.ts



function localBackend() {
    return {
        name: 'local',
        imageKind: 'lambda',
        detachedNote: undefined,
        deploy: deploy/* deployStateMachine */.A,
        start: runLocal,
        // The run happens in this step: its lease is held for as long, and expires if the step dies.
        leaseRun: () => ({}),
        stillRunning: async () => undefined,
        wait: async (ctx, { plan, deployment }, run) => localRunFacts(ctx, deployment, { ...run, runtimeParams: plan.runtime_params, source: 'local run' }),
        facts: async (ctx, loaded) => recordedLocalRunFacts(ctx, loaded),
        teardown: teardown/* teardownStateMachine */.L,
    };
}


/***/ })

};
;