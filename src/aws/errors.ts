/**
 * AWS errors as a user reads them. Every effect of src/aws/ turns what the SDK throws into an
 * {@link AwsCallError}: the call (`states:DescribeExecution`, as IAM names it), what it was about
 * (`execution arn:…`), what went wrong, and what to check, by class of error: the network, the endpoint
 * and the region (`aws-region`, AWS_ENDPOINT_URL); throttling (`max-retries`); a server error; refused
 * credentials (`role-to-assume`); an action the role may not call; a resource that does not exist (the
 * input that names it).
 *
 * The class also tells the waits which errors are worth waiting through (network, 5xx, throttling:
 * {@link isTransientAwsError}). No @actions/core here: the post step bundles this module.
 */
import { AWS_PARTITIONS, INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';

export type AwsErrorKind =
  /** The runner could not reach the endpoint (reset, refused, timed out). */
  | 'network'
  /** The endpoint's host name does not resolve (getaddrinfo ENOTFOUND). */
  | 'dns'
  /** AWS throttled the call (Rate exceeded). */
  | 'throttling'
  /** AWS answered with a server error (5xx). */
  | 'server'
  /** The credentials were refused (expired, unknown, bad signature). */
  | 'credentials'
  /** The credentials may not make this call on this resource. */
  | 'access'
  /** The resource does not exist. */
  | 'not-found'
  /** Anything else the service refused (validation, conflict, limits). */
  | 'client';

/** Service error names of throttling (the SDK retries them too, and so do the waits). */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
]);

/** Node and SDK names of a connection that failed or went silent (ENOTFOUND is apart: {@link AwsErrorKind} `dns`). */
export const NETWORK_ERRORS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const CREDENTIALS_ERRORS: ReadonlySet<string> = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidToken',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
]);

const ACCESS_ERRORS: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'Forbidden',
]);

const SERVER_ERRORS: ReadonlySet<string> = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
  'ServerException',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  hostname?: string;
  $fault?: string;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function asSdk(error: unknown): SdkLikeError {
  return typeof error === 'object' && error !== null ? (error as SdkLikeError) : { message: String(error) };
}

/**
 * The SDK's retry middleware wraps what is not an `Error` of its own realm (a Node error seen from
 * another VM context, as under jest) in `new Error("AWS SDK error wrapper for <error as text>")`,
 * which loses the error's code; Node puts the code in the message too (`connect ECONNREFUSED …`).
 */
const SDK_WRAPPER = /^AWS SDK error wrapper for (?:\w*Error: )?/;

/** A Node network code said in the message (`read ECONNRESET`, `getaddrinfo ENOTFOUND host`). */
function codeInMessage(message: string): string | undefined {
  return /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
}

/** The error's name as AWS or Node gives it (`ThrottlingException`, `ECONNRESET`). */
export function awsErrorName(error: unknown): string {
  const err = asSdk(error);
  const name = err.name && err.name !== 'Error' ? err.name : undefined;
  return name ?? err.Code ?? err.code ?? 'Error';
}

/** What kind of failure this is (see {@link AwsErrorKind}); an {@link AwsCallError} keeps the kind of its cause. */
export function awsErrorKind(error: unknown): AwsErrorKind {
  if (error instanceof AwsCallError) return error.kind;
  // Already said for a user (not an AWS error): nothing to read in its text.
  if (error instanceof ActionError) return 'client';
  const err = asSdk(error);
  const name = awsErrorName(error);
  const message = err.message ?? '';
  const status = err.$metadata?.httpStatusCode;
  // A service's answer (it has a status) is never a network error, whatever its message says.
  const code = err.code ?? (status === undefined ? codeInMessage(message) : undefined) ?? '';
  if (code === 'ENOTFOUND' || name === 'ENOTFOUND' || /getaddrinfo ENOTFOUND/.test(message)) return 'dns';
  if (NETWORK_ERRORS.has(name) || NETWORK_ERRORS.has(code) || /socket hang up/i.test(message)) return 'network';
  if (
    THROTTLING_ERRORS.has(name) ||
    err.$retryable?.throttling ||
    status === 429 ||
    /^Rate exceeded|Throttl/i.test(message)
  ) {
    return 'throttling';
  }
  if (CREDENTIALS_ERRORS.has(name)) return 'credentials';
  if (ACCESS_ERRORS.has(name) || status === 403) return 'access';
  if (SERVER_ERRORS.has(name) || err.$fault === 'server' || (status !== undefined && status >= 500)) return 'server';
  if (err.$retryable) return 'server';
  if (/NotFound|DoesNotExist|^NoSuch/.test(name) || status === 404) return 'not-found';
  return 'client';
}

/**
 * True for what a wait goes on through: network errors, throttling and server errors. A host that does
 * not resolve counts only once the same wait has had an answer (it resolved then, so DNS is down now);
 * before that it is a wrong region or endpoint, and waiting will not fix it.
 */
export function isTransientAwsError(error: unknown, answeredBefore = false): boolean {
  const kind = awsErrorKind(error);
  return kind === 'network' || kind === 'throttling' || kind === 'server' || (kind === 'dns' && answeredBefore);
}

/** What a call was about, for its error. */
export interface AwsCallAbout {
  /** The call as IAM names its action: `states:DescribeExecution`, `s3:HeadObject`. */
  call: string;
  /** What it was about: `execution arn:…`, `bucket my-data`, `Lambda function spaceflights-dev-reporting`. */
  resource: string;
  /** The input(s) that name the resource: checked when it does not exist or is refused. */
  input?: string | readonly string[];
  /** Where else the resource comes from, in the caller's words (e.g. the catalog that names a bucket). */
  hint?: string;
}

/** An AWS call that failed, said so a user can act on it (the SDK's error is `sdkError`). */
export class AwsCallError extends ActionError {
  constructor(
    message: string,
    readonly kind: AwsErrorKind,
    readonly about: AwsCallAbout,
    readonly sdkError: unknown,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

/** The IAM action a role needs for a call (S3's reads and writes are named apart from their API). */
export function iamActionOf(call: string): string {
  const s3: Record<string, string> = {
    's3:HeadObject': 's3:GetObject',
    's3:ListObjectsV2': 's3:ListBucket',
    's3:DeleteObjects': 's3:DeleteObject',
  };
  return s3[call] ?? call;
}

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(' and ');

function inputsOf(about: AwsCallAbout): string[] {
  return about.input === undefined ? [] : typeof about.input === 'string' ? [about.input] : [...about.input];
}

/** The hosts of AWS endpoints: `<service>.<region>.<DNS suffix of a partition>`. */
const AWS_HOST_RE = new RegExp(
  `\\.([a-z]{2,4}(?:-[a-z]+)+-\\d+)\\.(?:${[...new Set(Object.values(AWS_PARTITIONS).map((p) => p.dnsSuffix))]
    .map((suffix) => suffix.replace(/\./g, '\\.'))
    .join('|')})$`,
);

/** `states.xx-east-9.amazonaws.com` → `xx-east-9` (any partition's DNS suffix). */
function regionOfHost(host: string): string | undefined {
  return AWS_HOST_RE.exec(host)?.[1];
}

/** What to check when a host does not resolve (getaddrinfo ENOTFOUND): the region, else the endpoint. */
export function dnsHint(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = env.AWS_ENDPOINT_URL;
  const host = asSdk(error).hostname ?? /ENOTFOUND (\S+)/.exec(asSdk(error).message ?? '')?.[1] ?? '';
  const region = regionOfHost(host);
  if (region) {
    return `The host ${host} does not exist: "${region}" is not a region where this service is (input "${INPUT.awsRegion}", e.g. eu-west-1), or the runner cannot resolve names.`;
  }
  if (endpoint) return `The host of AWS_ENDPOINT_URL (${endpoint}) does not resolve: check it, and the runner's DNS.`;
  return `The host${host ? ` ${host}` : ''} does not resolve: check the region (input "${INPUT.awsRegion}") and the runner's DNS.`;
}

function what(error: unknown, kind: AwsErrorKind): string {
  const err = asSdk(error);
  const name = awsErrorName(error);
  const message = (err.message ?? '').replace(SDK_WRAPPER, '').trim();
  const attempts = err.$metadata?.attempts ?? 0;
  const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (kind === 'network' || kind === 'dns') {
    const code = err.code && !message.includes(err.code) ? ` (${err.code})` : '';
    return `${message || name}${code}${after}`;
  }
  const status = err.$metadata?.httpStatusCode;
  const http = kind === 'server' && status ? ` (HTTP ${status})` : '';
  if (!message || message === name) return `${name}${http}${after}`;
  return `${name}: ${message}${http}${after}`;
}

function hintFor(error: unknown, kind: AwsErrorKind, about: AwsCallAbout, env: NodeJS.ProcessEnv): string[] {
  const endpoint = env.AWS_ENDPOINT_URL;
  const endpointNote = endpoint ? ` and the endpoint AWS_ENDPOINT_URL=${endpoint}` : '';
  const inputs = inputsOf(about);
  const checkInputs = inputs.length ? [`Check input ${quoted(inputs)}.`] : [];
  switch (kind) {
    case 'network':
      return [
        `AWS could not be reached from the runner: check the runner's network, the region (input "${INPUT.awsRegion}")${endpointNote}.`,
      ];
    case 'dns':
      return [dnsHint(error, env)];
    case 'throttling':
      return [
        `AWS throttled the call: the calls of one account and region share a rate. Raise input "${INPUT.maxRetries}" (the SDK's retries of a throttled call), or run fewer runs at once.`,
      ];
    case 'server':
      return [
        'AWS answered with a server error; these are usually short-lived: re-run the job, and look at the AWS Health Dashboard if it lasts.',
      ];
    case 'credentials':
      return [
        `The AWS credentials were refused: with input "${INPUT.roleToAssume}", check the role and that the job has "permissions: id-token: write"; without it, check the runner's AWS credentials.`,
      ];
    case 'access':
      return [
        `The credentials may not call ${iamActionOf(about.call)} on it (or the action the message names): allow it in the policy of the role (input "${INPUT.roleToAssume}"; README "IAM permissions by mode").`,
        ...checkInputs,
      ];
    case 'not-found': {
      const bucket = (error as { BucketName?: string }).BucketName;
      if (awsErrorName(error) === 'NoSuchBucket') {
        return [`The bucket${bucket ? ` ${bucket}` : ''} does not exist (or is not this account's).`, ...checkInputs];
      }
      return [`${capitalised(about.resource)} does not exist (or not in this account and region).`, ...checkInputs];
    }
    default:
      return checkInputs;
  }
}

function capitalised(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * The error of a failed call as an {@link AwsCallError} naming the call, the resource and what to
 * check. An ActionError (already said for a user) is returned as it is.
 */
export function awsError(error: unknown, about: AwsCallAbout, env: NodeJS.ProcessEnv = process.env): ActionError {
  if (error instanceof ActionError) return error;
  const kind = awsErrorKind(error);
  const lines = [
    `${about.call} on ${about.resource} failed: ${what(error, kind)}`,
    ...hintFor(error, kind, about, env),
    ...(about.hint ? [about.hint] : []),
  ];
  return new AwsCallError(lines.join('\n'), kind, about, error);
}

/** Runs one AWS call; what it throws comes out as {@link awsError}. */
export async function awsCall<T>(about: AwsCallAbout, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw awsError(error, about);
  }
}

/** The SDK's error behind `error` (itself when it is not an {@link AwsCallError}). */
export function sdkErrorOf(error: unknown): unknown {
  return error instanceof AwsCallError ? error.sdkError : error;
}
