/**
 * A real container registry on loopback for the oci builder's tests: Debian's `docker-registry`
 * (the CNCF distribution registry 2.8), installed by scripts/install-registry.sh, started on a free
 * port with a config of the test's own: filesystem storage in a temp folder and htpasswd (bcrypt)
 * auth with the user and password that moto's ECR GetAuthorizationToken hands out, so the login path
 * of `build` (GetAuthorizationToken → Basic) is the one exercised.
 *
 * The real AWS Lambda base image cannot be pulled here (no network but the package registries), so
 * `pushTinyBase` makes a tiny one (a manifest list for linux/amd64 and linux/arm64, each one layer with
 * a fake /var/task, a python stub and /lambda-entrypoint.sh) and pushes it with plain HTTP calls of
 * its own (monolithic POST + PUT, not the builder's client), and `pullImage` reads an image back.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { type LayerEntry, readTar, type TarMember, tarBuffer } from '../../src/build/tar';
import { freePort } from './moto';

/** What moto's ECR GetAuthorizationToken returns for the default account: base64 of `AWS:<password>`. */
export const MOTO_ECR_USER = 'AWS';
export const MOTO_ECR_PASSWORD = '123456789012-auth-token';

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  username: string;
  password: string;
  dataDir: string;
  stop(): Promise<void>;
}

function findBinary(): string | undefined {
  for (const candidate of ['/usr/bin/docker-registry', '/usr/local/bin/docker-registry', '/usr/bin/registry']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  try {
    return (
      execFileSync('sh', ['-c', 'command -v docker-registry || command -v registry'], { encoding: 'utf8' }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** A bcrypt htpasswd line: `htpasswd -nbB` (apache2-utils), else Python's crypt (libxcrypt knows bcrypt). */
export function htpasswdLine(user: string, password: string): string {
  try {
    return execFileSync('htpasswd', ['-nbB', user, password], { encoding: 'utf8' }).trim();
  } catch {
    const hash = execFileSync(
      'python3',
      [
        '-W',
        'ignore',
        '-c',
        'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))',
        password,
      ],
      { encoding: 'utf8' },
    ).trim();
    if (!hash.startsWith('$2')) throw new Error('no bcrypt: install apache2-utils (bash scripts/install-registry.sh)');
    return `${user}:${hash}`;
  }
}

export async function startRegistry(username = MOTO_ECR_USER, password = MOTO_ECR_PASSWORD): Promise<LocalRegistry> {
  const binary = findBinary();
  if (!binary) throw new Error('docker-registry is not installed: run "bash scripts/install-registry.sh" (as root)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-registry-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'htpasswd'), `${htpasswdLine(username, password)}\n`);
  fs.writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: kedro-aws-test',
      `    path: ${path.join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 401 || res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer on ${url} within 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    username,
    password,
    dataDir: path.join(dir, 'data'),
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

const digestOf = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function basic(registry: LocalRegistry): string {
  return `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
}

/** Plain registry calls with Basic auth (the tests' own client). */
export async function registryFetch(
  registry: LocalRegistry,
  pathOrUrl: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${registry.url}${pathOrUrl}`;
  return fetch(url, {
    ...init,
    headers: { Authorization: basic(registry), ...(init.headers as Record<string, string>) },
  });
}

async function pushBlobMonolithic(registry: LocalRegistry, repo: string, data: Buffer): Promise<string> {
  const digest = digestOf(data);
  const start = await registryFetch(registry, `/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`POST upload: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  const put = await registryFetch(registry, location.toString(), {
    method: 'PUT',
    body: data,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`PUT blob: HTTP ${put.status} ${await put.text()}`);
  return digest;
}

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

async function putManifest(
  registry: LocalRegistry,
  repo: string,
  ref: string,
  mediaType: string,
  body: Buffer,
): Promise<void> {
  const res = await registryFetch(registry, `/v2/${repo}/manifests/${ref}`, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': mediaType },
  });
  if (res.status !== 201) throw new Error(`PUT manifest ${ref}: HTTP ${res.status} ${await res.text()}`);
}

/**
 * A model of the Lambda Python base image's /lambda-entrypoint.sh, with its rule: exactly one argument (the
 * handler), else "entrypoint requires the handler name to be the first argument" and exit 142 (the script
 * of AWS's base images, github.com/aws/aws-lambda-base-images; a Batch job's command given to it fails so).
 * It then runs the runtime; here it prints what it was given.
 */
export const LAMBDA_BASE_ENTRYPOINT = [
  '#!/bin/sh',
  'if [ $# -ne 1 ]; then',
  '  echo "entrypoint requires the handler name to be the first argument" 1>&2',
  '  exit 142',
  'fi',
  'export _HANDLER="$1"',
  'echo "lambda runtime started with handler $_HANDLER"',
  '',
].join('\n');

/** The stand-in base image's files for one architecture. */
export function tinyBaseEntries(arch: string): LayerEntry[] {
  return [
    { type: 'dir', path: 'var/task' },
    { type: 'dir', path: 'var/runtime' },
    {
      type: 'file',
      path: 'var/lang/bin/python3',
      mode: 0o755,
      content: Buffer.from('#!/bin/sh\necho "python stub of the test base image"\n'),
    },
    {
      type: 'file',
      path: 'lambda-entrypoint.sh',
      mode: 0o755,
      content: Buffer.from(LAMBDA_BASE_ENTRYPOINT),
    },
    { type: 'file', path: `etc/test-base-${arch}`, mode: 0o644, content: Buffer.from(`${arch}\n`) },
  ];
}

export interface TinyBase {
  /** `<host>/<repo>:<tag>` */
  ref: string;
  indexDigest: string;
  /** Digest of the linux/amd64 manifest and its one layer. */
  amd64Digest: string;
  amd64Layer: string;
}

/** Pushes a tiny stand-in of the Lambda Python base image: a manifest list for amd64 and arm64. */
export async function pushTinyBase(registry: LocalRegistry, repo: string, tag: string): Promise<TinyBase> {
  const entries: { digest: string; size: number; platform: { architecture: string; os: string } }[] = [];
  let amd64Digest = '';
  let amd64Layer = '';
  for (const arch of ['amd64', 'arm64']) {
    const tar = await tarBuffer(tinyBaseEntries(arch), 1_700_000_000);
    const gz = zlib.gzipSync(tar);
    const layerDigest = await pushBlobMonolithic(registry, repo, gz);
    const config = Buffer.from(
      JSON.stringify({
        architecture: arch,
        os: 'linux',
        created: '2023-11-14T22:13:20Z',
        config: {
          Env: [
            'PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin',
            'LANG=en_US.UTF-8',
            'LAMBDA_TASK_ROOT=/var/task',
            'LAMBDA_RUNTIME_DIR=/var/runtime',
          ],
          Entrypoint: ['/lambda-entrypoint.sh'],
          WorkingDir: '/var/task',
        },
        rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
        history: [{ created: '2023-11-14T22:13:20Z', created_by: 'kedro-aws-action tests: tiny base' }],
      }),
    );
    const configDigest = await pushBlobMonolithic(registry, repo, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: configDigest,
          size: config.length,
        },
        layers: [
          { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: layerDigest, size: gz.length },
        ],
      }),
    );
    const manifestDigest = digestOf(manifest);
    await putManifest(registry, repo, manifestDigest, DOCKER_MANIFEST, manifest);
    entries.push({ digest: manifestDigest, size: manifest.length, platform: { architecture: arch, os: 'linux' } });
    if (arch === 'amd64') {
      amd64Digest = manifestDigest;
      amd64Layer = layerDigest;
    }
  }
  const list = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: entries.map((e) => ({ mediaType: DOCKER_MANIFEST, ...e })),
    }),
  );
  await putManifest(registry, repo, tag, DOCKER_LIST, list);
  return { ref: `${registry.host}/${repo}:${tag}`, indexDigest: digestOf(list), amd64Digest, amd64Layer };
}

export interface PulledImage {
  manifest: {
    mediaType: string;
    config: { digest: string };
    layers: { digest: string; size: number; mediaType: string }[];
  };
  config: {
    architecture: string;
    os: string;
    config: { Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string; Env?: string[] };
    rootfs: { diff_ids: string[] };
  };
  /** Every layer's files, in order, read from the gzip'd tar the registry serves. */
  layers: TarMember[][];
}

/** GETs the manifest, the config and every layer of an image, checking every digest. */
export async function pullImage(registry: LocalRegistry, repo: string, reference: string): Promise<PulledImage> {
  const res = await registryFetch(registry, `/v2/${repo}/manifests/${reference}`, {
    headers: { Accept: DOCKER_MANIFEST },
  });
  if (!res.ok) throw new Error(`GET manifest ${reference}: HTTP ${res.status}`);
  const manifestBytes = Buffer.from(await res.arrayBuffer());
  if (reference.startsWith('sha256:') && digestOf(manifestBytes) !== reference)
    throw new Error('manifest digest mismatch');
  const manifest = JSON.parse(manifestBytes.toString()) as PulledImage['manifest'];
  const blob = async (digest: string) => {
    const r = await registryFetch(registry, `/v2/${repo}/blobs/${digest}`);
    if (!r.ok) throw new Error(`GET blob ${digest}: HTTP ${r.status}`);
    const data = Buffer.from(await r.arrayBuffer());
    if (digestOf(data) !== digest) throw new Error(`blob ${digest} digest mismatch`);
    return data;
  };
  const config = JSON.parse((await blob(manifest.config.digest)).toString()) as PulledImage['config'];
  const layers: TarMember[][] = [];
  for (const [i, layer] of manifest.layers.entries()) {
    const tar = zlib.gunzipSync(await blob(layer.digest));
    if (digestOf(tar) !== config.rootfs.diff_ids[i]) throw new Error(`layer ${i}: diff_id mismatch`);
    layers.push(readTar(tar));
  }
  return { manifest, config, layers };
}

export async function listTags(registry: LocalRegistry, repo: string): Promise<string[]> {
  const res = await registryFetch(registry, `/v2/${repo}/tags/list`);
  if (!res.ok) return [];
  return ((await res.json()) as { tags?: string[] }).tags?.sort() ?? [];
}
