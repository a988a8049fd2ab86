/**
 * mode: verify, the merge gate. The run must have SUCCEEDED (read back through the target's backend,
 * which waits for it if it still goes, with the same waiting code as `run`), and every expected output
 * must be proven written by THIS run: this run's records (what its groups wrote, src/verify/records.ts)
 * hold at least one object of it, and each such object is still the one the run wrote (its ETag, and
 * its version or Last-Modified). No clock window anywhere.
 */

import * as path from 'node:path';
import * as core from '@actions/core';
import { loadPlan, sameParams } from '../context/common';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { proveOutputs } from '../context/proof';
import { ActionError } from '../lib/errors';
import { writePrivateFile } from '../lib/files';
import { type Backend, backendFor } from '../targets';
import { expectedOutputs, type UncheckedOutput, uncheckedOutputs } from '../verify/expected';
import { type ProofCheck, recordsRoot, recordsRootUrl } from '../verify/records';
import { failRun } from './failure';

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
  let unchecked: UncheckedOutput[] = [];
  const write = (checks: ProofCheck[], verdict: string) =>
    writePrivateFile(
      reportFile,
      `${JSON.stringify({ run: run.source, runId: run.runId, status: run.status, startDate: run.startDate, verdict, outputs: checks, unchecked }, null, 2)}\n`,
    );

  if (run.status !== 'SUCCEEDED') {
    write([], 'failed: the run did not succeed');
    await failRun(ctx, run, 'verify failed: ');
  }
  if (!sameParams(run.runtimeParams ?? {}, plan.runtime_params ?? {})) {
    throw new ActionError(
      `verify cannot tell where this run wrote: the plan was exported with runtime params ${JSON.stringify(plan.runtime_params)} ` +
        `but the run used ${JSON.stringify(run.runtimeParams ?? {})}; give "package" the same "runtime-params" as "run"`,
    );
  }

  const expected = expectedOutputs(plan, run.runId, inputs.expect);
  unchecked = uncheckedOutputs(plan, expected);
  if (unchecked.length) {
    core.info(`Not checked: ${unchecked.length} output(s) of pipeline "${plan.pipeline}"`);
    for (const u of unchecked) core.info(`  ${u.dataset}: ${u.reason}`);
  }
  const root = recordsRoot(plan, inputs.runRecords);
  const { project, stage } = loaded.deployment;
  core.info(`Checking ${expected.length} output(s) against the records of run ${run.runId} (${recordsRootUrl(root)})`);
  const checks = await proveOutputs(s3, { root, project, stage, runId: run.runId }, expected);
  for (const check of checks) {
    core.info(
      `  ${check.verdict === 'ok' ? 'ok' : check.verdict.toUpperCase()}  ${check.dataset}  ${check.url}  ${check.detail}`,
    );
  }
  const bad = checks.filter((c) => c.verdict !== 'ok');
  write(checks, bad.length ? 'failed' : 'verified');
  await run.summary(checks, unchecked);
  if (bad.length) {
    throw new ActionError(
      `verify failed: ${bad.length} of ${checks.length} output(s) of run ${run.runId} are not right:\n` +
        bad.map((c) => `- ${c.dataset} (${c.url}): ${c.verdict}, ${c.detail}`).join('\n'),
    );
  }
  ctx.setOutput(OUTPUT.verified, 'true');
  core.info(`Verified: the run SUCCEEDED and all ${checks.length} output(s) were written by run ${run.runId}`);
}
