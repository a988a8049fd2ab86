/**
 * The `oci` builder: the image built and pushed without a Docker engine.
 *
 * 1. The base image's manifest (for the platform, through its index) and config are pulled from its
 *    registry; its layers are not downloaded unless the target registry lacks them.
 * 2. Layers are built on the runner, each a deterministic tar.gz (tar.ts): the wheel's dependencies
 *    (pip for the image's platform and Python, from the lock `package` wrote: lock.ts), the wheel, the conf
 *    of the env, the action's runtime.
 * 3. The image config is the base's with our layers' diff_ids, Cmd (the Lambda handler), WorkingDir and
 *    Env; the manifest lists the base's layers then ours, in the base's manifest format.
 * 4. The push sends only what the repository lacks: nothing at all when the manifest's digest is there; the
 *    manifest goes by its digest (the tags are set with ECR's PutImage afterwards).
 *
 * Same inputs, same digest: the dependencies are the lock's (exact versions, files checked against their
 * hashes), layers are deterministic, the config's dates are fixed (SOURCE_DATE_EPOCH or 1970), JSON is
 * written in one order. The dependency layer is cached under `cacheDir`, keyed by the lock, the Python
 * version and the platform, so a rebuild after a code change runs no pip.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActionError } from '../lib/errors';
import { copyRuntime, selectConf } from './context';
import {
  CONF_DIR,
  type ImageKind,
  imageSettings,
  type Platform,
  parsePythonVersion,
  pipPlatforms,
  platformArchitecture,
  RUNTIME_PACKAGE,
  TASK_ROOT,
} from './layout';
import type { ReadLock } from './lock';
import { installDependencies, installWheel } from './pip';
import {
  type Descriptor,
  type ImageManifest,
  MEDIA,
  type PushStats,
  parseImageRef,
  type RegistryClient,
  resolveImage,
  sha256Digest,
} from './registry';
import { entriesFromDir, type LayerBlob, layerMtime, writeLayer } from './tar';
import { readWheelMetadata } from './wheel';

/** Bumped when the layout of a layer changes, so old cached layers are not reused. */
const LAYER_FORMAT = 1;

export type DependencyMode = 'install' | 'skip';

export interface OciBuildOptions {
  wheel: string;
  confArchive: string;
  env: string;
  pythonVersion: string;
  platform: Platform;
  /** e.g. public.ecr.aws/lambda/python:3.12 */
  baseImage: string;
  /** `lambda` (default: the handler as CMD) or `batch` (the entry point as the command). */
  kind?: ImageKind;
  /** Client of the base image's registry (anonymous, or with credentials when it is the target's). */
  baseClient: RegistryClient;
  /** The runner's Python with pip (the `python` input). */
  python: string;
  /**
   * `install` (what users get): the lock's packages in their own layer. `skip`: no dependency layer, for
   * tests and benchmarks that must not download the project's dependencies.
   */
  dependencies: DependencyMode;
  /** The lock of the image's packages (lock.ts readLock); needed to `install`. */
  lock?: ReadLock;
  /** Blob store and layer cache (kept between builds of one job). */
  cacheDir: string;
  /** Environment of pip (PIP_INDEX_URL, PIP_FIND_LINKS, ... pass through). */
  pipEnv?: NodeJS.ProcessEnv;
  /** Labels of the image config (what it was built from: provenance.ts), over the base's. */
  labels?: Record<string, string>;
  mtime?: number;
  log?: (line: string) => void;
}

export interface BuiltLayer {
  name: 'dependencies' | 'wheel' | 'conf' | 'runtime';
  blob: LayerBlob;
  mediaType: string;
  /** Taken from the layer cache (no pip run). */
  cached: boolean;
}

export interface BuiltImage {
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
  config: Buffer;
  configDigest: string;
  base: { ref: string; client: RegistryClient; repository: string; digest: string; layers: Descriptor[] };
  layers: BuiltLayer[];
  /** Compressed bytes of every layer plus the config (what a push to an empty repository sends). */
  totalBytes: number;
  conf: { included: string[]; excluded: string[] };
  requirements: string[];
}

export function blobPath(cacheDir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return path.join(cacheDir, 'blobs', algorithm!, hex!);
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

interface ConfigJson {
  architecture?: string;
  os?: string;
  created?: string;
  config?: {
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    [key: string]: unknown;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
  [key: string]: unknown;
}

export interface ConfigChanges {
  diffIds: string[];
  layerNames: string[];
  cmd: string[];
  workingDir: string;
  env: Record<string, string>;
  entrypoint?: string[];
  created: string;
  labels?: Record<string, string>;
}

/** The base's config with our layers and settings: pure, and the same bytes for the same input. */
export function imageConfig(base: ConfigJson, changes: ConfigChanges): Buffer {
  const config: ConfigJson = JSON.parse(JSON.stringify(base)) as ConfigJson;
  config.created = changes.created;
  const settings = { ...(config.config ?? {}) };
  const env = new Map((settings.Env ?? []).map((e) => [e.split('=')[0]!, e] as const));
  for (const [key, value] of Object.entries(changes.env)) env.set(key, `${key}=${value}`);
  settings.Env = [...env.values()];
  if (changes.entrypoint) settings.Entrypoint = changes.entrypoint;
  settings.Cmd = changes.cmd;
  settings.WorkingDir = changes.workingDir;
  if (changes.labels && Object.keys(changes.labels).length) {
    const labels = { ...(settings.Labels ?? {}), ...changes.labels };
    settings.Labels = Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]!]),
    );
  }
  config.config = settings;
  config.rootfs = { type: 'layers', diff_ids: [...(config.rootfs?.diff_ids ?? []), ...changes.diffIds] };
  // History entries line up with the layers; a base without history gets none added.
  if (Array.isArray(config.history) && config.history.length) {
    config.history = [
      ...config.history,
      ...changes.layerNames.map((name) => ({
        created: changes.created,
        created_by: `kedro-aws-action: ${name}`,
        comment: 'kedro-aws-action',
      })),
    ];
  }
  return Buffer.from(JSON.stringify(config));
}

/** The manifest: the base's layers, then ours, in the base's format (Docker v2 or OCI). */
export function imageManifest(
  mediaType: string,
  config: { digest: string; size: number },
  baseLayers: readonly Descriptor[],
  layers: readonly { digest: string; size: number }[],
): Buffer {
  const docker = mediaType === MEDIA.dockerManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: docker ? MEDIA.dockerManifest : MEDIA.ociManifest,
    config: { mediaType: docker ? MEDIA.dockerConfig : MEDIA.ociConfig, digest: config.digest, size: config.size },
    layers: [
      ...baseLayers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      ...layers.map((l) => ({
        mediaType: docker ? MEDIA.dockerLayerGzip : MEDIA.ociLayerGzip,
        digest: l.digest,
        size: l.size,
      })),
    ],
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** What of a lock decides the packages installed: its options, and each pin with its hashes. */
export function lockKey(lock: ReadLock): string[] {
  return [
    ...lock.parsed.options,
    ...lock.parsed.requirements
      .map(
        (r) =>
          `${r.name.toLowerCase()}${r.extras}${r.url ? ` @ ${r.url}` : `==${r.version}`} ${[...r.hashes].sort().join(' ')}`,
      )
      .sort(),
  ];
}

/** Key of the dependency layer in the cache: what decides its content. */
export function dependencyCacheKey(
  requirements: readonly string[],
  pythonVersion: string,
  platform: Platform,
  mtime: number,
): string {
  const python = parsePythonVersion(pythonVersion);
  return createHash('sha256')
    .update(
      JSON.stringify({
        LAYER_FORMAT,
        requirements,
        python: python.text,
        platforms: pipPlatforms(platform, python),
        mtime,
      }),
    )
    .digest('hex')
    .slice(0, 32);
}

async function layerFromDir(
  name: BuiltLayer['name'],
  dir: string,
  imagePath: string,
  cacheDir: string,
  mtime: number,
  mediaType: string,
): Promise<BuiltLayer> {
  const tmp = path.join(cacheDir, 'tmp', `${name}.tar.gz`);
  const blob = await writeLayer(entriesFromDir(dir, imagePath), tmp, { mtime });
  const file = blobPath(cacheDir, blob.digest);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.renameSync(tmp, file);
  return { name, blob: { ...blob, file }, mediaType, cached: false };
}

function readCachedLayer(file: string, cacheDir: string): LayerBlob | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as LayerBlob;
    const blob = blobPath(cacheDir, meta.digest);
    if (fs.existsSync(blob) && fs.statSync(blob).size === meta.size) return { ...meta, file: blob };
  } catch {
    // no cache entry
  }
  return undefined;
}

/** Builds the image's layers, config and manifest on the runner (nothing is pushed). */
export async function buildImage(o: OciBuildOptions): Promise<BuiltImage> {
  const log = o.log ?? (() => undefined);
  const mtime = o.mtime ?? layerMtime();
  const python = parsePythonVersion(o.pythonVersion);
  const arch = platformArchitecture(o.platform);
  fs.mkdirSync(o.cacheDir, { recursive: true });
  const work = path.join(o.cacheDir, 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });

  // The base: manifest for the platform, and its config (small; kept in the blob store).
  const ref = parseImageRef(o.baseImage);
  log(`Base image ${o.baseImage} (${o.platform})`);
  const base = await resolveImage(o.baseClient, ref.repository, ref.reference, { os: 'linux', architecture: arch });
  if (base.mediaType !== MEDIA.dockerManifest && base.mediaType !== MEDIA.ociManifest) {
    throw new ActionError(
      `the base image ${o.baseImage} has a manifest of type ${base.mediaType}, which the oci builder cannot extend`,
    );
  }
  const baseConfigFile = blobPath(o.cacheDir, base.manifest.config.digest);
  let baseConfigBytes: Buffer;
  if (fs.existsSync(baseConfigFile) && sha256Digest(fs.readFileSync(baseConfigFile)) === base.manifest.config.digest) {
    baseConfigBytes = fs.readFileSync(baseConfigFile);
  } else {
    baseConfigBytes = await o.baseClient.getBlob(ref.repository, base.manifest.config.digest);
    fs.mkdirSync(path.dirname(baseConfigFile), { recursive: true });
    fs.writeFileSync(baseConfigFile, baseConfigBytes);
  }
  const baseConfig = JSON.parse(baseConfigBytes.toString('utf8')) as ConfigJson;
  if ((baseConfig.architecture && baseConfig.architecture !== arch) || (baseConfig.os && baseConfig.os !== 'linux')) {
    throw new ActionError(
      `the base image ${o.baseImage} is ${baseConfig.os}/${baseConfig.architecture}, not ${o.platform}`,
    );
  }
  const layerMedia = base.mediaType === MEDIA.dockerManifest ? MEDIA.dockerLayerGzip : MEDIA.ociLayerGzip;

  const metadata = readWheelMetadata(o.wheel);
  const pip = { python: o.python, platform: o.platform, pythonVersion: python, env: o.pipEnv };
  const layers: BuiltLayer[] = [];

  // 1. Dependencies, from the lock (cached by what decides them).
  const locked = o.lock?.parsed.requirements ?? [];
  if (o.dependencies === 'skip') {
    log(`Dependencies: skipped (${metadata.requirements.length} requirement(s) of the wheel not installed)`);
  } else if (!o.lock) {
    throw new ActionError('the oci builder installs the dependencies from a lock, and none was given');
  } else if (locked.length === 0) {
    log(`Dependencies: the lock ${o.lock.file} holds no package`);
  } else {
    const key = dependencyCacheKey(lockKey(o.lock), python.text, o.platform, mtime);
    const index = path.join(o.cacheDir, 'layers', `dependencies-${key}.json`);
    const cached = readCachedLayer(index, o.cacheDir);
    if (cached) {
      log(`Dependencies: ${locked.length} locked package(s), layer ${cached.digest.slice(0, 19)} from the cache`);
      layers.push({ name: 'dependencies', blob: cached, mediaType: layerMedia, cached: true });
    } else {
      log(
        `Dependencies: pip install of the ${locked.length} package(s) of the lock${o.lock.hashed ? ' (hashes checked)' : ''} ` +
          `for CPython ${python.text} ${o.platform}`,
      );
      const dir = path.join(work, 'dependencies');
      await installDependencies(o.lock, {
        ...pip,
        target: dir,
        label: 'pip (dependencies)',
        direct: metadata.requirements,
      });
      const layer = await layerFromDir('dependencies', dir, TASK_ROOT, o.cacheDir, mtime, layerMedia);
      fs.mkdirSync(path.dirname(index), { recursive: true });
      fs.writeFileSync(
        index,
        JSON.stringify({ digest: layer.blob.digest, diffId: layer.blob.diffId, size: layer.blob.size }),
      );
      layers.push(layer);
    }
  }

  // 2. The project wheel, without dependencies.
  const wheelDir = path.join(work, 'wheel');
  await installWheel(o.wheel, { ...pip, target: wheelDir, label: 'pip (wheel)' });
  layers.push(await layerFromDir('wheel', wheelDir, TASK_ROOT, o.cacheDir, mtime, layerMedia));

  // 3. The conf of the env.
  const conf = await selectConf(o.confArchive, o.env, path.join(work, 'conf'));
  layers.push(await layerFromDir('conf', conf.dir, CONF_DIR, o.cacheDir, mtime, layerMedia));

  // 4. The runtime.
  const runtimeDir = path.join(work, RUNTIME_PACKAGE);
  copyRuntime(runtimeDir);
  layers.push(
    await layerFromDir('runtime', runtimeDir, `${TASK_ROOT}/${RUNTIME_PACKAGE}`, o.cacheDir, mtime, layerMedia),
  );
  fs.rmSync(work, { recursive: true, force: true });

  const config = imageConfig(baseConfig, {
    diffIds: layers.map((l) => l.blob.diffId),
    layerNames: layers.map((l) => l.name),
    ...imageSettings(o.kind ?? 'lambda'),
    workingDir: TASK_ROOT,
    created: isoDate(mtime),
    ...(o.labels ? { labels: o.labels } : {}),
  });
  const configDigest = sha256Digest(config);
  fs.mkdirSync(path.dirname(blobPath(o.cacheDir, configDigest)), { recursive: true });
  fs.writeFileSync(blobPath(o.cacheDir, configDigest), config);
  const manifest = imageManifest(
    base.mediaType,
    { digest: configDigest, size: config.length },
    base.manifest.layers,
    layers.map((l) => l.blob),
  );
  const totalBytes =
    base.manifest.layers.reduce((sum, l) => sum + l.size, 0) +
    layers.reduce((sum, l) => sum + l.blob.size, 0) +
    config.length;
  for (const layer of layers)
    log(
      `  layer ${layer.name}: ${layer.blob.digest.slice(0, 19)} ${formatBytes(layer.blob.size)}${layer.cached ? ' (cached)' : ''}`,
    );
  return {
    manifest,
    manifestDigest: sha256Digest(manifest),
    mediaType: base.mediaType === MEDIA.dockerManifest ? MEDIA.dockerManifest : MEDIA.ociManifest,
    config,
    configDigest,
    base: {
      ref: o.baseImage,
      client: o.baseClient,
      repository: ref.repository,
      digest: base.digest,
      layers: base.manifest.layers,
    },
    layers,
    totalBytes,
    conf: { included: conf.included, excluded: conf.excluded },
    requirements: metadata.requirements,
  };
}

export interface PushOptions {
  client: RegistryClient;
  repository: string;
  /** Asked first: true when the repository already has this digest (ECR's DescribeImages). */
  alreadyThere?: (digest: string) => Promise<boolean>;
  cacheDir: string;
  log?: (line: string) => void;
}

export interface PushResult {
  digest: string;
  /** `<registry>/<repository>@sha256:...` */
  imageUri: string;
  /** True when the manifest was already in the repository: no blob was looked at or sent. */
  alreadyThere: boolean;
  stats: PushStats;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Sends what the repository lacks: base layers (mounted when the base is in the same registry), ours, the
 * config, then the manifest by its digest. No tag: the caller tags the image with ECR's PutImage
 * (src/aws/ecr.ts tagImage), which an immutable repository answers with an error of its own.
 */
export async function pushImage(image: BuiltImage, o: PushOptions): Promise<PushResult> {
  const log = o.log ?? (() => undefined);
  const { client, repository } = o;
  const before = { ...client.stats };
  const digest = image.manifestDigest;
  let alreadyThere = (await o.alreadyThere?.(digest)) ?? false;
  if (!alreadyThere) alreadyThere = (await client.headManifest(repository, digest)) === digest;
  if (alreadyThere) {
    log(`${client.host}/${repository}@${digest} is already there: nothing to push`);
  } else {
    const sameRegistry = image.base.client.host === client.host;
    for (const layer of image.base.layers) {
      const file = blobPath(o.cacheDir, layer.digest);
      const outcome = await client.pushBlob(
        repository,
        layer.digest,
        async () => {
          if (fs.existsSync(file)) return fs.readFileSync(file);
          const bytes = await image.base.client.getBlob(image.base.repository, layer.digest);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, bytes);
          return bytes;
        },
        sameRegistry ? image.base.repository : undefined,
      );
      log(`  base layer ${layer.digest.slice(0, 19)} ${formatBytes(layer.size)}: ${outcome}`);
    }
    for (const layer of image.layers) {
      const outcome = await client.pushBlob(repository, layer.blob.digest, async () =>
        fs.readFileSync(layer.blob.file),
      );
      log(`  layer ${layer.name} ${layer.blob.digest.slice(0, 19)} ${formatBytes(layer.blob.size)}: ${outcome}`);
    }
    await client.pushBlob(repository, image.configDigest, async () => image.config);
    const stored = await client.putManifest(repository, digest, image.mediaType, image.manifest);
    if (stored !== digest)
      throw new ActionError(`${client.host}/${repository} stored the manifest as ${stored}, not ${digest}`);
  }
  const stats: PushStats = {
    blobsUploaded: client.stats.blobsUploaded - before.blobsUploaded,
    bytesUploaded: client.stats.bytesUploaded - before.bytesUploaded,
    blobsMounted: client.stats.blobsMounted - before.blobsMounted,
    blobsPresent: client.stats.blobsPresent - before.blobsPresent,
    manifestsPut: client.stats.manifestsPut - before.manifestsPut,
    bytesDownloaded: image.base.client.stats.bytesDownloaded,
  };
  return { digest, imageUri: `${client.host}/${repository}@${digest}`, alreadyThere, stats };
}
