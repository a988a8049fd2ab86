/**
 * Runs the bundled action (dist/index.js) the way the Actions runner does: a node process with
 * INPUT_* variables, GITHUB_OUTPUT and RUNNER_TEMP files, and reads back what it reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './moto';

export interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  runnerTemp: string;
  /** The messages of ::error:: commands (what GitHub shows as the failure). */
  errors: string[];
}

/** Parses the GITHUB_OUTPUT file format (`name<<DELIM\nvalue\nDELIM`). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const [, name, delim] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return env;
}

export function runAction(
  inputs: Record<string, string>,
  options: { env?: NodeJS.ProcessEnv; runnerTemp?: string; cwd?: string; timeoutMs?: number } = {},
): ActionRun {
  const runnerTemp = options.runnerTemp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-runner-'));
  const outputFile = path.join(runnerTemp, 'github_output');
  fs.writeFileSync(outputFile, '');
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
    cwd: options.cwd ?? ROOT,
    env: { ...baseEnv, ...options.env, ...inputEnv(inputs), RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: outputFile },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
  });
  const stdout = result.stdout ?? '';
  const errors = stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .map((l) => l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
  return {
    code: result.status ?? -1,
    stdout,
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    runnerTemp,
    errors,
  };
}

/** runAction without blocking this process: several steps at once, as concurrent jobs would run them. */
export async function runActionAsync(
  inputs: Record<string, string>,
  options: { env?: NodeJS.ProcessEnv; runnerTemp?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<ActionRun> {
  const runnerTemp = options.runnerTemp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-runner-'));
  const outputFile = path.join(runnerTemp, 'github_output');
  fs.writeFileSync(outputFile, '');
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
    cwd: options.cwd ?? ROOT,
    env: { ...baseEnv, ...options.env, ...inputEnv(inputs), RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: outputFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  const errors = stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .map((l) => l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
  return { code, stdout, outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')), runnerTemp, errors };
}

export interface StartedAction {
  /** Resolves with the execution ARN as soon as the action sets the output. */
  executionStarted: Promise<string>;
  stateFile: string;
  kill(): void;
}

/** Starts the bundled action in the background (a main step that a cancel will kill). */
export function startAction(inputs: Record<string, string>, runnerTemp: string): StartedAction {
  const outputFile = path.join(runnerTemp, `github_output_${Date.now()}`);
  const stateFile = path.join(runnerTemp, `github_state_${Date.now()}`);
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(stateFile, '');
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
    cwd: ROOT,
    env: {
      ...baseEnv,
      ...inputEnv(inputs),
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STATE: stateFile,
    },
    stdio: 'ignore',
  });
  const executionStarted = new Promise<string>((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const timer = setInterval(() => {
      const arn = parseOutputFile(fs.readFileSync(outputFile, 'utf8'))['execution-arn'];
      const waiting = parseOutputFile(fs.readFileSync(stateFile, 'utf8'))['waiting-execution-arn'];
      if (arn && waiting) {
        clearInterval(timer);
        resolve(arn);
      } else if (Date.now() > deadline || child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error('the action did not start an execution'));
      }
    }, 100);
  });
  return { executionStarted, stateFile, kill: () => child.kill('SIGTERM') };
}

/** Runs the post step (dist/post/index.js) with the state the main step saved, as the runner does. */
export function runPost(extraEnv: Record<string, string>, mainStateFile?: string): { code: number; stdout: string } {
  const state = mainStateFile ? parseOutputFile(fs.readFileSync(mainStateFile, 'utf8')) : {};
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'post', 'index.js')], {
    cwd: ROOT,
    env: { ...baseEnv, ...stateEnv, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout ?? '' };
}

/**
 * The post step in a child process without blocking this one (runPost blocks: a stand-in served from
 * this process, like the OIDC token endpoint, could not answer meanwhile).
 */
export async function runPostAsync(
  extraEnv: Record<string, string>,
  mainStateFile?: string,
): Promise<{ code: number; stdout: string }> {
  const state = mainStateFile ? parseOutputFile(fs.readFileSync(mainStateFile, 'utf8')) : {};
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'post', 'index.js')], {
    cwd: ROOT,
    env: { ...baseEnv, ...stateEnv, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  return { code, stdout };
}
