/**
 * Step Functions effects: the state machine of a stage (create or update, compare before writing,
 * publish a version), executions (start, describe, stop) and the execution history, read newest
 * first and only as far back as the last event already seen.
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  paginateListStateMachines,
  type SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TagResourceCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { INPUT } from '../inputs/table';
import { awsCall, awsError } from './errors';
import type { Change } from './lambda';

export interface StateMachineSpec {
  name: string;
  /** The definition as JSON text. */
  definition: string;
  roleArn: string;
  tags: Record<string, string>;
  /** Description of the version published when something changed (carries the git SHA). */
  versionDescription: string;
}

export interface StateMachineResult {
  arn: string;
  /** The version published by this deploy, or the latest one when nothing changed. */
  versionArn: string | undefined;
  change: Change;
  differences: string[];
  /** Why no version could be listed (when `versionArn` is undefined on an unchanged machine). */
  versionError?: string;
}

async function findStateMachineArn(client: SFNClient, name: string): Promise<string | undefined> {
  return awsCall({ call: 'states:ListStateMachines', resource: `state machine ${name}` }, async () => {
    for await (const page of paginateListStateMachines({ client }, {})) {
      const match = page.stateMachines?.find((sm) => sm.name === name);
      if (match) return match.stateMachineArn;
    }
    return undefined;
  });
}

/** Two definitions are the same when they parse to the same JSON (whitespace and key order aside). */
export function sameDefinition(a: string, b: string): boolean {
  const canonical = (text: string): string => JSON.stringify(sortKeys(JSON.parse(text)));
  try {
    return canonical(a) === canonical(b);
  } catch {
    return false;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export async function ensureStateMachine(client: SFNClient, spec: StateMachineSpec): Promise<StateMachineResult> {
  const tagList = Object.entries(spec.tags).map(([key, value]) => ({ key, value }));
  const arn = await findStateMachineArn(client, spec.name);
  const machine = `state machine ${spec.name}`;
  if (!arn) {
    const created = await awsCall(
      { call: 'states:CreateStateMachine', resource: machine, input: INPUT.sfnRoleArn },
      () =>
        client.send(
          new CreateStateMachineCommand({
            name: spec.name,
            definition: spec.definition,
            roleArn: spec.roleArn,
            type: 'STANDARD',
            tags: tagList,
            publish: true,
            versionDescription: spec.versionDescription,
          }),
        ),
    );
    return {
      arn: created.stateMachineArn!,
      versionArn: created.stateMachineVersionArn,
      change: 'created',
      differences: [],
    };
  }

  const current = await awsCall({ call: 'states:DescribeStateMachine', resource: machine }, () =>
    client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
  );
  const differences: string[] = [];
  if (!sameDefinition(current.definition ?? '', spec.definition)) differences.push('definition');
  if (current.roleArn !== spec.roleArn) differences.push('role');
  let versionArn: string | undefined;
  let versionError: string | undefined;
  if (differences.length > 0) {
    const updated = await awsCall(
      { call: 'states:UpdateStateMachine', resource: machine, input: INPUT.sfnRoleArn },
      () =>
        client.send(
          new UpdateStateMachineCommand({
            stateMachineArn: arn,
            definition: spec.definition,
            roleArn: spec.roleArn,
            publish: true,
            versionDescription: spec.versionDescription,
          }),
        ),
    );
    versionArn = updated.stateMachineVersionArn;
  } else {
    ({ versionArn, versionError } = await latestVersionArn(client, arn));
  }
  const { tags } = await awsCall({ call: 'states:ListTagsForResource', resource: machine }, () =>
    client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
  );
  const currentTags = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
  if (tagList.some(({ key, value }) => currentTags[key] !== value)) {
    await awsCall({ call: 'states:TagResource', resource: machine }, () =>
      client.send(new TagResourceCommand({ resourceArn: arn, tags: tagList })),
    );
    differences.push('tags');
  }
  return {
    arn,
    versionArn,
    change: differences.length ? 'updated' : 'unchanged',
    differences,
    ...(versionError ? { versionError } : {}),
  };
}

/**
 * The newest published version, or undefined when it cannot be listed (an emulator without the call, or a
 * role without states:ListStateMachineVersions): the output is informative, not worth failing a deploy.
 */
async function latestVersionArn(
  client: SFNClient,
  stateMachineArn: string,
): Promise<{ versionArn?: string; versionError?: string }> {
  try {
    const versions = await client.send(new ListStateMachineVersionsCommand({ stateMachineArn, maxResults: 1 }));
    return { versionArn: versions.stateMachineVersions?.[0]?.stateMachineVersionArn };
  } catch (error) {
    return { versionError: `ListStateMachineVersions failed: ${(error as Error).message}` };
  }
}

export interface StartedExecution {
  executionArn: string;
  /** False when an execution of that name already existed (a re-run of the same attempt). */
  started: boolean;
  input: string;
}

/**
 * Starts an execution with a deterministic name. When an execution of that name already exists (the same
 * workflow run attempt ran this step before), it is reused instead of starting a duplicate.
 */
export async function startExecution(
  client: SFNClient,
  options: { stateMachineArn: string; name: string; input: string },
): Promise<StartedExecution> {
  try {
    const res = await client.send(new StartExecutionCommand(options));
    return { executionArn: res.executionArn!, started: true, input: options.input };
  } catch (e) {
    if (!(e instanceof ExecutionAlreadyExists)) {
      throw awsError(e, {
        call: 'states:StartExecution',
        resource: `state machine ${options.stateMachineArn}`,
        input: INPUT.stateMachineArn,
        hint: `(The state machine is what mode "deploy" left, or input "${INPUT.stateMachineArn}".)`,
      });
    }
    const executionArn = executionArnFor(options.stateMachineArn, options.name);
    const existing = await describeExecution(client, executionArn);
    return { executionArn, started: false, input: existing.input ?? options.input };
  }
}

/** arn:aws:states:r:a:stateMachine:name  →  arn:aws:states:r:a:execution:name:executionName */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  // A version or alias ARN carries a qualifier after the name; executions are named on the machine itself.
  const [prefix, name] = [parts.slice(0, 5).join(':'), parts[6]];
  return `${prefix}:execution:${name}:${executionName}`;
}

export async function describeExecution(
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return awsCall(
    { call: 'states:DescribeExecution', resource: `execution ${executionArn}`, input: INPUT.executionArn },
    () => client.send(new DescribeExecutionCommand({ executionArn })),
  );
}

export async function stopExecution(client: SFNClient, executionArn: string, cause: string): Promise<void> {
  await awsCall({ call: 'states:StopExecution', resource: `execution ${executionArn}` }, () =>
    client.send(new StopExecutionCommand({ executionArn, error: 'KedroAwsAction.Stopped', cause })),
  );
}

export { StateMachineDoesNotExist };

/**
 * Reads the events newer than `afterId`, oldest first: pages are read newest first and reading stops at
 * the first event already seen, so a poll costs one call while little happened.
 */
export async function newHistoryEvents(
  client: SFNClient,
  executionArn: string,
  afterId: number,
): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall({ call: 'states:GetExecutionHistory', resource: `execution ${executionArn}` }, () =>
      client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 100,
          nextToken: token,
          includeExecutionData: true,
        }),
      ),
    );
    const events = page.events ?? [];
    fresh.push(...events.filter((e) => (e.id ?? 0) > afterId));
    // Newest first (as asked): an event already seen means everything after it was seen too.
    const descending = events.length < 2 || (events[0]!.id ?? 0) > (events[events.length - 1]!.id ?? 0);
    if (descending && events.some((e) => (e.id ?? 0) <= afterId)) break;
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
}

/** Deletes every state machine that carries all of `ownerTags` (found by its tags, not its name); returns their ARNs. */
export async function deleteStateMachinesTagged(
  client: SFNClient,
  ownerTags: Record<string, string>,
): Promise<string[]> {
  const deleted: string[] = [];
  for await (const page of paginateListStateMachines({ client }, {})) {
    for (const machine of page.stateMachines ?? []) {
      const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: machine.stateMachineArn! }));
      const current = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
      if (Object.entries(ownerTags).some(([k, v]) => current[k] !== v)) continue;
      await client.send(new DeleteStateMachineCommand({ stateMachineArn: machine.stateMachineArn! }));
      deleted.push(machine.stateMachineArn!);
    }
  }
  return deleted;
}

/** Deletes the state machine of that name when it carries every one of `ownerTags`; returns its ARN if deleted. */
export async function deleteOwnedStateMachine(
  client: SFNClient,
  name: string,
  ownerTags: Record<string, string>,
): Promise<string | undefined> {
  const arn = await findStateMachineArn(client, name);
  if (!arn) return undefined;
  const machine = `state machine ${arn}`;
  const { tags } = await awsCall({ call: 'states:ListTagsForResource', resource: machine }, () =>
    client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
  );
  const current = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
  if (Object.entries(ownerTags).some(([k, v]) => current[k] !== v)) return undefined;
  await awsCall({ call: 'states:DeleteStateMachine', resource: machine }, () =>
    client.send(new DeleteStateMachineCommand({ stateMachineArn: arn })),
  );
  return arn;
}
