/**
 * ECR's control plane for `build` against moto: the repository created when missing (scan on push,
 * the stage's tags) and left alone when there, the login from GetAuthorizationToken (masked), and
 * DescribeImages telling whether a digest is already in the repository.
 */
import * as core from '@actions/core';
import { DescribeRepositoriesCommand, ListTagsForResourceCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { callLog } from '../../src/aws/clients';
import { ecrClient, ensureRepository, imageExists, imageTags, registryLogin } from '../../src/aws/ecr';
import { FAKE_AWS_ENV, resetMoto } from '../support/moto';
import { MOTO_ECR_PASSWORD, MOTO_ECR_USER } from '../support/registry';

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
