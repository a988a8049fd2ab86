import { sameDefinition } from '../../src/aws/stepfunctions';
import { backoffDelayMs, DEFAULT_BACKOFF, pollUntil, WaitTimeoutError } from '../../src/lib/wait';
import { executionName, kedroRunId } from '../../src/modes/run';
import { executionConsoleUrl, logGroupConsoleUrl } from '../../src/report/links';

/** A clock that only pretends to sleep. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 0.5,
    },
  };
}

describe('polling', () => {
  test('starts near the first interval and backs off to the cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i, DEFAULT_BACKOFF, () => 0.5));
    expect(delays[0]).toBe(5000);
    expect(delays.at(-1)).toBe(30000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  test('jitter stays within ±20 %', () => {
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, () => 0)).toBe(4000);
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, () => 1)).toBe(6000);
  });

  test('returns what the poll found, without real sleeping', async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    const value = await pollUntil(async () => (++calls < 4 ? { done: false } : { done: true, value: 'SUCCEEDED' }), {
      timeoutMs: 3_600_000,
      backoff: DEFAULT_BACKOFF,
      clock,
    });
    expect(value).toBe('SUCCEEDED');
    expect(sleeps).toHaveLength(3);
  });

  test('gives up at the timeout, never sleeping past it', async () => {
    const { clock, sleeps } = fakeClock();
    await expect(
      pollUntil(async () => ({ done: false }), { timeoutMs: 60_000, backoff: DEFAULT_BACKOFF, clock }),
    ).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });
});

describe('run ids and execution names', () => {
  test("the run id is Kedro's version format", () => {
    expect(kedroRunId(new Date('2026-11-21T10:11:12.345Z'))).toBe('2026-11-21T10.11.12.345Z');
  });

  test('the same workflow run attempt and run identity give the same name; another attempt or identity another', () => {
    const env = { GITHUB_RUN_ID: '123456', GITHUB_RUN_ATTEMPT: '1' };
    const identity = 'ab'.repeat(32);
    const a = executionName('pr-7', 'x', env, identity);
    expect(executionName('pr-7', 'y', env, identity)).toBe(a);
    expect(executionName('pr-7', 'x', { ...env, GITHUB_RUN_ATTEMPT: '2' }, identity)).not.toBe(a);
    expect(executionName('pr-7', 'x', env, 'cd'.repeat(32))).not.toBe(a);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('outside Actions the name follows the run id', () => {
    expect(executionName('dev', '2026-11-21T10.11.12.345Z', {}, 'ab'.repeat(32))).toBe('dev-20261121T101112345Z');
  });
});

describe('comparing definitions', () => {
  test('key order and whitespace do not make a change', () => {
    expect(sameDefinition('{"a":1,"b":{"c":[1,2]}}', '{ "b": {"c": [1, 2]}, "a": 1 }')).toBe(true);
    expect(sameDefinition('{"a":1}', '{"a":2}')).toBe(false);
    expect(sameDefinition('not json', '{}')).toBe(false);
  });
});

describe('console links', () => {
  test('use the partition of the ARN', () => {
    expect(executionConsoleUrl('arn:aws:states:eu-west-1:123456789012:execution:m:e')).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/states\/home\?region=eu-west-1#/,
    );
    expect(executionConsoleUrl('arn:aws-cn:states:cn-north-1:123456789012:execution:m:e')).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
  });
  test('log groups are encoded the way the CloudWatch console expects', () => {
    expect(logGroupConsoleUrl('us-east-1', '/aws/lambda/f')).toMatch(/log-group\/\$252Faws\$252Flambda\$252Ff$/);
  });
});
