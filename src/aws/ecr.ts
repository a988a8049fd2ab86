/**
 * ECR's control plane for `build`: the repository (created when missing, with scan on push), the
 * registry login (GetAuthorizationToken, the password masked in the log at once), and whether an
 * image digest is already in the repository (DescribeImages), so a push of the same image is skipped.
 *
 * The client is built like those of clients.ts (region, credentials, adaptive retries, user agent,
 * endpoint from AWS_ENDPOINT_URL) and its calls go in the same call log.
 */
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
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
export async function imageTags(ecr: ECRClient, repository: string, digest: string): Promise<string[]> {
  try {
    const res = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }),
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
