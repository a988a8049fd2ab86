/**
 * Deploy, target step-functions: one Lambda function per group from the image, then the state machine
 * whose waiting follows the group graph. Compares before writing: a redeploy with nothing changed makes
 * no mutating call. Removes the functions of groups that no longer exist in this stage. Groups that say
 * `compute: batch` run as Batch jobs of the same machine: their job definition is deployed first.
 * Groups that say `compute: sagemaker` run as SageMaker training jobs the machine creates: nothing to
 * deploy for them but their Task (sagemaker.ts).
 */
import * as core from '@actions/core';
import { resolveRegion } from '../../aws/config';
import { ensureFunction, removeStaleFunctions } from '../../aws/lambda';
import { ensureStateMachine } from '../../aws/stepfunctions';
import { type LoadedPlan, logSchedule, ownerTags, required, stageRecords, stageTags } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { imagePlatform } from '../../context/image';
import { OUTPUT } from '../../context/outputs';
import { STATE } from '../../context/state';
import { INPUT } from '../../inputs';
import { ActionError } from '../../lib/errors';
import { groupEnvironment } from '../../plan/environment';
import { awsName } from '../../plan/names';
import { buildDefinition } from '../../plan/statemachine';
import { stateMachineConsoleUrl } from '../../report/links';
import { deployBatch } from '../batch/deploy';
import { sagemakerOptions } from './sagemaker';

function requireRole(value: string | undefined, input: string, what: string): string {
  if (!value) throw new ActionError(`input "${input}" is required by mode "deploy": the IAM role ${what}`);
  return value;
}

/** Deploys the stage; returns the console URL of the state machine (the environment URL of the deployment). */
export async function deployStateMachine(ctx: ModeContext, { plan, deployment }: LoadedPlan): Promise<string> {
  const { inputs } = ctx;
  // Groups that say `compute: batch` run as Batch jobs from the same machine: their job definition first.
  const onBatch = deployment.groups.filter((g) => g.settings.compute === 'batch');
  let batch: { jobQueue: string; jobDefinition: string } | undefined;
  if (onBatch.length > 0) {
    if (!inputs.batchJobQueue) {
      throw new ActionError(
        `input "batch-job-queue" is required: group(s) ${onBatch.map((g) => g.name).join(', ')} say compute: batch`,
      );
    }
    const definition = await deployBatch(ctx, { forStateMachine: true });
    batch = { jobQueue: inputs.batchJobQueue, jobDefinition: definition.arn };
  }
  const imageUri = required(ctx, STATE.imageUri, 'mode "build"');
  const lambdaRole = requireRole(inputs.lambdaRoleArn, INPUT.lambdaRoleArn, 'the Lambda functions run as');
  const sfnRole = requireRole(inputs.sfnRoleArn, INPUT.sfnRoleArn, 'the state machine runs as');
  const sagemaker = sagemakerOptions(
    ctx,
    { plan, deployment },
    { roleArn: inputs.sagemakerRoleArn, imageUri, region: resolveRegion(inputs.awsRegion, ctx.env) },
  );
  const { lambda, sfn } = ctx.aws();
  const tags = stageTags(ctx, deployment);
  const recordsUrl = stageRecords(ctx, { plan, deployment }).url;
  const sha = tags['kedro-aws:git-sha'];

  const platform = imagePlatform(ctx, imageUri);
  const architecture = platform === 'linux/arm64' ? 'arm64' : 'x86_64';
  core.info(`Deploying ${deployment.groups.length} Lambda function(s) from ${imageUri} (${architecture})`);
  const arns: Record<string, string> = {};
  const created: string[] = [];
  try {
    for (const group of deployment.groups.filter((g) => g.settings.compute === 'lambda')) {
      const result = await ensureFunction(lambda, {
        name: group.names.lambdaFunction,
        imageUri,
        architecture,
        roleArn: lambdaRole,
        memoryMb: group.settings.memory_mb,
        timeoutSeconds: group.settings.timeout_seconds,
        description: `Kedro ${plan.project.package_name} group ${group.name} (${deployment.stage})`.slice(0, 256),
        environment: groupEnvironment({ packageName: plan.project.package_name, env: deployment.env, recordsUrl }),
        tags,
      });
      arns[group.name] = result.arn;
      if (result.change === 'created') created.push(result.name);
      const what = result.change === 'updated' ? ` (${result.differences.join(', ')})` : '';
      const woken = result.readiness === 'reactivated' ? ' (it was Inactive, idle: reactivated)' : '';
      core.info(`  ${group.name}: ${result.name} ${result.change}${what}${woken}`);
    }
  } catch (error) {
    // Say what is left behind, so a failed deploy is never a silent half-deploy.
    const left = Object.keys(arns);
    const note = left.length
      ? `\nDeployed before the failure: ${left.join(', ')} (the state machine was not changed).`
      : '\nNothing was changed.';
    throw new ActionError(`${(error as Error).message}${note}`);
  }

  // A group moved to Batch gives up its function too.
  const keep = new Set(
    deployment.groups.filter((g) => g.settings.compute === 'lambda').map((g) => g.names.lambdaFunction),
  );
  const removed = await removeStaleFunctions(lambda, {
    keep,
    // Functions of this stage start with <project>-<stage> (tags decide; the prefix only narrows the look).
    namePrefix: commonPrefix([...keep, `${awsName('lambda', [deployment.project, deployment.stage])}-`]),
    ownerTags: ownerTags(deployment),
  });
  for (const name of removed) core.info(`  removed ${name} (its group is no longer in the pipeline)`);

  const built = buildDefinition(deployment, {
    schedule: inputs.schedule,
    env: deployment.env,
    packageName: plan.project.package_name,
    functionArn: (group) => arns[group.name]!,
    // Schedule exact: a gated Batch group's gate runs on a Lambda group's function (any does).
    ...(Object.keys(arns).length > 0 ? { gateFunctionArn: Object.values(arns)[0] } : {}),
    ...(batch ? { batch } : {}),
    ...(sagemaker ? { sagemaker } : {}),
  });
  logSchedule(built);
  const machine = await ensureStateMachine(sfn, {
    name: deployment.names.stateMachine,
    definition: built.json,
    roleArn: sfnRole,
    tags,
    versionDescription: `kedro-aws-action ${deployment.stage} at ${sha}`.slice(0, 256),
  });
  if (machine.versionError) core.debug(machine.versionError);
  const what = machine.change === 'updated' ? ` (${machine.differences.join(', ')})` : '';
  core.info(
    `State machine ${deployment.names.stateMachine} ${machine.change}${what}: ${stateMachineConsoleUrl(machine.arn)}`,
  );

  ctx.remember({ [STATE.stateMachineArn]: machine.arn });
  ctx.setOutput(OUTPUT.stateMachineArn, machine.arn);
  ctx.setOutput(OUTPUT.stateMachineVersionArn, machine.versionArn ?? '');
  ctx.setOutput(OUTPUT.lambdaFunctionArns, JSON.stringify(arns));
  return stateMachineConsoleUrl(machine.arn);
}

function commonPrefix(names: string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
