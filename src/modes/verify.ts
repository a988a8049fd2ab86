/**
 * mode: verify, the merge gate. The run must have SUCCEEDED (waiting for a Step Functions execution if
 * it still runs, with the same waiting code as `run`), and every expected output must be on S3,
 * non-empty and written by THIS run: versioned datasets at exactly <filepath>/<run_id>/<basename>, the
 * others with a LastModified after the run started (AWS's clock for an execution, less a small skew
 * allowance).
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectsAt, versionsAt } from '../aws/s3';
import { describeExecution } from '../aws/stepfunctions';
import { ActionError } from '../errors';
import type { LocalExecutionResult } from '../local/executor';
import { localFailureMessage } from '../local/run';
import { OUTPUT } from '../outputs';
import type { DeploymentPlan } from '../plan/planner';
import { STATE } from '../state';
import { type OutputCheck, expectedOutputs, judge } from '../verify/expected';
import { loadPlan, required } from './common';
import type { ModeContext } from './context';
import { failureMessage, waitForExecution } from './execution';
import { writeLocalSummary, writeSummary } from './summary';
import { batchRunFacts, writeBatchSummary } from './batch';
import { resolveRegion } from '../aws/clients';

/** Clocks of S3 and Step Functions may differ a little; an object this much older than the start still counts. */
export const SKEW_ALLOWANCE_MS = 60_000;

/** What verify needs to know of the run, whichever executor ran it. */
interface RunFacts {
  runId: string;
  status: string;
  startDate: Date | undefined;
  runtimeParams: unknown;
  /** Where the run is, for the report. */
  source: string;
  /** Why the run did not succeed, naming the group. */
  failure(): Promise<string>;
  summary(checks?: OutputCheck[]): Promise<void>;
}

async function executionFacts(ctx: ModeContext, deployment: DeploymentPlan): Promise<RunFacts> {
  const { inputs } = ctx;
  const executionArn = required(ctx, STATE.executionArn, 'mode "run"');
  const { sfn } = ctx.aws();
  const waiting = {
    timeoutMinutes: inputs.timeoutMinutes,
    pollIntervalSeconds: inputs.pollIntervalSeconds,
    onTimeout: inputs.onTimeout,
    clock: ctx.clock,
  };
  let execution = await describeExecution(sfn, executionArn);
  if (execution.status === 'RUNNING') {
    core.info('The execution is still running; waiting for it');
    await waitForExecution(sfn, executionArn, deployment, waiting);
    execution = await describeExecution(sfn, executionArn);
  }
  const input = JSON.parse(execution.input ?? '{}') as { run_id?: string; runtime_params?: unknown };
  const runId = input.run_id ?? required(ctx, STATE.runId, 'mode "run"');
  const status = execution.status ?? 'UNKNOWN';
  return {
    runId,
    status,
    startDate: execution.startDate,
    runtimeParams: input.runtime_params,
    source: executionArn,
    failure: async () =>
      // The execution has ended: this reads its history once and reports the failure as `run` does.
      failureMessage(await waitForExecution(sfn, executionArn, deployment, waiting), executionArn, deployment),
    summary: (checks) => writeSummary(ctx, sfn, { deployment, executionArn, runId, status, ...(checks ? { checks } : {}) }),
  };
}

function localFacts(ctx: ModeContext, deployment: DeploymentPlan): RunFacts {
  const file = required(ctx, STATE.localRun, 'mode "run" with executor local');
  const record = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalExecutionResult & { runId: string; runtimeParams?: unknown };
  return {
    runId: record.runId,
    status: record.status,
    startDate: new Date(record.startDate),
    runtimeParams: record.runtimeParams ?? {},
    source: `local run ${file}`,
    failure: async () => localFailureMessage(record, { timeoutMinutes: ctx.inputs.timeoutMinutes }),
    summary: (checks) => writeLocalSummary(ctx, deployment, record.runId, record, checks),
  };
}

async function batchFacts(ctx: ModeContext, deployment: DeploymentPlan): Promise<RunFacts> {
  const facts = await batchRunFacts(ctx);
  const region = resolveRegion(ctx.inputs.awsRegion, ctx.env);
  return {
    runId: facts.runId,
    status: facts.status,
    startDate: facts.startDate,
    runtimeParams: facts.runtimeParams,
    source: `Batch jobs ${Object.values(facts.groupIds).join(', ')}`,
    failure: async () => facts.failure ?? `the run ended ${facts.status}`,
    summary: (checks) =>
      writeBatchSummary(ctx, deployment, { runId: facts.runId, region, groupIds: facts.groupIds, outcome: facts.outcome, ...(checks ? { checks } : {}) }),
  };
}

export async function verifyMode(ctx: ModeContext): Promise<void> {
  const { inputs } = ctx;
  const { plan, deployment } = loadPlan(ctx);
  const { s3 } = ctx.aws();
  const reportFile = path.join(ctx.workDir, 'verify-report.json');
  ctx.setOutput(OUTPUT.verified, 'false');
  ctx.setOutput(OUTPUT.report, reportFile);

  const run =
    inputs.target === 'batch'
      ? await batchFacts(ctx, deployment)
      : inputs.executor === 'local'
        ? localFacts(ctx, deployment)
        : await executionFacts(ctx, deployment);
  const write = (checks: OutputCheck[], verdict: string) =>
    fs.writeFileSync(
      reportFile,
      `${JSON.stringify({ run: run.source, runId: run.runId, status: run.status, startDate: run.startDate, verdict, outputs: checks }, null, 2)}\n`,
    );

  if (run.status !== 'SUCCEEDED') {
    write([], 'failed: the run did not succeed');
    await run.summary();
    throw new ActionError(`verify failed: ${await run.failure()}`);
  }
  if (JSON.stringify(run.runtimeParams ?? {}) !== JSON.stringify(plan.runtime_params ?? {})) {
    throw new ActionError(
      `verify cannot tell where this run wrote: the plan was exported with runtime params ${JSON.stringify(plan.runtime_params)} ` +
        `but the run used ${JSON.stringify(run.runtimeParams ?? {})}; give "package" the same "runtime-params" as "run"`,
    );
  }

  const expected = expectedOutputs(plan, run.runId, inputs.expect);
  const notBefore = new Date((run.startDate ?? new Date(0)).getTime() - SKEW_ALLOWANCE_MS);
  core.info(`Checking ${expected.length} output(s) of run ${run.runId} (written since ${notBefore.toISOString()})`);
  const checks: OutputCheck[] = [];
  for (const output of expected) {
    let check = judge(output, await objectsAt(s3, output.bucket, output.key, output.folder), notBefore);
    if (check.verdict === 'missing' && output.versioned) {
      // Older runs' versions there, but not this one: the output is from another run.
      const datasetKey = output.key.split('/').slice(0, -2).join('/');
      const versions = await versionsAt(s3, output.bucket, datasetKey);
      if (versions.length) {
        check = { ...check, verdict: 'stale', detail: `no version ${run.runId}; the newest there is ${versions.at(-1)}` };
      }
    }
    checks.push(check);
    core.info(`  ${check.verdict === 'ok' ? 'ok' : check.verdict.toUpperCase()}  ${check.dataset}  ${check.url}  ${check.detail}`);
  }
  const bad = checks.filter((c) => c.verdict !== 'ok');
  write(checks, bad.length ? 'failed' : 'verified');
  await run.summary(checks);
  if (bad.length) {
    throw new ActionError(
      `verify failed: ${bad.length} of ${checks.length} output(s) of run ${run.runId} are not right:\n` +
        bad.map((c) => `- ${c.dataset} (${c.url}): ${c.verdict}, ${c.detail}`).join('\n'),
    );
  }
  ctx.setOutput(OUTPUT.verified, 'true');
  core.info(`Verified: the run SUCCEEDED and all ${checks.length} output(s) were written by run ${run.runId}`);
}
