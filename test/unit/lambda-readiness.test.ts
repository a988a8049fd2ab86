/**
 * A function's readiness before it is invoked (src/aws/lambda.ts `ensureFunctionActive`), against a
 * scripted Lambda client: the states it goes through (Inactive, Pending, Failed, an update in progress)
 * are faults moto cannot produce (its functions are always Active), so each test scripts the answers of
 * GetFunction and Invoke as AWS documents them (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
 */
import {
  type FunctionConfiguration,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  ResourceConflictException,
} from '@aws-sdk/client-lambda';
import {
  ensureFunction,
  ensureFunctionActive,
  ensureFunctionsActive,
  type FunctionSpec,
  REACTIVATE_EVENT,
} from '../../src/aws/lambda';

/** A client whose GetFunction answers the next configuration of `states` (the last one repeats). */
function scripted(states: FunctionConfiguration[], invoke: () => Error | undefined = () => conflict()) {
  const calls: string[] = [];
  const payloads: unknown[] = [];
  let i = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof GetFunctionCommand) {
        calls.push('GetFunction');
        const config = states[Math.min(i, states.length - 1)]!;
        i += 1;
        return { Configuration: { FunctionName: 'fn', ...config } };
      }
      if (command instanceof InvokeCommand) {
        calls.push(`Invoke:${command.input.InvocationType}`);
        payloads.push(JSON.parse(new TextDecoder().decode(command.input.Payload as Uint8Array)));
        const error = invoke();
        if (error) throw error;
        return { StatusCode: 200 };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as LambdaClient;
  return { client, calls, payloads };
}

const conflict = () =>
  new ResourceConflictException({
    message: 'The function is currently in the following state: Inactive',
    $metadata: { httpStatusCode: 409 },
  });
const fast = { minDelaySeconds: 0.01, waitSeconds: 2, reactivateWaitSeconds: 2 };
const inactive: FunctionConfiguration = {
  State: 'Inactive',
  StateReasonCode: 'Idle',
  StateReason: 'The function is inactive because it has been idle.',
  LastUpdateStatus: 'Successful',
};

describe('a function is made invokable before it is used', () => {
  test('an Active function costs one read and nothing else', async () => {
    const { client, calls } = scripted([{ State: 'Active', LastUpdateStatus: 'Successful' }]);
    await expect(ensureFunctionActive(client, 'fn', undefined, fast)).resolves.toBe('active');
    expect(calls).toEqual(['GetFunction']);
  });

  test('an Inactive function is invoked once (the invocation fails, as on AWS) and waited for until Active', async () => {
    const { client, calls, payloads } = scripted([
      inactive,
      { State: 'Pending' },
      { State: 'Pending' },
      { State: 'Active' },
    ]);
    await expect(ensureFunctionActive(client, 'fn', undefined, fast)).resolves.toBe('reactivated');
    expect(calls.filter((c) => c.startsWith('Invoke'))).toEqual(['Invoke:RequestResponse']);
    expect(payloads).toEqual([REACTIVATE_EVENT]);
    expect(calls.slice(0, 2)).toEqual(['GetFunction', 'Invoke:RequestResponse']);
  });

  test('one that stays Inactive fails, naming the function, its state and the reason Lambda gives', async () => {
    const { client } = scripted([inactive]);
    await expect(ensureFunctionActive(client, 'fn', undefined, fast)).rejects.toThrow(
      /Lambda function fn was Inactive and did not become Active after an invocation to reactivate it \(waited 2 s; now Inactive \(Idle: The function is inactive because it has been idle\.\)/,
    );
  });

  test('an invocation the role may not make is said as such (nothing else would wake the function)', async () => {
    const { client } = scripted([inactive], () =>
      Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(ensureFunctionActive(client, 'fn', undefined, fast)).rejects.toThrow(
      /lambda:InvokeFunction on Lambda function fn \(to reactivate it: it is Inactive/,
    );
  });

  test('a Pending function, and an update in progress, are waited for; no invocation', async () => {
    const pending = scripted([{ State: 'Pending' }, { State: 'Active', LastUpdateStatus: 'Successful' }]);
    await expect(ensureFunctionActive(pending.client, 'fn', undefined, fast)).resolves.toBe('waited');
    expect(pending.calls.every((c) => c === 'GetFunction')).toBe(true);
    const updating = scripted([
      { State: 'Active', LastUpdateStatus: 'InProgress' },
      { State: 'Active', LastUpdateStatus: 'InProgress' },
      { State: 'Active', LastUpdateStatus: 'Successful' },
    ]);
    await expect(ensureFunctionActive(updating.client, 'fn', undefined, fast)).resolves.toBe('waited');
  });

  test('a Failed function and a failed last update are refused with the reason and the fix', async () => {
    const failed = scripted([
      { State: 'Failed', StateReasonCode: 'ImageDeleted', StateReason: 'The image was deleted.' },
    ]);
    await expect(ensureFunctionActive(failed.client, 'fn', undefined, fast)).rejects.toThrow(
      /Lambda function fn is Failed \(ImageDeleted: The image was deleted\.\).*deploy again/,
    );
    const update = scripted([
      { State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'ImageAccessDenied' },
    ]);
    await expect(ensureFunctionActive(update.client, 'fn', undefined, fast)).rejects.toThrow(
      /its last update failed \(ImageAccessDenied\), so it still runs its previous code/,
    );
  });

  test('deploy redoes a failed last update, even when the configuration matches (before a run it is refused)', async () => {
    const spec: FunctionSpec = {
      name: 'fn',
      imageUri: `img@sha256:${'a'.repeat(64)}`,
      architecture: 'x86_64',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      memoryMb: 1024,
      timeoutSeconds: 900,
      environment: {},
      description: 'd',
      tags: {},
    };
    const matching = {
      FunctionName: 'fn',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      PackageType: 'Image',
      State: 'Active',
      MemorySize: 1024,
      Timeout: 900,
      Role: spec.roleArn,
      Description: 'd',
      Environment: { Variables: {} },
    };
    const sent: string[] = [];
    let updated = false;
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (command instanceof GetFunctionCommand) {
          return {
            Configuration: { ...matching, LastUpdateStatus: updated ? 'Successful' : 'Failed' },
            Code: { ImageUri: spec.imageUri },
            Tags: {},
          };
        }
        updated = true;
        return {};
      },
    } as unknown as LambdaClient;
    const result = await ensureFunction(client, spec);
    expect(result).toMatchObject({ change: 'updated', differences: ['image', 'the last update, which failed'] });
    expect(sent.filter((c) => c.startsWith('Update'))).toEqual([
      'UpdateFunctionCodeCommand',
      'UpdateFunctionConfigurationCommand',
    ]);
  });

  test('before a run, every function is read and only those that needed it are reported', async () => {
    const { client } = scripted([{ State: 'Active', LastUpdateStatus: 'Successful' }]);
    await expect(ensureFunctionsActive(client, ['a', 'b', 'c'], fast)).resolves.toEqual([]);
  });
});
