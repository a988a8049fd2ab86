/**
 * What the runner tells of the workflow run (GITHUB_EVENT_NAME, the GITHUB_EVENT_PATH payload,
 * GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_SERVER_URL / GITHUB_API_URL, GITHUB_RUN_ID), and the Octokit of
 * `@actions/github` for the `github-token` input. Reads only the environment it is given (never the
 * `context` singleton of @actions/github, which reads process.env when first imported).
 */

import * as fs from 'node:fs';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';

/** The REST client (Octokit with the REST methods and paginate) that @actions/github builds. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubRun {
  eventName: string | undefined;
  /** The event's payload (the webhook body), `{}` when there is none. */
  payload: Record<string, unknown>;
  owner: string | undefined;
  repo: string | undefined;
  /** GITHUB_SHA: on pull_request, the merge commit. */
  sha: string | undefined;
  /** The pull request's number on pull_request / pull_request_target events. */
  pullRequestNumber: number | undefined;
  /** The commit to attach a deployment to: the PR's head commit on a pull request, else GITHUB_SHA. */
  deploymentRef: string | undefined;
  serverUrl: string;
  apiUrl: string;
  /** The workflow run's page (its logs and job summaries), when GITHUB_RUN_ID is set. */
  runUrl: string | undefined;
}

const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target']);

function readPayload(file: string | undefined): Record<string, unknown> {
  if (!file || !fs.existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    core.debug(`event payload ${file} not read: ${(error as Error).message}`);
    return {};
  }
}

export function readGitHubRun(env: NodeJS.ProcessEnv = process.env): GitHubRun {
  const eventName = env.GITHUB_EVENT_NAME || undefined;
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const pr = payload.pull_request as { number?: unknown; head?: { sha?: unknown } } | undefined;
  const isPr = eventName !== undefined && PULL_REQUEST_EVENTS.has(eventName);
  const number = isPr ? (pr?.number ?? payload.number) : undefined;
  const headSha = isPr && typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = owner && repo ? `${owner}/${repo}` : undefined;
  return {
    eventName,
    payload,
    owner: owner || undefined,
    repo: repo || undefined,
    sha: env.GITHUB_SHA || undefined,
    pullRequestNumber: typeof number === 'number' && Number.isInteger(number) ? number : undefined,
    deploymentRef: headSha ?? (env.GITHUB_SHA || undefined),
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl:
      repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  };
}

/** The Octokit for `token`, pointed at GITHUB_API_URL (GitHub Enterprise Server) or `baseUrl` (tests). */
export function createGitHubClient(
  token: string,
  options: { baseUrl?: string; env?: NodeJS.ProcessEnv } = {},
): GitHubClient {
  const env = options.env ?? process.env;
  const baseUrl = options.baseUrl ?? (env.GITHUB_API_URL || 'https://api.github.com');
  return getOctokit(token, { baseUrl: baseUrl.replace(/\/+$/, ''), userAgent: 'kedro-aws-action' });
}

/**
 * Whether an Octokit error means the token may not do this: a fork's read-only token (403 "Resource not
 * accessible by integration"), a job whose `permissions:` leave out `pull-requests`/`deployments`.
 */
export function isPermissionError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 403) return true;
  return /Resource not accessible by (integration|personal access token)/i.test((error as Error | null)?.message ?? '');
}

/**
 * Runs a GitHub call that must never fail the run: a permission error gives a notice (`<what> skipped`),
 * any other error a warning; both return undefined.
 */
export async function bestEffort<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (isPermissionError(error)) {
      core.notice(
        `${what} skipped: the token may not do it (${message}); on a pull request from a fork the token is read-only.`,
      );
    } else {
      core.warning(`${what} failed: ${message}`);
    }
    return undefined;
  }
}
