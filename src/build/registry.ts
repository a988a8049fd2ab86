/**
 * A client of the Registry HTTP API v2 (the OCI distribution spec): what the `oci` builder needs to
 * pull a base image and push an image without a Docker engine.
 *
 * Auth as registries ask for it: a request without credentials first (or with Basic when the
 * registry is known to take it); on `401` the `WWW-Authenticate` challenge says how:
 * - `Basic realm=...` (ECR, a registry with htpasswd): the user and password, e.g. ECR's
 *   GetAuthorizationToken (`AWS:<token>`);
 * - `Bearer realm=...,service=...,scope=...` (public.ecr.aws, Docker Hub, token-auth registries): a token
 *   from the realm, anonymous or with the user and password, cached per scope.
 *
 * Pushes: HEAD the blob (present: nothing sent), else a cross-repository mount when the blob is in
 * another repository of the same registry, else POST an upload, PATCH the bytes, PUT with the digest;
 * then PUT the manifest. Every byte sent is counted in `stats`.
 */
import { createHash } from 'node:crypto';
import { ActionError } from '../lib/errors';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface ImageRef {
  /** `host[:port]` as it appears in image names. */
  registry: string;
  repository: string;
  /** A tag, or a digest (`sha256:...`). */
  reference: string;
}

const DOCKER_HUB = 'registry-1.docker.io';

/** Attempts of one registry call (and of one blob upload) before its error is reported. */
const MAX_ATTEMPTS = 4;
const RETRY_DELAY_MS = 500;
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `public.ecr.aws/lambda/python:3.12`, `python:3.12-slim`, `host:5000/a/b@sha256:...` → parts. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  let registry: string;
  let repository: string;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = rest.slice(slash + 1);
  } else {
    registry = DOCKER_HUB;
    repository = slash >= 0 ? rest : `library/${rest}`;
  }
  if (
    !repository ||
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)
  ) {
    throw new ActionError(`"${ref}" is not an image reference (<registry>/<repository>[:tag|@digest])`);
  }
  return { registry: registry === 'docker.io' ? DOCKER_HUB : registry, repository, reference };
}

/** True for hosts on this machine (where registries are served over plain HTTP, as Docker allows). */
export function isLoopbackHost(host: string): boolean {
  const bracketed = /^\[(.*)\](:\d+)?$/.exec(host);
  const name = bracketed ? bracketed[1]! : host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1';
}

/** `http(s)://host[:port]` → `{host, url}`; a bare host gets https, or http on loopback. */
export function registryEndpoint(value: string): { host: string; url: string } {
  const trimmed = value.trim().replace(/\/+$/, '');
  const m = /^(https?):\/\/([^/]+)$/.exec(trimmed);
  if (m) return { host: m[2]!, url: `${m[1]}://${m[2]}` };
  if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(trimmed)) {
    throw new ActionError(`"${value}" is not a registry host (host[:port], or http(s)://host[:port])`);
  }
  return { host: trimmed, url: `${isLoopbackHost(trimmed) ? 'http' : 'https'}://${trimmed}` };
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** `Bearer realm="https://x/token",service="x",scope="repository:a:pull"` → parts. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!))
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

export interface PushStats {
  /** Blobs sent with POST/PATCH/PUT, and their bytes. */
  blobsUploaded: number;
  bytesUploaded: number;
  /** Blobs the registry linked from another repository of its own (no bytes sent). */
  blobsMounted: number;
  /** Blobs a HEAD found already there. */
  blobsPresent: number;
  manifestsPut: number;
  bytesDownloaded: number;
}

export function emptyStats(): PushStats {
  return { blobsUploaded: 0, bytesUploaded: 0, blobsMounted: 0, blobsPresent: 0, manifestsPut: 0, bytesDownloaded: 0 };
}

export class RegistryError extends ActionError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface RegistryClientOptions {
  /** `host[:port]`, or a URL with its scheme (http for a registry on loopback). */
  registry: string;
  credentials?: RegistryCredentials;
  userAgent?: string;
}

interface RequestOptions {
  repository: string;
  push?: boolean;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Statuses that are answers, not errors (e.g. 404 for a HEAD). */
  accept?: number[];
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
  json: ImageManifest | ImageIndex;
}

export class RegistryClient {
  readonly host: string;
  readonly url: string;
  readonly stats: PushStats = emptyStats();
  private readonly credentials: RegistryCredentials | undefined;
  private readonly userAgent: string;
  /** Authorization header per scope, learned from challenges. */
  private readonly auth = new Map<string, string>();
  private basicKnown = false;

  constructor(options: RegistryClientOptions) {
    const endpoint = registryEndpoint(options.registry);
    this.host = endpoint.host;
    this.url = endpoint.url;
    this.credentials = options.credentials;
    this.userAgent = options.userAgent ?? 'kedro-aws-action';
  }

  private basicHeader(): string | undefined {
    if (!this.credentials) return undefined;
    return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  private async token(challenge: Challenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new ActionError(`${this.host} asked for a Bearer token but named no realm to get it from`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    const basic = this.basicHeader();
    if (basic) headers.Authorization = basic;
    const res = await fetch(url, { headers });
    const text = await res.text();
    if (!res.ok) {
      throw new ActionError(
        `${this.host}: the token service ${url.origin}${url.pathname} refused ${basic ? 'the credentials' : 'an anonymous pull'} ` +
          `for ${scope} (HTTP ${res.status}): ${text.slice(0, 300)}`,
      );
    }
    const parsed = JSON.parse(text) as { token?: string; access_token?: string };
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new ActionError(`${this.host}: the token service answered without a token`);
    return token;
  }

  /**
   * fetch, again after a network error or a 429/5xx answer for the methods that can be sent twice
   * (GET, HEAD, PUT); an upload (POST, PATCH) is retried whole by pushBlob.
   */
  private async fetchWithRetries(method: string, url: string, init: RequestInit): Promise<Response> {
    const retryable = method === 'GET' || method === 'HEAD' || method === 'PUT';
    for (let attempt = 1; ; attempt++) {
      const last = !retryable || attempt >= MAX_ATTEMPTS;
      let res: Response;
      try {
        res = await fetch(url, init);
      } catch (error) {
        if (last) {
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          throw new RegistryError(
            `${this.host}: ${method} ${new URL(url).pathname} could not reach the registry (${cause?.code ?? cause?.message ?? (error as Error).message})`,
            0,
            cause?.code,
          );
        }
        await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
        continue;
      }
      if (last || !RETRY_STATUSES.has(res.status)) return res;
      await res.arrayBuffer().catch(() => undefined);
      await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
    }
  }

  /** One request, answering the registry's auth challenge once. */
  async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<Response> {
    const scope = `repository:${options.repository}:${options.push ? 'pull,push' : 'pull'}`;
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.url}${pathOrUrl}`;
    const send = (authorization: string | undefined) =>
      this.fetchWithRetries(method, url, {
        method,
        headers: {
          'User-Agent': this.userAgent,
          ...options.headers,
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: options.body,
        redirect: 'follow',
      });
    let authorization = this.auth.get(scope) ?? (this.basicKnown ? this.basicHeader() : undefined);
    let res = await send(authorization);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      await res.arrayBuffer().catch(() => undefined);
      if (!challenge)
        throw new RegistryError(
          `${this.host}: ${method} ${new URL(url).pathname} was refused (HTTP 401) without a challenge`,
          401,
          undefined,
        );
      if (challenge.scheme === 'basic') {
        authorization = this.basicHeader();
        if (!authorization) {
          throw new RegistryError(
            `${this.host} asks for a user and password (Basic auth) and none was given`,
            401,
            'UNAUTHORIZED',
          );
        }
        this.basicKnown = true;
      } else {
        authorization = `Bearer ${await this.token(challenge, scope)}`;
        this.auth.set(scope, authorization);
      }
      res = await send(authorization);
    }
    const accepted = options.accept ?? [];
    if (!res.ok && !accepted.includes(res.status)) {
      const text = await res.text().catch(() => '');
      let code: string | undefined;
      let detail = text.slice(0, 300);
      try {
        const err = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
        if (err) {
          code = err.code;
          detail = `${err.code ?? ''} ${err.message ?? ''}`.trim();
        }
      } catch {
        // not JSON
      }
      const hint = res.status === 401 || res.status === 403 ? ' (check the registry credentials)' : '';
      throw new RegistryError(
        `${this.host}: ${method} ${new URL(url).pathname} failed (HTTP ${res.status}): ${detail}${hint}`,
        res.status,
        code,
      );
    }
    return res;
  }

  /** GET a manifest or index, checking its digest when it was asked by digest. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      repository,
      headers: { Accept: MANIFEST_ACCEPT },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new ActionError(`${this.host}/${repository}: the manifest served for ${reference} has digest ${digest}`);
    }
    const json = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
    const mediaType = json.mediaType ?? res.headers.get('content-type')?.split(';')[0] ?? MEDIA.ociManifest;
    return { mediaType, digest, bytes, json };
  }

  /** The digest a tag or digest resolves to, or undefined when the registry has no such manifest. */
  async headManifest(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
      repository,
      headers: { Accept: MANIFEST_ACCEPT },
      accept: [404],
    });
    if (res.status === 404) return undefined;
    const digest = res.headers.get('docker-content-digest');
    if (digest) return digest;
    // A registry that does not say: GET it.
    return (await this.getManifest(repository, reference)).digest;
  }

  /** The blob's bytes, checked against its digest. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { repository });
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = sha256Digest(bytes);
    if (actual !== digest)
      throw new ActionError(`${this.host}/${repository}: blob ${digest} arrived with digest ${actual}`);
    this.stats.bytesDownloaded += bytes.length;
    return bytes;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { repository, accept: [404] });
    return res.status !== 404;
  }

  /**
   * Sends one blob unless the repository has it: HEAD, then a mount from `mountFrom` (same registry),
   * then POST + PATCH + PUT. `read` is called only when the bytes must travel.
   */
  async pushBlob(
    repository: string,
    digest: string,
    read: () => Promise<Buffer>,
    mountFrom?: string,
  ): Promise<'present' | 'mounted' | 'uploaded'> {
    if (await this.hasBlob(repository, digest)) {
      this.stats.blobsPresent++;
      return 'present';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadBlob(repository, digest, read, mountFrom);
      } catch (error) {
        // An answer that will not change (4xx, a wrong digest) is final; a dropped connection or a 5xx is not.
        const status = error instanceof RegistryError ? error.status : -1;
        if (attempt >= MAX_ATTEMPTS || !(status === 0 || RETRY_STATUSES.has(status))) throw error;
        await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }

  private async uploadBlob(
    repository: string,
    digest: string,
    read: () => Promise<Buffer>,
    mountFrom: string | undefined,
  ): Promise<'mounted' | 'uploaded'> {
    let location: string | undefined;
    if (mountFrom && mountFrom !== repository) {
      const mount = await this.request(
        'POST',
        `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}`,
        { repository, push: true, headers: { 'Content-Length': '0' } },
      );
      await mount.arrayBuffer();
      if (mount.status === 201) {
        this.stats.blobsMounted++;
        return 'mounted';
      }
      location = mount.headers.get('location') ?? undefined;
    }
    if (!location) {
      const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {
        repository,
        push: true,
        headers: { 'Content-Length': '0' },
      });
      await start.arrayBuffer();
      location = start.headers.get('location') ?? undefined;
      if (!location)
        throw new ActionError(`${this.host}/${repository}: the registry started an upload without a Location`);
    }
    const data = await read();
    const actual = sha256Digest(data);
    if (actual !== digest)
      throw new ActionError(`blob ${digest} to push has digest ${actual}: the build cache is corrupt; delete it`);
    const patch = await this.request('PATCH', new URL(location, this.url).toString(), {
      repository,
      push: true,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
      body: data,
    });
    await patch.arrayBuffer();
    const next = new URL(patch.headers.get('location') ?? location, this.url);
    next.searchParams.set('digest', digest);
    const put = await this.request('PUT', next.toString(), {
      repository,
      push: true,
      headers: { 'Content-Length': '0' },
    });
    await put.arrayBuffer();
    this.stats.blobsUploaded++;
    this.stats.bytesUploaded += data.length;
    return 'uploaded';
  }

  /** PUT a manifest under a tag or its digest; returns the digest the registry gives it. */
  async putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      repository,
      push: true,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
      body: bytes,
    });
    await res.arrayBuffer();
    this.stats.manifestsPut++;
    this.stats.bytesUploaded += bytes.length;
    return res.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  }
}

export interface ResolvedImage {
  manifest: ImageManifest;
  mediaType: string;
  /** Digest of the single-platform manifest. */
  digest: string;
  /** Digest of the index it was picked from, when the reference named an index. */
  indexDigest?: string;
}

function isIndex(m: FetchedManifest): m is FetchedManifest & { json: ImageIndex } {
  return (
    m.mediaType === MEDIA.ociIndex ||
    m.mediaType === MEDIA.dockerList ||
    Array.isArray((m.json as ImageIndex).manifests)
  );
}

/** The manifest of `ref` for `os/architecture`, through an index when the reference names one. */
export async function resolveImage(
  client: RegistryClient,
  repository: string,
  reference: string,
  platform: { os: string; architecture: string },
): Promise<ResolvedImage> {
  const top = await client.getManifest(repository, reference);
  if (!isIndex(top)) return { manifest: top.json as ImageManifest, mediaType: top.mediaType, digest: top.digest };
  const entry = top.json.manifests.find(
    (d) => d.platform?.os === platform.os && d.platform?.architecture === platform.architecture,
  );
  if (!entry) {
    const has = top.json.manifests
      .map((d) => `${d.platform?.os ?? '?'}/${d.platform?.architecture ?? '?'}`)
      .filter((p) => p !== 'unknown/unknown');
    throw new ActionError(
      `${client.host}/${repository}:${reference} has no image for ${platform.os}/${platform.architecture} (it has ${has.join(', ') || 'none'})`,
    );
  }
  const picked = await client.getManifest(repository, entry.digest);
  if (isIndex(picked))
    throw new ActionError(`${client.host}/${repository}@${entry.digest} is an index inside an index`);
  return {
    manifest: picked.json as ImageManifest,
    mediaType: picked.mediaType,
    digest: picked.digest,
    indexDigest: top.digest,
  };
}
