/**
 * The post step (dist/post/index.js): when the job was cancelled or timed out while `run` was
 * waiting, stop what it started: the Step Functions execution, or the Batch jobs that have not
 * finished. Never because the main step failed on its own error (an outage, a timeout with
 * `on-timeout: leave`): the main step clears its record then, and the run goes on. It says which it did. It reads what `run` recorded with saveState, gets credentials through the same helper as
 * the main step (GitHub OIDC when `role-to-assume` is set, for every target) and asks the target's
 * cancel. It bundles no planner, no local executor, no Octokit and no @actions/core (see runner.ts).
 */

import { BatchClient } from '@aws-sdk/client-batch';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { clientConfig } from '../aws/config';
import { roleCredentials } from '../aws/oidc';
import { INPUT } from '../inputs/table';
import { arnRegion } from '../report/links';
import { POST_STATE_BATCH_JOBS, terminateBatchRunOnPost } from '../targets/batch/cancel';
import { POST_STATE_EXECUTION, stopExecutionOnPost } from '../targets/stepfunctions/cancel';
import { type PostRunner, postRunner } from './runner';

/** Client retries of the post step: enough for a blip, short enough for a cancelled job's grace time. */
const POST_MAX_ATTEMPTS = 5;

export async function post(runner: PostRunner = postRunner(), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const credentialsFor = (region: string): AwsCredentialIdentityProvider | undefined => {
    const duration = Number(runner.getInput(INPUT.roleDurationSeconds));
    return roleCredentials(
      {
        roleToAssume: runner.getInput(INPUT.roleToAssume) || undefined,
        audience: runner.getInput(INPUT.audience) || undefined,
        roleSessionName: runner.getInput(INPUT.roleSessionName) || undefined,
        roleDurationSeconds: Number.isInteger(duration) && duration > 0 ? duration : undefined,
        region,
        env,
      },
      runner,
    );
  };
  const config = (region: string) =>
    clientConfig({ region, maxAttempts: POST_MAX_ATTEMPTS, env, credentials: credentialsFor(region) });
  const warn = (message: string) => runner.warning(message);
  const info = (message: string) => runner.info(message);

  // The main step clears these records however it ends by itself (its own errors included: the run
  // goes on); a record still here means it was killed while waiting: the job was cancelled or timed out.
  const batchState = runner.getState(POST_STATE_BATCH_JOBS);
  const executionArn = runner.getState(POST_STATE_EXECUTION);
  if (!batchState && !executionArn) {
    info('Nothing to stop: the main step was not cancelled or timed out while waiting on a run.');
    return;
  }
  if (batchState) {
    info(
      'The job was cancelled or timed out while waiting on the Batch jobs of a run: terminating those not finished.',
    );
    await terminateBatchRunOnPost({
      client: (region) => new BatchClient(config(region)),
      state: batchState,
      warn,
      info,
    });
  }
  if (executionArn) {
    info(`The job was cancelled or timed out while waiting on execution ${executionArn}: stopping it.`);
    await stopExecutionOnPost({ client: new SFNClient(config(arnRegion(executionArn))), executionArn, warn, info });
  }
}
