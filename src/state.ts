/**
 * The state file: what one mode produced, handed to the next mode of the same step or of a later step
 * in the same job. It lives under $RUNNER_TEMP (one file per stage) and every value in it can also be
 * given as an input of the same name, which wins.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** State keys, spelled once; each is also the name of an input and an output. */
export const STATE = {
  wheel: 'wheel',
  confArchive: 'conf-archive',
  plan: 'plan',
  imageUri: 'image-uri',
  stateMachineArn: 'state-machine-arn',
  executionArn: 'execution-arn',
  runId: 'run-id',
  /** The record of a run by the local executor (status, times, failure), for verify. */
  localRun: 'local-run',
  jobDefinitionArn: 'job-definition-arn',
  batchJobIds: 'batch-job-ids',
} as const;
export type StateKey = (typeof STATE)[keyof typeof STATE];
export type State = Partial<Record<StateKey, string>>;

/** The folder where the action keeps its files for a stage (plan.json, state, reports). */
export function workDir(stage: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.RUNNER_TEMP && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : os.tmpdir();
  return path.join(base, 'kedro-aws-action', stage);
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
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return merged;
}
