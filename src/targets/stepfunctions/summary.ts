/**
 * The job summary of a Step Functions run (written by `run`, or by `verify` when it follows): the group
 * graph coloured by status, the groups' times, the outputs checked, the failure and where its logs are,
 * read from the execution's history.
 */
import * as core from '@actions/core';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { newHistoryEvents } from '../../aws/stepfunctions';
import type { ModeContext } from '../../context/context';
import { publishReport } from '../../context/publish';
import type { DeploymentPlan } from '../../plan/planner';
import {
  arnRegion,
  executionConsoleUrl,
  lambdaLogGroup,
  logGroupConsoleUrl,
  SAGEMAKER_TRAINING_LOG_GROUP,
  trainingJobConsoleUrl,
  trainingJobLogs,
} from '../../report/links';
import { HistoryReader } from '../../report/progress';
import { type RunReport, type RunStatus, reportFromVerify, reportGroupsFromPlan } from '../../report/summary';
import type { UncheckedOutput } from '../../verify/expected';
import type { ProofCheck as OutputCheck } from '../../verify/records';

export async function writeSummary(
  ctx: ModeContext,
  sfn: SFNClient,
  options: {
    deployment: DeploymentPlan;
    executionArn: string;
    runId: string;
    status: string;
    executor?: 'aws' | 'local';
    checks?: OutputCheck[];
    unchecked?: UncheckedOutput[];
  },
): Promise<void> {
  const { deployment, executionArn } = options;
  const region = arnRegion(executionArn);
  const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
  try {
    reader.read(await newHistoryEvents(sfn, executionArn, 0));
  } catch (error) {
    core.debug(`history for the summary: ${(error as Error).message}`);
  }
  const logsOf = (group: string | undefined) => {
    const planned = deployment.groups.find((g) => g.name === group);
    if (!planned) return undefined;
    if (planned.settings.compute === 'sagemaker') {
      const job = reader.trainingJobs.get(planned.name);
      if (job) return trainingJobLogs(region, job);
      return { group: SAGEMAKER_TRAINING_LOG_GROUP, url: logGroupConsoleUrl(region, SAGEMAKER_TRAINING_LOG_GROUP) };
    }
    const logGroup = lambdaLogGroup(planned.names.lambdaFunction);
    return { group: logGroup, url: logGroupConsoleUrl(region, logGroup) };
  };
  // SageMaker groups: their training jobs, linked like Batch jobs.
  const jobs = Object.fromEntries(
    [...reader.trainingJobs].map(([group, job]) => [
      group,
      { jobId: job, consoleUrl: trainingJobConsoleUrl(region, job) },
    ]),
  );
  const failure = reader.failureSeen;
  const report: RunReport = {
    project: deployment.project,
    stage: deployment.stage,
    env: deployment.env,
    target: 'step-functions',
    executor: options.executor ?? 'aws',
    runId: options.runId,
    status: options.status as RunStatus,
    execution: { arn: executionArn, consoleUrl: executionConsoleUrl(executionArn) },
    ...(Object.keys(jobs).length > 0 ? { jobs } : {}),
    groups: reportGroupsFromPlan(deployment).map((g) => {
      const seen = reader.groups.get(g.name);
      return seen ? { ...g, ...seen, logs: logsOf(g.name) } : g;
    }),
    ...(failure ? { failure: { ...failure, logs: logsOf(failure.group) } } : {}),
    ...reportFromVerify(options.checks, options.unchecked),
  };
  await publishReport(ctx, report);
}
