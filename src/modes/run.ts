/**
 * mode: run. Starts a run of the deployed stage through the target's backend (a Step Functions
 * execution, the Batch jobs, or the local executor), sets its run id at once, then waits unless
 * `wait: false`, and fails the step unless the run SUCCEEDED. With `verify` next in the same step,
 * verify writes the one summary (with the outputs it checked); otherwise the summary is written here.
 */
import * as core from '@actions/core';
import { kedroRunId, loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { ActionError } from '../lib/errors';
import { type Backend, backendFor, type RunFacts } from '../targets';

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
  if (!inputs.modes.includes('verify')) await facts.summary();
  if (facts.status !== 'SUCCEEDED') throw new ActionError(await facts.failure());
  core.info(facts.successLine);
  return facts;
}
