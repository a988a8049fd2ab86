/**
 * A small IAM policy evaluator for tests (pure): does a set of identity policies allow one request, an
 * action on a resource ARN with a request context (condition keys)? It follows IAM's rules for what it
 * supports, and throws on what it does not (policy variables, numeric and date operators, ...), so a policy
 * that starts using them fails the test instead of being misread:
 *
 * - an explicit Deny wins; otherwise an Allow statement that matches action, resource and conditions
 *   allows; otherwise the request is implicitly denied;
 * - actions match case-insensitively, with `*` and `?` wildcards (`Action` and `NotAction`);
 * - resources are ARNs (`Resource` and `NotResource`): `arn:partition:service:region:account:resource`.
 *   In the first five segments a wildcard stays inside its segment, except a `*` that ends a segment,
 *   which may run on past the colons (IAM: "it can expand to match beyond the colon boundaries"); in the
 *   resource part `*` and `?` match any character. Matching is case-sensitive. `"*"` matches everything;
 * - conditions: every operator in a Condition block must hold (AND), every key of an operator too, and
 *   one of the key's values must match (OR). Condition key names are case-insensitive. A key missing
 *   from the context makes a positive operator false and a negated one (StringNotEquals, ...) true;
 *   `...IfExists` makes any operator true then. `ForAnyValue:` / `ForAllValues:` take multi-valued keys.
 *   Supported: String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike},
 *   Arn{Equals,NotEquals,Like,NotLike}, Bool, Null.
 */

export type ConditionValue = string | boolean | (string | boolean)[];

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, ConditionValue>>;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

/** Condition keys of a request: single values as strings, multi-valued keys (aws:TagKeys) as lists. */
export type RequestContext = Record<string, string | boolean | string[] | undefined>;

export interface Request {
  action: string;
  resource: string;
  context?: RequestContext;
}

export interface Decision {
  decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** The statement that decided (`<policy name>/<Sid or index>`). */
  by?: string;
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

function rejectPolicyVariables(pattern: string): void {
  if (/\$\{/.test(pattern)) throw new Error(`policy variables are not supported by the checker: ${pattern}`);
}

/** `*` any run of characters, `?` one character; the rest literal. */
function globRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/** IAM action matching: `service:Name`, case-insensitive, with wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  rejectPolicyVariables(pattern);
  return globRegExp(pattern, 'i').test(action);
}

/** IAM resource matching (see the module comment). */
export function arnMatches(pattern: string, arn: string): boolean {
  rejectPolicyVariables(pattern);
  if (pattern === '*') return true;
  if (!pattern.startsWith('arn:') || !arn.startsWith('arn:')) return pattern === arn;
  // The five fixed segments, then the resource part (which may hold colons of its own).
  const split = pattern.split(':');
  const segments = split.length > 5 ? [...split.slice(0, 5), split.slice(5).join(':')] : split;
  const body = segments
    .map((segment, index) => {
      const resourcePart = index === 5;
      return segment
        .split('')
        .map((c, i) => {
          if (c === '*') return resourcePart || i === segment.length - 1 ? '.*' : '[^:]*';
          if (c === '?') return resourcePart ? '.' : '[^:]';
          return escapeRegExp(c);
        })
        .join('');
    })
    .join(':');
  return new RegExp(`^${body}$`).test(arn);
}

type Comparator = (policyValue: string, contextValue: string) => boolean;

const COMPARATORS: Record<string, { compare: Comparator; negated: boolean }> = {
  StringEquals: { compare: (p, c) => p === c, negated: false },
  StringNotEquals: { compare: (p, c) => p === c, negated: true },
  StringEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  StringLike: { compare: (p, c) => globRegExp(p).test(c), negated: false },
  StringNotLike: { compare: (p, c) => globRegExp(p).test(c), negated: true },
  ArnEquals: { compare: (p, c) => arnMatches(p, c), negated: false },
  ArnLike: { compare: (p, c) => arnMatches(p, c), negated: false },
  ArnNotEquals: { compare: (p, c) => arnMatches(p, c), negated: true },
  ArnNotLike: { compare: (p, c) => arnMatches(p, c), negated: true },
  Bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
};

function contextValue(context: RequestContext, key: string): string[] | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = found === undefined ? undefined : context[found];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** One operator of a Condition block (e.g. `StringLike`) with its keys, against the request context. */
function operatorHolds(operator: string, keys: Record<string, ConditionValue>, context: RequestContext): boolean {
  let op = operator;
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) [set, op] = ['any', op.slice('ForAnyValue:'.length)];
  else if (op.startsWith('ForAllValues:')) [set, op] = ['all', op.slice('ForAllValues:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);

  return Object.entries(keys).every(([key, raw]) => {
    const wanted = list(raw).map(String);
    for (const w of wanted) rejectPolicyVariables(w);
    const actual = contextValue(context, key);
    if (op === 'Null') {
      if (set || ifExists) throw new Error(`Null with a qualifier is not supported: ${operator}`);
      return wanted.some((w) => (w.toLowerCase() === 'true') === (actual === undefined));
    }
    const comparator = COMPARATORS[op];
    if (!comparator) throw new Error(`condition operator ${operator} is not supported by the checker`);
    const matchesOne = (value: string) => wanted.some((w) => comparator.compare(w, value));
    if (set === 'all') {
      if (actual === undefined || actual.length === 0) return true;
      return actual.every((v) => (comparator.negated ? !matchesOne(v) : matchesOne(v)));
    }
    if (set === 'any') {
      if (actual === undefined || actual.length === 0) return false;
      return actual.some((v) => (comparator.negated ? !matchesOne(v) : matchesOne(v)));
    }
    if (actual === undefined) return ifExists || comparator.negated;
    if (actual.length !== 1) throw new Error(`condition key ${key} has several values: use ForAnyValue/ForAllValues`);
    return comparator.negated ? !matchesOne(actual[0]!) : matchesOne(actual[0]!);
  });
}

export function conditionsHold(condition: Statement['Condition'], context: RequestContext = {}): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) => operatorHolds(operator, keys, context));
}

function statementApplies(statement: Statement, request: Request): boolean {
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) {
    throw new Error(`statement ${statement.Sid ?? ''} needs exactly one of Action and NotAction`);
  }
  if ((statement.Resource === undefined) === (statement.NotResource === undefined)) {
    throw new Error(`statement ${statement.Sid ?? ''} needs exactly one of Resource and NotResource`);
  }
  const action =
    statement.Action !== undefined
      ? list(statement.Action).some((p) => actionMatches(p, request.action))
      : !list(statement.NotAction).some((p) => actionMatches(p, request.action));
  if (!action) return false;
  const resource =
    statement.Resource !== undefined
      ? list(statement.Resource).some((p) => arnMatches(p, request.resource))
      : !list(statement.NotResource).some((p) => arnMatches(p, request.resource));
  return resource && conditionsHold(statement.Condition, request.context ?? {});
}

/** IAM's decision for one request under a set of identity policies. */
export function decide(policies: NamedPolicy[], request: Request): Decision {
  let allowedBy: string | undefined;
  for (const { name, document } of policies) {
    const statements = list(document.Statement);
    for (const [index, statement] of statements.entries()) {
      if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new Error(`bad Effect in ${name}`);
      if (!statementApplies(statement, request)) continue;
      const by = `${name}/${statement.Sid ?? index}`;
      if (statement.Effect === 'Deny') return { decision: 'explicit-deny', by };
      allowedBy ??= by;
    }
  }
  return allowedBy ? { decision: 'allow', by: allowedBy } : { decision: 'implicit-deny' };
}

export function isAllowed(policies: NamedPolicy[], request: Request): boolean {
  return decide(policies, request).decision === 'allow';
}

/** Every action name an Allow statement of these policies lists (as written, wildcards kept). */
export function grantedActions(policies: NamedPolicy[]): string[] {
  const actions = new Set<string>();
  for (const { document } of policies) {
    for (const s of list(document.Statement)) if (s.Effect === 'Allow') for (const a of list(s.Action)) actions.add(a);
  }
  return [...actions].sort();
}

/** The Allow statements whose Resource is `*` (by action), for the "no * where AWS allows scoping" check. */
export function unscopedActions(policies: NamedPolicy[]): string[] {
  const actions = new Set<string>();
  for (const { document } of policies) {
    for (const s of list(document.Statement)) {
      if (s.Effect === 'Allow' && list(s.Resource).includes('*')) for (const a of list(s.Action)) actions.add(a);
    }
  }
  return [...actions].sort();
}
