/** What every mode gets: the validated inputs, the state left by earlier modes, and a way to publish. */
import * as core from '@actions/core';
import type { Inputs } from '../inputs';
import type { OutputName } from '../outputs';
import { type State, type StateKey, loadState, saveState, stateFile, workDir } from '../state';

export interface ModeContext {
  inputs: Inputs;
  /** Folder for this stage's files (plan.json, reports). */
  workDir: string;
  /** A value from an input of the same name, else from the state file. */
  get(key: StateKey): string | undefined;
  /** Records values for later modes and steps. */
  remember(update: State): void;
  setOutput(name: OutputName, value: string): void;
}

export function createContext(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): ModeContext {
  const file = stateFile(inputs.stage, env);
  let state = loadState(file);
  const fromInputs: State = { wheel: inputs.wheel, 'conf-archive': inputs.confArchive, plan: inputs.plan };
  return {
    inputs,
    workDir: workDir(inputs.stage, env),
    get: (key) => fromInputs[key] ?? state[key],
    remember: (update) => {
      state = saveState(file, update);
    },
    setOutput: (name, value) => core.setOutput(name, value),
  };
}
