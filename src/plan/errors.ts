/**
 * The one error type of the pure planner.
 *
 * Planning collects every problem it finds (bad settings, unknown dependencies, a cycle, a stage
 * that cleans to nothing) and throws them together, so a user fixes them in one round instead of
 * one per run. Each problem is a full sentence that names the group, key, value and file or input
 * to change.
 */
export class PlanningError extends Error {
  /** Every problem found, one sentence each, in the order they were found. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const list = problems.length > 0 ? problems : ['unknown planning problem'];
    const message =
      list.length === 1
        ? `Cannot plan the deployment: ${list[0]}`
        : `Cannot plan the deployment (${list.length} problems):\n${list.map((p) => `  - ${p}`).join('\n')}`;
    super(message);
    this.name = 'PlanningError';
    this.problems = list;
  }
}

/** Quote a user-supplied name for a message (JSON quoting shows spaces, unicode and punctuation). */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A readable list of quoted names: `"a", "b" and "c"`. */
export function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => quote(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
