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
import { INPUT, type RuntimeParamsInput, runtimeParamItems } from '../inputs/table';
import { ActionError } from '../lib/errors';
import type { Plan } from '../plan/schema';
import { type Backend, backendFor, type RunFacts } from '../targets';
import { failRun } from './failure';

export { executionName } from '../targets/stepfunctions/run';
export { kedroRunId };

/**
 * Every group of the run gets the plan's runtime params (Kedro's reading of what `package` was given),
 * and verify looks for the outputs where those put them. A `runtime-params` input given to `run` too
 * must say the same (the same JSON object, or the same `key=value` items), or nothing starts.
 */
export function checkRuntimeParams(given: RuntimeParamsInput | undefined, plan: Plan): void {
  if (!given) return;
  const same =
    given.form === 'json'
      ? sameParams(given.params, plan.runtime_params)
      : plan.runtime_params_text != null && sameItems(given.text, plan.runtime_params_text);
  if (same) return;
  const here = given.form === 'json' ? canonicalJson(given.params) : JSON.stringify(given.text);
  const there =
    plan.runtime_params_text != null
      ? `${JSON.stringify(plan.runtime_params_text)}, which Kedro reads as ${canonicalJson(plan.runtime_params)}`
      : canonicalJson(plan.runtime_params);
  throw new ActionError(
    `input "${INPUT.runtimeParams}" is ${here}, but the plan was exported with ${there}: a run gets the plan's ` +
      `runtime params, and verify looks for the outputs where they put them. Leave "${INPUT.runtimeParams}" ` +
      'empty for mode "run" to run with the plan\'s, or give it what mode "package" was given (nothing was started)',
  );
}

/** The same `key=value` items, in the same order (the same text for `kedro run --params`). */
function sameItems(a: string, b: string): boolean {
  return runtimeParamItems(a).join(',') === runtimeParamItems(b).join(',');
}

/** Runs the stage; returns what the run was (undefined when `wait: false` left it running). */
export async function runMode(ctx: ModeContext, backend?: Backend): Promise<RunFacts | undefined> {
  const { inputs } = ctx;
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const { plan } = loaded;
  checkRuntimeParams(inputs.runtimeParams, plan);
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
