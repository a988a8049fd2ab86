/**
 * ECR's control plane for `build` against moto: the repository created when missing (scan on push,
 * the stage's tags) and left alone when there, the login from GetAuthorizationToken (masked), and
 * DescribeImages telling whether a digest is already in the repository. Then the tags of an image pushed
 * by digest (PutImage), against the ECR stand-in of test/support/ecr.ts, which enforces tag immutability
 * as ECR does (moto does not: it answers an immutable tag with ImageAlreadyExistsException).
 */
import * as core from '@actions/core';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
} from '@aws-sdk/client-ecr';
import { callLog } from '../../src/aws/clients';
import { ecrClient, ensureRepository, imageExists, imageTags, registryLogin, tagImage } from '../../src/aws/ecr';
import { RegistryClient, sha256Digest } from '../../src/build/registry';
import { type EcrStandIn, startEcr } from '../support/ecr';
import { FAKE_AWS_ENV, resetMoto } from '../support/moto';
import {
  type LocalRegistry,
  listTags,
  MOTO_ECR_PASSWORD,
  MOTO_ECR_USER,
  pushTinyBase,
  startRegistry,
} from '../support/registry';

const ecr = () => ecrClient({ region: FAKE_AWS_ENV.AWS_REGION, maxAttempts: 2 });

describe('ECR control plane (moto)', () => {
  beforeAll(async () => {
    await resetMoto();
  });

  test('creates the repository when missing, with scan on push and tags; then finds it', async () => {
    const client = ecr();
    const before = callLog.length;
    const created = await ensureRepository(client, {
      name: 'kedro/spaceflights',
      create: true,
      tags: { 'kedro-aws:stage': 'dev' },
    });
    expect(created).toMatchObject({
      name: 'kedro/spaceflights',
      registryId: '123456789012',
      registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro/spaceflights',
      created: true,
    });
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['kedro/spaceflights'] }));
    expect(described.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);
    const tags = await client.send(
      new ListTagsForResourceCommand({ resourceArn: described.repositories![0]!.repositoryArn! }),
    );
    expect(tags.tags).toEqual([{ Key: 'kedro-aws:stage', Value: 'dev' }]);

    const again = await ensureRepository(client, { name: 'kedro/spaceflights', create: true, tags: {} });
    expect(again.created).toBe(false);
    expect(callLog.slice(before).map((c) => `${c.service}:${c.operation}`)).toEqual([
      'ecr:DescribeRepositories',
      'ecr:CreateRepository',
      'ecr:DescribeRepositories',
      'ecr:ListTagsForResource',
      'ecr:DescribeRepositories',
    ]);
  });

  test('create-repository false: a missing repository is an error that says what to do', async () => {
    await expect(ensureRepository(ecr(), { name: 'kedro/missing', create: false, tags: {} })).rejects.toThrow(
      /"kedro\/missing" does not exist and input "create-repository" is false/,
    );
    await expect(ensureRepository(ecr(), { name: 'Not_Valid-', create: true, tags: {} })).rejects.toThrow(
      /input "ecr-repository"/,
    );
  });

  test('GetAuthorizationToken: Basic user and password for the registry, masked', async () => {
    const masked: string[] = [];
    const spy = jest.spyOn(core, 'setSecret').mockImplementation((s) => {
      masked.push(s);
    });
    try {
      const login = await registryLogin(ecr(), '123456789012');
      expect(login.username).toBe(MOTO_ECR_USER);
      expect(login.password).toBe(MOTO_ECR_PASSWORD);
      expect(login.proxyEndpoint).toBe('https://123456789012.dkr.ecr.us-east-1.amazonaws.com');
      // Both the token and the password are masked before anything else is logged.
      expect(masked).toEqual([Buffer.from(`AWS:${MOTO_ECR_PASSWORD}`).toString('base64'), MOTO_ECR_PASSWORD]);
    } finally {
      spy.mockRestore();
    }
  });

  test('DescribeImages: a digest in the repository is found, another is not', async () => {
    const client = ecr();
    await ensureRepository(client, { name: 'kedro/images', create: true, tags: {} });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        digest: `sha256:${'1'.repeat(64)}`,
        size: 1,
      },
      layers: [],
    });
    const put = await client.send(
      new PutImageCommand({ repositoryName: 'kedro/images', imageManifest: manifest, imageTag: 'dev' }),
    );
    // moto computes its own digest (not the manifest's sha256): take the one it gives.
    const digest = put.image?.imageId?.imageDigest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await imageExists(client, 'kedro/images', digest!)).toBe(true);
    expect(await imageTags(client, 'kedro/images', digest!)).toEqual(['dev']);
    const other = `sha256:${digest!.endsWith('f') ? 'e'.repeat(64) : 'f'.repeat(64)}`;
    expect(await imageExists(client, 'kedro/images', other)).toBe(false);
    expect(await imageTags(client, 'kedro/images', other)).toEqual([]);
  });
});

describe('image tags with PutImage, against the ECR stand-in', () => {
  let backend: LocalRegistry;
  let standIn: EcrStandIn;
  const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
  /** Digests of two different images pushed by digest (no tag) to `repo`. */
  async function twoImages(repo: string): Promise<[string, string]> {
    const base = await pushTinyBase(standIn, `${repo}-base`, 'x');
    const client = new RegistryClient({
      registry: standIn.host,
      credentials: { username: 'AWS', password: MOTO_ECR_PASSWORD },
    });
    const digests: string[] = [];
    for (const label of ['one', 'two']) {
      const source = await client.getManifest(`${repo}-base`, base.amd64Digest);
      const json = JSON.parse(source.bytes.toString('utf8')) as {
        config: { digest: string; size: number };
        layers: { digest: string }[];
      };
      const config = Buffer.from(
        JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, label }),
      );
      await client.pushBlob(repo, sha256Digest(config), async () => config);
      for (const layer of json.layers)
        await client.pushBlob(repo, layer.digest, async () => Buffer.alloc(0), `${repo}-base`);
      const manifest = Buffer.from(
        JSON.stringify({ ...json, config: { ...json.config, digest: sha256Digest(config), size: config.length } }),
      );
      digests.push(await client.putManifest(repo, sha256Digest(manifest), DOCKER_MANIFEST, manifest));
    }
    return digests as [string, string];
  }
  const ecr = () => ecrClient({ region: FAKE_AWS_ENV.AWS_REGION, maxAttempts: 2 });

  beforeAll(async () => {
    await resetMoto();
    backend = await startRegistry();
    standIn = await startEcr(backend);
    process.env.AWS_ENDPOINT_URL_ECR = standIn.endpoint;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_ECR;
    await standIn?.stop();
    await backend?.stop();
  });

  test("the docker builder's way: the manifest read back with BatchGetImage, then one PutImage per missing tag", async () => {
    const client = ecr();
    await client.send(new CreateRepositoryCommand({ repositoryName: 'tags/mutable' }));
    const [one, two] = await twoImages('tags/mutable');
    const before = callLog.length;
    const first = await tagImage(client, { repository: 'tags/mutable', digest: one, tags: ['abc123', 'dev'] });
    expect(first).toEqual({ set: ['abc123', 'dev'], already: [], kept: [] });
    expect(callLog.slice(before).map((c) => c.operation)).toEqual([
      'DescribeImages',
      'BatchGetImage',
      'PutImage',
      'PutImage',
    ]);
    expect(await imageTags(client, 'tags/mutable', one)).toEqual(['abc123', 'dev']);
    // Again: nothing to do (DescribeImages shows the tags), not even a read of the manifest.
    const since = callLog.length;
    expect(await tagImage(client, { repository: 'tags/mutable', digest: one, tags: ['abc123', 'dev'] })).toEqual({
      set: [],
      already: ['abc123', 'dev'],
      kept: [],
    });
    expect(callLog.slice(since).map((c) => c.operation)).toEqual(['DescribeImages']);
    // A mutable repository moves a tag to another image.
    expect(await tagImage(client, { repository: 'tags/mutable', digest: two, tags: ['dev'] })).toEqual({
      set: ['dev'],
      already: [],
      kept: [],
    });
    expect(await imageTags(client, 'tags/mutable', one)).toEqual(['abc123']);
    expect(await listTags(standIn, 'tags/mutable')).toEqual(['abc123', 'dev']);
  });

  test('an immutable repository refuses any tag that exists, even on the same image; build reports it as kept', async () => {
    const client = ecr();
    await client.send(
      new CreateRepositoryCommand({ repositoryName: 'tags/immutable', imageTagMutability: 'IMMUTABLE' }),
    );
    const [one, two] = await twoImages('tags/immutable');
    expect(await tagImage(client, { repository: 'tags/immutable', digest: one, tags: ['nightly'] })).toEqual({
      set: ['nightly'],
      already: [],
      kept: [],
    });
    const outcome = await tagImage(client, { repository: 'tags/immutable', digest: two, tags: ['nightly', 'sha2'] });
    expect(outcome).toEqual({ set: ['sha2'], already: [], kept: ['nightly'] });
    expect(await imageTags(client, 'tags/immutable', one)).toEqual(['nightly']);

    // What ECR answers, call by call.
    const manifest = (
      await client.send(
        new BatchGetImageCommand({ repositoryName: 'tags/immutable', imageIds: [{ imageDigest: one }] }),
      )
    ).images![0]!;
    const put = (tag: string) =>
      client.send(
        new PutImageCommand({
          repositoryName: 'tags/immutable',
          imageManifest: manifest.imageManifest,
          imageManifestMediaType: manifest.imageManifestMediaType,
          imageTag: tag,
        }),
      );
    await expect(put('nightly')).rejects.toMatchObject({
      name: 'ImageTagAlreadyExistsException',
      message: expect.stringMatching(/The image tag 'nightly' already exists in the 'tags\/immutable' repository/),
      $metadata: { httpStatusCode: 400 },
    });
    await client.send(
      new PutImageTagMutabilityCommand({ repositoryName: 'tags/immutable', imageTagMutability: 'MUTABLE' }),
    );
    await expect(put('nightly')).rejects.toMatchObject({ name: 'ImageAlreadyExistsException' });
    // build treats "already there" as done.
    expect(await tagImage(client, { repository: 'tags/immutable', digest: one, tags: ['nightly'] })).toMatchObject({
      already: ['nightly'],
    });
    await expect(
      client.send(
        new PutImageCommand({
          repositoryName: 'tags/immutable',
          imageManifest: manifest.imageManifest,
          imageTag: 'x',
          imageDigest: two,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ImageDigestDoesNotMatchException' });
  });

  test('an image ECR does not have cannot be tagged: the error names it', async () => {
    const client = ecr();
    await client.send(new CreateRepositoryCommand({ repositoryName: 'tags/empty' }));
    await expect(
      tagImage(client, { repository: 'tags/empty', digest: `sha256:${'0'.repeat(64)}`, tags: ['dev'] }),
    ).rejects.toThrow(/ECR has no manifest for image sha256:0{64} of ECR repository tags\/empty \(ImageNotFound/);
  });

  test('the stand-in fails loudly on a mutability setting it does not model', async () => {
    const client = ecr();
    await client.send(
      new CreateRepositoryCommand({
        repositoryName: 'tags/exclusions',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      }),
    );
    await expect(
      tagImage(client, { repository: 'tags/exclusions', digest: `sha256:${'0'.repeat(64)}`, tags: ['dev'] }),
    ).rejects.toThrow(/does not model imageTagMutability IMMUTABLE_WITH_EXCLUSION/);
  });
});
