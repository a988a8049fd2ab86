/**
 * mode: verify, the merge gate. The run must have SUCCEEDED (read back through the target's backend,
 * which waits for it if it still goes, with the same waiting code as `run`), and every expected output
 * must be on S3, non-empty and written by THIS run: versioned datasets at exactly
 * <filepath>/<run_id>/<basename>, the others with a LastModified after the run started (the service's
 * clock, less a small skew allowance).
 */

import * as path from 'node:path';
import * as core from '@actions/core';
import { objectsAt, versionsAt } from '../aws/s3';
import { loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { ActionError } from '../lib/errors';
import { writePrivateFile } from '../lib/files';
import { type Backend, backendFor } from '../targets';
import { expectedOutputs, judge, type OutputCheck } from '../verify/expected';
import { failRun } from './failure';

/** Clocks of S3 and Step Functions may differ a little; an object this much older than the start still counts. */
export const SKEW_ALLOWANCE_MS = 60_000;

export async function verifyMode(ctx: ModeContext, backend?: Backend): Promise<void> {
  const { inputs } = ctx;
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const { plan } = loaded;
  const { s3 } = ctx.aws();
  const reportFile = path.join(ctx.workDir, 'verify-report.json');
  ctx.setOutput(OUTPUT.verified, 'false');
  ctx.setOutput(OUTPUT.report, reportFile);

  const run = await chosen.facts(ctx, loaded);
  ctx.setOutput(OUTPUT.status, run.status);
  const write = (checks: OutputCheck[], verdict: string) =>
    writePrivateFile(
      reportFile,
      `${JSON.stringify({ run: run.source, runId: run.runId, status: run.status, startDate: run.startDate, verdict, outputs: checks }, null, 2)}\n`,
    );

  if (run.status !== 'SUCCEEDED') {
    write([], 'failed: the run did not succeed');
    await failRun(ctx, run, 'verify failed: ');
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
        check = {
          ...check,
          verdict: 'stale',
          detail: `no version ${run.runId}; the newest there is ${versions.at(-1)}`,
        };
      }
    }
    checks.push(check);
    core.info(
      `  ${check.verdict === 'ok' ? 'ok' : check.verdict.toUpperCase()}  ${check.dataset}  ${check.url}  ${check.detail}`,
    );
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
