/**
 * The bootstrap template's policies and properties as CloudFormation would create them (test/support/cfn.ts
 * evaluates the template for given parameters), read with the policy checker of test/support/policy.ts;
 * and the checker itself. Pure: no AWS. This also covers what moto cannot create or ignores (the GitHub OIDC
 * provider, the bucket policy, versioning, public access block and lifecycle of the bucket, the image
 * repository's lifecycle and repository policies, the Batch instance role's managed policy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sagemakerJobPrefix } from '../../src/plan/names';
import { buildPlan } from '../../src/plan/planner';
import {
  authorizationsFor,
  OPERATIONS,
  onAnotherProject,
  type RunResources,
  sagemakerSyncAuthorizations,
} from '../support/api-permissions';
import { loadTemplate, type ResolvedStack, resolveStack, rolePolicies } from '../support/cfn';
import {
  actionMatches,
  arnMatches,
  conditionsHold,
  decide,
  type NamedPolicy,
  type PolicyDocument,
  unscopedActions,
} from '../support/policy';
import { makePlan } from './plan/fixtures';

const template = loadTemplate();
const ACCOUNT = '123456789012';
const BASE = { GitHubOrg: 'octo-org', GitHubRepo: 'octo-repo', ProjectName: 'spaceflights' };
const stackWith = (parameters: Record<string, string> = {}): ResolvedStack =>
  resolveStack(template, { parameters: { ...BASE, ...parameters }, stackName: 'kedro-spaceflights' });

const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const machine = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const execution = (machineName: string, name: string) =>
  `arn:aws:states:us-east-1:${ACCOUNT}:execution:${machineName}:${name}`;

describe('policy checker', () => {
  test('actions: case-insensitive, * and ? wildcards', () => {
    expect(actionMatches('lambda:GetFunction', 'lambda:getfunction')).toBe(true);
    expect(actionMatches('lambda:Get*', 'lambda:GetFunction')).toBe(true);
    expect(actionMatches('lambda:Get*', 'lambda:ListFunctions')).toBe(false);
    expect(actionMatches('s3:*', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(actionMatches('*', 'iam:PassRole')).toBe(true);
  });

  test('resources: wildcards stay in their ARN segment unless a * ends it; the resource part is free', () => {
    expect(arnMatches(fn('spaceflights-*'), fn('spaceflights-ci-data_processing'))).toBe(true);
    expect(arnMatches(fn('spaceflights-*'), `${fn('spaceflights-ci-data_processing')}:3`)).toBe(true);
    expect(arnMatches(fn('spaceflights-*'), fn('otherproj-ci-a'))).toBe(false);
    expect(arnMatches(fn('spaceflights-*'), fn('Spaceflights-ci-a'))).toBe(false);
    expect(arnMatches(execution('spaceflights-*', '*'), execution('spaceflights-ci', 'run-1'))).toBe(true);
    expect(arnMatches(execution('spaceflights-*', '*'), machine('spaceflights-ci'))).toBe(false);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.csv')).toBe(true);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket')).toBe(false);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket2/a')).toBe(false);
    expect(arnMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::bucket')).toBe(true);
    // In a fixed segment: `us-*-1` is one region; `us-east-?` one character; a trailing * runs on.
    expect(arnMatches(`arn:aws:lambda:us-*-1:${ACCOUNT}:function:f`, fn('f'))).toBe(true);
    expect(arnMatches(`arn:aws:lambda:us-east-?:${ACCOUNT}:function:f`, fn('f'))).toBe(true);
    expect(arnMatches(`arn:aws:lambda:u*1:${ACCOUNT}:function:f`, fn('f'))).toBe(true);
    expect(arnMatches('arn:aws:lambda:us-east-1:*', fn('f'))).toBe(true);
    expect(arnMatches('arn:aws:iam::*', `arn:aws:iam::${ACCOUNT}:role/r`)).toBe(true);
    expect(arnMatches(`arn:aws:lam*da:us-east-1:${ACCOUNT}:function:f`, fn('f'))).toBe(true);
    expect(arnMatches(`arn:aws:*:us-east-1:${ACCOUNT}:function:f`, fn('f'))).toBe(true);
    expect(arnMatches('*', fn('anything'))).toBe(true);
    // A * in the middle of a fixed segment does not swallow the colons after it.
    expect(
      arnMatches(`arn:aws:lambda:us-*-1:${ACCOUNT}:function:f`, `arn:aws:lambda:us-east:x-1:${ACCOUNT}:function:f`),
    ).toBe(false);
    expect(() => arnMatches('arn:aws:s3:::${aws:username}/*', 'arn:aws:s3:::a/b')).toThrow(/policy variables/);
  });

  test('conditions: AND across operators and keys, OR across values, missing keys as IAM reads them', () => {
    const tagged = { StringEquals: { 'aws:ResourceTag/kedro-aws:project': 'spaceflights' } };
    expect(conditionsHold(tagged, { 'aws:ResourceTag/kedro-aws:project': 'spaceflights' })).toBe(true);
    expect(conditionsHold(tagged, { 'aws:resourcetag/kedro-aws:project': 'spaceflights' })).toBe(true); // key names ignore case
    expect(conditionsHold(tagged, { 'aws:ResourceTag/kedro-aws:project': 'other' })).toBe(false);
    expect(conditionsHold(tagged, {})).toBe(false);
    expect(conditionsHold({ StringEqualsIfExists: { 'aws:ResourceTag/p': 'x' } }, {})).toBe(true);
    expect(conditionsHold({ StringNotEquals: { 'aws:ResourceTag/p': 'x' } }, {})).toBe(true);
    expect(conditionsHold({ StringNotEquals: { 'aws:ResourceTag/p': 'x' } }, { 'aws:ResourceTag/p': 'x' })).toBe(false);
    const trust = {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: {
        'token.actions.githubusercontent.com:sub': [
          'repo:o/r:ref:refs/heads/main',
          'repo:o/r:ref:refs/heads/release/*',
        ],
      },
    };
    const ctx = (aud: string, sub: string) => ({
      'token.actions.githubusercontent.com:aud': aud,
      'token.actions.githubusercontent.com:sub': sub,
    });
    expect(conditionsHold(trust, ctx('sts.amazonaws.com', 'repo:o/r:ref:refs/heads/release/1.2'))).toBe(true);
    expect(conditionsHold(trust, ctx('sts.amazonaws.com', 'repo:o/r:ref:refs/heads/feature'))).toBe(false);
    expect(conditionsHold(trust, ctx('other', 'repo:o/r:ref:refs/heads/main'))).toBe(false);
    // Multi-valued keys.
    const keys = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } };
    expect(conditionsHold(keys, { 'aws:TagKeys': ['a'] })).toBe(true);
    expect(conditionsHold(keys, { 'aws:TagKeys': ['a', 'c'] })).toBe(false);
    expect(conditionsHold(keys, {})).toBe(true);
    expect(conditionsHold({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, {})).toBe(false);
    expect(
      conditionsHold({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['c', 'a'] }),
    ).toBe(true);
    expect(conditionsHold({ Null: { 'aws:RequestTag/p': 'true' } }, {})).toBe(true);
    expect(conditionsHold({ Null: { 'aws:RequestTag/p': 'false' } }, {})).toBe(false);
    expect(conditionsHold({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': false })).toBe(true);
    expect(() => conditionsHold({ NumericLessThan: { 'aws:x': '3' } }, { 'aws:x': '1' })).toThrow(/not supported/);
    expect(() => conditionsHold(tagged, { 'aws:ResourceTag/kedro-aws:project': ['a', 'b'] })).toThrow(/several values/);
  });

  test('an explicit Deny wins; otherwise the first matching Allow; NotAction and NotResource', () => {
    const policies: NamedPolicy[] = [
      { name: 'allow', document: { Statement: [{ Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
      {
        name: 'deny',
        document: { Statement: { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/raw/*' } },
      },
      {
        name: 'not',
        document: {
          Statement: [{ Sid: 'N', Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' }],
        },
      },
    ];
    expect(decide(policies, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/raw/x' })).toEqual({
      decision: 'allow',
      by: 'allow/All',
    });
    expect(decide(policies, { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/raw/x' })).toEqual({
      decision: 'explicit-deny',
      by: 'deny/0',
    });
    expect(decide(policies.slice(2), { action: 'lambda:GetFunction', resource: fn('f') }).decision).toBe('allow');
    expect(decide(policies.slice(2), { action: 'iam:PassRole', resource: fn('f') }).decision).toBe('implicit-deny');
    expect(decide(policies.slice(2), { action: 's3:GetObject', resource: 'arn:aws:s3:::secret/a' }).decision).toBe(
      'implicit-deny',
    );
    expect(decide([], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/a' }).decision).toBe('implicit-deny');
  });
});

/** A trust policy read as an identity policy (the checker needs a Resource; the Principal is checked apart). */
function trustOf(stack: ResolvedStack): NamedPolicy[] {
  const doc = stack.resources.DeployRole!.Properties.AssumeRolePolicyDocument as PolicyDocument;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return [
    { name: 'trust', document: { Statement: statements.map(({ Principal: _p, ...s }) => ({ ...s, Resource: '*' })) } },
  ];
}

function subjects(stack: ResolvedStack): string[] {
  const doc = stack.resources.DeployRole!.Properties.AssumeRolePolicyDocument;
  return [...new Set<string>(doc.Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'])].sort();
}

const assume = (stack: ResolvedStack, sub: string, aud = 'sts.amazonaws.com') =>
  decide(trustOf(stack), {
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: '*',
    context: { 'token.actions.githubusercontent.com:aud': aud, 'token.actions.githubusercontent.com:sub': sub },
  }).decision;

describe('bootstrap template: GitHub OIDC trust', () => {
  test('by default: the main branch and pull requests of the one repository, audience sts.amazonaws.com', () => {
    const stack = stackWith();
    expect(subjects(stack)).toEqual([
      'repo:octo-org/octo-repo:pull_request',
      'repo:octo-org/octo-repo:ref:refs/heads/main',
    ]);
    const statement = stack.resources.DeployRole!.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    });
    expect(assume(stack, 'repo:octo-org/octo-repo:ref:refs/heads/main')).toBe('allow');
    expect(assume(stack, 'repo:octo-org/octo-repo:pull_request')).toBe('allow');
    expect(assume(stack, 'repo:octo-org/octo-repo:ref:refs/heads/main', 'https://github.com/octo-org')).toBe(
      'implicit-deny',
    );
    for (const sub of [
      'repo:octo-org/octo-repo:ref:refs/heads/feature',
      'repo:octo-org/octo-repo:ref:refs/heads/main-but-not',
      'repo:octo-org/octo-repo:ref:refs/tags/main',
      'repo:octo-org/octo-repo:environment:production',
      'repo:octo-org/octo-repo-fork:pull_request',
      'repo:fork-owner/octo-repo:pull_request',
      'repo:octo-org/octo-repo:ref:refs/heads/',
    ]) {
      expect([sub, assume(stack, sub)]).toEqual([sub, 'implicit-deny']);
    }
    // The provider is created, with GitHub's issuer and the STS audience.
    expect(stack.resources.GitHubOidcProvider!.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('branches (with wildcards), environments and pull requests as configured; at most five of each', () => {
    const stack = stackWith({
      AllowedBranches: 'main,release/*',
      AllowedEnvironments: 'production,staging',
      AllowPullRequests: 'false',
    });
    expect(subjects(stack)).toEqual([
      'repo:octo-org/octo-repo:environment:production',
      'repo:octo-org/octo-repo:environment:staging',
      'repo:octo-org/octo-repo:ref:refs/heads/main',
      'repo:octo-org/octo-repo:ref:refs/heads/release/*',
    ]);
    expect(assume(stack, 'repo:octo-org/octo-repo:ref:refs/heads/release/2.0')).toBe('allow');
    expect(assume(stack, 'repo:octo-org/octo-repo:environment:staging')).toBe('allow');
    expect(assume(stack, 'repo:octo-org/octo-repo:pull_request')).toBe('implicit-deny');

    const six = stackWith({ AllowedBranches: 'a,b,c,d,e,f', AllowPullRequests: 'false' });
    expect(subjects(six)).toEqual(['a', 'b', 'c', 'd', 'e'].map((b) => `repo:octo-org/octo-repo:ref:refs/heads/${b}`));
    expect(assume(six, 'repo:octo-org/octo-repo:ref:refs/heads/f')).toBe('implicit-deny'); // fails closed

    // Only environments: no branch subject is left that a token could have.
    const envOnly = stackWith({ AllowedBranches: '', AllowedEnvironments: 'production', AllowPullRequests: 'false' });
    expect(subjects(envOnly)).toEqual([
      'repo:octo-org/octo-repo:environment:production',
      'repo:octo-org/octo-repo:ref:refs/heads/',
    ]);
  });

  test('with an existing provider, the role trusts it by ARN and the template creates none', () => {
    const stack = stackWith({ CreateOidcProvider: 'false' });
    expect(stack.resources.GitHubOidcProvider).toBeUndefined();
    expect(stack.resources.DeployRole!.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    );
    expect(stack.outputs.GitHubOidcProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    );
  });
});

describe('bootstrap template: the deploy role, one policy per mode', () => {
  const managedOf = (stack: ResolvedStack) =>
    rolePolicies(stack, 'DeployRole')
      .map((p) => p.name)
      .sort();

  test('which policies the targets and options attach', () => {
    expect(managedOf(stackWith())).toEqual(
      [
        'BuildPolicy',
        'DeployLambdaPolicy',
        'DeployStateMachinePolicy',
        'RunLambdaPolicy',
        'RunPolicy',
        'StackOutputsPolicy',
        'TeardownPolicy',
        'VerifyPolicy',
      ].sort(),
    );
    const batchOnly = stackWith({ Targets: 'batch' });
    expect(managedOf(batchOnly)).toEqual(
      [
        'BuildPolicy',
        'DeployBatchPolicy',
        'DeployStateMachinePolicy',
        'RunBatchPolicy',
        'RunPolicy',
        'StackOutputsPolicy',
        'TeardownPolicy',
        'VerifyPolicy',
      ].sort(),
    );
    expect(batchOnly.resources.LambdaRole).toBeUndefined();
    expect(batchOnly.outputs.LambdaRoleArn).toBeUndefined();
    expect(managedOf(stackWith({ AllowLocalExecutor: 'true' }))).toContain('LocalExecutorPolicy');
  });

  test('the deploy role reads the outputs of its own stack, and of no other', () => {
    const policies = rolePolicies(stackWith(), 'DeployRole');
    const stack = (name: string) =>
      `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/0b7d6a40-0000-4000-8000-000000000000`;
    expect(
      decide(policies, { action: 'cloudformation:DescribeStacks', resource: stack('kedro-spaceflights') }).decision,
    ).toBe('allow');
    expect(decide(policies, { action: 'cloudformation:DescribeStacks', resource: stack('other-stack') }).decision).toBe(
      'implicit-deny',
    );
  });

  test('"*" only for the actions AWS cannot narrow to a resource, on every role of every variant', () => {
    const stack = stackWith({
      Targets: 'step-functions,batch',
      BatchComputeType: 'EC2',
      AllowLocalExecutor: 'true',
      AllowSageMaker: 'true',
    });
    const roles = Object.entries(stack.resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id]) => id);
    expect(roles.sort()).toEqual(
      [
        'BatchExecutionRole',
        'BatchInstanceRole',
        'BatchJobRole',
        'DeployRole',
        'LambdaRole',
        'SageMakerJobRole',
        'StateMachineRole',
      ].sort(),
    );
    const unscoped = new Set(roles.flatMap((role) => unscopedActions(rolePolicies(stack, role))));
    expect([...unscoped].sort()).toEqual([
      'batch:DescribeComputeEnvironments',
      'batch:DescribeJobDefinitions',
      'batch:DescribeJobQueues',
      'batch:DescribeJobs',
      // SageMaker's training job metrics (the namespace condition narrows it).
      'cloudwatch:PutMetricData',
      'ecr:GetAuthorizationToken',
      'lambda:ListFunctions',
      // As the Step Functions documentation grants it to the SageMaker integration (sagemaker-iam.html).
      'sagemaker:ListTags',
      'states:ListStateMachines',
      // The gates of schedule exact (AllowExactSchedule, on by default): the task token authorises the call.
      'states:SendTaskSuccess',
    ]);
    // No action wildcards anywhere.
    for (const role of roles) {
      for (const { document } of rolePolicies(stack, role)) {
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
        for (const s of statements) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
      }
    }
  });

  test('iam:PassRole only on the runtime roles, each only to the service that runs it', () => {
    const stack = stackWith({ Targets: 'step-functions,batch' });
    const policies = rolePolicies(stack, 'DeployRole');
    const role = (id: string) => stack.resources[id]!.attributes.Arn!;
    const pass = (resource: string, service: string) =>
      decide(policies, { action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } }).decision;
    expect(pass(role('LambdaRole'), 'lambda.amazonaws.com')).toBe('allow');
    expect(pass(role('StateMachineRole'), 'states.amazonaws.com')).toBe('allow');
    expect(pass(role('BatchJobRole'), 'ecs-tasks.amazonaws.com')).toBe('allow');
    expect(pass(role('BatchExecutionRole'), 'batch.amazonaws.com')).toBe('allow');
    expect(pass(role('LambdaRole'), 'states.amazonaws.com')).toBe('implicit-deny');
    expect(pass(role('StateMachineRole'), 'lambda.amazonaws.com')).toBe('implicit-deny');
    expect(pass(role('BatchJobRole'), 'lambda.amazonaws.com')).toBe('implicit-deny');
    expect(pass(role('DeployRole'), 'lambda.amazonaws.com')).toBe('implicit-deny');
    expect(pass(`arn:aws:iam::${ACCOUNT}:role/admin`, 'lambda.amazonaws.com')).toBe('implicit-deny');
    expect(decide(policies, { action: 'iam:PassRole', resource: role('LambdaRole') }).decision).toBe('implicit-deny');
  });

  test('every operation the action makes is allowed on the project and denied on another project', () => {
    // The operations of test/support/api-permissions.ts, on resources named as the action names them (both
    // targets: the Batch operations too).
    const stack = stackWith({ Targets: 'step-functions,batch' });
    const policies = rolePolicies(stack, 'DeployRole');
    const tags = { 'kedro-aws:project': 'spaceflights', 'kedro-aws:stage': 'pr-7', 'kedro-aws:git-sha': 'abc' };
    const functionArns = ['data_processing', 'data_science'].map((g) => fn(`spaceflights-pr-7-${g}`));
    const stateMachineArn = machine('spaceflights-pr-7');
    const batch = `arn:aws:batch:us-east-1:${ACCOUNT}`;
    const jobDefinitionArns = [
      `${batch}:job-definition/spaceflights-pr-7:3`,
      `${batch}:job-definition/spaceflights-pr-7_fargate:1`,
    ];
    const jobArns = [`${batch}:job/8f0c3a2e-1111-2222-3333-444455556666`];
    const resources: RunResources = {
      partition: 'aws',
      region: 'us-east-1',
      accountId: ACCOUNT,
      functionArns,
      stateMachineArn,
      executionArns: [execution('spaceflights-pr-7', 'pr-7-run1-attempt1')],
      bucket: stack.outputs.DataBucketName!,
      objectKeys: ['main/08_reporting/metrics.json'],
      lambdaRoleArn: stack.outputs.LambdaRoleArn!,
      sfnRoleArn: stack.outputs.SfnRoleArn!,
      requestTags: tags,
      resourceTags: Object.fromEntries(
        [...functionArns, stateMachineArn, ...jobDefinitionArns, ...jobArns].map((arn) => [arn, tags]),
      ),
      jobDefinitionArns,
      jobQueueArns: [`${batch}:job-queue/spaceflights-kedro`],
      jobArns,
      batchJobRoleArn: stack.outputs.BatchJobRoleArn!,
      batchExecutionRoleArn: stack.outputs.BatchExecutionRoleArn!,
    };
    const other = {
      project: 'otherproj',
      bucket: 'otherproj-data',
      ownBucket: resources.bucket,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`,
    };
    // S3 calls name their object: the run records for what only records are written to (src/verify/records.ts).
    const S3_KEYS: Record<string, string> = {
      's3:PutObject': '.kedro-aws/spaceflights/pr-7/stage.json',
      's3:ListObjectsV2': '.kedro-aws/spaceflights/',
      's3:ListObjects': '.kedro-aws/spaceflights/',
    };
    for (const operation of Object.keys(OPERATIONS)) {
      const [service, op] = operation.split(':') as [string, string];
      const key = service === 's3' ? (S3_KEYS[operation] ?? 'main/08_reporting/metrics.json') : undefined;
      const call =
        key === undefined ? { service, operation: op } : { service, operation: op, bucket: resources.bucket, key };
      for (const a of authorizationsFor(call, resources)) {
        expect({ operation, action: a.action, decision: decide(policies, a).decision }).toEqual({
          operation,
          action: a.action,
          decision: 'allow',
        });
        const moved = onAnotherProject(a, 'spaceflights', other);
        if (moved)
          expect({ operation, action: a.action, decision: decide(policies, moved).decision }).toEqual({
            operation,
            action: a.action,
            decision: 'implicit-deny',
          });
      }
    }
    // Creating without the project's tag, or changing a resource without it, is refused.
    expect(
      decide(policies, { action: 'lambda:CreateFunction', resource: functionArns[0]!, context: {} }).decision,
    ).toBe('implicit-deny');
    expect(
      decide(policies, {
        action: 'states:UpdateStateMachine',
        resource: stateMachineArn,
        context: { 'aws:ResourceTag/kedro-aws:project': 'spaceflights-v2' },
      }).decision,
    ).toBe('implicit-deny');
    expect(
      decide(policies, {
        action: 'lambda:DeleteFunction',
        resource: fn('spaceflights-v2-x-y'),
        context: { 'aws:ResourceTag/kedro-aws:project': 'spaceflights-v2' },
      }).decision,
    ).toBe('implicit-deny');
    // The data bucket's objects can be read and deleted (verify, teardown) but not written without executor local.
    const object = `arn:aws:s3:::${resources.bucket}/main/x.csv`;
    expect(decide(policies, { action: 's3:PutObject', resource: object }).decision).toBe('implicit-deny');
    const local = rolePolicies(stackWith({ AllowLocalExecutor: 'true' }), 'DeployRole');
    expect(decide(local, { action: 's3:PutObject', resource: object }).decision).toBe('allow');
    expect(decide(local, { action: 's3:PutObject', resource: 'arn:aws:s3:::otherproj-data/x.csv' }).decision).toBe(
      'implicit-deny',
    );
  });

  test('deploy reads the image config (labels, architecture) of the project repository only', () => {
    const stack = stackWith();
    const deploy = rolePolicies(stack, 'DeployRole').filter((p) => p.name === 'DeployStateMachinePolicy');
    expect(deploy).toHaveLength(1);
    const repo = stack.resources.ImageRepository!.attributes.Arn!;
    // The registry API: a manifest GET is ecr:BatchGetImage, a blob GET ecr:GetDownloadUrlForLayer.
    for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
      expect(decide(deploy, { action, resource: repo }).decision).toBe('allow');
      expect(decide(deploy, { action, resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other` }).decision).toBe(
        'implicit-deny',
      );
    }
    expect(decide(deploy, { action: 'ecr:GetAuthorizationToken', resource: '*' }).decision).toBe('allow');
    expect(decide(deploy, { action: 'ecr:PutImage', resource: repo }).decision).toBe('implicit-deny');
  });

  test('build pushes only to the project repository; Batch jobs only of the project', () => {
    const stack = stackWith({ Targets: 'step-functions,batch' });
    const policies = rolePolicies(stack, 'DeployRole');
    const repo = stack.resources.ImageRepository!.attributes.Arn!;
    expect(decide(policies, { action: 'ecr:PutImage', resource: repo }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'ecr:PutImage', resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other` })
        .decision,
    ).toBe('implicit-deny');
    expect(decide(policies, { action: 'ecr:GetAuthorizationToken', resource: '*' }).decision).toBe('allow');
    const job = `arn:aws:batch:us-east-1:${ACCOUNT}:job/8f0c3a2e-1111-2222-3333-444455556666`;
    const definition = `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/spaceflights-pr-7:4`;
    const ours = { 'aws:ResourceTag/kedro-aws:project': 'spaceflights' };
    expect(decide(policies, { action: 'batch:SubmitJob', resource: definition }).decision).toBe('allow');
    expect(
      decide(policies, {
        action: 'batch:SubmitJob',
        resource: `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/spaceflights-kedro`,
      }).decision,
    ).toBe('allow');
    expect(
      decide(policies, { action: 'batch:SubmitJob', resource: `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/shared` })
        .decision,
    ).toBe('implicit-deny');
    expect(decide(policies, { action: 'batch:TerminateJob', resource: job, context: ours }).decision).toBe('allow');
    expect(decide(policies, { action: 'batch:TerminateJob', resource: job, context: {} }).decision).toBe(
      'implicit-deny',
    );
    expect(
      decide(policies, {
        action: 'batch:RegisterJobDefinition',
        resource: definition,
        context: { 'aws:RequestTag/kedro-aws:project': 'spaceflights' },
      }).decision,
    ).toBe('allow');
    expect(
      decide(policies, { action: 'batch:RegisterJobDefinition', resource: definition, context: {} }).decision,
    ).toBe('implicit-deny');
  });
});

describe('bootstrap template: runtime roles', () => {
  const stack = stackWith({ Targets: 'step-functions,batch', BatchComputeType: 'FARGATE' });
  const bucket = stack.outputs.DataBucketName!;
  const object = `arn:aws:s3:::${bucket}/main/03_primary/model_input_table.parquet`;

  test('the Lambda role: the data bucket and its own logs, nothing else', () => {
    const policies = rolePolicies(stack, 'LambdaRole');
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(decide(policies, { action, resource: object }).decision).toBe('allow');
      expect(decide(policies, { action, resource: 'arn:aws:s3:::another-bucket/x' }).decision).toBe('implicit-deny');
    }
    expect(decide(policies, { action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}` }).decision).toBe('allow');
    const logs = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/spaceflights-pr-7-reporting:log-stream:2024/01/01/x`;
    expect(decide(policies, { action: 'logs:PutLogEvents', resource: logs }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'logs:PutLogEvents', resource: logs.replace('spaceflights', 'other') }).decision,
    ).toBe('implicit-deny');
    const group = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/spaceflights-pr-7-reporting`;
    expect(decide(policies, { action: 'logs:CreateLogGroup', resource: group }).decision).toBe('allow');
    expect(decide(policies, { action: 'logs:CreateLogGroup', resource: `${group}:*` }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'logs:CreateLogGroup', resource: group.replace('/aws/lambda/', '/aws/other/') })
        .decision,
    ).toBe('implicit-deny');
    const trust = stack.resources.LambdaRole!.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
  });

  test('the state machine role: invoke the project functions; Batch jobs and the .sync rule', () => {
    const policies = rolePolicies(stack, 'StateMachineRole');
    expect(
      decide(policies, { action: 'lambda:InvokeFunction', resource: fn('spaceflights-pr-7-reporting') }).decision,
    ).toBe('allow');
    expect(
      decide(policies, { action: 'lambda:InvokeFunction', resource: `${fn('spaceflights-pr-7-reporting')}:3` })
        .decision,
    ).toBe('allow');
    expect(decide(policies, { action: 'lambda:InvokeFunction', resource: fn('other-pr-7-reporting') }).decision).toBe(
      'implicit-deny',
    );
    const rule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/StepFunctionsGetEventsForBatchJobsRule`;
    for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
      expect(decide(policies, { action, resource: rule }).decision).toBe('allow');
      expect(decide(policies, { action, resource: rule.replace('StepFunctions', 'Other') }).decision).toBe(
        'implicit-deny',
      );
    }
    expect(
      decide(policies, {
        action: 'batch:SubmitJob',
        resource: `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/spaceflights-pr-7:1`,
      }).decision,
    ).toBe('allow');
    expect(decide(policies, { action: 'batch:DescribeJobs', resource: '*' }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'batch:TerminateJob', resource: `arn:aws:batch:us-east-1:${ACCOUNT}:job/abc` })
        .decision,
    ).toBe('allow');
    expect(rolePolicies(stackWith(), 'StateMachineRole').map((p) => p.name)).toEqual(['StateMachineLambdaPolicy']);
  });

  test('the Batch roles: the job reads and writes the bucket; ECS pulls the project image and writes logs', () => {
    const job = rolePolicies(stack, 'BatchJobRole');
    expect(decide(job, { action: 's3:PutObject', resource: object }).decision).toBe('allow');
    expect(
      decide(job, { action: 'ecr:BatchGetImage', resource: stack.resources.ImageRepository!.attributes.Arn! }).decision,
    ).toBe('implicit-deny');
    const execution = rolePolicies(stack, 'BatchExecutionRole');
    expect(
      decide(execution, { action: 'ecr:BatchGetImage', resource: stack.resources.ImageRepository!.attributes.Arn! })
        .decision,
    ).toBe('allow');
    expect(decide(execution, { action: 's3:GetObject', resource: object }).decision).toBe('implicit-deny');
    for (const role of ['BatchJobRole', 'BatchExecutionRole']) {
      expect(stack.resources[role]!.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
        Service: 'ecs-tasks.amazonaws.com',
      });
    }
  });
});

describe('bootstrap template: schedule exact (AllowExactSchedule)', () => {
  // SendTaskSuccess has no resource type in the Service Authorization Reference's Step Functions table
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html): the task
  // token authorises the call, so the statement is on "*".
  const release = { action: 'states:SendTaskSuccess', resource: '*' };

  test('with AllowExactSchedule false (for stages on schedule dag or levels) no role may release a gate', () => {
    const stack = stackWith({
      Targets: 'step-functions,batch',
      BatchComputeType: 'FARGATE',
      AllowExactSchedule: 'false',
    });
    for (const role of ['LambdaRole', 'BatchJobRole', 'StateMachineRole', 'DeployRole'])
      expect(decide(rolePolicies(stack, role), release).decision).toBe('implicit-deny');
  });

  test("by default (schedule auto is exact) the groups' roles may release gates, and do nothing else new; no other role may", () => {
    const options = { Targets: 'step-functions,batch', BatchComputeType: 'FARGATE', AllowSageMaker: 'true' };
    const stack = stackWith(options);
    const plain = stackWith({ ...options, AllowExactSchedule: 'false' });
    const policyOf: Record<string, string> = {
      LambdaRole: 'LambdaGatesPolicy',
      BatchJobRole: 'BatchJobGatesPolicy',
      SageMakerJobRole: 'SageMakerJobGatesPolicy',
    };
    for (const [role, policy] of Object.entries(policyOf)) {
      expect(decide(rolePolicies(stack, role), release).decision).toBe('allow');
      expect(decide(rolePolicies(stack, role), { action: 'states:SendTaskFailure', resource: '*' }).decision).toBe(
        'implicit-deny',
      );
      const added = rolePolicies(stack, role).filter((p) => !rolePolicies(plain, role).some((q) => q.name === p.name));
      expect(added.map((p) => p.name)).toEqual([policy]);
      expect(unscopedActions(added)).toEqual(['states:SendTaskSuccess']);
    }
    for (const role of ['StateMachineRole', 'DeployRole', 'BatchExecutionRole'])
      expect(decide(rolePolicies(stack, role), release).decision).toBe('implicit-deny');
  });
});

describe('bootstrap template: SageMaker groups (AllowSageMaker)', () => {
  const stack = stackWith({ AllowSageMaker: 'true' });
  const sfnPolicies = rolePolicies(stack, 'StateMachineRole');
  const sagemakerRole = stack.outputs.SageMakerRoleArn!;
  const job = (prefix: string) => `${prefix}-0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0`;
  const jobArn = (name: string) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/${name}`;

  test('nothing for SageMaker by default, nor with the batch target alone', () => {
    for (const other of [stackWith(), stackWith({ Targets: 'batch', AllowSageMaker: 'true' })]) {
      expect(other.resources.SageMakerJobRole).toBeUndefined();
      expect(other.resources.StateMachineSageMakerPolicy).toBeUndefined();
      expect(other.outputs.SageMakerRoleArn).toBeUndefined();
    }
    expect(sagemakerRole).toBe(stack.resources.SageMakerJobRole!.attributes.Arn);
  });

  test("the state machine role: every call of the .sync integration on the jobs the definition names, no other project's", () => {
    // The names the planner gives the example's data_science group in stage pr-7 (its Task adds a UUID).
    const deployment = buildPlan(makePlan({ settings: { groups: { data_science: { compute: 'sagemaker' } } } }), {
      stage: 'pr-7',
    });
    const prefix = deployment.groups.find((g) => g.name === 'data_science')!.names.sagemakerJob;
    const needs = sagemakerSyncAuthorizations({
      partition: 'aws',
      region: 'us-east-1',
      accountId: ACCOUNT,
      jobNames: [job(prefix)],
      sagemakerRoleArn: sagemakerRole,
      requestTags: { 'kedro-aws:project': 'spaceflights', 'kedro-aws:stage': 'pr-7' },
    });
    expect(needs.map((a) => a.action).sort()).toEqual(
      [
        'events:DescribeRule',
        'events:PutRule',
        'events:PutTargets',
        'iam:PassRole',
        'sagemaker:AddTags',
        'sagemaker:CreateTrainingJob',
        'sagemaker:DescribeTrainingJob',
        'sagemaker:ListTags',
        'sagemaker:StopTrainingJob',
      ].sort(),
    );
    for (const a of needs) {
      expect({ action: a.action, decision: decide(sfnPolicies, a).decision }).toEqual({
        action: a.action,
        decision: 'allow',
      });
    }
    // Another project's jobs, another role, another service, another rule: refused.
    for (const action of [
      'sagemaker:CreateTrainingJob',
      'sagemaker:StopTrainingJob',
      'sagemaker:DescribeTrainingJob',
    ]) {
      expect(decide(sfnPolicies, { action, resource: jobArn(job('otherproj-pr-7-x')) }).decision).toBe('implicit-deny');
    }
    const pass = (resource: string, service: string) =>
      decide(sfnPolicies, { action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } }).decision;
    expect(pass(sagemakerRole, 'lambda.amazonaws.com')).toBe('implicit-deny');
    expect(pass(stack.outputs.LambdaRoleArn!, 'sagemaker.amazonaws.com')).toBe('implicit-deny');
    expect(
      decide(sfnPolicies, {
        action: 'events:PutRule',
        resource: `arn:aws:events:us-east-1:${ACCOUNT}:rule/StepFunctionsGetEventsForBatchJobsRule`,
      }).decision,
    ).toBe('implicit-deny');
  });

  test('a project whose package name has `_` is matched as SageMaker spells its jobs (`-`)', () => {
    const underscored = stackWith({ AllowSageMaker: 'true', ProjectName: 'space_flights' });
    const policies = rolePolicies(underscored, 'StateMachineRole');
    const name = job(sagemakerJobPrefix('space_flights', 'dev', 'data_science'));
    expect(name.startsWith('space-flights-dev-')).toBe(true);
    expect(decide(policies, { action: 'sagemaker:CreateTrainingJob', resource: jobArn(name) }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'sagemaker:CreateTrainingJob', resource: jobArn(job('space-flightsx-dev-a')) })
        .decision,
    ).toBe('implicit-deny');
  });

  test("the SageMaker role: the data bucket, the project image, the training jobs' logs and metrics, nothing else", () => {
    const policies = rolePolicies(stack, 'SageMakerJobRole');
    const bucket = stack.outputs.DataBucketName!;
    const object = `arn:aws:s3:::${bucket}/main/06_models/regressor.pickle`;
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(decide(policies, { action, resource: object }).decision).toBe('allow');
      expect(decide(policies, { action, resource: 'arn:aws:s3:::another-bucket/x' }).decision).toBe('implicit-deny');
    }
    const repo = stack.resources.ImageRepository!.attributes.Arn!;
    expect(decide(policies, { action: 'ecr:BatchGetImage', resource: repo }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'ecr:BatchGetImage', resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other` })
        .decision,
    ).toBe('implicit-deny');
    const stream = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/TrainingJobs:log-stream:${job('spaceflights-dev-ds')}/algo-1-1700000000`;
    expect(decide(policies, { action: 'logs:PutLogEvents', resource: stream }).decision).toBe('allow');
    expect(
      decide(policies, { action: 'logs:PutLogEvents', resource: stream.replace('TrainingJobs', 'Endpoints') }).decision,
    ).toBe('implicit-deny');
    const metrics = (namespace: string) =>
      decide(policies, {
        action: 'cloudwatch:PutMetricData',
        resource: '*',
        context: { 'cloudwatch:namespace': namespace },
      }).decision;
    expect(metrics('/aws/sagemaker/TrainingJobs')).toBe('allow');
    expect(metrics('Custom/Anything')).toBe('implicit-deny');
    expect(decide(policies, { action: 'sagemaker:CreateTrainingJob', resource: '*' }).decision).toBe('implicit-deny');
    const trust = stack.resources.SageMakerJobRole!.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust).toMatchObject({
      Principal: { Service: 'sagemaker.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
  });
});

describe('bootstrap template: data bucket, image repository, Batch compute', () => {
  test('the bucket: encrypted, never public, owner-enforced, versioned with expiry as configured, TLS only', () => {
    const stack = stackWith({ NoncurrentVersionDays: '14' });
    const bucket = stack.resources.DataBucket!.Properties;
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'ExpireReplacedVersions',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: '14' },
    });
    expect(stack.resources.DataBucket!.Type).toBe('AWS::S3::Bucket');

    const unversioned = stackWith({ DataBucketVersioning: 'false', DataBucketName: 'my-kedro-data' }).resources
      .DataBucket!.Properties;
    expect(unversioned.VersioningConfiguration).toBeUndefined();
    expect(unversioned.BucketName).toBe('my-kedro-data');
    expect(
      unversioned.LifecycleConfiguration.Rules.find((r: { Id: string }) => r.Id === 'ExpireReplacedVersions').Status,
    ).toBe('Disabled');

    const policy: NamedPolicy[] = [
      { name: 'bucket', document: stack.resources.DataBucketPolicy!.Properties.PolicyDocument },
    ];
    const object = `arn:aws:s3:::${stack.outputs.DataBucketName}/main/x.csv`;
    expect(
      decide(policy, { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' } })
        .decision,
    ).toBe('explicit-deny');
    expect(
      decide(policy, { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'true' } }).decision,
    ).toBe('implicit-deny');
  });

  test('the image repository: immutable tags, scan on push, the last N untagged images kept, pulls for the project functions', () => {
    const stack = stackWith({ UntaggedImagesToKeep: '3' });
    const repo = stack.resources.ImageRepository!.Properties;
    expect(repo).toMatchObject({
      RepositoryName: 'spaceflights',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
    expect(JSON.parse(repo.LifecyclePolicy.LifecyclePolicyText)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'Keep the newest 3 untagged images',
          selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 3 },
          action: { type: 'expire' },
        },
      ],
    });
    const statement = repo.RepositoryPolicyText.Statement[0];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    });
    const pull = (sourceArn: string) =>
      decide([{ name: 'repo', document: { Statement: [{ ...statement, Principal: undefined, Resource: '*' }] } }], {
        action: 'ecr:BatchGetImage',
        resource: '*',
        context: { 'aws:SourceArn': sourceArn },
      }).decision;
    expect(pull(fn('spaceflights-pr-7-reporting'))).toBe('allow');
    expect(pull(fn('other-pr-7-reporting'))).toBe('implicit-deny');
    expect(stack.outputs.ImageRepositoryUri).toBe(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/spaceflights`);
  });

  test('Batch compute: none by default; Fargate or EC2 with the subnets, security groups and max vCPUs given', () => {
    expect(stackWith({ Targets: 'step-functions,batch' }).resources.BatchComputeEnvironment).toBeUndefined();
    expect(stackWith({ BatchComputeType: 'FARGATE' }).resources.BatchComputeEnvironment).toBeUndefined(); // no batch target

    const network = {
      BatchSubnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
      BatchSecurityGroupIds: 'sg-0123456789abcdef0',
    };
    const fargate = stackWith({ Targets: 'batch', BatchComputeType: 'FARGATE', BatchMaxVcpus: '32', ...network });
    expect(fargate.resources.BatchComputeEnvironment!.Properties).toEqual({
      Type: 'MANAGED',
      State: 'ENABLED',
      ComputeResources: {
        Type: 'FARGATE',
        MaxvCpus: '32',
        Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        SecurityGroupIds: ['sg-0123456789abcdef0'],
      },
      Tags: { 'kedro-aws:project': 'spaceflights' },
    });
    expect(fargate.resources.BatchInstanceProfile).toBeUndefined();
    expect(fargate.resources.BatchJobQueue!.Properties).toMatchObject({
      JobQueueName: 'spaceflights-kedro',
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: fargate.resources.BatchComputeEnvironment!.ref }],
    });
    expect(fargate.outputs.BatchJobQueueArn).toBe(`arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/spaceflights-kedro`);

    const spot = stackWith({ Targets: 'batch', BatchComputeType: 'SPOT', ...network });
    expect(spot.resources.BatchComputeEnvironment!.Properties.ComputeResources).toMatchObject({
      Type: 'SPOT',
      MinvCpus: 0,
      InstanceTypes: ['optimal'],
      AllocationStrategy: 'SPOT_CAPACITY_OPTIMIZED',
      InstanceRole: spot.resources.BatchInstanceProfile!.attributes.Arn,
    });
    expect(spot.resources.BatchInstanceRole!.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
    ]);

    // platform linux/arm64: Graviton instance types (AWS Batch's default_arm64 bundle: m6g, c6g, r6g, c7g).
    const graviton = stackWith({ Targets: 'batch', BatchComputeType: 'EC2', BatchArchitecture: 'arm64', ...network });
    expect(graviton.resources.BatchComputeEnvironment!.Properties.ComputeResources).toMatchObject({
      Type: 'EC2',
      InstanceTypes: ['default_arm64'],
      AllocationStrategy: 'BEST_FIT_PROGRESSIVE',
    });
    const x86 = stackWith({ Targets: 'batch', BatchComputeType: 'EC2', ...network });
    expect(x86.resources.BatchComputeEnvironment!.Properties.ComputeResources).toMatchObject({
      InstanceTypes: ['optimal'],
    });
    // Fargate has no instance types: the job definition names the architecture.
    const fargateArm = stackWith({
      Targets: 'batch',
      BatchComputeType: 'FARGATE',
      BatchArchitecture: 'arm64',
      ...network,
    });
    expect(fargateArm.resources.BatchComputeEnvironment!.Properties.ComputeResources).not.toHaveProperty(
      'InstanceTypes',
    );
  });
});

describe('bootstrap outputs ↔ action inputs', () => {
  test('every output is in the README section table, with the input or place it feeds', () => {
    const section = fs.readFileSync(path.resolve(__dirname, '..', '..', 'bootstrap', 'README-section.md'), 'utf8');
    const outputs = Object.keys(template.Outputs);
    const rows = new Map(
      section
        .split('\n')
        .map((line) => /^\|\s*`(\w+)`\s*\|\s*(.+?)\s*\|/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    for (const output of outputs) expect([output, rows.has(output)]).toEqual([output, true]);
    expect(rows.get('RoleToAssume')).toContain('`role-to-assume`');
    expect(rows.get('LambdaRoleArn')).toContain('`lambda-role-arn`');
    expect(rows.get('SfnRoleArn')).toContain('`sfn-role-arn`');
    expect(rows.get('AwsRegion')).toContain('`aws-region`');
    expect(rows.get('ImageRepositoryUri')).toContain('`image-uri`');
    // The inputs named in the table exist in action.yml.
    const actionYml = fs.readFileSync(path.resolve(__dirname, '..', '..', 'action.yml'), 'utf8');
    for (const input of ['role-to-assume', 'lambda-role-arn', 'sfn-role-arn', 'aws-region', 'image-uri']) {
      expect(actionYml).toMatch(new RegExp(`^  ${input}:`, 'm'));
    }
  });
});
