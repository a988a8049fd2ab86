/**
 * mode: deploy. Checks that the image was built from this step's package (its labels), then creates or
 * updates the stage's resources through the target's backend (compare before write: a redeploy with
 * nothing changed makes no mutating call), inside a GitHub deployment of the stage that ends `success`
 * with the console URL, or `failure`.
 */
import { loadPlan } from '../context/common';
import type { ModeContext } from '../context/context';
import { checkImage } from '../context/image';
import { claimStageOutputs } from '../context/proof';
import { trackDeployment } from '../context/publish';
import { type Backend, backendFor } from '../targets';

export async function deployMode(ctx: ModeContext, backend?: Backend): Promise<void> {
  const chosen = backend ?? (await backendFor(ctx));
  const tracked = await trackDeployment(
    ctx,
    ctx.inputs.stage,
    `kedro-aws-action: ${ctx.inputs.target} stage ${ctx.inputs.stage}`,
  );
  try {
    const loaded = loadPlan(ctx);
    // Before anything is deployed: the image is built from this step's package (or allowed not to be),
    await checkImage(ctx, loaded);
    // and no other stage may write where this one does.
    await claimStageOutputs(ctx, loaded);
    const consoleUrl = await chosen.deploy(ctx, loaded);
    await tracked.finish('success', consoleUrl);
  } catch (error) {
    await tracked.finish('failure');
    throw error;
  }
}
