/**
 * The callback side of Step Functions, for the local executor's own executions: a gate of schedule
 * `exact` (a `.waitForTaskToken` Task) waits until a group's runtime calls SendTaskSuccess with its
 * token. The group processes are told to call Step Functions at this server (AWS_ENDPOINT_URL_SFN, on
 * loopback), which answers SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat as the service does
 * (the AWS JSON 1.0 protocol: `X-Amz-Target: AWSStepFunctions.<Operation>`, errors named by `__type`),
 * and nothing else.
 *
 * Tokens are 256 random bits: unguessable, so the server needs no credentials check of its own (the
 * SDKs sign their requests anyway; the signature is not verified). A token is settled once: a second
 * SendTaskSuccess gets `TaskTimedOut`, as from Step Functions ("the task associated with the token has
 * already been closed"), an unknown token `InvalidToken`.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a token was settled. */
export type CallbackOutcome =
  | { readonly kind: 'success'; readonly output: unknown; readonly at: Date }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string };

interface Pending {
  settle: (outcome: CallbackOutcome) => void;
}

/** Most bytes a request body may have (SendTaskSuccess's output is at most 256 KiB). */
const MAX_BODY_BYTES = 1_048_576;

export class CallbackServer {
  private readonly pending = new Map<string, Pending>();
  private readonly settled = new Set<string>();
  private server: http.Server | undefined;
  private url: string | undefined;

  /** Starts listening on loopback (once); returns the endpoint URL for AWS_ENDPOINT_URL_SFN. */
  async start(): Promise<string> {
    if (this.url) return this.url;
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // Keep-alive sockets of the SDKs must not keep the runner's process alive after the run.
    server.unref();
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** A new token, and a promise of how it is settled. */
  mint(): { token: string; outcome: Promise<CallbackOutcome> } {
    const token = `kedro-aws-local-${randomBytes(32).toString('hex')}`;
    const outcome = new Promise<CallbackOutcome>((resolve) => {
      this.pending.set(token, {
        settle: (o) => {
          this.pending.delete(token);
          this.settled.add(token);
          resolve(o);
        },
      });
    });
    return { token, outcome };
  }

  /** Settles a token from this side (a timeout, the end of the execution); false when it was already. */
  settle(token: string, outcome: CallbackOutcome): boolean {
    const waiting = this.pending.get(token);
    if (!waiting) return false;
    waiting.settle(outcome);
    return true;
  }

  /** Settles every token still open (the execution ended) and stops listening. */
  async close(outcome: CallbackOutcome): Promise<void> {
    for (const token of [...this.pending.keys()]) this.settle(token, outcome);
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
      if (req.method !== 'POST' || size > MAX_BODY_BYTES) {
        return reply(res, 400, error('ValidationException', 'a POST of at most 1 MiB is expected'));
      }
      let body: { taskToken?: unknown; output?: unknown; error?: unknown; cause?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
      } catch {
        return reply(res, 400, error('SerializationException', 'the request body is not JSON'));
      }
      const token = typeof body.taskToken === 'string' ? body.taskToken : '';
      const known = this.pending.has(token);
      if (!['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'].includes(operation)) {
        return reply(
          res,
          400,
          error(
            'UnknownOperationException',
            `the local executor answers only the callbacks of its gates, not ${operation || target || 'this request'}`,
          ),
        );
      }
      if (!known) {
        return this.settled.has(token)
          ? reply(
              res,
              400,
              error('TaskTimedOut', 'Task Timed Out: the task associated with the token has already been closed'),
            )
          : reply(res, 400, error('InvalidToken', 'Invalid token'));
      }
      if (operation === 'SendTaskHeartbeat') return reply(res, 200, {});
      if (operation === 'SendTaskSuccess') {
        let output: unknown;
        try {
          output = JSON.parse(typeof body.output === 'string' ? body.output : 'null');
        } catch {
          return reply(res, 400, error('InvalidOutput', 'the output is not JSON'));
        }
        this.settle(token, { kind: 'success', output, at: new Date() });
      } else {
        this.settle(token, {
          kind: 'failure',
          error: typeof body.error === 'string' ? body.error : '',
          cause: typeof body.cause === 'string' ? body.cause : '',
        });
      }
      return reply(res, 200, {});
    });
  }
}

function error(type: string, message: string): object {
  return { __type: `com.amazonaws.swf.base.model#${type}`, message };
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
