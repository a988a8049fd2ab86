/**
 * Every input of the action is read and validated here, and nowhere else.
 *
 * The inputs themselves are declared once, in ./table.ts; this module turns that table into a zod schema,
 * whose output type is `Inputs`. A bad value fails the step with a message that names the input and what
 * it accepts. Values that an earlier mode left in the state file (see state.ts) may also be given as inputs;
 * the input wins.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ActionError } from '../lib/errors';
import { AUTO_STAGE, autoStage } from '../lib/stage';
import {
  DEFAULTS,
  FIELD,
  type FieldOf,
  INPUT,
  INPUT_NAMES,
  INPUT_TABLE,
  type InputName,
  type InputSpec,
  type Mode,
  type ValueSpec,
} from './table';

export * from './table';

/** The zod type of a value spec: what it reads (always a string) and what it gives. */
type SchemaOf<V extends ValueSpec> = z.ZodType<
  V extends { kind: 'bool' }
    ? boolean
    : V extends { kind: 'int' }
      ? number
      : V extends { kind: 'enum'; values: readonly (infer E)[] }
        ? E
        : V extends { kind: 'text'; optional: true }
          ? string | undefined
          : V extends { kind: 'text' }
            ? string
            : V extends { kind: 'parse'; parse: (raw: string) => infer T }
              ? T
              : never,
  string
>;

/** `a or b`, `a, b, c`. */
function accepted(values: readonly string[]): string {
  return values.join(values.length === 2 ? ' or ' : ', ');
}

function valueSchema(spec: ValueSpec): z.ZodType<unknown, string> {
  switch (spec.kind) {
    case 'bool':
      return z
        .string()
        .transform((v) => v.toLowerCase())
        .pipe(z.enum(['true', 'false'], { message: 'accepts true or false' }))
        .transform((v) => v === 'true');
    case 'int': {
      const { min, max } = spec;
      return z
        .string()
        .regex(/^\d+$/, { message: `accepts a whole number from ${min} to ${max}` })
        .transform(Number)
        .pipe(
          z
            .number()
            .min(min, { message: `must be at least ${min}` })
            .max(max, { message: `must be at most ${max}` }),
        );
    }
    case 'enum':
      return z.enum(spec.values, { message: `accepts ${accepted(spec.values)}` });
    case 'text': {
      let value = z.string();
      if (spec.ifEmpty !== undefined) value = value.min(1, { message: `is empty; give ${spec.ifEmpty}` });
      if (spec.match) value = value.regex(spec.match.re, { message: spec.match.message });
      if (!spec.optional) return value;
      return z
        .string()
        .transform((v) => (v === '' ? undefined : v))
        .pipe(value.optional());
    }
    case 'parse': {
      const { parse } = spec;
      // A parser that throws becomes an issue whose message names nothing (formatIssues adds the input).
      return z.string().transform((raw, ctx) => {
        try {
          return parse(raw);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
          return z.NEVER;
        }
      });
    }
  }
}

type Table = typeof INPUT_TABLE;
type Shape = { [N in InputName as FieldOf<N>]: SchemaOf<Table[N]['value']> };

/** The schema of every input, keyed by its field of `Inputs`; paths are resolved from `cwd`. */
function inputsSchema(cwd: string) {
  const shape: Record<string, z.ZodType<unknown, string>> = {};
  for (const name of INPUT_NAMES) {
    const spec: InputSpec = INPUT_TABLE[name];
    const value = valueSchema(spec.value);
    shape[FIELD[name]] = spec.path ? value.transform((p) => (typeof p === 'string' ? path.resolve(cwd, p) : p)) : value;
  }
  return z.object(shape as Shape);
}

/** The validated inputs, one field per input (see ./table.ts for which input fills which field). */
export type Inputs = z.infer<ReturnType<typeof inputsSchema>>;

/** Reads one raw input; the default reads what the Actions runner passes (`INPUT_<NAME>`). */
export type InputReader = (name: InputName) => string;

export function envInputReader(env: NodeJS.ProcessEnv = process.env): InputReader {
  // The same lookup as @actions/core's getInput: spaces become underscores, upper case.
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Modes that need the Kedro project itself (not only what an earlier mode produced). */
const MODES_NEEDING_PROJECT: readonly Mode[] = ['package'];

const NAME_OF_FIELD = new Map<string, InputName>(INPUT_NAMES.map((name) => [FIELD[name], name]));

function formatIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '?');
    return `input "${NAME_OF_FIELD.get(field) ?? field}" ${issue.message}`;
  });
  return lines.join('\n');
}

/** What the runner says of the event that started the workflow (GITHUB_EVENT_NAME, its payload file, the ref). */
function eventFacts(env: NodeJS.ProcessEnv): {
  eventName: string | undefined;
  payload: unknown;
  refName: string | undefined;
} {
  let payload: unknown;
  const file = env.GITHUB_EVENT_PATH;
  if (file && fs.existsSync(file)) {
    try {
      payload = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      payload = undefined;
    }
  }
  return { eventName: env.GITHUB_EVENT_NAME || undefined, payload, refName: env.GITHUB_REF_NAME || undefined };
}

/** Checks that a folder is a Kedro project, as Kedro decides it: pyproject.toml with a [tool.kedro] table. */
export function checkKedroProject(projectPath: string): void {
  if (!fs.existsSync(projectPath)) {
    throw new ActionError(`input "${INPUT.projectPath}": ${projectPath} does not exist`);
  }
  if (!fs.statSync(projectPath).isDirectory()) {
    throw new ActionError(`input "${INPUT.projectPath}": ${projectPath} is not a folder`);
  }
  const pyproject = path.join(projectPath, 'pyproject.toml');
  if (!fs.existsSync(pyproject)) {
    throw new ActionError(
      `input "${INPUT.projectPath}": ${projectPath} is not a Kedro project (no pyproject.toml there); ` +
        "point it at the folder that holds the project's pyproject.toml",
    );
  }
  const text = fs.readFileSync(pyproject, 'utf8');
  if (!/^\s*\[tool\.kedro\]\s*$/m.test(text)) {
    throw new ActionError(
      `input "${INPUT.projectPath}": ${projectPath} is not a Kedro project ` +
        '(its pyproject.toml has no [tool.kedro] table with package_name and project_name)',
    );
  }
}

/**
 * Reads and validates every input. Throws one ActionError listing every bad input.
 * @param cwd the folder relative paths are taken from (the workspace on a runner)
 */
export function readInputs(
  read: InputReader = envInputReader(),
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Inputs {
  const raw: Record<string, string> = {};
  for (const name of INPUT_NAMES) {
    const value = read(name);
    raw[FIELD[name]] = value === '' ? (DEFAULTS[name] ?? '') : value;
  }
  if (raw[FIELD.stage] === AUTO_STAGE) raw[FIELD.stage] = autoStage(eventFacts(env));
  const result = inputsSchema(cwd).safeParse(raw);
  if (!result.success) {
    throw new ActionError(formatIssues(result.error));
  }
  const inputs = result.data;
  if (inputs.exportCredentials && !inputs.roleToAssume) {
    throw new ActionError(
      `input "${INPUT.exportCredentials}" is true but "${INPUT.roleToAssume}" is not set: there are no credentials to export`,
    );
  }
  if (inputs.modes.some((m) => MODES_NEEDING_PROJECT.includes(m))) {
    checkKedroProject(inputs.projectPath);
  }
  return inputs;
}
