/**
 * The pull-request comment and the GitHub deployments, through the real Octokit of @actions/github.
 *
 * No GitHub API is reachable here: the HTTP server below, on loopback, STANDS IN FOR GITHUB. It
 * implements only the REST endpoints these modules call (issue comments list/create/update, deployments
 * create/list, deployment statuses create/list), answering with objects typed by GitHub's own OpenAPI
 * description (`@octokit/openapi-types`), so the shapes are GitHub's. Octokit is pointed at it with
 * `baseUrl`. A repository named `read-only` answers every write with GitHub's 403 for a fork's token.
 */

import * as core from '@actions/core';
import { commentMarker, renderRunComment, upsertRunComment } from '../../src/github/comment';
import { createGitHubClient, type GitHubClient } from '../../src/github/context';
import { deactivateStage, finishDeployment, startDeployment } from '../../src/github/deployments';
import type { RunReport } from '../../src/report/summary';
import { COMMENT_BODY_MAX, FakeGitHub } from '../support/github';

const report: RunReport = {
  project: 'spaceflights',
  stage: 'pr-7',
  env: 'aws',
  target: 'step-functions',
  runId: '2025-11-21T10.00.00.000Z',
  status: 'FAILED',
  execution: {
    arn: 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-pr-7:run1',
    consoleUrl: 'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/x',
  },
  groups: [
    {
      name: 'data_processing',
      dependencies: [],
      compute: 'lambda',
      status: 'SUCCEEDED',
      start: new Date('2025-11-21T10:00:00Z'),
      end: new Date('2025-11-21T10:00:42Z'),
    },
    {
      name: 'data_science',
      dependencies: ['data_processing'],
      compute: 'lambda',
      status: 'FAILED',
      start: new Date('2025-11-21T10:00:43Z'),
      end: new Date('2025-11-21T10:01:00Z'),
      logs: {
        group: '/aws/lambda/spaceflights-pr-7-data-science',
        url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home',
      },
    },
  ],
  failure: {
    group: 'data_science',
    error: 'KeyError',
    cause: '{"errorMessage": "\'price\'", "errorType": "KeyError"}',
  },
};

describe('GitHub: sticky pull-request comment and deployments (against a stand-in for GitHub)', () => {
  const github = new FakeGitHub();
  let octokit: GitHubClient;

  beforeAll(async () => {
    await github.start();
    octokit = createGitHubClient('ghs_test-token', { baseUrl: github.baseUrl });
  });
  afterAll(() => github.stop());
  beforeEach(() => {
    github.requests = [];
    jest.restoreAllMocks();
  });

  test('the comment renders short: verdict, mermaid graph, durations, failure, links', () => {
    const body = renderRunComment(report, 'https://github.com/o/r/actions/runs/42');
    expect(body).toContain('### ❌ spaceflights · `pr-7`: the run failed in group `data_science`');
    expect(body).toContain('```mermaid\nflowchart LR');
    expect(body).toContain('g0 --> g1');
    expect(body).toContain('| ✅ `data_processing` | 42 s |');
    expect(body).toContain('| ❌ `data_science` | 17 s |');
    expect(body).toContain('**❌ Failure in group `data_science`:** `KeyError`');
    expect(body).toContain('[`run1`](https://eu-west-1.console.aws.amazon.com/states/');
    expect(body).toContain('[logs and job summary](https://github.com/o/r/actions/runs/42)');
    expect(body).toContain('Outputs: not checked');
    const passed = renderRunComment({
      ...report,
      status: 'SUCCEEDED',
      failure: undefined,
      groups: report.groups.map((g) => ({ ...g, status: 'SUCCEEDED' as const })),
      outputs: [
        { dataset: 'model', key: 's3://b/model', verdict: 'ok' },
        { dataset: 'metrics', key: 's3://b/metrics', verdict: 'ok' },
      ],
    });
    expect(passed).toContain('✅ spaceflights · `pr-7`: all 2 groups succeeded, 2 outputs verified');
    expect(passed).toContain('Outputs: 2 of 2 verified on S3.');
    expect(passed).not.toContain('Failure');
  });

  test('first call creates one comment; the same stage again updates it; another stage gets its own', async () => {
    // Comments of people first, more than a page of them, so the marker is found on a later page.
    for (let i = 0; i < 120; i++) {
      await octokit.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 7, body: `LGTM ${i}` });
    }
    const target = { owner: 'o', repo: 'r', issueNumber: 7, stage: 'pr-7' };
    const first = await upsertRunComment(octokit, { ...target, body: renderRunComment(report) });
    expect(first.action).toBe('created');
    const ours = () => github.comments.filter((c) => c.body?.startsWith('<!-- kedro-aws-action:stage='));
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body!.startsWith(`${commentMarker('pr-7')}\n### ❌`)).toBe(true);

    github.requests = [];
    const second = await upsertRunComment(octokit, { ...target, body: 'second push' });
    expect(second).toMatchObject({ action: 'updated', id: first.action === 'created' ? first.id : -1 });
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toBe(`${commentMarker('pr-7')}\nsecond push`);
    // Two pages read (100 + 21 comments), then one PATCH; no POST.
    expect(github.requests.filter((r) => r.startsWith('GET'))).toHaveLength(2);
    expect(github.requests.filter((r) => r.startsWith('PATCH'))).toEqual([
      `PATCH /repos/o/r/issues/comments/${second.action === 'updated' ? second.id : ''}`,
    ]);
    expect(github.requests.some((r) => r.startsWith('POST'))).toBe(false);

    const other = await upsertRunComment(octokit, { ...target, stage: 'pr-7-batch', body: 'batch stage' });
    expect(other.action).toBe('created');
    expect(ours()).toHaveLength(2);
    await upsertRunComment(octokit, { ...target, stage: 'pr-7-batch', body: 'batch stage again' });
    expect(ours()).toHaveLength(2);
    expect(ours().map((c) => c.body)).toEqual([
      `${commentMarker('pr-7')}\nsecond push`,
      `${commentMarker('pr-7-batch')}\nbatch stage again`,
    ]);
  });

  test('a run with 500 outputs not checked and 500 groups still fits in one comment; GitHub refuses a longer body', async () => {
    const many: RunReport = {
      ...report,
      stage: 'pr-huge',
      groups: Array.from({ length: 500 }, (_, i) => ({
        name: `${'<'.repeat(200)}${i}`,
        dependencies: i === 0 ? [] : [`${'<'.repeat(200)}${i - 1}`],
        compute: 'lambda' as const,
        status: 'SUCCEEDED' as const,
      })),
      failure: { group: 'data_science', error: 'E'.repeat(5000), cause: `${'&'.repeat(5000)}\n`.repeat(200) },
      outputs: [{ dataset: 'model', key: 's3://b/model', verdict: 'ok' }],
      // Names and reasons whose every character escapes to an entity or a backslash pair.
      unchecked: Array.from({ length: 500 }, (_, i) => ({
        dataset: `${'|'.repeat(300)}${i}`,
        reason: `local (${'<'.repeat(1000)}): saved on the disk of the process that ran its group`,
      })),
    };
    const target = { owner: 'o', repo: 'r', issueNumber: 9, stage: 'pr-huge' };
    const posted = await upsertRunComment(octokit, { ...target, body: renderRunComment(many, 'https://x/1') });
    expect(posted.action).toBe('created');
    const body = github.comments.find((c) => c.body?.startsWith(commentMarker('pr-huge')))!.body!;
    expect(body).toContain('**Not checked (500): 500 local**');
    expect(body).toContain('- … and 490 more (the log and the verify report list them all)');
    expect(body.length).toBeLessThanOrEqual(COMMENT_BODY_MAX);
    // The stand-in does refuse what GitHub refuses.
    await expect(upsertRunComment(octokit, { ...target, body: 'x'.repeat(COMMENT_BODY_MAX + 1) })).rejects.toThrow(
      /body is too long \(maximum is 65536 characters\)/,
    );
  });

  test("a fork's read-only token (403) gives a notice, never an error", async () => {
    const notice = jest.spyOn(core, 'notice').mockImplementation(() => undefined);
    const result = await upsertRunComment(octokit, {
      owner: 'o',
      repo: 'read-only',
      issueNumber: 3,
      stage: 'pr-3',
      body: 'x',
    });
    expect(result).toMatchObject({ action: 'skipped' });
    expect(notice).toHaveBeenCalledTimes(1);
    expect(String(notice.mock.calls[0]![0])).toMatch(/comment skipped.*Resource not accessible by integration/);
    expect(github.comments.some((c) => c.issue_url.endsWith('/read-only/issues/3'))).toBe(false);
  });

  test('deployments follow the stage: in_progress, success with the console URL, inactive after teardown', async () => {
    const repo = { owner: 'o', repo: 'r' };
    const consoleUrl = 'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/arn';
    const { deploymentId } = await startDeployment(octokit, {
      ...repo,
      ref: 'abc123',
      environment: 'pr-7',
      description: 'kedro-aws-action: spaceflights pr-7',
      logUrl: 'https://github.com/o/r/actions/runs/42',
    });
    const created = github.deployments.find((d) => Number(d.id) === deploymentId)!;
    expect(created).toMatchObject({ environment: 'pr-7', ref: 'abc123', transient_environment: true });
    expect((created as unknown as { request: Record<string, unknown> }).request).toMatchObject({
      auto_merge: false,
      required_contexts: [],
    });
    expect(github.statuses.get(deploymentId)!.map((s) => s.state)).toEqual(['in_progress']);

    await finishDeployment(octokit, { ...repo, deploymentId, state: 'success', environmentUrl: consoleUrl });
    const statuses = github.statuses.get(deploymentId)!;
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(statuses[1]!.environment_url).toBe(consoleUrl);

    // A nightly stage is not transient; a failed deploy says failure.
    const nightly = await startDeployment(octokit, {
      ...repo,
      ref: 'main',
      environment: 'nightly',
      description: 'nightly',
    });
    expect(github.deployments.find((d) => Number(d.id) === nightly.deploymentId)!.transient_environment).toBe(false);
    await finishDeployment(octokit, { ...repo, deploymentId: nightly.deploymentId, state: 'failure' });
    expect(github.statuses.get(nightly.deploymentId)!.map((s) => s.state)).toEqual(['in_progress', 'failure']);

    // A second deployment of pr-7, then teardown: both pr-7 deployments inactive, nightly untouched.
    const again = await startDeployment(octokit, {
      ...repo,
      ref: 'def456',
      environment: 'pr-7',
      description: 'push 2',
    });
    await finishDeployment(octokit, {
      ...repo,
      deploymentId: again.deploymentId,
      state: 'success',
      environmentUrl: consoleUrl,
    });
    const inactive = await deactivateStage(octokit, { ...repo, environment: 'pr-7' });
    expect(inactive.sort()).toEqual([deploymentId, again.deploymentId].sort());
    expect(github.statuses.get(deploymentId)!.at(-1)!.state).toBe('inactive');
    expect(github.statuses.get(again.deploymentId)!.at(-1)!.state).toBe('inactive');
    expect(github.statuses.get(nightly.deploymentId)!.at(-1)!.state).toBe('failure');
    // Teardown again: nothing left to set inactive.
    expect(await deactivateStage(octokit, { ...repo, environment: 'pr-7' })).toEqual([]);
  });
});
