/** Teardown, target step-functions: the stage's state machine and Lambda functions (only those tagged for it). */
import * as core from '@actions/core';
import { removeStaleFunctions } from '../../aws/lambda';
import { deleteOwnedStateMachine } from '../../aws/stepfunctions';
import { type LoadedPlan, ownerTags } from '../../context/common';
import type { ModeContext } from '../../context/context';
import { awsName } from '../../plan/names';

export async function teardownStateMachine(ctx: ModeContext, { deployment }: LoadedPlan): Promise<void> {
  const { lambda, sfn } = ctx.aws();
  const owner = ownerTags(deployment);
  const machine = await deleteOwnedStateMachine(sfn, deployment.names.stateMachine, owner);
  core.info(
    machine
      ? `  deleted state machine ${machine}`
      : `  no state machine ${deployment.names.stateMachine} of this stage`,
  );

  const removed = await removeStaleFunctions(lambda, {
    keep: new Set(),
    namePrefix: `${awsName('lambda', [deployment.project, deployment.stage])}-`,
    ownerTags: owner,
  });
  core.info(`  deleted ${removed.length} Lambda function(s)${removed.length ? `: ${removed.join(', ')}` : ''}`);
}
