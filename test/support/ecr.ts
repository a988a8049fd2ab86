/**
 * A stand-in of Amazon ECR for the build tests: one loopback server that is both the registry (the
 * Registry HTTP API, forwarded to Debian's docker-registry of test/support/registry.ts) and the ECR API
 * endpoint (AWS_ENDPOINT_URL_ECR). The ECR API calls on images (PutImage, BatchGetImage, DescribeImages)
 * are answered from the registry's own store, as ECR answers them from the one it serves over the
 * registry API; every other ECR call (CreateRepository, DescribeRepositories, GetAuthorizationToken,
 * PutImageTagMutability, ...) goes to moto, which keeps the repositories and their settings.
 *
 * Why: moto keeps images apart from any registry (and computes digests of its own), and it answers an
 * immutable tag with the wrong error (ImageAlreadyExistsException). What the stand-in enforces, from
 * "Preventing image tags from being overwritten in Amazon ECR"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html) and the PutImage API
 * reference (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html):
 * - repository IMMUTABLE, a tag that exists (on any image, the same one included):
 *   - PutImage fails with ImageTagAlreadyExistsException (HTTP 400);
 *   - a PUT of a manifest to /v2/<repo>/manifests/<tag> fails with HTTP 400 and the registry error
 *     TAG_INVALID "The image tag '<tag>' already exists in the '<repo>' repository and cannot be
 *     overwritten because the repository is immutable." (what `docker push` prints as "tag invalid: ...");
 * - repository MUTABLE: PutImage of the manifest a tag already points at fails with
 *   ImageAlreadyExistsException; another manifest moves the tag;
 * - PutImage with an imageDigest that is not the manifest's: ImageDigestDoesNotMatchException; a
 *   manifest whose blobs the repository lacks: LayersNotFoundException.
 * Anything it does not model (the *_WITH_EXCLUSION mutability settings, PutImage without a tag, filters
 * and paging of DescribeImages) is answered with HTTP 500 and says so, so a test cannot pass on it.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { FAKE_AWS_ENV, motoEndpoint } from './moto';
import type { LocalRegistry } from './registry';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface EcrStandIn extends LocalRegistry {
  /** `http://127.0.0.1:<port>`: the ECR API endpoint (AWS_ENDPOINT_URL_ECR) and the registry URL. */
  endpoint: string;
  /** The docker-registry behind it. */
  backend: LocalRegistry;
  /** ECR API operations the stand-in answered itself (the others went to moto), in order. */
  answered: string[];
}

/** An ECR API error as the JSON 1.1 protocol carries it. */
class EcrError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const digestOf = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface RepositoryInfo {
  registryId: string;
  mutability: 'MUTABLE' | 'IMMUTABLE';
}

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

export async function startEcr(backend: LocalRegistry, options: { moto?: string } = {}): Promise<EcrStandIn> {
  const moto = options.moto ?? motoEndpoint();
  const control = new ECRClient({
    region: FAKE_AWS_ENV.AWS_REGION,
    endpoint: moto,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const answered: string[] = [];
  const pushedAt = new Map<string, number>();
  const basic = `Basic ${Buffer.from(`${backend.username}:${backend.password}`).toString('base64')}`;

  /** The repository's ECR settings (from moto), or undefined when ECR has no such repository. */
  async function repository(name: string): Promise<RepositoryInfo | undefined> {
    try {
      const res = await control.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      const repo = res.repositories?.[0];
      if (!repo) return undefined;
      const mutability = repo.imageTagMutability ?? 'MUTABLE';
      if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
        throw new EcrError(
          'StandInLimitation',
          `the ECR stand-in does not model imageTagMutability ${mutability} (only MUTABLE and IMMUTABLE)`,
          500,
        );
      }
      return { registryId: repo.registryId ?? '123456789012', mutability };
    } catch (error) {
      if ((error as Error).name === 'RepositoryNotFoundException') return undefined;
      throw error;
    }
  }

  async function requireRepository(name: string): Promise<RepositoryInfo> {
    const repo = await repository(name);
    if (!repo)
      throw new EcrError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '123456789012'`,
      );
    return repo;
  }

  /** A call to the docker-registry with the stand-in's own credentials. */
  const registryCall = (path: string, init: RequestInit = {}) =>
    fetch(`${backend.url}${path}`, { ...init, headers: { Authorization: basic, ...(init.headers ?? {}) } });

  async function digestOfTag(repo: string, tag: string): Promise<string | undefined> {
    const res = await registryCall(`/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: MANIFEST_ACCEPT },
    });
    return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
  }

  async function manifest(repo: string, reference: string): Promise<{ body: Buffer; mediaType: string } | undefined> {
    const res = await registryCall(`/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT } });
    if (!res.ok) return undefined;
    const body = Buffer.from(await res.arrayBuffer());
    const mediaType =
      (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ??
      res.headers.get('content-type') ??
      'application/vnd.oci.image.manifest.v1+json';
    return { body, mediaType };
  }

  /** Every tag of the repository, with the digest it points at. */
  async function tags(repo: string): Promise<Map<string, string>> {
    const res = await registryCall(`/v2/${repo}/tags/list`);
    const out = new Map<string, string>();
    if (!res.ok) return out;
    // In name order (ECR's order is unspecified; tests compare lists).
    for (const tag of [...(((await res.json()) as { tags?: string[] | null }).tags ?? [])].sort()) {
      const digest = await digestOfTag(repo, tag);
      if (digest) out.set(tag, digest);
    }
    return out;
  }

  const imageIdText = (id: ImageId) =>
    `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;

  async function resolve(repo: string, id: ImageId): Promise<string | undefined> {
    if (id.imageDigest) {
      const digest = (await manifest(repo, id.imageDigest)) ? id.imageDigest : undefined;
      if (digest && id.imageTag && (await digestOfTag(repo, id.imageTag)) !== digest) return undefined;
      return digest;
    }
    return id.imageTag ? digestOfTag(repo, id.imageTag) : undefined;
  }

  const api: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async DescribeImages(input) {
      const repo = String(input.repositoryName);
      const info = await requireRepository(repo);
      if (input.filter || input.nextToken || input.maxResults)
        throw new EcrError(
          'StandInLimitation',
          'the ECR stand-in does not model filter or paging of DescribeImages',
          500,
        );
      const byTag = await tags(repo);
      const ids =
        (input.imageIds as ImageId[] | undefined) ?? [...new Set(byTag.values())].map((d) => ({ imageDigest: d }));
      const details = [];
      for (const id of ids) {
        const digest = await resolve(repo, id);
        if (!digest)
          throw new EcrError(
            'ImageNotFoundException',
            `The image with imageId ${imageIdText(id)} does not exist within the repository with name '${repo}' in the registry with id '${info.registryId}'`,
          );
        const m = (await manifest(repo, digest))!;
        const json = JSON.parse(m.body.toString('utf8')) as {
          layers?: { size: number }[];
          config?: { mediaType?: string };
        };
        const imageTags = [...byTag].filter(([, d]) => d === digest).map(([t]) => t);
        details.push({
          registryId: info.registryId,
          repositoryName: repo,
          imageDigest: digest,
          ...(imageTags.length ? { imageTags } : {}),
          imageSizeInBytes: (json.layers ?? []).reduce((sum, l) => sum + l.size, 0),
          ...(pushedAt.has(digest) ? { imagePushedAt: pushedAt.get(digest)! / 1000 } : {}),
          imageManifestMediaType: m.mediaType,
          ...(json.config?.mediaType ? { artifactMediaType: json.config.mediaType } : {}),
        });
      }
      return { imageDetails: details };
    },

    async BatchGetImage(input) {
      const repo = String(input.repositoryName);
      const info = await requireRepository(repo);
      const accepted = input.acceptedMediaTypes as string[] | undefined;
      const images = [];
      const failures = [];
      for (const id of (input.imageIds as ImageId[] | undefined) ?? []) {
        const digest = await resolve(repo, id);
        const m = digest ? await manifest(repo, digest) : undefined;
        if (!digest || !m) {
          failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        } else if (accepted && !accepted.includes(m.mediaType)) {
          failures.push({
            imageId: id,
            failureCode: 'UnsupportedImageType',
            failureReason: `Image of type ${m.mediaType} is not among the accepted media types`,
          });
        } else {
          images.push({
            registryId: info.registryId,
            repositoryName: repo,
            imageId: { imageDigest: digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
            imageManifest: m.body.toString('utf8'),
            imageManifestMediaType: m.mediaType,
          });
        }
      }
      return { images, failures };
    },

    async PutImage(input) {
      const repo = String(input.repositoryName);
      const info = await requireRepository(repo);
      const body = Buffer.from(String(input.imageManifest ?? ''), 'utf8');
      const tag = input.imageTag as string | undefined;
      if (!tag)
        throw new EcrError('StandInLimitation', 'the ECR stand-in does not model PutImage without imageTag', 500);
      const digest = digestOf(body);
      if (input.imageDigest && input.imageDigest !== digest) {
        throw new EcrError(
          'ImageDigestDoesNotMatchException',
          `The specified image digest '${String(input.imageDigest)}' does not match the digest of the manifest '${digest}'`,
        );
      }
      let mediaType = input.imageManifestMediaType as string | undefined;
      try {
        mediaType ??= (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType;
      } catch {
        throw new EcrError(
          'InvalidParameterException',
          "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
        );
      }
      if (!mediaType)
        throw new EcrError(
          'InvalidParameterException',
          'image manifest mediatype not provided in manifest or parameter',
        );
      const current = await digestOfTag(repo, tag);
      if (current && info.mutability === 'IMMUTABLE') {
        throw new EcrError(
          'ImageTagAlreadyExistsException',
          `The image tag '${tag}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
      if (current === digest) {
        throw new EcrError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repo}' in registry with id '${info.registryId}'`,
        );
      }
      const put = await registryCall(`/v2/${repo}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'Content-Type': mediaType },
        body,
      });
      const text = await put.text();
      if (!put.ok) {
        if (/BLOB_UNKNOWN/.test(text))
          throw new EcrError(
            'LayersNotFoundException',
            `The specified layers could not be found: ${text.slice(0, 300)}`,
          );
        throw new EcrError('StandInLimitation', `the registry refused the manifest (HTTP ${put.status}): ${text}`, 500);
      }
      if (!pushedAt.has(digest)) pushedAt.set(digest, Date.now());
      return {
        image: {
          registryId: info.registryId,
          repositoryName: repo,
          imageId: { imageDigest: digest, imageTag: tag },
          imageManifest: body.toString('utf8'),
          imageManifestMediaType: mediaType,
        },
      };
    },
  };

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string) => {
    res.writeHead(status, headers);
    res.end(body);
  };

  async function onApi(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const handler = api[operation];
    if (!handler) {
      // Not about images: moto keeps the repositories, their settings and the login.
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(moto, { method: req.method, headers, body });
      const out = Buffer.from(await upstream.arrayBuffer());
      send(
        res,
        upstream.status,
        { 'Content-Type': upstream.headers.get('content-type') ?? 'application/x-amz-json-1.1' },
        out,
      );
      return;
    }
    answered.push(operation);
    try {
      const result = await handler(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
      send(res, 200, { 'Content-Type': 'application/x-amz-json-1.1' }, JSON.stringify(result));
    } catch (error) {
      const e = error instanceof EcrError ? error : new EcrError('StandInError', String((error as Error).stack), 500);
      send(
        res,
        e.status,
        { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': e.type },
        JSON.stringify({ __type: e.type, message: e.message }),
      );
    }
  }

  let origin = '';

  async function onRegistry(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const manifestPut = req.method === 'PUT' ? /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname) : null;
    if (manifestPut && !manifestPut[2]!.startsWith('sha256:') && req.headers.authorization) {
      const [, repo, tag] = manifestPut as unknown as [string, string, string];
      const info = await repository(repo);
      if (info?.mutability === 'IMMUTABLE' && (await digestOfTag(repo, tag))) {
        send(
          res,
          400,
          { 'Content-Type': 'application/json' },
          JSON.stringify({
            errors: [
              {
                code: 'TAG_INVALID',
                message: `The image tag '${tag}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
              },
            ],
          }),
        );
        return;
      }
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
    ) as Record<string, string>;
    const upstream = await fetch(`${backend.url}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      redirect: 'manual',
    });
    const out = req.method === 'HEAD' ? undefined : Buffer.from(await upstream.arrayBuffer());
    if (manifestPut && upstream.status === 201) {
      const digest = upstream.headers.get('docker-content-digest');
      if (digest && !pushedAt.has(digest)) pushedAt.set(digest, Date.now());
    }
    const forwarded: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (['connection', 'transfer-encoding', 'content-encoding', 'keep-alive'].includes(key)) return;
      if (key === 'content-length' && req.method !== 'HEAD') return;
      forwarded[key] = key === 'location' ? value.replace(backend.url, origin) : value;
    });
    send(res, upstream.status, forwarded, out);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const route = (req.url ?? '').startsWith('/v2/') || req.url === '/v2' ? onRegistry : onApi;
      route(req, res, body).catch((error: Error) => {
        if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, `ECR stand-in: ${error.stack}`);
        else res.destroy();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url: origin,
    endpoint: origin,
    username: backend.username,
    password: backend.password,
    dataDir: backend.dataDir,
    backend,
    answered,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      control.destroy();
    },
  };
}
