/**
 * Cancel, target step-functions (the post step): stop the execution `run` was waiting on when the job
 * was cancelled or timed out. Stopping the execution is enough for every group: Step Functions stops the
 * Batch and SageMaker jobs its `.sync` Tasks were waiting on (with the state machine role's
 * batch:TerminateJob and sagemaker:StopTrainingJob, which the Step Functions documentation grants the
 * `.sync` integrations only: https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html), and
 * a Lambda invocation ends by its timeout. An execution left running on purpose (`wait: false`), or by a
 * wait that ended on its own error, is not recorded (any more), so not stopped. No @actions/core here: the
 * post step's bundle stays small.
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
    warn(
      `Stopped execution ${executionArn}: the job ended while waiting for it. Step Functions stops the Batch ` +
        'and SageMaker jobs the execution was waiting on.',
    );
    return true;
  } catch (error) {
    warn(`Could not stop execution ${executionArn}: ${(error as Error).message}`);
    return false;
  }
}
