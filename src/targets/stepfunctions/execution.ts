/**
 * Waiting for a Step Functions execution: DescribeExecution with backoff and jitter, the history read
 * only for new events (to log each group as it starts and ends), and a failure report that names the
 * group, its error and cause, and where its logs are. Used by `run`, and by `verify` when the run is
 * still going. The wait goes on through an outage (network errors, server errors, throttling) for five
 * minutes in a row, with notices (targets/outage.ts); when it ends on an error of its own, the
 * execution is left running and the error says so. Past `timeout-minutes` the execution is stopped (or
 * left running, `on-timeout: leave`) and the wait ends TIMED_OUT: a run that outlived the wait is
 * reported like a failed one.
 */
import * as core from '@actions/core';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorKind } from '../../aws/errors';
import { describeExecution, newHistoryEvents, stopExecution } from '../../aws/stepfunctions';
import { type OutagePolicy, pollUntil, type WaitClock, WaitTimeoutError } from '../../lib/wait';
import type { DeploymentPlan } from '../../plan/planner';
import { readableCause } from '../../report/format';
import {
  arnRegion,
  executionConsoleUrl,
  lambdaLogGroup,
  logGroupConsoleUrl,
  trainingJobConsoleUrl,
  trainingJobLogs,
} from '../../report/links';
import { type Failure, HistoryReader } from '../../report/progress';
import { awsOutagePolicy, waitFailure } from '../outage';

export interface ExecutionOutcome {
  /** The execution's status; TIMED_OUT when the wait gave up on it (see `timeout`). */
  status: string;
  failure: Failure | undefined;
  startDate: Date | undefined;
  stopDate: Date | undefined;
  /** When the wait gave up ("timeout-minutes"): what became of the execution, as a message. */
  timeout?: string;
  /** SageMaker groups that started: the training job of each. */
  trainingJobs?: ReadonlyMap<string, string>;
}

export async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  deployment: DeploymentPlan,
  options: {
    timeoutMinutes: number;
    pollIntervalSeconds: number;
    onTimeout: 'stop' | 'leave';
    clock: WaitClock;
    /** How failing calls are waited through; default: network, server errors and throttling, with notices. */
    outage?: OutagePolicy;
  },
): Promise<ExecutionOutcome> {
  const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
  const announced = new Set<string>();
  const report = async () => {
    const events = await newHistoryEvents(sfn, executionArn, reader.lastEventId);
    for (const t of reader.read(events)) {
      const suffix = t.status === 'FAILED' ? `: ${t.error}` : '';
      core.info(`  ${t.group} ${t.status.toLowerCase()}${suffix}`);
    }
    for (const [group, job] of reader.trainingJobs) {
      if (announced.has(job)) continue;
      announced.add(job);
      core.info(`  ${group}: SageMaker training job ${job}: ${trainingJobConsoleUrl(arnRegion(executionArn), job)}`);
    }
  };
  let startDate: Date | undefined;
  try {
    return await pollUntil<ExecutionOutcome>(
      async () => {
        const execution = await describeExecution(sfn, executionArn);
        startDate = execution.startDate;
        const status = execution.status ?? 'UNKNOWN';
        // The history is read only when something can have moved: cheap polls while a long group runs.
        await report();
        if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return { done: false };
        const failure =
          reader.failureSeen ??
          (status === 'SUCCEEDED'
            ? undefined
            : {
                group: undefined,
                error: execution.error ?? status,
                cause: execution.cause ?? '',
              });
        return {
          done: true,
          value: {
            status,
            failure,
            startDate: execution.startDate,
            stopDate: execution.stopDate,
            trainingJobs: reader.trainingJobs,
          },
        };
      },
      {
        timeoutMs: options.timeoutMinutes * 60_000,
        backoff: { initialSeconds: options.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
        clock: options.clock,
        outage: options.outage ?? awsOutagePolicy,
      },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) {
      // The step ends on its own error; the execution goes on (the post step stops a run only when the
      // job is cancelled or times out).
      const gone = awsErrorKind(error) === 'not-found';
      throw waitFailure(
        error,
        `waiting for execution ${executionArn}`,
        gone ? undefined : `The execution was left running: ${executionConsoleUrl(executionArn)}`,
      );
    }
    let timeout: string;
    if (options.onTimeout === 'stop') {
      try {
        await stopExecution(
          sfn,
          executionArn,
          `kedro-aws-action stopped waiting after ${options.timeoutMinutes} minute(s)`,
        );
        timeout = `the execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"), so it was stopped: ${executionConsoleUrl(executionArn)}`;
      } catch (stopError) {
        timeout =
          `the execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes") and could ` +
          `not be stopped (${(stopError as Error).message}); it may still be running: ${executionConsoleUrl(executionArn)}`;
      }
    } else {
      timeout = `the execution is still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"); it was left running ("on-timeout: leave"): ${executionConsoleUrl(executionArn)}`;
    }
    // The groups' last moves, for the summary (the stopped execution's last events included).
    await report().catch(() => undefined);
    return {
      status: 'TIMED_OUT',
      failure: reader.failureSeen,
      startDate,
      stopDate: undefined,
      timeout,
      trainingJobs: reader.trainingJobs,
    };
  }
}

/** The failure as a message a user can act on: which group, what went wrong, where to look. */
export function failureMessage(outcome: ExecutionOutcome, executionArn: string, deployment: DeploymentPlan): string {
  if (outcome.timeout !== undefined) return outcome.timeout;
  const failure = outcome.failure;
  const group = deployment.groups.find((g) => g.name === failure?.group);
  const lines = [
    group
      ? `group "${group.name}" failed: ${failure?.error ?? outcome.status}`
      : `the execution ended ${outcome.status}: ${failure?.error ?? 'no error recorded'}`,
  ];
  const region = arnRegion(executionArn);
  if (group?.settings.compute === 'sagemaker') {
    // The job's description (status, failure reason) and its own log streams.
    if (failure?.cause) lines.push(`cause: ${readableCause(failure.cause).text.slice(0, 2000)}`);
    const job = outcome.trainingJobs?.get(group.name) ?? jobOfCause(failure?.cause);
    if (job) {
      const logs = trainingJobLogs(region, job);
      lines.push(`training job: ${job} (${trainingJobConsoleUrl(region, job)})`);
      lines.push(`logs: ${logs.group}, streams ${logs.stream} (${logs.url})`);
    }
  } else {
    if (failure?.cause) lines.push(`cause: ${failure.cause.slice(0, 2000)}`);
    if (group) {
      const logGroup = lambdaLogGroup(group.names.lambdaFunction);
      lines.push(`logs: ${logGroup} (${logGroupConsoleUrl(region, logGroup)})`);
    }
  }
  lines.push(`execution: ${executionConsoleUrl(executionArn)}`);
  return lines.join('\n');
}

/** The training job a `.sync` failure's cause describes (its TrainingJobName), if it is one. */
function jobOfCause(cause: string | undefined): string | undefined {
  try {
    const name = (JSON.parse(cause ?? '') as { TrainingJobName?: unknown }).TrainingJobName;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
