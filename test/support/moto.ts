/**
 * The AWS emulator used by the integration tests: moto in server mode (from the project's .venv),
 * on a free loopback port. The global setup starts one server per jest run; suites reset it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const VENV_BIN = path.join(ROOT, '.venv', 'bin');
export const PYTHON = process.env.KEDRO_AWS_TEST_PYTHON ?? path.join(VENV_BIN, 'python');

/** Credentials and region that moto accepts; never real ones. */
export const FAKE_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  port: number;
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startMoto(extraEnv: NodeJS.ProcessEnv = {}): Promise<MotoServer> {
  const binary = path.join(VENV_BIN, 'moto_server');
  if (!fs.existsSync(binary)) {
    throw new Error(`moto_server not found at ${binary}: run "bash scripts/setup.sh" first`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    // MOTO_PORT tells moto's own callbacks (Lambda, Batch) where the server listens.
    env: { ...process.env, ...FAKE_AWS_ENV, MOTO_PORT: String(port), ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** The endpoint the global setup started (set in process.env for every test worker). */
export function motoEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: integration tests run under the global setup');
  return endpoint;
}

/** Forgets every resource: each suite starts from an empty emulator. */
export async function resetMoto(endpoint = motoEndpoint()): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/** Switches moto to executing state machines (Lambda and Batch without Docker). */
export async function motoExecuteStateMachines(endpoint = motoEndpoint()): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      stepfunctions: { execute_state_machine: true },
      lambda: { use_docker: false },
      batch: { use_docker: false },
    }),
  });
  if (!res.ok) throw new Error(`moto config failed: HTTP ${res.status}`);
}

/** Back to moto's default: executions are recorded but never walked (they stay RUNNING). */
export async function motoRecordOnly(endpoint = motoEndpoint()): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ stepfunctions: { execute_state_machine: false } }),
  });
  if (!res.ok) throw new Error(`moto config failed: HTTP ${res.status}`);
}

/** The buckets the example's and the fixture projects' conf/aws/globals.yml name (their outputs and run records). */
export const DATA_BUCKETS = ['kedro-aws-example', 'kedro-aws-fixtures'] as const;

/**
 * Creates the data buckets, as a real account has them before anything is deployed (deploy writes the
 * stage's record there, and refuses when the bucket does not exist).
 */
export async function createDataBuckets(endpoint = motoEndpoint()): Promise<void> {
  for (const bucket of DATA_BUCKETS) {
    const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
    if (!res.ok && res.status !== 409) throw new Error(`moto: creating bucket ${bucket} failed: HTTP ${res.status}`);
  }
}
