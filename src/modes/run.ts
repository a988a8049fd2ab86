/**
 * mode: run. Starts a run of the deployed stage through the target's backend (a Step Functions
 * execution, the Batch jobs, or the local executor), sets its run id at once, then waits unless
 * `wait: false`, and fails the step unless the run SUCCEEDED. A run that failed, timed out or was
 * stopped is reported here (summary, comment, deployment status: failure.ts) whatever follows; a run
 * that succeeded leaves the summary to `verify` when it comes next in the same step (the one summary,
 * with the outputs it checked).
 */
import * as core from '@actions/core';
import { canonicalJson, kedroRunId, loadPlan, sameParams } from '../context/common';
import type { ModeContext } from '../context/context';
import { runIdentity } from '../context/identity';
import { acquireStage } from '../context/lease';
import { OUTPUT } from '../context/outputs';
import { ActionError } from '../lib/errors';
import { type Backend, backendFor, type RunFacts } from '../targets';
import { failRun } from './failure';

export { executionName } from '../targets/stepfunctions/run';
export { kedroRunId };

/** Runs the stage; returns what the run was (undefined when `wait: false` left it running). */
export async function runMode(ctx: ModeContext, backend?: Backend): Promise<RunFacts | undefined> {
  const { inputs } = ctx;
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const { plan } = loaded;
  // Verify reads where the run wrote from the plan: the two must agree before anything starts.
  if (!sameParams(inputs.runtimeParams, plan.runtime_params)) {
    throw new ActionError(
      `input "runtime-params" is ${canonicalJson(inputs.runtimeParams)}, but the plan was exported with ` +
        `${canonicalJson(plan.runtime_params)}: the outputs would not be where the plan says; give "package" the ` +
        'same "runtime-params" as "run" (nothing was started)',
    );
  }
  const runId = inputs.runId ?? kedroRunId(new Date(ctx.clock.now()));
  const identity = runIdentity(ctx, loaded, runId);
  const lease = await acquireStage(ctx, loaded, {
    runId,
    identity,
    stillRunning: (run) => chosen.stillRunning(ctx, run),
  });
  let handle: unknown;
  try {
    handle = await chosen.start(ctx, loaded, runId);
  } catch (error) {
    await lease.release();
    throw error;
  }
  await lease.attach(chosen.leaseRun(handle));
  if (!inputs.wait && chosen.detachedNote) {
    ctx.setOutput(OUTPUT.status, 'RUNNING');
    core.info(chosen.detachedNote);
    // The lease stays: a later run asks the service whether this one still goes.
    return undefined;
  }
  const facts = await chosen.wait(ctx, loaded, handle);
  // A run that may still go (it outlived timeout-minutes on a service, on-timeout: leave) keeps the stage:
  // the next run asks the service whether it still goes. A run in this step (no detached note) has ended.
  if (facts.status !== 'TIMED_OUT' || chosen.detachedNote === undefined) await lease.release();
  ctx.setOutput(OUTPUT.status, facts.status);
  if (facts.status !== 'SUCCEEDED') await failRun(ctx, facts);
  if (!inputs.modes.includes('verify')) await facts.summary();
  core.info(facts.successLine);
  return facts;
}
