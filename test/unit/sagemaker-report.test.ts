/**
 * What a run shows of its SageMaker groups: the training job each ran (read from the execution's
 * history, where Step Functions records the Task's resolved parameters), the job's status and failure
 * reason (the `.sync` task's cause is the job's description), where its logs are, and the group's
 * compute and instance type in the summary. Pure: history events and reports in, text out.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { buildPlan } from '../../src/plan/planner';
import { readableCause } from '../../src/report/format';
import { SAGEMAKER_TRAINING_LOG_GROUP, trainingJobConsoleUrl, trainingJobLogs } from '../../src/report/links';
import { HistoryReader } from '../../src/report/progress';
import { type RunReport, renderSummary, reportGroupsFromPlan } from '../../src/report/summary';
import { failureMessage } from '../../src/targets/stepfunctions/execution';
import { makePlan } from './plan/fixtures';

const JOB = 'spaceflights-nightly-data-sc-0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-nightly:nightly-1';

/** The cause `createTrainingJob.sync` gives a failed Task: the job's description (DescribeTrainingJob). */
const failedJob = JSON.stringify({
  TrainingJobName: JOB,
  TrainingJobArn: `arn:aws:sagemaker:eu-west-1:123456789012:training-job/${JOB}`,
  TrainingJobStatus: 'Failed',
  SecondaryStatus: 'Failed',
  FailureReason:
    "AlgorithmError: DatasetError: group 'data_science' failed: Failed while loading data from dataset model_input_table",
  ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
  SecondaryStatusTransitions: [
    { Status: 'Starting', StatusMessage: 'Launching requested ML instances' },
    { Status: 'Training', StatusMessage: 'Training image download completed. Training in progress.' },
    { Status: 'Failed', StatusMessage: 'Training job failed' },
  ],
});

const deployment = buildPlan(
  makePlan({
    settings: {
      groups: { data_science: { compute: 'sagemaker', instance_type: 'ml.g5.xlarge', timeout_seconds: 7200 } },
    },
  }),
  { stage: 'nightly' },
);

let id = 0;
function ev(type: string, previousEventId: number, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    id: ++id,
    previousEventId,
    type,
    timestamp: new Date(1_700_000_000_000 + id * 1000),
    ...extra,
  } as HistoryEvent;
}

/** The history of a SageMaker group's Task that failed. */
function failedTask(): HistoryEvent[] {
  id = 0;
  const entered = ev('TaskStateEntered', 0, { stateEnteredEventDetails: { name: 'data_science' } });
  const scheduled = ev('TaskScheduled', entered.id!, {
    taskScheduledEventDetails: {
      resourceType: 'sagemaker',
      resource: 'createTrainingJob.sync',
      region: 'eu-west-1',
      parameters: JSON.stringify({ TrainingJobName: JOB, ResourceConfig: { InstanceType: 'ml.g5.xlarge' } }),
    },
  });
  const started = ev('TaskStarted', scheduled.id!);
  const submitted = ev('TaskSubmitted', started.id!);
  const failed = ev('TaskFailed', submitted.id!, {
    taskFailedEventDetails: {
      resourceType: 'sagemaker',
      resource: 'createTrainingJob.sync',
      error: 'States.TaskFailed',
      cause: failedJob,
    },
  });
  return [entered, scheduled, started, submitted, failed];
}

describe("a SageMaker group's job in the execution history", () => {
  it("is read from the Task's scheduled parameters, and its failure from the Task's cause", () => {
    const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
    const transitions = reader.read(failedTask());
    expect(reader.trainingJobs.get('data_science')).toBe(JOB);
    expect(transitions.at(-1)).toMatchObject({ group: 'data_science', status: 'FAILED', error: 'States.TaskFailed' });
  });

  it("reads the job's description as its status, failure reason and instance", () => {
    const cause = readableCause(failedJob);
    expect(cause.message).toMatch(/^AlgorithmError: DatasetError: group 'data_science' failed/);
    expect(cause.text.split('\n')).toEqual([
      `Training job: ${JOB}`,
      'Status: Failed / Failed',
      `Failure reason: ${JSON.parse(failedJob).FailureReason}`,
      'Last status: Training job failed',
      'Instance: ml.g5.xlarge',
    ]);
    // A job stopped at its max runtime has no FailureReason: the last status message says why.
    const stopped = readableCause(
      JSON.stringify({
        TrainingJobName: JOB,
        TrainingJobStatus: 'Stopped',
        SecondaryStatus: 'MaxRuntimeExceeded',
        SecondaryStatusTransitions: [{ Status: 'MaxRuntimeExceeded', StatusMessage: 'Training job runtime exceeded' }],
      }),
    );
    expect(stopped.message).toBe('Training job runtime exceeded');
    expect(stopped.text).toContain('Status: Stopped / MaxRuntimeExceeded');
  });

  it('says in the failure message which job failed, why, and where its log streams are', () => {
    const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
    reader.read(failedTask());
    const message = failureMessage(
      {
        status: 'FAILED',
        failure: reader.failureSeen,
        startDate: undefined,
        stopDate: undefined,
        trainingJobs: reader.trainingJobs,
      },
      EXECUTION_ARN,
      deployment,
    );
    const logs = trainingJobLogs('eu-west-1', JOB);
    expect(message).toContain('group "data_science" failed: States.TaskFailed');
    expect(message).toContain("Failure reason: AlgorithmError: DatasetError: group 'data_science' failed");
    expect(message).toContain(`training job: ${JOB} (${trainingJobConsoleUrl('eu-west-1', JOB)})`);
    expect(message).toContain(`logs: ${SAGEMAKER_TRAINING_LOG_GROUP}, streams ${JOB}/algo-1-* (${logs.url})`);
    expect(logs.url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/' +
        `$252Faws$252Fsagemaker$252FTrainingJobs$3FlogStreamNameFilter$3D${JOB}$252F`,
    );
    // Without the history's name (a cause only), the cause names the job.
    const fromCause = failureMessage(
      { status: 'FAILED', failure: reader.failureSeen, startDate: undefined, stopDate: undefined },
      EXECUTION_ARN,
      deployment,
    );
    expect(fromCause).toContain(`training job: ${JOB}`);
  });
});

describe('the summary of a run with a SageMaker group', () => {
  it("shows the group's compute and instance type, and links its training job", () => {
    const groups = reportGroupsFromPlan(deployment);
    expect(groups.find((g) => g.name === 'data_science')).toMatchObject({
      compute: 'sagemaker',
      instanceType: 'ml.g5.xlarge',
      spot: false,
    });
    const report: RunReport = {
      project: 'spaceflights',
      stage: 'nightly',
      env: 'aws',
      target: 'step-functions',
      runId: '2025-11-21T23.50.00.000Z',
      status: 'SUCCEEDED',
      groups: groups.map((g) => ({ ...g, status: 'SUCCEEDED' })),
      jobs: { data_science: { jobId: JOB, consoleUrl: trainingJobConsoleUrl('eu-west-1', JOB) } },
    };
    const text = renderSummary(report);
    const row = text.split('\n').find((line) => line.startsWith('| `data_science`'));
    expect(row).toContain('SageMaker `ml.g5.xlarge`');
    expect(row).toContain(`[job](${trainingJobConsoleUrl('eu-west-1', JOB)})`);
    expect(text.split('\n').find((line) => line.startsWith('| `reporting`'))).toContain('| Lambda |');
    const spot = renderSummary({
      ...report,
      groups: report.groups.map((g) => (g.name === 'data_science' ? { ...g, spot: true } : g)),
    });
    expect(spot).toContain('SageMaker `ml.g5.xlarge` (spot)');
  });
});
