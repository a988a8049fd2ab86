/**
 * GitHub OIDC credentials end to end on loopback: @actions/core's real OidcClient asks a small HTTP
 * server that stands in for GitHub's ID token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL), the token goes to
 * moto's STS (which accepts any token in AssumeRoleWithWebIdentity), and an S3 client built by clients.ts
 * signs its requests with the credentials. Where moto cannot answer (throttling, IDPCommunicationError,
 * AccessDenied), a second stand-in plays STS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { CreateBucketCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { s3Client } from '../../src/aws/clients';
import { DEFAULT_AUDIENCE, oidcCredentials, REFRESH_BEFORE_MS } from '../../src/aws/credentials';
import { ActionError } from '../../src/lib/errors';
import { runInProcess } from '../support/inprocess';
import { resetMoto } from '../support/moto';
import { type IdTokenServer, setEnv, startIdTokenServer, startStsStandIn } from '../support/oidc';

const ROLE = 'arn:aws:iam::123456789012:role/kedro-ci';
const REGION = 'us-east-1';
const GITHUB_ENV = { GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_RUN_ID: '987654321', GITHUB_RUN_ATTEMPT: '1' };

let tokens: IdTokenServer;
let restoreEnv: () => void;

beforeAll(async () => {
  await resetMoto();
  tokens = await startIdTokenServer();
  // As on a runner: the job has id-token: write, and no AWS credentials anywhere in the environment
  // (AssumeRoleWithWebIdentity is an unsigned call; it must not look for any).
  restoreEnv = setEnv({
    ...tokens.env(),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
  });
});

afterAll(async () => {
  restoreEnv();
  await tokens.close();
});

beforeEach(() => {
  tokens.requests.length = 0;
  // Keep the ::add-mask:: and info lines out of the test output.
  jest.spyOn(core, 'setSecret').mockImplementation(() => undefined);
  jest.spyOn(core, 'info').mockImplementation(() => undefined);
  jest.spyOn(core, 'debug').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** Records the access key id each S3 request was signed with (read off the signed Authorization header). */
function signingKeys(client: S3Client): string[] {
  const keys: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      const key = /Credential=([^/]+)\//.exec(headers.authorization ?? headers.Authorization ?? '')?.[1];
      if (key) keys.push(key);
      return next(args);
    },
    { step: 'deserialize', name: 'testSigningKey' }, // after finalizeRequest, where requests are signed
  );
  return keys;
}

describe('GitHub OIDC credentials (moto STS, a stand-in for the ID token endpoint)', () => {
  test('assumes the role with a token for sts.amazonaws.com and S3 calls are signed with it', async () => {
    const provider = oidcCredentials({ roleArn: ROLE, region: REGION, env: GITHUB_ENV });
    const s3 = s3Client({ region: REGION, maxAttempts: 2, credentials: provider });
    const keys = signingKeys(s3);

    await s3.send(new CreateBucketCommand({ Bucket: 'kedro-aws-oidc-test' }));
    const out = await s3.send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => b.Name)).toContain('kedro-aws-oidc-test');

    // One token for both calls, asked as @actions/core asks: <url>&audience=..., Bearer request token.
    expect(tokens.requests).toHaveLength(1);
    expect(tokens.requests[0]).toMatchObject({
      audience: DEFAULT_AUDIENCE,
      authorization: `Bearer ${tokens.requestToken}`,
    });
    expect(tokens.requests[0]?.url).toBe(`/token?api-version=2.0&audience=${encodeURIComponent(DEFAULT_AUDIENCE)}`);

    const creds = await provider();
    expect(creds.expiration).toBeInstanceOf(Date);
    expect(creds.expiration!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000); // STS's default hour
    expect(creds.accountId).toBe('123456789012');
    expect(keys).toEqual([creds.accessKeyId, creds.accessKeyId]);
    expect(creds.accessKeyId).not.toBe('testing');
  });

  test('the audience input reaches the token endpoint', async () => {
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: REGION,
      env: GITHUB_ENV,
      audience: 'https://example.org/kedro',
    });
    await provider();
    expect(tokens.requests.map((r) => r.audience)).toEqual(['https://example.org/kedro']);
  });

  test('after expiry (moved clock) the next call fetches a new token and assumes again', async () => {
    let now = Date.now();
    const provider = oidcCredentials({ roleArn: ROLE, region: REGION, env: GITHUB_ENV, now: () => now });
    const first = await provider();
    expect(await provider()).toBe(first);
    expect(tokens.requests).toHaveLength(1);

    now = first.expiration!.getTime() + 1000; // the role session is over
    const second = await provider();
    expect(tokens.requests).toHaveLength(2);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.expiration!.getTime()).toBeGreaterThan(first.expiration!.getTime() - 1000);
  });

  test('a client outliving its role session refreshes by itself (the SDK asks the provider again)', async () => {
    // moto honours DurationSeconds: a session 2 s longer than the refresh margin needs a refresh 2 s later.
    const provider = oidcCredentials({
      roleArn: ROLE,
      region: REGION,
      env: GITHUB_ENV,
      durationSeconds: REFRESH_BEFORE_MS / 1000 + 2,
    });
    const s3 = s3Client({ region: REGION, maxAttempts: 2, credentials: provider });
    const keys = signingKeys(s3);

    await s3.send(new ListBucketsCommand({}));
    const first: AwsCredentialIdentity = await provider();
    expect(tokens.requests).toHaveLength(1);

    const wait = first.expiration!.getTime() - REFRESH_BEFORE_MS - Date.now() + 500;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    await s3.send(new ListBucketsCommand({}));

    expect(tokens.requests).toHaveLength(2);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(first.accessKeyId);
    expect(keys[1]).not.toBe(first.accessKeyId);
  });
});

describe('export-credentials', () => {
  test('later steps get the role session and the region, as configure-aws-credentials exports them', async () => {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-export-'));
    const envFile = path.join(runnerTemp, 'github_env');
    fs.writeFileSync(envFile, '');
    const restore = setEnv({ GITHUB_ENV: envFile });
    try {
      // verify has nothing to verify here and fails: the credentials are exported whatever the modes did.
      const step = await runInProcess(
        {
          mode: 'verify',
          stage: 'creds',
          'role-to-assume': ROLE,
          'aws-region': 'eu-west-1',
          'export-credentials': 'true',
        },
        { runnerTemp, env: GITHUB_ENV },
      );
      expect(step.ok).toBe(false);
      // GITHUB_ENV holds NAME<<delimiter, the value, delimiter (what @actions/core writes).
      const exported = Object.fromEntries(
        [...fs.readFileSync(envFile, 'utf8').matchAll(/^([A-Z_]+)<<(\S+)\n([^\n]*)\n\2$/gm)].map((m) => [m[1], m[3]]),
      );
      expect(Object.keys(exported).sort()).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_DEFAULT_REGION',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
      ]);
      expect(exported).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
      expect(exported.AWS_ACCESS_KEY_ID).not.toBe('testing'); // the role's session, not the job's keys
    } finally {
      restore();
      fs.rmSync(runnerTemp, { recursive: true, force: true });
    }
  });
});

describe('GitHub OIDC credentials against a stand-in STS (what moto cannot produce)', () => {
  test.each([
    ['Throttling', { code: 'Throttling', message: 'Rate exceeded' }],
    ['IDPCommunicationError', { code: 'IDPCommunicationError', message: "Couldn't connect to the identity provider" }],
  ])('%s twice, then credentials: each attempt with a fresh token', async (_label, failure) => {
    const sts = await startStsStandIn([failure, failure, 'ok']);
    try {
      const provider = oidcCredentials({
        roleArn: ROLE,
        region: REGION,
        env: GITHUB_ENV,
        stsEndpoint: sts.endpoint,
        sleep: async () => undefined,
      });
      const creds = await provider();
      expect(creds.accessKeyId).toBe('ASIASTANDIN000000003');
      expect(sts.requests).toHaveLength(3);
      expect(tokens.requests).toHaveLength(3);
      expect(new Set(sts.requests.map((r) => r.webIdentityToken)).size).toBe(3);
      expect(sts.requests[0]).toMatchObject({
        action: 'AssumeRoleWithWebIdentity',
        roleArn: ROLE,
        roleSessionName: 'kedro-aws-octo-repo-987654321-1',
        authorization: undefined, // unsigned
      });
    } finally {
      await sts.close();
    }
  });

  test('AccessDenied is not retried and names the trust policy and the token subject', async () => {
    const sts = await startStsStandIn([
      { code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', status: 403 },
    ]);
    try {
      const provider = oidcCredentials({
        roleArn: ROLE,
        region: REGION,
        env: GITHUB_ENV,
        stsEndpoint: sts.endpoint,
        sleep: async () => undefined,
      });
      const error = await provider().catch((e: Error) => e);
      expect(error).toBeInstanceOf(ActionError);
      expect((error as Error).message).toMatch(
        /AccessDenied: Not authorized.*trust policy.*repo:octo-org\/octo-repo:ref:refs\/heads\/main/s,
      );
      expect(sts.requests).toHaveLength(1);
    } finally {
      await sts.close();
    }
  });
});
