/**
 * The action: read inputs, run the modes in order. The one place that fails the step.
 *
 * Only the inputs are loaded up front; the modes (and with them the AWS SDK, Octokit, the planner)
 * are loaded once the inputs are valid, so a bad input fails at once.
 */
import * as core from '@actions/core';
import { envInputReader, type InputReader, readInputs } from './inputs';
import { ActionError } from './lib/errors';
import { scrub } from './lib/secrets';
import type { WaitClock } from './lib/wait';

export interface RunOptions {
  read?: InputReader;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Sleep and clock of the waits (tests replace it); default the real ones. */
  clock?: WaitClock;
}

/** Runs the action. Never throws: a failure is reported with core.setFailed and returned as false. */
export async function run(options: RunOptions = {}): Promise<boolean> {
  try {
    const env = options.env ?? process.env;
    const inputs = readInputs(options.read ?? envInputReader(env), options.cwd ?? process.cwd(), env);
    const { runModes } = await import('./modes');
    await runModes(inputs, env, options.clock);
    return true;
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.stack) core.debug(scrub(err.stack));
    // Each place the error points at is marked where it is (inline in a pull request's file view).
    // The messages are published (annotations): a failure's cause can hold a group's log lines.
    if (err instanceof ActionError) {
      for (const a of err.annotations)
        core.error(scrub(a.message), { file: a.file, startLine: a.line, title: 'kedro-aws-action' });
    }
    core.setFailed(scrub(err.message));
    return false;
  }
}
