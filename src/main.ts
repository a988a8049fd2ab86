/** The action: read inputs, run the modes in order. The one place that fails the step. */
import * as core from '@actions/core';
import { type InputReader, envInputReader, readInputs } from './inputs';
import { createContext } from './modes/context';
import { MODE_HANDLERS } from './modes';

export interface RunOptions {
  read?: InputReader;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs the action. Never throws: a failure is reported with core.setFailed and returned as false. */
export async function run(options: RunOptions = {}): Promise<boolean> {
  try {
    const env = options.env ?? process.env;
    const inputs = readInputs(options.read ?? envInputReader(env), options.cwd ?? process.cwd());
    const ctx = createContext(inputs, env);
    for (const mode of inputs.modes) {
      core.startGroup(`kedro-aws: ${mode}`);
      try {
        await MODE_HANDLERS[mode](ctx);
      } finally {
        core.endGroup();
      }
    }
    return true;
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.stack) core.debug(err.stack);
    core.setFailed(err.message);
    return false;
  }
}
