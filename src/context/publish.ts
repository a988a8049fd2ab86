/**
 * Where a run's report goes: the job summary, and on pull requests the stage's sticky comment (best
 * effort: a fork's read-only token gives a notice, never a failure); and the stage's GitHub deployment.
 * Every text published here passes the secret scrubber first (src/lib/secrets.ts): the report before
 * it is rendered (escaping could change a secret's spelling) and the rendered text again.
 */
import * as core from '@actions/core';
import { renderRunComment, upsertRunComment } from '../github/comment';
import { bestEffort } from '../github/context';
import { deactivateStage, finishDeployment, startDeployment } from '../github/deployments';
import { scrub, scrubDeep } from '../lib/secrets';
import { type RunReport, renderSummary } from '../report/summary';
import type { ModeContext } from './context';
import { STATE } from './state';

export async function publishReport(ctx: ModeContext, given: RunReport): Promise<void> {
  const report = scrubDeep(given);
  try {
    await core.summary.addRaw(scrub(renderSummary(report))).write();
  } catch (error) {
    // Outside a runner there is no summary file; the log already says everything.
    core.debug(`job summary not written: ${(error as Error).message}`);
  }
  const gh = ctx.github();
  const number = gh?.run.pullRequestNumber;
  if (!gh || !ctx.inputs.commentOnPr || number === undefined || !gh.run.owner || !gh.run.repo) return;
  const { owner, repo } = gh.run;
  await bestEffort('Pull request comment', () =>
    upsertRunComment(gh.octokit, {
      owner,
      repo,
      issueNumber: number,
      stage: report.stage,
      body: scrub(renderRunComment(report, gh.run.runUrl)),
    }),
  );
}

/**
 * A GitHub deployment for the stage around `deploy`: in_progress now; `finish` sets success (with the
 * console URL as the environment URL) or failure. Its id goes in the state, so that a run of the stage
 * that fails (in this step or a later one) can mark it too ({@link markDeploymentFailed}). Does nothing
 * without a token; never fails the step.
 */
export async function trackDeployment(
  ctx: ModeContext,
  stage: string,
  description: string,
): Promise<{ finish(state: 'success' | 'failure', environmentUrl?: string): Promise<void> }> {
  const gh = ctx.github();
  const { owner, repo, deploymentRef, runUrl } = gh?.run ?? {};
  const started =
    gh && owner && repo && deploymentRef
      ? await bestEffort('GitHub deployment', () =>
          startDeployment(gh.octokit, {
            owner,
            repo,
            ref: deploymentRef,
            environment: stage,
            description: scrub(description),
            ...(runUrl ? { logUrl: runUrl } : {}),
          }),
        )
      : undefined;
  if (started) ctx.remember({ [STATE.deploymentId]: String(started.deploymentId) });
  return {
    finish: async (state, environmentUrl) => {
      if (!started) return;
      await setDeploymentStatus(ctx, started.deploymentId, state, {
        ...(environmentUrl ? { environmentUrl } : {}),
      });
    },
  };
}

/**
 * A run of the stage failed, timed out or was stopped: the stage's deployment (the one `deploy` left
 * in the state) gets a `failure` status saying so. Does nothing without one or without a token; never
 * fails the step.
 */
export async function markDeploymentFailed(ctx: ModeContext, description: string): Promise<void> {
  const id = Number(ctx.get(STATE.deploymentId));
  if (!Number.isInteger(id) || id <= 0) return;
  await setDeploymentStatus(ctx, id, 'failure', { description });
}

async function setDeploymentStatus(
  ctx: ModeContext,
  deploymentId: number,
  state: 'success' | 'failure',
  options: { environmentUrl?: string; description?: string },
): Promise<void> {
  const gh = ctx.github();
  const { owner, repo, runUrl } = gh?.run ?? {};
  if (!gh || !owner || !repo) return;
  await bestEffort('GitHub deployment status', () =>
    finishDeployment(gh.octokit, {
      owner,
      repo,
      deploymentId,
      state,
      ...(options.environmentUrl ? { environmentUrl: options.environmentUrl } : {}),
      ...(options.description ? { description: scrub(options.description) } : {}),
      ...(runUrl ? { logUrl: runUrl } : {}),
    }),
  );
}

/** After teardown: the stage's deployments become inactive. */
export async function deactivateDeployments(ctx: ModeContext, stage: string): Promise<void> {
  const gh = ctx.github();
  const { owner, repo, runUrl } = gh?.run ?? {};
  ctx.remember({ [STATE.deploymentId]: undefined });
  if (!gh || !owner || !repo) return;
  await bestEffort('GitHub deployments', () =>
    deactivateStage(gh.octokit, { owner, repo, environment: stage, ...(runUrl ? { logUrl: runUrl } : {}) }),
  );
}
