/**
 * What a Batch run tells its users: the failure (the group, Batch's status reason, the container's
 * exit code and reason, the log stream in `/aws/batch/job`) and the job summary (the graph coloured by
 * status, the groups' times, the jobs, the failure, and the outputs verify checked).
 */
import type { JobDetail } from '@aws-sdk/client-batch';
import type { ModeContext } from '../../context/context';
import { publishReport } from '../../context/publish';
import type { DeploymentPlan } from '../../plan/planner';
import { arnRegion, batchJobConsoleUrl, logGroupConsoleUrl, logStreamConsoleUrl } from '../../report/links';
import { type ReportGroup, type RunReport, reportFromVerify, reportGroupsFromPlan } from '../../report/summary';
import type { UncheckedOutput } from '../../verify/expected';
import type { ProofCheck as VerifiedOutput } from '../../verify/records';
import type { BatchOutcome } from './wait';

/** The CloudWatch log group of Batch jobs (the awslogs driver's default). */
export const BATCH_LOG_GROUP = '/aws/batch/job';

/** The log stream of a job's last attempt (or of the job). */
function logStreamOf(job: JobDetail): string | undefined {
  return job.attempts?.at(-1)?.container?.logStreamName ?? job.container?.logStreamName ?? undefined;
}

/** The failure as a message a user can act on: which group, why Batch says it failed, the container, the logs. */
export function batchFailureMessage(group: string, job: JobDetail, fallbackRegion: string): string {
  const region = job.jobArn ? arnRegion(job.jobArn) : fallbackRegion;
  const lines = [`group "${group}" failed: ${job.statusReason ?? 'Batch gave no status reason'}`];
  const container = job.container;
  const attempts = job.attempts ?? [];
  if (container?.exitCode !== undefined || container?.reason) {
    const exit = container.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`;
    lines.push(`container: ${exit}${container.reason ? `, ${container.reason}` : ''}`);
  }
  if (attempts.length > 1) {
    const each = attempts.map((a, i) => {
      const code = a.container?.exitCode === undefined ? '' : ` exit code ${a.container.exitCode}`;
      return `#${i + 1}${code}${a.statusReason ? ` (${a.statusReason})` : ''}`;
    });
    lines.push(`attempts: ${each.join('; ')}`);
  }
  const stream = logStreamOf(job);
  lines.push(
    stream
      ? `logs: ${BATCH_LOG_GROUP}, stream ${stream} (${logStreamConsoleUrl(region, BATCH_LOG_GROUP, stream)})`
      : `logs: none (the container never started); ${BATCH_LOG_GROUP} (${logGroupConsoleUrl(region, BATCH_LOG_GROUP)})`,
  );
  if (job.jobId) lines.push(`job: ${job.jobName ?? ''} ${job.jobId} (${batchJobConsoleUrl(region, job.jobId)})`);
  return lines.join('\n');
}

function reportStatus(status: string): ReportGroup['status'] {
  if (status === 'SUCCEEDED' || status === 'FAILED') return status;
  if (status === 'STARTING' || status === 'RUNNING') return 'RUNNING';
  return 'PENDING';
}

/**
 * The job summary of a Batch run: the graph coloured by status, the groups' times, the jobs, the
 * failure, the outputs verify checked (`checks`, when verify writes it) and those it did not (`unchecked`).
 */
export async function writeBatchSummary(
  ctx: ModeContext,
  deployment: DeploymentPlan,
  run: {
    runId: string;
    region: string;
    groupIds: Record<string, string>;
    outcome: BatchOutcome;
    checks?: VerifiedOutput[];
    unchecked?: UncheckedOutput[];
  },
): Promise<void> {
  const { outcome, region } = run;
  const logsOf = (job: JobDetail | undefined) => {
    const stream = job ? logStreamOf(job) : undefined;
    return stream
      ? { group: BATCH_LOG_GROUP, stream, url: logStreamConsoleUrl(region, BATCH_LOG_GROUP, stream) }
      : undefined;
  };
  const failureJob = outcome.failure?.job;
  const report: RunReport = {
    project: deployment.project,
    stage: deployment.stage,
    env: deployment.env,
    target: 'batch',
    executor: 'aws',
    runId: run.runId,
    status: outcome.status,
    jobs: Object.fromEntries(
      Object.entries(run.groupIds).map(([g, jobId]) => [g, { jobId, consoleUrl: batchJobConsoleUrl(region, jobId) }]),
    ),
    groups: reportGroupsFromPlan(deployment).map((g) => {
      const p = outcome.progress.get(g.name);
      const job = p?.detail;
      const logs = logsOf(job);
      return {
        ...g,
        compute: 'batch' as const,
        status: reportStatus(p?.status ?? 'PENDING'),
        ...(job?.startedAt ? { start: new Date(job.startedAt) } : {}),
        ...(job?.stoppedAt ? { end: new Date(job.stoppedAt) } : {}),
        ...(logs ? { logs } : {}),
      };
    }),
    ...(outcome.failure && failureJob
      ? (() => {
          const logs = logsOf(failureJob);
          return {
            failure: {
              group: outcome.failure.group,
              error: failureJob.statusReason ?? 'FAILED',
              cause: batchFailureMessage(outcome.failure.group, failureJob, region),
              ...(logs ? { logs } : {}),
            },
          };
        })()
      : {}),
    ...reportFromVerify(run.checks, run.unchecked),
  };
  await publishReport(ctx, report);
}
