/** GitHub OIDC credentials without a network: session names, errors, retries, memoization, masking. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import type {
  AssumeRoleWithWebIdentityCommandInput,
  AssumeRoleWithWebIdentityCommandOutput,
} from '@aws-sdk/client-sts';
import fc from 'fast-check';
import {
  DEFAULT_AUDIENCE,
  defaultSessionName,
  exportCredentials,
  isForkPullRequest,
  isRetryableOidcError,
  missingIdTokenPermissionError,
  oidcCredentials,
  REFRESH_BEFORE_MS,
  SESSION_NAME_RE,
} from '../../src/aws/credentials';
import { ActionError } from '../../src/lib/errors';

const ROLE = 'arn:aws:iam::123456789012:role/kedro-ci';
const ENV = { GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_RUN_ID: '12345678901', GITHUB_RUN_ATTEMPT: '2' };

let secrets: string[];
let infos: string[];
let warnings: string[];
beforeEach(() => {
  secrets = [];
  infos = [];
  warnings = [];
  jest.spyOn(core, 'setSecret').mockImplementation((s: string) => void secrets.push(s));
  jest.spyOn(core, 'info').mockImplementation((m: string) => void infos.push(m));
  jest.spyOn(core, 'warning').mockImplementation((m: string | Error) => void warnings.push(String(m)));
  jest.spyOn(core, 'debug').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** A fake STS: hands out numbered credentials expiring `lifetimeMs` after the fake clock's now. */
function fakeSts(clock: { now: number }, lifetimeMs = 3600_000, failures: unknown[] = []) {
  const calls: AssumeRoleWithWebIdentityCommandInput[] = [];
  const assumeRole = async (
    input: AssumeRoleWithWebIdentityCommandInput,
  ): Promise<AssumeRoleWithWebIdentityCommandOutput> => {
    calls.push(input);
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
    const n = calls.length;
    return {
      $metadata: {},
      Credentials: {
        AccessKeyId: `ASIAFAKE${n}`,
        SecretAccessKey: `secret-${n}`,
        SessionToken: `session-${n}`,
        Expiration: new Date(clock.now + lifetimeMs),
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROA:x',
        Arn: `arn:aws:sts::123456789012:assumed-role/kedro-ci/${input.RoleSessionName}`,
      },
    };
  };
  return { calls, assumeRole };
}

function fakeTokens() {
  const audiences: string[] = [];
  const getIdToken = async (aud: string) => {
    audiences.push(aud);
    return `header.${Buffer.from(JSON.stringify({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud })).toString('base64url')}.sig${audiences.length}`;
  };
  return { audiences, getIdToken };
}

function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 }, ...extra });
}

const noSleep = async () => undefined;

describe('defaultSessionName', () => {
  test('names the repository, the run and the attempt', () => {
    expect(defaultSessionName(ENV)).toBe('kedro-aws-octo-repo-12345678901-2');
  });

  test('a long repository name is cut; the run id and attempt are kept', () => {
    const name = defaultSessionName({ ...ENV, GITHUB_REPOSITORY: `octo-org/${'very-long-repository-name'.repeat(5)}` });
    expect(name.length).toBe(64);
    expect(name).toMatch(/^kedro-aws-very-long-repository-name.*-12345678901-2$/);
    expect(name).toMatch(SESSION_NAME_RE);
  });

  test('characters STS refuses become -', () => {
    expect(defaultSessionName({ ...ENV, GITHUB_REPOSITORY: 'o/my repo!#ü' })).toBe('kedro-aws-my-repo-12345678901-2');
  });

  test('outside Actions (no GITHUB_*), still a valid name', () => {
    expect(defaultSessionName({})).toBe('kedro-aws');
  });

  test('any environment gives a name STS accepts', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 5 }),
        (repo, run, attempt) => {
          const name = defaultSessionName({ GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt });
          expect(name).toMatch(SESSION_NAME_RE);
        },
      ),
    );
  });

  test('a given session name STS would refuse is refused before any call', () => {
    expect(() => oidcCredentials({ roleArn: ROLE, region: 'us-east-1', sessionName: 'has space' })).toThrow(
      ActionError,
    );
    expect(() => oidcCredentials({ roleArn: ROLE, region: 'us-east-1', sessionName: 'x'.repeat(65) })).toThrow(
      /2 to 64/,
    );
  });
});

describe('a job without id-token: write', () => {
  test('the real core.getIDToken fails; the message says what to add to the job', async () => {
    const saved = { url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL, token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN };
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    const sts = fakeSts({ now: Date.now() });
    try {
      const provider = oidcCredentials({
        roleArn: ROLE,
        region: 'us-east-1',
        env: ENV,
        assumeRole: sts.assumeRole,
        sleep: noSleep,
      });
      const error = await provider().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(ActionError);
      expect(error?.message).toContain('id-token: write');
      expect(error?.message).toContain('permissions:');
      expect(error?.message).toMatch(/fork/);
      expect(error?.message).toContain('executor: local');
      expect(sts.calls).toHaveLength(0); // not retried, STS never called
    } finally {
      if (saved.url !== undefined) process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved.url;
      if (saved.token !== undefined) process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved.token;
    }
  });

  test('a pull request from a fork is named as such', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-event-'));
    const eventPath = path.join(dir, 'event.json');
    fs.writeFileSync(
      eventPath,
      JSON.stringify({ pull_request: { head: { repo: { full_name: 'someone/octo-repo', fork: true } } } }),
    );
    const env = { ...ENV, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath };
    expect(isForkPullRequest(env)).toBe(true);
    expect(missingIdTokenPermissionError(ROLE, env).message).toContain('This run is a pull request from a fork');
    fs.writeFileSync(
      eventPath,
      JSON.stringify({ pull_request: { head: { repo: { full_name: 'octo-org/octo-repo', fork: false } } } }),
    );
    expect(isForkPullRequest(env)).toBe(false);
    expect(isForkPullRequest({ ...env, GITHUB_EVENT_NAME: 'push' })).toBe(false);
  });
});

describe('oidcCredentials', () => {
  test('assumes the role with a token for the audience; credentials carry their expiration', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const sts = fakeSts(clock);
    const tokens = fakeTokens();
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      durationSeconds: 7200,
      getIdToken: tokens.getIdToken,
      assumeRole: sts.assumeRole,
      now: () => clock.now,
    });
    const creds = await provider();
    expect(tokens.audiences).toEqual([DEFAULT_AUDIENCE]);
    expect(sts.calls[0]).toMatchObject({
      RoleArn: ROLE,
      RoleSessionName: 'kedro-aws-octo-repo-12345678901-2',
      DurationSeconds: 7200,
    });
    expect(sts.calls[0]?.WebIdentityToken).toMatch(/^header\./);
    expect(creds).toMatchObject({
      accessKeyId: 'ASIAFAKE1',
      secretAccessKey: 'secret-1',
      sessionToken: 'session-1',
      accountId: '123456789012',
    });
    expect(creds.expiration?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  test('masks the ID token and the credentials, never the account id', async () => {
    const clock = { now: Date.now() };
    const tokens = fakeTokens();
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: tokens.getIdToken,
      assumeRole: fakeSts(clock).assumeRole,
    });
    await provider();
    expect(secrets).toEqual(expect.arrayContaining(['ASIAFAKE1', 'secret-1', 'session-1']));
    expect(secrets.some((s) => s.startsWith('header.'))).toBe(true);
    expect(secrets.join('\n')).not.toContain('123456789012');
  });

  test('memoized until 5 minutes before expiry, then a new token and a new session', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const sts = fakeSts(clock, 3600_000);
    const tokens = fakeTokens();
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: tokens.getIdToken,
      assumeRole: sts.assumeRole,
      now: () => clock.now,
    });
    const first = await provider();
    clock.now += 3600_000 - REFRESH_BEFORE_MS - 1000; // 5 min 1 s left
    expect(await provider()).toBe(first);
    expect(tokens.audiences).toHaveLength(1);
    clock.now += 2000; // 4 min 59 s left
    const second = await provider();
    expect(second.accessKeyId).toBe('ASIAFAKE2');
    expect(tokens.audiences).toHaveLength(2);
    expect(await provider({ forceRefresh: true })).toMatchObject({ accessKeyId: 'ASIAFAKE3' });
  });

  test('concurrent callers share one refresh', async () => {
    const clock = { now: Date.now() };
    const sts = fakeSts(clock);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
    });
    const all = await Promise.all([provider(), provider(), provider()]);
    expect(sts.calls).toHaveLength(1);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
  });

  test.each([
    ['Throttling', awsError('Throttling', 'Rate exceeded')],
    [
      'IDPCommunicationError',
      awsError('IDPCommunicationErrorException', "Couldn't connect to the identity provider", { $retryable: {} }),
    ],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a server error', awsError('InternalFailure', 'oops', { $fault: 'server', $metadata: { httpStatusCode: 500 } })],
  ])('%s is retried with a fresh token each attempt', async (_label, failure) => {
    const clock = { now: Date.now() };
    const sts = fakeSts(clock, 3600_000, [failure, failure]);
    const tokens = fakeTokens();
    const sleeps: number[] = [];
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: tokens.getIdToken,
      assumeRole: sts.assumeRole,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect((await provider()).accessKeyId).toBe('ASIAFAKE3');
    expect(sts.calls).toHaveLength(3);
    expect(tokens.audiences).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(infos.filter((m) => /attempt \d of 5 failed/.test(m))).toHaveLength(2);
  });

  test('gives up after maxAttempts, with the last error', async () => {
    const clock = { now: Date.now() };
    const throttle = awsError('Throttling', 'Rate exceeded');
    const sts = fakeSts(clock, 3600_000, [throttle, throttle, throttle, throttle]);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
      maxAttempts: 3,
    });
    await expect(provider()).rejects.toThrow(/cannot assume .*kedro-ci.*Throttling: Rate exceeded/);
    expect(sts.calls).toHaveLength(3);
  });

  test('a refusal is not retried and says what to check', async () => {
    const clock = { now: Date.now() };
    const denied = awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const sts = fakeSts(clock, 3600_000, [denied]);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
    });
    const error = await provider().catch((e: Error) => e);
    expect(sts.calls).toHaveLength(1);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as Error).message).toContain('trust policy');
    expect((error as Error).message).toContain('"repo:octo-org/octo-repo:ref:refs/heads/main"');
    expect((error as Error).message).toContain(`"${DEFAULT_AUDIENCE}"`);
  });

  test("STS's host of a well-formed region no partition has names the aws-region input", async () => {
    // Node's error for a host name that does not resolve (the emulator cannot produce one: it is on loopback).
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-9.amazonaws.com'), {
      code: 'ENOTFOUND',
      hostname: 'sts.eu-west-9.amazonaws.com',
    });
    const sts = fakeSts({ now: Date.now() }, 3600_000, [notFound, notFound, notFound, notFound, notFound]);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'eu-west-9',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
    });
    await expect(provider()).rejects.toThrow(
      'The host sts.eu-west-9.amazonaws.com does not exist: "eu-west-9" is not a region where this service is (input "aws-region", e.g. eu-west-1)',
    );
  });

  test('a missing OIDC provider is explained, not retried', async () => {
    const clock = { now: Date.now() };
    const invalid = awsError(
      'InvalidIdentityTokenException',
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    );
    const sts = fakeSts(clock, 3600_000, [invalid]);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
    });
    await expect(provider()).rejects.toThrow(/Create the IAM OIDC identity provider/);
    expect(sts.calls).toHaveLength(1);
  });

  test('a failed refresh keeps credentials that still work, and tries again later', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const throttle = awsError('Throttling', 'Rate exceeded');
    const failures: unknown[] = [];
    const sts = fakeSts(clock, 3600_000, failures);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
      maxAttempts: 2,
      now: () => clock.now,
    });
    const first = await provider();
    clock.now += 3600_000 - 4 * 60_000; // 4 minutes left: refresh
    failures.push(throttle, throttle);
    expect(await provider()).toBe(first);
    expect(warnings.join('\n')).toMatch(/Refreshing the AWS credentials failed/);
    expect(await provider()).toBe(first); // within 30 s of the failure: no new attempt
    expect(sts.calls).toHaveLength(3);
    clock.now += 31_000;
    expect((await provider()).accessKeyId).toBe('ASIAFAKE4');
  });

  test('expired credentials are not handed out when the refresh fails', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const denied = awsError('AccessDenied', 'Not authorized');
    const failures: unknown[] = [];
    const sts = fakeSts(clock, 3600_000, failures);
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: ENV,
      getIdToken: fakeTokens().getIdToken,
      assumeRole: sts.assumeRole,
      sleep: noSleep,
      now: () => clock.now,
    });
    await provider();
    clock.now += 3600_000 - 30_000;
    failures.push(denied);
    await expect(provider()).rejects.toThrow(/AccessDenied/);
  });
});

describe('isRetryableOidcError', () => {
  test.each([
    [awsError('Throttling', 'Rate exceeded'), true],
    [awsError('IDPCommunicationErrorException', 'x'), true],
    [awsError('InvalidIdentityTokenException', "Couldn't retrieve verification key from your identity provider"), true],
    [awsError('InvalidIdentityTokenException', 'Incorrect token audience'), false],
    [awsError('ExpiredTokenException', 'Token expired'), true],
    [awsError('AccessDenied', 'Not authorized'), false],
    [awsError('ValidationError', 'DurationSeconds exceeds'), false],
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), true],
    [new Error('plain'), false],
  ])('%p → %p', (error, retryable) => {
    expect(isRetryableOidcError(error)).toBe(retryable);
  });
});

describe('exportCredentials', () => {
  test('exports the three variables, masked, and the region as configure-aws-credentials does', () => {
    const exported: Record<string, string> = {};
    jest.spyOn(core, 'exportVariable').mockImplementation((k: string, v: unknown) => void (exported[k] = String(v)));
    exportCredentials(
      { accessKeyId: 'ASIAX', secretAccessKey: 'sec', sessionToken: 'tok', expiration: new Date() },
      'eu-west-1',
    );
    expect(exported).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIAX',
      AWS_SECRET_ACCESS_KEY: 'sec',
      AWS_SESSION_TOKEN: 'tok',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(secrets).not.toContain('eu-west-1');
    expect(secrets).toEqual(expect.arrayContaining(['ASIAX', 'sec', 'tok']));
  });
});
