/**
 * The sticky pull-request comment: one comment per stage, found again by a hidden marker and updated on
 * every push, never duplicated. It is short (verdict, group graph, durations, outputs verified and those
 * not checked, links, the failure); the details are in the job summary it links to.
 */
import * as core from '@actions/core';
import { clip, durationBetween, readableCause, truncateMiddle } from '../report/format';
import { groupStatusIcon, renderGroupGraph } from '../report/graph';
import { code, details, escapeText, fencedBlock, link, table } from '../report/markdown';
import { type RunReport, summaryVerdict, uncheckedSection } from '../report/summary';
import { type GitHubClient, isPermissionError } from './context';

/** The hidden marker that finds the comment of a stage again (an HTML comment: not shown). */
export function commentMarker(stage: string): string {
  // `--` and `>` cannot end the HTML comment early: stage names are [a-z0-9-], but be safe.
  return `<!-- kedro-aws-action:stage=${stage.replace(/-{2,}/g, '-').replace(/[<>\s]/g, '')} -->`;
}

/** Most groups listed with their durations; the rest are counted. */
const COMMENT_MAX_GROUPS = 15;
/**
 * Most outputs listed under "Not checked" (the rest are counted; the job summary lists more). GitHub
 * refuses a comment body of more than 65,536 characters (422 "body is too long").
 */
const COMMENT_MAX_UNCHECKED = 10;
/** Most lines of a failure's cause shown. */
const COMMENT_CAUSE_LINES = { maxLines: 15, headLines: 5, maxChars: 1500, maxLineChars: 200 };

/**
 * The comment for a run (markdown, without the marker: upsertRunComment adds it). Pure.
 * `summaryUrl`: the workflow run's page, where the job summary and the logs are.
 */
export function renderRunComment(report: RunReport, summaryUrl?: string): string {
  const verdict = summaryVerdict(report);
  const lines: string[] = [
    `### ${verdict.icon} ${escapeText(report.project)} · ${code(report.stage)}: ${verdict.reason}`,
    '',
  ];

  const facts = [`Run ${code(report.runId)}`];
  if (report.execution) {
    const name = report.execution.arn.split(':').pop() ?? report.execution.arn;
    facts.push(`execution ${link(code(name), report.execution.consoleUrl)}`);
  }
  if (report.executor === 'local') facts.push('groups run locally');
  if (summaryUrl) facts.push(link('logs and job summary', summaryUrl));
  lines.push(facts.join(' · '));

  const failure = report.failure;
  if (failure) {
    const group = failure.group === undefined ? undefined : report.groups.find((g) => g.name === failure.group);
    const logs = failure.logs ?? group?.logs;
    const cause = readableCause(failure.cause);
    const where = failure.group === undefined ? '' : ` in group ${code(failure.group)}`;
    const message = cause.message === undefined ? '' : `: ${escapeText(clip(cause.message, 200))}`;
    lines.push('', `**❌ Failure${where}:** ${code(clip(failure.error || '(none given)', 120))}${message}`);
    if (logs) lines.push(`Logs: ${link(code(logs.group), logs.url)}`);
    if (cause.text !== '') {
      const cut = truncateMiddle(cause.text, COMMENT_CAUSE_LINES);
      lines.push('', details('Cause', fencedBlock(cut.text)));
    }
  }

  if (report.groups.length > 0) {
    const graph = renderGroupGraph(report);
    if (graph) lines.push('', graph);
    const runFinished = report.status !== 'RUNNING';
    const shown = report.groups.slice(0, COMMENT_MAX_GROUPS);
    const rows = shown.map((g) => [
      `${groupStatusIcon(g.status, runFinished)} ${code(g.name)}`,
      g.status === 'RUNNING' && g.end === undefined ? 'running' : durationBetween(g.start, g.end),
    ]);
    lines.push('', table(['Group', 'Duration'], rows));
    const left = report.groups.length - shown.length;
    if (left > 0) lines.push('', `<sub>… and ${left} more group${left === 1 ? '' : 's'}: see the job summary.</sub>`);
  }

  const outputs = report.outputs;
  if (outputs === undefined) lines.push('', 'Outputs: not checked (verify did not run).');
  else {
    const ok = outputs.filter((o) => o.verdict === 'ok').length;
    const bad = outputs.filter((o) => o.verdict !== 'ok' && o.verdict !== 'local-path').length;
    const local = outputs.length - ok - bad;
    const parts = [`${ok} of ${outputs.length} verified on S3`];
    if (bad > 0) parts.push(`${bad} failed the check`);
    if (local > 0) parts.push(`${local} on a local path not checked`);
    lines.push('', `Outputs: ${parts.join(', ')}.`);
  }
  const unchecked = uncheckedSection(report.unchecked, COMMENT_MAX_UNCHECKED);
  if (unchecked) lines.push('', `**${unchecked.title}**`, '', unchecked.list);
  if (summaryUrl) lines.push('', `<sub>Details: ${link('the job summary', summaryUrl)}.</sub>`);
  return `${lines.join('\n')}\n`;
}

export interface RunCommentTarget {
  owner: string;
  repo: string;
  /** The pull request's number (its issue number). */
  issueNumber: number;
  stage: string;
  /** The comment without the marker (renderRunComment's text). */
  body: string;
}

export type CommentResult =
  | { action: 'created' | 'updated'; id: number; url: string }
  /** The token may not comment (a fork's read-only token): a notice was given. */
  | { action: 'skipped'; reason: string };

/**
 * Creates the stage's comment on the pull request, or updates it when one with the stage's marker is
 * there (the oldest, if a race ever made two). A permission error (403: a fork's read-only token) gives a
 * notice and returns `skipped`; any other error is thrown.
 */
export async function upsertRunComment(octokit: GitHubClient, target: RunCommentTarget): Promise<CommentResult> {
  const marker = commentMarker(target.stage);
  const body = `${marker}\n${target.body}`;
  const where = { owner: target.owner, repo: target.repo };
  try {
    let existing: { id: number } | undefined;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...where,
      issue_number: target.issueNumber,
      per_page: 100,
    });
    for await (const page of pages) {
      const found = page.data.find((c) => (c.body ?? '').startsWith(marker));
      if (found) {
        existing = { id: Number(found.id) };
        break;
      }
    }
    if (existing) {
      const res = await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
      core.info(`Updated the pull request comment of stage ${target.stage}: ${res.data.html_url}`);
      return { action: 'updated', id: Number(res.data.id), url: res.data.html_url };
    }
    const res = await octokit.rest.issues.createComment({ ...where, issue_number: target.issueNumber, body });
    core.info(`Commented on pull request #${target.issueNumber} for stage ${target.stage}: ${res.data.html_url}`);
    return { action: 'created', id: Number(res.data.id), url: res.data.html_url };
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    const reason = (error as Error).message;
    core.notice(
      `Pull request comment skipped: the token may not write to pull request #${target.issueNumber} (${reason}). ` +
        'On a pull request from a fork the token is read-only; the run is not affected.',
    );
    return { action: 'skipped', reason };
  }
}
