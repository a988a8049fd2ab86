/**
 * From the GitHub API calls the action made (the stand-in of test/support/github.ts records them) to the
 * GITHUB_TOKEN scope GitHub checks for each, the way test/support/api-permissions.ts maps AWS calls to IAM
 * actions. Pure, apart from reading and writing the record file.
 *
 * Each route names the endpoint and its required permission as GitHub's reference lists them, "Permissions
 * required for GitHub Apps" (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps;
 * the GITHUB_TOKEN is a GitHub App installation token: https://docs.github.com/en/actions/reference/github_token-reference).
 * Where the page lists an endpoint under two permissions, either one is enough (issue comments are under both
 * "Issues" and "Pull requests"). A call that is not in the table throws: a new call in the code must be added
 * here, with its scope from that page, and the workflows then checked against it.
 *
 * The calls the action makes in the pull-request scenario (test/integration/pull-request.test.ts) are kept in
 * test/fixtures/github-calls/pull-request.json, one entry per step (its `mode`), as routes: that integration test
 * checks that the file is what it recorded (`UPDATE_GITHUB_CALLS=1` rewrites it), and the permission test
 * (test/unit/github-permissions.test.ts) reads it, so the unit test checks the calls the action really makes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Level, Scope, TokenUse } from './github-token';

const APP_PERMISSIONS = 'https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps';

export interface GitHubRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The endpoint as the reference writes it. */
  path: string;
  /** The endpoint's name (its anchor on the REST reference). */
  slug: string;
  /** Any one of these grants the call. */
  anyOf: ReadonlyArray<{ scope: Scope; level: Level }>;
  /** The section of the permissions page that lists it. */
  doc: string;
}

const issuesOrPulls = (level: Level) =>
  [
    { scope: 'issues', level },
    { scope: 'pull-requests', level },
  ] as const;

/** Every GitHub REST call the action can make (src/github/comment.ts, src/github/deployments.ts). */
export const GITHUB_ROUTES: readonly GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    slug: 'list-issue-comments',
    anyOf: issuesOrPulls('read'),
    doc: `${APP_PERMISSIONS}#repository-permissions-for-issues (and #repository-permissions-for-pull-requests)`,
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    slug: 'create-an-issue-comment',
    anyOf: issuesOrPulls('write'),
    doc: `${APP_PERMISSIONS}#repository-permissions-for-issues (and #repository-permissions-for-pull-requests)`,
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    slug: 'update-an-issue-comment',
    anyOf: issuesOrPulls('write'),
    doc: `${APP_PERMISSIONS}#repository-permissions-for-issues (and #repository-permissions-for-pull-requests)`,
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments',
    slug: 'list-deployments',
    anyOf: [{ scope: 'deployments', level: 'read' }],
    doc: `${APP_PERMISSIONS}#repository-permissions-for-deployments`,
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/deployments',
    slug: 'create-a-deployment',
    anyOf: [{ scope: 'deployments', level: 'write' }],
    doc: `${APP_PERMISSIONS}#repository-permissions-for-deployments`,
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    slug: 'list-deployment-statuses',
    anyOf: [{ scope: 'deployments', level: 'read' }],
    doc: `${APP_PERMISSIONS}#repository-permissions-for-deployments`,
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    slug: 'create-a-deployment-status',
    anyOf: [{ scope: 'deployments', level: 'write' }],
    doc: `${APP_PERMISSIONS}#repository-permissions-for-deployments`,
  },
];

const routeRe = (route: GitHubRoute) =>
  new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** `METHOD /documented/{path}` of a request, or a throw naming the call when the table does not know it. */
export function routeOf(method: string, requestPath: string): string {
  const route = GITHUB_ROUTES.find((r) => r.method === method.toUpperCase() && routeRe(r).test(requestPath));
  if (!route) {
    throw new Error(
      `the action called ${method} ${requestPath}, which test/support/github-api-permissions.ts does not know: add ` +
        `it to GITHUB_ROUTES with the permission ${APP_PERMISSIONS} lists for it`,
    );
  }
  return `${route.method} ${route.path}`;
}

/** What a route needs of the token, for the model (test/support/github-token.ts). */
export function tokenUseOfRoute(route: string): TokenUse {
  const found = GITHUB_ROUTES.find((r) => `${r.method} ${r.path}` === route);
  if (!found) throw new Error(`unknown GitHub route "${route}": add it to GITHUB_ROUTES`);
  // The action makes every GitHub call best effort: a permission error gives a notice, never a red step
  // (src/github/context.ts bestEffort, src/github/comment.ts; test/integration/github.test.ts, repository read-only).
  return { call: `${route} (${found.slug})`, anyOf: found.anyOf, doc: found.doc, bestEffort: true };
}

// ---------------------------------------------------------------------------------------------
// The calls recorded in the pull-request scenario.

export const RECORDED_CALLS_FILE = path.resolve(__dirname, '..', 'fixtures', 'github-calls', 'pull-request.json');

/** One step of the scenario: its `mode` input, the event, and the routes it called (sorted, once each). */
export interface RecordedStep {
  mode: string;
  event: string;
  routes: string[];
}

export interface RecordedScenario {
  about: string;
  steps: RecordedStep[];
}

export function recordedStep(
  mode: string,
  event: string,
  calls: Array<{ method: string; path: string }>,
): RecordedStep {
  return { mode, event, routes: [...new Set(calls.map((c) => routeOf(c.method, c.path)))].sort() };
}

export function readRecordedCalls(): RecordedScenario {
  return JSON.parse(fs.readFileSync(RECORDED_CALLS_FILE, 'utf8')) as RecordedScenario;
}

export function scenarioOf(steps: RecordedStep[]): RecordedScenario {
  return {
    about:
      'GitHub API calls of the action in test/integration/pull-request.test.ts (one entry per step), written by ' +
      'that test with UPDATE_GITHUB_CALLS=1 and checked by it otherwise; test/unit/github-permissions.test.ts ' +
      'checks them against the token permissions of our workflows and templates.',
    steps,
  };
}

export function writeRecordedCalls(scenario: RecordedScenario): void {
  fs.mkdirSync(path.dirname(RECORDED_CALLS_FILE), { recursive: true });
  fs.writeFileSync(RECORDED_CALLS_FILE, `${JSON.stringify(scenario, null, 2)}\n`);
}
