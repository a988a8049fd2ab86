/**
 * The deployment plan → an Amazon States Language definition for Step Functions (standard workflow).
 *
 * Shape. Every group is one Task state. Their order comes from a schedule (see `spschedule.ts`):
 * a sequence becomes a chain of states (`Next`), a parallel block a Parallel state whose branches
 * are chains. With `schedule: 'dag'` a group waits for its dependencies and, only where the group
 * graph is not series-parallel, for a few more groups (each such extra wait is listed in
 * `stats.syncPoints` with its reason); it never waits for more than the level-by-level schedule
 * would make it wait for. `schedule: 'levels'` is the Kedro guides' shape (one Parallel state per
 * dependency level, chained), kept to compare against.
 *
 * Gates (`schedule: 'exact'`). Where the group graph is not series-parallel, a group with two or more
 * dependencies there starts a branch of its own behind a gate: a callback Task
 * (`lambda:invoke.waitForTaskToken`) that invokes a function of the stage in gate mode (the payload's
 * `gate`: the group, the groups it waits for, the run id and the task token), which stores the token
 * under the stage's run records and returns at once. Each group that such a gate waits for gets the
 * gated groups in its payload (`release`; a Batch or SageMaker group in its job's environment, {@link RELEASE_ENV}):
 * when it has run, its runtime marks it done there and sends SendTaskSuccess to every gate whose
 * groups are all done. Both sides write first and read second (S3 is strongly consistent), so the
 * last of them to write always sees the others and no wake-up is lost; a duplicate SendTaskSuccess is
 * refused by Step Functions (TaskTimedOut) and ignored. A failing group fails its branch, and so the
 * Parallel state and every gate still waiting. A gate times out when its groups cannot all have
 * finished any more: the longest chain of Task timeouts (retries included) before it, plus
 * {@link GATE_MARGIN_SECONDS}. A series-parallel graph gets no gate: `exact` is then `dag`.
 *
 * Data flow. The execution input is `{ "run_id": ..., "runtime_params": {...} }`. Every state has
 * `ResultPath: null`, so it passes its input on untouched and every Task reads the same `$.run_id`
 * and `$.runtime_params` (a Parallel state's output would otherwise be an array of its branches'
 * outputs). The Lambda payload is `{ group, type, nodes, env, pipeline, run_id, runtime_params }`:
 * the first five fixed at deploy time, the last two read from the execution input, which must
 * therefore always hold both (`runtime_params` may be `{}`; a missing key fails the Task).
 *
 * Failures. A Task retries only the Lambda service's own transient errors (never the function's
 * error: a failed Kedro group fails the run, and `redrive` can resume it); nothing is caught, so a
 * failure fails the execution with the group's error.
 *
 * Batch groups. A group with `compute: batch` is a `batch:submitJob.sync` Task instead: a job of the
 * stage's job definition with the group's parameters and overrides, its result dropped, and no Retry
 * (Batch's retry strategy retries a job whose infrastructure failed; see `batchTask`).
 *
 * SageMaker groups. A group with `compute: sagemaker` is a `sagemaker:createTrainingJob.sync` Task: a
 * training job of the same image running the group entry (see sagemaker.ts), its result dropped, and
 * no Retry (the job's RetryStrategy retries what SageMaker's infrastructure failed).
 *
 * Quotas (Step Functions, standard workflows): a definition of at most 1,048,576 bytes (UTF-8 of the
 * JSON sent), at most 25,000 events in one execution's history, at most 262,144 bytes of input to a
 * state. See {@link HISTORY_EVENTS} for how the history is estimated.
 *
 * Pure: no I/O.
 */
import { groupJobParameters, INFRASTRUCTURE_RETRY } from './batch';
import { RELEASE_ENV } from './environment';
import { PlanningError, quote, quoteList } from './errors';
import { nameHash } from './names';
import type { DeploymentPlan, PlannedGroup } from './planner';
import {
  SAGEMAKER_TRAINING_RESOURCE,
  type SageMakerOptions,
  sagemakerTaskTimeoutSeconds,
  trainingJobParameters,
} from './sagemaker';
import {
  type Barrier,
  dagSchedule,
  exactSchedule,
  type Gate,
  levelSchedule,
  type NShape,
  type Schedule,
  type ScheduleNode,
} from './spschedule';

/** How the groups are ordered in the state machine (the kinds are the values of the `schedule` input). */
export { SCHEDULES, type ScheduleChoice, type ScheduleKind } from './schedules';

import type { ScheduleChoice, ScheduleKind } from './schedules';
export const DEFAULT_SCHEDULE: ScheduleChoice = 'auto';

export interface DefinitionOptions {
  /**
   * `exact`: every group starts when its last dependency ends (gates where the graph is not
   * series-parallel); `dag`: waiting follows the group graph, nesting only; `levels`: one Parallel state
   * per dependency level; `auto`: `exact`, or `dag` where `exact` cannot be made (`fallback` says why).
   * Default {@link DEFAULT_SCHEDULE}.
   */
  readonly schedule?: ScheduleChoice;
  /** ARN (or name) of the Lambda function that runs a group. Called once per Lambda group. */
  readonly functionArn: (group: PlannedGroup) => string;
  /**
   * Schedule `exact`: the function that opens the gates of Batch groups (a Lambda group's gate runs on
   * the group's own function). Any function of the stage does: a gate only reads and writes the run
   * records and calls Step Functions. Required when a Batch group is gated.
   */
  readonly gateFunctionArn?: string;
  /** Kedro conf environment the groups run with (the `env` of the payload). */
  readonly env: string;
  /** Python package of the Kedro project (named in the definition's Comment). */
  readonly packageName: string;
  /**
   * Where groups with `compute: batch` run: the job queue (the `batch-job-queue` input) and the job
   * definition deploy registered (ARN with its revision). Required when the plan has such groups.
   */
  readonly batch?: { readonly jobQueue: string; readonly jobDefinition: string };
  /**
   * Where groups with `compute: sagemaker` run: the role, the image, the output location, the
   * environment and the tags of their training jobs. Required when the plan has such groups.
   */
  readonly sagemaker?: SageMakerOptions;
}

/** An extra wait: `waiter` starts only after `waitsFor` has finished, although it does not depend on it. */
export interface SyncPoint {
  /** Kedro name of the group that waits. */
  readonly waiter: string;
  /** Kedro name of the group it waits for. */
  readonly waitsFor: string;
  /** Why, in a sentence (shared by every extra wait at the same barrier). */
  readonly reason: string;
}

export interface DefinitionStats {
  /** Size of `json` in bytes (UTF-8): what the 1 MiB quota counts. */
  readonly bytes: number;
  /** Every state, nested ones included. */
  readonly states: number;
  /** Task states of groups (gates not included). */
  readonly tasks: number;
  readonly parallels: number;
  /** Gates (callback Task states) of schedule `exact`: one Lambda invocation each per run. */
  readonly gates: number;
  /** History events of an execution where every Task succeeds at its first attempt. */
  readonly estimatedHistoryEvents: number;
  /** History events if every Task also used all of its service-error retries (not refused on). */
  readonly worstCaseHistoryEvents: number;
  /**
   * The extra waits that the dependencies do not imply and that no other extra wait implies, with
   * why each was needed. Empty for a series-parallel group graph with `schedule: 'dag'`.
   */
  readonly syncPoints: readonly SyncPoint[];
  /** Every "X waits for Y" pair of the definition where Y is not a dependency (direct or not) of X. */
  readonly extraWaits: number;
}

/** An Amazon States Language definition (the top-level object). */
export interface StateMachineDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

/** The states this module produces. */
export type AslState = TaskState | ParallelState;

export interface TaskState {
  readonly Type: 'Task';
  readonly Comment?: string;
  readonly Resource: string;
  readonly Parameters: Record<string, unknown>;
  readonly ResultPath: null;
  readonly TimeoutSeconds: number;
  /** Absent on Batch and SageMaker tasks: the service retries a job itself (a Step Functions retry would start a second job). */
  readonly Retry?: readonly RetryRule[];
  readonly Next?: string;
  readonly End?: true;
}

export interface ParallelState {
  readonly Type: 'Parallel';
  readonly Comment?: string;
  readonly Branches: readonly { readonly StartAt: string; readonly States: Record<string, AslState> }[];
  readonly ResultPath: null;
  readonly Next?: string;
  readonly End?: true;
}

export interface RetryRule {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: 'FULL' | 'NONE';
}

export interface BuiltDefinition {
  readonly definition: StateMachineDefinition;
  /** The definition as sent to Step Functions (compact JSON). */
  readonly json: string;
  readonly stats: DefinitionStats;
  /** The shape it has (what `auto` resolved to). */
  readonly schedule: ScheduleKind;
  /** Schedule `auto` only: why it is `dag` and not `exact` (the problems `exact` met). */
  readonly fallback?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Limits and constants.

/** Step Functions quota: largest state machine definition, in bytes. */
export const MAX_DEFINITION_BYTES = 1_048_576;
/** Step Functions quota (standard workflows): events in one execution's history. */
export const MAX_HISTORY_EVENTS = 25_000;
/** Step Functions quota: input or output of a state or task, in bytes (UTF-8). */
export const MAX_STATE_PAYLOAD_BYTES = 262_144;
/** AWS limit on state names. */
export const MAX_STATE_NAME_LENGTH = 80;

/** Service integration used to run a Lambda group (synchronous invoke, returns the function's result). */
export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** Service integration of a gate: invoke a function and wait until SendTaskSuccess names the token. */
export const LAMBDA_CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Service integration used to run a Batch group (submit the job and wait for it to end). */
export const BATCH_SUBMIT_JOB_RESOURCE = 'arn:aws:states:::batch:submitJob.sync';

/**
 * Seconds a Batch Task may wait beyond its attempts' own timeouts: the job's time in the queue
 * (RUNNABLE until there is capacity) and its start. Past it the Task fails with `States.Timeout` and
 * Step Functions terminates the job, instead of a run waiting forever on a queue without capacity.
 */
export const BATCH_TASK_QUEUE_SECONDS = 3600;

/**
 * Errors of the Lambda service itself (the invoke did not get to run the group, or was throttled),
 * the only ones retried. The function's own errors (a Kedro node raising) are not: retrying a group
 * that failed on its data would only fail again, later. The first four are the transient service
 * errors AWS's guidance says to retry ("Handle Lambda service exceptions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html);
 * `Lambda.TooManyRequestsException` is the throttling error of the same page.
 */
export const LAMBDA_SERVICE_ERRORS: readonly string[] = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Retry of Lambda service errors: 2, 4, 8, ... s (full jitter, at most 60 s), 6 retries. */
export const LAMBDA_SERVICE_RETRY: RetryRule = {
  ErrorEquals: LAMBDA_SERVICE_ERRORS,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/**
 * Seconds a Task waits on top of the group's Lambda timeout before Step Functions gives up on it
 * (`States.Timeout`): the function times out first, with its own, clearer error; the margin covers
 * a cold start of the image and a throttled invoke.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 60;

/**
 * History events per state, for the quota estimate (standard workflows). The event types are those
 * of `GetExecutionHistory` (AWS API reference, `HistoryEvent.type`); the counts are what one state
 * records when it succeeds:
 *
 * - execution: `ExecutionStarted`, `ExecutionSucceeded`;
 * - Task with a request-response integration (`lambda:invoke`): `TaskStateEntered`, `TaskScheduled`,
 *   `TaskStarted`, `TaskSucceeded`, `TaskStateExited`;
 * - Task with a `.sync` integration (a Batch or SageMaker group) or a `.waitForTaskToken` one (a
 *   gate): the same plus `TaskSubmitted`;
 * - Parallel: `ParallelStateEntered`, `ParallelStateStarted`, `ParallelStateSucceeded`,
 *   `ParallelStateExited`;
 * - each retried attempt of a Task: `TaskScheduled`, `TaskStarted`, `TaskFailed` again.
 *
 * The refusal uses the success path (each Task once): retries of Lambda service errors are rare and
 * counting all of them (6 per Task) would refuse plans whose runs fit with room to spare. The worst
 * case is reported beside it.
 */
export const HISTORY_EVENTS = {
  execution: 2,
  lambdaTask: 5,
  syncTask: 6,
  callbackTask: 6,
  parallel: 4,
  retryAttempt: 3,
} as const;

/** Seconds a gate waits beyond the longest its groups can take: the release's own calls, and a slow invoke. */
export const GATE_MARGIN_SECONDS = 300;
/** Longest TimeoutSeconds a gate gets: a standard workflow's execution lasts at most one year. */
export const MAX_GATE_TIMEOUT_SECONDS = 31_536_000;

// ---------------------------------------------------------------------------------------------
// Tasks.

interface TaskContext {
  readonly options: DefinitionOptions;
  /** The Kedro pipeline the groups belong to (the handler runs the group within it). */
  readonly pipeline: string;
}

/** The Task state of one group (without Next/End); `release`: the gated groups it opens when it ends. */
function groupTask(group: PlannedGroup, context: TaskContext, release: readonly string[]): TaskState {
  switch (group.settings.compute) {
    case 'lambda':
      return lambdaTask(group, context, release);
    case 'batch':
      return batchTask(group, context, release);
    case 'sagemaker':
      return sagemakerTask(group, context, release);
  }
}

/** A SageMaker group: create a training job of the stage's image and wait for it (see sagemaker.ts). */
function sagemakerTask(group: PlannedGroup, { options, pipeline }: TaskContext, release: readonly string[]): TaskState {
  const sagemaker = options.sagemaker;
  if (!sagemaker) throw new PlanningError([sagemakerProblem([group.name])]);
  return {
    Type: 'Task',
    Resource: SAGEMAKER_TRAINING_RESOURCE,
    Parameters: trainingJobParameters(group, sagemaker, { env: options.env, pipeline }, release),
    ResultPath: null,
    TimeoutSeconds: sagemakerTaskTimeoutSeconds(group.settings),
  };
}

function sagemakerProblem(groups: readonly string[]): string {
  const which = groups.length === 1 ? `group ${quoteList(groups)} has` : `groups ${quoteList(groups)} have`;
  return (
    `${which} \`compute: sagemaker\`, so the state machine needs the IAM role SageMaker runs ` +
    `${groups.length === 1 ? 'its job' : 'their jobs'} as: give the \`sagemaker-role-arn\` input (the bootstrap ` +
    "stack's SageMakerRoleArn output), or set another compute for them (in conf/<env>/kedro_aws.yml or the " +
    '`group-settings` input).'
  );
}

/**
 * A Batch group: submit a job of the stage's job definition and wait for it (`submitJob.sync`). The
 * job gets the same Batch parameters as a job of the Batch target (src/plan/batch.ts), the run's
 * `run_id` and `runtime_params` (as JSON text) from the execution input, and the group's settings as
 * overrides. Its result is dropped (`ResultPath: null`). No Retry: Batch's retry strategy retries the
 * job when the infrastructure failed it; a Step Functions retry would submit a second job.
 */
function batchTask(group: PlannedGroup, { options, pipeline }: TaskContext, release: readonly string[]): TaskState {
  const batch = options.batch;
  if (!batch) throw new PlanningError([batchProblem([group.name])]);
  const s = group.settings;
  const attempts = s.retries + 1;
  return {
    Type: 'Task',
    Resource: BATCH_SUBMIT_JOB_RESOURCE,
    Parameters: {
      JobName: group.names.batchJob,
      JobQueue: batch.jobQueue,
      JobDefinition: batch.jobDefinition,
      Parameters: {
        ...groupJobParameters(group, options.env, pipeline),
        'run_id.$': '$.run_id',
        'runtime_params.$': 'States.JsonToString($.runtime_params)',
      },
      ContainerOverrides: {
        ResourceRequirements: [
          { Type: 'VCPU', Value: String(s.vcpus) },
          { Type: 'MEMORY', Value: String(s.memory_mb) },
        ],
        ...(release.length > 0 ? { Environment: [{ Name: RELEASE_ENV, Value: JSON.stringify(release) }] } : {}),
      },
      Timeout: { AttemptDurationSeconds: s.timeout_seconds },
      RetryStrategy: {
        Attempts: attempts,
        EvaluateOnExit: INFRASTRUCTURE_RETRY.map((e) => ({
          Action: e.action,
          ...(e.onStatusReason === undefined ? {} : { OnStatusReason: e.onStatusReason }),
          ...(e.onReason === undefined ? {} : { OnReason: e.onReason }),
          ...(e.onExitCode === undefined ? {} : { OnExitCode: e.onExitCode }),
        })),
      },
    },
    ResultPath: null,
    TimeoutSeconds: attempts * (s.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS) + BATCH_TASK_QUEUE_SECONDS,
  };
}

function lambdaTask(group: PlannedGroup, { options, pipeline }: TaskContext, release: readonly string[]): TaskState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: options.functionArn(group),
      Payload: {
        group: group.name,
        type: group.type,
        nodes: [...group.nodes],
        env: options.env,
        pipeline,
        ...(release.length > 0 ? { release: [...release] } : {}),
        'run_id.$': '$.run_id',
        'runtime_params.$': '$.runtime_params',
      },
    },
    ResultPath: null,
    TimeoutSeconds: group.settings.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS,
    Retry: [LAMBDA_SERVICE_RETRY],
  };
}

/** The longest a group's Task can take, every attempt and retry delay included (what a gate after it allows for). */
function worstTaskSeconds(group: PlannedGroup, task: TaskState): number {
  if (group.settings.compute === 'batch') return task.TimeoutSeconds;
  const retry = LAMBDA_SERVICE_RETRY;
  return task.TimeoutSeconds * (1 + retry.MaxAttempts) + retry.MaxDelaySeconds * retry.MaxAttempts;
}

/** A gate's state name: the group's state name after "Gate " (the space keeps it apart from any group's). */
export function gateStateName(groupState: string): string {
  const name = `Gate ${groupState}`;
  if (name.length <= MAX_STATE_NAME_LENGTH) return name;
  const hash = nameHash([groupState]);
  return `Gate ${groupState.slice(0, MAX_STATE_NAME_LENGTH - 'Gate '.length - hash.length - 1)}-${hash}`;
}

/** The callback Task before a gated group (without Next): see "Gates" in the module comment. */
function gateTask(
  group: PlannedGroup,
  after: readonly string[],
  functionArn: string,
  timeoutSeconds: number,
): TaskState {
  return {
    Type: 'Task',
    Comment: `Opens when ${quotedList(after)} have all finished: the last of them to end sends the task token back.`,
    Resource: LAMBDA_CALLBACK_RESOURCE,
    Parameters: {
      FunctionName: functionArn,
      Payload: {
        gate: {
          group: group.name,
          after: [...after],
          'run_id.$': '$.run_id',
          'token.$': '$$.Task.Token',
        },
      },
    },
    ResultPath: null,
    TimeoutSeconds: timeoutSeconds,
    Retry: [LAMBDA_SERVICE_RETRY],
  };
}

function batchProblem(groups: readonly string[]): string {
  const which = groups.length === 1 ? `group ${quoteList(groups)} has` : `groups ${quoteList(groups)} have`;
  return (
    `${which} \`compute: batch\`, so the state machine needs an AWS Batch job queue and job definition for ` +
    `${groups.length === 1 ? 'it' : 'them'}: Batch groups arrive with the Batch target's settings (give the ` +
    '`batch-job-queue` and `batch-job-role-arn` inputs, and deploy registers the job definition), or set ' +
    '`compute: lambda` for them (in conf/<env>/kedro_aws.yml or the `group-settings` input).'
  );
}

// ---------------------------------------------------------------------------------------------
// Emitting the structure.

function quotedList(names: readonly string[], max = 6): string {
  if (names.length <= max) return quoteList(names);
  return `${names
    .slice(0, max)
    .map((n) => quote(n))
    .join(', ')} and ${names.length - max} more`;
}

/** Why the waits at one barrier were added, in a sentence (the same for every wait at that barrier). */
function barrierReason(schedule: Schedule, barrier: Barrier, witness: NShape | null): string {
  const name = (i: number): string => quote(schedule.names[i]);
  if (barrier.kind === 'level') {
    return (
      `schedule "levels" starts dependency level ${barrier.level} only when all of level ` +
      `${barrier.level - 1} has finished.`
    );
  }
  const groups = quotedList(barrier.groups.map((i) => schedule.names[i] as string));
  let why = 'they do not form a series-parallel graph, which nested sequences and Parallel states cannot express';
  if (witness) {
    const [a, b, c, d] = witness;
    why =
      `${name(c)} needs ${name(a)} and ${name(b)} while ${name(d)} needs ${name(b)} but not ${name(a)}, ` +
      'an N shape that nested sequences and Parallel states cannot express';
  }
  return barrier.kind === 'split'
    ? `among the groups ${groups}, ${why}; so they run in two steps, those below dependency level ` +
        `${barrier.level} first, then the others.`
    : `among the groups ${groups}, ${why}; the plan is too big to search for the best way to split them, ` +
        `so they run level by level (level ${barrier.level} after all those below it).`;
}

function barrierComment(barrier: Barrier): string {
  return barrier.kind === 'level'
    ? `Dependency level ${barrier.level}: starts when all of level ${barrier.level - 1} has finished.`
    : 'Synchronisation point: starts when all groups before it have finished, including some it does not ' +
        'depend on, because the group graph is not series-parallel here (see the sync points of the plan).';
}

/** What the emitter needs of a schedule's gates, by group index. */
interface GatePlan {
  /** The gate before a gated group: its state. */
  readonly gates: ReadonlyMap<number, TaskState>;
  /** The gated groups a group releases when it ends (names). */
  readonly release: ReadonlyMap<number, readonly string[]>;
}

class Emitter {
  private readonly names = new Map<ScheduleNode, string>();
  private readonly used = new Set<string>();
  parallels = 0;
  tasks = 0;
  /** Of `tasks`, those of Batch and SageMaker groups (`.sync` integrations: one more history event each). */
  batchTasks = 0;
  gates = 0;

  constructor(
    schedule: Schedule,
    private readonly groups: readonly PlannedGroup[],
    private readonly context: TaskContext,
    private readonly parallelName: (node: ScheduleNode & { kind: 'parallel' }, ordinal: number) => string,
    private readonly gatePlan: GatePlan = { gates: new Map(), release: new Map() },
  ) {
    for (const group of groups) this.claim(group.names.state);
    for (const index of this.gatePlan.gates.keys()) this.claim(this.gateName(index));
    this.nameParallels(schedule.root);
  }

  private gateName(index: number): string {
    return gateStateName((this.groups[index] as PlannedGroup).names.state);
  }

  private claim(name: string): void {
    if (name.length === 0 || name.length > MAX_STATE_NAME_LENGTH || this.used.has(name)) {
      throw new Error(`internal: state name ${quote(name)} is empty, too long or used twice`);
    }
    this.used.add(name);
  }

  /** Parallel states are numbered in reading order (top to bottom, first branch first). */
  private nameParallels(node: ScheduleNode): void {
    if (node.kind === 'task') return;
    if (node.kind === 'parallel') {
      const name = this.parallelName(node, this.names.size + 1);
      this.claim(name);
      this.names.set(node, name);
      for (const branch of node.branches) this.nameParallels(branch);
      return;
    }
    for (const step of node.steps) this.nameParallels(step);
  }

  /** Add the states of `node` to `states`, the last one going on to `next` (or ending); returns the first. */
  emit(node: ScheduleNode, states: Record<string, AslState>, next: string | null, comment?: string): string {
    const onward = next === null ? { End: true as const } : { Next: next };
    const note = comment === undefined ? {} : { Comment: comment };
    switch (node.kind) {
      case 'task': {
        const group = this.groups[node.group] as PlannedGroup;
        const { Type, ...rest } = groupTask(group, this.context, this.gatePlan.release.get(node.group) ?? []);
        const gate = this.gatePlan.gates.get(node.group);
        states[group.names.state] = { Type, ...(gate ? {} : note), ...rest, ...onward };
        this.tasks += 1;
        if (group.settings.compute !== 'lambda') this.batchTasks += 1;
        if (!gate) return group.names.state;
        const name = this.gateName(node.group);
        const { Type: gateType, Comment, ...gateRest } = gate;
        states[name] = { Type: gateType, Comment: comment ?? Comment, ...gateRest, Next: group.names.state };
        this.gates += 1;
        return name;
      }
      case 'parallel': {
        const name = this.names.get(node) as string;
        const branches = node.branches.map((branch) => {
          const branchStates: Record<string, AslState> = {};
          const start = this.emit(branch, branchStates, null);
          return { StartAt: start, States: branchStates };
        });
        states[name] = { Type: 'Parallel', ...note, Branches: branches, ResultPath: null, ...onward };
        this.parallels += 1;
        return name;
      }
      case 'sequence': {
        // Forward, so that the states appear in the JSON in the order they run.
        node.steps.forEach((step, i) => {
          const following = node.steps[i + 1];
          const barrier = i > 0 ? (node.joins[i - 1] ?? null) : null;
          const stepComment = barrier ? barrierComment(barrier) : i === 0 ? comment : undefined;
          this.emit(step, states, following ? this.startOf(following) : next, stepComment);
        });
        return this.startOf(node);
      }
    }
  }

  /** Name of the state a sub-schedule starts with. */
  private startOf(node: ScheduleNode): string {
    switch (node.kind) {
      case 'task':
        return this.gatePlan.gates.has(node.group)
          ? this.gateName(node.group)
          : (this.groups[node.group] as PlannedGroup).names.state;
      case 'parallel':
        return this.names.get(node) as string;
      case 'sequence':
        return this.startOf(node.steps[0] as ScheduleNode);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The definition.

function firstTask(node: ScheduleNode): number {
  switch (node.kind) {
    case 'task':
      return node.group;
    case 'parallel':
      return firstTask(node.branches[0] as ScheduleNode);
    case 'sequence':
      return firstTask(node.steps[0] as ScheduleNode);
  }
}

/** Problems with the Step Functions quotas, one sentence each (empty when within them). */
export function quotaProblems(
  stats: Pick<DefinitionStats, 'bytes' | 'estimatedHistoryEvents' | 'tasks' | 'parallels'> &
    Partial<Pick<DefinitionStats, 'gates'>>,
): string[] {
  const problems: string[] = [];
  const fmt = (n: number): string => n.toLocaleString('en-US');
  if (stats.bytes > MAX_DEFINITION_BYTES) {
    problems.push(
      `the state machine definition would be ${fmt(stats.bytes)} bytes, over the Step Functions limit of ` +
        `${fmt(MAX_DEFINITION_BYTES)} bytes (1 MiB) for a definition (${fmt(stats.tasks)} groups); deploy fewer, ` +
        'larger groups (pipeline-level namespaces) or a smaller pipeline (the `pipeline` input).',
    );
  }
  if (stats.estimatedHistoryEvents > MAX_HISTORY_EVENTS) {
    problems.push(
      `a run would record about ${fmt(stats.estimatedHistoryEvents)} history events ` +
        `(${fmt(stats.tasks)} Task states × ${HISTORY_EVENTS.lambdaTask}, ` +
        (stats.gates ? `${fmt(stats.gates)} gates × ${HISTORY_EVENTS.callbackTask}, ` : '') +
        `${fmt(stats.parallels)} Parallel states × ` +
        `${HISTORY_EVENTS.parallel}, and ${HISTORY_EVENTS.execution} for the execution), over the Step Functions ` +
        `limit of ${fmt(MAX_HISTORY_EVENTS)} events per execution, which would fail the run part-way; deploy fewer, ` +
        'larger groups (pipeline-level namespaces) or a smaller pipeline (the `pipeline` input).',
    );
  }
  return problems;
}

function payloadProblems(states: Record<string, AslState>): string[] {
  const problems: string[] = [];
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches) problems.push(...payloadProblems(branch.States));
      continue;
    }
    const bytes = Buffer.byteLength(JSON.stringify(state.Parameters), 'utf8');
    if (bytes > MAX_STATE_PAYLOAD_BYTES) {
      problems.push(
        `the Lambda payload of state ${quote(name)} would be ${bytes.toLocaleString('en-US')} bytes before the ` +
          `run's parameters are added, over the Step Functions limit of ${MAX_STATE_PAYLOAD_BYTES.toLocaleString('en-US')} ` +
          'bytes for a state input; split the group into smaller namespaces.',
      );
    }
  }
  return problems;
}

/**
 * The gates' states and who releases them. A gate allows for the longest its groups can take: the
 * heaviest chain of worst-case Task times (every retry included) before it, plus the margin.
 */
function planGates(groups: readonly PlannedGroup[], gates: readonly Gate[], context: TaskContext): GatePlan {
  if (gates.length === 0) return { gates: new Map(), release: new Map() };
  const index = new Map(groups.map((g, i) => [g.name, i]));
  // Latest a group can have finished after the execution started (groups come in dependency order).
  const latest: number[] = [];
  groups.forEach((group, i) => {
    const before = Math.max(0, ...group.dependencies.map((d) => latest[index.get(d) as number] as number));
    latest[i] = before + worstTaskSeconds(group, groupTask(group, context, []));
  });
  const offLambda = gates.map((g) => groups[g.group] as PlannedGroup).filter((g) => g.settings.compute !== 'lambda');
  const batchGated = offLambda.map((g) => g.name);
  const computes = [...new Set(offLambda.map((g) => g.settings.compute))].join(' or ');
  const gateFunction = context.options.gateFunctionArn;
  if (batchGated.length > 0 && !gateFunction) {
    throw new PlanningError([
      `schedule "exact" puts ${batchGated.length === 1 ? 'group' : 'groups'} ${quoteList(batchGated)} (compute: ` +
        `${computes}) behind a gate, which needs a Lambda function of the stage to open it, and the plan has no Lambda ` +
        'group; set `compute: lambda` for one group (in conf/<env>/kedro_aws.yml or the `group-settings` input), ' +
        'or use schedule "dag".',
    ]);
  }
  const states = new Map<number, TaskState>();
  const release = new Map<number, string[]>();
  for (const gate of gates) {
    const group = groups[gate.group] as PlannedGroup;
    const after = gate.after.map((i) => (groups[i] as PlannedGroup).name);
    const waitAtMost = Math.max(...gate.after.map((i) => latest[i] as number)) + GATE_MARGIN_SECONDS;
    const functionArn =
      group.settings.compute === 'lambda' ? context.options.functionArn(group) : (gateFunction as string);
    states.set(gate.group, gateTask(group, after, functionArn, Math.min(MAX_GATE_TIMEOUT_SECONDS, waitAtMost)));
    for (const i of gate.after) release.set(i, [...(release.get(i) ?? []), group.name]);
  }
  return { gates: states, release };
}

function syncPoints(schedule: Schedule): SyncPoint[] {
  const reasons = new Map<Barrier, string>();
  return schedule.extraWaits.map(({ waiter, waitsFor, barrier, witness }) => {
    let reason = reasons.get(barrier);
    if (reason === undefined) {
      reason = barrierReason(schedule, barrier, witness);
      reasons.set(barrier, reason);
    }
    return { waiter: schedule.names[waiter] as string, waitsFor: schedule.names[waitsFor] as string, reason };
  });
}

/**
 * Build the state machine definition of a plan.
 *
 * @throws PlanningError for groups with `compute: batch` when `options.batch` is not given (with
 *   `compute: sagemaker`, `options.sagemaker`), a gated Batch or SageMaker group without
 *   `options.gateFunctionArn`, a SageMaker group that would have to open a gate, a definition over
 *   1 MiB, an execution history estimated over 25,000 events, or a Task payload over 256 KiB; every
 *   problem found is listed.
 */
export function buildDefinition(plan: DeploymentPlan, options: DefinitionOptions): BuiltDefinition {
  const choice = options.schedule ?? DEFAULT_SCHEDULE;
  if (choice !== 'auto') return buildShape(plan, options, choice);
  try {
    return buildShape(plan, options, 'exact');
  } catch (error) {
    if (!(error instanceof PlanningError)) throw error;
    // What refuses exact and not dag: a gated Batch or SageMaker group without a Lambda function to
    // open its gate, or the gates' history events and bytes past a quota. Anything else refuses dag too.
    return { ...buildShape(plan, options, 'dag'), fallback: error.problems };
  }
}

function buildShape(plan: DeploymentPlan, options: DefinitionOptions, kind: ScheduleKind): BuiltDefinition {
  const groups = plan.groups;
  if (groups.length === 0) throw new PlanningError(['the plan has no groups, so there is nothing to deploy.']);
  const batch = groups.filter((g) => g.settings.compute === 'batch').map((g) => g.name);
  if (batch.length > 0 && !options.batch) throw new PlanningError([batchProblem(batch)]);
  const sagemaker = groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
  if (sagemaker.length > 0 && !options.sagemaker) throw new PlanningError([sagemakerProblem(sagemaker)]);

  const input = groups.map((g) => ({ name: g.name, dependencies: g.dependencies }));
  const schedule =
    kind === 'levels' ? levelSchedule(input) : kind === 'exact' ? exactSchedule(input) : dagSchedule(input);
  const gatePlan = planGates(groups, schedule.gates, { options, pipeline: plan.pipeline });

  // Group state names are [A-Za-z0-9_-] only: the space in these keeps them from ever clashing with one.
  const parallelName =
    kind === 'levels'
      ? (node: ScheduleNode): string => `Level ${schedule.levels[firstTask(node)] ?? 0}`
      : (_node: ScheduleNode, ordinal: number): string => `Parallel ${ordinal}`;
  const emitter = new Emitter(schedule, groups, { options, pipeline: plan.pipeline }, parallelName, gatePlan);
  const states: Record<string, AslState> = {};
  const startAt = emitter.emit(schedule.root, states, null);
  const definition: StateMachineDefinition = {
    Comment:
      `Kedro project ${options.packageName}, pipeline ${plan.pipeline}, conf env ${options.env}: ` +
      `${groups.length} group${groups.length === 1 ? '' : 's'}, schedule "${kind}". Generated by kedro-aws-action.`,
    StartAt: startAt,
    States: states,
  };
  const json = JSON.stringify(definition);

  const tasks = emitter.tasks;
  const parallels = emitter.parallels;
  const batchTasks = emitter.batchTasks;
  const gates = emitter.gates;
  const estimatedHistoryEvents =
    HISTORY_EVENTS.execution +
    (tasks - batchTasks) * HISTORY_EVENTS.lambdaTask +
    batchTasks * HISTORY_EVENTS.syncTask +
    gates * HISTORY_EVENTS.callbackTask +
    parallels * HISTORY_EVENTS.parallel;
  const stats: DefinitionStats = {
    bytes: Buffer.byteLength(json, 'utf8'),
    states: tasks + gates + parallels,
    tasks,
    parallels,
    gates,
    estimatedHistoryEvents,
    worstCaseHistoryEvents:
      estimatedHistoryEvents +
      (tasks - batchTasks + gates) * LAMBDA_SERVICE_RETRY.MaxAttempts * HISTORY_EVENTS.retryAttempt,
    syncPoints: syncPoints(schedule),
    extraWaits: schedule.extraWaitCount,
  };

  const problems = [...quotaProblems(stats), ...payloadProblems(states)];
  if (problems.length > 0) throw new PlanningError(problems);
  return { definition, json, stats, schedule: kind };
}
