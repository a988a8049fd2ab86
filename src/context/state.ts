/**
 * The state file: what one mode produced, handed to the next mode of the same step or of a later step
 * in the same job. It lives under $RUNNER_TEMP (one file per stage). Most values in it can also be given
 * as an input of the same name, which wins; the others are the action's own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Inputs } from '../inputs';
import { FIELD, type InputName } from '../inputs/table';
import { privateDir, writePrivateFile } from '../lib/files';
import { keyed } from '../lib/keys';

/** State keys that are also inputs of the same name (the input wins over the state file). */
const FROM_INPUTS = [
  'wheel',
  'conf-archive',
  'plan',
  'requirements-lock',
  'image-uri',
  'state-machine-arn',
  'execution-arn',
  'run-id',
  'job-definition-arn',
] as const satisfies readonly InputName[];

/** State keys only the action writes (no input of that name). */
const INTERNAL = [
  /** The record of a run by the local executor (status, times, failure), for verify. */
  'local-run',
  /** The Batch job ID of each group of the run (JSON), for verify. */
  'batch-job-ids',
  /** The GitHub deployment `deploy` created for the stage, which a failed run marks `failure`. */
  'deployment-id',
  /** The platform `build` built the image for (`linux/arm64`), which `deploy` gives the functions. */
  'image-platform',
] as const;

/** State keys, spelled once: `STATE.confArchive` is `'conf-archive'`. */
export const STATE = keyed([...FROM_INPUTS, ...INTERNAL]);
export type StateKey = (typeof STATE)[keyof typeof STATE];
export type State = Partial<Record<StateKey, string>>;

/** Can the user give this value as an input (of the same name)? */
export function isInputBacked(key: StateKey): key is (typeof FROM_INPUTS)[number] {
  return (FROM_INPUTS as readonly string[]).includes(key);
}

/** The state values the inputs give (undefined where an input is empty): they win over the state file. */
export function stateFromInputs(inputs: Inputs): State {
  return Object.fromEntries(FROM_INPUTS.map((key) => [key, inputs[FIELD[key]]]));
}

/** The folder where the action keeps its files for a stage (plan.json, state, reports). */
export function workDir(stage: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(actionDir(env), stage);
}

/** The folder of all the action's files: `$RUNNER_TEMP/kedro-aws-action`. */
function actionDir(env: NodeJS.ProcessEnv): string {
  const base = env.RUNNER_TEMP && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : os.tmpdir();
  return path.join(base, 'kedro-aws-action');
}

/**
 * Creates the stage's work folder, it and the action's folder above it readable by the runner's user
 * only (0700): what is below (the state, the plan, a local run's image and records) is nobody else's.
 */
export function ensureWorkDir(stage: string, env: NodeJS.ProcessEnv = process.env): string {
  privateDir(actionDir(env));
  return privateDir(workDir(stage, env));
}

export function stateFile(stage: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(workDir(stage, env), 'state.json');
}

export function loadState(file: string): State {
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the state file ${file} is not valid JSON; delete it or pass the values as inputs`);
  }
  const state: State = {};
  const known = new Set<string>(Object.values(STATE));
  if (parsed && typeof parsed === 'object') {
    for (const [k, v] of Object.entries(parsed)) {
      if (known.has(k) && typeof v === 'string') state[k as StateKey] = v;
    }
  }
  return state;
}

/** Merges `update` into the state file (written atomically: a rename over the old file). */
export function saveState(file: string, update: State): State {
  const merged = { ...loadState(file), ...update };
  const tmp = `${file}.${process.pid}.tmp`;
  writePrivateFile(tmp, `${JSON.stringify(merged, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return merged;
}
