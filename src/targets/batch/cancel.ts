/**
 * Cancel, target batch (the post step): when the main step was cancelled or timed out (killed) while
 * waiting on a run's jobs, terminate those that have not finished. Jobs left running on purpose
 * (`wait: false`), or by a wait that ended on its own error, are not recorded (any more), so not
 * terminated. No @actions/core here: the post step's bundle stays small.
 */
import type { BatchClient } from '@aws-sdk/client-batch';
import { terminateJobs } from '../../aws/batch';

/** The post step terminates the jobs recorded under this key (JSON {@link PostBatchState}). */
export const POST_STATE_BATCH_JOBS = 'waiting-batch-jobs';

/** What the post step needs to terminate a run's jobs. */
export interface PostBatchState {
  region: string;
  runId: string;
  jobIds: string[];
}

export function readPostBatchState(raw: string): PostBatchState | undefined {
  return raw ? (JSON.parse(raw) as PostBatchState) : undefined;
}

/**
 * Terminates the unfinished jobs of the recorded run and says so through `warn`; returns their ids.
 * Never throws (a post step only warns).
 */
export async function terminateBatchRunOnPost(options: {
  /** The client of the run's region (with the step's credentials). */
  client: BatchClient | ((region: string) => BatchClient);
  /** What `run` saved under {@link POST_STATE_BATCH_JOBS}; empty when nothing waits. */
  state: string;
  warn: (message: string) => void;
  /** Says when there was nothing to terminate. */
  info?: (message: string) => void;
}): Promise<string[]> {
  const { warn } = options;
  try {
    const state = readPostBatchState(options.state);
    if (!state) return [];
    const client = typeof options.client === 'function' ? options.client(state.region) : options.client;
    const terminated = await terminateJobs(
      client,
      state.jobIds,
      `the GitHub Actions job was cancelled while waiting for run ${state.runId}`,
      warn,
    );
    if (terminated.length) {
      warn(
        `Terminated ${terminated.length} unfinished Batch job(s) of run ${state.runId}: the job ended while waiting for them.`,
      );
    } else {
      options.info?.(`The jobs of run ${state.runId} had all finished: nothing to terminate.`);
    }
    return terminated;
  } catch (error) {
    warn(`Could not terminate the Batch jobs of the run: ${(error as Error).message}`);
    return [];
  }
}
