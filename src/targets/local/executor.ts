/**
 * `executor: local`: the state machine that `deploy` creates, executed on the runner. The definition is
 * walked by aws-local-stepfunctions (the Amazon States Language: Parallel branches run concurrently,
 * Retry and Catch apply as on AWS, a failed branch fails its Parallel state and the execution); each
 * Task is overridden by an emulated Lambda invoke (see lambda.ts): one fresh Python process per group,
 * in a sandbox of its own, given the very event Step Functions would send (the Task's `Parameters`
 * resolved against the execution input). A SageMaker group's Task runs its training job's command the
 * same way (see sagemaker.ts), its max runtime enforced.
 *
 * Differences from AWS, on purpose:
 * - At most `maxConcurrency` group processes run at once (default: the runner's CPUs); a group waiting
 *   for a slot has not started. The library's own Task timer would count that wait, so it is given a
 *   copy of the definition with the Tasks' TimeoutSeconds out of the way, and the group's Lambda timeout
 *   (`TimeoutSeconds` minus the margin `deploy` adds) is enforced from the moment its process starts.
 * - When the execution fails, groups already running are let finish (their Lambda would, on AWS) and
 *   their outcome recorded; no other group starts.
 */
import './polyfill';
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
import { LAMBDA_INVOKE_RESOURCE, TASK_TIMEOUT_MARGIN_SECONDS } from '../../plan/statemachine';
import type { Failure, GroupTransition } from '../../report/progress';
import { type InvokeOutcome, invokeLocally } from './lambda';
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
  image: { site: string; taskRoot: string; packageName: string };
  /** Group of each Task state (state name → Kedro group name). */
  groupOfState: ReadonlyMap<string, string>;
  /** Each group starting, succeeding or failing, as it happens. */
  onTransition?: (transition: GroupTransition) => void;
  /**
   * Variables added to every group process (AWS_ENDPOINT_URL, credentials, ...); a function is called
   * as each process starts (fresh credentials for a long run).
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

export type LocalGroupStatus = 'NOT_STARTED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface LocalGroupRecord {
  status: LocalGroupStatus;
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
}

export interface LocalExecutionResult {
  /** SUCCEEDED, FAILED, or ABORTED (the signal). */
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** What failed the execution: the first group that failed, its error and cause. */
  failure?: Failure;
  /** Every group of `groupOfState`, in the order of the definition. */
  groups: Record<string, LocalGroupRecord>;
  startDate: Date;
  stopDate: Date;
}

/** Task TimeoutSeconds handed to the library: longer than any run (and within setTimeout's range). */
const LIBRARY_TASK_TIMEOUT_SECONDS = 2_000_000;

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
  Branches?: { States?: Record<string, AnyState> }[];
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

/** A copy of the definition whose Tasks' own timers never fire first (see the module comment). */
function withoutTaskTimers(definition: object): LibraryDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as { States?: Record<string, AnyState> };
  const walk = (states: Record<string, AnyState> | undefined) => {
    for (const state of Object.values(states ?? {})) {
      if (state.Type === 'Task') state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
      for (const branch of state.Branches ?? []) walk(branch.States);
      walk(state.Iterator?.States);
      walk(state.ItemProcessor?.States);
    }
  };
  walk(copy.States);
  return copy as unknown as LibraryDefinition;
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
  if (resource === LAMBDA_INVOKE_RESOURCE) {
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
  for (const task of tasks)
    groups[options.groupOfState.get(task.state) ?? task.state] = { status: 'NOT_STARTED', attempts: 0 };
  const slots = new Slots(options.maxConcurrency ?? defaultConcurrency());
  const actionPythonDir = options.actionPythonDir ?? pythonDir();
  const stop = new AbortController();
  const running = new Set<Promise<unknown>>();
  let ended = false;

  const transition = (t: GroupTransition) => {
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
      await slots.acquire();
      try {
        if (ended || stop.signal.aborted) {
          // The execution is over (a branch failed, or it was aborted): nothing new starts.
          throw new GroupFailure(group, 'States.Aborted', 'not started: the execution had already ended');
        }
        const record = groups[group] ?? (groups[group] = { status: 'NOT_STARTED', attempts: 0 });
        const extraEnv = typeof options.env === 'function' ? await options.env() : options.env;
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
          ? invokeLocally({
              ...common,
              functionName: call.functionName,
              payload: call.payload,
              timeoutSeconds: functionTimeoutSeconds(task.timeoutSeconds),
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
        if (outcome.ok) {
          record.status = 'SUCCEEDED';
          record.result = outcome.payload;
          delete record.error;
          delete record.cause;
          transition({ group, status: 'SUCCEEDED', at: record.end });
          return (call ? call.wrap(outcome.payload) : outcome.payload) as never;
        }
        const cause = causeOf(outcome);
        record.status = 'FAILED';
        record.error = outcome.errorType;
        record.cause = cause;
        transition({ group, status: 'FAILED', at: record.end, error: outcome.errorType, cause });
        throw new GroupFailure(group, outcome.errorType, cause);
      } finally {
        slots.release();
      }
    };

  const overrides = Object.fromEntries(tasks.map((task) => [task.state, handlerFor(task)]));
  const machine = new StateMachine(withoutTaskTimers(options.definition), {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const startDate = new Date();
  const execution = machine.run(options.input as unknown as Parameters<StateMachine['run']>[0], {
    overrides: { taskResourceLocalHandlers: overrides as never },
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
  }
  // Groups still running (siblings of a failed branch) end as their Lambda would: let them finish.
  while (running.size > 0) await Promise.allSettled([...running]);
  return { status, ...(failure ? { failure } : {}), groups, startDate, stopDate: new Date() };
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
