/**
 * Numbers, times and long texts as a person reads them in the job summary: durations, sizes, UTC
 * times, failure causes (Lambda's JSON error, Batch's job description) and the cutting of long texts.
 * Pure and deterministic: never reads the clock; every time is shown in UTC.
 */

/** `850 ms`, `4.2 s`, `42 s`, `1m 05s`, `2h 03m`, `1d 02h`; `—` for a negative or unknown duration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** The time between two dates, or `—` when one is missing or the end is before the start. */
export function durationBetween(start: Date | undefined, end: Date | undefined): string {
  if (!isValidDate(start) || !isValidDate(end)) return '—';
  return formatDuration(end.getTime() - start.getTime());
}

const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `153 MiB` (binary units); `—` when unknown. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  for (value = bytes / 1024; value >= 1024 && unit < SIZE_UNITS.length - 1; unit++) value /= 1024;
  return `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ${SIZE_UNITS[unit]}`;
}

export function isValidDate(date: Date | undefined): date is Date {
  return date instanceof Date && Number.isFinite(date.getTime());
}

/**
 * A UTC time: `23:54:07` when it falls on the same UTC day as `day` (the run's first start), else
 * `2025-11-21 23:54:07`; `—` when unknown.
 */
export function formatTime(date: Date | undefined, day?: Date): string {
  if (!isValidDate(date)) return '—';
  const iso = date.toISOString();
  const datePart = iso.slice(0, 10);
  const timePart = iso.slice(11, 19);
  if (isValidDate(day) && day.toISOString().slice(0, 10) === datePart) return timePart;
  return `${datePart} ${timePart}`;
}

/** `text` cut to `max` characters with an ellipsis (counting code points, so no emoji is split). */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export interface TruncateOptions {
  /** Most lines kept. */
  readonly maxLines: number;
  /** Of those, how many from the start (the rest from the end, where a traceback says what failed). */
  readonly headLines: number;
  /** Most characters kept. */
  readonly maxChars: number;
  /** Longest line kept; longer lines are cut. */
  readonly maxLineChars: number;
}

export const CAUSE_LIMITS: TruncateOptions = { maxLines: 40, headLines: 6, maxChars: 4000, maxLineChars: 300 };

export interface Truncated {
  readonly text: string;
  /** Lines left out of the middle (0 when everything was kept). */
  readonly omittedLines: number;
  /** Whether anything (lines or the ends of lines) was left out. */
  readonly truncated: boolean;
}

/**
 * Keeps the first and the last lines of a long text and says how many were left out in between;
 * cuts lines that are too long. The end is kept longer than the start: a Python traceback ends with
 * the exception.
 */
export function truncateMiddle(text: string, options: TruncateOptions = CAUSE_LIMITS): Truncated {
  let cutLines = false;
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => {
      const cut = clip(line, options.maxLineChars);
      if (cut !== line) cutLines = true;
      return cut;
    });
  const size = (ls: readonly string[]): number => ls.reduce((n, l) => n + l.length + 1, 0);
  if (lines.length <= options.maxLines && size(lines) <= options.maxChars) {
    return { text: lines.join('\n'), omittedLines: 0, truncated: cutLines };
  }
  const headCharBudget = Math.floor((options.maxChars * options.headLines) / options.maxLines);
  const head: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (head.length >= options.headLines || used + line.length + 1 > headCharBudget) break;
    head.push(line);
    used += line.length + 1;
  }
  const tail: string[] = [];
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i] ?? '';
    if (head.length + tail.length >= options.maxLines - 1 || used + line.length + 1 > options.maxChars) break;
    tail.unshift(line);
    used += line.length + 1;
  }
  const omitted = lines.length - head.length - tail.length;
  const marker = `… ${omitted} line${omitted === 1 ? '' : 's'} left out …`;
  return { text: [...head, marker, ...tail].join('\n'), omittedLines: omitted, truncated: true };
}

/** A failure cause made readable. */
export interface ReadableCause {
  /** One line saying what went wrong, when the cause has one (Lambda's errorMessage, Batch's status reason). */
  readonly message?: string;
  /** The cause to show in a code block. */
  readonly text: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property by name, whatever its case (Step Functions passes Batch's description in PascalCase). */
function prop(object: Json, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A Lambda error payload: `{errorType, errorMessage, stackTrace}` (Python gives the trace as strings). */
function lambdaCause(json: Json): ReadableCause | undefined {
  const type = str(prop(json, 'errorType'));
  const message = str(prop(json, 'errorMessage'));
  if (type === undefined && message === undefined) return undefined;
  const trace = prop(json, 'stackTrace');
  const frames = Array.isArray(trace)
    ? trace.map((frame) =>
        Array.isArray(frame)
          ? `  File "${String(frame[0])}", line ${String(frame[1])}, in ${String(frame[2])}\n    ${String(frame[3] ?? '')}`
          : String(frame).replace(/\n+$/, ''),
      )
    : [];
  const last = [type, message].filter((part) => part !== undefined).join(': ');
  const text = frames.length > 0 ? ['Traceback (most recent call last):', ...frames, last].join('\n') : last;
  return { ...(message === undefined ? {} : { message }), text };
}

/** A Batch job description, as `batch:submitJob.sync` puts it in the cause of a failed task. */
function batchCause(json: Json): ReadableCause | undefined {
  const reason = str(prop(json, 'statusReason'));
  const container = prop(json, 'container');
  if (reason === undefined && !isObject(container)) return undefined;
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined) lines.push(`${label}: ${value}`);
  };
  add('Job', str(prop(json, 'jobName')));
  add('Job id', str(prop(json, 'jobId')));
  add('Status', str(prop(json, 'status')));
  add('Status reason', reason);
  if (isObject(container)) {
    add('Exit code', str(prop(container, 'exitCode')));
    add('Container reason', str(prop(container, 'reason')));
    add('Log stream', str(prop(container, 'logStreamName')));
  }
  const attempts = prop(json, 'attempts');
  if (Array.isArray(attempts) && attempts.length > 1) add('Attempts', String(attempts.length));
  return { ...(reason === undefined ? {} : { message: reason }), text: lines.join('\n') };
}

/**
 * A SageMaker training job's description, as `sagemaker:createTrainingJob.sync` puts it in the cause of
 * a failed task: the job, its status and secondary status, and why (FailureReason, which the group entry
 * fills from the group's error, or the last status message, e.g. a max runtime exceeded).
 */
function sagemakerCause(json: Json): ReadableCause | undefined {
  const job = str(prop(json, 'TrainingJobName'));
  const status = str(prop(json, 'TrainingJobStatus'));
  if (job === undefined || status === undefined) return undefined;
  const transitions = prop(json, 'SecondaryStatusTransitions');
  const last = Array.isArray(transitions) ? transitions.at(-1) : undefined;
  const lastMessage = isObject(last) ? str(prop(last, 'StatusMessage')) : undefined;
  const reason = str(prop(json, 'FailureReason')) ?? lastMessage;
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined) lines.push(`${label}: ${value}`);
  };
  add('Training job', job);
  add('Status', [status, str(prop(json, 'SecondaryStatus'))].filter((s) => s !== undefined).join(' / '));
  add('Failure reason', str(prop(json, 'FailureReason')));
  if (lastMessage !== undefined && lastMessage !== str(prop(json, 'FailureReason'))) add('Last status', lastMessage);
  const resources = prop(json, 'ResourceConfig');
  if (isObject(resources)) add('Instance', str(prop(resources, 'InstanceType')));
  return { ...(reason === undefined ? {} : { message: reason }), text: lines.join('\n') };
}

/**
 * A failure cause as a person reads it: a Lambda error payload becomes a Python-style traceback
 * ending with `ErrorType: message`; a Batch job description becomes its status reason, exit code and
 * log stream; a SageMaker training job's, its status and failure reason; other JSON is indented; plain
 * text stays as it is.
 */
export function readableCause(cause: string): ReadableCause {
  const trimmed = cause.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (isObject(json)) {
      return lambdaCause(json) ?? batchCause(json) ?? sagemakerCause(json) ?? { text: JSON.stringify(json, null, 2) };
    }
  }
  return { text: trimmed };
}
