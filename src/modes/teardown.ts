/**
 * mode: teardown. Removes a stage: its compute resources through the target's backend (only those
 * tagged with this project and stage) and the outputs its runs wrote (the S3 paths of the datasets the
 * pipeline produces, as the plan resolves them with this stage's runtime params; raw inputs are never
 * touched). The stage's GitHub deployments become inactive.
 */
import * as core from '@actions/core';
import { deletePrefix } from '../aws/s3';
import { loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { deactivateDeployments } from '../context/publish';
import { type Backend, backendFor } from '../targets';
import { catalogHint, parseS3Url } from '../verify/expected';

export async function teardownMode(ctx: ModeContext, backend?: Backend): Promise<void> {
  const chosen = backend ?? (await backendFor(ctx));
  const loaded = loadPlan(ctx);
  const { plan, deployment } = loaded;
  const { s3 } = ctx.aws();
  core.info(`Tearing down stage "${deployment.stage}" of ${deployment.project}`);
  await chosen.teardown(ctx, loaded);

  const outputs = plan.datasets.filter((d) => d.producer !== null && d.persisted && d.protocol === 's3' && d.filepath);
  let objects = 0;
  for (const dataset of outputs) {
    const { bucket, key } = parseS3Url(dataset.filepath!);
    objects += await deletePrefix(s3, bucket, key, { hint: catalogHint(plan.env, dataset.name) });
  }
  await deactivateDeployments(ctx, deployment.stage);
  core.info(
    `  deleted ${objects} object(s) of ${outputs.length} output dataset(s) (runtime params ${JSON.stringify(plan.runtime_params)})`,
  );
}
