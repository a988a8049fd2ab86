/**
 * The post step: when the job was cancelled (or the step died) while `run` was waiting on an execution
 * it started, stop that execution and say so. An execution left running on purpose (`wait: false`) is
 * never recorded, so never stopped.
 */
import * as core from '@actions/core';
import { createClients, resolveRegion } from './aws/clients';
import { describeExecution, stopExecution } from './aws/stepfunctions';
import { arnRegion } from './report/links';
import { POST_STATE_EXECUTION } from './modes/run';

export async function post(): Promise<void> {
  const executionArn = core.getState(POST_STATE_EXECUTION);
  if (!executionArn) return;
  try {
    const sfn = createClients({ region: resolveRegion(arnRegion(executionArn)), maxAttempts: 5 }).sfn;
    const execution = await describeExecution(sfn, executionArn);
    if (execution.status !== 'RUNNING') return;
    await stopExecution(sfn, executionArn, 'the GitHub Actions job was cancelled while waiting for it');
    core.warning(`Stopped execution ${executionArn}: the job ended while waiting for it.`);
  } catch (error) {
    core.warning(`Could not stop execution ${executionArn}: ${(error as Error).message}`);
  }
}

void post();
