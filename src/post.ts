/**
 * The post step: when the job was cancelled (or the step died) while `run` was waiting on an execution
 * it started, stop that execution and say so. An execution left running on purpose (`wait: false`) is
 * never recorded, so never stopped. With `role-to-assume`, the role is assumed again (OIDC) for this.
 */
import * as core from '@actions/core';
import { createClients, resolveRegion } from './aws/clients';
import { oidcCredentials } from './aws/credentials';
import { describeExecution, stopExecution } from './aws/stepfunctions';
import { INPUT } from './inputs';
import { terminateBatchRunOnPost } from './modes/batch';
import { POST_STATE_EXECUTION } from './modes/run';
import { arnRegion } from './report/links';

export async function post(): Promise<void> {
  // Target batch: the run's unfinished jobs (it says what it did, and never throws).
  await terminateBatchRunOnPost();
  const executionArn = core.getState(POST_STATE_EXECUTION);
  if (!executionArn) return;
  try {
    const region = resolveRegion(arnRegion(executionArn));
    const roleArn = core.getInput(INPUT.roleToAssume);
    const credentials = roleArn
      ? oidcCredentials({ roleArn, region, audience: core.getInput(INPUT.audience) || undefined })
      : undefined;
    const sfn = createClients({ region, maxAttempts: 5, credentials }).sfn;
    const execution = await describeExecution(sfn, executionArn);
    if (execution.status !== 'RUNNING') return;
    await stopExecution(sfn, executionArn, 'the GitHub Actions job was cancelled while waiting for it');
    core.warning(`Stopped execution ${executionArn}: the job ended while waiting for it.`);
  } catch (error) {
    core.warning(`Could not stop execution ${executionArn}: ${(error as Error).message}`);
  }
}

void post();
