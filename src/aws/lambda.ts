/**
 * Lambda functions of a stage: create or update one function per group from the image (with the image's
 * architecture), comparing before writing (a redeploy with nothing changed makes no mutating call), and remove the functions
 * of groups that no longer exist (only ours: tagged with the project and stage).
 *
 * Readiness. A function can be invoked only while its `State` is `Active`
 * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): `Pending` after a create,
 * `Inactive` once it has been idle long enough for Lambda to reclaim its resources (a pull-request
 * stage left for weeks), `Failed` when its resources could not be made. An update in progress
 * (`LastUpdateStatus: InProgress`) refuses another update. AWS's documented way back from `Inactive`
 * is an invocation: it fails, and Lambda sets the function `Pending` until its resources are
 * recreated, then `Active`. {@link ensureFunctionActive} does that and waits with the SDK's waiter,
 * on deploy (even when nothing changed) and before a run starts.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  InvokeCommand,
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
import { awsCall, awsError, awsErrorKind } from './errors';

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
  /** What it took to make the function invokable (see {@link ensureFunctionActive}). */
  readiness: Readiness;
}

/** Longest a function may take to become Active or finish an update. */
const WAIT_SECONDS = 300;
/** Longest an Inactive function may take to be Active again (Lambda recreates its resources: the image too). */
const REACTIVATE_WAIT_SECONDS = 900;

/**
 * The event of the invocation that wakes an Inactive function. On an Inactive function the invocation
 * fails before any code runs (that failure is what starts the reactivation); the handler sees it only
 * if the function became Active meanwhile, and refuses it as an invalid event without running a group.
 */
export const REACTIVATE_EVENT = { kedro_aws_action: 'reactivate' } as const;

/** What {@link ensureFunctionActive} had to do: nothing, wait (Pending, an update in progress), or reactivate. */
export type Readiness = 'active' | 'waited' | 'reactivated';

export interface ReadinessOptions {
  /** Seconds to wait for an Inactive function to be Active again (default 900). */
  reactivateWaitSeconds?: number;
  /** Seconds to wait for a Pending function or an update in progress (default 300). */
  waitSeconds?: number;
  /** Shortest pause between two reads of the function, in seconds (the SDK's waiter; default 1). */
  minDelaySeconds?: number;
  /** A failed last update is refused (before a run: the function runs its previous code), or left to the caller (deploy redoes it). */
  failedUpdate?: 'refuse' | 'ignore';
}

function stateOf(config: FunctionConfiguration): string {
  const reason = [config.StateReasonCode, config.StateReason].filter(Boolean).join(': ');
  return `${config.State ?? 'UNKNOWN'}${reason ? ` (${reason})` : ''}`;
}

/**
 * Makes sure function `name` can be invoked: an `Inactive` function is invoked once to reactivate it
 * (the documented way; the invocation is expected to fail) and waited for until `Active`; a
 * `Pending` one, or one whose update is `InProgress`, is waited for. `config` is the function's
 * configuration when the caller has just read it (GetFunction, not ListFunctions: only GetFunction
 * returns `State`). Throws, naming the function, its state and Lambda's reason, when the function is
 * `Failed`, its last update failed, or it does not come back.
 */
export async function ensureFunctionActive(
  client: LambdaClient,
  name: string,
  config?: FunctionConfiguration,
  options: ReadinessOptions = {},
): Promise<Readiness> {
  const fn = `Lambda function ${name}`;
  const delays = { minDelay: options.minDelaySeconds ?? 1, maxDelay: 30 };
  const read = async () =>
    (
      await awsCall({ call: 'lambda:GetFunction', resource: fn }, () =>
        client.send(new GetFunctionCommand({ FunctionName: name })),
      )
    ).Configuration ?? {};
  let current = config ?? (await read());
  let readiness: Readiness = 'active';

  if (current.State === 'Failed') {
    throw new ActionError(
      `${fn} is ${stateOf(current)}: Lambda could not create its resources, so it cannot be invoked. ` +
        'Fix the cause Lambda gives, delete the function and deploy again (mode "deploy").',
    );
  }
  if (current.State === 'Inactive') {
    // The documented way back: an invocation, which fails while Lambda recreates the resources.
    try {
      await client.send(
        new InvokeCommand({
          FunctionName: name,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(REACTIVATE_EVENT)),
        }),
      );
    } catch (error) {
      // Expected: an Inactive function refuses the invocation; the state tells what happens next. Not so
      // when the invocation was not even allowed: then nothing would wake the function.
      if (['access', 'credentials', 'not-found'].includes(awsErrorKind(error))) {
        throw awsError(error, {
          call: 'lambda:InvokeFunction',
          resource: `${fn} (to reactivate it: it is ${stateOf(current)})`,
        });
      }
    }
    const seconds = options.reactivateWaitSeconds ?? REACTIVATE_WAIT_SECONDS;
    try {
      await waitUntilFunctionActiveV2({ client, maxWaitTime: seconds, ...delays }, { FunctionName: name });
    } catch {
      const now = await read().catch(() => current);
      throw new ActionError(
        `${fn} was Inactive and did not become Active after an invocation to reactivate it (waited ${seconds} s; ` +
          `now ${stateOf(now)}). Lambda could not recreate its resources: fix the cause it gives and deploy ` +
          'again (mode "deploy"), which updates the function.',
      );
    }
    readiness = 'reactivated';
    current = await read();
  } else if (current.State === 'Pending') {
    await awsCall({ call: 'lambda:GetFunction', resource: `${fn} (waiting until it is Active)` }, () =>
      waitUntilFunctionActiveV2(
        { client, maxWaitTime: options.waitSeconds ?? WAIT_SECONDS, ...delays },
        { FunctionName: name },
      ),
    );
    readiness = 'waited';
    current = await read();
  }
  if (current.LastUpdateStatus === 'InProgress') {
    await awsCall({ call: 'lambda:GetFunction', resource: `${fn} (waiting until its update is done)` }, () =>
      waitUntilFunctionUpdatedV2(
        { client, maxWaitTime: options.waitSeconds ?? WAIT_SECONDS, ...delays },
        { FunctionName: name },
      ),
    );
    if (readiness === 'active') readiness = 'waited';
  } else if (current.LastUpdateStatus === 'Failed' && options.failedUpdate !== 'ignore') {
    const reason = [current.LastUpdateStatusReasonCode, current.LastUpdateStatusReason].filter(Boolean).join(': ');
    throw new ActionError(
      `${fn}: its last update failed${reason ? ` (${reason})` : ''}, so it still runs its previous code and ` +
        'configuration. Fix the cause and deploy again (mode "deploy").',
    );
  }
  return readiness;
}

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
    return { name: spec.name, arn: created.FunctionArn!, change: 'created', differences: [], readiness: 'waited' };
  }

  const config = existing.Configuration;
  if (config.PackageType !== 'Image') {
    throw new ActionError(
      `Lambda function ${spec.name} exists as a ${config.PackageType ?? 'Zip'} package; a function cannot switch ` +
        'to a container image. Delete it (or change the stage) and deploy again.',
    );
  }
  // Idle for weeks (Inactive), still being created (Pending) or updated: ready first, whatever changes.
  const readiness = await ensureFunctionActive(client, spec.name, config, { failedUpdate: 'ignore' });
  const diffs = configDifferences(config, existing.Code?.ImageUri, spec);
  // The last update failed (the function still runs its previous code and configuration): do it again.
  if (config.LastUpdateStatus === 'Failed') {
    if (!diffs.includes('image')) diffs.push('image');
    diffs.push('the last update, which failed');
  }
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
    readiness,
  };
}

/**
 * Before a run: every function of `names` invokable (see {@link ensureFunctionActive}), read a few at a
 * time. Returns the functions that had to be reactivated or waited for.
 */
export async function ensureFunctionsActive(
  client: LambdaClient,
  names: readonly string[],
  options: ReadinessOptions = {},
): Promise<{ name: string; readiness: Readiness }[]> {
  const out: { name: string; readiness: Readiness }[] = [];
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const readiness = await ensureFunctionActive(client, name, undefined, options);
      if (readiness !== 'active') out.push({ name, readiness });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, names.length) }, worker));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** GetFunction calls in flight at once before a run. */
const READ_CONCURRENCY = 8;

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
