/**
 * A stand-in for a Lambda state moto does not model. moto's functions are always `Active`; on AWS a
 * function left idle long enough goes `Inactive`, and "when you try to invoke a function that is
 * inactive, the invocation fails and Lambda sets the function to pending state until the function
 * resources are recreated" (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
 *
 * `idleFunctions(names)` makes every LambdaClient of this process (the action's included) see those
 * functions as AWS would: GetFunction answers `State: Inactive` (`StateReasonCode: Idle`) until an Invoke
 * of the function arrives; that Invoke is sent to moto (so it is recorded like any call) but fails as
 * AWS's does, and the function then reads `Pending` for `pendingReads` GetFunction calls before moto's own
 * answer (`Active`) shows again. With `stuck`, it stays Inactive (Lambda could not recreate its
 * resources). Every other call goes to moto unchanged.
 */
import { GetFunctionCommand, InvokeCommand, LambdaClient, ResourceConflictException } from '@aws-sdk/client-lambda';

export interface IdleFunctions {
  /** The functions an Invoke reached while they were Inactive, in order. */
  readonly invoked: string[];
  /** The GetFunction calls answered for the idle functions, in order (name and the State answered). */
  readonly reads: { name: string; state: string }[];
  /** Puts LambdaClient back as it was. */
  restore(): void;
}

type Send = (this: LambdaClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;

/** `my-fn` of a function name, a function ARN or a qualified ARN. */
function functionName(value: unknown): string {
  const text = String(value ?? '');
  const arn = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(text);
  return arn ? arn[1]! : text;
}

export function idleFunctions(names: readonly string[], options: { pendingReads?: number; stuck?: boolean } = {}) {
  const prototype = LambdaClient.prototype as unknown as { send: Send };
  const original = prototype.send;
  const phase = new Map<string, { state: 'Inactive' | 'Pending'; left: number }>(
    names.map((n) => [n, { state: 'Inactive', left: 0 }]),
  );
  const idle: IdleFunctions = {
    invoked: [],
    reads: [],
    restore: () => {
      prototype.send = original;
    },
  };
  prototype.send = async function (this: LambdaClient, command: unknown, ...rest: unknown[]) {
    const input = (command as { input?: { FunctionName?: unknown } }).input;
    const name = functionName(input?.FunctionName);
    const state = phase.get(name);
    if (state && command instanceof InvokeCommand && state.state === 'Inactive') {
      idle.invoked.push(name);
      await original.call(this, command, ...rest).catch(() => undefined);
      if (!options.stuck) phase.set(name, { state: 'Pending', left: options.pendingReads ?? 1 });
      throw new ResourceConflictException({
        message:
          'The operation cannot be performed at this time. The function is currently in the following state: Inactive',
        $metadata: { httpStatusCode: 409 },
        Type: 'User',
      });
    }
    const answer = await original.call(this, command, ...rest);
    if (state && command instanceof GetFunctionCommand) {
      const out = answer as { Configuration?: Record<string, unknown> };
      if (state.state === 'Inactive') {
        out.Configuration = {
          ...out.Configuration,
          State: 'Inactive',
          StateReasonCode: 'Idle',
          StateReason: 'The function is inactive because it has been idle.',
        };
      } else if (state.left > 0) {
        state.left -= 1;
        out.Configuration = {
          ...out.Configuration,
          State: 'Pending',
          StateReasonCode: 'Restoring',
          StateReason: 'The function is being restored.',
        };
      } else {
        phase.delete(name);
      }
      idle.reads.push({ name, state: String(out.Configuration?.State) });
    }
    return answer;
  };
  return idle;
}
