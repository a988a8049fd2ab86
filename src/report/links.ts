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
