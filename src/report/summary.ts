/**
 * The job summary of a run, as GitHub-flavoured markdown for `core.summary.addRaw`: a one-line
 * verdict, the group graph as a mermaid diagram coloured by status, the groups with their times, the
 * outputs checked, the execution or jobs with console links and, for a failure, the group, the error,
 * the cause and where the logs are.
 *
 * Pure and deterministic: the same report gives the same text (no clock is read; times are UTC).
 * Every name, key and message from the project or from AWS is escaped for where it is put; long parts
 * (a long cause, a large table or graph) fold into `<details>`.
 */
import type { DeploymentPlan } from '../plan/planner';
import type { Compute } from '../plan/settings';
import type { UncheckedOutput } from '../verify/expected';
import type { ProofCheck as VerifiedOutput } from '../verify/records';
import { clip, durationBetween, formatBytes, formatTime, isValidDate, readableCause, truncateMiddle } from './format';
import { code, details, escapeText, fencedBlock, link, safeUrl, table } from './markdown';
import { MERMAID_LIMITS, type NodeStatus, renderFlowchart } from './mermaid';

/** How the whole run ended (Step Functions execution statuses; a Batch run is summed up the same way). */
export type RunStatus = 'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** A group's status; PENDING on a finished run means the group never ran. */
export type ReportGroupStatus = NodeStatus;

/** What the check of one output found. */
export type OutputVerdict = 'ok' | 'not-written' | 'overwritten' | 'missing' | 'empty' | 'local-path';

/** Where logs are: a CloudWatch log group, maybe a stream, maybe a console link. */
export interface LogLocation {
  readonly group: string;
  readonly stream?: string;
  readonly url?: string;
}

export interface ReportGroup {
  /** The Kedro group name. */
  readonly name: string;
  /** Names of the groups it waits for (pass the reduced dependencies for a clearer graph). */
  readonly dependencies: readonly string[];
  readonly compute: Compute;
  /** SageMaker groups: the instance type, and whether it runs on spot capacity. */
  readonly instanceType?: string;
  readonly spot?: boolean;
  readonly status: ReportGroupStatus;
  readonly start?: Date;
  readonly end?: Date;
  readonly logs?: LogLocation;
}

export interface ReportFailure {
  /** The group that failed, when known. */
  readonly group?: string;
  readonly error: string;
  /** As AWS gives it: plain text, Lambda's JSON error payload, or Batch's JSON job description. */
  readonly cause: string;
  readonly logs?: LogLocation;
}

export interface OutputCheck {
  /** Kedro dataset name. */
  readonly dataset: string;
  /** Where it was looked for (`s3://bucket/key`, or the local path for `local-path`). */
  readonly key: string;
  readonly size?: number;
  readonly lastModified?: Date;
  readonly verdict: OutputVerdict;
  /** Why, for a verdict other than ok (e.g. "written 2025-11-20, before this run started"). */
  readonly detail?: string;
}

/** Everything the summary shows about one run. */
export interface RunReport {
  /** Project name (as in resource names). */
  readonly project: string;
  readonly stage: string;
  /** Kedro conf environment. */
  readonly env: string;
  readonly target: 'step-functions' | 'batch';
  /** `local` when the groups ran as local processes (no AWS account: the emulator). */
  readonly executor?: 'aws' | 'local';
  /** The run's id (the save version of versioned datasets). */
  readonly runId: string;
  readonly status: RunStatus;
  /** The Step Functions execution. */
  readonly execution?: { readonly arn: string; readonly consoleUrl?: string };
  /** Batch jobs (their ids) or SageMaker training jobs (their names) by group name. */
  readonly jobs?: Readonly<Record<string, { readonly jobId: string; readonly consoleUrl?: string }>>;
  /** In dependency order. */
  readonly groups: readonly ReportGroup[];
  readonly failure?: ReportFailure;
  /** Undefined when the outputs were not checked (verify did not run). */
  readonly outputs?: readonly OutputCheck[];
  /** The outputs verify does not check, and why (src/verify/expected.ts); undefined or empty: none. */
  readonly unchecked?: readonly UncheckedOutput[];
}

/** How the summary judges the run. */
export interface SummaryVerdict {
  readonly outcome: 'passed' | 'failed' | 'running';
  /** ✅, ❌ or ⏳. */
  readonly icon: string;
  /** Why, as markdown (names in code spans). */
  readonly reason: string;
}

/** Limits that keep the summary compact (GitHub accepts at most 1 MiB per step). */
export interface SummaryLimits {
  /** More groups than this: the graph folds into `<details>`. */
  readonly graphOpenMaxGroups: number;
  /** More rows than this: a table folds into `<details>` (outputs stay open when one has a problem). */
  readonly tableOpenMaxRows: number;
  /** Most rows of a table; the rest are counted, not listed. */
  readonly tableMaxRows: number;
  /** A cause of more lines than this folds into `<details>`. */
  readonly causeOpenMaxLines: number;
  /** Most outputs listed under "Not checked"; the rest are counted (the heading counts them by reason). */
  readonly uncheckedMaxShown: number;
}

export const SUMMARY_LIMITS: SummaryLimits = {
  graphOpenMaxGroups: 40,
  tableOpenMaxRows: 20,
  tableMaxRows: 250,
  causeOpenMaxLines: 12,
  uncheckedMaxShown: 20,
};

/** A dataset name or a reason in the "Not checked" list is cut to this many characters. */
const UNCHECKED_MAX_CHARS = 200;
/** Most kinds of reason counted in the "Not checked" title (verify gives three). */
const UNCHECKED_MAX_KINDS = 5;

const BAD_VERDICTS: ReadonlySet<OutputVerdict> = new Set(['not-written', 'overwritten', 'missing', 'empty']);

/** A failed check in the verdict line. */
const VERDICT_WORDS = {
  'not-written': 'not written by this run',
  overwritten: 'overwritten since',
  missing: 'missing',
  empty: 'empty',
} as const;

const VERDICT_LABEL: Readonly<Record<OutputVerdict, string>> = {
  ok: '✅ ok',
  'not-written': '❌ not written by this run',
  overwritten: '❌ overwritten after this run wrote it',
  missing: '❌ missing',
  empty: '❌ empty',
  'local-path': '⚠️ local path, not checked',
};

/** The groups of a deployment plan, all PENDING: the report before anything ran. */
export function reportGroupsFromPlan(plan: DeploymentPlan): ReportGroup[] {
  return plan.groups.map((g) => ({
    name: g.name,
    dependencies: [...g.reducedDependencies],
    compute: g.settings.compute,
    ...(g.settings.compute === 'sagemaker' ? { instanceType: g.settings.instance_type, spot: g.settings.spot } : {}),
    status: 'PENDING',
  }));
}

/** The checks of `verify` (src/verify/expected.ts: `url`, ISO `lastModified`) as the summary's outputs. */
export function reportOutputsFromVerify(checks: readonly VerifiedOutput[]): OutputCheck[] {
  return checks.map((c) => {
    const lastModified = c.lastModified === undefined ? undefined : new Date(c.lastModified);
    return {
      dataset: c.dataset,
      key: c.url,
      verdict: c.verdict,
      ...(c.size === undefined ? {} : { size: c.size }),
      ...(isValidDate(lastModified) ? { lastModified } : {}),
      ...(c.detail && c.verdict !== 'ok' ? { detail: c.detail } : {}),
    };
  });
}

/** What verify found, as the report's `outputs` and `unchecked` (nothing when verify did not run). */
export function reportFromVerify(
  checks: readonly VerifiedOutput[] | undefined,
  unchecked: readonly UncheckedOutput[] | undefined,
): Pick<RunReport, 'outputs' | 'unchecked'> {
  if (checks === undefined) return {};
  return { outputs: reportOutputsFromVerify(checks), ...(unchecked?.length ? { unchecked: [...unchecked] } : {}) };
}

/**
 * The kind of a reason verify gives (src/verify/expected.ts): its words before the first `(` or `:`
 * (`in memory`, `local`, `not matched by input "expect"`); the whole reason when it has neither.
 */
export function uncheckedKind(reason: string): string {
  const kind = /^[^(:]*/.exec(reason)?.[0].trim() ?? '';
  return kind === '' ? reason : kind;
}

/**
 * The outputs verify did not check: a title with their number and how many of each kind (markdown,
 * without a heading mark), and a list, one line a dataset with its reason, grouped by kind (in the
 * order kinds first appear), at most `maxShown` lines and a last one counting the rest. Undefined when
 * every output was checked. Names and reasons are cut to 200 characters before they are escaped (an
 * escaped character takes at most 5: `&amp;`), so a line takes at most about 1,500 characters and the
 * section `maxShown` times that, whatever the project: the job summary (1 MiB a step) and the comment
 * (65,536 characters) stay within GitHub's limits.
 */
export function uncheckedSection(
  unchecked: readonly UncheckedOutput[] | undefined,
  maxShown: number,
): { title: string; list: string } | undefined {
  if (!unchecked || unchecked.length === 0) return undefined;
  const kinds = new Map<string, UncheckedOutput[]>();
  for (const u of unchecked) {
    const kind = uncheckedKind(u.reason);
    const same = kinds.get(kind);
    if (same) same.push(u);
    else kinds.set(kind, [u]);
  }
  const counts = [...kinds]
    .slice(0, UNCHECKED_MAX_KINDS)
    .map(([kind, items]) => `${items.length} ${escapeText(clip(kind, 80))}`);
  if (kinds.size > UNCHECKED_MAX_KINDS) counts.push(`${kinds.size - UNCHECKED_MAX_KINDS} other reasons`);
  const ordered = [...kinds.values()].flat();
  const shown = ordered.slice(0, Math.max(0, maxShown));
  const lines = shown.map(
    (u) => `- ${code(clip(u.dataset, UNCHECKED_MAX_CHARS))}: ${escapeText(clip(u.reason, UNCHECKED_MAX_CHARS))}`,
  );
  const left = ordered.length - shown.length;
  if (left > 0) lines.push(`- … and ${left} more (the log and the verify report list them all)`);
  return { title: `Not checked (${unchecked.length}): ${counts.join(', ')}`, list: lines.join('\n') };
}

function finished(report: RunReport): boolean {
  return report.status !== 'RUNNING';
}

/** Icon and word of a group's status; PENDING reads "not run" once the run has ended. */
function statusParts(status: ReportGroupStatus, runFinished: boolean): { icon: string; word: string } {
  switch (status) {
    case 'SUCCEEDED':
      return { icon: '✅', word: 'succeeded' };
    case 'FAILED':
      return { icon: '❌', word: 'failed' };
    case 'RUNNING':
      return { icon: '🔄', word: 'running' };
    case 'SKIPPED':
      return { icon: '⏭️', word: 'skipped' };
    case 'PENDING':
      return runFinished ? { icon: '⏸️', word: 'not run' } : { icon: '⏳', word: 'pending' };
  }
}

function statusLabel(status: ReportGroupStatus, runFinished: boolean): string {
  const { icon, word } = statusParts(status, runFinished);
  return `${icon} ${word}`;
}

function countGroups(report: RunReport): string {
  const order: ReportGroupStatus[] = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'SKIPPED'];
  const parts = order.flatMap((status) => {
    const n = report.groups.filter((g) => g.status === status).length;
    return n === 0 ? [] : [`${n} ${statusParts(status, finished(report)).word}`];
  });
  return parts.join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function namesList(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map(code).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * The verdict the summary shows: passed when the run succeeded and no output checked is missing,
 * empty, not written by this run or overwritten since (an output on a local path cannot be checked: it is reported, not failed);
 * running while the run has not ended; failed otherwise.
 */
export function summaryVerdict(report: RunReport): SummaryVerdict {
  const total = report.groups.length;
  const failure = report.failure;
  // The failure's group, or else the group the report shows as failed.
  const failedGroup = failure?.group ?? report.groups.find((g) => g.status === 'FAILED')?.name;
  const inGroup = failedGroup === undefined ? '' : ` in group ${code(failedGroup)}`;
  const withError = failure?.error ? ` with ${code(clip(failure.error, 80))}` : '';
  switch (report.status) {
    case 'RUNNING': {
      const done = report.groups.filter((g) => g.status === 'SUCCEEDED').length;
      return { outcome: 'running', icon: '⏳', reason: `still running: ${done} of ${plural(total, 'group')} done` };
    }
    case 'FAILED':
      return { outcome: 'failed', icon: '❌', reason: `the run failed${inGroup}${withError}` };
    case 'PENDING_REDRIVE':
      return { outcome: 'failed', icon: '❌', reason: `the run failed${inGroup}${withError} (it can be redriven)` };
    case 'TIMED_OUT':
      return { outcome: 'failed', icon: '❌', reason: `the run timed out${inGroup}` };
    case 'ABORTED':
      return { outcome: 'failed', icon: '❌', reason: `the run was stopped${inGroup}` };
    case 'SUCCEEDED':
      break;
  }
  const groupsPart =
    total === 0 ? 'the run succeeded' : total === 1 ? 'the group succeeded' : `all ${total} groups succeeded`;
  const outputs = report.outputs;
  if (outputs === undefined) return { outcome: 'passed', icon: '✅', reason: `${groupsPart} (outputs not checked)` };
  const bad = outputs.filter((o) => BAD_VERDICTS.has(o.verdict));
  if (bad.length > 0) {
    const byVerdict = (['not-written', 'overwritten', 'missing', 'empty'] as const).flatMap((v) => {
      const names = bad.filter((o) => o.verdict === v).map((o) => o.dataset);
      return names.length === 0 ? [] : [`${VERDICT_WORDS[v]}: ${namesList(names)}`];
    });
    return {
      outcome: 'failed',
      icon: '❌',
      reason: `the run succeeded but ${bad.length} of ${plural(outputs.length, 'output')} failed the check (${byVerdict.join('; ')})`,
    };
  }
  const ok = outputs.filter((o) => o.verdict === 'ok').length;
  const local = outputs.length - ok;
  const outputsPart =
    outputs.length === 0
      ? 'no outputs to check'
      : `${plural(ok, 'output')} verified${local > 0 ? `, ${local} on a local path not checked` : ''}`;
  const notChecked = report.unchecked?.length ? `, ${report.unchecked.length} not checked` : '';
  return { outcome: 'passed', icon: '✅', reason: `${groupsPart}, ${outputsPart}${notChecked}` };
}

const TARGET_LABEL: Readonly<Record<RunReport['target'], string>> = {
  'step-functions': 'Step Functions',
  batch: 'AWS Batch',
};

/**
 * When the first group started: its UTC day is the day the tables' times are on (a time on another
 * day is shown with its date).
 */
function firstStart(report: RunReport): Date | undefined {
  const starts = report.groups.map((g) => g.start).filter(isValidDate);
  return starts.length === 0 ? undefined : new Date(Math.min(...starts.map((d) => d.getTime())));
}

function executionLine(report: RunReport, started: Date | undefined): string {
  const parts = [
    `Run ${code(report.runId)}`,
    `${TARGET_LABEL[report.target]}${report.executor === 'local' ? ' (groups run locally)' : ''}`,
    `env ${code(report.env)}`,
  ];
  if (started) parts.push(`started ${formatTime(started)} UTC`);
  if (report.execution) {
    const name = report.execution.arn.split(':').pop() ?? report.execution.arn;
    parts.push(`execution ${link(code(name), report.execution.consoleUrl)}`);
  }
  return parts.join(' · ');
}

function hasOwn<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The log group, linked; with `short`, the word "logs" when there is a link to put it on. */
function logsMarkdown(logs: LogLocation | undefined, short?: string): string {
  if (!logs) return '';
  const label = short !== undefined && safeUrl(logs.url) !== undefined ? short : code(logs.group);
  return link(label, logs.url);
}

/** The job id, linked; with `short`, the word "job" when there is a link to put it on. */
function jobMarkdown(job: { jobId: string; consoleUrl?: string } | undefined, short?: string): string {
  if (!job) return '';
  const label = short !== undefined && safeUrl(job.consoleUrl) !== undefined ? short : code(job.jobId);
  return link(label, job.consoleUrl);
}

function failureSection(report: RunReport, limits: SummaryLimits): string[] {
  const failure = report.failure;
  if (!failure) return [];
  const group = failure.group === undefined ? undefined : report.groups.find((g) => g.name === failure.group);
  const logs = failure.logs ?? group?.logs;
  const job = failure.group === undefined ? undefined : hasOwn(report.jobs, failure.group);
  const cause = readableCause(failure.cause);
  const title = failure.group === undefined ? '#### ❌ Failure' : `#### ❌ Failure in group ${code(failure.group)}`;
  const message = cause.message === undefined ? '' : `: ${escapeText(clip(cause.message, 200))}`;
  const bullets = [`- **Error:** ${code(clip(failure.error || '(none given)', 200))}${message}`];
  if (logs) {
    const stream = logs.stream === undefined ? '' : `, stream ${code(logs.stream)}`;
    bullets.push(`- **Logs:** ${logsMarkdown(logs)}${stream}`);
  }
  if (job) bullets.push(`- **Job:** ${jobMarkdown(job)}`);
  const lines = [title, '', ...bullets, ''];
  if (cause.text === '') {
    lines.push('No cause was given.');
    return lines;
  }
  const cut = truncateMiddle(cause.text);
  const block = fencedBlock(cut.text);
  const note = cut.truncated ? `\n\n<sub>Cut to fit: the full text is in the logs.</sub>` : '';
  const lineCount = cut.text.split('\n').length;
  if (lineCount <= limits.causeOpenMaxLines) lines.push(`${block}${note}`);
  else lines.push(details(`Cause (${lineCount} lines)`, `${block}${note}`));
  return lines;
}

function graphSection(report: RunReport, limits: SummaryLimits): string[] {
  const index = new Map<string, number>();
  report.groups.forEach((g, i) => {
    if (!index.has(g.name)) index.set(g.name, i);
  });
  const runFinished = finished(report);
  const chart = renderFlowchart(
    report.groups.map((g) => ({
      label: `${statusParts(g.status, runFinished).icon} ${g.name}`,
      status: g.status,
      dependsOn: g.dependencies.flatMap((d) => {
        const i = index.get(d);
        return i === undefined ? [] : [i];
      }),
    })),
  );
  if (chart.edges > MERMAID_LIMITS.maxEdges || chart.text.length > MERMAID_LIMITS.maxChars) {
    const edges = `${chart.edges} ${chart.edges === 1 ? 'dependency' : 'dependencies'}`;
    return [
      `<sub>The graph of ${plural(report.groups.length, 'group')} and ${edges} is too large for a mermaid diagram; the table lists every group.</sub>`,
    ];
  }
  const block = fencedBlock(chart.text, 'mermaid');
  if (report.groups.length > limits.graphOpenMaxGroups) {
    return [details(`Graph of ${plural(report.groups.length, 'group')}`, block)];
  }
  return [block];
}

const COMPUTE_LABEL: Readonly<Record<Compute, string>> = { lambda: 'Lambda', batch: 'Batch', sagemaker: 'SageMaker' };

/** Where a group ran: `Lambda`, `Batch`, or `SageMaker` with its instance type (and spot). */
function computeLabel(g: ReportGroup): string {
  const label = COMPUTE_LABEL[g.compute];
  if (g.compute !== 'sagemaker' || g.instanceType === undefined) return label;
  return `${label} ${code(g.instanceType)}${g.spot ? ' (spot)' : ''}`;
}

function groupsTable(report: RunReport, day: Date | undefined, limits: SummaryLimits): string[] {
  const runFinished = finished(report);
  const shown = report.groups.slice(0, limits.tableMaxRows);
  const rows = shown.map((g) => {
    const links = [jobMarkdown(hasOwn(report.jobs, g.name), 'job'), logsMarkdown(g.logs, 'logs')].filter(
      (l) => l !== '',
    );
    const duration = g.status === 'RUNNING' && !isValidDate(g.end) ? 'running' : durationBetween(g.start, g.end);
    return [
      code(g.name),
      statusLabel(g.status, runFinished),
      formatTime(g.start, day),
      formatTime(g.end, day),
      duration,
      computeLabel(g),
      links.join(' · '),
    ];
  });
  const body = [table(['Group', 'Status', 'Start (UTC)', 'End', 'Duration', 'Compute', 'Links'], rows)];
  const left = report.groups.length - shown.length;
  if (left > 0) body.push(`\n<sub>… and ${plural(left, 'more group')} not listed.</sub>`);
  const text = body.join('\n');
  if (report.groups.length > limits.tableOpenMaxRows)
    return [details(`Table of ${plural(report.groups.length, 'group')}`, text)];
  return [text];
}

function outputsSection(report: RunReport, day: Date | undefined, limits: SummaryLimits): string[] {
  const outputs = report.outputs;
  if (outputs === undefined) return [];
  if (outputs.length === 0) return ['#### Outputs', '', 'No persisted outputs to check.'];
  const counts = (['ok', 'not-written', 'overwritten', 'missing', 'empty', 'local-path'] as const).flatMap((v) => {
    const n = outputs.filter((o) => o.verdict === v).length;
    const word = v === 'ok' ? 'ok' : v === 'local-path' ? 'on a local path' : VERDICT_WORDS[v];
    return n === 0 ? [] : [`${n} ${word}`];
  });
  const anyBad = outputs.some((o) => o.verdict !== 'ok');
  // When rows must be left out, the ones with a problem come first so that none of them is lost.
  const ordered =
    outputs.length > limits.tableMaxRows
      ? [...outputs.filter((o) => o.verdict !== 'ok'), ...outputs.filter((o) => o.verdict === 'ok')]
      : outputs;
  const shown = ordered.slice(0, limits.tableMaxRows);
  const rows = shown.map((o) => [
    code(o.dataset),
    code(o.key),
    formatBytes(o.size),
    formatTime(o.lastModified, day),
    `${VERDICT_LABEL[o.verdict]}${o.detail ? `: ${escapeText(clip(o.detail, 200))}` : ''}`,
  ]);
  const body = [table(['Dataset', 'Written to', 'Size', 'Modified (UTC)', 'Check'], rows)];
  const left = outputs.length - shown.length;
  if (left > 0) body.push(`\n<sub>… and ${plural(left, 'more output')} not listed.</sub>`);
  const text = body.join('\n');
  const heading = `#### Outputs: ${counts.join(', ')}`;
  if (outputs.length > limits.tableOpenMaxRows && !anyBad) {
    return [heading, '', details(`Table of ${plural(outputs.length, 'output')}`, text)];
  }
  return [heading, '', text];
}

/** The job summary of a run, as markdown (ends with a newline). */
export function renderSummary(report: RunReport, limits: SummaryLimits = SUMMARY_LIMITS): string {
  const verdict = summaryVerdict(report);
  const started = firstStart(report);
  const heading = `### ${verdict.icon} ${escapeText(report.project)} · ${escapeText(report.stage)}: ${verdict.reason}`;
  const sections: string[][] = [[heading, '', executionLine(report, started)], failureSection(report, limits)];
  if (report.groups.length > 0) {
    sections.push([
      `#### Groups: ${countGroups(report)}`,
      '',
      ...graphSection(report, limits),
      '',
      ...groupsTable(report, started, limits),
    ]);
  }
  sections.push(outputsSection(report, started, limits));
  const unchecked = uncheckedSection(report.unchecked, limits.uncheckedMaxShown);
  if (unchecked) sections.push([`#### ${unchecked.title}`, '', unchecked.list]);
  return `${sections
    .filter((s) => s.length > 0)
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}
