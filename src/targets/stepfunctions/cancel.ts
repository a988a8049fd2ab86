/**
 * Cancel, target step-functions (the post step): stop the execution `run` was waiting on when the job
 * was cancelled or timed out. An execution left running on purpose (`wait: false`), or by a wait that
 * ended on its own error, is not recorded (any more), so not stopped. No @actions/core here: the post step's bundle stays small.
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
  /** Says when there was nothing to stop. */
  info?: (message: string) => void;
}): Promise<boolean> {
  const { client, executionArn, warn } = options;
  try {
    const execution = await describeExecution(client, executionArn);
    if (execution.status !== 'RUNNING') {
      options.info?.(`Execution ${executionArn} had already ended (${execution.status}): nothing to stop.`);
      return false;
    }
    await stopExecution(client, executionArn, 'the GitHub Actions job was cancelled while waiting for it');
    warn(`Stopped execution ${executionArn}: the job ended while waiting for it.`);
    return true;
  } catch (error) {
    warn(`Could not stop execution ${executionArn}: ${(error as Error).message}`);
    return false;
  }
}
