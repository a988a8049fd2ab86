/**
 * One interface per target. A mode knows WHAT to do (deploy the stage, start a run, wait for it, read
 * it back, tear the stage down); the backend of the target knows HOW for its service. The modes pick
 * the backend once (`backendFor`) and never ask which target they run.
 *
 * Backends: `step-functions` (one Lambda per group and a state machine), `batch` (one job per group,
 * submitted up front with dependsOn), and `local` (the state machine `step-functions` deploys, executed
 * on the runner, each group in a Python process of its own). A cancelled run is stopped by the post
 * step, which has a small bundle of its own: each backend's `cancel.ts` (see src/post/).
 */
import type { LoadedPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import type { UncheckedOutput } from '../verify/expected';
import type { LeaseRun, ProofCheck as OutputCheck } from '../verify/records';

export type BackendName = 'step-functions' | 'batch' | 'local';

/** What a run was, read back from the service (or the local record): for verify, the summary and `run`. */
export interface RunFacts {
  runId: string;
  /** SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING (Step Functions' words; the others map onto them). */
  status: string;
  /** When the run started, by the service's clock. */
  startDate: Date | undefined;
  /** The runtime params the groups ran with. */
  runtimeParams: unknown;
  /** Where the run is (execution ARN, job ids, local record), for the report. */
  source: string;
  /** The line logged when it SUCCEEDED. */
  successLine: string;
  /** Why the run did not succeed: the group, its error and cause, where its logs are. */
  failure(): Promise<string>;
  /** Writes the job summary and the pull-request comment (with the outputs verify checked, and those it did not). */
  summary(checks?: OutputCheck[], unchecked?: UncheckedOutput[]): Promise<void>;
}

export interface Backend<Handle = unknown> {
  readonly name: BackendName;
  /** What `build` puts in the image: the Lambda runtime interface, or the Batch entry point as the command. */
  readonly imageKind: 'lambda' | 'batch';
  /**
   * Said when `wait: false` leaves the run to itself; undefined when the backend always waits (the
   * local executor runs the groups in this step).
   */
  readonly detachedNote: string | undefined;
  /** Creates or updates the stage's resources; returns the console URL of what it deployed. */
  deploy(ctx: ModeContext, loaded: LoadedPlan): Promise<string | undefined>;
  /**
   * Starts a run with this run id; sets `run-id` and the target's run outputs at once, and records in
   * the state what `wait`, `verify` and the post step need.
   */
  start(ctx: ModeContext, loaded: LoadedPlan, runId: string): Promise<Handle>;
  /** What the stage's lease keeps of a started run (src/context/lease.ts), to ask later whether it still goes. */
  leaseRun(handle: Handle): LeaseRun;
  /** Whether the run a lease names still goes; undefined when the service cannot tell (the lease's expiry decides). */
  stillRunning(ctx: ModeContext, run: LeaseRun): Promise<boolean | undefined>;
  /** Waits for the run (logging each group as it moves; the post step can cancel it meanwhile). */
  wait(ctx: ModeContext, loaded: LoadedPlan, handle: Handle): Promise<RunFacts>;
  /** The run an earlier `run` left in the state (or the inputs), waited for when it still goes. */
  facts(ctx: ModeContext, loaded: LoadedPlan): Promise<RunFacts>;
  /** Removes the stage's compute resources (found by their project and stage tags); returns what it removed. */
  teardown(ctx: ModeContext, loaded: LoadedPlan): Promise<string[]>;
}
