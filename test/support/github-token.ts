/**
 * A model of GitHub's rules for the GITHUB_TOKEN of a workflow job (pure), so the tests can check our
 * workflows and templates the way GitHub will run them: no runner is reachable here, and actionlint does
 * not check permissions (nor anything across the caller / called boundary). Strict: what it does not
 * understand (a scope, a level, an expression, an action) throws rather than being guessed.
 *
 * The rules, from GitHub's documentation:
 * - `permissions` (workflow syntax, https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions):
 *   a map of scope to `read`, `write` or `none` (`write` includes `read`); once any scope is given, every
 *   scope not given is `none`; `read-all`, `write-all`, and `{}` (nothing). Top level for every job, or per job
 *   (the job's replaces the workflow's). `id-token: write` is what fetching an OIDC token needs.
 * - Defaults (https://docs.github.com/en/actions/reference/github_token-reference, "Permissions for the
 *   GITHUB_TOKEN" and "How permissions are calculated for a workflow job"): without `permissions`, the
 *   repository's (or organization's, enterprise's) default, permissive or restricted, as the table there;
 *   then the workflow level, then the job level; finally, on a pull request from a fork, every write becomes
 *   read (the table's last column: the maximum for pull requests from public forks).
 * - Reusable workflows (https://docs.github.com/en/actions/reference/workflows-and-actions/reusing-workflow-configurations,
 *   "Supported keywords for jobs that call a reusable workflow" and "Access and permissions for nested
 *   workflows"): the calling job's `permissions` (or, without them, the defaults) is what the called workflow
 *   gets; "the GITHUB_TOKEN permissions passed from the caller workflow can be only downgraded (not elevated)
 *   by the called workflow". A called workflow (or one of its jobs) that asks for more than its caller gave
 *   does not run at all: GitHub refuses the run at startup ("startup_failure"), which this model reports as a
 *   `StartupFailure`.
 * - Expressions (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions): `&&` and `||`
 *   give one of their operands, falsy values are false, 0, '', null (and NaN); `==` compares strings without
 *   case and coerces other types to numbers; a property of null is null.
 */

// ---------------------------------------------------------------------------------------------
// Scopes and levels.

/** The scopes `permissions` accepts (workflow syntax, table "Available permissions"). */
export const SCOPES = [
  'actions',
  'artifact-metadata',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
  'vulnerability-alerts',
] as const;
export type Scope = (typeof SCOPES)[number];
export type Level = 'none' | 'read' | 'write';
export type Permissions = Readonly<Record<Scope, Level>>;

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };
/** Scopes with no `write` (workflow syntax: "Only read and none are supported"). */
const READ_ONLY_SCOPES: ReadonlySet<Scope> = new Set(['vulnerability-alerts', 'models']);

export const isScope = (name: string): name is Scope => (SCOPES as readonly string[]).includes(name);

function all(level: Level, except: Partial<Record<Scope, Level>> = {}): Permissions {
  return Object.fromEntries(SCOPES.map((s) => [s, except[s] ?? level])) as Permissions;
}

/** The repository's default for a job that sets no `permissions` (GITHUB_TOKEN reference, the table). */
export type RepoDefault = 'permissive' | 'restricted';
export const DEFAULTS: Readonly<Record<RepoDefault, Permissions>> = {
  // Scopes the table does not list (artifact-metadata, vulnerability-alerts) are taken as none.
  permissive: all('write', {
    'id-token': 'none',
    models: 'read',
    'artifact-metadata': 'none',
    'vulnerability-alerts': 'none',
  }),
  restricted: all('none', { contents: 'read', packages: 'read' }),
};
/** The most a pull request from a fork gets (the table's last column). */
export const FORK_MAXIMUM: Permissions = all('read', { 'id-token': 'none', models: 'none' });

/** A `permissions` value read as GitHub reads it; undefined when the key is absent. */
export function parsePermissions(value: unknown, where: string): Permissions | undefined {
  if (value === undefined) return undefined;
  if (value === 'read-all') return all('read');
  if (value === 'write-all') return all('write', { 'vulnerability-alerts': 'read', models: 'read' });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${where}: permissions must be read-all, write-all or a map of scope to level, not ${JSON.stringify(value)}`,
    );
  }
  const given: Partial<Record<Scope, Level>> = {};
  for (const [scope, level] of Object.entries(value as Record<string, unknown>)) {
    if (!isScope(scope))
      throw new Error(`${where}: "${scope}" is not a permission GitHub knows (${SCOPES.join(', ')})`);
    if (level !== 'read' && level !== 'write' && level !== 'none') {
      throw new Error(`${where}: ${scope} must be read, write or none, not ${JSON.stringify(level)}`);
    }
    if (level === 'write' && READ_ONLY_SCOPES.has(scope)) throw new Error(`${where}: ${scope} has no write level`);
    given[scope] = level;
  }
  return all('none', given);
}

export const allows = (granted: Permissions, scope: Scope, level: Level): boolean =>
  RANK[granted[scope]] >= RANK[level];

/** Scope by scope, the lower of the two. */
export function meet(a: Permissions, b: Permissions): Permissions {
  return Object.fromEntries(SCOPES.map((s) => [s, RANK[a[s]] <= RANK[b[s]] ? a[s] : b[s]])) as Permissions;
}

/** The scopes where `asked` is above `allowed`. */
export function exceeding(
  asked: Permissions,
  allowed: Permissions,
): Array<{ scope: Scope; asked: Level; allowed: Level }> {
  return SCOPES.filter((s) => RANK[asked[s]] > RANK[allowed[s]]).map((s) => ({
    scope: s,
    asked: asked[s],
    allowed: allowed[s],
  }));
}

/** The scopes that are not none, for messages: `{contents: read, id-token: write}`. */
export function describe(p: Permissions): string {
  const set = SCOPES.filter((s) => p[s] !== 'none').map((s) => `${s}: ${p[s]}`);
  return `{${set.join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------
// Expressions: enough of GitHub's language to evaluate the `if:` of jobs and the `with:` values our files use.

export type Value = string | number | boolean | null | { readonly [key: string]: Value } | readonly Value[];

/** Looks up a context path (`github.event.action`); throws for a context the model does not provide. */
export type Resolve = (path: readonly string[]) => Value;

type Token = { kind: 'op' | 'str' | 'num' | 'path' | 'lit'; text: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = expr.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if ('()!<>'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= expr.length) throw new Error(`unterminated string in expression: ${expr}`);
        if (expr[i] === "'" && expr[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (expr[i] === "'") {
          i++;
          break;
        } else text += expr[i++];
      }
      tokens.push({ kind: 'str', text });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(expr.slice(i));
    if (num) {
      tokens.push({ kind: 'num', text: num[0] });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(expr.slice(i));
    if (name) {
      const text = name[0];
      i += text.length;
      if (['true', 'false', 'null'].includes(text)) tokens.push({ kind: 'lit', text });
      else if (expr[i] === '(') throw new Error(`the model does not evaluate functions (${text}()): ${expr}`);
      else tokens.push({ kind: 'path', text });
      continue;
    }
    throw new Error(`the model cannot read "${expr.slice(i)}" in expression: ${expr}`);
  }
  return tokens;
}

const falsy = (v: Value): boolean => v === false || v === 0 || v === '' || v === null || Number.isNaN(v);

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  return toNumber(a) === toNumber(b);
}

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluate(expr: string, resolve: Resolve): Value {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string): Token => {
    const t = tokens[pos];
    if (!t || (text !== undefined && t.text !== text))
      throw new Error(`expected ${text ?? 'a value'} in expression: ${expr}`);
    pos++;
    return t;
  };
  const or = (): Value => {
    let left = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      left = falsy(left) ? right : left;
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek()?.text === '&&') {
      take();
      const right = comparison();
      left = falsy(left) ? left : right;
    }
    return left;
  };
  const comparison = (): Value => {
    let left = unary();
    for (;;) {
      const op = peek()?.text;
      if (op !== '==' && op !== '!=' && op !== '<' && op !== '>' && op !== '<=' && op !== '>=') return left;
      take();
      const right = unary();
      if (op === '==') left = looseEquals(left, right);
      else if (op === '!=') left = !looseEquals(left, right);
      else {
        const [a, b] = [toNumber(left), toNumber(right)];
        left = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      }
    }
  };
  const unary = (): Value => {
    if (peek()?.text === '!') {
      take();
      return falsy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = take();
    if (t.kind === 'op' && t.text === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'lit') return t.text === 'null' ? null : t.text === 'true';
    if (t.kind === 'path') return resolve(t.text.split('.'));
    throw new Error(`unexpected "${t.text}" in expression: ${expr}`);
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos]!.text}" in expression: ${expr}`);
  return value;
}

const EXPR = /\$\{\{([\s\S]*?)\}\}/g;

/** A `with:` value or an `if:` as the runner sees it: one whole expression gives its value, text with
 * expressions inside gives a string. */
export function interpolate(value: unknown, resolve: Resolve): Value {
  if (typeof value !== 'string') return (value ?? null) as Value;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, resolve);
  return value.replace(EXPR, (_, e: string) => {
    const v = evaluate(e, resolve);
    return v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** An `if:` of a job: an expression with or without `${{ }}`. */
export function condition(value: unknown, resolve: Resolve): boolean {
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim();
  return !falsy(/^\$\{\{[\s\S]*\}\}$/.test(text) ? interpolate(text, resolve) : evaluate(text, resolve));
}

/** A resolver over plain data: an unknown context throws, a missing property is null (as GitHub has it). */
export function resolverOf(contexts: Record<string, Value | ((name: string) => Value)>): Resolve {
  return (parts) => {
    const [root, ...rest] = parts;
    if (!root || !(root in contexts)) throw new Error(`the model has no context "${parts.join('.')}"`);
    const top = contexts[root]!;
    if (typeof top === 'function') {
      if (rest.length !== 1) throw new Error(`"${parts.join('.')}" is not a name of the ${root} context`);
      return top(rest[0]!);
    }
    let v: Value = top;
    for (const key of rest) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
      v = (v as Record<string, Value>)[key] ?? null;
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------------
// Workflows, jobs, and what their steps need of the token.

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
export interface Job {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  if?: unknown;
  permissions?: unknown;
  steps?: Step[];
}
export interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: unknown;
  jobs: Record<string, Job>;
}

/** One use of the token: the call, the scopes (any one is enough), and where GitHub documents it. */
export interface TokenUse {
  call: string;
  anyOf: ReadonlyArray<{ scope: Scope; level: Level }>;
  doc: string;
  /** The action goes on without it (a notice, never a red step): true of its GitHub REST calls. */
  bestEffort?: boolean;
}

/** A situation a workflow runs in: its event, and for pull requests whether the head is a fork. */
export interface Setting {
  name: string;
  event: string;
  action?: string;
  fork: boolean;
  repoDefault: RepoDefault;
}

/** What the model knows about the steps and workflows a file uses; the tests give it. */
export interface Knowledge {
  /** The called workflow of a `jobs.<id>.uses`, or undefined for one the model does not know (it throws). */
  calledWorkflow(uses: string): Workflow | undefined;
  /** Whether a step runs this repository's action. */
  isOurAction(uses: string): boolean;
  /** The action's calls for the inputs it was given (as the runner evaluated them). */
  actionUses(inputs: Record<string, Value>, setting: Setting): TokenUse[];
}

const OIDC_TOKEN: TokenUse = {
  call: 'OIDC ID token (ACTIONS_ID_TOKEN_REQUEST_URL)',
  anyOf: [{ scope: 'id-token', level: 'write' }],
  doc: 'https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions ("id-token: Fetch an OpenID Connect (OIDC) token. This requires id-token: write")',
};
export const oidcTokenUse = (): TokenUse => OIDC_TOKEN;

const CONTENTS_DOC =
  'https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps#repository-permissions-for-contents';

/**
 * Actions that never use the GITHUB_TOKEN against this repository, or only to read public data: setup-python
 * and setup-node download toolchains (their `token` defaults to github.token for public repositories'
 * releases), upload-artifact uses the runner's own ACTIONS_RUNTIME_TOKEN.
 */
const NO_TOKEN_ACTIONS = [
  'actions/setup-python',
  'actions/setup-node',
  'actions/upload-artifact',
  'actions/download-artifact',
  'actions/cache',
];

/** The `gh` subcommands our run steps use, and what each needs. */
const GH_COMMANDS: Record<string, TokenUse> = {
  'release create': {
    call: 'POST /repos/{owner}/{repo}/releases (create-a-release, gh release create)',
    anyOf: [{ scope: 'contents', level: 'write' }],
    doc: CONTENTS_DOC,
  },
};

export interface JobResult {
  /** `<file>: <job>` or `<file>: <job> → <called file>: <called job>`. */
  job: string;
  setting: Setting;
  permissions: Permissions;
  uses: TokenUse[];
  /** Each use the token does not allow, with the scope it lacks. */
  denied: Array<{ use: TokenUse; missing: string }>;
}

export interface StartupFailure {
  job: string;
  setting: Setting;
  message: string;
}

export interface Analysis {
  jobs: JobResult[];
  startupFailures: StartupFailure[];
}

/** The settings a workflow runs in, from its triggers (a called workflow runs in its callers' settings). */
export function settingsOf(wf: Workflow, repoDefault: RepoDefault): Setting[] {
  const events = typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on);
  const out: Setting[] = [];
  for (const event of events) {
    if (event === 'workflow_call') continue;
    if (event === 'pull_request') {
      for (const fork of [false, true]) {
        for (const action of ['opened', 'closed']) {
          out.push({
            name: `pull_request ${action}${fork ? ' from a fork' : ''} (${repoDefault} default)`,
            event,
            action,
            fork,
            repoDefault,
          });
        }
      }
    } else if (['schedule', 'workflow_dispatch', 'push'].includes(event)) {
      out.push({ name: `${event} (${repoDefault} default)`, event, fork: false, repoDefault });
    } else {
      throw new Error(`the model does not know the event ${event}`);
    }
  }
  return out;
}

const REPOSITORY = 'octo/flights';

/** The `github` context of a setting (what our files read of it). */
function githubContext(s: Setting): Value {
  const pr =
    s.event === 'pull_request'
      ? { number: 7, head: { sha: 'b'.repeat(40), repo: { full_name: s.fork ? 'someone/flights' : REPOSITORY } } }
      : null;
  return {
    event_name: s.event,
    repository: REPOSITORY,
    sha: 'a'.repeat(40),
    ref: s.event === 'push' ? 'refs/tags/v1.2.3' : 'refs/heads/main',
    ref_name: s.event === 'push' ? 'v1.2.3' : 'main',
    token: '<github.token>',
    event: { action: s.action ?? null, pull_request: pr, repository: { default_branch: 'main' } },
  };
}

/** The inputs a called workflow sees: its defaults, then what the caller gave (typed as declared). */
function calledInputs(called: Workflow, given: Record<string, Value>, where: string): Record<string, Value> {
  const declared = ((
    called.on as Record<string, { inputs?: Record<string, { type?: string; default?: unknown; required?: boolean }> }>
  ).workflow_call?.inputs ?? {}) as Record<string, { type?: string; default?: unknown; required?: boolean }>;
  const out: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = name in given ? given[name]! : ((spec.default ?? null) as Value);
    if (spec.required && !(name in given)) throw new Error(`${where}: the required input ${name} is not given`);
    out[name] = spec.type === 'boolean' ? !falsy(value) && value !== 'false' : value;
  }
  for (const name of Object.keys(given))
    if (!(name in declared)) throw new Error(`${where}: "${name}" is no input of the called workflow`);
  return out;
}

function stepUses(step: Step, resolve: Resolve, knowledge: Knowledge, setting: Setting, where: string): TokenUse[] {
  if (step.uses) {
    const [name] = step.uses.split('@');
    if (knowledge.isOurAction(step.uses)) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, resolve)]));
      const uses = knowledge.actionUses(inputs, setting);
      const role = inputs['role-to-assume'];
      return typeof role === 'string' && role !== '' ? [OIDC_TOKEN, ...uses] : uses;
    }
    if (name === 'actions/checkout') {
      const repository = interpolate(step.with?.repository ?? '', resolve);
      // Another repository is not this token's to read, unless it is public: nothing asked of the scopes.
      if (repository !== '' && repository !== null && repository !== REPOSITORY) return [];
      return [
        {
          call: 'git fetch of this repository (actions/checkout)',
          anyOf: [{ scope: 'contents', level: 'read' }],
          doc: CONTENTS_DOC,
        },
      ];
    }
    if (name && NO_TOKEN_ACTIONS.includes(name)) return [];
    throw new Error(`${where}: the model does not know what ${step.uses} needs of the token`);
  }
  const script = step.run ?? '';
  const uses: TokenUse[] = [];
  for (const m of script.matchAll(/(?:^|[\s;&|(])gh\s+([a-z-]+)\s+([a-z-]+)/g)) {
    const use = GH_COMMANDS[`${m[1]} ${m[2]}`];
    if (!use) throw new Error(`${where}: the model does not know what "gh ${m[1]} ${m[2]}" needs of the token`);
    uses.push(use);
  }
  if (/(?:^|[\s;&|(])git\s+push\b/.test(script)) {
    uses.push({
      call: 'git push to this repository',
      anyOf: [{ scope: 'contents', level: 'write' }],
      doc: CONTENTS_DOC,
    });
  }
  return uses;
}

function deny(permissions: Permissions, uses: TokenUse[]): JobResult['denied'] {
  return uses
    .filter((u) => !u.anyOf.some((a) => allows(permissions, a.scope, a.level)))
    .map((use) => ({ use, missing: use.anyOf.map((a) => `${a.scope}: ${a.level}`).join(' or ') }));
}

/**
 * Every job of a workflow file in every setting its triggers give, with the token it gets (following calls
 * of reusable workflows), what its steps use the token for, and what the token does not allow.
 */
export function analyse(
  file: string,
  wf: Workflow,
  knowledge: Knowledge,
  repoDefaults: RepoDefault[] = ['permissive', 'restricted'],
): Analysis {
  const result: Analysis = { jobs: [], startupFailures: [] };
  const workflowLevel = parsePermissions(wf.permissions, `${file}: permissions`);
  for (const repoDefault of repoDefaults) {
    for (const setting of settingsOf(wf, repoDefault)) {
      const vars = (name: string): Value => `<vars.${name}>`;
      const resolve = resolverOf({ github: githubContext(setting), vars });
      for (const [id, job] of Object.entries(wf.jobs)) {
        const where = `${file}: ${id}`;
        if (!condition(job.if, resolve)) continue;
        const jobLevel = parsePermissions(job.permissions, `${where}: permissions`);
        const grant = jobLevel ?? workflowLevel ?? DEFAULTS[repoDefault];
        const cap = (p: Permissions) => (setting.fork ? meet(p, FORK_MAXIMUM) : p);
        if (job.uses) {
          const called = knowledge.calledWorkflow(job.uses);
          if (!called) throw new Error(`${where}: the model does not know the workflow ${job.uses}`);
          const given = Object.fromEntries(
            Object.entries(job.with ?? {}).map(([k, v]) => [k, interpolate(v, resolve)]),
          );
          const inputs = calledInputs(called, given, where);
          const calledLevel = parsePermissions(called.permissions, `${job.uses}: permissions`);
          // What the called workflow gets. The reference says a calling job without `permissions` gives it "the
          // default permissions"; whether the caller's workflow-level `permissions` count as that job's is not
          // spelled out, so without job-level ones both readings must work.
          const grants = jobLevel
            ? [jobLevel]
            : workflowLevel
              ? [workflowLevel, DEFAULTS[repoDefault]]
              : [DEFAULTS[repoDefault]];
          const granted = grants.reduce(meet);
          for (const [calledId, calledJob] of Object.entries(called.jobs)) {
            const calledWhere = `${where} → ${job.uses.replace(/@.*$/, '')}: ${calledId}`;
            const calledResolve = resolverOf({
              github: githubContext(setting),
              vars,
              inputs: inputs as Value,
              job: { workflow_repository: 'owner/kedro-aws-action', workflow_sha: 'f'.repeat(40) },
            });
            if (!condition(calledJob.if, calledResolve)) continue;
            const asked = parsePermissions(calledJob.permissions, `${calledWhere}: permissions`) ?? calledLevel;
            const over = asked ? grants.flatMap((g) => exceeding(asked, g)) : [];
            if (over.length > 0) {
              result.startupFailures.push({
                job: calledWhere,
                setting,
                message: over
                  .map(
                    (o) =>
                      `the called job is requesting '${o.scope}: ${o.asked}', but is only allowed '${o.scope}: ${o.allowed}'`,
                  )
                  .join('; '),
              });
              continue;
            }
            const permissions = cap(asked ?? granted);
            const uses = (calledJob.steps ?? []).flatMap((s) =>
              stepUses(s, calledResolve, knowledge, setting, calledWhere),
            );
            result.jobs.push({ job: calledWhere, setting, permissions, uses, denied: deny(permissions, uses) });
          }
          continue;
        }
        const permissions = cap(grant);
        const uses = (job.steps ?? []).flatMap((s) => stepUses(s, resolve, knowledge, setting, where));
        result.jobs.push({ job: where, setting, permissions, uses, denied: deny(permissions, uses) });
      }
    }
  }
  return result;
}
