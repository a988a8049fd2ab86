/**
 * AWS-safe resource names, derived from Kedro names (project, stage, group) deterministically.
 *
 * The rule (the same for every kind, only the length limit differs):
 *
 * 1. Empty parts are dropped; the rest are the ORIGINAL name, joined with `-`.
 * 2. Each part is cleaned: every run of characters outside `[A-Za-z0-9_-]` becomes one `-`, and
 *    `-`/`_` are trimmed from both ends of the part. Parts that clean to nothing are dropped.
 * 3. If the cleaned name equals the original and fits the limit, it is the name (`spaceflights-pr-1-
 *    data_processing` stays as it is).
 * 4. Otherwise the name is `<head>-<hash>`: `<hash>` is the first 8 hex digits of the SHA-256 of the
 *    original parts (so `a.b` and `a,b` differ), and `<head>` is the cleaned parts cut to fit the
 *    limit. Cutting takes characters from the longest parts first (a long namespace is shortened
 *    before the project or the stage are), and never leaves a `-`/`_` at a cut. A name whose parts
 *    are all punctuation is just the hash.
 *
 * So every name is 1..limit characters of `[A-Za-z0-9_-]`, starts and ends with a letter or digit
 * (which also satisfies Batch's "first character must be alphanumeric"), is stable across runs,
 * and differs for different originals except with probability ~2^-32 per pair; {@link awsNameSet}
 * removes even that by lengthening the hash of colliding names.
 *
 * Limits relied on (AWS API reference, "Length Constraints" / parameter descriptions):
 * - Lambda `FunctionName`: 64 characters when given as a plain name, `[a-zA-Z0-9-_]`.
 * - Step Functions state machine `name`, execution `name`, and state names: 1..80 characters; AWS
 *   forbids whitespace, brackets, wildcards, and `"#%\^|~`$&,;:/` and control characters, and
 *   recommends only `0-9A-Za-z-_` for CloudWatch Logs, which is what is used here.
 * - Batch `jobName`: up to 128, letters, digits, `-`, `_`, first character alphanumeric.
 * - Batch `jobDefinitionName`: up to 128, letters, digits, `-`, `_`.
 * - SageMaker `TrainingJobName`: up to 63, `[a-zA-Z0-9](-*[a-zA-Z0-9])*` (no `_`), unique in the account
 *   and region for good. SageMaker lower-cases the name in the job's ARN, which IAM policies match, so
 *   these names are cleaned to `[a-z0-9-]`, each other character becoming `-` (`_` and capitals count
 *   as changes: the hash is added).
 *
 * Pure: no I/O (node:crypto hashing only).
 */
import { createHash } from 'node:crypto';
import { PlanningError, quote, quoteList } from './errors';

/** The kinds of AWS names the planner produces. */
export type NameKind =
  | 'lambda'
  | 'stateMachine'
  | 'state'
  | 'execution'
  | 'batchJob'
  | 'jobDefinition'
  | 'sagemakerJob';

/** What AWS allows for one kind of name. */
export interface NameRule {
  /** Maximum length in characters (every produced name is ASCII, so also in bytes). */
  readonly maxLength: number;
  /** Whether AWS requires the first character to be a letter or digit (ours always is). */
  readonly mustStartAlphanumeric: boolean;
  /** What the name is, for messages. */
  readonly label: string;
  /** Characters the name may hold: `[A-Za-z0-9_-]` (`aws`), or SageMaker's `[a-z0-9-]` (`sagemaker`). */
  readonly charset?: 'aws' | 'sagemaker';
}

/** The limits per kind; see the module comment for where they come from. */
export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  lambda: { maxLength: 64, mustStartAlphanumeric: false, label: 'Lambda function name' },
  stateMachine: { maxLength: 80, mustStartAlphanumeric: false, label: 'state machine name' },
  state: { maxLength: 80, mustStartAlphanumeric: false, label: 'Step Functions state name' },
  execution: { maxLength: 80, mustStartAlphanumeric: false, label: 'execution name' },
  batchJob: { maxLength: 128, mustStartAlphanumeric: true, label: 'Batch job name' },
  jobDefinition: { maxLength: 128, mustStartAlphanumeric: true, label: 'Batch job definition name' },
  sagemakerJob: {
    maxLength: 63,
    mustStartAlphanumeric: true,
    label: 'SageMaker training job name',
    charset: 'sagemaker',
  },
};

/** Every kind, in a fixed order (handy for tests and for naming one group in every kind). */
export const NAME_KINDS: readonly NameKind[] = [
  'lambda',
  'stateMachine',
  'state',
  'execution',
  'batchJob',
  'jobDefinition',
  'sagemakerJob',
];

/** Hex digits of the hash appended to a changed name. */
export const HASH_LENGTH = 8;

/** A name this module can produce: `[A-Za-z0-9_-]`, first and last character a letter or digit. */
export const SAFE_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;

/** SageMaker's rule for job names (the API reference's pattern, and its length). */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const DISALLOWED_RUN = /[^A-Za-z0-9_-]+/g;
const SAGEMAKER_DISALLOWED = /[^a-z0-9-]/g;
const EDGE_SEPARATORS = /^[-_]+|[-_]+$/g;
const SEPARATOR = '-';

/**
 * The hash suffix of a name: the first `length` hex digits of SHA-256 over the original parts.
 *
 * The parts are serialised with `JSON.stringify`, which is unambiguous (`["a-b","c"]` and
 * `["a","b-c"]` differ) and escapes lone surrogates, so distinct strings always hash distinct input.
 */
export function nameHash(parts: readonly string[], length: number = HASH_LENGTH): string {
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex').slice(0, length);
}

/** Options for {@link awsName}. */
export interface AwsNameOptions {
  /** Hex digits of hash to append when one is appended (default {@link HASH_LENGTH}; max 64). */
  readonly hashLength?: number;
  /** Append the hash even when the original is already valid (used to break collisions). */
  readonly forceHash?: boolean;
}

function cleanPart(part: string, charset: NameRule['charset'] = 'aws'): string {
  if (charset === 'sagemaker') {
    return part.toLowerCase().replace(SAGEMAKER_DISALLOWED, SEPARATOR).replace(EDGE_SEPARATORS, '');
  }
  return part.replace(DISALLOWED_RUN, SEPARATOR).replace(EDGE_SEPARATORS, '');
}

/**
 * Cut the cleaned parts so that, joined with `-`, they take at most `budget` characters, shortening
 * the longest parts first. Cuts never end on a separator; parts cut to nothing are dropped.
 */
function fitParts(parts: readonly string[], budget: number): string[] {
  const longest = Math.max(0, ...parts.map((p) => p.length));
  for (let cap = longest; cap > 0; cap -= 1) {
    const pieces = parts.map((p) => p.slice(0, cap).replace(EDGE_SEPARATORS, '')).filter((p) => p.length > 0);
    if (pieces.join(SEPARATOR).length <= budget) return pieces;
  }
  return [];
}

/**
 * An AWS-safe name of `kind` for the given parts (for example `[project, stage, group]`).
 *
 * @example awsName('lambda', ['spaceflights', 'pr-1', 'data_processing']) // 'spaceflights-pr-1-data_processing'
 * @example awsName('lambda', ['spaceflights', 'pr-1', 'a.b'])              // 'spaceflights-pr-1-a-b-<8 hex>'
 */
export function awsName(kind: NameKind, parts: readonly string[], options: AwsNameOptions = {}): string {
  const rule = NAME_RULES[kind];
  const hashLength = Math.min(Math.max(options.hashLength ?? HASH_LENGTH, 1), 64);
  const original = parts.filter((p) => p.length > 0);
  const cleaned = original.map((p) => cleanPart(p, rule.charset)).filter((p) => p.length > 0);
  const plain = cleaned.join(SEPARATOR);

  if (!options.forceHash && plain.length > 0 && plain.length <= rule.maxLength && plain === original.join(SEPARATOR)) {
    return plain;
  }

  const hash = nameHash(original, hashLength);
  const budget = rule.maxLength - hash.length - SEPARATOR.length;
  if (budget <= 0) return hash.slice(0, rule.maxLength);
  const head = fitParts(cleaned, budget).join(SEPARATOR);
  return head.length > 0 ? `${head}${SEPARATOR}${hash}` : hash;
}

/** True when `name` is a name {@link awsName} could produce for `kind` (charset, edges, length). */
export function isSafeName(kind: NameKind, name: string): boolean {
  const rule = NAME_RULES[kind];
  if (rule.charset === 'sagemaker' && !/^[a-z0-9-]+$/.test(name)) return false;
  return name.length <= rule.maxLength && SAFE_NAME_PATTERN.test(name);
}

/**
 * What the state machine adds to a SageMaker group's job name each time the group runs: `-` and a UUID
 * (36 characters, sagemaker.ts), so that every job of every run, redrives included, has a name of its
 * own (SageMaker never reuses one).
 */
export const SAGEMAKER_RUN_SUFFIX_LENGTH = 37;

/** The fixed part of a SageMaker group's job names: what the run's suffix leaves of 63 characters. */
export const SAGEMAKER_PREFIX_MAX = NAME_RULES.sagemakerJob.maxLength - SAGEMAKER_RUN_SUFFIX_LENGTH;

/**
 * The fixed part of a SageMaker group's job names, `<project>-<stage>-<group>` cleaned to `[a-z0-9-]`
 * and fitted into {@link SAGEMAKER_PREFIX_MAX} (26) characters. The project part is never cut: the
 * state machine role may touch the training jobs `<project>-*` only (bootstrap/template.yml), so the
 * stage and the group are shortened instead (the run's suffix keeps the names unique).
 *
 * @throws PlanningError when the project's name alone does not fit.
 */
export function sagemakerJobPrefix(project: string, stage: string, group: string): string {
  // Character for character, as the bootstrap template spells the project in its SageMaker policy
  // (`_` becomes `-`); dashes inside a SageMaker name are fine, only its ends must be letters or digits.
  const head = project.toLowerCase().replace(SAGEMAKER_DISALLOWED, SEPARATOR).replace(/^-+/, '');
  if (head.length === 0 || head.length > SAGEMAKER_PREFIX_MAX) {
    throw new PlanningError([
      `the project name ${quote(project)} cleans to ${quote(head)} in SageMaker job names, which must start with it ` +
        `and hold it in ${SAGEMAKER_PREFIX_MAX} characters (63 less the run's ${SAGEMAKER_RUN_SUFFIX_LENGTH}); ` +
        'give the project a shorter package name, or run its heavy groups on compute: batch.',
    ]);
  }
  const rest = [stage, group].map((p) => cleanPart(p, 'sagemaker')).filter((p) => p.length > 0);
  const fitted = fitParts(rest, SAGEMAKER_PREFIX_MAX - head.length - SEPARATOR.length);
  return [head, ...fitted].join(SEPARATOR);
}

/** Hash lengths tried, in order, for names that collide within one set. */
const COLLISION_HASH_LENGTHS = [HASH_LENGTH, 16, 32] as const;

/**
 * Names of `kind` for a whole set of groups, `[...prefix, group]` each, guaranteed unique across the
 * set. Uniqueness is checked ignoring case (so `Data` and `data` also get distinct names, for any
 * consumer that compares names case-insensitively).
 *
 * On a collision (a group literally named like another's hashed name, or a 32-bit hash clash) the
 * colliding names get a forced, longer hash (16, then 32 hex digits). Throws a {@link PlanningError}
 * on duplicate group names, or if a collision survives 32 hex digits (not expected to happen).
 *
 * @returns group name → AWS name, in the order of `groups`.
 */
export function awsNameSet(kind: NameKind, prefix: readonly string[], groups: readonly string[]): Map<string, string> {
  const duplicates = [...new Set(groups.filter((g, i) => groups.indexOf(g) !== i))];
  if (duplicates.length > 0) {
    throw new PlanningError([`group names must be unique, but ${quoteList(duplicates)} appear more than once.`]);
  }

  const level = new Map<string, number>(groups.map((g) => [g, 0]));
  const nameOf = (g: string): string => {
    const step = level.get(g) ?? 0;
    return awsName(kind, [...prefix, g], {
      hashLength: COLLISION_HASH_LENGTHS[step] ?? HASH_LENGTH,
      forceHash: step > 0,
    });
  };
  const names = new Map<string, string>(groups.map((g) => [g, nameOf(g)]));

  for (;;) {
    const byKey = new Map<string, string[]>();
    for (const [group, name] of names) {
      const key = name.toLowerCase();
      byKey.set(key, [...(byKey.get(key) ?? []), group]);
    }
    const colliding = [...byKey.values()].filter((gs) => gs.length > 1).flat();
    if (colliding.length === 0) return names;

    for (const group of colliding) {
      const next = (level.get(group) ?? 0) + 1;
      if (next >= COLLISION_HASH_LENGTHS.length) {
        throw new PlanningError([
          `cannot give distinct ${NAME_RULES[kind].label}s to the groups ${quoteList(colliding)}: ` +
            `they clean to ${quote(names.get(group))} even with a 32-digit hash. Rename one of them.`,
        ]);
      }
      level.set(group, next);
      names.set(group, nameOf(group));
    }
  }
}

/** Longest stage name: it appears in every resource name, so it is kept short. */
export const STAGE_MAX_LENGTH = 32;

const STAGE_DISALLOWED_RUN = /[^a-z0-9-]+/g;
const STAGE_EDGES = /^-+|-+$/g;

/**
 * Clean the `stage` input (`pr-123`, `nightly`, `feature/Foo_bar`) into `[a-z0-9-]`, at most
 * {@link STAGE_MAX_LENGTH} characters, starting and ending with a letter or digit.
 *
 * Case and surrounding whitespace do not count (`Nightly` is the stage `nightly`). When anything
 * else had to change (a character replaced, or the text cut), the {@link nameHash} of the
 * lower-cased input is appended, so `feature/foo_bar` and `feature/foo-bar`, or two long branch
 * names with the same beginning, stay different stages: `feature/Foo_bar` → `feature-foo-bar-<hash>`.
 *
 * @param inputName the action input the value came from, for the error message.
 * @throws PlanningError when nothing usable is left (`///`, `""`).
 */
export function cleanStage(stage: string, inputName = 'stage'): string {
  const lower = stage.trim().toLowerCase();
  const cleaned = lower.replace(STAGE_DISALLOWED_RUN, '-').replace(STAGE_EDGES, '');
  if (cleaned.length === 0) {
    throw new PlanningError([
      `the \`${inputName}\` input ${quote(stage)} has no letters or digits; ` +
        'give a stage such as `dev`, `nightly` or `pr-123` (letters, digits and `-`).',
    ]);
  }
  if (cleaned === lower && cleaned.length <= STAGE_MAX_LENGTH) return cleaned;

  const hash = nameHash([lower]);
  const head = cleaned.slice(0, STAGE_MAX_LENGTH - HASH_LENGTH - 1).replace(STAGE_EDGES, '');
  return head.length > 0 ? `${head}-${hash}` : hash;
}
