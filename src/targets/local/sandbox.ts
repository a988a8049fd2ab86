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
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { followLines } from './lines';

/**
 * Makes `root` and everything under it read-only, and the runner's user's only like every file the
 * action keeps (folders 0500, files 0400, executables 0500).
 */
export function setReadOnly(root: string): void {
  const stat = fs.lstatSync(root, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(root)) setReadOnly(path.join(root, name));
    fs.chmodSync(root, 0o500);
  } else {
    fs.chmodSync(root, stat.mode & 0o100 ? 0o500 : 0o400);
  }
}

/** Gives the owner write permission on `root` and every folder under it again (to remove or replace them). */
export function setWritable(root: string): void {
  const stat = fs.lstatSync(root, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink() || !stat.isDirectory()) return;
  fs.chmodSync(root, (stat.mode & 0o777) | 0o700);
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) setWritable(path.join(root, entry.name));
  }
}

/**
 * A fresh sandbox for one container: a private folder under `scratchDir` (default the system's temp
 * folder), named after the kind and the group. The caller removes it (removeTree) when the container ends.
 */
export function openSandbox(kind: string, group: string, scratchDir: string | undefined): string {
  const scratch = scratchDir ?? os.tmpdir();
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const safe = group.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  return fs.mkdtempSync(path.join(scratch, `kedro-aws-${kind}-${safe}-`));
}

/**
 * The folders of a job container (Batch, SageMaker) in its sandbox: its own copy of the image's task
 * folder (the `conf/`; writable, as a container's file system is), /tmp, and root's home.
 */
export function jobContainerFolders(
  sandbox: string,
  imageTaskRoot: string,
): { taskRoot: string; tmpDir: string; home: string } {
  const folders = {
    taskRoot: path.join(sandbox, 'task'),
    tmpDir: path.join(sandbox, 'tmp'),
    home: path.join(sandbox, 'root'),
  };
  for (const dir of Object.values(folders)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.cpSync(path.join(imageTaskRoot, 'conf'), path.join(folders.taskRoot, 'conf'), { recursive: true });
  return folders;
}

/** Removes a tree that may hold read-only folders. */
export function removeTree(root: string): void {
  if (!fs.existsSync(root)) return;
  try {
    setWritable(root);
  } catch {
    // rmSync says what is wrong
  }
  fs.rmSync(root, { recursive: true, force: true });
}

/** The capabilities that let root write through mode bits (python/tests/test_runtime.py drops the same). */
const DROPPED_CAPABILITIES = '-dac_override,-dac_read_search,-fowner';

const toolPaths = new Map<string, string | null>();

/** A tool of util-linux (`setpriv`, `taskset`) that answers `--version`, or null when the runner has none. */
function utilLinux(name: string): string | null {
  const known = toolPaths.get(name);
  if (known !== undefined) return known;
  let found: string | null = null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir || '.', name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      found = candidate;
      break;
    } catch {
      // not here
    }
  }
  toolPaths.set(name, found);
  return found;
}

function setpriv(): string | null {
  return utilLinux('setpriv');
}

/**
 * The command that starts `argv` so that read-only mode bits hold: as is for a user other than root;
 * for root through `setpriv` without the capabilities that bypass them (`enforced: false` when root
 * has no setpriv: the kernel then lets the process write, and only the interpreter's rule refuses).
 */
export function withReadOnlyEnforced(argv: readonly string[]): { argv: string[]; enforced: boolean } {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) return { argv: [...argv], enforced: true };
  const tool = setpriv();
  if (!tool) return { argv: [...argv], enforced: false };
  return { argv: [tool, '--bounding-set', DROPPED_CAPABILITIES, '--', ...argv], enforced: true };
}

/** The processes of process group `pgid` (the group's process and what it started). */
function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [pgid];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

function vmRssKib(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return undefined;
  }
}

/** Processes of the group found by a scan are looked for again every this many samples (a scan reads all of /proc). */
const SCAN_EVERY = 10;

/**
 * The resident memory of a process group (the group's process, which leads it, and what it started),
 * sampled: the leader's at every sample, its other processes as the last scan of /proc found them.
 */
export class ResidentMemory {
  private others: number[] = [];
  private samples = 0;
  constructor(private readonly pgid: number) {}

  /** KiB now (0 when the group has ended). */
  sampleKib(): number {
    if (this.samples++ % SCAN_EVERY === 0) this.others = processGroupMembers(this.pgid).filter((p) => p !== this.pgid);
    let total = vmRssKib(this.pgid) ?? 0;
    const alive: number[] = [];
    for (const pid of this.others) {
      const kib = vmRssKib(pid);
      if (kib === undefined) continue;
      alive.push(pid);
      total += kib;
    }
    this.others = alive;
    return total;
  }
}

/** Bytes allocated on disk under `dir` (what a file system's free space loses to it). */
export function allocatedBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      try {
        const stat = fs.lstatSync(full);
        total += stat.blocks * 512;
        if (stat.isDirectory()) walk(full);
      } catch {
        // gone meanwhile
      }
    }
  };
  walk(dir);
  return total;
}

/** The runner's CPUs (what the executor's process slots count). */
export function runnerCpus(): number {
  const available = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, available);
}

/** The CPUs this process may run on (Linux's Cpus_allowed_list), in order; 0..n-1 when it cannot be read. */
export function allowedCpus(status = '/proc/self/status'): number[] {
  try {
    const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(fs.readFileSync(status, 'utf8'));
    const cpus = (m?.[1] ?? '').split(',').flatMap((part) => {
      const [from, to] = part.split('-').map(Number);
      if (from === undefined || !Number.isInteger(from)) return [];
      const last = to === undefined ? from : to;
      return Number.isInteger(last) ? Array.from({ length: last - from + 1 }, (_v, i) => from + i) : [];
    });
    if (cpus.length > 0) return cpus;
  } catch {
    // not Linux's /proc
  }
  return Array.from({ length: runnerCpus() }, (_v, i) => i);
}

/** How many running containers are pinned to each CPU (so that two 1-vCPU jobs do not share one CPU). */
const pinnedTo = new Map<number, number>();

/**
 * The command that starts `argv` on at most `vcpus` of the runner's CPUs (a Batch container's VCPU):
 * through `taskset -c <cpus>` with min(ceil(vcpus), the runner's CPUs) CPUs, the least used by other
 * pinned containers; as is when the container may use them all, or when the runner has no taskset
 * (`enforced: false`). Call `release` when the process has ended.
 */
export function withCpuAffinity(
  argv: readonly string[],
  vcpus: number,
): { argv: string[]; enforced: boolean; release: () => void } {
  const cpus = allowedCpus();
  const n = Math.max(1, Math.min(Math.ceil(vcpus), cpus.length));
  const none = () => {};
  if (n >= cpus.length) return { argv: [...argv], enforced: true, release: none };
  const tool = utilLinux('taskset');
  if (!tool) return { argv: [...argv], enforced: false, release: none };
  const chosen = [...cpus]
    .sort((a, b) => (pinnedTo.get(a) ?? 0) - (pinnedTo.get(b) ?? 0) || a - b)
    .slice(0, n)
    .sort((a, b) => a - b);
  for (const cpu of chosen) pinnedTo.set(cpu, (pinnedTo.get(cpu) ?? 0) + 1);
  let released = false;
  return {
    argv: [tool, '-c', chosen.join(','), ...argv],
    enforced: true,
    release: () => {
      if (released) return;
      released = true;
      for (const cpu of chosen) pinnedTo.set(cpu, Math.max(0, (pinnedTo.get(cpu) ?? 1) - 1));
    },
  };
}

export interface ContainedOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Past it the process group gets SIGTERM, then SIGKILL after `graceSeconds`. */
  timeoutSeconds?: number;
  /** Seconds between SIGTERM and SIGKILL at the timeout; default 0 (SIGKILL at once). */
  graceSeconds?: number;
  /** The resident memory of the process group may not pass it: SIGKILL. */
  memoryMb?: number;
  /** Each line the process writes (stdout and stderr). */
  log: (line: string) => void;
  /** The last lines of stderr are kept here. */
  tail: { lines: string[]; keep: number };
  /** Aborting kills the process group. */
  signal?: AbortSignal;
  onSpawn?: () => void;
}

export interface ContainedExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  /** Why the process group was stopped, if it was. */
  stopped?: 'timeout' | 'aborted' | 'memory';
  /** The most resident memory of the group at one sample, in KiB. */
  peakKib: number;
}

/** How often a contained process's memory is sampled. */
const MEMORY_SAMPLE_MS = 200;

/**
 * Runs a container's process to its end, in a process group of its own (a limit or an abort kills what
 * it started too); never rejects.
 */
export function runContained(options: ContainedOptions): Promise<ContainedExit> {
  return new Promise((resolve) => {
    const [program, ...args] = options.argv as [string, ...string[]];
    let stopped: ContainedExit['stopped'];
    let peakKib = 0;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const kill = (why: NonNullable<ContainedExit['stopped']>) => {
      stopped ??= why;
      signalGroup('SIGKILL');
    };
    let grace: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutSeconds === undefined
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
      if (memory === undefined) return;
      const kib = memory.sampleKib();
      peakKib = Math.max(peakKib, kib);
      if (limitKib !== undefined && kib > limitKib) kill('memory');
    }, MEMORY_SAMPLE_MS);
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (child.stdout) followLines(child.stdout, options.log);
    if (child.stderr) followLines(child.stderr, options.log, options.tail);
    child.once('spawn', () => options.onSpawn?.());
    let settled = false;
    const done = (value: Omit<ContainedExit, 'stopped' | 'peakKib'>) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      clearInterval(sampler);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...value, ...(stopped ? { stopped } : {}), peakKib });
    };
    child.once('error', (error) => done({ code: null, signal: null, spawnError: error }));
    child.once('close', (code, signal) => done({ code, signal }));
  });
}
