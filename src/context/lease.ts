/**
 * One run of a stage at a time. Before a run starts, `run` takes the stage's lease: a record written
 * with a conditional write (S3 If-None-Match), so two runs cannot both take it. The lease names the run
 * (its holder: the run identity of src/context/identity.ts), and once started the execution or jobs,
 * so that a later run can ask the service whether it still goes. A lease is free when its run has
 * ended (the service says so), or, when the service cannot tell (the local executor), once it expires.
 * With `if-busy: wait` a run waits for the stage (up to `timeout-minutes`, with a notice naming the
 * other run), with `fail` it fails at once.
 */
import * as core from '@actions/core';
import { deleteObject, putIfAbsent, putIfUnchanged, readLease } from '../aws/records';
import { ActionError } from '../lib/errors';
import { type Lease, type LeaseRun, layout } from '../verify/records';
import { type LoadedPlan, originOf, stageRecords } from './common';
import type { ModeContext } from './context';

/** A lease outlives the action's own wait by this much before another run may take it over. */
const EXPIRY_MARGIN_MS = 10 * 60_000;
/** How often a waiting run looks again, and says it still waits. */
const RECHECK_MS = 15_000;
const NOTICE_EVERY_MS = 60_000;

export interface HeldLease {
  /** Records the started run (execution ARN, job ids) in the lease. */
  attach(run: LeaseRun): Promise<void>;
  /** Frees the stage (when the lease is still this run's). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  runId: string;
  identity: string;
  /** Whether the run a lease names still goes (the backend asks its service). */
  stillRunning(run: LeaseRun): Promise<boolean | undefined>;
}

function describe(lease: Lease): string {
  const link = lease.origin.workflow_run_url ? `, workflow run ${lease.origin.workflow_run_url}` : '';
  const what = lease.run.execution_arn
    ? `, execution ${lease.run.execution_arn}`
    : lease.run.job_ids?.length
      ? `, ${lease.run.job_ids.length} Batch job(s)`
      : '';
  return `run ${lease.run_id}${what}${link}`;
}

export async function acquireStage(ctx: ModeContext, loaded: LoadedPlan, options: LeaseOptions): Promise<HeldLease> {
  const { deployment } = loaded;
  const { root } = stageRecords(ctx, loaded);
  const { s3 } = ctx.aws();
  const key = layout.lease(root, deployment.project, deployment.stage);
  const mine = (): Lease => ({
    kind: 'kedro-aws-lease',
    version: 1,
    holder: options.identity,
    run_id: options.runId,
    expires: ctx.clock.now() + ctx.inputs.timeoutMinutes * 60_000 + EXPIRY_MARGIN_MS,
    origin: originOf(ctx),
    run: {},
  });
  const started = ctx.clock.now();
  let lastNotice: number | undefined;
  for (;;) {
    if (await putIfAbsent(s3, root.bucket, key, mine())) break;
    const held = await readLease(s3, root, deployment.project, deployment.stage);
    if (!held) continue; // released meanwhile: try again
    const other = held.value;
    const running = other.holder === options.identity ? false : await options.stillRunning(other.run);
    const free = running === false || (running === undefined && other.expires < ctx.clock.now());
    if (free) {
      if (await putIfUnchanged(s3, root.bucket, key, held.etag, mine())) {
        if (other.holder !== options.identity)
          core.info(`Stage "${deployment.stage}": ${describe(other)} has ended; taking the stage`);
        break;
      }
      continue; // someone else took it first: look again
    }
    if (ctx.inputs.ifBusy === 'fail') {
      throw new ActionError(
        `stage "${deployment.stage}" is busy: ${describe(other)} is still going ("if-busy: fail"). ` +
          'Wait for it, or set "if-busy: wait"',
      );
    }
    const waited = ctx.clock.now() - started;
    if (waited >= ctx.inputs.timeoutMinutes * 60_000) {
      throw new ActionError(
        `stage "${deployment.stage}" was still busy after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes"): ` +
          `${describe(other)} is still going; nothing was started`,
      );
    }
    if (lastNotice === undefined || ctx.clock.now() - lastNotice >= NOTICE_EVERY_MS) {
      lastNotice = ctx.clock.now();
      core.notice(
        `Stage "${deployment.stage}" is busy: waiting for ${describe(other)} to end ("if-busy: wait"; ` +
          `${Math.round(waited / 60_000)} of ${ctx.inputs.timeoutMinutes} minute(s)).`,
      );
    }
    await ctx.clock.sleep(RECHECK_MS);
  }
  let run: LeaseRun = {};
  return {
    attach: async (started: LeaseRun) => {
      run = started;
      const held = await readLease(s3, root, deployment.project, deployment.stage);
      if (held?.value.holder !== options.identity) return;
      await putIfUnchanged(s3, root.bucket, key, held.etag, { ...held.value, run });
    },
    release: async () => {
      const held = await readLease(s3, root, deployment.project, deployment.stage);
      if (held?.value.holder === options.identity) await deleteObject(s3, root.bucket, key);
    },
  };
}
