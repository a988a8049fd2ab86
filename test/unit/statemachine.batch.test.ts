/**
 * Batch groups inside the Step Functions definition: a group with `compute: batch` becomes a
 * `batch:submitJob.sync` Task (no Step Functions Retry, result dropped) in the same machine as the
 * Lambda groups, and the machine stays valid ASL with the waits of the group graph.
 */
import fc from 'fast-check';
import { INFRASTRUCTURE_RETRY } from '../../src/plan/batch';
import { buildPlan, type DeploymentPlan } from '../../src/plan/planner';
import type { Group } from '../../src/plan/schema';
import {
  BATCH_SUBMIT_JOB_RESOURCE,
  BATCH_TASK_QUEUE_SECONDS,
  type BuiltDefinition,
  buildDefinition,
  HISTORY_EVENTS,
  LAMBDA_INVOKE_RESOURCE,
  TASK_TIMEOUT_MARGIN_SECONDS,
} from '../../src/plan/statemachine';
import { group, makePlan, problemsOf } from './plan/fixtures';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

const BATCH = {
  jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/kedro',
  jobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/spaceflights-dev:7',
};

function planOf(groups: Group[], settings: Record<string, unknown> = {}): DeploymentPlan {
  return buildPlan(makePlan({ groups, settings }), { stage: 'dev' });
}

function build(plan: DeploymentPlan, batch: typeof BATCH | null = BATCH): BuiltDefinition {
  return buildDefinition(plan, {
    env: 'aws',
    packageName: 'spaceflights',
    functionArn: (g) => `arn:aws:lambda:eu-west-1:123456789012:function:${g.names.lambdaFunction}`,
    ...(batch ? { batch } : {}),
  });
}

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: unknown[];
  Branches?: { States: Record<string, State> }[];
  [key: string]: unknown;
}

function tasks(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, s]) =>
    s.Type === 'Task' ? [[name, s] as [string, State]] : (s.Branches ?? []).flatMap((b) => tasks(b.States)),
  );
}

function expectValid(built: BuiltDefinition): void {
  const result = aslValidator(JSON.parse(built.json));
  expect(result.errorsText('\n')).toBe('');
  expect(result.isValid).toBe(true);
}

const spaceflights = (): DeploymentPlan =>
  planOf(
    [group('data_processing'), group('data_science', ['data_processing']), group('reporting', ['data_processing'])],
    { groups: { data_science: { compute: 'batch', memory_mb: 16384, vcpus: 4, timeout_seconds: 7200, retries: 1 } } },
  );

describe('a mixed state machine', () => {
  const built = build(spaceflights());
  const states = new Map(tasks(JSON.parse(built.json).States));

  it('is valid ASL', () => expectValid(built));

  it('runs the Batch group as a submitJob.sync Task with no Step Functions Retry, and the others on Lambda', () => {
    const ds = states.get('data_science')!;
    expect(ds.Resource).toBe(BATCH_SUBMIT_JOB_RESOURCE);
    expect(ds.Retry).toBeUndefined();
    expect(ds.ResultPath).toBeNull();
    expect('Catch' in ds).toBe(false);
    for (const name of ['data_processing', 'reporting']) {
      expect(states.get(name)!.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
      expect(states.get(name)!.Retry).toHaveLength(1);
    }
  });

  it("submits a job of the stage's job definition with the group's parameters, the run's, and its settings", () => {
    expect(states.get('data_science')!.Parameters).toEqual({
      JobName: 'spaceflights-dev-data_science',
      JobQueue: BATCH.jobQueue,
      JobDefinition: BATCH.jobDefinition,
      Parameters: {
        group: 'data_science',
        type: 'namespace',
        nodes: '["data_science.node"]',
        env: 'aws',
        pipeline: '__default__',
        'run_id.$': '$.run_id',
        'runtime_params.$': 'States.JsonToString($.runtime_params)',
      },
      ContainerOverrides: {
        ResourceRequirements: [
          { Type: 'VCPU', Value: '4' },
          { Type: 'MEMORY', Value: '16384' },
        ],
      },
      Timeout: { AttemptDurationSeconds: 7200 },
      RetryStrategy: {
        Attempts: 2,
        EvaluateOnExit: INFRASTRUCTURE_RETRY.map((e) => ({
          Action: e.action,
          ...(e.onStatusReason ? { OnStatusReason: e.onStatusReason } : {}),
          ...(e.onReason ? { OnReason: e.onReason } : {}),
        })),
      },
    });
  });

  it('gives the Task time for every attempt and for the queue', () => {
    expect(states.get('data_science')!.TimeoutSeconds).toBe(
      2 * (7200 + TASK_TIMEOUT_MARGIN_SECONDS) + BATCH_TASK_QUEUE_SECONDS,
    );
  });

  it('counts the .sync Task in the history estimate', () => {
    const allLambda = build(
      planOf([
        group('data_processing'),
        group('data_science', ['data_processing']),
        group('reporting', ['data_processing']),
      ]),
    );
    expect(built.stats.estimatedHistoryEvents - allLambda.stats.estimatedHistoryEvents).toBe(
      HISTORY_EVENTS.syncTask - HISTORY_EVENTS.lambdaTask,
    );
    expect(built.stats.worstCaseHistoryEvents).toBeLessThan(allLambda.stats.worstCaseHistoryEvents);
  });
});

describe('Batch groups need the Batch settings', () => {
  it('are refused without a job queue and job definition, naming the groups and the inputs', () => {
    const problems = problemsOf(() => build(spaceflights(), null));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^group "data_science" has `compute: batch`, so the state machine needs an AWS Batch job queue/,
    );
    expect(problems[0]).toContain('`batch-job-queue`');
  });

  it('a plan without Batch groups needs none', () => {
    expect(() => build(planOf([group('a')]), null)).not.toThrow();
  });
});

describe('random mixes of Lambda and Batch groups', () => {
  const mixed = fc
    .array(fc.tuple(fc.boolean(), fc.array(fc.nat(), { maxLength: 3 })), { minLength: 1, maxLength: 15 })
    .map((spec) => {
      const groups = spec.map(([, deps], i) =>
        group(`g${i}`, i === 0 ? [] : [...new Set(deps.map((d) => `g${d % i}`))]),
      );
      const batch = spec.flatMap(([isBatch], i) => (isBatch ? [`g${i}`] : []));
      return { groups, batch };
    });

  it('are valid ASL, every Batch group a Batch Task without Retry, every other a Lambda Task', () => {
    fc.assert(
      fc.property(mixed, ({ groups, batch }) => {
        const settings = {
          groups: Object.fromEntries(batch.map((g) => [g, { compute: 'batch', timeout_seconds: 3600 }])),
        };
        const built = build(planOf(groups, settings));
        expectValid(built);
        const states = new Map(tasks(JSON.parse(built.json).States));
        for (const g of groups) {
          const task = states.get(g.name)!;
          if (batch.includes(g.name)) {
            expect(task.Resource).toBe(BATCH_SUBMIT_JOB_RESOURCE);
            expect(task.Retry).toBeUndefined();
          } else {
            expect(task.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
