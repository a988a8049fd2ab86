/**
 * ECR's control plane for `build`: the repository (created when missing, with scan on push), the
 * registry login (GetAuthorizationToken, the password masked in the log at once), whether an image
 * digest is already in the repository (DescribeImages), so a push of the same image is skipped, and the
 * tags of a pushed image (PutImage of its manifest with `imageTag`).
 *
 * The client is built like those of clients.ts (region, credentials, adaptive retries, user agent,
 * endpoint from AWS_ENDPOINT_URL) and its calls go in the same call log.
 */
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';
import { registerSecret } from '../lib/secrets';
import { awsCall, awsError } from './errors';

export { ecrClient } from './clients';

/** ECR's rule for repository names. */
const REPOSITORY_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function checkRepositoryName(name: string): string {
  if (name.length < 2 || name.length > 256 || !REPOSITORY_RE.test(name)) {
    throw new ActionError(
      `input "ecr-repository": "${name}" is not an ECR repository name (2 to 256 lowercase letters, digits and . _ - /, ` +
        'starting and ending with a letter or digit, e.g. kedro/spaceflights)',
    );
  }
  return name;
}

/** A repository name from the project's name: `Space Flights` → `space-flights`. */
export function defaultRepositoryName(project: string): string {
  const cleaned = project
    .toLowerCase()
    .replace(/[^a-z0-9._/-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned.length >= 2 ? cleaned : `kedro-${cleaned || 'project'}`;
}

export interface Repository {
  name: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  uri: string;
  /** The registry host part of the URI. */
  registry: string;
  registryId: string;
  created: boolean;
}

export interface EnsureRepositoryOptions {
  name: string;
  /** Create it when missing (`create-repository`, default true). */
  create: boolean;
  tags: Record<string, string>;
}

/** The repository, created when missing (scan on push, the stage's tags). */
export async function ensureRepository(ecr: ECRClient, o: EnsureRepositoryOptions): Promise<Repository> {
  const name = checkRepositoryName(o.name);
  const resource = `ECR repository ${name}`;
  try {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repo = found.repositories?.[0];
    if (repo?.repositoryUri && repo.registryId) return toRepository(name, repo.repositoryUri, repo.registryId, false);
  } catch (error) {
    if (!(error instanceof RepositoryNotFoundException) && (error as Error).name !== 'RepositoryNotFoundException')
      throw awsError(error, { call: 'ecr:DescribeRepositories', resource, input: INPUT.ecrRepository });
  }
  if (!o.create) {
    throw new ActionError(
      `the ECR repository "${name}" does not exist and input "create-repository" is false: create it, or set create-repository: true`,
    );
  }
  const created = await awsCall({ call: 'ecr:CreateRepository', resource, input: INPUT.ecrRepository }, () =>
    ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: true },
        tags: Object.entries(o.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
  const repo = created.repository;
  if (!repo?.repositoryUri || !repo.registryId)
    throw new ActionError(`ECR created "${name}" but returned no repository URI`);
  return toRepository(name, repo.repositoryUri, repo.registryId, true);
}

function toRepository(name: string, uri: string, registryId: string, created: boolean): Repository {
  const slash = uri.indexOf('/');
  return { name, uri, registry: slash > 0 ? uri.slice(0, slash) : uri, registryId, created };
}

export interface RegistryLogin {
  username: string;
  password: string;
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com` */
  proxyEndpoint: string;
  expiresAt: Date | undefined;
}

/** GetAuthorizationToken: base64 of `AWS:<password>`. The token and password are masked before anything else. */
export async function registryLogin(ecr: ECRClient, registryId?: string): Promise<RegistryLogin> {
  const res = await awsCall(
    { call: 'ecr:GetAuthorizationToken', resource: `the ECR registry ${registryId ?? 'of the account'}` },
    () => ecr.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {})),
  );
  const data = res.authorizationData?.[0];
  if (!data?.authorizationToken) throw new ActionError('ECR GetAuthorizationToken returned no token');
  registerSecret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new ActionError('ECR GetAuthorizationToken returned a token that is not <user>:<password>');
  const password = decoded.slice(colon + 1);
  registerSecret(password);
  return {
    username: decoded.slice(0, colon),
    password,
    proxyEndpoint: data.proxyEndpoint ?? '',
    expiresAt: data.expiresAt,
  };
}

/** True when the repository has an image with this digest. */
export async function imageExists(
  ecr: ECRClient,
  repository: string,
  digest: string,
  registryId?: string,
): Promise<boolean> {
  try {
    const res = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: repository,
        imageIds: [{ imageDigest: digest }],
        ...(registryId ? { registryId } : {}),
      }),
    );
    return (res.imageDetails ?? []).some((d) => d.imageDigest === digest);
  } catch (error) {
    if (error instanceof ImageNotFoundException || (error as Error).name === 'ImageNotFoundException') return false;
    throw awsError(error, {
      call: 'ecr:DescribeImages',
      resource: `image ${digest} of ECR repository ${repository}`,
      input: INPUT.ecrRepository,
    });
  }
}

/** The tags an image of the repository has (empty when it is not there). */
export async function imageTags(
  ecr: ECRClient,
  repository: string,
  digest: string,
  registryId?: string,
): Promise<string[]> {
  try {
    const res = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: repository,
        imageIds: [{ imageDigest: digest }],
        ...(registryId ? { registryId } : {}),
      }),
    );
    return res.imageDetails?.[0]?.imageTags ?? [];
  } catch (error) {
    if (error instanceof ImageNotFoundException || (error as Error).name === 'ImageNotFoundException') return [];
    throw awsError(error, {
      call: 'ecr:DescribeImages',
      resource: `image ${digest} of ECR repository ${repository}`,
      input: INPUT.ecrRepository,
    });
  }
}

/** Manifest media types `build` pushes (single-platform images: Lambda refuses an index). */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
];

export interface TagImageOptions {
  repository: string;
  registryId?: string;
  /** The image, pushed by digest. */
  digest: string;
  tags: readonly string[];
  /** Its manifest as pushed (the oci builder has it); otherwise read with BatchGetImage. */
  manifest?: { body: string; mediaType: string };
}

export interface TagOutcome {
  /** Tags PutImage set on the image (new, or moved from another image in a mutable repository). */
  set: string[];
  /** Tags the image already had. */
  already: string[];
  /** Tags an immutable repository keeps on another image (ImageTagAlreadyExistsException). */
  kept: string[];
}

/**
 * Points the tags at an image pushed by digest: PutImage of its manifest with `imageTag`, one call per tag
 * the image lacks. An immutable repository refuses a tag that exists (ImageTagAlreadyExistsException,
 * whatever image it is on: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html):
 * the tag stays where it is and is reported in `kept`; the image is used by its digest anyway.
 */
export async function tagImage(ecr: ECRClient, o: TagImageOptions): Promise<TagOutcome> {
  const outcome: TagOutcome = { set: [], already: [], kept: [] };
  if (o.tags.length === 0) return outcome;
  const resource = `image ${o.digest} of ECR repository ${o.repository}`;
  const registry = o.registryId ? { registryId: o.registryId } : {};
  const current = new Set(await imageTags(ecr, o.repository, o.digest, o.registryId));
  const missing = o.tags.filter((t) => !current.has(t));
  outcome.already.push(...o.tags.filter((t) => current.has(t)));
  if (missing.length === 0) return outcome;
  let manifest = o.manifest;
  if (!manifest) {
    const got = await awsCall({ call: 'ecr:BatchGetImage', resource, input: INPUT.ecrRepository }, () =>
      ecr.send(
        new BatchGetImageCommand({
          repositoryName: o.repository,
          imageIds: [{ imageDigest: o.digest }],
          acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
          ...registry,
        }),
      ),
    );
    const image = got.images?.[0];
    if (!image?.imageManifest) {
      const failure = got.failures?.[0];
      throw new ActionError(
        `ECR has no manifest for ${resource}` +
          (failure ? ` (${failure.failureCode}: ${failure.failureReason})` : '') +
          "; it was pushed by digest just before, so check that the registry pushed to is this repository's",
      );
    }
    manifest = {
      body: image.imageManifest,
      mediaType: image.imageManifestMediaType ?? (JSON.parse(image.imageManifest) as { mediaType: string }).mediaType,
    };
  }
  for (const tag of missing) {
    try {
      await ecr.send(
        new PutImageCommand({
          repositoryName: o.repository,
          imageManifest: manifest.body,
          imageManifestMediaType: manifest.mediaType,
          imageTag: tag,
          imageDigest: o.digest,
          ...registry,
        }),
      );
      outcome.set.push(tag);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ImageTagAlreadyExistsException') outcome.kept.push(tag);
      else if (name === 'ImageAlreadyExistsException') outcome.already.push(tag);
      else
        throw awsError(error, {
          call: 'ecr:PutImage',
          resource: `${resource} (tag ${tag})`,
          input: INPUT.ecrRepository,
        });
    }
  }
  return outcome;
}
