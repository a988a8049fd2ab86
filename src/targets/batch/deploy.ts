/**
 * Deploy, target batch: a revision of the stage's job definition for the image and for the platform
 * of the job queue (EC2 or Fargate: one job definition per platform per stage), registered only when
 * the latest ACTIVE one differs. Also used by target step-functions for its `compute: batch` groups.
 * Settings the platform refuses (vCPUs and memory), and a queue whose capacity cannot run the image's
 * architecture, are refused before anything changes.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import { ensureJobDefinition, type JobDefinitionResult } from '../../aws/batch';
import { loadPlan, required, stageRecords, stageTags } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { imagePlatform } from '../../context/image';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { INPUT } from '../../inputs';
import { ActionError } from '../../lib/errors';
import { batchSettingsProblems, buildJobGraph, jobDefinitionSpec } from '../../plan/batch';
import { cpuArchitectureOf, queueArchitectureProblems } from '../../plan/batch-architecture';
import { PlanningError } from '../../plan/errors';
import { batchPlatform } from './platform';

export interface BatchDeployOptions {
  /** The IAM role the jobs run as; default: the `batch-job-role-arn` input. */
  jobRoleArn?: string;
  /** The job queue whose platform the job definition is for; default: the `batch-job-queue` input. */
  jobQueue?: string;
  /** A client of its own (tests: another emulator); default: the step's. */
  client?: BatchClient;
  /**
   * True when the job definition is for the `compute: batch` groups of a Step Functions machine
   * (target step-functions): only those groups' settings are checked against Batch's limits. Default:
   * target batch, every group runs as a job.
   */
  forStateMachine?: boolean;
}

/** Registers the stage's job definition unless the latest ACTIVE revision already matches; outputs its ARN. */
export async function deployBatch(ctx: ModeContext, options: BatchDeployOptions = {}): Promise<JobDefinitionResult> {
  const { plan, deployment } = loadPlan(ctx);
  const imageUri = required(ctx, STATE.imageUri, 'mode "build"');
  const jobRoleArn = options.jobRoleArn ?? ctx.inputs.batchJobRoleArn;
  if (!jobRoleArn) {
    throw new ActionError(
      `input "${INPUT.batchJobRoleArn}" is required by mode "deploy" with target batch: the IAM role the jobs run as ` +
        '(it needs the S3 access of the datasets)',
    );
  }
  const client = options.client ?? ctx.aws().batch;
  const platform = await batchPlatform(ctx, client, options.jobQueue ?? ctx.inputs.batchJobQueue, 'deploy');
  const executionRoleArn = ctx.inputs.batchExecutionRoleArn;
  if (platform.platform === 'FARGATE' && !executionRoleArn) {
    throw new ActionError(
      `input "${INPUT.batchExecutionRoleArn}" is required by mode "deploy" when the Batch jobs run on Fargate ` +
        `(${platform.why}): the IAM role ECS pulls the image and writes the jobs' logs with (the bootstrap's ` +
        'BatchExecutionRoleArn output)',
    );
  }
  // The queue's capacity must run the image's architecture (Fargate Spot runs no ARM64 job; an EC2
  // instance runs only images of its own): refused before anything changes. Only a queue that was read
  // says it; with "batch-platform" given, the queue is not read.
  const image = { uri: imageUri, platform: imagePlatform(ctx, imageUri) };
  if (platform.queue) {
    const check = queueArchitectureProblems(platform.queue.name, platform.platform, platform.queue.environments, image);
    for (const warning of check.warnings) core.warning(warning);
    if (check.problems.length > 0) throw new ActionError(check.problems.join('\n'));
  }
  // Settings Batch would refuse are refused now, before anything is changed.
  const onBatch = options.forStateMachine
    ? deployment.groups.filter((g) => g.settings.compute === 'batch')
    : deployment.groups;
  const problems = batchSettingsProblems(onBatch, platform);
  if (problems.length > 0) throw new PlanningError(problems);
  const joins = options.forStateMachine ? 0 : buildJobGraph(deployment, platform).joins;
  const spec = jobDefinitionSpec(deployment, {
    imageUri,
    jobRoleArn,
    packageName: plan.project.package_name,
    recordsUrl: stageRecords(ctx, { plan, deployment }).url,
    tags: stageTags(ctx, deployment),
    platform: platform.platform,
    ...(executionRoleArn ? { executionRoleArn } : {}),
    assignPublicIp: ctx.inputs.batchAssignPublicIp,
    cpuArchitecture: cpuArchitectureOf(image.platform),
  });
  const result = await ensureJobDefinition(client, spec);
  const what = result.change === 'updated' ? ` (${result.differences.join(', ')})` : '';
  core.info(
    `Job definition ${spec.jobDefinitionName} (${platform.platform}${platform.platform === 'FARGATE' ? `, ${cpuArchitectureOf(image.platform)}` : ''}) revision ${result.revision} ${result.change}${what}: ` +
      result.arn,
  );
  core.info(
    `  ${onBatch.length} group(s) will run as jobs of it` +
      (joins ? `, with ${joins} join job(s) for dependencies beyond 20 per job` : ''),
  );
  ctx.remember({ [STATE.jobDefinitionArn]: result.arn });
  ctx.setOutput(OUTPUT.jobDefinitionArn, result.arn);
  return result;
}
