/** The action: read inputs, run the modes in order. The one place that fails the step. */
import * as core from '@actions/core';
import { ActionError } from './errors';
import { exportCredentials } from './aws/credentials';
import { type InputReader, envInputReader, readInputs } from './inputs';
import { createContext } from './context/context';
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
    const inputs = readInputs(options.read ?? envInputReader(env), options.cwd ?? process.cwd(), env);
    const ctx = createContext(inputs, env);
    try {
      for (const mode of inputs.modes) {
        core.startGroup(`kedro-aws: ${mode}`);
        try {
          await MODE_HANDLERS[mode](ctx);
        } finally {
          core.endGroup();
        }
      }
    } finally {
      // Last, with a fresh session, so later steps get the whole role-duration-seconds (never renewed).
      const provider = inputs.exportCredentials ? ctx.credentials() : undefined;
      if (provider) {
        try {
          exportCredentials(await provider({ forceRefresh: true }));
        } catch (e) {
          core.warning(`AWS credentials not exported to later steps: ${(e as Error).message}`);
        }
      }
    }
    return true;
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.stack) core.debug(err.stack);
    // Each place the error points at is marked where it is (inline in a pull request's file view).
    if (err instanceof ActionError) {
      for (const a of err.annotations) core.error(a.message, { file: a.file, startLine: a.line, title: 'kedro-aws-action' });
    }
    core.setFailed(err.message);
    return false;
  }
}
