/**
 * The Registry v2 client of the oci builder against a real registry on loopback (Debian's
 * docker-registry, distribution 2.8, htpasswd auth with moto's ECR login), and the Bearer token
 * challenge (how public.ecr.aws and Docker Hub answer an anonymous pull) against a stand-in token
 * registry: the real AWS Lambda base image cannot be pulled here (no network).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient, resolveImage, sha256Digest } from '../../src/build/registry';
import { freePort } from '../support/moto';
import {
  type LocalRegistry,
  listTags,
  MOTO_ECR_PASSWORD,
  MOTO_ECR_USER,
  pushTinyBase,
  registryFetch,
  startRegistry,
  type TinyBase,
} from '../support/registry';

describe('registry client against docker-registry (distribution 2.8) on loopback', () => {
  let registry: LocalRegistry;
  let base: TinyBase;

  beforeAll(async () => {
    registry = await startRegistry();
    base = await pushTinyBase(registry, 'test/base', '3.11');
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const client = () =>
    new RegistryClient({
      registry: registry.host,
      credentials: { username: MOTO_ECR_USER, password: MOTO_ECR_PASSWORD },
    });

  test('the registry refuses anonymous calls and takes moto ECR login as Basic', async () => {
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(401);
    expect((await fetch(`${registry.url}/v2/`)).headers.get('www-authenticate')).toMatch(
      /^Basic realm="kedro-aws-test"/,
    );
    expect((await registryFetch(registry, '/v2/')).status).toBe(200);
    const anonymous = new RegistryClient({ registry: registry.host });
    await expect(anonymous.headManifest('test/base', '3.11')).rejects.toThrow(/asks for a user and password/);
    const wrong = new RegistryClient({ registry: registry.host, credentials: { username: 'AWS', password: 'wrong' } });
    await expect(wrong.headManifest('test/base', '3.11')).rejects.toThrow(/HTTP 401.*check the registry credentials/);
  });

  test('resolves the base for linux/amd64 through its manifest list', async () => {
    const c = client();
    const resolved = await resolveImage(c, 'test/base', '3.11', { os: 'linux', architecture: 'amd64' });
    expect(resolved.digest).toBe(base.amd64Digest);
    expect(resolved.indexDigest).toBe(base.indexDigest);
    expect(resolved.manifest.layers.map((l) => l.digest)).toEqual([base.amd64Layer]);
    const arm = await resolveImage(c, 'test/base', '3.11', { os: 'linux', architecture: 'arm64' });
    expect(arm.digest).not.toBe(base.amd64Digest);
    await expect(resolveImage(c, 'test/base', '3.11', { os: 'linux', architecture: 's390x' })).rejects.toThrow(
      /has no image for linux\/s390x \(it has linux\/amd64, linux\/arm64\)/,
    );
    expect(await c.headManifest('test/base', 'no-such-tag')).toBeUndefined();
  });

  test('push: HEAD first, mount within the registry, else POST + PATCH + PUT; counted', async () => {
    const c = client();
    const data = Buffer.from(`blob ${Date.now()}`);
    const digest = sha256Digest(data);
    let reads = 0;
    const read = async () => {
      reads++;
      return data;
    };
    expect(await c.pushBlob('test/app', digest, read)).toBe('uploaded');
    expect(await c.pushBlob('test/app', digest, read)).toBe('present');
    expect(reads).toBe(1);
    expect(await c.pushBlob('test/other', base.amd64Layer, read, 'test/base')).toBe('mounted');
    expect(reads).toBe(1);
    expect(c.stats).toMatchObject({ blobsUploaded: 1, bytesUploaded: data.length, blobsPresent: 1, blobsMounted: 1 });
    expect((await registryFetch(registry, `/v2/test/app/blobs/${digest}`)).status).toBe(200);
    await expect(c.pushBlob('test/app', sha256Digest('other'), read)).rejects.toThrow(/has digest/);
  });

  test('manifests PUT by tag come back by HEAD with their digest', async () => {
    const c = client();
    const manifest = await c.getManifest('test/base', base.amd64Digest);
    const stored = await c.putManifest('test/copy', 'v1', manifest.mediaType, manifest.bytes).catch((e: Error) => e);
    // The blobs are not in test/copy yet: the registry refuses a manifest whose blobs it lacks.
    expect(stored).toBeInstanceOf(Error);
    for (const layer of [
      ...(manifest.json as { layers: { digest: string }[] }).layers,
      (manifest.json as { config: { digest: string } }).config,
    ]) {
      await c.pushBlob('test/copy', layer.digest, async () => Buffer.alloc(0), 'test/base');
    }
    expect(await c.putManifest('test/copy', 'v1', manifest.mediaType, manifest.bytes)).toBe(base.amd64Digest);
    expect(await c.headManifest('test/copy', 'v1')).toBe(base.amd64Digest);
    expect(await listTags(registry, 'test/copy')).toEqual(['v1']);
  });
});

describe('transient registry failures', () => {
  test('a 503 on HEAD and a 500 on PATCH are retried; the upload starts over', async () => {
    const seen: string[] = [];
    let failedHead = false;
    let failedPatch = false;
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      seen.push(`${req.method} ${url.pathname}`);
      req.resume();
      req.on('end', () => {
        if (req.method === 'HEAD' && !failedHead) {
          failedHead = true;
          res.statusCode = 503;
        } else if (req.method === 'HEAD') res.statusCode = 404;
        else if (req.method === 'POST') {
          res.statusCode = 202;
          res.setHeader('Location', `/v2/r/blobs/uploads/${seen.length}`);
        } else if (req.method === 'PATCH' && !failedPatch) {
          failedPatch = true;
          res.statusCode = 500;
        } else if (req.method === 'PATCH') res.statusCode = 202;
        else if (req.method === 'PUT') res.statusCode = 201;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new RegistryClient({ registry: `127.0.0.1:${(server.address() as AddressInfo).port}` });
      const data = Buffer.from('retried');
      expect(await client.pushBlob('r', sha256Digest(data), async () => data)).toBe('uploaded');
      expect(seen.map((s) => s.replace(/\/\d+$/, '/n'))).toEqual([
        `HEAD /v2/r/blobs/${sha256Digest(data)}`,
        `HEAD /v2/r/blobs/${sha256Digest(data)}`,
        'POST /v2/r/blobs/uploads/',
        'PATCH /v2/r/blobs/uploads/n',
        'POST /v2/r/blobs/uploads/',
        'PATCH /v2/r/blobs/uploads/n',
        'PUT /v2/r/blobs/uploads/n',
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a registry that does not answer is named, after a few tries', async () => {
    const port = await freePort(); // free: nothing listens there
    const client = new RegistryClient({ registry: `127.0.0.1:${port}` });
    await expect(client.headManifest('r', 'latest')).rejects.toThrow(
      /127\.0\.0\.1:\d+: HEAD \/v2\/r\/manifests\/latest could not reach the registry \(ECONNREFUSED\)/,
    );
  });
});

describe('Bearer token challenge (anonymous pull, as public registries answer)', () => {
  test('a token from the realm, anonymous, cached for the scope', async () => {
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256Digest(config),
          size: config.length,
        },
        layers: [],
      }),
    );
    const tokenRequests: string[] = [];
    const authorizations: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/token') {
        tokenRequests.push(url.search);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ token: 'anon-token' }));
        return;
      }
      authorizations.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer anon-token') {
        res.statusCode = 401;
        const port = (server.address() as AddressInfo).port;
        res.setHeader(
          'WWW-Authenticate',
          `Bearer realm="http://127.0.0.1:${port}/token",service="stand-in",scope="repository:lambda/python:pull"`,
        );
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      if (url.pathname === '/v2/lambda/python/manifests/3.12') {
        res.setHeader('Content-Type', 'application/vnd.oci.image.manifest.v1+json');
        res.end(manifest);
      } else if (url.pathname === `/v2/lambda/python/blobs/${sha256Digest(config)}`) {
        res.end(config);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const client = new RegistryClient({ registry: `127.0.0.1:${port}` });
      const resolved = await resolveImage(client, 'lambda/python', '3.12', { os: 'linux', architecture: 'amd64' });
      expect(resolved.digest).toBe(sha256Digest(manifest));
      expect((await client.getBlob('lambda/python', resolved.manifest.config.digest)).equals(config)).toBe(true);
      expect(tokenRequests).toEqual(['?service=stand-in&scope=repository%3Alambda%2Fpython%3Apull']);
      expect(authorizations).toEqual([undefined, 'Bearer anon-token', 'Bearer anon-token']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
