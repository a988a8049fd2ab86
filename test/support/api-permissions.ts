/**
 * From the API calls the action made (src/aws/clients.ts records `{service, operation}` of each) to the IAM
 * authorizations AWS checks for them: the IAM action (mostly `<service>:<Operation>`, with the few that
 * differ), the resource ARNs of the run the call touches, and the condition keys AWS puts in the request
 * context (the tags sent, the tags of the resource, the service a role is passed to). Pure.
 *
 * A call that is not in the table throws: a new call in the code must be added here (and to the bootstrap
 * template's policies, which the test then checks).
 */
import type { RequestContext } from './policy';

export interface RecordedCall {
  service: string;
  operation: string;
  /** S3 calls: the bucket and key (or listed prefix) the call named (src/aws/config.ts records them). */
  bucket?: string;
  key?: string;
  version?: true;
}

/** What the run touched, read from its outputs and from AWS after it. */
export interface RunResources {
  partition: string;
  region: string;
  accountId: string;
  /** Function ARNs of the stage (deploy's `lambda-function-arns`). */
  functionArns: string[];
  stateMachineArn: string;
  executionArns: string[];
  bucket: string;
  /** Keys of objects the run read or deleted (verify's report). */
  objectKeys: string[];
  lambdaRoleArn: string;
  sfnRoleArn: string;
  /** Tags the action sends when it creates or tags a resource (the stage's tags). */
  requestTags: Record<string, string>;
  /** Tags a resource carries (read from AWS), by ARN. */
  resourceTags: Record<string, Record<string, string>>;
  /** Target batch: the stage's job definitions (ARNs with their revision). */
  jobDefinitionArns?: string[];
  /** Target batch: the job queues the run submitted to. */
  jobQueueArns?: string[];
  /** Target batch: the run's jobs. */
  jobArns?: string[];
  /** Target batch: the role the jobs run as, and the one ECS pulls the image with (Fargate). */
  batchJobRoleArn?: string;
  batchExecutionRoleArn?: string;
}

export interface Authorization {
  /** `<service>:<Operation>` of the recorded call that needs it. */
  call: string;
  action: string;
  resource: string;
  context: RequestContext;
}

type Needs = (r: RunResources, call: string, recorded?: RecordedCall) => Authorization[];

const tagContext = (
  prefix: 'aws:RequestTag' | 'aws:ResourceTag',
  tags: Record<string, string> | undefined,
): RequestContext => Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`${prefix}/${k}`, v]));

const requestTags = (r: RunResources): RequestContext => ({
  ...tagContext('aws:RequestTag', r.requestTags),
  'aws:TagKeys': Object.keys(r.requestTags),
});

/** `action` on each resource `pick` names, with the condition keys `context` gives for it. */
const each =
  (
    action: string,
    pick: (r: RunResources) => string[],
    context: (r: RunResources, arn: string) => RequestContext = () => ({}),
  ): Needs =>
  (r, call) =>
    pick(r).map((resource) => ({ call, action, resource, context: context(r, resource) }));

const resourceTags = (r: RunResources, arn: string) => tagContext('aws:ResourceTag', r.resourceTags[arn]);
const functions = (r: RunResources) => r.functionArns;
const machine = (r: RunResources) => [r.stateMachineArn];
const executions = (r: RunResources) => r.executionArns;
const bucket = (r: RunResources) => [`arn:${r.partition}:s3:::${r.bucket}`];
const objects = (r: RunResources) => r.objectKeys.map((k) => `arn:${r.partition}:s3:::${r.bucket}/${k}`);

/**
 * An S3 action on the object the call named (the recorded bucket and key), or on the run's objects when
 * the call was recorded without them. ListBucket is checked on the bucket, with the listed prefix as
 * `s3:prefix` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
const s3Object =
  (action: string, versionAction?: string): Needs =>
  (r, call, recorded) =>
    recorded?.bucket && recorded.key !== undefined
      ? [
          {
            call,
            action: recorded.version && versionAction ? versionAction : action,
            resource: `arn:${r.partition}:s3:::${recorded.bucket}/${recorded.key}`,
            context: {},
          },
        ]
      : each(action, objects)(r, call);
const s3List: Needs = (r, call, recorded) =>
  recorded?.bucket
    ? [
        {
          call,
          action: 's3:ListBucket',
          resource: `arn:${r.partition}:s3:::${recorded.bucket}`,
          context: recorded.key !== undefined ? { 's3:prefix': recorded.key } : {},
        },
      ]
    : each('s3:ListBucket', bucket)(r, call);
const anything = () => ['*'];
/** A job definition as RegisterJobDefinition names it: without its revision. */
const definitionNames = (r: RunResources) => [
  ...new Set((r.jobDefinitionArns ?? []).map((a) => a.replace(/:\d+$/, ''))),
];
const definitions = (r: RunResources) => r.jobDefinitionArns ?? [];
const queues = (r: RunResources) => r.jobQueueArns ?? [];
const jobs = (r: RunResources) => r.jobArns ?? [];

const passRole =
  (role: (r: RunResources) => string, service: string): Needs =>
  (r, call) => [{ call, action: 'iam:PassRole', resource: role(r), context: { 'iam:PassedToService': service } }];

/** PassRole of a role the run may not have (the execution role, on EC2): nothing when it has none. */
const passRoleIfAny =
  (role: (r: RunResources) => string | undefined, service: string): Needs =>
  (r, call) => {
    const arn = role(r);
    return arn ? [{ call, action: 'iam:PassRole', resource: arn, context: { 'iam:PassedToService': service } }] : [];
  };

const all =
  (...needs: Needs[]): Needs =>
  (r, call) =>
    needs.flatMap((n) => n(r, call));

/**
 * The IAM authorizations per recorded operation. Where AWS checks more than the operation's own action,
 * the extra ones are listed with it: creating with tags also needs the service's TagResource, publishing a
 * state machine version needs states:PublishStateMachineVersion, giving a role to a resource needs
 * iam:PassRole on it (with iam:PassedToService).
 */
export const OPERATIONS: Record<string, Needs> = {
  // Lambda (deploy, teardown)
  'lambda:GetFunction': each('lambda:GetFunction', functions),
  'lambda:ListFunctions': each('lambda:ListFunctions', anything),
  'lambda:ListTags': each('lambda:ListTags', functions),
  'lambda:CreateFunction': all(
    each('lambda:CreateFunction', functions, (r) => requestTags(r)),
    each('lambda:TagResource', functions, (r) => requestTags(r)),
    passRole((r) => r.lambdaRoleArn, 'lambda.amazonaws.com'),
  ),
  'lambda:UpdateFunctionCode': each('lambda:UpdateFunctionCode', functions, resourceTags),
  'lambda:UpdateFunctionConfiguration': all(
    each('lambda:UpdateFunctionConfiguration', functions, resourceTags),
    passRole((r) => r.lambdaRoleArn, 'lambda.amazonaws.com'),
  ),
  'lambda:TagResource': each('lambda:TagResource', functions, (r, arn) => ({
    ...requestTags(r),
    ...resourceTags(r, arn),
  })),
  'lambda:DeleteFunction': each('lambda:DeleteFunction', functions, resourceTags),
  // The one invocation that wakes an idle (Inactive) function (src/aws/lambda.ts ensureFunctionActive).
  'lambda:Invoke': each('lambda:InvokeFunction', functions, resourceTags),
  // Step Functions (deploy, run, verify, teardown, the post step)
  'states:ListStateMachines': each('states:ListStateMachines', anything),
  'states:DescribeStateMachine': each('states:DescribeStateMachine', machine),
  'states:ListStateMachineVersions': each('states:ListStateMachineVersions', machine),
  'states:ListTagsForResource': each('states:ListTagsForResource', machine),
  'states:CreateStateMachine': all(
    each('states:CreateStateMachine', machine, (r) => requestTags(r)),
    each('states:TagResource', machine, (r) => requestTags(r)),
    each('states:PublishStateMachineVersion', machine),
    passRole((r) => r.sfnRoleArn, 'states.amazonaws.com'),
  ),
  'states:UpdateStateMachine': all(
    each('states:UpdateStateMachine', machine, resourceTags),
    each('states:PublishStateMachineVersion', machine),
    passRole((r) => r.sfnRoleArn, 'states.amazonaws.com'),
  ),
  'states:TagResource': each('states:TagResource', machine, (r, arn) => ({
    ...requestTags(r),
    ...resourceTags(r, arn),
  })),
  'states:DeleteStateMachine': each('states:DeleteStateMachine', machine, resourceTags),
  'states:StartExecution': each('states:StartExecution', machine, resourceTags),
  'states:DescribeExecution': each('states:DescribeExecution', executions),
  'states:GetExecutionHistory': each('states:GetExecutionHistory', executions),
  'states:StopExecution': each('states:StopExecution', executions),
  // Batch (deploy, run, verify, teardown, the post step). The reads have no resource type: AWS accepts only
  // "*" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbatch.html). A job
  // definition registered with tags needs batch:TagResource too, and hands its roles to the ECS tasks that
  // assume them (ecs-tasks.amazonaws.com: the roles' trusted service); a job submitted with tags needs
  // batch:TagResource on the job.
  'batch:DescribeJobQueues': each('batch:DescribeJobQueues', anything),
  'batch:DescribeComputeEnvironments': each('batch:DescribeComputeEnvironments', anything),
  'batch:DescribeJobDefinitions': each('batch:DescribeJobDefinitions', anything),
  'batch:DescribeJobs': each('batch:DescribeJobs', anything),
  'batch:RegisterJobDefinition': all(
    each('batch:RegisterJobDefinition', definitionNames, (r) => requestTags(r)),
    each('batch:TagResource', definitionNames, (r) => requestTags(r)),
    passRoleIfAny((r) => r.batchJobRoleArn, 'ecs-tasks.amazonaws.com'),
    passRoleIfAny((r) => r.batchExecutionRoleArn, 'ecs-tasks.amazonaws.com'),
  ),
  'batch:TagResource': each('batch:TagResource', definitions, (r, arn) => ({
    ...requestTags(r),
    ...resourceTags(r, arn),
  })),
  'batch:DeregisterJobDefinition': each('batch:DeregisterJobDefinition', definitions, resourceTags),
  'batch:SubmitJob': all(
    each('batch:SubmitJob', (r) => [...definitions(r), ...queues(r)]),
    each('batch:TagResource', jobs, (r) => requestTags(r)),
  ),
  'batch:TerminateJob': each('batch:TerminateJob', jobs, resourceTags),
  // S3 (run records, verify, teardown): the operations whose IAM action has another name; a call that
  // names a VersionId needs the *Version action.
  's3:HeadObject': s3Object('s3:GetObject', 's3:GetObjectVersion'),
  's3:GetObject': s3Object('s3:GetObject', 's3:GetObjectVersion'),
  's3:PutObject': s3Object('s3:PutObject'),
  's3:ListObjectsV2': s3List,
  's3:ListObjects': s3List,
  's3:DeleteObjects': each('s3:DeleteObject', objects),
  's3:DeleteObject': s3Object('s3:DeleteObject', 's3:DeleteObjectVersion'),
};

/** The authorizations one recorded call needs; throws for a call the table does not know. */
export function authorizationsFor(call: RecordedCall, resources: RunResources): Authorization[] {
  const name = `${call.service}:${call.operation}`;
  const needs = OPERATIONS[name];
  if (!needs) {
    throw new Error(
      `the action called ${name}, which test/support/api-permissions.ts does not know: add it there with the IAM ` +
        'action and resources AWS checks, and grant it in bootstrap/template.yml',
    );
  }
  return needs(resources, name, call);
}

/** Every authorization of a list of calls, without repeats. */
export function authorizationsOf(calls: RecordedCall[], resources: RunResources): Authorization[] {
  const seen = new Map<string, Authorization>();
  for (const call of calls) {
    for (const a of authorizationsFor(call, resources)) {
      const key = JSON.stringify([a.action, a.resource, a.context]);
      if (!seen.has(key)) seen.set(key, a);
    }
  }
  return [...seen.values()];
}

/**
 * The same authorization for another project's resource: the project's name prefix swapped for `other`
 * in Lambda, Step Functions, Batch and S3 ARNs (the bucket for `otherBucket`), and in the tags (a Batch
 * job, whose ARN names no project, moves by its tags alone). Undefined for a resource no name can narrow
 * (`*`).
 */
export function onAnotherProject(
  a: Authorization,
  project: string,
  other: { project: string; bucket: string; ownBucket: string; roleArn: string },
): Authorization | undefined {
  if (a.resource === '*') return undefined;
  if (a.action === 'iam:PassRole') return { ...a, resource: other.roleArn };
  const resource = a.resource
    .replace(`:function:${project}-`, `:function:${other.project}-`)
    .replace(`:stateMachine:${project}-`, `:stateMachine:${other.project}-`)
    .replace(`:execution:${project}-`, `:execution:${other.project}-`)
    .replace(`:job-definition/${project}-`, `:job-definition/${other.project}-`)
    .replace(`:job-queue/${project}-`, `:job-queue/${other.project}-`)
    .replace(`:::${other.ownBucket}`, `:::${other.bucket}`);
  const context = Object.fromEntries(
    Object.entries(a.context).map(([k, v]) => [
      k,
      /^aws:(Request|Resource)Tag\/kedro-aws:project$/.test(k) ? other.project : v,
    ]),
  );
  // A Batch job's ARN ends in a random id: nothing in it says whose it is, only its tags do.
  const byTagOnly = /:batch:[^:]*:\d*:job\//.test(a.resource);
  if (resource === a.resource && !byTagOnly) throw new Error(`cannot move ${a.resource} to another project`);
  return { ...a, resource, context };
}

// ---------------------------------------------------------------------------------------------
// Calls Step Functions makes with the state machine's role: the `.sync` integrations of the Tasks.

/** What a SageMaker group's Task touches (from its definition and the stage). */
export interface SageMakerTaskResources {
  partition: string;
  region: string;
  accountId: string;
  /** The names of the training jobs the Task creates (`<prefix>-<UUID>`, as the definition makes them). */
  jobNames: string[];
  /** The role the jobs run as (the Task's RoleArn: the `sagemaker-role-arn` input). */
  sagemakerRoleArn: string;
  /** The tags the Task creates the jobs with. */
  requestTags: Record<string, string>;
}

/**
 * The authorizations the `sagemaker:createTrainingJob.sync` integration needs from the state machine's
 * role: it creates the job (with its tags, so AddTags too, and passing the job's role to SageMaker),
 * follows it (DescribeTrainingJob, and the EventBridge rule it manages for SageMaker training jobs),
 * reads its tags, and stops it when the execution is stopped or the Task times out
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html, CreateTrainingJob, Run a Job).
 * SageMaker names the job in its ARN in lower case.
 */
export function sagemakerSyncAuthorizations(r: SageMakerTaskResources): Authorization[] {
  const call = 'states:sagemaker:createTrainingJob.sync';
  const jobs = r.jobNames.map(
    (name) => `arn:${r.partition}:sagemaker:${r.region}:${r.accountId}:training-job/${name.toLowerCase()}`,
  );
  const rule = `arn:${r.partition}:events:${r.region}:${r.accountId}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule`;
  const tags = {
    ...Object.fromEntries(Object.entries(r.requestTags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    'aws:TagKeys': Object.keys(r.requestTags),
  };
  return [
    ...jobs.flatMap((resource) => [
      { call, action: 'sagemaker:CreateTrainingJob', resource, context: tags },
      { call, action: 'sagemaker:AddTags', resource, context: tags },
      { call, action: 'sagemaker:DescribeTrainingJob', resource, context: {} },
      { call, action: 'sagemaker:StopTrainingJob', resource, context: {} },
      { call, action: 'sagemaker:ListTags', resource, context: {} },
    ]),
    {
      call,
      action: 'iam:PassRole',
      resource: r.sagemakerRoleArn,
      context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
    },
    ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({
      call,
      action,
      resource: rule,
      context: {},
    })),
  ];
}
