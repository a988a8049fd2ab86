/** What every mode gets: the validated inputs, the state left by earlier modes, and a way to publish. */
import * as core from '@actions/core';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { type Clients, createClients, resolveRegion } from '../aws/clients';
import { roleCredentials } from '../aws/credentials';
import { createGitHubClient, type GitHubClient, type GitHubRun, readGitHubRun } from '../github/context';
import type { Inputs } from '../inputs';
import { registerSecret } from '../lib/secrets';
import { realClock, type WaitClock } from '../lib/wait';
import type { OutputName } from './outputs';
import {
  ensureWorkDir,
  loadState,
  type State,
  type StateKey,
  saveState,
  stateFile,
  stateFromInputs,
  workDir,
} from './state';

export interface ModeContext {
  inputs: Inputs;
  /** Folder for this stage's files (plan.json, reports). */
  workDir: string;
  /** A value from an input of the same name, else from the state file. */
  get(key: StateKey): string | undefined;
  /** Records values for later modes and steps. */
  remember(update: State): void;
  setOutput(name: OutputName, value: string): void;
  /** AWS clients for the region and retry settings of the inputs (created on first use). */
  aws(): Clients;
  /** Credentials of `role-to-assume` (GitHub OIDC, renewed before they expire); undefined without it (SDK default chain). */
  credentials(): AwsCredentialIdentityProvider | undefined;
  /** Environment of the step (GITHUB_SHA, GITHUB_RUN_ID, ...). */
  env: NodeJS.ProcessEnv;
  /** GitHub's API for the pull-request comment and deployments; undefined without a token or repository. */
  github(): { octokit: GitHubClient; run: GitHubRun } | undefined;
  /** Sleep and clock used while waiting (tests replace it). */
  clock: WaitClock;
}

export function createContext(
  inputs: Inputs,
  env: NodeJS.ProcessEnv = process.env,
  clock: WaitClock = realClock,
): ModeContext {
  let clients: Clients | undefined;
  let gh: { octokit: GitHubClient; run: GitHubRun } | null | undefined;
  let credentials: AwsCredentialIdentityProvider | undefined;
  const credentialsOf = () =>
    inputs.roleToAssume
      ? (credentials ??= roleCredentials({ ...inputs, region: resolveRegion(inputs.awsRegion, env), env }))
      : undefined;
  // Masked in the log, and never in anything the action publishes.
  registerSecret(inputs.githubToken);
  ensureWorkDir(inputs.stage, env);
  const file = stateFile(inputs.stage, env);
  let state = loadState(file);
  const fromInputs = stateFromInputs(inputs);
  return {
    inputs,
    workDir: workDir(inputs.stage, env),
    get: (key) => fromInputs[key] ?? state[key],
    remember: (update) => {
      state = saveState(file, update);
    },
    setOutput: (name, value) => core.setOutput(name, value),
    aws: () =>
      (clients ??= createClients({
        region: resolveRegion(inputs.awsRegion, env),
        maxAttempts: inputs.maxRetries,
        env,
        credentials: credentialsOf(),
      })),
    credentials: credentialsOf,
    github: () => {
      if (gh === undefined) {
        const run = readGitHubRun(env);
        gh =
          inputs.githubToken && run.owner && run.repo
            ? { octokit: createGitHubClient(inputs.githubToken, { env }), run }
            : null;
      }
      return gh ?? undefined;
    },
    env,
    clock,
  };
}
