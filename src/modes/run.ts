/**
 * mode: run. Starts a run of the deployed stage through the target's backend (a Step Functions
 * execution, the Batch jobs, or the local executor), sets its run id at once, then waits unless
 * `wait: false`, and fails the step unless the run SUCCEEDED. A run that failed, timed out or was
 * stopped is reported here (summary, comment, deployment status: failure.ts) whatever follows; a run
 * that succeeded leaves the summary to `verify` when it comes next in the same step (the one summary,
 * with the outputs it checked).
 */
import * as core from '@actions/core';
import { kedroRunId, loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { type Backend, backendFor, type RunFacts } from '../targets';
import { failRun } from './failure';

export { executionName } from '../targets/stepfunctions/run';
export { kedroRunId };

/** Runs the stage; returns what the run was (undefined when `wait: false` left it running). */
export async function runMode(ctx: ModeContext, backend?: Backend): Promise<RunFacts | undefined> {
  const { inputs } = ctx;
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const runId = inputs.runId ?? kedroRunId(new Date(ctx.clock.now()));
  const handle = await chosen.start(ctx, loaded, runId);
  if (!inputs.wait && chosen.detachedNote) {
    ctx.setOutput(OUTPUT.status, 'RUNNING');
    core.info(chosen.detachedNote);
    return undefined;
  }
  const facts = await chosen.wait(ctx, loaded, handle);
  ctx.setOutput(OUTPUT.status, facts.status);
  if (facts.status !== 'SUCCEEDED') await failRun(ctx, facts);
  if (!inputs.modes.includes('verify')) await facts.summary();
  core.info(facts.successLine);
  return facts;
}
