/**
 * Where the Batch jobs of a stage run, EC2 or Fargate: the `batch-platform` input when it says, else
 * the platform of the job queue (read from AWS: its type, or its compute environments). Deploy
 * registers the job definition of that platform; run builds the jobs' resources for it.
 */
import * as core from '@actions/core';
import type { BatchClient } from '@aws-sdk/client-batch';
import { describeQueuePlatform } from '../../aws/batch';
import type { ModeContext } from '../../context/context';
import { INPUT } from '../../inputs';
import { ActionError } from '../../lib/errors';
import type { PlatformChoice } from '../../plan/batch';

/** The platform of `queue` (or the input's); `mode` names the step in the error when neither is given. */
export async function batchPlatform(
  ctx: ModeContext,
  client: BatchClient,
  queue: string | undefined,
  mode: 'deploy' | 'run',
): Promise<PlatformChoice> {
  const given = ctx.inputs.batchPlatform;
  if (given === 'ec2' || given === 'fargate') {
    return { platform: given === 'ec2' ? 'EC2' : 'FARGATE', why: `the "${INPUT.batchPlatform}" input` };
  }
  if (!queue) {
    throw new ActionError(
      `input "${INPUT.batchJobQueue}" is required by mode "${mode}" with target batch: its compute environments ` +
        `say whether the jobs run on EC2 or Fargate, which the job definition must suit (or set "${INPUT.batchPlatform}" ` +
        'to ec2 or fargate)',
    );
  }
  const choice = await describeQueuePlatform(client, queue);
  core.info(`Batch jobs run on ${choice.platform}: ${choice.why}`);
  return choice;
}
