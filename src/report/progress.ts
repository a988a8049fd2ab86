/**
 * Reading a Step Functions execution history as group progress: which group started, finished or
 * failed, and why. Pure: events in, facts out.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export type GroupStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface GroupTransition {
  group: string;
  status: Exclude<GroupStatus, 'PENDING'>;
  at: Date | undefined;
  error?: string;
  cause?: string;
}

export interface GroupTimes {
  status: Exclude<GroupStatus, 'PENDING'>;
  start?: Date;
  end?: Date;
}

export interface Failure {
  /** The group whose task failed, when the history says which. */
  group: string | undefined;
  error: string;
  cause: string;
}

/**
 * Follows the history's chains (each event names its previous one) to know which state an event
 * belongs to, and turns the group tasks' events into transitions. Keeps what it learned between calls,
 * so a poll can feed only the new events.
 */
export class HistoryReader {
  private readonly stateOfEvent = new Map<number, string>();
  private readonly groupOfState: Map<string, string>;
  private failure: Failure | undefined;
  /** Group states entered and not yet left, newest last. */
  private readonly open: string[] = [];
  lastEventId = 0;

  constructor(groupOfState: Map<string, string>) {
    this.groupOfState = groupOfState;
  }

  /** Feeds events (oldest first) and returns the group transitions they contain. */
  read(events: readonly HistoryEvent[]): GroupTransition[] {
    const transitions: GroupTransition[] = [];
    for (const event of events) {
      const id = event.id ?? 0;
      this.lastEventId = Math.max(this.lastEventId, id);
      const entered = event.stateEnteredEventDetails?.name;
      const state = entered ?? this.stateOfEvent.get(event.previousEventId ?? -1);
      if (state !== undefined) this.stateOfEvent.set(id, state);
      const group = state === undefined ? undefined : this.groupOfState.get(state);
      const at = event.timestamp;
      switch (event.type) {
        case 'TaskStateEntered':
          if (group) {
            this.open.push(group);
            transitions.push({ group, status: 'RUNNING', at });
          }
          break;
        case 'TaskScheduled': {
          // A SageMaker group's job is named by the Task's parameters, as Step Functions resolved them.
          const details = event.taskScheduledEventDetails;
          if (group && details?.resourceType === 'sagemaker') {
            const job = trainingJobName(details.parameters);
            if (job) this.trainingJobs.set(group, job);
          }
          break;
        }
        case 'TaskStateExited':
          if (group) {
            this.close(group);
            transitions.push({ group, status: 'SUCCEEDED', at });
          }
          break;
        case 'TaskFailed':
        case 'TaskTimedOut':
        case 'LambdaFunctionFailed':
        case 'LambdaFunctionTimedOut': {
          const details =
            event.taskFailedEventDetails ??
            event.taskTimedOutEventDetails ??
            event.lambdaFunctionFailedEventDetails ??
            event.lambdaFunctionTimedOutEventDetails;
          const error = details?.error ?? event.type;
          const cause = details?.cause ?? '';
          this.failure = { group, error, cause };
          if (group) {
            this.close(group);
            transitions.push({ group, status: 'FAILED', at, error, cause });
          }
          break;
        }
        case 'ExecutionFailed':
        case 'ExecutionAborted':
        case 'ExecutionTimedOut': {
          const details =
            event.executionFailedEventDetails ??
            event.executionAbortedEventDetails ??
            event.executionTimedOutEventDetails;
          // A task failure seen earlier says more; a state that failed before its task ran (e.g. a bad
          // input path) has no task event: its group is the state this event follows or, when the
          // history does not chain them, the one group task still open.
          const groupKnown = this.failure?.group !== undefined;
          const failedGroup = group ?? (this.open.length === 1 ? this.open[0] : undefined);
          this.failure ??= { group: failedGroup, error: details?.error ?? event.type, cause: details?.cause ?? '' };
          if (failedGroup && !groupKnown) {
            this.close(failedGroup);
            this.failure = { ...this.failure, group: failedGroup };
            transitions.push({
              group: failedGroup,
              status: 'FAILED',
              at,
              error: this.failure.error,
              cause: this.failure.cause,
            });
          }
          break;
        }
      }
    }
    for (const t of transitions) this.remember(t);
    return transitions;
  }

  private close(group: string): void {
    const i = this.open.lastIndexOf(group);
    if (i >= 0) this.open.splice(i, 1);
  }

  /** SageMaker groups: the name of the training job each ran, from the Task's scheduled parameters. */
  readonly trainingJobs = new Map<string, string>();

  /** What each group that started did, with its start and end (for the summary). */
  readonly groups = new Map<string, GroupTimes>();

  private remember(t: GroupTransition): void {
    const seen = this.groups.get(t.group);
    if (t.status === 'RUNNING') this.groups.set(t.group, { status: 'RUNNING', start: t.at });
    else this.groups.set(t.group, { status: t.status, start: seen?.start, end: t.at });
  }

  /** The failure the history shows, if any. */
  get failureSeen(): Failure | undefined {
    return this.failure;
  }
}

/** The TrainingJobName of a SageMaker Task's parameters (the JSON text of a TaskScheduled event). */
export function trainingJobName(parameters: string | undefined): string | undefined {
  if (!parameters) return undefined;
  try {
    const name = (JSON.parse(parameters) as { TrainingJobName?: unknown }).TrainingJobName;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
