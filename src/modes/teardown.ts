/**
 * mode: teardown. Removes a stage: its compute resources through the target's backend (found by their
 * project and stage tags), then the data its runs wrote as their records prove it (src/verify/records.ts):
 * only objects this stage's records hold and that nobody rewrote since; anything rewritten by another
 * stage is kept and listed. Never by prefix; a stage with no records deletes no data. The stage's
 * GitHub deployments become inactive.
 */
import * as core from '@actions/core';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { sdkErrorOf } from '../aws/errors';
import { loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { removeStageData } from '../context/proof';
import { deactivateDeployments } from '../context/publish';
import { ActionError } from '../lib/errors';
import { type Backend, backendFor } from '../targets';
import { recordsRoot, recordsRootUrl } from '../verify/records';

export async function teardownMode(ctx: ModeContext, backend?: Backend): Promise<void> {
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const { plan, deployment } = loaded;
  const { s3 } = ctx.aws();
  core.info(`Tearing down stage "${deployment.stage}" of ${deployment.project}`);
  const removed = await chosen.teardown(ctx, loaded);

  const root = recordsRoot(plan, ctx.inputs.runRecords);
  let data: Awaited<ReturnType<typeof removeStageData>>;
  try {
    data = await removeStageData(s3, root, deployment.project, deployment.stage);
  } catch (error) {
    const sdk = sdkErrorOf(error);
    if (sdk instanceof S3ServiceException && sdk.name === 'NoSuchBucket') {
      throw new ActionError(
        `teardown: the bucket ${root.bucket} of the run records (${recordsRootUrl(root)}; input "run-records") does not exist, ` +
          `so no data of stage "${deployment.stage}" was removed. Already removed: ${removed.length ? removed.join(', ') : 'nothing'}.`,
      );
    }
    throw error;
  }
  await deactivateDeployments(ctx, deployment.stage);
  core.info(
    `  deleted ${data.deleted.length} object(s) the stage's runs wrote (as its records in ${recordsRootUrl(root)} prove), ` +
      `and ${data.records} record file(s)`,
  );
  for (const url of data.deleted.slice(0, 50)) core.info(`    ${url}`);
  if (data.kept.length) {
    core.warning(
      `Kept ${data.kept.length} object(s) stage "${deployment.stage}" wrote but another stage or run rewrote since:\n` +
        data.kept.map((k) => `  ${k}`).join('\n'),
    );
  }
}
