/**
 * Runs the bundled action (dist/index.js) the way the Actions runner does: a node process with
 * INPUT_* variables, GITHUB_OUTPUT and RUNNER_TEMP files, and reads back what it reported.
 */
import { spawnSync } from 'node:child_process';
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
