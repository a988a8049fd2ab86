/**
 * Target step-functions against moto in executing mode: deploy (one Lambda per group, the state
 * machine), run (moto really walks the definition), and what a user sees: outputs set, order kept, a
 * second deploy making no change, a failure naming its group.
 *
 * moto's Lambda without Docker does not run the image (it answers every invoke with its payload), so
 * these tests check the orchestration; the groups' code is tested by python/tests/test_runtime.py.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readExportResult } from '../../src/kedro/export';
import { realClock } from '../../src/lib/wait';
import { buildPlan } from '../../src/plan/planner';
import { failureMessage, waitForExecution } from '../../src/targets/stepfunctions/execution';
import { runAction, runPost, startAction } from '../support/action';
import { runInProcess } from '../support/inprocess';
import { idleFunctions } from '../support/lambda-states';
import { createDataBuckets, motoExecuteStateMachines, motoRecordOnly, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE, FIXTURES } from '../support/projects';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`;
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

async function roles(): Promise<{ lambda: string; sfn: string }> {
  const iam = new IAMClient({ region: 'us-east-1' });
  const lambda = await iam.send(new CreateRoleCommand({ RoleName: 'kedro-lambda', AssumeRolePolicyDocument: TRUST }));
  const sfn = await iam.send(new CreateRoleCommand({ RoleName: 'kedro-sfn', AssumeRolePolicyDocument: TRUST }));
  return { lambda: lambda.Role!.Arn!, sfn: sfn.Role!.Arn! };
}

/** Package a project once (real Kedro), so deploy/run tests start from its plan. */
function packaged(source: string, runnerTemp: string, stage: string) {
  const project = copyProject(source);
  const run = runAction({ mode: 'package', 'project-path': project, python: PYTHON, stage }, { runnerTemp });
  if (run.code !== 0) throw new Error(`package failed: ${run.errors.join('\n')}`);
  return run.outputs.plan!;
}

function loadPlanFile(file: string, stage: string) {
  return { deployment: buildPlan(readExportResult(file, 0), { stage }) };
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const sfn = new SFNClient({ region: 'us-east-1' });
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** For each task state: when it was entered and when it exited (event ids, in history order). */
function taskSpans(events: HistoryEvent[]): Map<string, { entered: number; exited: number }> {
  const spans = new Map<string, { entered: number; exited: number }>();
  for (const e of events) {
    if (e.type === 'TaskStateEntered') spans.set(e.stateEnteredEventDetails!.name!, { entered: e.id!, exited: -1 });
    if (e.type === 'TaskStateExited') spans.get(e.stateExitedEventDetails!.name!)!.exited = e.id!;
  }
  return spans;
}

describe('target step-functions against moto', () => {
  let runnerTemp: string;
  let roleArns: { lambda: string; sfn: string };

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    await motoExecuteStateMachines();
    roleArns = await roles();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-sfn-'));
  });

  const common = () => ({
    'lambda-role-arn': roleArns.lambda,
    'sfn-role-arn': roleArns.sfn,
    'image-uri': IMAGE,
    'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
    'poll-interval-seconds': '1',
    // Every stage here resolves its outputs to main/ (these tests are about the orchestration; the
    // refusal of stages sharing outputs is test/integration/records.test.ts's).
    'allow-shared-outputs': 'true',
  });

  test('deploy then run the example: outputs set, SUCCEEDED, groups after their dependencies', async () => {
    const plan = packaged(EXAMPLE, runnerTemp, 'ci');
    const result = await runInProcess({ ...common(), mode: 'deploy,run', plan, stage: 'ci' }, { runnerTemp });
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    const { outputs } = result;
    expect(outputs['state-machine-arn']).toMatch(/^arn:aws:states:us-east-1:\d{12}:stateMachine:spaceflights-ci$/);
    expect(outputs['state-machine-version-arn']).toMatch(/:stateMachine:spaceflights-ci:\d+$/);
    expect(Object.keys(JSON.parse(outputs['lambda-function-arns']!)).sort()).toEqual([
      'data_processing',
      'data_science',
      'reporting',
    ]);
    expect(outputs['execution-arn']).toMatch(/:execution:spaceflights-ci:/);
    expect(outputs['run-id']).toMatch(/^\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z$/);
    expect(outputs.status).toBe('SUCCEEDED');

    // The job summary shows the graph with every group and the run.
    expect(result.summary).toContain('```mermaid');
    for (const group of ['data_processing', 'data_science', 'reporting']) expect(result.summary).toContain(group);
    expect(result.summary).toContain(outputs['run-id']!);

    const spans = taskSpans(await history(outputs['execution-arn']!));
    for (const downstream of ['data_science', 'reporting']) {
      expect(spans.get(downstream)!.entered).toBeGreaterThan(spans.get('data_processing')!.exited);
    }
  });

  test('a second deploy with nothing changed makes no mutating call', async () => {
    const plan = packaged(EXAMPLE, runnerTemp, 'idem');
    const first = await runInProcess({ ...common(), mode: 'deploy', plan, stage: 'idem' }, { runnerTemp });
    expect(first.ok).toBe(true);
    expect(first.mutatingCalls.length).toBeGreaterThan(0);
    const second = await runInProcess({ ...common(), mode: 'deploy', plan, stage: 'idem' }, { runnerTemp });
    expect(second.failure).toBeUndefined();
    expect(second.mutatingCalls).toEqual([]);
    expect(second.outputs['state-machine-arn']).toBe(first.outputs['state-machine-arn']);
  });

  test('a change of memory updates only that function and publishes no new machine version', async () => {
    const plan = packaged(EXAMPLE, runnerTemp, 'mem');
    await runInProcess({ ...common(), mode: 'deploy', plan, stage: 'mem' }, { runnerTemp });
    const again = await runInProcess(
      {
        ...common(),
        mode: 'deploy',
        plan,
        stage: 'mem',
        'group-settings': '{"groups":{"reporting":{"memory_mb":512}}}',
      },
      { runnerTemp },
    );
    expect(again.ok).toBe(true);
    expect(again.mutatingCalls).toEqual(['lambda:UpdateFunctionConfiguration']);
  });

  test.each(['diamond', 'n-shaped', 'no-namespaces'])(
    'the %s fixture deploys and runs, every group after all of its dependencies',
    async (fixture) => {
      const stage = `fx-${fixture}`;
      const plan = packaged(path.join(FIXTURES, fixture), runnerTemp, stage);
      // moto's Lambda runs no group code, so nothing would open the gates of `exact` (the default, auto) on
      // the n-shaped graph: its order is checked with `dag` here, and exact's gates in moto, with processes
      // playing the functions, in exact.test.ts.
      const result = await runInProcess(
        { ...common(), mode: 'deploy,run', plan, stage, schedule: 'dag' },
        { runnerTemp },
      );
      expect(result.failure).toBeUndefined();
      expect(result.outputs.status).toBe('SUCCEEDED');
      const planJson = JSON.parse(fs.readFileSync(plan, 'utf8')) as {
        groups: { name: string; dependencies: string[] }[];
      };
      const spans = taskSpans(await history(result.outputs['execution-arn']!));
      // State names are the groups' (cleaned) names; the fixtures' names need no cleaning.
      for (const group of planJson.groups) {
        expect(spans.has(group.name)).toBe(true);
        for (const dep of group.dependencies)
          expect(spans.get(group.name)!.entered).toBeGreaterThan(spans.get(dep)!.exited);
      }
    },
  );

  test('a failing group is named with its error, its logs and the execution', async () => {
    const stage = 'fail';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const deployed = await runInProcess({ ...common(), mode: 'deploy', plan, stage }, { runnerTemp });
    // moto's Lambda cannot make a function fail. An execution started without a run id (as from the
    // console) makes the first group's task fail in Step Functions itself (States.Runtime), and the
    // waiting code must report it like any failure of that group.
    const sfn = new SFNClient({ region: 'us-east-1' });
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deployed.outputs['state-machine-arn'],
        name: 'no-run-id',
        input: '{}',
      }),
    );
    const { deployment } = loadPlanFile(plan, stage);
    const outcome = await waitForExecution(sfn, started.executionArn!, deployment, {
      timeoutMinutes: 2,
      pollIntervalSeconds: 1,
      onTimeout: 'leave',
      clock: realClock,
    });
    expect(outcome.status).toBe('FAILED');
    const message = failureMessage(outcome, started.executionArn!, deployment);
    expect(message).toMatch(/group "data_processing" failed: States\.Runtime/);
    expect(message).toMatch(/run_id/);
    expect(message).toMatch(/logs: \/aws\/lambda\/spaceflights-fail-data_processing/);
    expect(message).toMatch(/execution: https:\/\/us-east-1\.console\.aws\.amazon\.com\/states/);
  });

  test('functions of groups that left the pipeline are removed, and only those', async () => {
    const stage = 'shrink';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const first = await runInProcess({ ...common(), mode: 'deploy', plan, stage }, { runnerTemp });
    expect(first.ok).toBe(true);
    // Another stage of the same project must not be touched.
    const otherPlan = packaged(EXAMPLE, runnerTemp, 'neighbour');
    await runInProcess({ ...common(), mode: 'deploy', plan: otherPlan, stage: 'neighbour' }, { runnerTemp });

    const json = JSON.parse(fs.readFileSync(plan, 'utf8')) as { groups: { name: string }[] };
    json.groups = json.groups.filter((g) => g.name !== 'reporting');
    const smaller = path.join(runnerTemp, 'plan-without-reporting.json');
    fs.writeFileSync(smaller, JSON.stringify(json));
    const second = await runInProcess({ ...common(), mode: 'deploy', plan: smaller, stage }, { runnerTemp });
    expect(second.failure).toBeUndefined();
    expect(second.mutatingCalls).toEqual(['lambda:DeleteFunction', 'states:UpdateStateMachine']);

    const lambda = new LambdaClient({ region: 'us-east-1' });
    const names = (await lambda.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName).sort();
    expect(names).toEqual(
      expect.arrayContaining(['spaceflights-neighbour-reporting', 'spaceflights-shrink-data_science']),
    );
    expect(names).not.toContain('spaceflights-shrink-reporting');
  });

  test('a re-run of the same workflow attempt follows the execution it started instead of starting another', async () => {
    const stage = 'rerun';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const env = { GITHUB_RUN_ID: '987654', GITHUB_RUN_ATTEMPT: '1' };
    const first = await runInProcess({ ...common(), mode: 'deploy,run', plan, stage }, { runnerTemp, env });
    const again = await runInProcess({ ...common(), mode: 'run', plan, stage }, { runnerTemp, env });
    expect(again.ok).toBe(true);
    expect(again.outputs['execution-arn']).toBe(first.outputs['execution-arn']);
    expect(again.outputs['run-id']).toBe(first.outputs['run-id']);
    // The one StartExecution found the execution there (the other writes are the stage's lease, s3:).
    expect(again.mutatingCalls.filter((c) => !c.startsWith('s3:'))).toEqual(['states:StartExecution']);
    const next = await runInProcess(
      { ...common(), mode: 'run', plan, stage },
      { runnerTemp, env: { ...env, GITHUB_RUN_ATTEMPT: '2' } },
    );
    expect(next.outputs['execution-arn']).not.toBe(first.outputs['execution-arn']);
  });

  // moto's functions are always Active: test/support/lambda-states.ts stands in for AWS's Inactive state
  // (an idle function), its failed first invocation and the Pending state until Lambda restores it.
  test('a function left idle (Inactive) is invoked once to reactivate it and waited for before the run starts', async () => {
    const stage = 'idle';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const deployed = await runInProcess({ ...common(), mode: 'deploy', plan, stage }, { runnerTemp });
    expect(deployed.ok).toBe(true);
    const idle = idleFunctions(['spaceflights-idle-data_science']);
    let ran: Awaited<ReturnType<typeof runInProcess>>;
    try {
      ran = await runInProcess({ ...common(), mode: 'run', plan, stage }, { runnerTemp });
    } finally {
      idle.restore();
    }
    expect(ran.failure).toBeUndefined();
    expect(ran.outputs.status).toBe('SUCCEEDED');
    expect(idle.invoked).toEqual(['spaceflights-idle-data_science']);
    expect(idle.reads.map((r) => r.state)).toEqual(['Inactive', 'Pending', 'Active']);
    // Woken (Invoke) and seen Active before the execution started.
    const order = ran.calls.map((c) => `${c.service}:${c.operation}`);
    const invoke = order.indexOf('lambda:Invoke');
    expect(invoke).toBeGreaterThanOrEqual(0);
    expect(order.lastIndexOf('lambda:GetFunction')).toBeLessThan(order.indexOf('states:StartExecution'));
    expect(invoke).toBeLessThan(order.indexOf('states:StartExecution'));

    // A deploy with nothing changed looks at the state too: the idle function is woken, nothing updated.
    const again = idleFunctions(['spaceflights-idle-reporting']);
    let redeployed: Awaited<ReturnType<typeof runInProcess>>;
    try {
      redeployed = await runInProcess({ ...common(), mode: 'deploy', plan, stage }, { runnerTemp });
    } finally {
      again.restore();
    }
    expect(redeployed.failure).toBeUndefined();
    expect(again.invoked).toEqual(['spaceflights-idle-reporting']);
    expect(redeployed.mutatingCalls).toEqual(['lambda:Invoke']);
  });

  test('deploy without the roles names the inputs', async () => {
    const plan = packaged(EXAMPLE, runnerTemp, 'noroles');
    const result = await runInProcess(
      {
        mode: 'deploy',
        plan,
        stage: 'noroles',
        'image-uri': IMAGE,
        'allow-image-mismatch': 'true',
        'allow-shared-outputs': 'true',
      },
      { runnerTemp },
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/input "lambda-role-arn" is required by mode "deploy"/);
  });
});

describe('wait: false and the post step', () => {
  let runnerTemp: string;
  let roleArns: { lambda: string; sfn: string };

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    // Executions stay RUNNING: moto records them without walking the definition.
    await motoRecordOnly();
    roleArns = await roles();
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-post-'));
  });

  test('wait: false returns at once with the execution running, and the post step leaves it alone', async () => {
    const stage = 'nowait';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const inputs = {
      'lambda-role-arn': roleArns.lambda,
      'sfn-role-arn': roleArns.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
      mode: 'deploy,run',
      plan,
      stage,
      wait: 'false',
    };
    const result = await runInProcess(inputs, { runnerTemp });
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('RUNNING');
    const post = runPost({}, path.join(runnerTemp, 'github_state'));
    expect(post.code).toBe(0);
    expect(post.stdout).not.toMatch(/Stopped execution/);
    const sfn = new SFNClient({ region: 'us-east-1' });
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: result.outputs['execution-arn'] }));
    expect(execution.status).toBe('RUNNING');
  });

  test('when the job is cancelled while run waits, the post step stops the execution', async () => {
    const stage = 'cancel';
    const plan = packaged(EXAMPLE, runnerTemp, stage);
    const inputs = {
      'lambda-role-arn': roleArns.lambda,
      'sfn-role-arn': roleArns.sfn,
      'image-uri': IMAGE,
      'allow-image-mismatch': 'true', // a made-up image: no registry serves its labels
      plan,
      stage,
      'poll-interval-seconds': '1',
      'allow-shared-outputs': 'true',
    };
    await runInProcess({ ...inputs, mode: 'deploy' }, { runnerTemp });
    // The runner kills the main step on cancel; here the main step runs as a process that is killed.
    const child = startAction({ ...inputs, mode: 'run' }, runnerTemp);
    const executionArn = await child.executionStarted;
    child.kill();
    const post = runPost({}, child.stateFile);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/Stopped execution/);
    const sfn = new SFNClient({ region: 'us-east-1' });
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution.status).toBe('ABORTED');
  });
});
