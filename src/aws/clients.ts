/**
 * AWS SDK clients, built in one place: region, credentials, a user agent that says who calls, the
 * adaptive retry mode and the endpoint from the environment (AWS_ENDPOINT_URL, honoured by SDK v3,
 * which is how the same code talks to an emulator on loopback).
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import pkg from '../../package.json';

export const USER_AGENT: [string, string] = ['kedro-aws-action', pkg.version];

export interface ClientOptions {
  region: string;
  maxAttempts: number;
  /** Left undefined, the SDK's default provider chain is used (env, profile, web identity, ...). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  env?: NodeJS.ProcessEnv;
}

function common(options: ClientOptions) {
  return {
    region: options.region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    retryMode: 'adaptive' as const,
    customUserAgent: [USER_AGENT],
  };
}

/** True when requests go to an endpoint from the environment (an emulator), not AWS's own. */
export function hasCustomEndpoint(env: NodeJS.ProcessEnv = process.env, service = 'S3'): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env[`AWS_ENDPOINT_URL_${service}`]);
}

export function s3Client(options: ClientOptions): S3Client {
  // An emulator on loopback cannot answer virtual-hosted bucket names (bucket.127.0.0.1).
  return new S3Client({ ...common(options), forcePathStyle: hasCustomEndpoint(options.env) });
}
