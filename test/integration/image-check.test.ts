/**
 * The image `deploy` is given is the package of its step, and the functions have its architecture:
 * `build` (oci builder, moto's ECR, a real registry on loopback with moto's login) labels the image with
 * the digests of the wheel and the conf it holds; `deploy` (the action, in this process) reads the
 * labels back from the registry and refuses an image built from other code, unless allowed; the Lambda
 * functions get the image's architecture, which moto records in their configuration.
 *
 * moto keeps `Architectures` from CreateFunction but ignores it in UpdateFunctionCode
 * (moto/awslambda/models.py, `_set_function_code`), so for an update the request itself is checked: AWS
 * takes the architecture there (Lambda API reference, UpdateFunctionCode: "Architectures").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient } from '../../src/aws/clients';
import { ensureFunction, type FunctionSpec } from '../../src/aws/lambda';
import { LABEL } from '../../src/build/provenance';
import { createContext, type ModeContext } from '../../src/context/context';
import { readInputs } from '../../src/inputs';
import { type BuildOptions, buildMode } from '../../src/modes/build';
import { runInProcess } from '../support/inprocess';
import { exportPlan, kedroPackage } from '../support/kedro';
import { createDataBuckets, PYTHON, resetMoto } from '../support/moto';
import { copyProject, EXAMPLE } from '../support/projects';
import {
  type LocalRegistry,
  MOTO_ECR_PASSWORD,
  MOTO_ECR_USER,
  pullImage,
  pushTinyBase,
  startRegistry,
  type TinyBase,
} from '../support/registry';

const REPO = 'spaceflights';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('deploy compares the image with the package of its step', () => {
  let registry: LocalRegistry;
  let project: string;
  let packaged: { wheel: string; confArchive: string; plan: string };
  let base: TinyBase;
  let baseRef: string;
  let runnerTemp: string;
  let roles: { lambda: string; sfn: string };
  let amd64Image: string;
  const lambda = new LambdaClient({ region: 'us-east-1' });

  /** build, as the action runs it, but without downloading the example's dependencies. */
  async function build(stage: string, platform: string): Promise<string> {
    const inputs = readInputs(
      (name) =>
        (
          ({
            mode: 'build',
            'project-path': project,
            python: PYTHON,
            stage,
            wheel: packaged.wheel,
            'conf-archive': packaged.confArchive,
            plan: packaged.plan,
          }) as Record<string, string>
        )[name] ?? '',
      project,
    );
    const ctx: ModeContext = createContext(inputs, { ...process.env, RUNNER_TEMP: runnerTemp });
    const options: BuildOptions = {
      ecrRepository: REPO,
      createRepository: true,
      builder: 'oci',
      platform,
      registry: registry.host,
      baseImage: baseRef,
      dependencies: 'skip',
    };
    return (await buildMode({ ...ctx, setOutput: () => undefined }, options)).imageUri;
  }

  const deploy = (stage: string, inputs: Record<string, string> = {}) =>
    runInProcess(
      {
        mode: 'deploy',
        'project-path': project,
        python: PYTHON,
        stage,
        wheel: packaged.wheel,
        'conf-archive': packaged.confArchive,
        plan: packaged.plan,
        registry: registry.host,
        'lambda-role-arn': roles.lambda,
        'sfn-role-arn': roles.sfn,
        'allow-shared-outputs': 'true',
        ...inputs,
      },
      { runnerTemp },
    );

  const architectures = async (name: string) =>
    (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.Architectures;

  beforeAll(async () => {
    await resetMoto();
    await createDataBuckets();
    const iam = new IAMClient({ region: 'us-east-1' });
    const role = async (name: string) =>
      (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
    roles = { lambda: await role('kedro-lambda'), sfn: await role('kedro-sfn') };
    registry = await startRegistry(MOTO_ECR_USER, MOTO_ECR_PASSWORD);
    project = copyProject(EXAMPLE);
    const plan = exportPlan(project);
    packaged = { ...kedroPackage(project, 'spaceflights'), plan: path.join(project, 'plan.json') };
    base = await pushTinyBase(registry, 'base/lambda-python', plan.project.python_version);
    baseRef = base.ref;
    runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-image-check-'));
  });
  afterAll(async () => {
    await registry?.stop();
  });

  test('build labels the image with the digests of its wheel and conf, and the plan', async () => {
    amd64Image = await build('built', 'linux/amd64');
    const image = await pullImage(registry, REPO, amd64Image.split('@')[1]!);
    const labels = (image.config.config as { Labels?: Record<string, string> }).Labels;
    expect(labels).toEqual({
      [LABEL.conf]: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      [LABEL.env]: 'aws',
      [LABEL.plan]: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      [LABEL.wheel]: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    const state = JSON.parse(fs.readFileSync(path.join(runnerTemp, 'kedro-aws-action', 'built', 'state.json'), 'utf8'));
    expect(JSON.parse(state['image-platform'])).toEqual({ image: amd64Image, platform: 'linux/amd64' });
  });

  test('the image of this package deploys; the functions are x86_64 in their configuration', async () => {
    const deployed = await deploy('same', { 'image-uri': amd64Image });
    expect(deployed.failure).toBeUndefined();
    const functions = JSON.parse(deployed.outputs['lambda-function-arns']!) as Record<string, string>;
    expect(Object.keys(functions).sort()).toEqual(['data_processing', 'data_science', 'reporting']);
    for (const arn of Object.values(functions)) expect(await architectures(arn)).toEqual(['x86_64']);
  });

  test('after a code change and a new package, the old image is refused before anything changes', async () => {
    const nodes = path.join(project, 'src', 'spaceflights', 'pipelines', 'data_processing', 'nodes.py');
    fs.appendFileSync(nodes, '\n# changed after the image was built\n');
    kedroPackage(project, 'spaceflights'); // the same paths, a new wheel
    const refused = await deploy('changed', { 'image-uri': amd64Image });
    expect(refused.ok).toBe(false);
    expect(refused.failure).toMatch(
      /the image 127\.0\.0\.1:\d+\/spaceflights@sha256:[0-9a-f]{64} was not built from the package of this step: its wheel is sha256:[0-9a-f]{64}, this step's is sha256:[0-9a-f]{64}\..*allow-image-mismatch: true/s,
    );
    expect(refused.failure).not.toMatch(/its conf/); // the conf did not change
    expect(refused.mutatingCalls).toEqual([]);

    // Allowed: deployed without reading the image.
    const allowed = await deploy('changed', { 'image-uri': amd64Image, 'allow-image-mismatch': 'true' });
    expect(allowed.failure).toBeUndefined();
    expect(allowed.calls.some((c) => c.operation === 'GetAuthorizationToken')).toBe(false);
  });

  test('another env than the image was built for is refused, naming both', async () => {
    fs.mkdirSync(path.join(project, 'conf', 'prod'), { recursive: true });
    for (const f of fs.readdirSync(path.join(project, 'conf', 'aws')))
      fs.copyFileSync(path.join(project, 'conf', 'aws', f), path.join(project, 'conf', 'prod', f));
    const plan = exportPlan(project, { env: 'prod' });
    const planFile = path.join(runnerTemp, 'plan-prod.json');
    fs.writeFileSync(planFile, JSON.stringify(plan));
    kedroPackage(project, 'spaceflights');
    const refused = await deploy('prod', { 'image-uri': amd64Image, plan: planFile, env: 'prod' });
    expect(refused.failure).toMatch(/its conf is sha256:.*\(built for env "aws", deployed with env "prod"\)/);
  });

  test('an image without labels (not built by this action) is refused', async () => {
    const refused = await deploy('unlabelled', {
      'image-uri': `${registry.host}/base/lambda-python@${base.amd64Digest}`,
    });
    expect(refused.failure).toMatch(
      /lambda-python@sha256:[0-9a-f]{64} was not built from the package of this step: it has no kedro-aws-action labels/,
    );
  });

  test('an arm64 image: the functions are created arm64, as its config says (moto records it)', async () => {
    const armImage = await build('arm-build', 'linux/arm64');
    expect((await pullImage(registry, REPO, armImage.split('@')[1]!)).config.architecture).toBe('arm64');
    // Another stage than the build's, and the platform input left at linux/amd64: the image's config decides.
    const created = await deploy('arm', { 'image-uri': armImage });
    expect(created.failure).toBeUndefined();
    for (const arn of Object.values(JSON.parse(created.outputs['lambda-function-arns']!) as Record<string, string>))
      expect(await architectures(arn)).toEqual(['arm64']);
  });
});

describe('ensureFunction and the architecture (moto)', () => {
  const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/kedro@sha256:${'ab'.repeat(32)}`;
  let role: string;

  beforeAll(async () => {
    await resetMoto();
    const iam = new IAMClient({ region: 'us-east-1' });
    role = (await iam.send(new CreateRoleCommand({ RoleName: 'kedro-fn', AssumeRolePolicyDocument: TRUST }))).Role!
      .Arn!;
  });

  test('a function whose architecture differs is updated with the image, the architecture in the request', async () => {
    const client = lambdaClient({ region: 'us-east-1', maxAttempts: 2 });
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: String(context.commandName), input: (args as { input: Record<string, unknown> }).input });
        return next(args);
      },
      { step: 'initialize', name: 'testSeeRequests' },
    );
    const spec: FunctionSpec = {
      name: 'kedro-arch-fn',
      imageUri: IMAGE,
      architecture: 'x86_64',
      roleArn: role,
      memoryMb: 512,
      timeoutSeconds: 60,
      environment: {},
      description: 'x',
      tags: {},
    };
    expect((await ensureFunction(client, spec)).change).toBe('created');
    expect(sent.find((s) => s.command === 'CreateFunctionCommand')?.input.Architectures).toEqual(['x86_64']);
    expect((await ensureFunction(client, spec)).change).toBe('unchanged');

    sent.length = 0;
    const moved = await ensureFunction(client, { ...spec, architecture: 'arm64' });
    expect(moved).toMatchObject({ change: 'updated', differences: ['architecture'] });
    expect(sent.filter((s) => s.command === 'UpdateFunctionCodeCommand').map((s) => s.input)).toEqual([
      { FunctionName: spec.name, ImageUri: IMAGE, Architectures: ['arm64'] },
    ]);
    expect(sent.some((s) => s.command === 'UpdateFunctionConfigurationCommand')).toBe(false);
  });
});
