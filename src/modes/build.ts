/**
 * mode: build. One image for every group, from what `package` made (the wheel, the conf archive, the
 * plan), pushed to ECR and pinned by digest.
 *
 * - The ECR repository is created when missing (scan on push); the registry login comes from
 *   GetAuthorizationToken, its password masked before anything is logged.
 * - builder `docker` (a Docker engine, e.g. GitHub-hosted runners): `docker buildx build --push` of a
 *   generated Dockerfile, or of the project's own (`dockerfile`); builder `oci`: no engine, layers built
 *   on the runner and pushed with the registry API (src/build/oci.ts); `auto`: docker when `docker info`
 *   answers, else oci.
 * - An image whose digest is already in the repository is not pushed again (the oci builder knows the
 *   digest before pushing); the tags (the git SHA and the stage) are set when they point elsewhere.
 * - `registry` replaces the registry host that ECR names (an emulator's ECR names AWS's own host).
 */
import * as path from 'node:path';
import * as core from '@actions/core';
import { resolveRegion } from '../aws/clients';
import { defaultRepositoryName, ecrClient, ensureRepository, imageExists, registryLogin } from '../aws/ecr';
import { prepareDockerContext } from '../build/context';
import { dockerBuildAndPush, dockerEngineAvailable } from '../build/docker';
import { dockerPlatformRefusal } from '../build/emulation';
import { batchBaseImage, type ImageKind, lambdaBaseImage, type Platform, parsePlatform } from '../build/layout';
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
  /** Is a Docker engine reachable (default: `docker info`). */
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
}

/** The builder to use: `auto` is docker when an engine answers, else oci. */
export async function chooseBuilder(
  choice: BuilderChoice,
  dockerAvailable: () => Promise<boolean>,
): Promise<'docker' | 'oci'> {
  if (choice !== 'auto') return choice;
  return (await dockerAvailable()) ? 'docker' : 'oci';
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
  const builder = await chooseBuilder(options.builder, options.dockerAvailable ?? dockerEngineAvailable);
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
    });
    core.info(
      `Build context ${context.dir} (${context.generated ? 'generated Dockerfile' : `Dockerfile ${context.dockerfile}`})`,
    );
    digest = await dockerBuildAndPush({
      contextDir: context.dir,
      dockerfile: context.dockerfile,
      platform,
      repositoryRef: `${target.host}/${repo.name}`,
      tags: imageTags,
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
      cacheDir,
      labels,
      log: (line) => core.info(line),
    });
    if (image.conf.excluded.length)
      core.info(`Conf left out of the image: ${image.conf.excluded.map((f) => `conf/${f}`).join(', ')}`);
    const pushed = await pushImage(image, {
      client,
      repository: repo.name,
      tags: imageTags,
      alreadyThere: (d) => imageExists(ecr, repo.name, d, repo.registryId),
      cacheDir,
      log: (line) => core.info(line),
    });
    for (const warning of pushed.tagWarnings) core.warning(warning);
    digest = pushed.digest;
    alreadyThere = pushed.alreadyThere;
    bytesPushed = pushed.stats.bytesUploaded;
    totalBytes = image.totalBytes;
    core.info(
      alreadyThere
        ? `Image ${digest} was already in ${repo.name}: nothing pushed`
        : `Pushed ${formatBytes(bytesPushed)} of ${formatBytes(totalBytes)} (${pushed.stats.blobsUploaded} blob(s) sent, ` +
            `${pushed.stats.blobsPresent} already there, ${pushed.stats.blobsMounted} mounted)`,
    );
    if (pushed.tagsSet.length) core.info(`Tagged ${pushed.tagsSet.join(', ')}`);
  }

  const imageUri = `${target.host}/${repo.name}@${digest}`;
  const result: BuildResult = {
    builder,
    imageUri,
    digest,
    repository: repo.name,
    alreadyThere,
    bytesPushed,
    totalBytes,
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
