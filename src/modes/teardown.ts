/**
 * mode: teardown. Removes a stage: its Lambda functions and state machine (only those tagged with this
 * project and stage) and the outputs its runs wrote (the S3 paths of the datasets the pipeline produces,
 * as the plan resolves them with this stage's runtime params; raw inputs are never touched).
 */
import * as core from '@actions/core';
import { removeStaleFunctions } from '../aws/lambda';
import { deletePrefix } from '../aws/s3';
import { deleteOwnedStateMachine } from '../aws/stepfunctions';
import { awsName } from '../plan/names';
import { parseS3Url } from '../verify/expected';
import { loadPlan, ownerTags } from './common';
import type { ModeContext } from './context';
import { deactivateDeployments } from './publish';

export async function teardownMode(ctx: ModeContext): Promise<void> {
  const { plan, deployment } = loadPlan(ctx);
  const { lambda, sfn, s3 } = ctx.aws();
  const owner = ownerTags(deployment);
  core.info(`Tearing down stage "${deployment.stage}" of ${deployment.project}`);

  const machine = await deleteOwnedStateMachine(sfn, deployment.names.stateMachine, owner);
  core.info(machine ? `  deleted state machine ${machine}` : `  no state machine ${deployment.names.stateMachine} of this stage`);

  const removed = await removeStaleFunctions(lambda, {
    keep: new Set(),
    namePrefix: `${awsName('lambda', [deployment.project, deployment.stage])}-`,
    ownerTags: owner,
  });
  core.info(`  deleted ${removed.length} Lambda function(s)${removed.length ? `: ${removed.join(', ')}` : ''}`);

  const outputs = plan.datasets.filter((d) => d.producer !== null && d.persisted && d.protocol === 's3' && d.filepath);
  let objects = 0;
  for (const dataset of outputs) {
    const { bucket, key } = parseS3Url(dataset.filepath!);
    objects += await deletePrefix(s3, bucket, key);
  }
  await deactivateDeployments(ctx, deployment.stage);
  core.info(`  deleted ${objects} object(s) of ${outputs.length} output dataset(s) (runtime params ${JSON.stringify(plan.runtime_params)})`);
}
