/** Output names, spelled once (action.yml lists the same; a test keeps them equal). */
export const OUTPUT = {
  wheel: 'wheel',
  confArchive: 'conf-archive',
  plan: 'plan',
  groups: 'groups',
  stateMachineArn: 'state-machine-arn',
  stateMachineVersionArn: 'state-machine-version-arn',
  lambdaFunctionArns: 'lambda-function-arns',
  executionArn: 'execution-arn',
  runId: 'run-id',
  status: 'status',
  verified: 'verified',
  report: 'report',
  imageUri: 'image-uri',
  imageDigest: 'image-digest',
  jobDefinitionArn: 'job-definition-arn',
  batchJobIds: 'batch-job-ids',
} as const;
export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];
