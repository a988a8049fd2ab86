/**
 * Teardown, target step-functions: the stage's state machines, Lambda functions and the job definition
 * of its `compute: batch` groups, found by their project and stage tags (never by a name prefix: long
 * names are cut and hashed to fit AWS's limits).
 */
import * as core from '@actions/core';
import { deregisterJobDefinitionsTagged } from '../../aws/batch';
import { removeStaleFunctions } from '../../aws/lambda';
import { deleteStateMachinesTagged } from '../../aws/stepfunctions';
import { type LoadedPlan, ownerTags } from '../../context/common';
import type { ModeContext } from '../../context/context';

export async function teardownStateMachine(ctx: ModeContext, { deployment }: LoadedPlan): Promise<string[]> {
  const { lambda, sfn, batch } = ctx.aws();
  const owner = ownerTags(deployment);
  const removed: string[] = [];
  const machines = await deleteStateMachinesTagged(sfn, owner);
  core.info(
    machines.length ? `  deleted state machine(s) ${machines.join(', ')}` : `  no state machine tagged for this stage`,
  );
  removed.push(...machines.map((m) => `state machine ${m}`));
  const functions = await removeStaleFunctions(lambda, { keep: new Set(), ownerTags: owner });
  core.info(`  deleted ${functions.length} Lambda function(s)${functions.length ? `: ${functions.join(', ')}` : ''}`);
  removed.push(...functions.map((f) => `function ${f}`));
  if (deployment.groups.some((g) => g.settings.compute === 'batch')) {
    const definitions = await deregisterJobDefinitionsTagged(batch, owner);
    if (definitions.length) core.info(`  deregistered job definition(s) ${definitions.join(', ')}`);
    removed.push(...definitions.map((d) => `job definition ${d}`));
  }
  return removed;
}
