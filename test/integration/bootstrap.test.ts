/**
 * bootstrap/template.yml, the one-time AWS setup, for real:
 *
 * - cfn-lint and checkov (PyPI) on it: no error, no warning, no failed check; every suppression in the
 *   template carries a written reason;
 * - deployed into moto's CloudFormation, then the example project goes through package, deploy, run and
 *   verify with ONLY the stack's outputs as inputs (the role it assumes with GitHub OIDC, the two runtime
 *   roles, the region, the image repository, the data bucket in the catalog's globals);
 * - every API call the action made in that run (and in a redeploy and a teardown) is allowed by the deploy
 *   role's policies as moto stored them, each mode by its own policy, and the same call on another
 *   project's resources is not.
 *
 * moto cannot create AWS::IAM::OIDCProvider and AWS::S3::BucketPolicy (no CloudFormation support), and it
 * ignores several properties (bucket versioning, public access block, ownership, lifecycle; the image
 * repository's lifecycle policy and repository policy; a role's ManagedPolicyArns): the stack here uses
 * CreateOidcProvider=false with the provider made through IAM first, and test/unit/bootstrap-policy.test.ts
 * checks those parts as documents. The template goes to moto as JSON (what `aws cloudformation deploy`
 * sends is equivalent): moto's YAML reader turns `!Condition` into an unknown `Fn::Condition`.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchClient } from '@aws-sdk/client-batch';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTagsForResourceCommand, SFNClient } from '@aws-sdk/client-sfn';
import { MODES } from '../../src/inputs';
import {
  type Authorization,
  authorizationsOf,
  onAnotherProject,
  type RecordedCall,
  type RunResources,
} from '../support/api-permissions';
import { enforceBatchRules } from '../support/batch-rules';
import { boto } from '../support/boto';
import { loadTemplate, TEMPLATE_FILE } from '../support/cfn';
import { runInProcess } from '../support/inprocess';
import { s3Location, uploadRaw } from '../support/kedro';
import { idleFunctions } from '../support/lambda-states';
import { motoExecuteStateMachines, PYTHON, ROOT, resetMoto, VENV_BIN } from '../support/moto';
import { type IdTokenServer, setEnv, startIdTokenServer } from '../support/oidc';
import { decide, grantedActions, type NamedPolicy, type PolicyDocument } from '../support/policy';
import { copyProject, EXAMPLE, FIXTURES } from '../support/projects';

jest.setTimeout(600_000);

const CFN_LINT = path.join(VENV_BIN, 'cfn-lint');
/** checkov pins boto3/botocore far below what moto needs, so it lives in its own virtual environment. */
const CHECKOV = process.env.KEDRO_AWS_CHECKOV ?? path.join(ROOT, '.venv', 'checkov', 'bin', 'checkov');

const REGION = 'us-east-1';
const ORG = 'octo-org';
const REPO = 'octo-repo';
const PROJECT = 'spaceflights';
/** The subject of the ID tokens the stand-in serves (a push to main). */
const SUBJECT = `repo:${ORG}/${REPO}:ref:refs/heads/main`;

const cfn = new CloudFormationClient({ region: REGION });
const iam = new IAMClient({ region: REGION });
const s3 = new S3Client({ region: REGION, forcePathStyle: true });
const lambda = new LambdaClient({ region: REGION });
const sfn = new SFNClient({ region: REGION });

function tool(binary: string, args: string[]): { status: number; stdout: string; stderr: string } {
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: run "bash scripts/setup.sh"`);
  // checkov's JSON report of this template is over 1 MB, spawnSync's default buffer.
  const run = spawnSync(binary, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status ?? -1, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/**
 * The template with every optional part switched on by default (both targets, an EC2 compute environment
 * of Graviton instances with its instance role, the local-executor policy, the SageMaker role and policy): linters only look at the resources whose conditions
 * hold for the defaults, and these parts must pass too.
 */
function allOptionsVariant(): string {
  const defaults: Record<string, string> = {
    Targets: '"step-functions,batch"',
    BatchComputeType: 'EC2',
    BatchArchitecture: 'arm64',
    AllowLocalExecutor: '"true"',
    AllowSageMaker: '"true"',
    AllowExactSchedule: '"true"',
    BatchSubnetIds: 'subnet-0123456789abcdef0',
    BatchSecurityGroupIds: 'sg-0123456789abcdef0',
  };
  let text = fs.readFileSync(TEMPLATE_FILE, 'utf8');
  for (const [parameter, value] of Object.entries(defaults)) {
    const re = new RegExp(`(\\n  ${parameter}:\\n(?:    .*\\n)*?    Default: )[^\\n]*`);
    if (!re.test(text)) throw new Error(`no Default for ${parameter} in the template`);
    text = text.replace(re, `$1${value}`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-template-')), 'template-all-options.yml');
  fs.writeFileSync(file, text);
  return file;
}

describe('bootstrap template: linters', () => {
  const variant = allOptionsVariant();

  test('cfn-lint finds nothing, informational findings included; each check it skips says why', () => {
    const run = tool(CFN_LINT, ['--format', 'json', '--info', 'bootstrap/template.yml', variant]);
    expect(JSON.parse(run.stdout || '[]')).toEqual([]);
    expect(run.status).toBe(0);

    // Every `ignore_checks` in the template's Metadata sits right under a comment that explains it.
    const lines = fs.readFileSync(TEMPLATE_FILE, 'utf8').split('\n');
    const ignores = lines.flatMap((line, i) => (/^\s*ignore_checks:/.test(line) ? [i] : []));
    expect(ignores.length).toBeGreaterThan(0);
    for (const i of ignores) expect(lines[i - 1]).toMatch(/^\s*#\s*\S.{20,}/);
  });

  test('checkov: no failed check; every skipped check has a written reason in the template', () => {
    const run = tool(CHECKOV, [
      '-f',
      'bootstrap/template.yml',
      '-f',
      variant,
      '--framework',
      'cloudformation',
      '--skip-download',
      '-o',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as {
      summary: { passed: number; failed: number; skipped: number; parsing_errors: number; resource_count: number };
      results: {
        failed_checks: { check_id: string; resource: string; file_path: string }[];
        skipped_checks: { check_id: string; resource: string; check_result: { suppress_comment?: string } }[];
      };
    };
    expect(report.results.failed_checks.map((c) => `${c.check_id} ${c.resource} (${c.file_path})`)).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    // Both files were read: the variant has more resources than the defaults create.
    expect(report.summary.resource_count).toBeGreaterThan(40);
    expect(report.summary.passed).toBeGreaterThan(150);
    for (const skipped of report.results.skipped_checks) {
      expect({ check: skipped.check_id, reason: skipped.check_result.suppress_comment ?? '' }).toEqual({
        check: skipped.check_id,
        reason: expect.stringMatching(/\S.{40,}/),
      });
    }
    expect(run.status).toBe(0);
  });
});

// ------------------------------------------------------------------------------------------------------------

async function createStack(name: string, parameters: Record<string, string>): Promise<Record<string, string>> {
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify(loadTemplate()),
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
  const stack = Stacks![0]!;
  if (stack.StackStatus !== 'CREATE_COMPLETE')
    throw new Error(`${name}: ${stack.StackStatus} ${stack.StackStatusReason ?? ''}`);
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
}

/** Logical id of each resource the stack created, by physical id. */
async function logicalIds(stackName: string): Promise<Record<string, string>> {
  const { StackResourceSummaries } = await cfn.send(new ListStackResourcesCommand({ StackName: stackName }));
  return Object.fromEntries(
    (StackResourceSummaries ?? [])
      .filter((r) => r.PhysicalResourceId)
      .map((r) => [r.PhysicalResourceId!, r.LogicalResourceId!]),
  );
}

const roleName = (arn: string) => arn.split('/').pop()!;
const document = (text: string): PolicyDocument => JSON.parse(decodeURIComponent(text));

/** The role's policies as IAM holds them: managed ones named by the stack's logical ids, and inline ones. */
async function policiesOf(roleArn: string, stackName: string): Promise<NamedPolicy[]> {
  const ids = await logicalIds(stackName);
  const name = roleName(roleArn);
  const policies: NamedPolicy[] = [];
  const { AttachedPolicies } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  for (const attached of AttachedPolicies ?? []) {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: Policy!.DefaultVersionId }),
    );
    policies.push({
      name: ids[attached.PolicyArn!] ?? attached.PolicyName!,
      document: document(PolicyVersion!.Document!),
    });
  }
  const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
  for (const policyName of PolicyNames ?? []) {
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
    policies.push({ name: policyName, document: document(inline.PolicyDocument!) });
  }
  return policies;
}

async function trustPolicy(roleArn: string): Promise<PolicyDocument> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName(roleArn) }));
  return document(Role!.AssumeRolePolicyDocument!);
}

/** A trust policy read as an identity policy on the role itself (the checker needs a Resource). */
function trustAsIdentity(doc: PolicyDocument): NamedPolicy[] {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return [
    { name: 'trust', document: { Statement: statements.map(({ Principal: _p, ...s }) => ({ ...s, Resource: '*' })) } },
  ];
}

const STACK = 'kedro-spaceflights';
const PARAMETERS = {
  GitHubOrg: ORG,
  GitHubRepo: REPO,
  ProjectName: PROJECT,
  // moto reads a CommaDelimitedList default as one string: give every list explicitly.
  AllowedBranches: 'main',
  AllowedEnvironments: 'production',
  AllowPullRequests: 'true',
  CreateOidcProvider: 'false',
  Targets: 'step-functions',
  BatchSubnetIds: '',
  BatchSecurityGroupIds: '',
};

/** The inputs the stack's outputs give the action (bootstrap/README-section.md has the table). */
function inputsFrom(outputs: Record<string, string>, digest: string): Record<string, string> {
  return {
    'role-to-assume': outputs.RoleToAssume!,
    'lambda-role-arn': outputs.LambdaRoleArn!,
    'sfn-role-arn': outputs.SfnRoleArn!,
    'aws-region': outputs.AwsRegion!,
    'image-uri': `${outputs.ImageRepositoryUri}@sha256:${digest.repeat(64 / digest.length)}`,
    'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
  };
}

describe('the bootstrap stack in moto, and the example on its outputs alone', () => {
  let outputs: Record<string, string>;

  beforeAll(async () => {
    await resetMoto();
    await motoExecuteStateMachines();
    // The account's GitHub OIDC provider exists already (moto cannot create it from a template).
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    outputs = await createStack(STACK, PARAMETERS);
  });

  test('the stack is created with its outputs, named after the action inputs they feed', async () => {
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AwsRegion',
        'DataBucketName',
        'GitHubOidcProviderArn',
        'ImageRepositoryUri',
        'LambdaRoleArn',
        'ProjectName',
        'RoleToAssume',
        'SfnRoleArn',
      ].sort(),
    );
    expect(outputs.AwsRegion).toBe(REGION);
    expect(outputs.ImageRepositoryUri).toBe(`123456789012.dkr.ecr.${REGION}.amazonaws.com/${PROJECT}`);
    expect(outputs.GitHubOidcProviderArn).toBe(
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    );

    // What moto keeps of the bucket and the repository.
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: outputs.DataBucketName }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
    // (moto drops ImageScanningConfiguration given through CloudFormation: the unit test reads it.)
    const repository = boto('ecr', 'describe_repositories', { repositoryNames: [PROJECT] }).repositories[0];
    expect(repository).toMatchObject({ repositoryName: PROJECT, imageTagMutability: 'IMMUTABLE' });

    // The deploy role trusts the repository's tokens: main, the production environment and pull requests.
    const trust = trustAsIdentity(await trustPolicy(outputs.RoleToAssume!));
    const assume = (aud: string, sub: string) =>
      decide(trust, {
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: outputs.RoleToAssume!,
        context: { 'token.actions.githubusercontent.com:aud': aud, 'token.actions.githubusercontent.com:sub': sub },
      }).decision;
    for (const sub of [SUBJECT, `repo:${ORG}/${REPO}:environment:production`, `repo:${ORG}/${REPO}:pull_request`]) {
      expect([sub, assume('sts.amazonaws.com', sub)]).toEqual([sub, 'allow']);
    }
    for (const sub of [
      `repo:${ORG}/${REPO}:ref:refs/heads/feature`,
      `repo:${ORG}/${REPO}:ref:refs/tags/v1`,
      `repo:${ORG}/${REPO}:environment:staging`,
      `repo:${ORG}/other-repo:ref:refs/heads/main`,
      `repo:someone-else/${REPO}:pull_request`,
    ]) {
      expect([sub, assume('sts.amazonaws.com', sub)]).toEqual([sub, 'implicit-deny']);
    }
    expect(assume('https://github.com/octo-org', SUBJECT)).toBe('implicit-deny');

    // One managed policy per mode on the deploy role, no inline policy.
    const policies = await policiesOf(outputs.RoleToAssume!, STACK);
    expect(policies.map((p) => p.name).sort()).toEqual(
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
    // With it a workflow that has only RoleToAssume and the stack name reads the rest.
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK }));
    const describe = (resource: string) =>
      decide(policies, { action: 'cloudformation:DescribeStacks', resource }).decision;
    expect(describe(Stacks![0]!.StackId!)).toBe('allow');
    expect(describe(Stacks![0]!.StackId!.replace(`stack/${STACK}/`, 'stack/other-stack/'))).toBe('implicit-deny');
  });

  test("package, deploy, run, verify on the outputs; every call allowed by its mode's policy, none on another project", async () => {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-bootstrap-'));
    const project = copyProject(EXAMPLE);
    // The catalog's bucket is the stack's (conf/aws/globals.yml), and the raw data is uploaded there.
    fs.writeFileSync(path.join(project, 'conf', 'aws', 'globals.yml'), `s3_bucket: ${outputs.DataBucketName}\n`);
    await uploadRaw(s3, project, outputs.DataBucketName);

    const stage = 'boot';
    const base = { 'project-path': project, python: PYTHON, stage, 'poll-interval-seconds': '1' };
    const withRole = { ...base, ...inputsFrom(outputs, 'ab') };
    const sha = (c: string) => ({ GITHUB_SHA: c.repeat(40) });
    const calls: Record<string, RecordedCall[]> = {};
    let tokens: IdTokenServer | undefined;
    let restoreEnv = () => {};
    const step = async (mode: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv = sha('a')) => {
      const result = await runInProcess({ ...inputs, mode }, { runnerTemp, env });
      expect({ mode, failure: result.failure }).toEqual({ mode, failure: undefined });
      (calls[mode] ??= []).push(...result.calls);
      return result;
    };

    try {
      // As in a job with `permissions: id-token: write`: GitHub's ID token endpoint (a stand-in) gives a
      // token for a push to main, and the action assumes RoleToAssume with it (moto's STS).
      tokens = await startIdTokenServer(SUBJECT);
      restoreEnv = setEnv(tokens.env());

      const packaged = await step('package', base);
      const deployed = await step('deploy', withRole);
      const functionArns = Object.values(
        JSON.parse(deployed.outputs['lambda-function-arns']!) as Record<string, string>,
      );
      expect(functionArns).toHaveLength(3);
      // The deploy role was assumed with a GitHub ID token for sts.amazonaws.com.
      expect(tokens.requests.length).toBeGreaterThan(0);
      expect(tokens.requests.every((r) => r.audience === 'sts.amazonaws.com')).toBe(true);
      // One function was left idle (test/support/lambda-states.ts stands in for AWS's Inactive state, which
      // moto does not model): run wakes it before the execution starts, with the run policies' permissions.
      const idleAtRun = idleFunctions([`${PROJECT}-${stage}-data_science`]);
      const ran = await step('run', withRole).finally(() => idleAtRun.restore());
      expect(idleAtRun.invoked).toEqual([`${PROJECT}-${stage}-data_science`]);
      expect(ran.outputs.status).toBe('SUCCEEDED');
      const runId = ran.outputs['run-id']!;

      // moto walks the state machine but its Lambdas do not run the image: the groups run here with the
      // execution's run id, as the functions would have (as the Lambda role, not the deploy role: these
      // calls are not the action's, so they are left out of the check).
      restoreEnv();
      const groups = await runInProcess({ ...base, mode: 'run', executor: 'local', 'run-id': runId }, { runnerTemp });
      expect(groups.outputs.status).toBe('SUCCEEDED');
      restoreEnv = setEnv(tokens.env());

      const verified = await step('verify', withRole);
      expect(verified.outputs.verified).toBe('true');
      const report = JSON.parse(fs.readFileSync(verified.outputs.report!, 'utf8')) as { outputs: { url: string }[] };
      const objectKeys = report.outputs.map((o) => s3Location(o.url).key);
      for (const url of report.outputs.map((o) => o.url)) expect(s3Location(url).bucket).toBe(outputs.DataBucketName);

      // The tags AWS would see on the resources when they are changed (the redeploy, the teardown).
      const resourceTags: Record<string, Record<string, string>> = {};
      for (const arn of functionArns)
        resourceTags[arn] = (await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags ?? {};
      const stateMachineArn = deployed.outputs['state-machine-arn']!;
      const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
      resourceTags[stateMachineArn] = Object.fromEntries((tags ?? []).map((t) => [t.key!, t.value!]));

      // A redeploy where everything moves: another image, more memory, another commit, one group fewer.
      const plan = JSON.parse(fs.readFileSync(packaged.outputs.plan!, 'utf8')) as { groups: { name: string }[] };
      plan.groups = plan.groups.filter((g) => g.name !== 'reporting');
      const smaller = path.join(runnerTemp, 'plan-without-reporting.json');
      fs.writeFileSync(smaller, JSON.stringify(plan));
      // And a function idle since: deploy wakes it before it updates it (with the deploy policies' permissions).
      const idleAtDeploy = idleFunctions([`${PROJECT}-${stage}-data_processing`]);
      const redeployed = await step(
        'deploy',
        {
          ...withRole,
          ...inputsFrom(outputs, 'cd'),
          plan: smaller,
          'group-settings': '{"defaults":{"memory_mb":1536}}',
        },
        sha('b'),
      ).finally(() => idleAtDeploy.restore());
      expect(idleAtDeploy.invoked).toEqual([`${PROJECT}-${stage}-data_processing`]);
      expect([...redeployed.mutatingCalls].sort()).toEqual(
        expect.arrayContaining([
          'lambda:DeleteFunction',
          'lambda:Invoke',
          'lambda:TagResource',
          'lambda:UpdateFunctionCode',
          'lambda:UpdateFunctionConfiguration',
          'states:TagResource',
          'states:UpdateStateMachine',
        ]),
      );

      // And once more with nothing changed: no mutating call, only reads (the latest machine version).
      const again = await step(
        'deploy',
        {
          ...withRole,
          ...inputsFrom(outputs, 'cd'),
          plan: smaller,
          'group-settings': '{"defaults":{"memory_mb":1536}}',
        },
        sha('b'),
      );
      expect(again.mutatingCalls).toEqual([]);

      if ((MODES as readonly string[]).includes('teardown')) await step('teardown', withRole);

      // ------------------------------------------------------------------ the policy check
      const resources: RunResources = {
        partition: 'aws',
        region: REGION,
        accountId: '123456789012',
        functionArns,
        stateMachineArn,
        executionArns: [ran.outputs['execution-arn']!],
        bucket: outputs.DataBucketName!,
        objectKeys,
        lambdaRoleArn: outputs.LambdaRoleArn!,
        sfnRoleArn: outputs.SfnRoleArn!,
        requestTags: { 'kedro-aws:project': PROJECT, 'kedro-aws:stage': stage, 'kedro-aws:git-sha': 'a'.repeat(40) },
        resourceTags,
      };
      expect(resourceTags[stateMachineArn]).toMatchObject({ 'kedro-aws:project': PROJECT });

      const policies = await policiesOf(outputs.RoleToAssume!, STACK);
      const byName = (names: string[]) => policies.filter((p) => names.includes(p.name));
      const OWN_POLICIES: Record<string, string[]> = {
        package: [],
        deploy: ['DeployStateMachinePolicy', 'DeployLambdaPolicy'],
        run: ['RunPolicy', 'RunLambdaPolicy'],
        verify: ['VerifyPolicy'],
        teardown: ['TeardownPolicy'],
      };
      expect(calls.package).toEqual([]);

      const actionsByMode: Record<string, string[]> = {};
      const required: Authorization[] = [];
      for (const [mode, modeCalls] of Object.entries(calls)) {
        const needed = authorizationsOf(modeCalls, resources);
        required.push(...needed);
        actionsByMode[mode] = [...new Set(needed.map((a) => a.action))].sort();
        for (const a of needed) {
          const own = decide(byName(OWN_POLICIES[mode]!), a);
          expect({ mode, call: a.call, action: a.action, resource: a.resource, decision: own.decision }).toEqual({
            mode,
            call: a.call,
            action: a.action,
            resource: a.resource,
            decision: 'allow',
          });
        }
      }
      // Written out for the README's table; the test fails when the code calls something not granted.
      fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
      fs.writeFileSync(
        path.join(ROOT, 'test-artifacts', 'bootstrap-actions-by-mode.json'),
        `${JSON.stringify(actionsByMode, null, 2)}\n`,
      );
      expect(actionsByMode.deploy).toEqual(
        expect.arrayContaining([
          'lambda:CreateFunction',
          'iam:PassRole',
          'states:CreateStateMachine',
          'states:PublishStateMachineVersion',
        ]),
      );
      expect(actionsByMode.run).toEqual(
        expect.arrayContaining([
          'states:StartExecution',
          'states:DescribeExecution',
          'lambda:GetFunction',
          'lambda:InvokeFunction',
        ]),
      );
      expect(actionsByMode.deploy).toContain('lambda:InvokeFunction');
      expect(actionsByMode.verify).toEqual(expect.arrayContaining(['s3:GetObject', 'states:DescribeExecution']));

      // The same calls on another project's functions, machine, executions, bucket or role: all denied.
      const other = {
        project: 'otherproj',
        bucket: 'otherproj-data',
        ownBucket: outputs.DataBucketName!,
        roleArn: 'arn:aws:iam::123456789012:role/admin',
      };
      const unscoped = new Set<string>();
      for (const a of required) {
        const moved = onAnotherProject(a, PROJECT, other);
        if (!moved) {
          unscoped.add(a.action);
          continue;
        }
        expect({ action: a.action, resource: moved.resource, decision: decide(policies, moved).decision }).toEqual({
          action: a.action,
          resource: moved.resource,
          decision: 'implicit-deny',
        });
      }
      // Only list calls AWS cannot narrow to a resource use "*".
      expect([...unscoped].sort()).toEqual(['lambda:ListFunctions', 'states:ListStateMachines']);

      // A project whose name starts like this one's (spaceflights-v2-...) is inside the name prefix: its
      // resources are still safe from every change, because changes need this project's tag.
      const lookalike = 'spaceflights-v2';
      for (const a of required.filter((r) => Object.keys(r.context).some((k) => /Tag\/kedro-aws:project$/.test(k)))) {
        const moved = onAnotherProject(a, PROJECT, { ...other, project: lookalike });
        expect({ action: a.action, decision: decide(policies, moved!).decision }).toEqual({
          action: a.action,
          decision: 'implicit-deny',
        });
      }
      // PassRole only for the two runtime roles, each only to its own service.
      const pass = (resource: string, service: string) =>
        decide(policies, { action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } }).decision;
      expect(pass(outputs.LambdaRoleArn!, 'lambda.amazonaws.com')).toBe('allow');
      expect(pass(outputs.SfnRoleArn!, 'states.amazonaws.com')).toBe('allow');
      expect(pass(outputs.LambdaRoleArn!, 'states.amazonaws.com')).toBe('implicit-deny');
      expect(pass(outputs.SfnRoleArn!, 'ec2.amazonaws.com')).toBe('implicit-deny');
      expect(pass(outputs.RoleToAssume!, 'lambda.amazonaws.com')).toBe('implicit-deny');

      // Nothing granted to a mode that its calls did not need, except what this run could not show.
      const NOT_EXERCISED: Record<string, Record<string, string>> = {
        run: { 'states:StopExecution': 'the post step of a cancelled job, and timeout-minutes with on-timeout: stop' },
        // Reading the image's labels: moto's ECR serves no registry API, so the image here is made up
        // (allow-image-mismatch); test/integration/image-check.test.ts reads a real one.
        deploy: {
          'ecr:GetAuthorizationToken': 'reading the image labels (a made-up image here)',
          'ecr:BatchGetImage': 'reading the image labels (a made-up image here)',
          'ecr:GetDownloadUrlForLayer': 'reading the image labels (a made-up image here)',
        },
        verify: { 's3:ListBucket': 'outputs saved as folders, and the versions of a versioned output that is missing' },
        teardown: {
          's3:GetObjectVersion':
            "a versioned data bucket's recorded versions (moto's CloudFormation leaves the bucket unversioned)",
          's3:DeleteObjectVersion':
            "a versioned data bucket's recorded versions (moto's CloudFormation leaves the bucket unversioned)",
        },
      };
      for (const [mode, names] of Object.entries(OWN_POLICIES)) {
        if (!calls[mode]) continue;
        const needed = new Set((actionsByMode[mode] ?? []).map((a) => a.toLowerCase()));
        const extra = grantedActions(byName(names)).filter(
          (a) => !needed.has(a.toLowerCase()) && !(a in (NOT_EXERCISED[mode] ?? {})),
        );
        expect({ mode, extra }).toEqual({ mode, extra: [] });
      }
    } finally {
      restoreEnv();
      await tokens?.close();
    }
  });

  test('with the batch target, the Fargate compute environment, the queue and the job roles are created', async () => {
    const subnets = (boto('ec2', 'describe_subnets').Subnets as { SubnetId: string }[])
      .slice(0, 2)
      .map((s) => s.SubnetId);
    const group = (boto('ec2', 'describe_security_groups').SecurityGroups as { GroupId: string }[])[0]!.GroupId;
    // moto wants an explicit service role; on AWS an empty BatchServiceRoleArn uses the service-linked role.
    const service = await iam.send(
      new CreateRoleCommand({ RoleName: 'batch-service', AssumeRolePolicyDocument: '{}' }),
    );
    const batch = await createStack('kedro-batchproj', {
      ...PARAMETERS,
      ProjectName: 'batchproj',
      Targets: 'step-functions,batch',
      AllowExactSchedule: 'true', // the gates' policies on both group roles, created by moto's CloudFormation
      BatchComputeType: 'FARGATE',
      BatchMaxVcpus: '8',
      BatchSubnetIds: subnets.join(','),
      BatchSecurityGroupIds: group,
      BatchServiceRoleArn: service.Role!.Arn!,
    });
    expect(Object.keys(batch)).toEqual(
      expect.arrayContaining(['BatchJobRoleArn', 'BatchExecutionRoleArn', 'BatchJobQueueArn', 'LambdaRoleArn']),
    );
    expect(batch.BatchJobQueueArn).toBe(`arn:aws:batch:${REGION}:123456789012:job-queue/batchproj-kedro`);

    const queue = boto('batch', 'describe_job_queues', { jobQueues: [batch.BatchJobQueueArn] }).jobQueues[0];
    expect(queue).toMatchObject({ state: 'ENABLED', priority: 1 });
    const environment = boto('batch', 'describe_compute_environments', {
      computeEnvironments: [queue.computeEnvironmentOrder[0].computeEnvironment],
    }).computeEnvironments[0];
    expect(environment).toMatchObject({
      type: 'MANAGED',
      computeResources: { type: 'FARGATE', maxvCpus: 8, subnets, securityGroupIds: [group] },
    });

    // The state machine role can submit the project's jobs to that queue, and only to queues of the project.
    const sfnPolicies = await policiesOf(batch.SfnRoleArn!, 'kedro-batchproj');
    expect(sfnPolicies.map((p) => p.name).sort()).toEqual(['StateMachineBatchPolicy', 'StateMachineLambdaPolicy']);
    const submit = (resource: string) => decide(sfnPolicies, { action: 'batch:SubmitJob', resource }).decision;
    expect(submit(batch.BatchJobQueueArn!)).toBe('allow');
    expect(submit(`arn:aws:batch:${REGION}:123456789012:job-definition/batchproj-pr-1-reporting:3`)).toBe('allow');
    expect(submit(`arn:aws:batch:${REGION}:123456789012:job-queue/default`)).toBe('implicit-deny');

    const deployPolicies = await policiesOf(batch.RoleToAssume!, 'kedro-batchproj');
    expect(deployPolicies.map((p) => p.name)).toContain('DeployBatchPolicy');
    const passJobRole = (service: string) =>
      decide(deployPolicies, {
        action: 'iam:PassRole',
        resource: batch.BatchJobRoleArn!,
        context: { 'iam:PassedToService': service },
      }).decision;
    expect(passJobRole('ecs-tasks.amazonaws.com')).toBe('allow');
    expect(passJobRole('lambda.amazonaws.com')).toBe('implicit-deny');
  });

  // The stack's queues run what the action emits: one stack with a FARGATE compute environment and one with
  // EC2 (each for a fixture project, whose package name is the stack's ProjectName), and through each the
  // action deploys and runs target batch with the stack's outputs alone, assuming its role with GitHub OIDC.
  // moto accepts job definitions and jobs AWS refuses, so AWS Batch's rules stand in front of it
  // (test/support/batch-rules.ts): a Fargate job definition without an execution role, vCPUs and memory
  // the platform does not take, or a job on a queue of the other platform would be refused here as there.
  test('with the batch target, jobs deployed and run through the action on both the EC2 and the FARGATE queue; every call allowed by its mode policies, none on another project', async () => {
    const subnets = (boto('ec2', 'describe_subnets').Subnets as { SubnetId: string }[])
      .slice(0, 2)
      .map((s) => s.SubnetId);
    const securityGroup = (boto('ec2', 'describe_security_groups').SecurityGroups as { GroupId: string }[])[0]!.GroupId;
    const service = await iam.send(
      new CreateRoleCommand({ RoleName: 'batch-service-queues', AssumeRolePolicyDocument: '{}' }),
    );
    const rules = enforceBatchRules(new BatchClient({ region: REGION }));
    let tokens: IdTokenServer | undefined;
    let restoreEnv = () => {};
    try {
      tokens = await startIdTokenServer(SUBJECT);
      restoreEnv = setEnv(tokens.env());
      for (const [computeType, fixture] of [
        ['FARGATE', 'diamond'],
        ['EC2', 'n-shaped'],
      ] as const) {
        const project = copyProject(path.join(FIXTURES, fixture));
        const packageName = /package_name = "([^"]+)"/.exec(
          fs.readFileSync(path.join(project, 'pyproject.toml'), 'utf8'),
        )![1]!;
        const stackName = `kedro-${packageName.replace(/_/g, '-')}`;
        const outputs = await createStack(stackName, {
          ...PARAMETERS,
          ProjectName: packageName,
          Targets: 'batch',
          BatchComputeType: computeType,
          BatchSubnetIds: subnets.join(','),
          BatchSecurityGroupIds: securityGroup,
          BatchServiceRoleArn: service.Role!.Arn!,
        });
        fs.writeFileSync(path.join(project, 'conf', 'aws', 'globals.yml'), `s3_bucket: ${outputs.DataBucketName}\n`);

        const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-bootstrap-${fixture}-`));
        const stage = 'queue';
        const base = { 'project-path': project, python: PYTHON, stage, target: 'batch', 'poll-interval-seconds': '1' };
        // Only the stack's outputs (and on Fargate, settings that make a Fargate pair of the built-in 1 vCPU).
        const withRole = {
          ...base,
          'role-to-assume': outputs.RoleToAssume!,
          'aws-region': outputs.AwsRegion!,
          'image-uri': `${outputs.ImageRepositoryUri}@sha256:${'ef'.repeat(32)}`,
          'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
          'batch-job-queue': outputs.BatchJobQueueArn!,
          'batch-job-role-arn': outputs.BatchJobRoleArn!,
          'batch-execution-role-arn': outputs.BatchExecutionRoleArn!,
          ...(computeType === 'FARGATE' ? { 'group-settings': '{"defaults":{"memory_mb":2048}}' } : {}),
        };
        const calls: Record<string, RecordedCall[]> = {};
        const step = async (mode: string, inputs: Record<string, string>) => {
          const result = await runInProcess({ ...inputs, mode }, { runnerTemp, env: { GITHUB_SHA: 'a'.repeat(40) } });
          expect({ computeType, mode, failure: result.failure }).toEqual({ computeType, mode, failure: undefined });
          (calls[mode] ??= []).push(...result.calls);
          return result;
        };

        await step('package', base);
        const deployed = await step('deploy', withRole);
        const jobDefinitionArn = deployed.outputs['job-definition-arn']!;
        const definition = boto('batch', 'describe_job_definitions', { jobDefinitions: [jobDefinitionArn] })
          .jobDefinitions[0];
        expect(definition.platformCapabilities).toEqual([computeType]);
        if (computeType === 'FARGATE') {
          expect(jobDefinitionArn).toMatch(new RegExp(`:job-definition/${packageName}-${stage}_fargate:1$`));
          expect(definition.containerProperties.executionRoleArn).toBe(outputs.BatchExecutionRoleArn);
        } else {
          expect(jobDefinitionArn).toMatch(new RegExp(`:job-definition/${packageName}-${stage}:1$`));
        }
        const ran = await step('run', withRole);
        expect(ran.outputs.status).toBe('SUCCEEDED');
        const jobIds = Object.values(JSON.parse(ran.outputs['batch-job-ids']!) as Record<string, string>);
        const jobArns = jobIds.map((id) => `arn:aws:batch:${REGION}:123456789012:job/${id}`);
        const jobs = boto('batch', 'describe_jobs', { jobs: jobIds }).jobs as { jobQueue: string }[];
        expect(jobs.map((j) => j.jobQueue)).toEqual(jobIds.map(() => outputs.BatchJobQueueArn));
        expect(rules.refused).toEqual([]);
        // An arm64 image on the stack's queue: BatchArchitecture x86_64 gives the EC2 compute environment
        // `optimal` (x86) instance types, so deploy refuses it before any change, naming the fix; on Fargate the
        // job definition says ARM64. (With BatchArchitecture arm64 the EC2 compute environment has
        // `default_arm64`, which moto 5 refuses to create: "Instance type default_arm64 does not exist".)
        const arm = await runInProcess(
          { ...withRole, platform: 'linux/arm64', mode: 'deploy' },
          { runnerTemp, env: { GITHUB_SHA: 'a'.repeat(40) } },
        );
        if (computeType === 'EC2') {
          expect(arm.failure).toMatch(
            new RegExp(
              `job queue ${packageName}-kedro launches only x86_64 instances \\(compute environment \\S+: instance types optimal;.*the image .* is linux/arm64.*the bootstrap's BatchArchitecture: arm64`,
            ),
          );
        } else {
          expect(arm.failure).toBeUndefined();
          const armDefinition = boto('batch', 'describe_job_definitions', {
            jobDefinitions: [arm.outputs['job-definition-arn']],
          }).jobDefinitions[0];
          expect(armDefinition.containerProperties.runtimePlatform).toEqual({
            cpuArchitecture: 'ARM64',
            operatingSystemFamily: 'LINUX',
          });
        }
        if ((MODES as readonly string[]).includes('teardown')) await step('teardown', withRole);

        // ------------------------------------------------------------------ the policy check
        const resourceTags: Record<string, Record<string, string>> = {};
        for (const arn of [jobDefinitionArn, ...jobArns]) {
          resourceTags[arn] = boto('batch', 'list_tags_for_resource', { resourceArn: arn }).tags ?? {};
        }
        const resources: RunResources = {
          partition: 'aws',
          region: REGION,
          accountId: '123456789012',
          functionArns: [],
          stateMachineArn: '',
          executionArns: [],
          bucket: outputs.DataBucketName!,
          objectKeys: [],
          lambdaRoleArn: '',
          sfnRoleArn: outputs.SfnRoleArn!,
          requestTags: {
            'kedro-aws:project': packageName,
            'kedro-aws:stage': stage,
            'kedro-aws:git-sha': 'a'.repeat(40),
          },
          resourceTags,
          jobDefinitionArns: [jobDefinitionArn],
          jobQueueArns: [outputs.BatchJobQueueArn!],
          jobArns,
          batchJobRoleArn: outputs.BatchJobRoleArn!,
          ...(computeType === 'FARGATE' ? { batchExecutionRoleArn: outputs.BatchExecutionRoleArn! } : {}),
        };
        const policies = await policiesOf(outputs.RoleToAssume!, stackName);
        const byName = (names: string[]) => policies.filter((p) => names.includes(p.name));
        const OWN_POLICIES: Record<string, string[]> = {
          package: [],
          deploy: ['DeployBatchPolicy', 'DeployStateMachinePolicy'],
          run: ['RunPolicy', 'RunBatchPolicy'],
          teardown: ['TeardownPolicy', 'DeployBatchPolicy'],
        };
        expect(calls.package).toEqual([]);
        const actionsByMode: Record<string, string[]> = {};
        const required: Authorization[] = [];
        for (const [mode, modeCalls] of Object.entries(calls)) {
          const needed = authorizationsOf(modeCalls, resources);
          required.push(...needed);
          actionsByMode[mode] = [...new Set(needed.map((a) => a.action))].sort();
          for (const a of needed) {
            expect({
              computeType,
              mode,
              action: a.action,
              resource: a.resource,
              decision: decide(byName(OWN_POLICIES[mode]!), a).decision,
            }).toEqual({
              computeType,
              mode,
              action: a.action,
              resource: a.resource,
              decision: 'allow',
            });
          }
        }
        expect(actionsByMode.deploy).toEqual(
          expect.arrayContaining([
            'batch:DescribeJobQueues',
            'batch:DescribeComputeEnvironments',
            'batch:RegisterJobDefinition',
            'iam:PassRole',
          ]),
        );
        expect(actionsByMode.run).toEqual(
          expect.arrayContaining(['batch:DescribeJobQueues', 'batch:SubmitJob', 'batch:DescribeJobs']),
        );
        // The same calls on another project's job definitions, queues, jobs, bucket or roles: all denied.
        const other = {
          project: 'otherproj',
          bucket: 'otherproj-data',
          ownBucket: outputs.DataBucketName!,
          roleArn: 'arn:aws:iam::123456789012:role/admin',
        };
        const unscoped = new Set<string>();
        for (const a of required) {
          const moved = onAnotherProject(a, packageName, other);
          if (!moved) {
            unscoped.add(a.action);
            continue;
          }
          expect({ action: a.action, resource: moved.resource, decision: decide(policies, moved).decision }).toEqual({
            action: a.action,
            resource: moved.resource,
            decision: 'implicit-deny',
          });
        }
        expect([...unscoped].sort()).toEqual([
          'batch:DescribeComputeEnvironments',
          'batch:DescribeJobDefinitions',
          'batch:DescribeJobQueues',
          'batch:DescribeJobs',
        ]);
        // Nothing granted to the Batch policies that the calls did not need, except what this run could not show.
        const NOT_EXERCISED: Record<string, string> = {
          'batch:TerminateJob':
            'the post step of a cancelled job, timeout-minutes with on-timeout: stop, a failed group',
          'batch:TagResource': 'a redeploy whose job definition is unchanged but for its tags',
        };
        const needed = new Set(
          Object.values(actionsByMode)
            .flat()
            .map((a) => a.toLowerCase()),
        );
        const extra = grantedActions(byName(['DeployBatchPolicy', 'RunBatchPolicy'])).filter(
          (a) => !needed.has(a.toLowerCase()) && !(a in NOT_EXERCISED),
        );
        expect({ computeType, extra }).toEqual({ computeType, extra: [] });
      }
    } finally {
      restoreEnv();
      await tokens?.close();
      rules.restore();
    }
  });
});
