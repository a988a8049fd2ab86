/**
 * Plan export: asks Kedro itself (python/kedro_aws_action/export_plan.py, run with the user's
 * interpreter) for the group graph and the datasets as resolved in the conf env, and reads its answer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeParamsInput } from '../inputs/table';
import { ActionError, type SourceAnnotation } from '../lib/errors';
import { restrictFile } from '../lib/files';
import { pythonDir } from '../lib/paths';
import { type Plan, PlanErrorSchema, PlanSchema } from '../plan/schema';
import { runPython } from './python';

export interface ExportOptions {
  python: string;
  projectPath: string;
  env: string;
  pipeline: string;
  /** The `runtime-params` input: Kedro parses the `key=value` form (as `kedro run --params`). */
  runtimeParams: RuntimeParamsInput | undefined;
  /** Where plan.json is written. */
  output: string;
  /**
   * Where the exporter writes a suggested `conf/<env>/catalog.yml` and `globals.yml` when the env is
   * missing or lacks entries a run of one group at a time needs (`bucket`: the bucket globals.yml names).
   */
  scaffold?: { dir: string; bucket?: string; found: (files: ScaffoldFile[]) => void };
}

export interface ScaffoldFile {
  /** Relative to the scaffold folder: conf/<env>/catalog.yml, conf/<env>/globals.yml. */
  file: string;
  path: string;
  text: string;
}

/** Exit code with which the exporter says it refused the project (and wrote why). */
const EXIT_REFUSED = 3;

export async function exportPlan(options: ExportOptions): Promise<Plan> {
  fs.mkdirSync(path.dirname(options.output), { recursive: true });
  fs.rmSync(options.output, { force: true });
  const script = path.join(pythonDir(), 'kedro_aws_action', 'export_plan.py');
  const result = await runPython(
    options.python,
    [
      script,
      '--project-path',
      options.projectPath,
      '--env',
      options.env,
      '--pipeline',
      options.pipeline,
      ...runtimeParamsArgs(options.runtimeParams),
      '--output',
      options.output,
      ...scaffoldArgs(options.scaffold),
    ],
    { cwd: options.projectPath, label: 'plan' },
  );
  if (options.scaffold) {
    const files = readScaffold(options.scaffold.dir);
    // Before a refusal is thrown: the suggestion is what fixes it.
    if (files.length) options.scaffold.found(files);
  }
  // The exporter wrote it under $RUNNER_TEMP: the runner's user's only, as the action's other files.
  restrictFile(options.output);
  return readExportResult(options.output, result.code, result.stderrTail, options.projectPath);
}

/** Locations the exporter gives relative to the project, made relative to the workspace (as annotations want). */
export function workspaceLocations(
  locations: readonly SourceAnnotation[],
  projectPath: string,
  workspace = process.cwd(),
): SourceAnnotation[] {
  return locations.map((l) => ({
    file: path.relative(workspace, path.join(projectPath, l.file)),
    line: l.line,
    message: l.message,
  }));
}

/** The exporter's arguments for the runtime params: `--params TEXT` (Kedro's syntax) or `--runtime-params JSON`. */
function runtimeParamsArgs(given: RuntimeParamsInput | undefined): string[] {
  // One argument (`--params=TEXT`): a text that starts with `-` is not taken for an option.
  if (given?.form === 'kedro') return [`--params=${given.text}`];
  return ['--runtime-params', JSON.stringify(given?.params ?? {})];
}

function scaffoldArgs(scaffold: ExportOptions['scaffold']): string[] {
  if (!scaffold) return [];
  fs.rmSync(scaffold.dir, { recursive: true, force: true });
  return ['--scaffold', scaffold.dir, ...(scaffold.bucket ? ['--bucket', scaffold.bucket] : [])];
}

/** The files the exporter suggested, conf/<env>/catalog.yml first. */
export function readScaffold(dir: string): ScaffoldFile[] {
  const conf = path.join(dir, 'conf');
  if (!fs.existsSync(conf)) return [];
  const files: ScaffoldFile[] = [];
  for (const env of fs.readdirSync(conf).sort()) {
    for (const name of ['catalog.yml', 'globals.yml']) {
      const file = path.join(conf, env, name);
      if (fs.existsSync(file))
        files.push({ file: `conf/${env}/${name}`, path: file, text: fs.readFileSync(file, 'utf8') });
    }
  }
  return files;
}

/** Turns what the exporter wrote into a Plan, or into an ActionError a user can act on. */
export function readExportResult(
  file: string,
  code: number,
  stderrTail = '',
  /** Where the refusal's locations are relative to, and what annotations are relative to. */
  projectPath = process.cwd(),
  workspace = process.cwd(),
): Plan {
  if (!fs.existsSync(file)) {
    throw new ActionError(
      `plan export failed (exit code ${code}) without writing ${file}.` +
        (stderrTail ? `\nLast lines from Python:\n${stderrTail}` : ''),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ActionError(`plan export wrote ${file}, which is not JSON: ${(e as Error).message}`);
  }
  const refusal = PlanErrorSchema.safeParse(json);
  if (refusal.success) {
    throw new ActionError(
      `plan export refused the project: ${refusal.data.error.message}`,
      workspaceLocations(refusal.data.error.locations ?? [], projectPath, workspace),
    );
  }
  if (code !== 0) {
    throw new ActionError(
      `plan export failed (exit code ${code === EXIT_REFUSED ? 'refused' : code}).` +
        (stderrTail ? `\nLast lines from Python:\n${stderrTail}` : ''),
    );
  }
  const plan = PlanSchema.safeParse(json);
  if (!plan.success) {
    throw new ActionError(
      `plan export wrote a plan this version of the action does not understand (${file}): ` +
        plan.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return plan.data;
}
