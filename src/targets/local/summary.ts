/** The job summary of a run by the local executor (its record instead of an execution history). */
import type { ModeContext } from '../../context/context';
import { publishReport } from '../../context/publish';
import type { DeploymentPlan } from '../../plan/planner';
import { type RunReport, type RunStatus, reportFromVerify, reportGroupsFromPlan } from '../../report/summary';
import type { UncheckedOutput } from '../../verify/expected';
import type { ProofCheck as OutputCheck } from '../../verify/records';
import type { LocalExecutionResult } from './executor';

export async function writeLocalSummary(
  ctx: ModeContext,
  deployment: DeploymentPlan,
  runId: string,
  /** `status` may say TIMED_OUT where the record says ABORTED (stopped by "timeout-minutes"). */
  result: Pick<LocalExecutionResult, 'failure' | 'groups'> & { status: string },
  checks?: OutputCheck[],
  unchecked?: UncheckedOutput[],
): Promise<void> {
  const report: RunReport = {
    project: deployment.project,
    stage: deployment.stage,
    env: deployment.env,
    target: 'step-functions',
    executor: 'local',
    runId,
    status: result.status as RunStatus,
    groups: reportGroupsFromPlan(deployment).map((g) => {
      const seen = result.groups[g.name];
      if (!seen || seen.status === 'NOT_STARTED') return g;
      const status = seen.status === 'SUCCEEDED' || seen.status === 'FAILED' ? seen.status : 'RUNNING';
      return { ...g, status, start: toDate(seen.start), end: toDate(seen.end) };
    }),
    ...(result.failure ? { failure: result.failure } : {}),
    ...reportFromVerify(checks, unchecked),
  };
  await publishReport(ctx, report);
}

/** Dates come back as strings from the record file. */
function toDate(value: Date | string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
