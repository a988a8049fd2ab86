/**
 * GitHub deployments for stages: `deploy` creates one for the stage's environment (`pr-123`, `nightly`,
 * ...) and follows it with statuses (in_progress, then success with the state machine's console URL as
 * the environment URL, or failure); `teardown` sets the stage's deployments inactive. So the pull request
 * shows "deployed to pr-123" and the repository's environments list the live stages.
 */
import * as core from '@actions/core';
import type { GitHubClient } from './context';

export interface Repo {
  owner: string;
  repo: string;
}

/** Stages of pull requests are transient: GitHub may list them as gone once a later one supersedes them. */
export function isTransientStage(stage: string): boolean {
  return /^pr-/.test(stage);
}

export interface StartDeployment extends Repo {
  /** The commit (or branch) deployed: the PR's head commit on a pull request. */
  ref: string;
  /** The stage name, used as the GitHub environment. */
  environment: string;
  description: string;
  /** The workflow run's page (its logs). */
  logUrl?: string;
}

/** Creates the deployment (no merge of the default branch, no required status checks) and sets it in_progress. */
export async function startDeployment(
  octokit: GitHubClient,
  options: StartDeployment,
): Promise<{ deploymentId: number }> {
  const res = await octokit.rest.repos.createDeployment({
    owner: options.owner,
    repo: options.repo,
    ref: options.ref,
    environment: options.environment,
    description: options.description.slice(0, 140),
    auto_merge: false,
    required_contexts: [],
    transient_environment: isTransientStage(options.environment),
    production_environment: false,
  });
  // 202 answers a merge GitHub made instead of a deployment: not with auto_merge false, but be explicit.
  if (!('id' in res.data))
    throw new Error(`GitHub created no deployment: ${res.data.message ?? `status ${res.status}`}`);
  const deploymentId = Number(res.data.id);
  await octokit.rest.repos.createDeploymentStatus({
    owner: options.owner,
    repo: options.repo,
    deployment_id: deploymentId,
    state: 'in_progress',
    ...(options.logUrl ? { log_url: options.logUrl } : {}),
    description: 'Deploying',
  });
  core.info(`GitHub deployment ${deploymentId} to environment ${options.environment}: in progress`);
  return { deploymentId };
}

export interface FinishDeployment extends Repo {
  deploymentId: number;
  state: 'success' | 'failure';
  /** The console URL of the state machine (or of the Batch job queue): what the environment links to. */
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
}

/** Sets the deployment's final status. On success GitHub sets the environment's earlier deployments inactive. */
export async function finishDeployment(octokit: GitHubClient, options: FinishDeployment): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: options.owner,
    repo: options.repo,
    deployment_id: options.deploymentId,
    state: options.state,
    ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
    ...(options.logUrl ? { log_url: options.logUrl } : {}),
    description: (options.description ?? (options.state === 'success' ? 'Deployed' : 'Deploy failed')).slice(0, 140),
    ...(options.state === 'success' ? { auto_inactive: true } : {}),
  });
  core.info(`GitHub deployment ${options.deploymentId}: ${options.state}`);
}

/**
 * Sets every deployment of the stage's environment inactive (after teardown), unless already inactive.
 * Returns the ids set inactive.
 */
export async function deactivateStage(
  octokit: GitHubClient,
  options: Repo & { environment: string; logUrl?: string },
): Promise<number[]> {
  const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
    owner: options.owner,
    repo: options.repo,
    environment: options.environment,
    per_page: 100,
  });
  const done: number[] = [];
  for (const deployment of deployments) {
    const id = Number(deployment.id);
    const latest = await octokit.rest.repos.listDeploymentStatuses({
      owner: options.owner,
      repo: options.repo,
      deployment_id: id,
      per_page: 1,
    });
    if (latest.data[0]?.state === 'inactive') continue;
    await octokit.rest.repos.createDeploymentStatus({
      owner: options.owner,
      repo: options.repo,
      deployment_id: id,
      state: 'inactive',
      description: 'Stage torn down',
      ...(options.logUrl ? { log_url: options.logUrl } : {}),
    });
    done.push(id);
  }
  core.info(`GitHub environment ${options.environment}: ${done.length} deployment(s) set inactive`);
  return done;
}
