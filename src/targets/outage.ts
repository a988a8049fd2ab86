/**
 * How the waits of every backend go through an outage: network errors, server errors and throttling
 * (aws/errors.ts says which) count as "still waiting" for up to five minutes in a row (lib/wait.ts),
 * with a notice at most once a minute in the log and on the run's page, and a line when AWS answers
 * again. What a wait was doing when it gave up, and where its run is, is said by the backend.
 */
import * as core from '@actions/core';
import { isTransientAwsError } from '../aws/errors';
import { ActionError } from '../lib/errors';
import { OutageError, type OutagePolicy } from '../lib/wait';

export const awsOutagePolicy: OutagePolicy = {
  transient: isTransientAwsError,
  notice: (message) => core.notice(message, { title: 'kedro-aws-action: AWS calls failing, still waiting' }),
  info: (message) => core.info(message),
};

/**
 * The error a wait ended on, said as what the step was doing (`waiting for execution …`) and what is
 * left of the run (`left`: e.g. "The execution was left running: <link>"). An outage names its last
 * failed call; any other error is the call's own (aws/errors.ts names it).
 */
export function waitFailure(error: unknown, doing: string, left: string | undefined): ActionError {
  const message = error instanceof Error ? error.message : String(error);
  const said =
    error instanceof OutageError ? `AWS calls kept failing while ${doing}: ${message}` : `While ${doing}: ${message}`;
  return new ActionError(left ? `${said}\n${left}` : said);
}
