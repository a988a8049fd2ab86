/**
 * The image `deploy` is given, read back from its registry: its labels must say it was built from the
 * package of this step (src/build/provenance.ts), or a fixed `image-uri` would silently run old code;
 * and its config says its architecture, which the Lambda functions must have.
 *
 * The registry is asked as `build` asks it: ECR's login (GetAuthorizationToken) for an ECR host, for the
 * `registry` input's host or for a registry on loopback (an emulator's); anonymously anywhere else, so
 * ECR's token never goes to another registry.
 */
import * as path from 'node:path';
import * as core from '@actions/core';
import { resolveRegion } from '../aws/clients';
import { ecrClient, registryLogin } from '../aws/ecr';
import type { Platform } from '../build/layout';
import { confDigest, LABEL, provenanceDifferences, wheelDigest } from '../build/provenance';
import { isLoopbackHost, parseImageRef, RegistryClient, registryEndpoint, resolveImage } from '../build/registry';
import { INPUT } from '../inputs';
import { PLATFORMS } from '../inputs/table';
import { ActionError } from '../lib/errors';
import type { LoadedPlan } from './common';
import type { ModeContext } from './context';
import { STATE } from './state';

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]` → the account (the registry id). */
export function ecrRegistryId(host: string): string | undefined {
  return /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}

/** What the state says of an image's platform: recorded by `build`, or by the `deploy` that read it. */
interface RecordedPlatform {
  image: string;
  platform: Platform;
}

export function recordPlatform(ctx: ModeContext, image: string, platform: Platform): void {
  ctx.remember({ [STATE.imagePlatform]: JSON.stringify({ image, platform } satisfies RecordedPlatform) });
}

/**
 * The platform to deploy `image` with: what the state recorded for that very image (its config, or the
 * build that made it), else the `platform` input.
 */
export function imagePlatform(ctx: ModeContext, image: string): Platform {
  try {
    const recorded = JSON.parse(ctx.get(STATE.imagePlatform) ?? '') as Partial<RecordedPlatform>;
    if (recorded.image === image && (PLATFORMS as readonly string[]).includes(String(recorded.platform)))
      return recorded.platform as Platform;
  } catch {
    // nothing recorded
  }
  return ctx.inputs.platform;
}

export interface ImageConfig {
  labels: Record<string, string>;
  /** `linux/amd64` or `linux/arm64` (undefined for another architecture). */
  platform: Platform | undefined;
  architecture: string | undefined;
}

/** The config of `imageUri` (for `platform` when it names an index), from its registry. */
export async function readImageConfig(ctx: ModeContext, imageUri: string, platform: Platform): Promise<ImageConfig> {
  const ref = parseImageRef(imageUri);
  const override = ctx.inputs.registry ? registryEndpoint(ctx.inputs.registry) : undefined;
  const registryId = ecrRegistryId(ref.registry);
  const ours = registryId !== undefined || override?.host === ref.registry || isLoopbackHost(ref.registry);
  let credentials: { username: string; password: string } | undefined;
  if (ours) {
    const ecr = ecrClient({
      region: resolveRegion(ctx.inputs.awsRegion, ctx.env),
      maxAttempts: ctx.inputs.maxRetries,
      credentials: ctx.credentials(),
      env: ctx.env,
    });
    const login = await registryLogin(ecr, registryId);
    credentials = { username: login.username, password: login.password };
  }
  const client = new RegistryClient({
    registry: override?.host === ref.registry ? override.url : registryEndpoint(ref.registry).url,
    credentials,
  });
  const arch = platform === 'linux/arm64' ? 'arm64' : 'amd64';
  const resolved = await resolveImage(client, ref.repository, ref.reference, { os: 'linux', architecture: arch });
  const config = JSON.parse(
    (await client.getBlob(ref.repository, resolved.manifest.config.digest)).toString('utf8'),
  ) as {
    architecture?: string;
    os?: string;
    config?: { Labels?: Record<string, string> | null };
  };
  const found = `linux/${config.architecture}`;
  return {
    labels: config.config?.Labels ?? {},
    platform: (PLATFORMS as readonly string[]).includes(found) ? (found as Platform) : undefined,
    architecture: config.architecture,
  };
}

/**
 * Before deploy changes anything: the image must be built from this step's package (its wheel and the
 * conf of its env), unless `allow-image-mismatch`. Records the image's platform for the functions.
 */
export async function checkImage(ctx: ModeContext, { deployment }: LoadedPlan): Promise<void> {
  const imageUri = ctx.get(STATE.imageUri);
  if (!imageUri) return; // the backend says what is missing
  if (ctx.inputs.allowImageMismatch) {
    core.info(`Image ${imageUri} not compared with the package (input "${INPUT.allowImageMismatch}")`);
    return;
  }
  const wheel = ctx.get(STATE.wheel);
  const confArchive = ctx.get(STATE.confArchive);
  if (!wheel && !confArchive) {
    core.info(
      `Image ${imageUri} not compared with a package: this job has no "${INPUT.wheel}" nor "${INPUT.confArchive}" ` +
        '(run mode "package" earlier in the job to have it compared)',
    );
    return;
  }
  const expected = {
    ...(wheel ? { wheel: wheelDigest(wheel) } : {}),
    ...(confArchive
      ? { conf: await confDigest(confArchive, deployment.env, path.join(ctx.workDir, 'deploy-conf')) }
      : {}),
    env: deployment.env,
  };
  let config: ImageConfig;
  try {
    config = await readImageConfig(ctx, imageUri, imagePlatform(ctx, imageUri));
  } catch (error) {
    throw new ActionError(
      `cannot read the image ${imageUri} from its registry to compare it with this step's package: ` +
        `${(error as Error).message}. Give an image the registry serves (input "${INPUT.imageUri}"), or set ` +
        `"${INPUT.allowImageMismatch}: true" to deploy it without the comparison.`,
    );
  }
  const differences = provenanceDifferences(config.labels, expected);
  if (differences.length) {
    throw new ActionError(
      `the image ${imageUri} was not built from the package of this step: ${differences.join('; ')}. ` +
        `Deploying it would run other code or conf than "package" just made. Run mode "build" after "package" ` +
        `(or give "${INPUT.imageUri}" the image it built from this package), or set "${INPUT.allowImageMismatch}: true" ` +
        'to deploy it anyway.',
    );
  }
  core.info(
    `Image ${imageUri} was built from this step's package (wheel ${config.labels[LABEL.wheel]}, conf of env ` +
      `"${deployment.env}" ${config.labels[LABEL.conf]}), for ${config.platform ?? `architecture ${config.architecture}`}`,
  );
  if (!config.platform) {
    throw new ActionError(
      `the image ${imageUri} is for architecture ${config.architecture ?? 'unknown'}; Lambda and Batch run linux/amd64 or linux/arm64`,
    );
  }
  recordPlatform(ctx, imageUri, config.platform);
}
