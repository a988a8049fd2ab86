/** Console deep links, with the console host of the ARN's partition (China, GovCloud). Pure. */

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
}

/** The region field of an ARN (arn:partition:service:region:account:...). */
export function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export function executionConsoleUrl(executionArn: string): string {
  const region = arnRegion(executionArn);
  return `${consoleHost(region)}/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export function stateMachineConsoleUrl(stateMachineArn: string): string {
  const region = arnRegion(stateMachineArn);
  return `${consoleHost(region)}/states/home?region=${region}#/statemachines/view/${stateMachineArn}`;
}

export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export function logGroupConsoleUrl(region: string, logGroup: string): string {
  const encoded = encodeURIComponent(encodeURIComponent(logGroup)).replace(/%/g, '$');
  return `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encoded}`;
}

export function batchJobConsoleUrl(region: string, jobId: string): string {
  return `${consoleHost(region)}/batch/home?region=${region}#jobs/detail/${jobId}`;
}

export function logStreamConsoleUrl(region: string, logGroup: string, stream: string): string {
  const encoded = encodeURIComponent(encodeURIComponent(stream)).replace(/%/g, '$');
  return `${logGroupConsoleUrl(region, logGroup)}/log-events/${encoded}`;
}

/** The log group of every SageMaker training job of the account and region. */
export const SAGEMAKER_TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

export function trainingJobConsoleUrl(region: string, jobName: string): string {
  return `${consoleHost(region)}/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(jobName)}`;
}

/**
 * Where a training job's logs are: its streams `<job>/algo-1-<epoch>` (one per instance) in the training
 * jobs' log group; the link opens the group filtered to the job's streams.
 */
export function trainingJobLogs(region: string, jobName: string): { group: string; stream: string; url: string } {
  const prefix = `${jobName}/`;
  const encoded = encodeURIComponent(encodeURIComponent(prefix)).replace(/%/g, '$');
  return {
    group: SAGEMAKER_TRAINING_LOG_GROUP,
    stream: `${prefix}algo-1-*`,
    url: `${logGroupConsoleUrl(region, SAGEMAKER_TRAINING_LOG_GROUP)}$3FlogStreamNameFilter$3D${encoded}`,
  };
}
