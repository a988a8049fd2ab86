/**
 * How every AWS SDK client is configured: region, credentials, a user agent that says who calls, the
 * adaptive retry mode, timeouts for a connection that cannot open or goes silent, and the endpoint from
 * the environment (AWS_ENDPOINT_URL, honoured by SDK v3,
 * which is how the same code talks to an emulator on loopback). No SDK client is imported here, so the
 * post step bundles only the clients it builds (clients.ts has the main step's).
 *
 * Every call made through these clients is recorded (service and operation), so a test can count the
 * mutating calls of a redeploy, and the list of actions each mode needs can be read off a real run.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import pkg from '../../package.json';
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';

export const USER_AGENT: [string, string] = ['kedro-aws-action', pkg.version];

/** A connection not open after this long has failed (a cut network, a wrong endpoint). */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A request whose connection stays silent this long has failed, and is retried (the SDK's own default
 * is 15 minutes per attempt: a network that drops packets silently would hold a wait for hours before
 * it could go on through the outage). No call of the action streams or waits on the server side.
 */
export const SOCKET_TIMEOUT_MS = 60_000;

export interface ClientOptions {
  region: string;
  maxAttempts: number;
  /** Left undefined, the SDK's default provider chain is used (env, profile, web identity, ...). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  env?: NodeJS.ProcessEnv;
  /** An explicit endpoint; otherwise the SDK reads AWS_ENDPOINT_URL(_<SERVICE>) or uses AWS's own. */
  endpoint?: string;
  /** Default {@link CONNECT_TIMEOUT_MS} and {@link SOCKET_TIMEOUT_MS} (tests make them short). */
  timeouts?: { connectMs?: number; socketMs?: number };
}

export interface RecordedCall {
  service: string;
  operation: string;
  /** For S3: the bucket, and the key (or the listed prefix) the call names: what IAM checks it against. */
  bucket?: string;
  key?: string;
  /** The call named an object version (IAM then checks the *Version action). */
  version?: true;
}

function s3Target(input: unknown): Pick<RecordedCall, 'bucket' | 'key' | 'version'> {
  const { Bucket, Key, Prefix, VersionId } = (input ?? {}) as Record<string, unknown>;
  const key = typeof Key === 'string' ? Key : typeof Prefix === 'string' ? Prefix : undefined;
  return {
    ...(typeof Bucket === 'string' ? { bucket: Bucket } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(typeof VersionId === 'string' ? { version: true as const } : {}),
  };
}

/** Calls made through clients of this module since the last reset (newest last). */
export const callLog: RecordedCall[] = [];

/** Operations that change nothing: Describe*, Get*, List* (and the login token). */
export function isReadOnly(operation: string): boolean {
  return /^(Describe|Get|List|Head|BatchGet)/.test(operation);
}

interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

export function record<T extends { middlewareStack: unknown }>(service: string, client: T): T {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      callLog.push({ service, operation, ...(service === 's3' ? s3Target((args as { input?: unknown }).input) : {}) });
      return next(args);
    },
    { step: 'initialize', name: 'kedroAwsCallLog' },
  );
  return client;
}

/** The constructor settings every client shares. */
export function clientConfig(options: ClientOptions) {
  return {
    region: options.region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    retryMode: 'adaptive' as const,
    requestHandler: {
      connectionTimeout: options.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS,
      socketTimeout: options.timeouts?.socketMs ?? SOCKET_TIMEOUT_MS,
    },
    customUserAgent: [USER_AGENT],
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

/** True when requests go to an endpoint from the environment (an emulator), not AWS's own. */
export function hasCustomEndpoint(env: NodeJS.ProcessEnv = process.env, service = 'S3'): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env[`AWS_ENDPOINT_URL_${service}`]);
}

/** The region from the input, else from the environment; an error naming the input when neither is set. */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError(
      `input "${INPUT.awsRegion}" is not set and neither is AWS_REGION: give the region to deploy to, e.g. eu-west-1`,
    );
  }
  return region;
}
