/**
 * AWS credentials from GitHub's OIDC token: STS AssumeRoleWithWebIdentity, built in, so a workflow needs
 * no separate configure-aws-credentials step and a long wait never outlives its credentials.
 *
 * `oidcCredentials` returns a credential provider for the SDK clients of clients.ts. Each credential set
 * carries its `expiration`; the SDK asks the provider again when fewer than 5 minutes are left, and the
 * provider then fetches a new GitHub ID token and assumes the role again. A nightly run that waits longer
 * than the role session (1 hour by default) keeps working instead of failing with ExpiredToken.
 *
 * Between refreshes the credentials are memoized, and concurrent callers share one refresh: every client
 * built with the same provider (S3, Lambda, Step Functions, ...) uses the same role session.
 *
 * This module does not import @actions/core: what it needs of the runner (the ID token, masking, the
 * log) comes in as a {@link RunnerIo}, so the post step can use it with a small bundle (src/post/). The
 * main step's io is @actions/core's (credentials.ts).
 */
import * as fs from 'node:fs';
import {
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
  type AssumeRoleWithWebIdentityCommandOutput,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { DEFAULT_AUDIENCE, INPUT, MIN_ROLE_DURATION_SECONDS, SESSION_NAME_RE } from '../inputs/table';
import { ActionError } from '../lib/errors';
import { USER_AGENT } from './config';
import { awsErrorKind, dnsHint, NETWORK_ERRORS, THROTTLING_ERRORS } from './errors';

// STS's defaults and limits, declared with the inputs they check (src/inputs/table.ts).
export {
  DEFAULT_AUDIENCE,
  MAX_ROLE_DURATION_SECONDS,
  MIN_ROLE_DURATION_SECONDS,
  SESSION_NAME_RE,
} from '../inputs/table';
/** Credentials are refreshed when fewer than this many ms are left (the SDK's own margin is 5 minutes). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** Default number of attempts of one refresh (ID token + AssumeRoleWithWebIdentity). */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** After a failed refresh, credentials that are still valid are used this long before trying again. */
const RETRY_REFRESH_AFTER_MS = 30_000;
/** Credentials with less than this left are not used any more, even when a refresh fails. */
const STILL_USABLE_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 20_000;

/** What the credentials need of the Actions runner: @actions/core in the main step, src/post/runner.ts in the post step. */
export interface RunnerIo {
  /** A GitHub ID token for the audience (the runner's ACTIONS_ID_TOKEN_REQUEST_URL). */
  getIDToken(audience: string): Promise<string>;
  /** Masks a value in the log. */
  setSecret(value: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export interface OidcCredentialsOptions {
  /** The runner's log, masking and ID token. */
  io: RunnerIo;
  /** The IAM role to assume (input `role-to-assume`). */
  roleArn: string;
  /** Audience of the GitHub ID token; the role's OIDC provider must list it as a client ID. */
  audience?: string;
  /** RoleSessionName; by default one that names the repository and the run (see defaultSessionName). */
  sessionName?: string;
  /** DurationSeconds of each role session; STS's default (1 hour) when left undefined. */
  durationSeconds?: number;
  /** Region of the STS endpoint. */
  region: string;
  /** Fetches a GitHub ID token for an audience; io.getIDToken by default. */
  getIdToken?: (audience: string) => Promise<string>;
  /** An explicit STS endpoint; otherwise the SDK's (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or AWS's own). */
  stsEndpoint?: string;
  /** Attempts of one refresh before it fails (throttling, IdP communication errors, network errors). */
  maxAttempts?: number;
  /** Environment read for the default session name and the fork check (GITHUB_*). */
  env?: NodeJS.ProcessEnv;
  /** Clock deciding when the memoized credentials need a refresh (tests move it forward). */
  now?: () => number;
  /** Wait between attempts (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  /** The STS call; a client for `region` / `stsEndpoint` by default (tests replace it). */
  assumeRole?: (input: AssumeRoleWithWebIdentityCommandInput) => Promise<AssumeRoleWithWebIdentityCommandOutput>;
}

/** Replaces every run of characters STS refuses in a session name with one `-`. */
function cleanSessionPart(part: string): string {
  return part.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * `kedro-aws-<repository>-<run id>-<attempt>`, cleaned to what STS accepts and cut to 64 characters by
 * shortening the repository name (the run id and attempt, which tell runs apart, are kept). CloudTrail
 * shows it for every call made with the credentials.
 */
export function defaultSessionName(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = 'kedro-aws';
  const repo = cleanSessionPart((env.GITHUB_REPOSITORY ?? '').split('/').pop() ?? '');
  const suffix = [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT]
    .map((p) => cleanSessionPart(p ?? ''))
    .filter(Boolean)
    .join('-');
  const fixed = [prefix, suffix].filter(Boolean).join('-').slice(0, 64);
  const room = 64 - fixed.length - 1; // the '-' before the repository name
  const repoPart = room > 0 ? repo.slice(0, room).replace(/-+$/, '') : '';
  const name = repoPart ? [prefix, repoPart, suffix].filter(Boolean).join('-') : fixed;
  return name.slice(0, 64);
}

/** True when the event is a pull request opened from a fork (such runs get no ID token). */
export function isForkPullRequest(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!/^pull_request/.test(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH) return false;
  try {
    const event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
      pull_request?: { head?: { repo?: { full_name?: string; fork?: boolean } | null } };
    };
    const head = event.pull_request?.head?.repo;
    if (head === null) return true; // the fork was deleted
    if (!head) return false;
    return head.fork === true || (head.full_name !== undefined && head.full_name !== env.GITHUB_REPOSITORY);
  } catch {
    return false;
  }
}

/** The error for a job that may not request an ID token (no `id-token: write`, or a fork pull request). */
export function missingIdTokenPermissionError(roleArn: string, env: NodeJS.ProcessEnv = process.env): ActionError {
  const fork = isForkPullRequest(env)
    ? 'This run is a pull request from a fork: GitHub gives such runs no ID token whatever the permissions say. '
    : 'Pull requests from forks get no ID token whatever the permissions say. ';
  return new ActionError(
    `cannot assume ${roleArn}: this job may not request a GitHub OIDC token ` +
      '(ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
      'Add to the job (or the workflow):\n' +
      '  permissions:\n' +
      '    id-token: write\n' +
      '    contents: read\n' +
      fork +
      'Run those with `executor: local`, or without `role-to-assume`.',
  );
}

/** Marks an error from fetching the ID token (as opposed to one from STS). */
class IdTokenError extends Error {
  constructor(
    message: string,
    readonly missingPermission: boolean,
  ) {
    super(message);
    this.name = 'IdTokenError';
  }
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $fault?: string;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = THROTTLING_ERRORS;
const IDP_COMMUNICATION = new Set(['IDPCommunicationError', 'IDPCommunicationErrorException']);
// Here a host that does not resolve is worth another try too: STS's host is AWS's own, not an input.
const NETWORK = new Set([...NETWORK_ERRORS, 'ENOTFOUND']);

function errorName(err: AwsLikeError): string {
  return err.name ?? err.Code ?? err.code ?? '';
}

/**
 * Errors worth another attempt: STS throttling; IDPCommunicationError (STS could not reach GitHub's
 * OIDC endpoint: "often transient", AWS says, "retry a limited number of times"); an InvalidIdentityToken
 * that says STS could not fetch GitHub's verification keys (transient, unlike a wrong audience or a
 * missing OIDC provider); an ExpiredToken (the ID token expired on the way: a new one is fetched);
 * server errors and network errors; and a failed ID token request other than a missing permission.
 */
export function isRetryableOidcError(error: unknown): boolean {
  if (error instanceof IdTokenError) return !error.missingPermission;
  if (typeof error !== 'object' || error === null) return false;
  const err = error as AwsLikeError;
  const name = errorName(err);
  const status = err.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || err.$retryable?.throttling || status === 429) return true;
  if (IDP_COMMUNICATION.has(name)) return true;
  if (/^InvalidIdentityToken/.test(name)) {
    return /could ?n[o']?t (retrieve|fetch|reach|connect)|verification key|timed? ?out|temporar/i.test(
      err.message ?? '',
    );
  }
  if (/^ExpiredToken/.test(name)) return true;
  if (err.$retryable || err.$fault === 'server' || (status !== undefined && status >= 500)) return true;
  return NETWORK.has(name) || NETWORK.has(err.code ?? '');
}

/** Decodes the claims of a JWT without checking it (only to explain a refusal). */
function jwtClaims(token: string | undefined): Record<string, unknown> {
  try {
    const payload = token?.split('.')[1];
    if (!payload) return {};
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function hintFor(err: AwsLikeError, audience: string, token: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = errorName(err);
  const message = err.message ?? '';
  // STS's host does not resolve: a region no partition has (or no DNS), said as for every other call.
  if (awsErrorKind(err) === 'dns') return ` ${dnsHint(err, env)}`;
  if (/^InvalidIdentityToken/.test(name) && /no openid ?connect provider/i.test(message)) {
    return (
      ' Create the IAM OIDC identity provider for https://token.actions.githubusercontent.com ' +
      `(client ID / audience "${audience}") in the role's account.`
    );
  }
  if (/^InvalidIdentityToken/.test(name) && /audience/i.test(message)) {
    return ` The token's audience is "${audience}" (input "${INPUT.audience}"): it must be a client ID of the IAM OIDC provider.`;
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    const claims = jwtClaims(token);
    const sub = typeof claims.sub === 'string' ? ` Its "sub" claim is "${claims.sub}".` : '';
    return (
      " The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the federated principal " +
      `token.actions.githubusercontent.com, with "token.actions.githubusercontent.com:aud" = "${audience}" ` +
      `and a "token.actions.githubusercontent.com:sub" condition that matches this job.${sub}`
    );
  }
  if (name === 'ValidationError' && /durationseconds/i.test(message)) {
    return ` Give "${INPUT.roleDurationSeconds}" from ${MIN_ROLE_DURATION_SECONDS} to the role's maximum session duration.`;
  }
  return '';
}

/** Turns the last error of a refresh into one a user can act on. */
function explain(
  error: unknown,
  options: { roleArn: string; audience: string; sessionName: string; env: NodeJS.ProcessEnv; token?: string },
): Error {
  if (error instanceof ActionError) return error;
  if (error instanceof IdTokenError) {
    if (error.missingPermission) return missingIdTokenPermissionError(options.roleArn, options.env);
    return new ActionError(
      `cannot assume ${options.roleArn}: could not get a GitHub OIDC token (audience "${options.audience}"): ${error.message}`,
    );
  }
  const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as AwsLikeError;
  const what = [errorName(err), err.message].filter(Boolean).join(': ');
  const wrapped = new ActionError(
    `cannot assume ${options.roleArn} with GitHub OIDC (audience "${options.audience}", session "${options.sessionName}"): ` +
      `${what}.${hintFor(err, options.audience, options.token, options.env)}`,
  );
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/** Hides the credentials in the step's log (never the account id, which names nothing secret). */
export function maskCredentials(io: Pick<RunnerIo, 'setSecret'>, creds: AwsCredentialIdentity): void {
  io.setSecret(creds.accessKeyId);
  io.setSecret(creds.secretAccessKey);
  if (creds.sessionToken) io.setSecret(creds.sessionToken);
}

function stsAssumer(
  options: OidcCredentialsOptions,
): (input: AssumeRoleWithWebIdentityCommandInput) => Promise<AssumeRoleWithWebIdentityCommandOutput> {
  let client: STSClient | undefined;
  return (input) => {
    client ??= new STSClient({
      region: options.region,
      // The retries are ours (isRetryableOidcError): each attempt also fetches a fresh ID token.
      maxAttempts: 1,
      customUserAgent: [USER_AGENT],
      ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    });
    return client.send(new AssumeRoleWithWebIdentityCommand(input));
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A credential provider that assumes `roleArn` with a fresh GitHub ID token whenever the credentials it
 * holds have fewer than 5 minutes left (or the SDK asks with `forceRefresh`). Throws an ActionError that
 * says what to fix (the job's permissions, the role's trust policy, the OIDC provider) when it cannot.
 */
export function oidcCredentials(options: OidcCredentialsOptions): AwsCredentialIdentityProvider {
  const audience = options.audience || DEFAULT_AUDIENCE;
  const env = options.env ?? process.env;
  const sessionName = options.sessionName || defaultSessionName(env);
  if (!SESSION_NAME_RE.test(sessionName)) {
    throw new ActionError(
      `role session name "${sessionName}" must be 2 to 64 characters of letters, digits and _ + = , . @ -`,
    );
  }
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const { io } = options;
  const getIdToken = options.getIdToken ?? ((aud: string) => io.getIDToken(aud));
  const assumeRole = options.assumeRole ?? stsAssumer(options);

  let lastToken: string | undefined;

  async function fetchToken(): Promise<string> {
    let token: string;
    try {
      token = await getIdToken(audience);
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      throw new IdTokenError(message, /ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(message));
    }
    if (!token) throw new IdTokenError('the token endpoint returned no token', false);
    io.setSecret(token);
    return token;
  }

  async function assumeOnce(): Promise<AwsCredentialIdentity> {
    const token = await fetchToken();
    lastToken = token;
    const out = await assumeRole({
      RoleArn: options.roleArn,
      RoleSessionName: sessionName,
      WebIdentityToken: token,
      ...(options.durationSeconds !== undefined ? { DurationSeconds: options.durationSeconds } : {}),
    });
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new ActionError(
        `cannot assume ${options.roleArn}: STS answered AssumeRoleWithWebIdentity without credentials`,
      );
    }
    const expiration = c.Expiration ?? new Date(now() + (options.durationSeconds ?? 3600) * 1000);
    const accountId = /^arn:[^:]+:sts::(\d{12}):/.exec(out.AssumedRoleUser?.Arn ?? '')?.[1];
    const creds: AwsCredentialIdentity = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration,
      ...(accountId ? { accountId } : {}),
    };
    maskCredentials(io, creds);
    io.info(
      `Assumed ${options.roleArn} (session ${sessionName}) with GitHub OIDC; valid until ${expiration.toISOString()}`,
    );
    return creds;
  }

  async function assumeWithRetries(): Promise<AwsCredentialIdentity> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await assumeOnce();
      } catch (e) {
        if (!isRetryableOidcError(e) || attempt >= maxAttempts) {
          throw explain(e, { roleArn: options.roleArn, audience, sessionName, env, token: lastToken });
        }
        // Exponential backoff with full jitter.
        const delay = Math.round(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
        const err = e as AwsLikeError;
        io.info(
          `Assuming ${options.roleArn}: attempt ${attempt} of ${maxAttempts} failed ` +
            `(${[errorName(err), err.message].filter(Boolean).join(': ')}); retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let failedAt: number | undefined;
  const left = (c: AwsCredentialIdentity) => (c.expiration ? c.expiration.getTime() - now() : Infinity);

  async function refresh(): Promise<AwsCredentialIdentity> {
    try {
      current = await assumeWithRetries();
      failedAt = undefined;
      return current;
    } catch (e) {
      // Credentials that still work are better than a failed step: warn, and try again a little later.
      if (current && left(current) > STILL_USABLE_MS) {
        failedAt = now();
        io.warning(
          `Refreshing the AWS credentials failed; the current ones stay in use until ${current.expiration?.toISOString()}: ${(e as Error).message}`,
        );
        return current;
      }
      throw e;
    } finally {
      pending = undefined;
    }
  }

  return async (properties?: Record<string, unknown>) => {
    const force = properties?.forceRefresh === true;
    if (current && !force) {
      if (left(current) >= REFRESH_BEFORE_MS) return current;
      if (failedAt !== undefined && now() - failedAt < RETRY_REFRESH_AFTER_MS && left(current) > STILL_USABLE_MS) {
        return current;
      }
    }
    pending ??= refresh();
    return pending;
  };
}

/** The role inputs of a step (main or post): `role-to-assume` and the settings of its session. */
export interface RoleInputs {
  roleToAssume: string | undefined;
  audience?: string | undefined;
  roleSessionName?: string | undefined;
  roleDurationSeconds?: number | undefined;
  region: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The credentials of a step: GitHub OIDC for `role-to-assume`, or undefined without it (the SDK's
 * default chain then: environment, profile, web identity, instance metadata). The main step and the
 * post step both get theirs here.
 */
export function roleCredentials(inputs: RoleInputs, io: RunnerIo): AwsCredentialIdentityProvider | undefined {
  if (!inputs.roleToAssume) return undefined;
  return oidcCredentials({
    io,
    roleArn: inputs.roleToAssume,
    audience: inputs.audience,
    sessionName: inputs.roleSessionName,
    durationSeconds: inputs.roleDurationSeconds,
    region: inputs.region,
    env: inputs.env,
  });
}
