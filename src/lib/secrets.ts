/**
 * Secrets: the one way this process registers one (`registerSecret`: masked in the step's log by the
 * runner, and remembered here), and the one scrubber every text the action publishes goes through
 * (`scrub`: the job summary, the pull-request comment, deployment descriptions, the failure annotation).
 *
 * The runner masks registered values in the log only; a group's log tail copied into the summary or a
 * comment is not masked by anyone. `scrub` replaces every registered value (and the forms it takes
 * once JSON-, URL- or base64-encoded) and what looks like an AWS credential (an access key id, a
 * secret access key or a session token after a label that names it) with `***`.
 *
 * The post step speaks the runner protocol itself (src/post/runner.ts) and publishes nothing: it does
 * not load this module, so @actions/core stays out of its bundle.
 */
import * as core from '@actions/core';

/** What a scrubbed value is replaced with (what the runner shows for a masked one). */
export const MASK = '***';

const registered = new Set<string>();

/** Masks `value` in the step's log and remembers it for {@link scrub}. Empty values are ignored. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.trim() === '') return;
  core.setSecret(value);
  registered.add(value);
}

/** The values registered so far in this process. */
export function registeredSecrets(): readonly string[] {
  return [...registered];
}

/** `text` with every registered secret and every AWS-credential-shaped string replaced by `***`. */
export function scrub(text: string): string {
  return scrubText(text, registered);
}

/** The forms a secret takes in text: as is, JSON-escaped, URL-encoded, base64; longest first. */
export function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.trim() === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret, 'utf8').toString('base64'));
    // A multi-line secret (a key file) may be cut anywhere: its longer lines are secrets each.
    for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) forms.add(line.trim());
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The access key id of an IAM user or role session, and the other unique ids of the same shape. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g;
/**
 * A secret access key (40 characters of base64) after a label naming it: `aws_secret_access_key = …`,
 * `"SecretAccessKey": "…"`, `AWS_SECRET_ACCESS_KEY=…`, s3fs's `secret: …`.
 */
const SECRET_ACCESS_KEY = /(\b[\w-]*secret[\w-]*["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi;
/** A session token after its label: `aws_session_token = …`, `"SessionToken": "…"`, `X-Amz-Security-Token=…`. */
const SESSION_TOKEN = /(\b[\w-]*(?:session|security)[_-]?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=%]{16,}/gi;
/** GitHub tokens (installation, personal, OAuth, user-to-server, refresh; fine-grained personal). */
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g;

/** Pure {@link scrub}: `secrets` instead of the registered ones. */
export function scrubText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(MASK);
  return out
    .replace(ACCESS_KEY_ID, MASK)
    .replace(SECRET_ACCESS_KEY, `$1${MASK}`)
    .replace(SESSION_TOKEN, `$1${MASK}`)
    .replace(GITHUB_TOKEN, MASK);
}

/**
 * A copy of `value` with {@link scrub} applied to every string in it (objects and arrays are walked;
 * dates, numbers and the rest are kept). For a report scrubbed before it is rendered, where escaping
 * could otherwise change a secret's spelling.
 */
export function scrubDeep<T>(value: T, scrubber: (text: string) => string = scrub): T {
  if (typeof value === 'string') return scrubber(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrubber)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrubber)])) as T;
  }
  return value;
}
