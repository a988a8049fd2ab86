"use strict";
exports.id = 76;
exports.ids = [76];
exports.modules = {

/***/ 6076:
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
// EXTERNAL MODULE: ./src/plan/batch.ts
var batch = __webpack_require__(9319);
// EXTERNAL MODULE: ./src/plan/environment.ts
var environment = __webpack_require__(2582);
// EXTERNAL MODULE: ./src/plan/statemachine.ts + 1 modules
var statemachine = __webpack_require__(1662);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/targets/stepfunctions/sagemaker.ts
var stepfunctions_sagemaker = __webpack_require__(3634);
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


// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: ./node_modules/aws-local-stepfunctions/build/main.node.esm.js + 2 modules
var main_node_esm = __webpack_require__(1198);
// EXTERNAL MODULE: ./src/lib/paths.ts
var paths = __webpack_require__(2308);
// EXTERNAL MODULE: ./src/plan/sagemaker.ts
var sagemaker = __webpack_require__(6183);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/build/layout.ts
var layout = __webpack_require__(2268);
// EXTERNAL MODULE: ./src/build/lock.ts
var build_lock = __webpack_require__(1497);
// EXTERNAL MODULE: ./src/build/pip.ts
var build_pip = __webpack_require__(6037);
// EXTERNAL MODULE: ./src/build/wheel.ts
var wheel = __webpack_require__(9375);
// EXTERNAL MODULE: ./src/inputs/table.ts + 1 modules
var table = __webpack_require__(1926);
// EXTERNAL MODULE: ./src/kedro/python.ts
var python = __webpack_require__(5497);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
;// CONCATENATED MODULE: ./src/targets/local/lines.ts
/**
 * The output of a group's process, line by line: every line goes to `log`; with `tail`, the last
 * `keep` lines of the stream are also kept there (for the failure text).
 */
function followLines(stream, log, tail) {
    let buffered = '';
    stream.setEncoding('utf8');
    const emit = (line) => {
        log(line);
        if (tail) {
            tail.lines.push(line);
            if (tail.lines.length > tail.keep)
                tail.lines.shift();
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
}

;// CONCATENATED MODULE: ./src/targets/local/sandbox.ts
/**
 * What makes a group's process see what a Lambda function sees, on a Linux runner, without root and
 * without namespaces:
 *
 * - Read-only folders: the mode bits (folders 0500, files 0400). The runner's user owns them, so the
 *   kernel refuses its writes; when the action runs as root (containers, this repository's tests), the
 *   process is started through `setpriv` without the capabilities that let root write through mode bits
 *   (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER). User and mount namespaces (a read-only bind
 *   mount) would give EROFS from the kernel itself, but unprivileged ones are refused on GitHub's Ubuntu
 *   24.04 runners (AppArmor's `apparmor_restrict_unprivileged_userns`, actions/runner-images#10443), so
 *   the exact error Lambda gives comes from the rule in the group's interpreter (lambda.ts).
 * - Memory: the resident memory of the group's processes (its process group), sampled from /proc, the
 *   way Lambda counts a function's memory (not the address space, which Python and its thread pools
 *   reserve far beyond what they use).
 * - Ephemeral storage: the bytes allocated under the group's /tmp.
 * - vCPUs (a Batch container's): the process's CPU affinity, set with `taskset` of util-linux.
 *
 * {@link runContained} runs a container's process (a Batch job's, a SageMaker job's) held to these:
 * its own process group, its memory sampled, its timeout, an abort.
 */





/**
 * Makes `root` and everything under it read-only, and the runner's user's only like every file the
 * action keeps (folders 0500, files 0400, executables 0500).
 */
function setReadOnly(root) {
    const stat = external_node_fs_.lstatSync(root, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink())
        return;
    if (stat.isDirectory()) {
        for (const name of external_node_fs_.readdirSync(root))
            setReadOnly(external_node_path_.join(root, name));
        external_node_fs_.chmodSync(root, 0o500);
    }
    else {
        external_node_fs_.chmodSync(root, stat.mode & 0o100 ? 0o500 : 0o400);
    }
}
/** Gives the owner write permission on `root` and every folder under it again (to remove or replace them). */
function setWritable(root) {
    const stat = external_node_fs_.lstatSync(root, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink() || !stat.isDirectory())
        return;
    external_node_fs_.chmodSync(root, (stat.mode & 0o777) | 0o700);
    for (const entry of external_node_fs_.readdirSync(root, { withFileTypes: true })) {
        if (entry.isDirectory())
            setWritable(external_node_path_.join(root, entry.name));
    }
}
/**
 * A fresh sandbox for one container: a private folder under `scratchDir` (default the system's temp
 * folder), named after the kind and the group. The caller removes it (removeTree) when the container ends.
 */
function openSandbox(kind, group, scratchDir) {
    const scratch = scratchDir ?? external_node_os_.tmpdir();
    external_node_fs_.mkdirSync(scratch, { recursive: true, mode: 0o700 });
    const safe = group.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
    return external_node_fs_.mkdtempSync(external_node_path_.join(scratch, `kedro-aws-${kind}-${safe}-`));
}
/**
 * The folders of a job container (Batch, SageMaker) in its sandbox: its own copy of the image's task
 * folder (the `conf/`; writable, as a container's file system is), /tmp, and root's home.
 */
function jobContainerFolders(sandbox, imageTaskRoot) {
    const folders = {
        taskRoot: external_node_path_.join(sandbox, 'task'),
        tmpDir: external_node_path_.join(sandbox, 'tmp'),
        home: external_node_path_.join(sandbox, 'root'),
    };
    for (const dir of Object.values(folders))
        external_node_fs_.mkdirSync(dir, { recursive: true, mode: 0o700 });
    external_node_fs_.cpSync(external_node_path_.join(imageTaskRoot, 'conf'), external_node_path_.join(folders.taskRoot, 'conf'), { recursive: true });
    return folders;
}
/** Removes a tree that may hold read-only folders. */
function removeTree(root) {
    if (!external_node_fs_.existsSync(root))
        return;
    try {
        setWritable(root);
    }
    catch {
        // rmSync says what is wrong
    }
    external_node_fs_.rmSync(root, { recursive: true, force: true });
}
/** The capabilities that let root write through mode bits (python/tests/test_runtime.py drops the same). */
const DROPPED_CAPABILITIES = '-dac_override,-dac_read_search,-fowner';
const toolPaths = new Map();
/** A tool of util-linux (`setpriv`, `taskset`) that answers `--version`, or null when the runner has none. */
function utilLinux(name) {
    const known = toolPaths.get(name);
    if (known !== undefined)
        return known;
    let found = null;
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(external_node_path_.delimiter)) {
        const candidate = external_node_path_.join(dir || '.', name);
        try {
            external_node_fs_.accessSync(candidate, external_node_fs_.constants.X_OK);
            (0,external_node_child_process_.execFileSync)(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
            found = candidate;
            break;
        }
        catch {
            // not here
        }
    }
    toolPaths.set(name, found);
    return found;
}
function setpriv() {
    return utilLinux('setpriv');
}
/**
 * The command that starts `argv` so that read-only mode bits hold: as is for a user other than root;
 * for root through `setpriv` without the capabilities that bypass them (`enforced: false` when root
 * has no setpriv: the kernel then lets the process write, and only the interpreter's rule refuses).
 */
function withReadOnlyEnforced(argv) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!root)
        return { argv: [...argv], enforced: true };
    const tool = setpriv();
    if (!tool)
        return { argv: [...argv], enforced: false };
    return { argv: [tool, '--bounding-set', DROPPED_CAPABILITIES, '--', ...argv], enforced: true };
}
/** The processes of process group `pgid` (the group's process and what it started). */
function processGroupMembers(pgid) {
    const members = [];
    let names;
    try {
        names = external_node_fs_.readdirSync('/proc');
    }
    catch {
        return [pgid];
    }
    for (const name of names) {
        if (!/^\d+$/.test(name))
            continue;
        try {
            const stat = external_node_fs_.readFileSync(`/proc/${name}/stat`, 'utf8');
            // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(fields[2]) === pgid)
                members.push(Number(name));
        }
        catch {
            // gone meanwhile
        }
    }
    return members;
}
function vmRssKib(pid) {
    try {
        const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(external_node_fs_.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) : 0;
    }
    catch {
        return undefined;
    }
}
/** Processes of the group found by a scan are looked for again every this many samples (a scan reads all of /proc). */
const SCAN_EVERY = 10;
/**
 * The resident memory of a process group (the group's process, which leads it, and what it started),
 * sampled: the leader's at every sample, its other processes as the last scan of /proc found them.
 */
class ResidentMemory {
    pgid;
    others = [];
    samples = 0;
    constructor(pgid) {
        this.pgid = pgid;
    }
    /** KiB now (0 when the group has ended). */
    sampleKib() {
        if (this.samples++ % SCAN_EVERY === 0)
            this.others = processGroupMembers(this.pgid).filter((p) => p !== this.pgid);
        let total = vmRssKib(this.pgid) ?? 0;
        const alive = [];
        for (const pid of this.others) {
            const kib = vmRssKib(pid);
            if (kib === undefined)
                continue;
            alive.push(pid);
            total += kib;
        }
        this.others = alive;
        return total;
    }
}
/** Bytes allocated on disk under `dir` (what a file system's free space loses to it). */
function allocatedBytes(dir) {
    let total = 0;
    const walk = (d) => {
        let entries;
        try {
            entries = external_node_fs_.readdirSync(d, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const entry of entries) {
            const full = external_node_path_.join(d, entry.name);
            try {
                const stat = external_node_fs_.lstatSync(full);
                total += stat.blocks * 512;
                if (stat.isDirectory())
                    walk(full);
            }
            catch {
                // gone meanwhile
            }
        }
    };
    walk(dir);
    return total;
}
/** The runner's CPUs (what the executor's process slots count). */
function runnerCpus() {
    const available = typeof external_node_os_.availableParallelism === 'function' ? external_node_os_.availableParallelism() : external_node_os_.cpus().length;
    return Math.max(1, available);
}
/** The CPUs this process may run on (Linux's Cpus_allowed_list), in order; 0..n-1 when it cannot be read. */
function allowedCpus(status = '/proc/self/status') {
    try {
        const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(external_node_fs_.readFileSync(status, 'utf8'));
        const cpus = (m?.[1] ?? '').split(',').flatMap((part) => {
            const [from, to] = part.split('-').map(Number);
            if (from === undefined || !Number.isInteger(from))
                return [];
            const last = to === undefined ? from : to;
            return Number.isInteger(last) ? Array.from({ length: last - from + 1 }, (_v, i) => from + i) : [];
        });
        if (cpus.length > 0)
            return cpus;
    }
    catch {
        // not Linux's /proc
    }
    return Array.from({ length: runnerCpus() }, (_v, i) => i);
}
/** How many running containers are pinned to each CPU (so that two 1-vCPU jobs do not share one CPU). */
const pinnedTo = new Map();
/**
 * The command that starts `argv` on at most `vcpus` of the runner's CPUs (a Batch container's VCPU):
 * through `taskset -c <cpus>` with min(ceil(vcpus), the runner's CPUs) CPUs, the least used by other
 * pinned containers; as is when the container may use them all, or when the runner has no taskset
 * (`enforced: false`). Call `release` when the process has ended.
 */
function withCpuAffinity(argv, vcpus) {
    const cpus = allowedCpus();
    const n = Math.max(1, Math.min(Math.ceil(vcpus), cpus.length));
    const none = () => { };
    if (n >= cpus.length)
        return { argv: [...argv], enforced: true, release: none };
    const tool = utilLinux('taskset');
    if (!tool)
        return { argv: [...argv], enforced: false, release: none };
    const chosen = [...cpus]
        .sort((a, b) => (pinnedTo.get(a) ?? 0) - (pinnedTo.get(b) ?? 0) || a - b)
        .slice(0, n)
        .sort((a, b) => a - b);
    for (const cpu of chosen)
        pinnedTo.set(cpu, (pinnedTo.get(cpu) ?? 0) + 1);
    let released = false;
    return {
        argv: [tool, '-c', chosen.join(','), ...argv],
        enforced: true,
        release: () => {
            if (released)
                return;
            released = true;
            for (const cpu of chosen)
                pinnedTo.set(cpu, Math.max(0, (pinnedTo.get(cpu) ?? 1) - 1));
        },
    };
}
/** How often a contained process's memory is sampled. */
const MEMORY_SAMPLE_MS = 200;
/**
 * Runs a container's process to its end, in a process group of its own (a limit or an abort kills what
 * it started too); never rejects.
 */
function runContained(options) {
    return new Promise((resolve) => {
        const [program, ...args] = options.argv;
        let stopped;
        let peakKib = 0;
        const child = (0,external_node_child_process_.spawn)(program, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
        });
        const signalGroup = (signal) => {
            if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
                return;
            try {
                process.kill(-child.pid, signal);
            }
            catch {
                child.kill(signal);
            }
        };
        const kill = (why) => {
            stopped ??= why;
            signalGroup('SIGKILL');
        };
        let grace;
        const timer = options.timeoutSeconds === undefined
            ? undefined
            : setTimeout(() => {
                stopped ??= 'timeout';
                if (!options.graceSeconds) {
                    signalGroup('SIGKILL');
                    return;
                }
                signalGroup('SIGTERM');
                grace = setTimeout(() => signalGroup('SIGKILL'), options.graceSeconds * 1000);
            }, options.timeoutSeconds * 1000);
        const memory = child.pid === undefined ? undefined : new ResidentMemory(child.pid);
        const limitKib = options.memoryMb === undefined ? undefined : options.memoryMb * 1024;
        const sampler = setInterval(() => {
            if (memory === undefined)
                return;
            const kib = memory.sampleKib();
            peakKib = Math.max(peakKib, kib);
            if (limitKib !== undefined && kib > limitKib)
                kill('memory');
        }, MEMORY_SAMPLE_MS);
        const onAbort = () => kill('aborted');
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.signal?.aborted)
            onAbort();
        if (child.stdout)
            followLines(child.stdout, options.log);
        if (child.stderr)
            followLines(child.stderr, options.log, options.tail);
        child.once('spawn', () => options.onSpawn?.());
        let settled = false;
        const done = (value) => {
            if (settled)
                return;
            settled = true;
            if (timer)
                clearTimeout(timer);
            if (grace)
                clearTimeout(grace);
            clearInterval(sampler);
            options.signal?.removeEventListener('abort', onAbort);
            resolve({ ...value, ...(stopped ? { stopped } : {}), peakKib });
        };
        child.once('error', (error) => done({ code: null, signal: null, spawnError: error }));
        child.once('close', (code, signal) => done({ code, signal }));
    });
}

;// CONCATENATED MODULE: ./src/targets/local/image.ts
/**
 * The container image, emulated on the runner for `executor: local`: what `build` puts in the image, and
 * nothing of the user's Python environment.
 *
 *   <work>/site            the project wheel, installed alone (`pip install --no-deps`), like the image's
 *                          wheel layer; kept while the wheel is the same (sha256)
 *   <cache>/dependencies-* the packages of the lock `package` wrote, installed as the oci builder
 *                          installs its dependency layer (src/build/pip.ts: exactly the lock's, hashes
 *                          checked, wheels for the image's Python and platform, here the runner's
 *                          interpreter and architecture, which the lock must have been made for); without
 *                          a lock (a wheel given alone), the wheel's requirements resolved by pip; kept by
 *                          what decides them (the lock's digest or the requirements, Python, platform),
 *                          shared by every stage and step that uses the same cache folder
 *   <cache>/runtime-*      what the Lambda Python runtime adds to every function: the AWS SDK for Python
 *                          (boto3), behind the image's own packages on the import path, as on Lambda
 *                          ("Your code runs in an environment that includes the SDK for Python (Boto3)",
 *                          https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html)
 *   <work>/task/conf       the conf archive of `kedro package`, without `conf/local` and without Kedro's
 *                          credentials files (an image has neither: src/build/layout.ts), so a run that
 *                          needs them fails here as it would on AWS, and no copy of a credentials file
 *                          is left on the runner
 *
 * The groups run with the runner's interpreter isolated from its own site-packages (lambda.ts: `-s -S`),
 * so a package the wheel does not require is missing here as it is in the image, and the run fails on
 * the runner first. The installed folders are read-only (a group cannot change the image, nor the
 * cache another stage shares) and byte-compiled once (Lambda compiles at every cold start; a group here
 * would do the same for every process).
 *
 * Linux only: the image's packages are Linux wheels, and the limits of a group's process (sandbox.ts)
 * are Linux's. The conf is extracted afresh every time (it is small, and an edited conf must not be
 * missed). Everything under `<work>` and the cache is the runner's user's only (folders 0700, the
 * installed ones read-only: 0500).
 */













/** Name of the file that records which wheel the site folder holds. */
const MARKER = 'image.json';
/** Name of the file in a cached folder that records what it holds (written last: its presence means complete). */
const CACHE_MARKER = '.kedro-aws-local.json';
/** Bumped when what a cached folder holds changes, so that older folders are not reused. */
const CACHE_FORMAT = 1;
/** A cached folder not used for this long is removed (a folder in use is never). */
const CACHE_UNUSED_DAYS = 7;
/** What the Lambda Python runtime provides to every function. */
const LAMBDA_RUNTIME_REQUIREMENTS = ['boto3'];
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of external_node_fs_.createReadStream(file))
        hash.update(chunk);
    return hash.digest('hex');
}
function readJson(file) {
    try {
        return JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** The interpreter's Python version and the platform it runs on; refuses what the local image cannot be. */
async function probeInterpreter(python) {
    const script = 'import json, platform, sys; print(json.dumps([sys.implementation.name, "%d.%d" % sys.version_info[:2], platform.system(), platform.machine()]))';
    const out = await new Promise((resolve, reject) => {
        (0,external_node_child_process_.execFile)(python, ['-S', '-s', '-c', script], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
            if (error) {
                const code = error.code;
                reject(new errors/* ActionError */.l(code === 'ENOENT'
                    ? `input "${table/* INPUT */.bO.python}": the interpreter "${python}" was not found`
                    : `input "${table/* INPUT */.bO.python}": "${python}" could not be run: ${(stderr || error.message).trim().split('\n').pop()}`));
            }
            else
                resolve(stdout);
        });
    });
    const [implementation, version, system, machine] = JSON.parse(out.trim().split('\n').pop() ?? '[]');
    if (system !== 'Linux') {
        throw new errors/* ActionError */.l(`executor "local" runs each group as Lambda runs it: on Linux, with the image's Linux packages and ` +
            `Linux process limits; this runner is ${system || 'not Linux'}. Run the job on a Linux runner ` +
            '(runs-on: ubuntu-latest).');
    }
    if (implementation !== 'cpython') {
        throw new errors/* ActionError */.l(`input "${table/* INPUT */.bO.python}": "${python}" is ${implementation}; Lambda runs CPython, and so does the local executor`);
    }
    const arch = (machine ?? '').toLowerCase();
    const platform = arch === 'x86_64' || arch === 'amd64'
        ? 'linux/amd64'
        : arch === 'aarch64' || arch === 'arm64'
            ? 'linux/arm64'
            : undefined;
    if (!platform) {
        throw new errors/* ActionError */.l(`executor "local" runs on x86_64 or arm64 runners (the architectures of Lambda); this one is ${machine}`);
    }
    return { version: (0,layout/* parsePythonVersion */.yn)(version ?? ''), platform };
}
/** Installs the wheel and its dependencies (unless installed already) and extracts the conf. */
async function prepareImage(options) {
    for (const [what, file] of [
        ['wheel', options.wheel],
        ['conf archive', options.confArchive],
    ]) {
        if (!external_node_fs_.existsSync(file))
            throw new errors/* ActionError */.l(`the ${what} ${file} does not exist; run mode "package" again`);
    }
    const log = options.log ?? (() => { });
    const workDir = external_node_path_.resolve(options.workDir);
    const cacheDir = external_node_path_.resolve(options.cacheDir ?? external_node_path_.join(workDir, 'cache'));
    const site = external_node_path_.join(workDir, 'site');
    const taskRoot = external_node_path_.join(workDir, 'task');
    const markerFile = external_node_path_.join(workDir, MARKER);
    (0,files/* privateDir */.XK)(workDir);
    (0,files/* privateDir */.XK)(cacheDir);
    const interpreter = await probeInterpreter(options.python);
    const pip = {
        python: options.python,
        platform: interpreter.platform,
        pythonVersion: interpreter.version,
        ...(options.pipEnv ? { env: options.pipEnv } : {}),
    };
    const { requirements } = (0,wheel/* readWheelMetadata */.rN)(options.wheel);
    const where = `CPython ${interpreter.version.text} ${interpreter.platform}`;
    const lock = options.lock
        ? (0,build_lock/* readLock */.mF)(options.lock, {
            pythonVersion: interpreter.version.text,
            platform: interpreter.platform,
            pipOnRunner: true,
        })
        : undefined;
    const what = lock
        ? `the ${lock.parsed.requirements.length} package(s) of the lock ${external_node_path_.basename(lock.file)}`
        : `${requirements.length} requirement(s) of the wheel`;
    const dependencies = await cachedInstall(cacheDir, 'dependencies', lock ? [`lock sha256:${(0,external_node_crypto_.createHash)('sha256').update(external_node_fs_.readFileSync(lock.file)).digest('hex')}`] : requirements, pip, (reused) => log(!lock && requirements.length === 0
        ? 'the wheel requires nothing'
        : `${what}: ${reused ? 'installed already' : 'installed'} for ${where}`), lock ? { lock, direct: requirements } : undefined);
    const runtime = await installLambdaRuntime(cacheDir, pip, (reused) => log(`the Lambda runtime's ${LAMBDA_RUNTIME_REQUIREMENTS.join(', ')}: ${reused ? 'installed already' : 'installed'}`));
    const wheelSha256 = await sha256File(options.wheel);
    const marker = readJson(markerFile);
    const reused = marker !== undefined &&
        marker.wheel_sha256 === wheelSha256 &&
        marker.package_name === options.packageName &&
        marker.python === interpreter.version.text &&
        marker.platform === interpreter.platform &&
        external_node_fs_.existsSync(site);
    if (!reused) {
        external_node_fs_.rmSync(markerFile, { force: true });
        const staging = `${site}.${process.pid}.new`;
        removeTree(staging);
        await (0,build_pip/* installWheel */.NP)(options.wheel, { ...pip, target: staging, label: 'local image: pip (wheel)' });
        setReadOnly(staging);
        removeTree(site);
        external_node_fs_.renameSync(staging, site);
        const record = {
            wheel_sha256: wheelSha256,
            wheel: external_node_path_.resolve(options.wheel),
            package_name: options.packageName,
            python: interpreter.version.text,
            platform: interpreter.platform,
        };
        (0,files/* writePrivateFile */.Pl)(markerFile, `${JSON.stringify(record, null, 2)}\n`);
    }
    if (!external_node_fs_.existsSync(external_node_path_.join(site, options.packageName))) {
        throw new errors/* ActionError */.l(`the wheel ${external_node_path_.basename(options.wheel)} has no package "${options.packageName}" ([tool.kedro] package_name); ` +
            `it holds ${listOrNone(external_node_fs_.readdirSync(site).filter((f) => !f.endsWith('.dist-info') && !f.endsWith('.data')))}`);
    }
    await extractConf(options.confArchive, taskRoot);
    // What tar wrote has the permissions of the runner's umask.
    (0,files/* restrictTree */.jH)(taskRoot);
    return {
        site,
        dependencies: dependencies.dir,
        runtime: runtime.dir,
        taskRoot,
        packageName: options.packageName,
        pythonVersion: interpreter.version.text,
        platform: interpreter.platform,
        requirements,
        wheelSha256,
        reused,
        dependenciesReused: dependencies.reused,
    };
}
function listOrNone(names) {
    return names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ');
}
/**
 * What the Lambda runtime adds (boto3) in `<cacheDir>/runtime-<key>`, installed unless an earlier call
 * did. Exported for the test that reads the install's log.
 */
function installLambdaRuntime(cacheDir, pip, done) {
    return cachedInstall(cacheDir, 'runtime', LAMBDA_RUNTIME_REQUIREMENTS, pip, done);
}
/**
 * `requirements` installed into `<cacheDir>/<kind>-<key>` (key: what decides the folder's content), or
 * that folder as an earlier call left it. The install goes to a staging folder renamed at the end, so
 * an interrupted one never leaves a half folder behind, and two runs installing at once both end up
 * with a complete one.
 */
async function cachedInstall(cacheDir, kind, requirements, pip, done, locked) {
    const wanted = {
        format: CACHE_FORMAT,
        kind,
        // In a fixed order: the same requirements listed differently are the same folder.
        requirements: [...requirements].sort(),
        python: pip.pythonVersion.text,
        platform: pip.platform,
    };
    const key = (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(wanted)).digest('hex').slice(0, 24);
    const dir = external_node_path_.join(cacheDir, `${kind}-${key}`);
    const complete = () => JSON.stringify(readJson(external_node_path_.join(dir, CACHE_MARKER))) === JSON.stringify(wanted);
    if (complete()) {
        touch(dir);
        done(true);
        return { dir, reused: true };
    }
    const staging = `${dir}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.new`;
    try {
        const label = `local image: pip (${kind})`;
        if (locked)
            await (0,build_pip/* installDependencies */.bb)(locked.lock, { ...pip, target: staging, label, direct: locked.direct });
        else
            await installResolved(requirements, { ...pip, target: staging, label, warnConflicts: kind !== 'runtime' });
        await byteCompile(pip.python, staging);
        external_node_fs_.writeFileSync(external_node_path_.join(staging, CACHE_MARKER), `${JSON.stringify(wanted, null, 2)}\n`);
        setReadOnly(staging);
        if (!complete()) {
            removeTree(dir);
            try {
                external_node_fs_.renameSync(staging, dir);
            }
            catch (error) {
                // Another run finished the same folder first: use that one.
                if (!complete())
                    throw error;
            }
        }
    }
    finally {
        removeTree(staging);
    }
    evict(cacheDir, kind, dir);
    done(false);
    return { dir, reused: false };
}
/** `requirements` and what they depend on, resolved by pip, for the image's Python and platform. */
async function installResolved(requirements, o) {
    external_node_fs_.rmSync(o.target, { recursive: true, force: true });
    external_node_fs_.mkdirSync(o.target, { recursive: true });
    if (requirements.length > 0) {
        const file = `${o.target}.requirements.txt`;
        (0,files/* writePrivateFile */.Pl)(file, `${requirements.join('\n')}\n`);
        try {
            // The runtime's boto3 goes to a folder of its own, last on the groups' import path, and nothing else is
            // installed beside it. pip compares what it installed with the packages of the interpreter it runs
            // (the runner's environment, which the groups never import: they run with `-s -S`), and prints
            // "ERROR: pip's dependency resolver ... aiobotocore ... requires botocore<..." when one of them pins
            // another botocore. That is no failure here (pip exits 0, and the folder holds boto3 with exactly
            // the botocore it requires), so it is not printed: --no-warn-conflicts, for the runtime's install only.
            const conflicts = o.warnConflicts ? [] : ['--no-warn-conflicts'];
            const args = [...(0,layout/* pipTargetArgs */.Em)(o.target, o.platform, o.pythonVersion), ...conflicts, '-r', file];
            const result = await (0,python/* runPython */.w)(o.python, args, {
                cwd: external_node_path_.dirname(o.target),
                label: o.label,
                ...(o.env ? { env: o.env } : {}),
            });
            if (result.code !== 0) {
                throw new errors/* ActionError */.l(`installing ${requirements.join(', ')} for the local image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`);
            }
        }
        finally {
            external_node_fs_.rmSync(file, { force: true });
        }
    }
    (0,build_pip/* tidyPipTarget */.TS)(o.target);
}
/** Compiles the folder's modules once (best effort: a module that does not compile is left as it is). */
async function byteCompile(python, dir) {
    await new Promise((resolve) => {
        (0,external_node_child_process_.execFile)(python, ['-S', '-s', '-m', 'compileall', '-q', '-j', '0', dir], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, () => resolve());
    });
}
function touch(dir) {
    const now = new Date();
    try {
        external_node_fs_.utimesSync(dir, now, now);
    }
    catch {
        // the age only decides what is evicted first
    }
}
/** Removes the folders of a kind that no run has used for CACHE_UNUSED_DAYS (a stage's old requirements). */
function evict(cacheDir, kind, keep) {
    const before = Date.now() - CACHE_UNUSED_DAYS * 86_400_000;
    for (const name of external_node_fs_.readdirSync(cacheDir)) {
        const dir = external_node_path_.join(cacheDir, name);
        if (!name.startsWith(`${kind}-`) || dir === keep)
            continue;
        try {
            if (external_node_fs_.statSync(dir).mtimeMs < before)
                removeTree(dir);
        }
        catch {
            // removed meanwhile
        }
    }
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
/**
 * The import path of the image's Python, in the emulated image: the wheel, its installed requirements,
 * the action's runtime, and what the base image adds (boto3, last). Every group process gets exactly
 * this (with `-s -S`: none of the runner's site-packages), whatever runs it: a Lambda function
 * (lambda.ts), a Batch container (batch.ts), a SageMaker training container (sagemaker.ts).
 */
function imageImportPath(image, actionPythonDir) {
    return [
        image.site,
        ...(image.dependencies ? [image.dependencies] : []),
        actionPythonDir,
        ...(image.runtime ? [image.runtime] : []),
    ].join(external_node_path_.delimiter);
}
/** The options that cut the runner's interpreter off from its own and the user's site-packages (and .pth files). */
const ISOLATED_PYTHON_FLAGS = ['-s', '-S'];
/**
 * A container command that runs the image's Python (`python3 ...`, `python ...`), as the runner runs
 * it: the runner's interpreter with {@link ISOLATED_PYTHON_FLAGS}. Anything else cannot be emulated:
 * the reason, as a string.
 */
function imagePythonCommand(command, python) {
    const [program, ...args] = command;
    if (program === undefined || !/^(?:\/usr\/(?:local\/)?bin\/|\/var\/lang\/bin\/)?python3?$/.test(program)) {
        return `the local executor runs a container whose command is the image's Python, not ${JSON.stringify(program ?? '')}`;
    }
    return [python, ...ISOLATED_PYTHON_FLAGS, ...args];
}
/** The PATH of the image (the Lambda base image's, where `python3` is /var/lang/bin/python3). */
const IMAGE_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';
/** The runner's variables a process needs to reach the network (proxies, CA bundles) and start the interpreter. */
const NETWORK_ENV = [
    'LD_LIBRARY_PATH',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'REQUESTS_CA_BUNDLE',
    'CURL_CA_BUNDLE',
    'AWS_CA_BUNDLE',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
    'http_proxy',
    'https_proxy',
    'no_proxy',
    'all_proxy',
];
/**
 * The environment of a container of the image (a Batch job's, a SageMaker training job's) on the
 * runner: the runner's AWS_* and network variables (`hostKeys`), the image's own variables with the
 * image's paths mapped into the container's sandbox (task root, /tmp, HOME, the import path), then
 * the job's environment, then what the service sets (`service`: AWS_BATCH_*, TRAINING_JOB_NAME), then
 * `extra` (endpoint, credentials, region). Nothing else of the runner's (GITHUB_*, INPUT_*, tokens).
 */
function containerEnvironment(options) {
    const env = {};
    for (const [key, value] of Object.entries(options.hostEnv)) {
        if (value !== undefined && (key.startsWith('AWS_') || NETWORK_ENV.includes(key)))
            env[key] = value;
    }
    const imagePaths = {
        PYTHONPATH: imageImportPath(options.image, options.actionPythonDir),
        LAMBDA_TASK_ROOT: options.folders.taskRoot,
    };
    Object.assign(env, {
        // The image's variables (the Lambda base image's, whose /var/lang/bin/python3 the command runs).
        PATH: IMAGE_PATH,
        LANG: 'en_US.UTF-8',
        TZ: 'UTC',
        // The container runs as root: its home is /root, in the container's own file system.
        HOME: options.folders.home,
        TMPDIR: options.folders.tmpDir,
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        KEDRO_AWS_LOCAL_SITE: options.image.site,
        ...imagePaths,
    }, options.job, 
    // A job variable that names an image path (PYTHONPATH=/var/task) names the sandbox's here.
    imagePaths, options.service, options.extra);
    return env;
}

;// CONCATENATED MODULE: ./src/targets/local/lambda.ts
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








/** Lines of stderr kept for the failure's cause (those logged before the error's traceback). */
const LOG_TAIL_LINES = 6;
/** stderr lines remembered while the process runs, to pick the cause's lines from. */
const LOG_RING_LINES = 400;
/** Lambda's defaults for a function `deploy` creates (it sets no EphemeralStorage). */
const LAMBDA_DEFAULT_MEMORY_MB = 1024;
/** https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html: 512 MB to 10,240 MB. */
const LAMBDA_DEFAULT_EPHEMERAL_STORAGE_MB = 512;
/** How often the group's memory is sampled. */
const lambda_MEMORY_SAMPLE_MS = 200;
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
function addressSpaceLimitMb(memoryMb, cpus = external_node_os_.availableParallelism?.() ?? external_node_os_.cpus().length) {
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
const INVOKE_SCRIPT = String.raw `
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
/** The function name of a FunctionName parameter (a name, a partial or a full ARN). */
function functionNameOf(functionName) {
    const m = /(?:^|:function:)([^:]+)(?::[^:]+)?$/.exec(functionName);
    return m?.[1] ?? functionName;
}
/** Lambda's log stream name: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
function logStreamName(now) {
    const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
    return `${day}/[$LATEST]${(0,external_node_crypto_.randomBytes)(16).toString('hex')}`;
}
/** The environment of one group process. */
function invocationEnv(options) {
    const env = {};
    for (const [key, value] of Object.entries(options.hostEnv)) {
        if (value !== undefined && (key.startsWith('AWS_') || LAMBDA_HOST_ENV.has(key)))
            env[key] = value;
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
        KEDRO_CONF_SOURCE: external_node_path_.join(options.taskRoot, 'conf'),
        KEDRO_DISABLE_TELEMETRY: '1',
        KEDRO_AWS_LOCAL_SITE: options.image.site,
    });
    if (options.kedroEnv)
        env.KEDRO_ENV = options.kedroEnv;
    return { ...env, ...options.extra };
}
/** Runs one invocation in a container of its own, then ends it; never throws for what the function did. */
async function invokeLocally(options) {
    const pool = new LambdaPool();
    try {
        return await pool.invoke(options);
    }
    finally {
        pool.close();
    }
}
/** Invocations of one function with the same settings may share a container. */
function containerKey(options) {
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
class LambdaPool {
    idle = [];
    all = new Set();
    closed = false;
    idleBudgetKib;
    constructor(options = {}) {
        this.idleBudgetKib = (options.idleBudgetMb ?? Math.floor(external_node_os_.totalmem() / 4 / 1024 / 1024)) * 1024;
    }
    /** Cold and warm starts so far. */
    starts = { cold: 0, warm: 0 };
    async invoke(options) {
        if (this.closed)
            throw new Error('the local Lambda containers were closed');
        const key = containerKey(options);
        const at = this.idle.findIndex((c) => c.key === key && c.reusable);
        let container;
        if (at >= 0) {
            container = this.idle.splice(at, 1)[0];
            this.starts.warm += 1;
        }
        else {
            container = new Container(key, options);
            this.all.add(container);
            this.starts.cold += 1;
        }
        const outcome = await container.invoke(options);
        if (container.reusable && !this.closed) {
            this.idle.push(container);
            this.trim();
        }
        else {
            this.drop(container);
        }
        return outcome;
    }
    /** Ends every container (idle or not) and removes their sandboxes. */
    close() {
        this.closed = true;
        for (const container of this.all)
            container.dispose();
        this.all.clear();
        this.idle.length = 0;
    }
    drop(container) {
        container.dispose();
        this.all.delete(container);
    }
    trim() {
        for (let i = this.idle.length - 1; i >= 0; i--) {
            if (!this.idle[i].reusable)
                this.drop(this.idle.splice(i, 1)[0]);
        }
        let total = this.idle.reduce((sum, c) => sum + c.idleKib, 0);
        while (total > this.idleBudgetKib && this.idle.length > 0) {
            const oldest = this.idle.shift();
            total -= oldest.idleKib;
            this.drop(oldest);
        }
    }
}
/** Go's names of the signals a process may die of, as Lambda's "Runtime exited with error: signal: ..." says them. */
const SIGNAL_WORDS = {
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
/** A variable that may change between invocations of one container (credentials, endpoints, the run's). */
function changes(before, after) {
    const changed = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (key.startsWith('AWS_LAMBDA_'))
            continue;
        if (before[key] !== after[key])
            changed[key] = after[key] ?? null;
    }
    return changed;
}
/** One execution environment of a function: a sandbox and a Python process serving its invocations. */
class Container {
    key;
    sandbox;
    taskRoot;
    tmpDir;
    memoryMb;
    storageMb;
    child;
    memory;
    enforced;
    env;
    sink = () => { };
    tail = [];
    ends = { out: 0, err: 0 };
    outcomes = [];
    exit;
    spawned = false;
    onSpawn;
    poke = () => { };
    invocations = 0;
    broken = false;
    disposed = false;
    /** Resident memory when it last went idle. */
    idleKib = 0;
    constructor(key, options) {
        this.key = key;
        this.memoryMb = options.memoryMb ?? LAMBDA_DEFAULT_MEMORY_MB;
        this.storageMb = options.ephemeralStorageMb ?? LAMBDA_DEFAULT_EPHEMERAL_STORAGE_MB;
        this.sandbox = openSandbox('local', options.group, options.scratchDir);
        this.taskRoot = external_node_path_.join(this.sandbox, 'task');
        this.tmpDir = external_node_path_.join(this.sandbox, 'tmp');
        for (const dir of [this.taskRoot, this.tmpDir])
            external_node_fs_.mkdirSync(dir, { recursive: true, mode: 0o700 });
        external_node_fs_.cpSync(external_node_path_.join(options.image.taskRoot, 'conf'), external_node_path_.join(this.taskRoot, 'conf'), { recursive: true });
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
        this.child = (0,external_node_child_process_.spawn)(argv[0], argv.slice(1), {
            cwd: this.taskRoot,
            env: this.env,
            stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
            // Its own process group: a limit or an abort kills what the group started too (ParallelRunner).
            detached: true,
        });
        this.memory = this.child.pid === undefined ? undefined : new ResidentMemory(this.child.pid);
        const [, stdout, stderr, , outcomes] = this.child.stdio;
        if (stdout)
            followLines(stdout, (line) => this.line('out', line));
        if (stderr)
            followLines(stderr, (line) => this.line('err', line));
        if (outcomes) {
            followLines(outcomes, (line) => {
                this.outcomes.push(line);
                this.poke();
            });
        }
        // A request written to a container that has just died: its exit says what happened.
        this.child.stdio[3]?.on('error', () => { });
        this.child.once('spawn', () => {
            this.spawned = true;
            this.onSpawn?.();
            this.onSpawn = undefined;
        });
        this.child.once('error', (error) => this.ended({ code: null, signal: null, spawnError: error }));
        this.child.once('close', (code, signal) => this.ended({ code, signal }));
    }
    /** Whether it may serve another invocation. */
    get reusable() {
        return !this.broken && !this.disposed && this.exit === undefined;
    }
    /** Kills its processes (no finalization, as Lambda drops a frozen environment) and removes its sandbox. */
    dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        this.kill();
        removeTree(this.sandbox);
    }
    ended(exit) {
        this.exit ??= exit;
        this.poke();
    }
    kill() {
        const pid = this.child.pid;
        if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null)
            return;
        try {
            process.kill(-pid, 'SIGKILL');
        }
        catch {
            this.child.kill('SIGKILL');
        }
    }
    line(stream, line) {
        let text = line;
        if (line.endsWith(END_MARK)) {
            text = line.slice(0, -END_MARK.length) || undefined;
            this.ends[stream] += 1;
        }
        if (text !== undefined) {
            this.sink(text);
            if (stream === 'err') {
                this.tail.push(text);
                if (this.tail.length > LOG_RING_LINES)
                    this.tail.shift();
            }
        }
        if (text !== line)
            this.poke();
    }
    envFor(options) {
        const kedroEnv = options.payload &&
            typeof options.payload === 'object' &&
            typeof options.payload.env === 'string'
            ? options.payload.env
            : undefined;
        return invocationEnv({
            image: options.image,
            actionPythonDir: options.actionPythonDir,
            taskRoot: this.taskRoot,
            tmpDir: this.tmpDir,
            home: external_node_path_.join(this.taskRoot, 'home'),
            functionName: options.functionName,
            memoryMb: this.memoryMb,
            kedroEnv,
            hostEnv: options.hostEnv ?? process.env,
            extra: options.env,
        });
    }
    /** Runs one invocation to its end; never throws for what the function did (see InvokeOutcome). */
    async invoke(options) {
        this.invocations += 1;
        const n = this.invocations;
        const requestId = (0,external_node_crypto_.randomUUID)();
        this.sink = options.log;
        this.tail = [];
        if (n === 1 && !this.enforced) {
            options.log('[WARNING] the runner runs as root and has no setpriv: the read-only task folder holds for Python code only');
        }
        const env = this.envFor(options);
        const request = { event: options.payload ?? null, env: n === 1 ? {} : changes(this.env, env) };
        this.env = env;
        let stopped;
        let peakKib = 0;
        const stop = (why) => {
            if (this.exit !== undefined)
                return;
            stopped ??= why;
            this.broken = true;
            this.kill();
        };
        const timer = setTimeout(() => stop('timeout'), options.timeoutSeconds * 1000);
        let sampledStorage = 0;
        const sampler = setInterval(() => {
            if (this.memory === undefined)
                return;
            const kib = this.memory.sampleKib();
            peakKib = Math.max(peakKib, kib);
            if (kib > this.memoryMb * 1024)
                stop('memory');
            if (Date.now() - sampledStorage >= STORAGE_SAMPLE_MS) {
                sampledStorage = Date.now();
                if (allocatedBytes(this.tmpDir) > this.storageMb * 1024 * 1024)
                    stop('storage');
            }
        }, lambda_MEMORY_SAMPLE_MS);
        const onAbort = () => stop('aborted');
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.signal?.aborted)
            onAbort();
        if (this.spawned)
            options.onStart?.();
        else
            this.onSpawn = options.onStart;
        this.child.stdio[3]?.write(`${JSON.stringify(request)}\n`);
        // Answered: its outcome has come, and the end mark of each stream it could mark (a project that closed
        // its stdout cannot mark it), so every line of this invocation has been logged.
        const base = { ...this.ends };
        await new Promise((resolve) => {
            this.poke = () => {
                const first = this.outcomes[0];
                let answered = false;
                if (first !== undefined) {
                    let marked = [1, 2];
                    try {
                        marked = JSON.parse(first).marked ?? marked;
                    }
                    catch {
                        // not JSON: reported below
                    }
                    answered =
                        (!marked.includes(1) || this.ends.out > base.out) && (!marked.includes(2) || this.ends.err > base.err);
                }
                if (answered || this.exit !== undefined)
                    resolve();
            };
            this.poke();
        });
        this.poke = () => { };
        clearTimeout(timer);
        clearInterval(sampler);
        options.signal?.removeEventListener('abort', onAbort);
        this.onSpawn = undefined;
        const tail = this.tail;
        const fail = (errorType, errorMessage, stackTrace = []) => {
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
        const service = (message) => `RequestId: ${requestId} Error: ${message}`;
        const exit = this.exit;
        if (exit?.spawnError) {
            const code = exit.spawnError.code;
            return fail('Runtime.InvalidEntrypoint', code === 'ENOENT'
                ? `the interpreter "${options.python}" was not found (input "python")`
                : `could not start "${options.python}": ${exit.spawnError.message}`);
        }
        if (stopped === 'aborted') {
            return fail('States.Aborted', 'the local execution was stopped before this group finished');
        }
        if (stopped === 'timeout') {
            return fail('Sandbox.Timedout', service(`Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`));
        }
        if (stopped === 'memory') {
            options.log(`[ERROR] Runtime.OutOfMemory: the group's processes held more than its ${this.memoryMb} MB (memory_mb): killed`);
            return fail('Runtime.OutOfMemory', service('Runtime exited with error: signal: killed'));
        }
        if (stopped === 'storage') {
            const message = `[Errno 28] No space left on device: '${this.tmpDir}' (/tmp) holds more than the function's ` +
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
        const outcome = JSON.parse(text);
        if (outcome.reset)
            this.broken = true;
        // The process's own peak (getrusage), for a group shorter than one sample.
        peakKib = Math.max(peakKib, outcome.maxResidentKib ?? 0);
        this.idleKib = this.memory?.sampleKib() ?? 0;
        const maxMemoryUsedMb = Math.ceil(peakKib / 1024);
        if (outcome.ok)
            return { ok: true, payload: outcome.payload, maxMemoryUsedMb };
        if (outcome.errorType === 'Runtime.OutOfMemory') {
            return fail(outcome.errorType, service(outcome.errorMessage));
        }
        return fail(outcome.errorType, outcome.errorMessage, outcome.stackTrace ?? []);
    }
}
/** `command` as a path: looked up in the runner's PATH (the group's own PATH is Lambda's). */
function resolveCommand(command, hostEnv) {
    if (command.includes('/'))
        return external_node_path_.resolve(command);
    for (const dir of (hostEnv.PATH ?? process.env.PATH ?? '').split(external_node_path_.delimiter)) {
        const candidate = external_node_path_.join(dir || '.', command);
        try {
            external_node_fs_.accessSync(candidate, external_node_fs_.constants.X_OK);
            if (external_node_fs_.statSync(candidate).isFile())
                return candidate;
        }
        catch {
            // not here
        }
    }
    return command;
}

;// CONCATENATED MODULE: ./src/targets/local/batch.ts
/**
 * One AWS Batch job of a `compute: batch` group, emulated: what `batch:submitJob.sync` submits (the
 * Task's parameters) run as a container of the stage's job definition (the one `deploy` registers,
 * src/plan/batch.ts `jobDefinitionSpec`), each attempt a fresh Python process in a sandbox of its own.
 *
 * The container, as Batch and ECS run it:
 * - Command: the job definition's (`python3 -m kedro_aws_action.batch_entry --group Ref::group ...`)
 *   with each `Ref::<name>` replaced by the job's parameter (the SubmitJob `Parameters` over the job
 *   definition's defaults), run by the image's Python: the runner's interpreter with only the image's
 *   packages (`-s -S`, the import path of image.ts), as a Lambda group's.
 * - File system: writable, the container's own: its working directory is a private copy of the image's
 *   task folder (its `conf/`), /tmp and HOME are private folders, all removed when the job ends.
 * - Environment: the image's, the job definition's `environment`, the Task's `ContainerOverrides`
 *   (KEDRO_AWS_RELEASE with schedule exact: the group opens its dependents' gates, through the
 *   executor's Step Functions endpoint), and what the Batch agent sets in every job container:
 *   AWS_BATCH_JOB_ID, AWS_BATCH_JQ_NAME, AWS_BATCH_JOB_ATTEMPT (1 for the first attempt),
 *   AWS_BATCH_CE_NAME (https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html); the
 *   runner's AWS_* and network variables stand for the job role's credentials.
 * - MEMORY (the job's ResourceRequirements, the override over the definition's): a hard limit on the
 *   container; the resident memory of the job's processes is sampled (sandbox.ts) and past it the
 *   container is killed (SIGKILL, exit code 137), reported as ECS and Batch report it: container reason
 *   "OutOfMemoryError: Container killed due to memory usage"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html), status reason
 *   "Essential container in task exited".
 * - VCPU: the process runs on min(vcpus, the runner's CPUs) of the runner's CPUs, those the fewest
 *   other jobs are pinned to (`taskset`; where the runner has none, this is said once and not
 *   enforced), and the job holds as many of the executor's process slots (executor.ts).
 * - Timeout (`attemptDurationSeconds`): past it the container gets SIGTERM, then SIGKILL 30 seconds
 *   later, and the attempt fails with "Job attempt duration exceeded timeout"; a timed-out attempt is
 *   not retried (https://docs.aws.amazon.com/batch/latest/userguide/job_timeouts.html).
 * - Retries (`retryStrategy`): up to `attempts` attempts; after a failed one, the first
 *   `evaluateOnExit` entry whose patterns all match (a missing reason matched as empty text) decides
 *   RETRY or EXIT, and none matching means RETRY
 *   (https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html). The plan's
 *   strategy retries only the infrastructure's failures (an interpreter that cannot start is
 *   `CannotStartContainerError` here), never the group's own exit.
 *
 * Outcome, as `submitJob.sync` gives it to Step Functions: the DescribeJobs job, in Step Functions'
 * PascalCase (JobId, JobName, Status, StatusReason, Container.ExitCode, Attempts, ...), as the Task's
 * result when it SUCCEEDED; otherwise the Task fails with `States.TaskFailed` and that description as
 * the cause.
 *
 * Not emulated: the queue and the compute environment (the job starts at once on the runner),
 * Fargate's fixed vCPU/memory pairs (the settings are checked at `package` and `deploy`), GPUs,
 * the network (the container reaches what the runner reaches). The command runs through the image's
 * ENTRYPOINT (`/bin/sh .../kedro_aws_action/entrypoint.sh`), as the Lambda image of a step-functions stage
 * runs a Batch job's command on AWS.
 */






/** Lines of stderr kept for the log tail. */
const batch_LOG_TAIL_LINES = 20;
/** Seconds between SIGTERM and SIGKILL when a job attempt times out (job_timeouts.html). */
const BATCH_TIMEOUT_GRACE_SECONDS = 30;
/** What Batch says of an attempt stopped at its timeout. */
const BATCH_TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
/** What ECS says of a container killed past its memory. */
const BATCH_OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';
/** What ECS says of a job whose container ended (succeeded or not). */
const BATCH_EXITED_REASON = 'Essential container in task exited';
/** The compute environment a local job is placed in (AWS_BATCH_CE_NAME). */
const LOCAL_COMPUTE_ENVIRONMENT = 'kedro-aws-local';
/** `Ref::name` in each argument replaced by the parameter, as Batch fills a command. */
function fillCommand(command, parameters) {
    return command.map((arg) => arg.replace(/Ref::([A-Za-z0-9_-]+)/g, (whole, name) => Object.hasOwn(parameters, name) ? parameters[name] : whole));
}
function resource(requirements, type) {
    const found = (requirements ?? []).find((r) => (r.Type ?? r.type) === type);
    const value = Number(found?.Value ?? found?.value);
    return found && Number.isFinite(value) ? value : undefined;
}
/** What the job runs with: the SubmitJob request's overrides over the job definition, as Batch merges them. */
function effectiveJob(definition, request) {
    const container = definition.containerProperties;
    const parameters = { ...definition.parameters, ...(request.Parameters ?? {}) };
    const overrides = request.ContainerOverrides ?? {};
    const environment = {};
    for (const { name, value } of container.environment)
        environment[name] = value;
    for (const { Name, Value } of overrides.Environment ?? [])
        environment[Name] = Value;
    const retry = request.RetryStrategy;
    return {
        command: fillCommand(overrides.Command ?? container.command, parameters),
        environment,
        vcpus: resource(overrides.ResourceRequirements, 'VCPU') ?? resource(container.resourceRequirements, 'VCPU') ?? 1,
        memoryMb: resource(overrides.ResourceRequirements, 'MEMORY') ?? resource(container.resourceRequirements, 'MEMORY') ?? 2048,
        attemptDurationSeconds: request.Timeout?.AttemptDurationSeconds ?? definition.timeout.attemptDurationSeconds,
        attempts: Math.max(1, retry?.Attempts ?? definition.retryStrategy.attempts),
        // SubmitJob's retryStrategy replaces the job definition's, whole.
        evaluateOnExit: retry
            ? (retry.EvaluateOnExit ?? []).map((e) => ({
                action: e.Action,
                ...(e.OnStatusReason === undefined ? {} : { onStatusReason: e.OnStatusReason }),
                ...(e.OnReason === undefined ? {} : { onReason: e.OnReason }),
                ...(e.OnExitCode === undefined ? {} : { onExitCode: e.OnExitCode }),
            }))
            : [...definition.retryStrategy.evaluateOnExit],
        parameters,
    };
}
/** A Batch glob: exact, or a prefix when it ends with `*` (letters compared as written). */
function globMatches(pattern, value) {
    if (pattern === undefined)
        return true;
    const text = value ?? '';
    return pattern.endsWith('*') ? text.startsWith(pattern.slice(0, -1)) : text === pattern;
}
/** RETRY or EXIT after a failed attempt (API_EvaluateOnExit: the first entry that matches; none: RETRY). */
function afterFailure(entries, attempt) {
    for (const e of entries) {
        if (globMatches(e.onStatusReason, attempt.statusReason) &&
            globMatches(e.onReason, attempt.reason) &&
            globMatches(e.onExitCode, attempt.exitCode === undefined ? undefined : String(attempt.exitCode))) {
            return e.action.toUpperCase() === 'EXIT' ? 'EXIT' : 'RETRY';
        }
    }
    return 'RETRY';
}
let affinityNoticeGiven = false;
/** Runs the job to its end, every attempt its retry strategy allows; never throws for what the group did. */
async function submitLocally(options) {
    const now = options.now ?? (() => new Date());
    const request = options.request;
    const job = effectiveJob(options.jobDefinition, request);
    const created = now();
    const jobId = (0,external_node_crypto_.randomUUID)();
    const hostEnv = options.hostEnv ?? process.env;
    const region = options.env?.AWS_REGION ?? hostEnv.AWS_REGION ?? hostEnv.AWS_DEFAULT_REGION ?? 'us-east-1';
    const queue = request.JobQueue ?? 'kedro-aws-local';
    const definitionName = options.jobDefinition.jobDefinitionName;
    const attempts = [];
    let peakKib = 0;
    let final = {
        status: 'FAILED',
        statusReason: 'the job did not start',
    };
    let startedAt;
    for (let number = 1; number <= job.attempts; number += 1) {
        if (options.signal?.aborted)
            break;
        if (number > 1)
            options.log(`[batch] attempt ${number} of ${job.attempts} (the retry strategy said RETRY)`);
        const taskId = (0,external_node_crypto_.randomUUID)().replace(/-/g, '');
        const logStream = `${definitionName}/default/${taskId}`;
        const ran = await runAttempt(options, job, {
            jobId,
            queue,
            attempt: number,
            onStart: () => {
                startedAt ??= now().getTime();
                options.onStart?.();
            },
        });
        peakKib = Math.max(peakKib, ran.peakKib);
        const attempt = {
            Container: {
                ...(ran.exitCode === undefined ? {} : { ExitCode: ran.exitCode }),
                ...(ran.reason === undefined ? {} : { Reason: ran.reason }),
                LogStreamName: logStream,
                TaskArn: `arn:aws:ecs:${region}:000000000000:task/${LOCAL_COMPUTE_ENVIRONMENT}/${taskId}`,
            },
            StartedAt: ran.started.getTime(),
            StoppedAt: now().getTime(),
            StatusReason: ran.statusReason,
        };
        attempts.push(attempt);
        if (ran.succeeded) {
            final = { status: 'SUCCEEDED', statusReason: ran.statusReason };
            break;
        }
        final = { status: 'FAILED', statusReason: ran.statusReason };
        if (ran.aborted || ran.timedOut)
            break;
        if (number < job.attempts && afterFailure(job.evaluateOnExit, ran) === 'EXIT')
            break;
    }
    const last = attempts.at(-1);
    const description = {
        Attempts: attempts,
        Container: {
            Command: job.command,
            Environment: Object.entries(job.environment).map(([Name, Value]) => ({ Name, Value })),
            Image: options.jobDefinition.containerProperties.image,
            JobRoleArn: options.jobDefinition.containerProperties.jobRoleArn,
            ResourceRequirements: [
                { Type: 'VCPU', Value: String(job.vcpus) },
                { Type: 'MEMORY', Value: String(job.memoryMb) },
            ],
            ...(last?.Container.ExitCode === undefined ? {} : { ExitCode: last.Container.ExitCode }),
            ...(last?.Container.Reason === undefined ? {} : { Reason: last.Container.Reason }),
            ...(last ? { LogStreamName: last.Container.LogStreamName, TaskArn: last.Container.TaskArn } : {}),
        },
        CreatedAt: created.getTime(),
        DependsOn: [],
        JobArn: `arn:aws:batch:${region}:000000000000:job/${jobId}`,
        JobDefinition: request.JobDefinition ?? definitionName,
        JobId: jobId,
        JobName: request.JobName ?? options.group,
        JobQueue: queue,
        Parameters: job.parameters,
        PlatformCapabilities: [...options.jobDefinition.platformCapabilities],
        RetryStrategy: {
            Attempts: job.attempts,
            EvaluateOnExit: job.evaluateOnExit.map((e) => ({
                Action: e.action,
                ...(e.onStatusReason === undefined ? {} : { OnStatusReason: e.onStatusReason }),
                ...(e.onReason === undefined ? {} : { OnReason: e.onReason }),
                ...(e.onExitCode === undefined ? {} : { OnExitCode: e.onExitCode }),
            })),
        },
        ...(startedAt === undefined ? {} : { StartedAt: startedAt }),
        Status: final.status,
        StatusReason: final.statusReason,
        StoppedAt: now().getTime(),
        ...(job.attemptDurationSeconds === undefined
            ? {}
            : { Timeout: { AttemptDurationSeconds: job.attemptDurationSeconds } }),
    };
    const maxMemoryUsedMb = Math.ceil(peakKib / 1024);
    if (final.status === 'SUCCEEDED')
        return { ok: true, payload: description, maxMemoryUsedMb };
    // As `.sync` reports a job that did not succeed: the job's description is the cause.
    return {
        ok: false,
        errorType: 'States.TaskFailed',
        errorMessage: JSON.stringify(description),
        stackTrace: [],
        logTail: [],
        maxMemoryUsedMb,
    };
}
/** One attempt: a fresh container (sandbox), removed when it ends. */
async function runAttempt(options, job, ids) {
    const sandbox = openSandbox('batch', options.group, options.scratchDir);
    const started = new Date();
    try {
        const folders = jobContainerFolders(sandbox, options.image.taskRoot);
        const hostEnv = options.hostEnv ?? process.env;
        const env = containerEnvironment({
            image: options.image,
            actionPythonDir: options.actionPythonDir,
            folders,
            hostEnv,
            job: job.environment,
            // What the Batch agent sets in every job container (job_env_vars.html).
            service: {
                AWS_BATCH_JOB_ID: ids.jobId,
                AWS_BATCH_JQ_NAME: queueName(ids.queue),
                AWS_BATCH_JOB_ATTEMPT: String(ids.attempt),
                AWS_BATCH_CE_NAME: LOCAL_COMPUTE_ENVIRONMENT,
            },
            extra: options.env,
        });
        const command = imagePythonCommand(job.command, resolveCommand(options.python, hostEnv));
        if (typeof command === 'string') {
            options.log(`[ERROR] CannotStartContainerError: ${command}`);
            return {
                succeeded: false,
                statusReason: 'Task failed to start',
                reason: `CannotStartContainerError: ${command}`,
                timedOut: false,
                aborted: false,
                started,
                peakKib: 0,
            };
        }
        // Through the image's entrypoint, as on AWS: the stage's image is the Lambda one, whose entrypoint
        // (python/kedro_aws_action/entrypoint.sh) runs a job's command that the base image's would refuse.
        const entrypoint = external_node_path_.join(options.actionPythonDir, 'kedro_aws_action', 'entrypoint.sh');
        const pinned = withCpuAffinity(['/bin/sh', entrypoint, ...command], job.vcpus);
        if (!pinned.enforced && !affinityNoticeGiven) {
            affinityNoticeGiven = true;
            options.log("[WARNING] the runner has no taskset: the Batch jobs' vCPUs are not enforced (only counted)");
        }
        const exit = await runContained({
            argv: pinned.argv,
            cwd: folders.taskRoot,
            env,
            ...(job.attemptDurationSeconds === undefined ? {} : { timeoutSeconds: job.attemptDurationSeconds }),
            graceSeconds: options.graceSeconds ?? BATCH_TIMEOUT_GRACE_SECONDS,
            memoryMb: job.memoryMb,
            log: options.log,
            tail: { lines: [], keep: batch_LOG_TAIL_LINES },
            ...(options.signal ? { signal: options.signal } : {}),
            onSpawn: ids.onStart,
        }).finally(pinned.release);
        const base = { timedOut: false, aborted: false, started, peakKib: exit.peakKib };
        if (exit.spawnError) {
            const reason = `CannotStartContainerError: ${exit.spawnError.message}`;
            options.log(`[ERROR] ${reason}`);
            return { ...base, succeeded: false, statusReason: 'Task failed to start', reason };
        }
        const exitCode = exit.code ?? 128 + (exit.signal ? (external_node_os_.constants.signals[exit.signal] ?? 9) : 9);
        if (exit.stopped === 'aborted') {
            return {
                ...base,
                aborted: true,
                succeeded: false,
                exitCode,
                statusReason: 'Terminated: the local execution was stopped (TerminateJob)',
            };
        }
        if (exit.stopped === 'timeout') {
            options.log(`[ERROR] ${BATCH_TIMEOUT_REASON} (attemptDurationSeconds ${job.attemptDurationSeconds})`);
            return { ...base, timedOut: true, succeeded: false, exitCode, statusReason: BATCH_TIMEOUT_REASON };
        }
        if (exit.stopped === 'memory') {
            options.log(`[ERROR] ${BATCH_OOM_REASON}: the job's processes held more than its ${job.memoryMb} MiB (memory_mb)`);
            return { ...base, succeeded: false, exitCode, reason: BATCH_OOM_REASON, statusReason: BATCH_EXITED_REASON };
        }
        return { ...base, succeeded: exitCode === 0, exitCode, statusReason: BATCH_EXITED_REASON };
    }
    finally {
        removeTree(sandbox);
    }
}
/** The name of a job queue given by name or ARN (AWS_BATCH_JQ_NAME holds the name). */
function queueName(queue) {
    const m = /:job-queue\/(.+)$/.exec(queue);
    return m ? m[1] : queue;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/targets/local/callbacks.ts
/**
 * The callback side of Step Functions, for the local executor's own executions: a gate of schedule
 * `exact` (a `.waitForTaskToken` Task) waits until a group's runtime calls SendTaskSuccess with its
 * token. The group processes are told to call Step Functions at this server (AWS_ENDPOINT_URL_SFN, on
 * loopback), which answers SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat as the service does
 * (the AWS JSON 1.0 protocol: `X-Amz-Target: AWSStepFunctions.<Operation>`, errors named by `__type`),
 * and nothing else.
 *
 * Tokens are 256 random bits: unguessable, so the server needs no credentials check of its own (the
 * SDKs sign their requests anyway; the signature is not verified). A token is settled once: a second
 * SendTaskSuccess gets `TaskTimedOut`, as from Step Functions ("the task associated with the token has
 * already been closed"), an unknown token `InvalidToken`.
 */


/** Most bytes a request body may have (SendTaskSuccess's output is at most 256 KiB). */
const MAX_BODY_BYTES = 1_048_576;
class CallbackServer {
    pending = new Map();
    settled = new Set();
    server;
    url;
    /** Starts listening on loopback (once); returns the endpoint URL for AWS_ENDPOINT_URL_SFN. */
    async start() {
        if (this.url)
            return this.url;
        const server = external_node_http_.createServer((req, res) => this.handle(req, res));
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve());
        });
        // Keep-alive sockets of the SDKs must not keep the runner's process alive after the run.
        server.unref();
        this.server = server;
        this.url = `http://127.0.0.1:${server.address().port}`;
        return this.url;
    }
    /** A new token, and a promise of how it is settled. */
    mint() {
        const token = `kedro-aws-local-${(0,external_node_crypto_.randomBytes)(32).toString('hex')}`;
        const outcome = new Promise((resolve) => {
            this.pending.set(token, {
                settle: (o) => {
                    this.pending.delete(token);
                    this.settled.add(token);
                    resolve(o);
                },
            });
        });
        return { token, outcome };
    }
    /** Settles a token from this side (a timeout, the end of the execution); false when it was already. */
    settle(token, outcome) {
        const waiting = this.pending.get(token);
        if (!waiting)
            return false;
        waiting.settle(outcome);
        return true;
    }
    /** Settles every token still open (the execution ended) and stops listening. */
    async close(outcome) {
        for (const token of [...this.pending.keys()])
            this.settle(token, outcome);
        const server = this.server;
        this.server = undefined;
        this.url = undefined;
        if (!server)
            return;
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(() => resolve()));
    }
    handle(req, res) {
        const chunks = [];
        let size = 0;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES)
                chunks.push(chunk);
        });
        req.on('end', () => {
            const target = String(req.headers['x-amz-target'] ?? '');
            const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
            if (req.method !== 'POST' || size > MAX_BODY_BYTES) {
                return reply(res, 400, error('ValidationException', 'a POST of at most 1 MiB is expected'));
            }
            let body;
            try {
                body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
            }
            catch {
                return reply(res, 400, error('SerializationException', 'the request body is not JSON'));
            }
            const token = typeof body.taskToken === 'string' ? body.taskToken : '';
            const known = this.pending.has(token);
            if (!['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'].includes(operation)) {
                return reply(res, 400, error('UnknownOperationException', `the local executor answers only the callbacks of its gates, not ${operation || target || 'this request'}`));
            }
            if (!known) {
                return this.settled.has(token)
                    ? reply(res, 400, error('TaskTimedOut', 'Task Timed Out: the task associated with the token has already been closed'))
                    : reply(res, 400, error('InvalidToken', 'Invalid token'));
            }
            if (operation === 'SendTaskHeartbeat')
                return reply(res, 200, {});
            if (operation === 'SendTaskSuccess') {
                let output;
                try {
                    output = JSON.parse(typeof body.output === 'string' ? body.output : 'null');
                }
                catch {
                    return reply(res, 400, error('InvalidOutput', 'the output is not JSON'));
                }
                this.settle(token, { kind: 'success', output, at: new Date() });
            }
            else {
                this.settle(token, {
                    kind: 'failure',
                    error: typeof body.error === 'string' ? body.error : '',
                    cause: typeof body.cause === 'string' ? body.cause : '',
                });
            }
            return reply(res, 200, {});
        });
    }
}
function error(type, message) {
    return { __type: `com.amazonaws.swf.base.model#${type}`, message };
}
function reply(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
}

;// CONCATENATED MODULE: ./src/targets/local/sagemaker.ts
/**
 * One SageMaker training job of a `compute: sagemaker` group, emulated: a fresh Python process that runs
 * the job's command (its ContainerEntrypoint and ContainerArguments, as the Task's parameters give them:
 * the group entry `python3 -m kedro_aws_action.batch_entry ...`) with the job's Environment, in a
 * sandbox of its own, as the container would run on the instance.
 *
 * The same contract as on SageMaker:
 * - the command and the environment are the job's (the group's records are written by the same
 *   runtime as on AWS); the container's file system is writable and its own: the working directory is
 *   a private copy of the image's task folder (its `conf/`), /tmp and HOME are private folders, and
 *   SageMaker's /opt/ml (`/opt/ml/output/failure`, KEDRO_AWS_FAILURE_FILE) is a folder of the sandbox;
 *   the image's paths in the job's environment (LAMBDA_TASK_ROOT, PYTHONPATH) name the sandbox's;
 * - the Python environment is exactly the image's, as for a Lambda group (lambda.ts): the runner's
 *   interpreter with `-s -S` (none of its own or the user's site-packages) and the import path of the
 *   emulated image (image.ts), so a package the wheel does not require fails here as in the image;
 *   of the runner's environment only AWS_* and the network variables (proxies, CA bundles) reach it;
 * - the job's max runtime (StoppingCondition.MaxRuntimeInSeconds) is enforced: past it the process
 *   group is killed and the job ends Stopped / MaxRuntimeExceeded, as SageMaker ends it;
 * - the outcome is what `createTrainingJob.sync` gives Step Functions: the job's description (its
 *   TrainingJobStatus, SecondaryStatus and, for a failure, the FailureReason read from the failure
 *   file); a job that did not complete fails the Task with `States.TaskFailed` and that description as
 *   the cause.
 *
 * Not emulated: the instance type (the process runs on the runner, with the runner's CPUs, memory and
 * no GPU), spot interruptions, the output upload and SageMaker's RetryStrategy.
 */






/** Lines of stderr kept for a failure whose reason the group did not write. */
const sagemaker_LOG_TAIL_LINES = 6;
/** Runs the job to its end; never throws for what the group did. */
async function trainLocally(options) {
    const sandbox = openSandbox('sagemaker', options.group, options.scratchDir);
    try {
        return await trainIn(sandbox, options);
    }
    finally {
        removeTree(sandbox);
    }
}
async function trainIn(sandbox, options) {
    const now = options.now ?? (() => new Date());
    const request = options.request;
    const created = now();
    const folders = jobContainerFolders(sandbox, options.image.taskRoot);
    const failureFile = external_node_path_.join(sandbox, 'opt', 'ml', 'output', 'failure');
    external_node_fs_.mkdirSync(external_node_path_.dirname(failureFile), { recursive: true, mode: 0o700 });
    const hostEnv = options.hostEnv ?? process.env;
    const env = containerEnvironment({
        image: options.image,
        actionPythonDir: options.actionPythonDir,
        folders,
        hostEnv,
        job: request.Environment ?? {},
        service: {
            // SageMaker's /opt/ml, in the sandbox.
            [sagemaker/* FAILURE_FILE_ENV */.kf]: failureFile,
            // What SageMaker tells every training container.
            TRAINING_JOB_NAME: request.TrainingJobName ?? '',
        },
        extra: options.env,
    });
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const maxRuntime = request.StoppingCondition?.MaxRuntimeInSeconds ?? 86_400;
    const spec = request.AlgorithmSpecification ?? {};
    const command = imagePythonCommand([...(spec.ContainerEntrypoint ?? []), ...(spec.ContainerArguments ?? [])], resolveCommand(options.python, hostEnv));
    const tail = [];
    let ended;
    let started;
    if (typeof command === 'string') {
        ended = {
            status: 'Failed',
            secondary: 'Failed',
            message: 'Training job failed',
            reason: `ClientError: ${command}`,
        };
    }
    else {
        const exit = await runContained({
            argv: command,
            cwd: folders.taskRoot,
            env,
            timeoutSeconds: maxRuntime,
            log: options.log,
            tail: { lines: tail, keep: sagemaker_LOG_TAIL_LINES },
            ...(options.signal ? { signal: options.signal } : {}),
            onSpawn: () => {
                started = now();
                options.onStart?.();
            },
        });
        ended = outcome(exit, failureFile, maxRuntime, options.python, tail);
    }
    const end = now();
    const name = request.TrainingJobName ?? options.group;
    const description = {
        ...withoutRunOnly(request),
        TrainingJobName: name,
        TrainingJobArn: `arn:aws:sagemaker:${region}:000000000000:training-job/${name.toLowerCase()}`,
        TrainingJobStatus: ended.status,
        SecondaryStatus: ended.secondary,
        ...(ended.status === 'Failed' ? { FailureReason: ended.reason } : {}),
        CreationTime: created.toISOString(),
        ...(started ? { TrainingStartTime: started.toISOString(), TrainingEndTime: end.toISOString() } : {}),
        LastModifiedTime: end.toISOString(),
        SecondaryStatusTransitions: [
            { Status: 'Starting', StartTime: created.toISOString(), StatusMessage: 'Starting the training job (local)' },
            ...(started
                ? [{ Status: 'Training', StartTime: started.toISOString(), StatusMessage: 'Training (a local process)' }]
                : []),
            { Status: ended.secondary, StartTime: end.toISOString(), StatusMessage: ended.message },
        ],
    };
    if (ended.status === 'Completed')
        return { ok: true, payload: description };
    // As `.sync` reports a job that did not complete: the job's description is the cause.
    return {
        ok: false,
        errorType: 'States.TaskFailed',
        errorMessage: JSON.stringify(description),
        stackTrace: [],
        logTail: [],
    };
}
/** The request without what only CreateTrainingJob takes (DescribeTrainingJob does not return tags). */
function withoutRunOnly(request) {
    const { Tags: _tags, ...rest } = request;
    return rest;
}
/** How the job ended, as SageMaker would say it. */
function outcome(exit, failureFile, maxRuntime, python, tail) {
    if (exit.spawnError) {
        const code = exit.spawnError.code;
        const why = code === 'ENOENT'
            ? `the interpreter "${python}" was not found (input "python")`
            : `could not start "${python}": ${exit.spawnError.message}`;
        return { status: 'Failed', secondary: 'Failed', message: 'Training job failed', reason: `ClientError: ${why}` };
    }
    if (exit.stopped === 'aborted')
        return { status: 'Stopped', secondary: 'Stopped', message: 'The local execution was stopped' };
    if (exit.stopped === 'timeout') {
        return {
            status: 'Stopped',
            secondary: 'MaxRuntimeExceeded',
            message: `Training job runtime exceeded MaxRuntimeInSeconds provided (${maxRuntime} s)`,
        };
    }
    if (exit.code === 0)
        return { status: 'Completed', secondary: 'Completed', message: 'Training job completed' };
    let written = '';
    try {
        written = external_node_fs_.readFileSync(failureFile, 'utf8').trim();
    }
    catch {
        written = '';
    }
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
    // SageMaker's FailureReason: the container's failure file, or its exit and the last lines it logged.
    const reason = written
        ? `AlgorithmError: ${written}`
        : `AlgorithmError: the container ended with ${how}; last lines of its log:\n${tail.join('\n')}`;
    return { status: 'Failed', secondary: 'Failed', message: 'Training job failed', reason: reason.slice(0, 1024) };
}

;// CONCATENATED MODULE: ./src/targets/local/executor.ts
/**
 * `executor: local`: the state machine that `deploy` creates, executed on the runner. The definition is
 * walked by aws-local-stepfunctions (the Amazon States Language: Parallel branches run concurrently,
 * Retry and Catch apply as on AWS, a failed branch fails its Parallel state and the execution); each
 * Task is overridden by an emulated Lambda invoke (see lambda.ts): a Python process per function (its
 * container, kept warm between its invocations as Lambda keeps one), in a sandbox of its own, given the
 * very event Step Functions would send (the Task's `Parameters` resolved against the execution input).
 * A Batch group's `batch:submitJob.sync` Task runs its job as a container of the stage's job
 * definition (batch.ts), a SageMaker group's `createTrainingJob.sync` Task its training job's command
 * (sagemaker.ts), each a fresh process per attempt; each returns what the `.sync` integration returns
 * (the job's description), so Retry, Catch and ResultSelector in the definition behave as on AWS.
 *
 * Differences from AWS, on purpose:
 * - At most `maxConcurrency` group processes run at once (default: the runner's CPUs), a Batch job
 *   counting as many as its vCPUs (at most all of them); a group waiting for a slot has not started
 *   (a Batch job waits in its queue, RUNNABLE). The library's own Task timer would count that wait,
 *   so it is given a copy of the definition with the Tasks' TimeoutSeconds out of the way, and the
 *   group's own timeout (a Lambda group's: `TimeoutSeconds` minus the margin `deploy` adds; a Batch
 *   job's attemptDurationSeconds) is enforced from the moment its process starts.
 * - When the execution fails, groups already running are let finish (their Lambda would, on AWS) and
 *   their outcome recorded; no other group starts.
 * - aws-local-stepfunctions runs at most 40 branches of a Parallel state at once (Step Functions runs
 *   them all), so a wider Parallel state is handed to it as nested Parallel states of at most 40
 *   branches each: the same waiting, every branch running at once.
 * - Lambda, Batch and SageMaker Tasks only: a Task of another resource fails the execution with
 *   States.Runtime, naming it. A Batch Task needs the job definition (`batchJobDefinition`).
 *
 * Gates (schedule `exact`). A `lambda:invoke.waitForTaskToken` Task runs as on AWS: its function is
 * invoked (a group process in gate mode, which stores the token under the run records and returns),
 * then the Task waits until a group's runtime sends the token back with SendTaskSuccess, to the
 * executor's own Step Functions endpoint on loopback (callbacks.ts; every group process gets it as
 * AWS_ENDPOINT_URL_SFN). The token is the Task's `$$.Task.Token`, minted per gate. A gate holds a
 * process slot only while its function runs, not while it waits; it fails with `States.Timeout` past
 * its TimeoutSeconds, and every gate still waiting is let go when the execution ends.
 *
 * What each group's process sees and is held to; every one runs with exactly the image's Python
 * packages (the runner's interpreter with `-s -S` and the emulated image's import path, image.ts):
 * - a Lambda group: its function's settings (`limits`: memory, timeout, ephemeral storage) and what a
 *   function sees (read-only task folder, writable /tmp only, Lambda's environment): lambda.ts;
 * - a Batch group: its job's MEMORY (killed past it, OutOfMemoryError), VCPU (CPU affinity), timeout
 *   (attemptDurationSeconds) and retry strategy, a writable container file system of its own, the
 *   job definition's environment and the Batch agent's variables: batch.ts;
 * - a SageMaker group: its max runtime, a writable container file system with /opt/ml of its own,
 *   the job's environment: sagemaker.ts (instance type and memory are not emulated).
 */












/** Task TimeoutSeconds handed to the library: longer than any run (and within setTimeout's range). */
const LIBRARY_TASK_TIMEOUT_SECONDS = 2_000_000;
/** Most branches aws-local-stepfunctions runs at once in one Parallel state (its DEFAULT_CONCURRENCY). */
const LIBRARY_PARALLEL_BRANCHES = 40;
/** What `$$.Task.Token` resolves to in the library; each gate puts a token of its own in its place. */
const TOKEN_PLACEHOLDER = 'kedro-aws-local-task-token';
/** The Lambda timeout of a gate's function call (it stores a token and returns, in well under a second). */
const GATE_FUNCTION_TIMEOUT_SECONDS = 300;
/** The variable that points the group processes' Step Functions calls at the executor (botocore reads it too). */
const SFN_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SFN';
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
/**
 * The copy of the definition the library gets (see the module comment): the Tasks' own timers never
 * fire first, and a Parallel state of more than {@link LIBRARY_PARALLEL_BRANCHES} branches becomes
 * nested Parallel states of at most that many (only where its output is dropped, `ResultPath: null`,
 * as in every definition of this action: nesting changes the shape of the output, not the waiting).
 */
function forTheLibrary(definition) {
    const copy = JSON.parse(JSON.stringify(definition));
    let splits = 0;
    const split = (branches) => {
        if (branches.length <= LIBRARY_PARALLEL_BRANCHES)
            return branches;
        const size = Math.ceil(branches.length / LIBRARY_PARALLEL_BRANCHES);
        const parts = [];
        for (let i = 0; i < branches.length; i += size) {
            splits += 1;
            const name = `Local split ${splits}`;
            const part = { Type: 'Parallel', Branches: branches.slice(i, i + size), ResultPath: null, End: true };
            parts.push({ StartAt: name, States: { [name]: part } });
        }
        return split(parts);
    };
    const walk = (states) => {
        for (const state of Object.values(states ?? {})) {
            if (state.Type === 'Task')
                state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
            for (const branch of state.Branches ?? [])
                walk(branch.States);
            if (state.Type === 'Parallel' && state.Branches && state.ResultPath === null) {
                state.Branches = split(state.Branches);
            }
            walk(state.Iterator?.States);
            walk(state.ItemProcessor?.States);
        }
    };
    walk(copy.States);
    return copy;
}
/** `value` with every string equal to `placeholder` replaced by `token`. */
function withToken(value, placeholder, token) {
    if (value === placeholder)
        return token;
    if (Array.isArray(value))
        return value.map((v) => withToken(v, placeholder, token));
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, placeholder, token)]));
    }
    return value;
}
/** The group a gate's payload names (`{gate: {group}}`), if it names one. */
function gatedGroup(payload) {
    const gate = payload?.gate;
    return typeof gate?.group === 'string' ? gate.group : undefined;
}
/**
 * A counting semaphore of `size` units: a holder takes one or more (a Batch job its vCPUs, at most
 * `size`), first come first served (a job needing many is not overtaken for ever by ones needing few).
 */
class Slots {
    size;
    free;
    waiting = [];
    constructor(size) {
        this.size = Math.max(1, Math.floor(size));
        this.free = this.size;
    }
    /** Units a holder asking for `units` takes: at least 1, at most all. */
    units(units) {
        return Math.max(1, Math.min(this.size, Math.ceil(units)));
    }
    /** Resolves with the units taken (give them back to `release`). */
    async acquire(units = 1) {
        const n = this.units(units);
        if (this.waiting.length === 0 && this.free >= n) {
            this.free -= n;
            return n;
        }
        await new Promise((resolve) => this.waiting.push({ units: n, resolve }));
        return n;
    }
    release(units = 1) {
        this.free += units;
        while (this.waiting.length > 0 && this.free >= this.waiting[0].units) {
            const next = this.waiting.shift();
            this.free -= next.units;
            next.resolve();
        }
    }
}
function defaultConcurrency() {
    return runnerCpus();
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
    if (resource === statemachine/* LAMBDA_INVOKE_RESOURCE */.Yh || resource === statemachine/* LAMBDA_CALLBACK_RESOURCE */.Bw) {
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
    const gates = {};
    for (const task of tasks) {
        if (task.resource === statemachine/* LAMBDA_CALLBACK_RESOURCE */.Bw)
            continue;
        groups[options.groupOfState.get(task.state) ?? task.state] = { status: 'NOT_STARTED', attempts: 0 };
    }
    const slots = new Slots(options.maxConcurrency ?? defaultConcurrency());
    const actionPythonDir = options.actionPythonDir ?? (0,paths/* pythonDir */.w)();
    const stop = new AbortController();
    // Every running invocation listens to it: a wide DAG has more than the default 10 at once.
    (0,external_node_events_.setMaxListeners)(0, stop.signal);
    const running = new Set();
    // The functions' containers, kept warm between invocations as Lambda keeps them (a gate's function
    // is its group's: the group then starts warm).
    const containers = new LambdaPool();
    let ended = false;
    // Gates: the executor's own Step Functions endpoint for their callbacks.
    const callbacks = tasks.some((t) => t.resource === statemachine/* LAMBDA_CALLBACK_RESOURCE */.Bw) ? new CallbackServer() : undefined;
    const sfnEndpoint = callbacks ? await callbacks.start() : undefined;
    const processEnv = async () => {
        const extra = typeof options.env === 'function' ? await options.env() : options.env;
        return sfnEndpoint ? { ...extra, [SFN_ENDPOINT_ENV]: sfnEndpoint } : extra;
    };
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
        const job = task.resource === sagemaker/* SAGEMAKER_TRAINING_RESOURCE */.xb ? input : undefined;
        const batchJob = task.resource === statemachine/* BATCH_SUBMIT_JOB_RESOURCE */.D3 ? (input ?? {}) : undefined;
        const call = job || batchJob ? undefined : invocation(task.resource, input);
        if (!job && !batchJob && !call) {
            throw new GroupFailure(group, 'States.Runtime', `the local executor runs Lambda, Batch and SageMaker Tasks only; state "${task.state}" has resource ${task.resource}`);
        }
        const jobDefinition = options.batchJobDefinition;
        if (batchJob && !jobDefinition) {
            throw new GroupFailure(group, 'States.Runtime', `state "${task.state}" submits a Batch job, but the local executor was given no job definition`);
        }
        const entered = new Date();
        // A Batch job holds as many process slots as its vCPUs (it waits in its queue until they are free).
        const units = await slots.acquire(batchJob && jobDefinition ? effectiveJob(jobDefinition, batchJob).vcpus : 1);
        try {
            if (ended || stop.signal.aborted) {
                // The execution is over (a branch failed, or it was aborted): nothing new starts.
                throw new GroupFailure(group, 'States.Aborted', 'not started: the execution had already ended');
            }
            const record = groups[group] ?? (groups[group] = { status: 'NOT_STARTED', attempts: 0 });
            record.entered ??= entered;
            const extraEnv = await processEnv();
            const limits = options.limits?.get(group);
            const common = {
                python: options.python,
                image: options.image,
                actionPythonDir,
                group,
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
            };
            const work = call
                ? containers.invoke({
                    ...common,
                    functionName: call.functionName,
                    payload: call.payload,
                    timeoutSeconds: limits?.timeoutSeconds ?? functionTimeoutSeconds(task.timeoutSeconds),
                    ...(limits?.memoryMb !== undefined ? { memoryMb: limits.memoryMb } : {}),
                    ...(limits?.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: limits.ephemeralStorageMb } : {}),
                })
                : batchJob && jobDefinition
                    ? submitLocally({ ...common, request: batchJob, jobDefinition })
                    : trainLocally({ ...common, request: job ?? {} });
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
            if (outcome.maxMemoryUsedMb !== undefined)
                record.maxMemoryUsedMb = outcome.maxMemoryUsedMb;
            if (outcome.ok) {
                record.status = 'SUCCEEDED';
                record.result = outcome.payload;
                delete record.error;
                delete record.cause;
                transition({ group, status: 'SUCCEEDED', at: record.end, maxMemoryUsedMb: outcome.maxMemoryUsedMb });
                return (call ? call.wrap(outcome.payload) : outcome.payload);
            }
            const cause = causeOf(outcome);
            record.status = 'FAILED';
            record.error = outcome.errorType;
            record.cause = cause;
            transition({
                group,
                status: 'FAILED',
                at: record.end,
                error: outcome.errorType,
                cause,
                maxMemoryUsedMb: outcome.maxMemoryUsedMb,
            });
            throw new GroupFailure(group, outcome.errorType, cause);
        }
        finally {
            slots.release(units);
        }
    };
    /** A gate: its function in gate mode (a process, in a slot), then the wait for its token (no slot). */
    const gateFor = (task) => async (input) => {
        const call = invocation(task.resource, input);
        const group = gatedGroup(call.payload) ?? options.groupOfState.get(task.state) ?? task.state;
        const server = callbacks;
        const { token, outcome } = server.mint();
        const gate = { entered: new Date() };
        gates[group] = gate;
        await slots.acquire();
        try {
            if (ended || stop.signal.aborted) {
                throw new GroupFailure(group, 'States.Aborted', 'not started: the execution had already ended');
            }
            const limits = options.limits?.get(group);
            const work = containers.invoke({
                python: options.python,
                image: options.image,
                actionPythonDir,
                group,
                functionName: call.functionName,
                payload: withToken(call.payload, TOKEN_PLACEHOLDER, token),
                timeoutSeconds: GATE_FUNCTION_TIMEOUT_SECONDS,
                // The gated group's own function, in gate mode: its settings (its container, warm for the group).
                ...(limits?.memoryMb !== undefined ? { memoryMb: limits.memoryMb } : {}),
                ...(limits?.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: limits.ephemeralStorageMb } : {}),
                env: await processEnv(),
                hostEnv: options.hostEnv,
                scratchDir: options.scratchDir,
                log: (line) => log(`[${group} gate] ${line}`),
                signal: stop.signal,
            });
            running.add(work);
            let invoked;
            try {
                invoked = await work;
            }
            finally {
                running.delete(work);
            }
            if (!invoked.ok) {
                // As on AWS: the function's error fails the gate's Task (a service error may be retried).
                server.settle(token, { kind: 'failure', error: invoked.errorType, cause: invoked.errorMessage });
                throw new GroupFailure(group, invoked.errorType, causeOf(invoked));
            }
            gate.stored = new Date();
        }
        finally {
            slots.release();
        }
        const seconds = task.timeoutSeconds ?? LIBRARY_TASK_TIMEOUT_SECONDS;
        const timer = setTimeout(() => server.settle(token, {
            kind: 'failure',
            error: 'States.Timeout',
            cause: `the gate of group "${group}" was not opened within its ${seconds} s (TimeoutSeconds)`,
        }), Math.min(seconds, LIBRARY_TASK_TIMEOUT_SECONDS) * 1000);
        const settled = await outcome.finally(() => clearTimeout(timer));
        if (settled.kind === 'success') {
            gate.opened = settled.at;
            const by = settled.output?.opened_by;
            if (typeof by === 'string')
                gate.openedBy = by;
        }
        if (settled.kind === 'failure') {
            throw new GroupFailure(group, settled.error || 'States.TaskFailed', settled.cause);
        }
        return settled.output;
    };
    const overrides = Object.fromEntries(tasks.map((task) => [task.state, task.resource === statemachine/* LAMBDA_CALLBACK_RESOURCE */.Bw ? gateFor(task) : handlerFor(task)]));
    const machine = new main_node_esm/* StateMachine */.Z3(forTheLibrary(options.definition), {
        validationOptions: { checkArn: true, checkPaths: true },
    });
    const startDate = new Date();
    const execution = machine.run(options.input, {
        overrides: { taskResourceLocalHandlers: overrides },
        context: { Task: { Token: TOKEN_PLACEHOLDER } },
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
        // Gates still waiting belong to branches the failure (or the abort) stopped.
        await callbacks?.close({ kind: 'failure', error: 'States.Aborted', cause: 'the execution ended' });
    }
    // Groups still running (siblings of a failed branch) end as their Lambda would: let them finish.
    while (running.size > 0)
        await Promise.allSettled([...running]);
    containers.close();
    return { status, ...(failure ? { failure } : {}), groups, gates, startDate, stopDate: new Date() };
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

// EXTERNAL MODULE: ./src/context/publish.ts + 3 modules
var publish = __webpack_require__(3781);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/targets/local/summary.ts


async function writeLocalSummary(ctx, deployment, runId, 
/** `status` may say TIMED_OUT where the record says ABORTED (stopped by "timeout-minutes"). */
result, checks, unchecked) {
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
        ...(0,summary/* reportFromVerify */.cI)(checks, unchecked),
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
 * `package` are installed into an emulated image under the stage's work folder (with the packages of
 * the lock package wrote, as build installs them, kept in a cache shared by the job's stages:
 * image.ts), each Lambda group runs held to its function's settings (memory_mb, timeout_seconds) and
 * to what Lambda allows (lambda.ts), each `compute: batch` group as a job of the job definition
 * `deploy` would register (batch.ts), each `compute: sagemaker` group as its training job
 * (sagemaker.ts), and the datasets cross groups wherever the catalog of the env puts them (S3, or
 * the emulator AWS_ENDPOINT_URL points at).
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
    // Settings AWS Batch refuses were refused when the plan was built (settings.ts), as for deploy.
    const onBatch = deployment.groups.filter((g) => g.settings.compute === 'batch');
    // The lock package wrote, which build installs into the image (a wheel given without one: resolved).
    const lock = ctx.get(state/* STATE */.c4.requirementsLock);
    const image = await prepareImage({
        python: inputs.python,
        wheel,
        ...(lock ? { lock } : {}),
        confArchive,
        packageName,
        workDir: external_node_path_.join(ctx.workDir, 'local', 'image'),
        cacheDir: localCacheDir(ctx.env, ctx.workDir),
        log: (line) => core.info(`Local image: ${line}`),
    });
    core.info(image.reused
        ? `Local image: ${image.site} already holds this wheel (sha256 ${image.wheelSha256.slice(0, 12)})`
        : `Local image: ${external_node_path_.basename(wheel)} installed into ${image.site}`);
    const recordsUrl = (0,common/* stageRecords */.tY)(ctx, { plan, deployment }).url;
    const region = inputs.awsRegion || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || 'us-east-1';
    // SageMaker groups run here as processes of the same entry; their job's role and image are only named.
    const sagemaker = (0,stepfunctions_sagemaker/* sagemakerOptions */.Jv)(ctx, { plan, deployment }, {
        roleArn: inputs.sagemakerRoleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT}:role/kedro-aws-local`,
        imageUri: ctx.get(state/* STATE */.c4.imageUri) ?? 'local',
        region,
    });
    const functionArn = (group) => `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${group.names.lambdaFunction}`;
    // Batch groups run here as jobs of the job definition deploy would register (the queue is only named).
    const batchJobDefinition = onBatch.length > 0
        ? (0,batch/* jobDefinitionSpec */.Ty)(deployment, {
            imageUri: ctx.get(state/* STATE */.c4.imageUri) ?? 'local',
            jobRoleArn: inputs.batchJobRoleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT}:role/kedro-aws-local`,
            packageName,
            recordsUrl,
            tags: {},
        })
        : undefined;
    const onLambda = deployment.groups.find((g) => g.settings.compute === 'lambda');
    const built = (0,statemachine/* buildDefinition */._H)(deployment, {
        schedule: inputs.schedule,
        env: deployment.env,
        packageName,
        functionArn,
        // Schedule exact: a gated Batch group's gate runs on a Lambda group's function, as deploy gives it.
        ...(onLambda ? { gateFunctionArn: functionArn(onLambda) } : {}),
        ...(batchJobDefinition
            ? {
                batch: {
                    jobQueue: inputs.batchJobQueue ?? 'kedro-aws-local',
                    jobDefinition: (0,batch/* jobDefinitionName */.ih)(deployment, 'EC2'),
                },
            }
            : {}),
        ...(sagemaker ? { sagemaker } : {}),
    });
    (0,common/* logSchedule */.gF)(built);
    const { definition } = built;
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
    const limits = functionLimits(deployment);
    const result = await runLocally({
        definition,
        input: { run_id: runId, runtime_params: plan.runtime_params, env: deployment.env },
        python: inputs.python,
        image,
        groupOfState: new Map(deployment.groups.map((g) => [g.names.state, g.name])),
        limits,
        ...(batchJobDefinition ? { batchJobDefinition } : {}),
        onTransition: (t) => {
            const size = limits.get(t.group)?.memoryMb;
            const memory = t.maxMemoryUsedMb !== undefined && size !== undefined
                ? ` (max memory used ${t.maxMemoryUsedMb} of ${size} MB)`
                : '';
            core.info(`  ${t.group} ${t.status.toLowerCase()}${t.status === 'FAILED' ? `: ${t.error}` : ''}${memory}`);
        },
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
/** Each Lambda group's function settings, as `deploy` gives them to its function. */
function functionLimits(deployment) {
    return new Map(deployment.groups.map((g) => [
        g.name,
        { memoryMb: g.settings.memory_mb, timeoutSeconds: g.settings.timeout_seconds },
    ]));
}
/**
 * Where the local image's installed dependencies are kept: the runner's tool cache when it has one
 * (kept across jobs on a self-hosted runner; a folder unused for a week is removed), else the job's
 * temporary folder, shared by the job's stages.
 */
function localCacheDir(env, workDir) {
    const tools = env.RUNNER_TOOL_CACHE;
    return tools ? external_node_path_.join(tools, 'kedro-aws-action-local') : external_node_path_.join(external_node_path_.dirname(workDir), '_local-cache');
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
        summary: (checks, unchecked) => writeLocalSummary(ctx, deployment, runId, { ...result, status }, checks, unchecked),
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
    const env = { AWS_REGION: region, AWS_DEFAULT_REGION: region, [environment/* RECORDS_ENV */.H3]: recordsUrl };
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
    // A SageMaker group's cause is its job's description (JSON, as on AWS): its status and failure reason.
    if (failure?.cause)
        lines.push(`cause: ${(0,format/* readableCause */.wV)(failure.cause).text.slice(0, 2000)}`);
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