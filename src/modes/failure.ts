/**
 * A run that did not succeed (it failed, timed out or was stopped), whatever the mode list: the job
 * summary and the pull-request comment say which group failed and why, the stage's GitHub deployment
 * is marked `failure`, and only then does the step fail, with the run's failure as its message. Used by
 * `run` (which leaves the summary to `verify` only when the run succeeded) and by `verify`.
 */
import * as core from '@actions/core';
import type { ModeContext } from '../context/context';
import { markDeploymentFailed } from '../context/publish';
import { ActionError } from '../lib/errors';
import type { RunFacts } from '../targets';

/** How a deployment's status says the run ended. */
const ENDED: Readonly<Record<string, string>> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'was stopped',
};

export async function failRun(ctx: ModeContext, facts: RunFacts, prefix = ''): Promise<never> {
  let message: string;
  try {
    message = await facts.failure();
  } catch (error) {
    message = `the run ended ${facts.status} (why could not be read: ${(error as Error).message})`;
  }
  try {
    await facts.summary();
  } catch (error) {
    // The step still fails with the run's failure, which is what matters most.
    core.warning(`The job summary of the run was not written: ${(error as Error).message}`);
  }
  const firstLine = message.split('\n')[0] ?? '';
  await markDeploymentFailed(ctx, `Run ${ENDED[facts.status] ?? `ended ${facts.status}`}: ${firstLine}`);
  throw new ActionError(`${prefix}${message}`);
}
