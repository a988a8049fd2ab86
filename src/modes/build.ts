/**
 * mode: build. One image for every group, from what `package` made (the wheel, the conf archive, the
 * plan), pushed to ECR and pinned by digest.
 *
 * - The ECR repository is created when missing (scan on push); the registry login comes from
 *   GetAuthorizationToken, its password masked before anything is logged.
 * - builder `oci` (what `auto` picks): no engine, layers built on the runner and pushed with the
 *   registry API (src/build/oci.ts); builder `docker`: `docker buildx build` of a generated Dockerfile, or
 *   of the project's own (`dockerfile`, which is what makes `auto` pick docker), on a docker-container
 *   builder with GitHub's cache when the step has it.
 * - Both push the image by its digest only; the tags (the git SHA and the stage) are then set with ECR's
 *   PutImage. An immutable repository keeps a tag that exists on the image it is on: a notice, not a
 *   failure, since everything downstream uses the digest.
 * - The project's dependencies are the lock's that `package` wrote (`requirements-lock`), installed with
 *   `pip --no-deps --require-hashes`: the same lock gives the same packages, and the same digest.
 * - An image whose digest is already in the repository is not pushed again (the oci builder knows the
 *   digest before pushing).
 * - `registry` replaces the registry host that ECR names (an emulator's ECR names AWS's own host).
 */
import * as path from 'node:path';
import * as core from '@actions/core';
import { resolveRegion } from '../aws/clients';
import {
  defaultRepositoryName,
  ecrClient,
  ensureRepository,
  imageExists,
  registryLogin,
  type TagOutcome,
  tagImage,
} from '../aws/ecr';
import { prepareDockerContext } from '../build/context';
import { dockerBuildAndPush, dockerEngineAvailable } from '../build/docker';
import { dockerPlatformRefusal } from '../build/emulation';
import { batchBaseImage, type ImageKind, lambdaBaseImage, type Platform, parsePlatform } from '../build/layout';
import { readLock } from '../build/lock';
import { buildImage, type DependencyMode, formatBytes, pushImage } from '../build/oci';
import { packageProvenance, provenanceLabels } from '../build/provenance';
import { parseImageRef, RegistryClient, registryEndpoint } from '../build/registry';
import { loadPlan, required, stageTags } from '../context/common';
import type { ModeContext } from '../context/context';
import { recordPlatform } from '../context/image';
import { OUTPUT } from '../context/outputs';
import { STATE } from '../context/state';
import { type BUILDERS, INPUT } from '../inputs';
import { ActionError } from '../lib/errors';
import { writePrivateFile } from '../lib/files';
import { backendFor } from '../targets';

export type BuilderChoice = (typeof BUILDERS)[number];

export interface BuildOptions {
  /** `ecr-repository`; default: the project's name, cleaned. */
  ecrRepository?: string;
  /** `create-repository` (default true). */
  createRepository: boolean;
  /** `builder` (default auto). */
  builder: BuilderChoice;
  /** `platform` (default linux/amd64). */
  platform: string;
  /** `registry`: host[:port] (or http(s)://host[:port]) to push to instead of the one ECR names. */
  registry?: string;
  /** `dockerfile`: the project's own Dockerfile (builder docker). */
  dockerfile?: string;
  /** Base image; default the AWS Lambda Python image of the plan's python_version. */
  baseImage?: string;
  /** `skip` leaves the dependency layer out (tests); users always get `install`. */
  dependencies?: DependencyMode;
  /** Blob store and layer cache of the oci builder; default `<workDir>/oci`. */
  cacheDir?: string;
  /** Is a Docker engine reachable (default: `docker info`); asked by `auto` only for a `dockerfile`. */
  dockerAvailable?: () => Promise<boolean>;
  /** Can the docker builder build `platform` here: undefined, or why not (default: emulation.ts). */
  dockerPlatformRefusal?: (platform: Platform) => Promise<string | undefined>;
}

export interface BuildResult {
  builder: 'docker' | 'oci';
  imageUri: string;
  digest: string;
  repository: string;
  /** True when the digest was already in the repository and nothing was pushed. */
  alreadyThere: boolean;
  bytesPushed: number;
  totalBytes: number;
  /** The image's tags: set now, already there, or kept on another image by an immutable repository. */
  tags: TagOutcome;
}

/**
 * The builder to use. `auto` is the one that works without setup: oci (Python and pip, which `package`
 * needs anyway); docker only for the project's own Dockerfile, and only when an engine answers (the
 * docker builder also needs a docker-container buildx builder, which it creates).
 */
export async function chooseBuilder(
  choice: BuilderChoice,
  o: { dockerfile: boolean; dockerAvailable: () => Promise<boolean> },
): Promise<'docker' | 'oci'> {
  if (choice !== 'auto') return choice;
  return o.dockerfile && (await o.dockerAvailable()) ? 'docker' : 'oci';
}

/** Tags of the image: the commit (when known) and the stage. */
export function imageTagsFor(sha: string | undefined, stage: string): string[] {
  const tags: string[] = [];
  if (sha && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(sha)) tags.push(sha);
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(stage) && !tags.includes(stage)) tags.push(stage);
  return tags;
}

export async function buildMode(ctx: ModeContext, options: BuildOptions): Promise<BuildResult> {
  const { inputs } = ctx;
  // Target batch: a container whose command runs the Batch entry point; otherwise the Lambda image.
  const kind: ImageKind = (await backendFor(ctx)).imageKind;
  const { plan, deployment } = loadPlan(ctx);
  const wheel = required(ctx, STATE.wheel, 'mode "package"');
  const confArchive = required(ctx, STATE.confArchive, 'mode "package"');
  const platform = parsePlatform(options.platform);
  const baseImage =
    options.baseImage ?? (kind === 'batch' ? batchBaseImage : lambdaBaseImage)(plan.project.python_version);
  const builder = await chooseBuilder(options.builder, {
    dockerfile: Boolean(options.dockerfile),
    dockerAvailable: options.dockerAvailable ?? dockerEngineAvailable,
  });
  if (builder === 'oci' && options.dockerfile) {
    throw new ActionError(
      `input "${INPUT.dockerfile}" needs a Docker engine (builder docker), but the builder is oci` +
        `${options.builder === 'auto' ? ' ("docker info" found no engine)' : ''}; remove "${INPUT.dockerfile}" to use the generated image layout`,
    );
  }
  if (builder === 'docker') {
    const refusal = await (options.dockerPlatformRefusal ?? dockerPlatformRefusal)(platform);
    if (refusal) throw new ActionError(refusal);
  }
  core.info(
    `Building the image of ${plan.project.package_name} with the ${builder} builder (${platform}, base ${baseImage})`,
  );
  // The image's packages: exactly the lock's (`dependencies: skip` leaves them out, in tests of the oci builder).
  const skipDependencies = builder === 'oci' && options.dependencies === 'skip';
  const lock = skipDependencies
    ? undefined
    : readLock(required(ctx, STATE.requirementsLock, 'mode "package"'), {
        pythonVersion: plan.project.python_version,
        platform,
        pipOnRunner: builder === 'oci',
      });
  if (lock) {
    const packages = lock.parsed.requirements.length;
    core.info(
      `Dependencies: the ${packages} package(s) of the lock ${lock.file}${packages && lock.hashed ? ', hashes checked' : ''}`,
    );
  }
  // What the image is built from, as its labels: deploy compares them with the package of its step.
  const provenance = await packageProvenance({
    wheel,
    confArchive,
    plan,
    scratch: path.join(ctx.workDir, 'provenance-conf'),
  });
  const labels = provenanceLabels(provenance);

  const ecr = ecrClient({
    region: resolveRegion(inputs.awsRegion, ctx.env),
    maxAttempts: inputs.maxRetries,
    credentials: ctx.credentials(),
    env: ctx.env,
  });
  const tags = stageTags(ctx, deployment);
  const repo = await ensureRepository(ecr, {
    name: options.ecrRepository ?? defaultRepositoryName(deployment.project),
    create: options.createRepository,
    tags,
  });
  core.info(`ECR repository ${repo.uri}${repo.created ? ' created (scan on push)' : ''}`);
  const login = await registryLogin(ecr, repo.registryId);
  const target = registryEndpoint(options.registry ?? repo.registry);
  if (options.registry) core.info(`Pushing to ${target.url} (input "${INPUT.registry}") instead of ${repo.registry}`);
  const imageTags = imageTagsFor(ctx.env.GITHUB_SHA, deployment.stage);
  const cacheDir = options.cacheDir ?? path.join(ctx.workDir, 'oci');

  let digest: string;
  /** The manifest as pushed, when the builder has it (oci); the docker builder's is read back from ECR. */
  let manifest: { body: string; mediaType: string } | undefined;
  let alreadyThere = false;
  let bytesPushed = 0;
  let totalBytes = 0;
  if (builder === 'docker') {
    const context = await prepareDockerContext({
      wheel,
      confArchive,
      env: deployment.env,
      dir: path.join(ctx.workDir, 'docker-context'),
      baseImage,
      projectName: plan.project.name,
      pythonVersion: plan.project.python_version,
      dockerfile: options.dockerfile,
      kind,
      lock: lock!,
    });
    core.info(
      `Build context ${context.dir} (${context.generated ? 'generated Dockerfile' : `Dockerfile ${context.dockerfile}`})`,
    );
    digest = await dockerBuildAndPush({
      contextDir: context.dir,
      dockerfile: context.dockerfile,
      platform,
      repositoryRef: `${target.host}/${repo.name}`,
      registry: target.host,
      username: login.username,
      password: login.password,
      cacheScope: `kedro-aws-${repo.name.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      workDir: ctx.workDir,
      env: ctx.env,
      labels,
    });
  } else {
    const credentials = { username: login.username, password: login.password };
    const baseRegistry = parseImageRef(baseImage).registry;
    const baseClient = new RegistryClient({
      registry: baseRegistry === target.host ? target.url : baseRegistry,
      // The target's credentials go only to the target's own host; other bases are pulled anonymously.
      credentials: baseRegistry === target.host ? credentials : undefined,
    });
    const client = new RegistryClient({ registry: target.url, credentials });
    const image = await buildImage({
      wheel,
      confArchive,
      env: deployment.env,
      pythonVersion: plan.project.python_version,
      platform,
      baseImage,
      kind,
      baseClient,
      python: inputs.python,
      dependencies: options.dependencies ?? 'install',
      ...(lock ? { lock } : {}),
      cacheDir,
      labels,
      log: (line) => core.info(line),
    });
    if (image.conf.excluded.length)
      core.info(`Conf left out of the image: ${image.conf.excluded.map((f) => `conf/${f}`).join(', ')}`);
    const pushed = await pushImage(image, {
      client,
      repository: repo.name,
      alreadyThere: (d) => imageExists(ecr, repo.name, d, repo.registryId),
      cacheDir,
      log: (line) => core.info(line),
    });
    digest = pushed.digest;
    manifest = { body: image.manifest.toString('utf8'), mediaType: image.mediaType };
    alreadyThere = pushed.alreadyThere;
    bytesPushed = pushed.stats.bytesUploaded;
    totalBytes = image.totalBytes;
    core.info(
      alreadyThere
        ? `Image ${digest} was already in ${repo.name}: nothing pushed`
        : `Pushed ${formatBytes(bytesPushed)} of ${formatBytes(totalBytes)} (${pushed.stats.blobsUploaded} blob(s) sent, ` +
            `${pushed.stats.blobsPresent} already there, ${pushed.stats.blobsMounted} mounted)`,
    );
  }

  const imageUri = `${target.host}/${repo.name}@${digest}`;
  const tagged = await tagImage(ecr, {
    repository: repo.name,
    registryId: repo.registryId,
    digest,
    tags: imageTags,
    ...(manifest ? { manifest } : {}),
  });
  if (tagged.set.length) core.info(`Tagged ${tagged.set.join(', ')}`);
  if (tagged.kept.length) {
    core.notice(
      `Tag(s) ${tagged.kept.map((t) => `"${t}"`).join(', ')} stay on the image they are on: the ECR repository ` +
        `${repo.name} has immutable tags (ImageTagAlreadyExistsException). This image is used by its digest, ${imageUri}.`,
    );
  }
  const result: BuildResult = {
    builder,
    imageUri,
    digest,
    repository: repo.name,
    alreadyThere,
    bytesPushed,
    totalBytes,
    tags: tagged,
  };
  writePrivateFile(path.join(ctx.workDir, 'build.json'), `${JSON.stringify(result, null, 2)}\n`);
  core.info(`Image: ${imageUri}`);
  ctx.remember({ [STATE.imageUri]: imageUri });
  recordPlatform(ctx, imageUri, platform);
  ctx.setOutput(OUTPUT.imageUri, imageUri);
  ctx.setOutput(OUTPUT.imageDigest, digest);
  ctx.setOutput(OUTPUT.platform, platform);
  return result;
}
