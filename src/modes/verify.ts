/**
 * mode: verify, the merge gate. The execution must have SUCCEEDED (waiting for it if it still runs,
 * with the same waiting code as `run`), and every expected output must be on S3, non-empty and written
 * by THIS run: versioned datasets at exactly <filepath>/<run_id>/<basename>, the others with a
 * LastModified after the execution started (AWS's clock, less a small skew allowance).
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectsAt, versionsAt } from '../aws/s3';
import { describeExecution } from '../aws/stepfunctions';
import { ActionError } from '../errors';
import { OUTPUT } from '../outputs';
import { STATE } from '../state';
import { type OutputCheck, expectedOutputs, judge } from '../verify/expected';
import { loadPlan, required } from './common';
import type { ModeContext } from './context';
import { failureMessage, waitForExecution } from './execution';
import { writeSummary } from './summary';

/** Clocks of S3 and Step Functions may differ a little; an object this much older than the start still counts. */
export const SKEW_ALLOWANCE_MS = 60_000;

function sameParams(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

export async function verifyMode(ctx: ModeContext): Promise<void> {
  const { inputs } = ctx;
  if (inputs.target !== 'step-functions') {
    throw new ActionError(`mode "verify" with target "${inputs.target}" is not available yet; use target step-functions`);
  }
  const { plan, deployment } = loadPlan(ctx);
  const executionArn = required(ctx, STATE.executionArn, 'mode "run"');
  const { sfn, s3 } = ctx.aws();
  const reportFile = path.join(ctx.workDir, 'verify-report.json');
  ctx.setOutput(OUTPUT.verified, 'false');
  ctx.setOutput(OUTPUT.report, reportFile);

  let execution = await describeExecution(sfn, executionArn);
  if (execution.status === 'RUNNING') {
    core.info('The execution is still running; waiting for it');
    await waitForExecution(sfn, executionArn, deployment, {
      timeoutMinutes: inputs.timeoutMinutes,
      pollIntervalSeconds: inputs.pollIntervalSeconds,
      onTimeout: inputs.onTimeout,
      clock: ctx.clock,
    });
    execution = await describeExecution(sfn, executionArn);
  }
  const runInput = JSON.parse(execution.input ?? '{}') as { run_id?: string; runtime_params?: unknown };
  const runId = runInput.run_id ?? required(ctx, STATE.runId, 'mode "run"');
  const status = execution.status ?? 'UNKNOWN';
  const write = (checks: OutputCheck[], verdict: string) =>
    fs.writeFileSync(
      reportFile,
      `${JSON.stringify({ executionArn, runId, status, startDate: execution.startDate, verdict, outputs: checks }, null, 2)}\n`,
    );

  const summary = (checks?: OutputCheck[]) =>
    writeSummary(sfn, { deployment, executionArn, runId, status, ...(checks ? { checks } : {}) });

  if (status !== 'SUCCEEDED') {
    write([], 'failed: execution did not succeed');
    await summary();
    const outcome = await waitForExecution(sfn, executionArn, deployment, {
      timeoutMinutes: 1,
      pollIntervalSeconds: inputs.pollIntervalSeconds,
      onTimeout: 'leave',
      clock: ctx.clock,
    });
    throw new ActionError(`verify failed: ${failureMessage(outcome, executionArn, deployment)}`);
  }
  if (!sameParams(runInput.runtime_params, plan.runtime_params)) {
    throw new ActionError(
      `verify cannot tell where this run wrote: the plan was exported with runtime params ${JSON.stringify(plan.runtime_params)} ` +
        `but the execution ran with ${JSON.stringify(runInput.runtime_params ?? {})}; give "package" the same "runtime-params" as "run"`,
    );
  }

  const expected = expectedOutputs(plan, runId, inputs.expect);
  const notBefore = new Date((execution.startDate ?? new Date(0)).getTime() - SKEW_ALLOWANCE_MS);
  core.info(`Checking ${expected.length} output(s) of run ${runId} (written since ${notBefore.toISOString()})`);
  const checks: OutputCheck[] = [];
  for (const output of expected) {
    let check = judge(output, await objectsAt(s3, output.bucket, output.key, output.folder), notBefore);
    if (check.verdict === 'missing' && output.versioned) {
      // Older runs' versions there, but not this one: the output is from another run.
      const datasetKey = output.key.split('/').slice(0, -2).join('/');
      const versions = await versionsAt(s3, output.bucket, datasetKey);
      if (versions.length) {
        check = { ...check, verdict: 'stale', detail: `no version ${runId}; the newest there is ${versions.at(-1)}` };
      }
    }
    checks.push(check);
    core.info(`  ${check.verdict === 'ok' ? 'ok' : check.verdict.toUpperCase()}  ${check.dataset}  ${check.url}  ${check.detail}`);
  }
  const bad = checks.filter((c) => c.verdict !== 'ok');
  write(checks, bad.length ? 'failed' : 'verified');
  await summary(checks);
  if (bad.length) {
    throw new ActionError(
      `verify failed: ${bad.length} of ${checks.length} output(s) of run ${runId} are not right:\n` +
        bad.map((c) => `- ${c.dataset} (${c.url}): ${c.verdict}, ${c.detail}`).join('\n'),
    );
  }
  ctx.setOutput(OUTPUT.verified, 'true');
  core.info(`Verified: the execution SUCCEEDED and all ${checks.length} output(s) were written by run ${runId}`);
}
