/**
 * Lambda functions of a stage: create or update one function per group from the image (with the image's
 * architecture), comparing before writing (a redeploy with nothing changed makes no mutating call), and remove the functions
 * of groups that no longer exist (only ours: tagged with the project and stage).
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  type LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { INPUT } from '../inputs/table';
import { ActionError } from '../lib/errors';
import { awsCall, awsError } from './errors';

/** Lambda's names of the image architectures. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

export interface FunctionSpec {
  name: string;
  /** Digest-pinned image URI. */
  imageUri: string;
  /** The image's architecture: the function must have the same, or Lambda cannot start it. */
  architecture: LambdaArchitecture;
  roleArn: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  description: string;
  tags: Record<string, string>;
}

export type Change = 'created' | 'updated' | 'unchanged';

export interface FunctionResult {
  name: string;
  arn: string;
  change: Change;
  /** What differed, for the log ("image", "memory", ...). */
  differences: string[];
}

/** Longest a function may take to become Active or finish an update. */
const WAIT_SECONDS = 300;

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const left = a ?? {};
  const keys = new Set([...Object.keys(left), ...Object.keys(b)]);
  for (const k of keys) if (left[k] !== b[k]) return false;
  return true;
}

/** What a function's configuration needs to match the spec (empty: nothing). */
export function configDifferences(
  config: FunctionConfiguration,
  imageUri: string | undefined,
  spec: FunctionSpec,
): string[] {
  const diffs: string[] = [];
  if (imageUri !== spec.imageUri) diffs.push('image');
  // A function without Architectures is x86_64 (Lambda's default).
  if ((config.Architectures?.[0] ?? 'x86_64') !== spec.architecture) diffs.push('architecture');
  if (config.MemorySize !== spec.memoryMb) diffs.push('memory');
  if (config.Timeout !== spec.timeoutSeconds) diffs.push('timeout');
  if (config.Role !== spec.roleArn) diffs.push('role');
  if ((config.Description ?? '') !== spec.description) diffs.push('description');
  if (!sameRecord(config.Environment?.Variables, spec.environment)) diffs.push('environment');
  return diffs;
}

export async function ensureFunction(client: LambdaClient, spec: FunctionSpec): Promise<FunctionResult> {
  const waiter = { client, maxWaitTime: WAIT_SECONDS };
  const fn = `Lambda function ${spec.name}`;
  // Either input can be what Lambda refuses: the role it cannot assume, or the image it cannot pull.
  const inputs = [INPUT.lambdaRoleArn, INPUT.imageUri];
  let existing: GetFunctionCommandOutput | undefined;
  try {
    existing = await client.send(new GetFunctionCommand({ FunctionName: spec.name }));
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw awsError(e, { call: 'lambda:GetFunction', resource: fn });
  }
  if (!existing?.Configuration) {
    const created = await awsCall({ call: 'lambda:CreateFunction', resource: fn, input: inputs }, () =>
      client.send(
        new CreateFunctionCommand({
          FunctionName: spec.name,
          PackageType: 'Image',
          Code: { ImageUri: spec.imageUri },
          Architectures: [spec.architecture],
          Role: spec.roleArn,
          MemorySize: spec.memoryMb,
          Timeout: spec.timeoutSeconds,
          Description: spec.description,
          Environment: { Variables: spec.environment },
          Tags: spec.tags,
        }),
      ),
    );
    await awsCall({ call: 'lambda:GetFunction', resource: `${fn} (waiting until it is Active)`, input: inputs }, () =>
      waitUntilFunctionActiveV2(waiter, { FunctionName: spec.name }),
    );
    return { name: spec.name, arn: created.FunctionArn!, change: 'created', differences: [] };
  }

  const config = existing.Configuration;
  if (config.PackageType !== 'Image') {
    throw new ActionError(
      `Lambda function ${spec.name} exists as a ${config.PackageType ?? 'Zip'} package; a function cannot switch ` +
        'to a container image. Delete it (or change the stage) and deploy again.',
    );
  }
  const diffs = configDifferences(config, existing.Code?.ImageUri, spec);
  const updating = { call: 'lambda:GetFunction', resource: `${fn} (waiting until its update is done)`, input: inputs };
  // The architecture goes with the code (UpdateFunctionCode), not with the configuration.
  if (diffs.includes('image') || diffs.includes('architecture')) {
    await awsCall({ call: 'lambda:UpdateFunctionCode', resource: fn, input: INPUT.imageUri }, () =>
      client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: spec.name,
          ImageUri: spec.imageUri,
          Architectures: [spec.architecture],
        }),
      ),
    );
    await awsCall(updating, () => waitUntilFunctionUpdatedV2(waiter, { FunctionName: spec.name }));
  }
  if (diffs.some((d) => d !== 'image' && d !== 'architecture')) {
    await awsCall({ call: 'lambda:UpdateFunctionConfiguration', resource: fn, input: INPUT.lambdaRoleArn }, () =>
      client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: spec.name,
          Role: spec.roleArn,
          MemorySize: spec.memoryMb,
          Timeout: spec.timeoutSeconds,
          Description: spec.description,
          Environment: { Variables: spec.environment },
        }),
      ),
    );
    await awsCall(updating, () => waitUntilFunctionUpdatedV2(waiter, { FunctionName: spec.name }));
  }
  if (!sameRecord(pick(existing.Tags, Object.keys(spec.tags)), spec.tags)) {
    await awsCall({ call: 'lambda:TagResource', resource: fn }, () =>
      client.send(new TagResourceCommand({ Resource: config.FunctionArn!, Tags: spec.tags })),
    );
    diffs.push('tags');
  }
  return {
    name: spec.name,
    arn: config.FunctionArn!,
    change: diffs.length ? 'updated' : 'unchanged',
    differences: diffs,
  };
}

function pick(record: Record<string, string> | undefined, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (record?.[k] !== undefined) out[k] = record[k]!;
  return out;
}

/**
 * Deletes functions that carry every one of `ownerTags` (this project and stage) but are not in `keep`.
 * With `namePrefix`, only functions whose names start with it are looked at (their tags are read one by
 * one); without, every function of the account and region is (teardown: names that were cut and hashed
 * to fit Lambda's limit are found by their tags).
 */
export async function removeStaleFunctions(
  client: LambdaClient,
  options: { keep: Set<string>; namePrefix?: string; ownerTags: Record<string, string> },
): Promise<string[]> {
  const removed: string[] = [];
  const listed: FunctionConfiguration[] = await awsCall(
    {
      call: 'lambda:ListFunctions',
      resource: options.namePrefix ? `the Lambda functions named ${options.namePrefix}*` : 'the Lambda functions',
    },
    async () => {
      const all: FunctionConfiguration[] = [];
      for await (const page of paginateListFunctions({ client }, {})) all.push(...(page.Functions ?? []));
      return all;
    },
  );
  for (const fn of listed) {
    const name = fn.FunctionName!;
    if (options.keep.has(name) || !name.startsWith(options.namePrefix ?? '')) continue;
    const resource = `Lambda function ${name}`;
    const { Tags } = await awsCall({ call: 'lambda:ListTags', resource }, () =>
      client.send(new ListTagsCommand({ Resource: fn.FunctionArn! })),
    );
    if (!sameRecord(pick(Tags, Object.keys(options.ownerTags)), options.ownerTags)) continue;
    await awsCall({ call: 'lambda:DeleteFunction', resource }, () =>
      client.send(new DeleteFunctionCommand({ FunctionName: name })),
    );
    removed.push(name);
  }
  return removed;
}
