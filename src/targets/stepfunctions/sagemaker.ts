/**
 * Target step-functions, the groups that say `compute: sagemaker`: what their training jobs need from
 * the stage (the role, the image, where SageMaker puts a job's output, the environment, the tags), for
 * the definition `deploy` creates and the one the local executor runs.
 *
 * No SageMaker call is made by the action: Step Functions creates, follows and stops the jobs (the
 * `.sync` integration, with the state machine role), and the execution's history carries what the
 * summary shows of them.
 */
import { TASK_ROOT } from '../../build/layout';
import { type LoadedPlan, ownerTags, stageRecords } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { INPUT } from '../../inputs';
import { ActionError } from '../../lib/errors';
import { groupEnvironment } from '../../plan/environment';
import type { SageMakerOptions } from '../../plan/sagemaker';

/** The folder, under the stage's run records, where SageMaker puts each job's output (teardown removes it). */
export const SAGEMAKER_OUTPUT_FOLDER = 'sagemaker/';

/** The SageMaker groups of a deployment, by name. */
export function sagemakerGroups(loaded: LoadedPlan): string[] {
  return loaded.deployment.groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
}

/**
 * What the definition needs for the SageMaker groups, or undefined when there are none.
 *
 * @param job.roleArn the role the jobs run as (the `sagemaker-role-arn` input; required on AWS).
 * @param job.imageUri the stage's image, pinned by digest.
 * @param job.region the stage's region.
 */
export function sagemakerOptions(
  ctx: ModeContext,
  loaded: LoadedPlan,
  job: { roleArn: string | undefined; imageUri: string; region: string },
): SageMakerOptions | undefined {
  const groups = sagemakerGroups(loaded);
  if (groups.length === 0) return undefined;
  if (!job.roleArn) {
    throw new ActionError(
      `input "${INPUT.sagemakerRoleArn}" is required by mode "deploy": group(s) ${groups.join(', ')} say compute: ` +
        "sagemaker, and their training jobs run as that IAM role (the bootstrap stack's SageMakerRoleArn output)",
    );
  }
  if (ctx.inputs.platform === 'linux/arm64') {
    throw new ActionError(
      `input "${INPUT.platform}" is linux/arm64, but group(s) ${groups.join(', ')} say compute: sagemaker, whose ` +
        'training instances run linux/amd64 images; build the image for linux/amd64, or run those groups elsewhere',
    );
  }
  const { plan, deployment } = loaded;
  const recordsUrl = stageRecords(ctx, loaded).url;
  return {
    roleArn: job.roleArn,
    imageUri: job.imageUri,
    outputPath: `${recordsUrl}${SAGEMAKER_OUTPUT_FOLDER}`,
    environment: {
      ...groupEnvironment({ packageName: plan.project.package_name, env: deployment.env, recordsUrl }),
      // The image's task root (layout.ts): where the project, its dependencies and the runtime are installed,
      // and where the conf is found. A Lambda function gets both from its runtime; a container does not.
      LAMBDA_TASK_ROOT: TASK_ROOT,
      PYTHONPATH: TASK_ROOT,
      // The stage's region, for the SDK in the container (Lambda sets it for a function; a container may not).
      AWS_REGION: job.region,
      AWS_DEFAULT_REGION: job.region,
    },
    tags: ownerTags(deployment),
  };
}
