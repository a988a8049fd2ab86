/**
 * Cancel, target step-functions (the post step): stop the execution `run` was waiting on when the job
 * was cancelled. An execution left running on purpose (`wait: false`) is never recorded, so never
 * stopped. No @actions/core here: the post step's bundle stays small.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { describeExecution, stopExecution } from '../../aws/stepfunctions';

/** The post step stops an execution recorded under this key when the job was cancelled while waiting. */
export const POST_STATE_EXECUTION = 'waiting-execution-arn';

/** Stops the recorded execution when it still runs, and says so through `warn`. Never throws. */
export async function stopExecutionOnPost(options: {
  client: SFNClient;
  executionArn: string;
  warn: (message: string) => void;
}): Promise<boolean> {
  const { client, executionArn, warn } = options;
  try {
    const execution = await describeExecution(client, executionArn);
    if (execution.status !== 'RUNNING') return false;
    await stopExecution(client, executionArn, 'the GitHub Actions job was cancelled while waiting for it');
    warn(`Stopped execution ${executionArn}: the job ended while waiting for it.`);
    return true;
  } catch (error) {
    warn(`Could not stop execution ${executionArn}: ${(error as Error).message}`);
    return false;
  }
}
