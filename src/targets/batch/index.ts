/**
 * Target batch: one AWS Batch job per group, all submitted up front with `dependsOn`, from one job
 * definition per stage. No driver: the run goes on without the workflow once submitted.
 */
import * as core from '@actions/core';
import { deregisterJobDefinitionsTagged, describeJobs, FINISHED_STATUSES } from '../../aws/batch';
import { resolveRegion } from '../../aws/clients';
import { ownerTags } from '../../context/common';
import type { Backend } from '../backend';
import { deployBatch } from './deploy';
import { batchRunFacts } from './facts';
import { writeBatchSummary } from './report';
import { type BatchHandle, type BatchRunOptions, submitBatchRun, waitForBatchRun } from './run';

export type BatchBackendOptions = BatchRunOptions & { jobRoleArn?: string };

/** The Batch backend; `options` replace inputs and the client (tests use a second emulator). */
export function batchBackend(options: BatchBackendOptions = {}): Backend<BatchHandle> {
  return {
    name: 'batch',
    imageKind: 'batch',
    detachedNote:
      'Not waiting ("wait: false"): the jobs go on without this workflow (Batch starts each after its dependencies).',
    deploy: async (ctx) => {
      await deployBatch(ctx, {
        ...(options.jobRoleArn ? { jobRoleArn: options.jobRoleArn } : {}),
        ...(options.jobQueue ? { jobQueue: options.jobQueue } : {}),
        ...(options.client ? { client: options.client } : {}),
      });
      return undefined;
    },
    start: (ctx, loaded, runId) => submitBatchRun(ctx, loaded, runId, options),
    leaseRun: (handle) => ({ job_ids: Object.values(handle.groupIds) }),
    stillRunning: async (ctx, run) => {
      if (!run.job_ids?.length) return undefined;
      const jobs = await describeJobs(options.client ?? ctx.aws().batch, run.job_ids);
      return jobs.some((j) => !FINISHED_STATUSES.has(j.status ?? ''));
    },
    wait: (ctx, loaded, handle) => waitForBatchRun(ctx, loaded, handle, options),
    facts: async (ctx, { deployment }) => {
      const facts = await batchRunFacts(ctx, options);
      const region = resolveRegion(ctx.inputs.awsRegion, ctx.env);
      return {
        runId: facts.runId,
        status: facts.status,
        startDate: facts.startDate,
        runtimeParams: facts.runtimeParams,
        source: `Batch jobs ${Object.values(facts.groupIds).join(', ')}`,
        successLine: `All ${deployment.groups.length} group(s) SUCCEEDED (run id ${facts.runId})`,
        failure: async () => facts.failure ?? `the run ended ${facts.status}`,
        summary: (checks, unchecked) =>
          writeBatchSummary(ctx, deployment, {
            runId: facts.runId,
            region,
            groupIds: facts.groupIds,
            outcome: facts.outcome,
            ...(checks ? { checks } : {}),
            ...(unchecked ? { unchecked } : {}),
          }),
      };
    },
    teardown: async (ctx, { deployment }) => {
      const definitions = await deregisterJobDefinitionsTagged(
        options.client ?? ctx.aws().batch,
        ownerTags(deployment),
      );
      core.info(
        definitions.length
          ? `  deregistered job definition(s) ${definitions.join(', ')}`
          : '  no job definition tagged for this stage',
      );
      return definitions.map((d) => `job definition ${d}`);
    },
  };
}
