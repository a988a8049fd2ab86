/**
 * GitHub OIDC credentials for the main step: the runner io of @actions/core (ID token, log; masking
 * through registerSecret, so that what is masked is also scrubbed from what the action publishes)
 * around oidc.ts, and the export of credentials to later steps.
 */
import * as core from '@actions/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { registerSecret } from '../lib/secrets';
import {
  maskCredentials as maskWith,
  type OidcCredentialsOptions,
  oidcCredentials as oidcWith,
  type RoleInputs,
  type RunnerIo,
  roleCredentials as roleWith,
} from './oidc';

export type { RoleInputs, RunnerIo } from './oidc';
export {
  DEFAULT_AUDIENCE,
  DEFAULT_MAX_ATTEMPTS,
  defaultSessionName,
  isForkPullRequest,
  isRetryableOidcError,
  MAX_ROLE_DURATION_SECONDS,
  MIN_ROLE_DURATION_SECONDS,
  missingIdTokenPermissionError,
  REFRESH_BEFORE_MS,
  SESSION_NAME_RE,
} from './oidc';

/** @actions/core as the runner io (looked up at each call, so tests can watch it). */
export const coreIo: RunnerIo = {
  getIDToken: (audience) => core.getIDToken(audience),
  setSecret: (value) => registerSecret(value),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
};

/** See oidc.ts; the io defaults to @actions/core's. */
export function oidcCredentials(
  options: Omit<OidcCredentialsOptions, 'io'> & { io?: RunnerIo },
): AwsCredentialIdentityProvider {
  return oidcWith({ ...options, io: options.io ?? coreIo });
}

/** The main step's credentials: GitHub OIDC for `role-to-assume`, else the SDK's default chain. */
export function roleCredentials(inputs: RoleInputs): AwsCredentialIdentityProvider | undefined {
  return roleWith(inputs, coreIo);
}

export function maskCredentials(creds: AwsCredentialIdentity): void {
  maskWith(coreIo, creds);
}

/**
 * Exports the credentials to later steps of the job (input `export-credentials: true`), as
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, with the region the action used as
 * AWS_REGION and AWS_DEFAULT_REGION (the AWS CLI reads the latter), as aws-actions/configure-aws-credentials
 * does. They are not refreshed: later steps get one role session, valid until `creds.expiration`.
 */
export function exportCredentials(creds: AwsCredentialIdentity, region: string): void {
  maskCredentials(creds);
  core.exportVariable('AWS_ACCESS_KEY_ID', creds.accessKeyId);
  core.exportVariable('AWS_SECRET_ACCESS_KEY', creds.secretAccessKey);
  // An empty value clears a session token left by an earlier step, which would not match the new keys.
  core.exportVariable('AWS_SESSION_TOKEN', creds.sessionToken ?? '');
  core.exportVariable('AWS_REGION', region);
  core.exportVariable('AWS_DEFAULT_REGION', region);
}
