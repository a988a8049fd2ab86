/**
 * `executor: local`: the state machine that `deploy` creates, executed on the runner. The definition is
 * walked by aws-local-stepfunctions (the Amazon States Language: Parallel branches run concurrently,
 * Retry and Catch apply as on AWS, a failed branch fails its Parallel state and the execution); each
 * Task is overridden by an emulated Lambda invoke (see lambda.ts): a Python process per function (its
 * container, kept warm between its invocations as Lambda keeps one), in a sandbox of its own, given the
 * very event Step Functions would send (the Task's `Parameters` resolved against the execution input). A SageMaker group's Task runs its training job's command the
 * same way (see sagemaker.ts), its max runtime enforced.
 *
 * Differences from AWS, on purpose:
 * - At most `maxConcurrency` group processes run at once (default: the runner's CPUs); a group waiting
 *   for a slot has not started. The library's own Task timer would count that wait, so it is given a
 *   copy of the definition with the Tasks' TimeoutSeconds out of the way, and the group's Lambda timeout
 *   (`TimeoutSeconds` minus the margin `deploy` adds) is enforced from the moment its process starts.
 * - When the execution fails, groups already running are let finish (their Lambda would, on AWS) and
 *   their outcome recorded; no other group starts.
 * - aws-local-stepfunctions runs at most 40 branches of a Parallel state at once (Step Functions runs
 *   them all), so a wider Parallel state is handed to it as nested Parallel states of at most 40
 *   branches each: the same waiting, every branch running at once.
 * - Lambda and SageMaker Tasks only: a `batch:submitJob.sync` Task (a group with `compute: batch`) is
 *   not run here; its state fails the execution with States.Runtime, naming it (run.ts refuses such a
 *   plan first).
 *
 * Gates (schedule `exact`). A `lambda:invoke.waitForTaskToken` Task runs as on AWS: its function is
 * invoked (a group process in gate mode, which stores the token under the run records and returns),
 * then the Task waits until a group's runtime sends the token back with SendTaskSuccess, to the
 * executor's own Step Functions endpoint on loopback (callbacks.ts; every group process gets it as
 * AWS_ENDPOINT_URL_SFN). The token is the Task's `$$.Task.Token`, minted per gate. A gate holds a
 * process slot only while its function runs, not while it waits; it fails with `States.Timeout` past
 * its TimeoutSeconds, and every gate still waiting is let go when the execution ends.
 *
 * Each Lambda group's process is held to its function's settings (`limits`: memory, timeout, ephemeral
 * storage) and sees what a Lambda function sees (read-only task folder, writable /tmp only, the image's
 * Python packages only): lambda.ts. A SageMaker job's process is held to its max runtime only, and
 * still sees the runner's Python environment behind the image's wheel (sagemaker.ts).
 */
import './polyfill';
import { setMaxListeners } from 'node:events';
import * as os from 'node:os';
import * as core from '@actions/core';
import {
  ExecutionAbortedError,
  ExecutionError,
  type StateMachineDefinition as LibraryDefinition,
  StateMachine,
} from 'aws-local-stepfunctions';
import { pythonDir } from '../../lib/paths';
import { SAGEMAKER_TRAINING_RESOURCE } from '../../plan/sagemaker';
import { LAMBDA_CALLBACK_RESOURCE, LAMBDA_INVOKE_RESOURCE, TASK_TIMEOUT_MARGIN_SECONDS } from '../../plan/statemachine';
import type { Failure, GroupTransition } from '../../report/progress';
import { CallbackServer } from './callbacks';
import { type FunctionLimits, type InvokeOptions, type InvokeOutcome, LambdaPool } from './lambda';
import { type TrainingJobRequest, trainLocally } from './sagemaker';

/** The execution input, as `run` gives it to Step Functions. */
export interface LocalExecutionInput {
  run_id: string;
  runtime_params: Record<string, unknown>;
  env?: string;
}

export interface RunLocallyOptions {
  /** The ASL definition (what `buildDefinition` returns as `definition`). */
  definition: object;
  input: LocalExecutionInput;
  /** The user's interpreter (Kedro and the project's dependencies installed). */
  python: string;
  /** The emulated image (`prepareImage`). */
  image: InvokeOptions['image'];
  /**
   * Each group's function settings (by Kedro group name): memory, timeout, ephemeral storage, enforced on
   * its process (lambda.ts). A group without: Lambda's defaults, and the timeout `deploy` gave its Task.
   */
  limits?: ReadonlyMap<string, Partial<FunctionLimits>>;
  /** Group of each Task state (state name → Kedro group name). */
  groupOfState: ReadonlyMap<string, string>;
  /** Each group starting, succeeding or failing, as it happens. */
  onTransition?: (transition: LocalTransition) => void;
  /**
   * Variables added to every group process (AWS_ENDPOINT_URL, credentials, ...); a function is called
   * as each invocation starts (fresh credentials for a long run: a warm container is given the changes).
   */
  env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>);
  /** Most group processes at once; default: the number of CPUs. */
  maxConcurrency?: number;
  /** Where each group's output lines go (prefixed with the group); default core.info. */
  log?: (line: string) => void;
  /** Parent folder of the groups' sandboxes; default the system's temp folder. */
  scratchDir?: string;
  /** Aborting stops the execution and kills the running group processes. */
  signal?: AbortSignal;
  /** The action's python/ folder; default the one shipped beside the action. */
  actionPythonDir?: string;
  /** Where the runner's AWS_* and host variables are read; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
}

/** A group's transition, with the memory its process held when it ended. */
export type LocalTransition = GroupTransition & { maxMemoryUsedMb?: number };

export type LocalGroupStatus = 'NOT_STARTED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface LocalGroupRecord {
  status: LocalGroupStatus;
  /** When the state machine entered its Task (its TaskStateEntered), before a process slot was free. */
  entered?: Date;
  /** When its (first) process started. */
  start?: Date;
  /** When its last process ended. */
  end?: Date;
  /** Processes started for it (more than one only when a Retry of the definition matched its error). */
  attempts: number;
  /** The handler's result (its `{group, type, nodes_run, seconds, run_id}`). */
  result?: unknown;
  error?: string;
  cause?: string;
  /** The most memory its processes held (its last attempt), in MB: Lambda's "Max Memory Used". */
  maxMemoryUsedMb?: number;
}

/** A gate of schedule `exact`: when its function ran (gate mode) and when and by whom it was opened. */
export interface LocalGateRecord {
  /** When the executor entered the gate's Task (before its function's process waited for a slot). */
  entered: Date;
  /** When its function returned (its token stored under the run records). */
  stored?: Date;
  /** When SendTaskSuccess reached the executor with its token. */
  opened?: Date;
  /** The group whose runtime sent it (`opened_by` of the output): a dependency, or the gated group itself. */
  openedBy?: string;
}

export interface LocalExecutionResult {
  /** SUCCEEDED, FAILED, or ABORTED (the signal). */
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** What failed the execution: the first group that failed, its error and cause. */
  failure?: Failure;
  /** Every group of `groupOfState`, in the order of the definition. */
  groups: Record<string, LocalGroupRecord>;
  /** The gates (schedule `exact`), by the group each holds back. */
  gates: Record<string, LocalGateRecord>;
  startDate: Date;
  stopDate: Date;
}

/** Task TimeoutSeconds handed to the library: longer than any run (and within setTimeout's range). */
const LIBRARY_TASK_TIMEOUT_SECONDS = 2_000_000;
/** Most branches aws-local-stepfunctions runs at once in one Parallel state (its DEFAULT_CONCURRENCY). */
export const LIBRARY_PARALLEL_BRANCHES = 40;
/** What `$$.Task.Token` resolves to in the library; each gate puts a token of its own in its place. */
const TOKEN_PLACEHOLDER = 'kedro-aws-local-task-token';
/** The Lambda timeout of a gate's function call (it stores a token and returns, in well under a second). */
const GATE_FUNCTION_TIMEOUT_SECONDS = 300;
/** The variable that points the group processes' Step Functions calls at the executor (botocore reads it too). */
export const SFN_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SFN';

/** A Task's failure as the state machine sees it: `name` is the error Retry and Catch match. */
export class GroupFailure extends Error {
  constructor(
    readonly group: string,
    readonly error: string,
    readonly causeText: string,
  ) {
    super(causeText);
    this.name = error;
  }
}

interface TaskInfo {
  readonly state: string;
  readonly resource: string;
  readonly timeoutSeconds: number | undefined;
}

type AnyState = {
  Type?: string;
  Resource?: string;
  TimeoutSeconds?: number;
  ResultPath?: unknown;
  End?: boolean;
  Next?: string;
  Branches?: { StartAt?: string; States?: Record<string, AnyState> }[];
  Iterator?: { States?: Record<string, AnyState> };
  ItemProcessor?: { States?: Record<string, AnyState> };
};

/** Every Task state of a definition, nested ones included, in the order of the JSON. */
export function taskStates(definition: object): TaskInfo[] {
  const found: TaskInfo[] = [];
  const walk = (states: Record<string, AnyState> | undefined) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      if (state.Type === 'Task') {
        found.push({ state: name, resource: state.Resource ?? '', timeoutSeconds: state.TimeoutSeconds });
      }
      for (const branch of state.Branches ?? []) walk(branch.States);
      walk(state.Iterator?.States);
      walk(state.ItemProcessor?.States);
    }
  };
  walk((definition as { States?: Record<string, AnyState> }).States);
  return found;
}

/**
 * The copy of the definition the library gets (see the module comment): the Tasks' own timers never
 * fire first, and a Parallel state of more than {@link LIBRARY_PARALLEL_BRANCHES} branches becomes
 * nested Parallel states of at most that many (only where its output is dropped, `ResultPath: null`,
 * as in every definition of this action: nesting changes the shape of the output, not the waiting).
 */
export function forTheLibrary(definition: object): LibraryDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as { States?: Record<string, AnyState> };
  let splits = 0;
  const split = (branches: NonNullable<AnyState['Branches']>): NonNullable<AnyState['Branches']> => {
    if (branches.length <= LIBRARY_PARALLEL_BRANCHES) return branches;
    const size = Math.ceil(branches.length / LIBRARY_PARALLEL_BRANCHES);
    const parts: NonNullable<AnyState['Branches']> = [];
    for (let i = 0; i < branches.length; i += size) {
      splits += 1;
      const name = `Local split ${splits}`;
      const part: AnyState = { Type: 'Parallel', Branches: branches.slice(i, i + size), ResultPath: null, End: true };
      parts.push({ StartAt: name, States: { [name]: part } });
    }
    return split(parts);
  };
  const walk = (states: Record<string, AnyState> | undefined) => {
    for (const state of Object.values(states ?? {})) {
      if (state.Type === 'Task') state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
      for (const branch of state.Branches ?? []) walk(branch.States);
      if (state.Type === 'Parallel' && state.Branches && state.ResultPath === null) {
        state.Branches = split(state.Branches);
      }
      walk(state.Iterator?.States);
      walk(state.ItemProcessor?.States);
    }
  };
  walk(copy.States);
  return copy as unknown as LibraryDefinition;
}

/** `value` with every string equal to `placeholder` replaced by `token`. */
function withToken(value: unknown, placeholder: string, token: string): unknown {
  if (value === placeholder) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, placeholder, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, placeholder, token)]));
  }
  return value;
}

/** The group a gate's payload names (`{gate: {group}}`), if it names one. */
function gatedGroup(payload: unknown): string | undefined {
  const gate = (payload as { gate?: { group?: unknown } } | null)?.gate;
  return typeof gate?.group === 'string' ? gate.group : undefined;
}

/** A counting semaphore: at most `size` holders. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, Math.floor(size));
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

function defaultConcurrency(): number {
  const available = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, available);
}

/** The Lambda timeout of a Task: what `deploy` set, i.e. its TimeoutSeconds minus the margin it added. */
export function functionTimeoutSeconds(taskTimeoutSeconds: number | undefined): number {
  if (taskTimeoutSeconds === undefined) return 900;
  const lambda = taskTimeoutSeconds - TASK_TIMEOUT_MARGIN_SECONDS;
  return lambda > 0 ? lambda : taskTimeoutSeconds;
}

/** The cause recorded for a failed group: the exception's message, then the last lines it logged. */
function causeOf(outcome: Extract<InvokeOutcome, { ok: false }>): string {
  const lines = [outcome.errorMessage];
  if (outcome.logTail.length > 0) lines.push('', "Last lines of the group's log:", ...outcome.logTail);
  return lines.join('\n');
}

/** The Lambda event and the invoke's result shape for a Task's resource. */
function invocation(
  resource: string,
  input: unknown,
): { functionName: string; payload: unknown; wrap: (payload: unknown) => unknown } | undefined {
  if (resource === LAMBDA_INVOKE_RESOURCE || resource === LAMBDA_CALLBACK_RESOURCE) {
    const parameters = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
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
export async function runLocally(options: RunLocallyOptions): Promise<LocalExecutionResult> {
  const log = options.log ?? ((line: string) => core.info(line));
  const tasks = taskStates(options.definition);
  const groups: Record<string, LocalGroupRecord> = {};
  const gates: Record<string, LocalGateRecord> = {};
  for (const task of tasks) {
    if (task.resource === LAMBDA_CALLBACK_RESOURCE) continue;
    groups[options.groupOfState.get(task.state) ?? task.state] = { status: 'NOT_STARTED', attempts: 0 };
  }
  const slots = new Slots(options.maxConcurrency ?? defaultConcurrency());
  const actionPythonDir = options.actionPythonDir ?? pythonDir();
  const stop = new AbortController();
  // Every running invocation listens to it: a wide DAG has more than the default 10 at once.
  setMaxListeners(0, stop.signal);
  const running = new Set<Promise<unknown>>();
  // The functions' containers, kept warm between invocations as Lambda keeps them (a gate's function
  // is its group's: the group then starts warm).
  const containers = new LambdaPool();
  let ended = false;
  // Gates: the executor's own Step Functions endpoint for their callbacks.
  const callbacks = tasks.some((t) => t.resource === LAMBDA_CALLBACK_RESOURCE) ? new CallbackServer() : undefined;
  const sfnEndpoint = callbacks ? await callbacks.start() : undefined;
  const processEnv = async (): Promise<NodeJS.ProcessEnv | undefined> => {
    const extra = typeof options.env === 'function' ? await options.env() : options.env;
    return sfnEndpoint ? { ...extra, [SFN_ENDPOINT_ENV]: sfnEndpoint } : extra;
  };

  const transition = (t: LocalTransition) => {
    try {
      options.onTransition?.(t);
    } catch (error) {
      core.warning(`onTransition failed: ${(error as Error).message}`);
    }
  };

  const handlerFor =
    (task: TaskInfo) =>
    async (input: unknown): Promise<never> => {
      const group = options.groupOfState.get(task.state) ?? task.state;
      const job = task.resource === SAGEMAKER_TRAINING_RESOURCE ? (input as TrainingJobRequest) : undefined;
      const call = job ? undefined : invocation(task.resource, input);
      if (!job && !call) {
        throw new GroupFailure(
          group,
          'States.Runtime',
          `the local executor runs Lambda and SageMaker Tasks only; state "${task.state}" has resource ${task.resource}`,
        );
      }
      const entered = new Date();
      await slots.acquire();
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
          log: (line: string) => log(`[${group}] ${line}`),
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
          : trainLocally({ ...common, request: job ?? {} });
        running.add(work);
        let outcome: InvokeOutcome;
        try {
          outcome = await work;
        } finally {
          running.delete(work);
        }
        record.end = new Date();
        record.start ??= record.end;
        if (outcome.maxMemoryUsedMb !== undefined) record.maxMemoryUsedMb = outcome.maxMemoryUsedMb;
        if (outcome.ok) {
          record.status = 'SUCCEEDED';
          record.result = outcome.payload;
          delete record.error;
          delete record.cause;
          transition({ group, status: 'SUCCEEDED', at: record.end, maxMemoryUsedMb: outcome.maxMemoryUsedMb });
          return (call ? call.wrap(outcome.payload) : outcome.payload) as never;
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
      } finally {
        slots.release();
      }
    };

  /** A gate: its function in gate mode (a process, in a slot), then the wait for its token (no slot). */
  const gateFor =
    (task: TaskInfo) =>
    async (input: unknown): Promise<never> => {
      const call = invocation(task.resource, input) as NonNullable<ReturnType<typeof invocation>>;
      const group = gatedGroup(call.payload) ?? options.groupOfState.get(task.state) ?? task.state;
      const server = callbacks as CallbackServer;
      const { token, outcome } = server.mint();
      const gate: LocalGateRecord = { entered: new Date() };
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
        let invoked: InvokeOutcome;
        try {
          invoked = await work;
        } finally {
          running.delete(work);
        }
        if (!invoked.ok) {
          // As on AWS: the function's error fails the gate's Task (a service error may be retried).
          server.settle(token, { kind: 'failure', error: invoked.errorType, cause: invoked.errorMessage });
          throw new GroupFailure(group, invoked.errorType, causeOf(invoked));
        }
        gate.stored = new Date();
      } finally {
        slots.release();
      }
      const seconds = task.timeoutSeconds ?? LIBRARY_TASK_TIMEOUT_SECONDS;
      const timer = setTimeout(
        () =>
          server.settle(token, {
            kind: 'failure',
            error: 'States.Timeout',
            cause: `the gate of group "${group}" was not opened within its ${seconds} s (TimeoutSeconds)`,
          }),
        Math.min(seconds, LIBRARY_TASK_TIMEOUT_SECONDS) * 1000,
      );
      const settled = await outcome.finally(() => clearTimeout(timer));
      if (settled.kind === 'success') {
        gate.opened = settled.at;
        const by = (settled.output as { opened_by?: unknown } | null)?.opened_by;
        if (typeof by === 'string') gate.openedBy = by;
      }
      if (settled.kind === 'failure') {
        throw new GroupFailure(group, settled.error || 'States.TaskFailed', settled.cause);
      }
      return settled.output as never;
    };

  const overrides = Object.fromEntries(
    tasks.map((task) => [task.state, task.resource === LAMBDA_CALLBACK_RESOURCE ? gateFor(task) : handlerFor(task)]),
  );
  const machine = new StateMachine(forTheLibrary(options.definition), {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const startDate = new Date();
  const execution = machine.run(options.input as unknown as Parameters<StateMachine['run']>[0], {
    overrides: { taskResourceLocalHandlers: overrides as never },
    context: { Task: { Token: TOKEN_PLACEHOLDER } },
  });
  void drainEvents(execution.eventLogs, options.groupOfState, log);
  const onAbort = () => {
    stop.abort();
    execution.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let status: LocalExecutionResult['status'] = 'SUCCEEDED';
  let failure: Failure | undefined;
  try {
    await execution.result;
  } catch (error) {
    if (error instanceof ExecutionAbortedError || stop.signal.aborted) {
      status = 'ABORTED';
      failure = { group: undefined, error: 'States.Aborted', cause: 'the local execution was aborted' };
    } else {
      status = 'FAILED';
      const reason = error instanceof ExecutionError ? (error.cause as Error | undefined) : (error as Error);
      if (reason instanceof GroupFailure) {
        failure = { group: reason.group, error: reason.error, cause: reason.causeText };
      } else {
        // Not a group's error (a path that selects nothing, ...): the state machine's own.
        failure = {
          group: undefined,
          error: reason?.name ?? 'States.Runtime',
          cause: reason?.message ?? String(error),
        };
      }
    }
  } finally {
    ended = true;
    options.signal?.removeEventListener('abort', onAbort);
    // Gates still waiting belong to branches the failure (or the abort) stopped.
    await callbacks?.close({ kind: 'failure', error: 'States.Aborted', cause: 'the execution ended' });
  }
  // Groups still running (siblings of a failed branch) end as their Lambda would: let them finish.
  while (running.size > 0) await Promise.allSettled([...running]);
  containers.close();
  return { status, ...(failure ? { failure } : {}), groups, gates, startDate, stopDate: new Date() };
}

/** Logs what the event log shows that the groups' own transitions do not (retries). */
async function drainEvents(
  events: AsyncIterable<{ type: string; state?: { name: string }; retry?: { attempt: number } }>,
  groupOfState: ReadonlyMap<string, string>,
  log: (line: string) => void,
): Promise<void> {
  try {
    for await (const event of events) {
      if (event.type === 'StateRetried' && event.state) {
        const group = groupOfState.get(event.state.name) ?? event.state.name;
        log(`[${group}] retried (attempt ${(event.retry?.attempt ?? 0) + 1})`);
      }
    }
  } catch {
    // the event log ends with the execution
  }
}
