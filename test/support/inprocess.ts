/**
 * Runs the action's run() in this process (for tests that count the AWS calls it makes), with inputs
 * read from a map and GITHUB_OUTPUT / RUNNER_TEMP files of the test's own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { callLog, isReadOnly, type RecordedCall } from '../../src/aws/clients';
import type { InputName } from '../../src/inputs';
import type { WaitClock } from '../../src/lib/wait';
import { run } from '../../src/main';
import { parseOutputFile } from './action';

export interface InProcessRun {
  ok: boolean;
  outputs: Record<string, string>;
  calls: RecordedCall[];
  mutatingCalls: string[];
  failure: string | undefined;
  /** The messages of ::notice:: commands (e.g. a wait going through an outage). */
  notices: string[];
  /** What the step wrote to its job summary. */
  summary: string;
}

export async function runInProcess(
  inputs: Partial<Record<InputName, string>>,
  options: { runnerTemp: string; env?: NodeJS.ProcessEnv; clock?: WaitClock },
): Promise<InProcessRun> {
  const outputFile = path.join(options.runnerTemp, `output-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(outputFile, '');
  const saved = {
    GITHUB_OUTPUT: process.env.GITHUB_OUTPUT,
    GITHUB_STATE: process.env.GITHUB_STATE,
    GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY,
  };
  const summaryFile = `${outputFile}.summary.md`;
  fs.writeFileSync(summaryFile, '');
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
  // @actions/core's summary keeps the file of its first write for the life of the process (one step on a
  // runner); each run here is a step of its own, with its own summary file.
  (core.summary as unknown as { _filePath?: string })._filePath = undefined;
  const stateFile = path.join(options.runnerTemp, 'github_state');
  fs.writeFileSync(stateFile, '', { flag: 'a' });
  process.env.GITHUB_OUTPUT = outputFile;
  process.env.GITHUB_STATE = stateFile;
  const exitCode = process.exitCode;
  const failures: string[] = [];
  const notices: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Keep the ::error:: lines (the failure message) and let the rest through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    for (const line of text.split(os.EOL)) {
      if (line.startsWith('::error::')) failures.push(line.slice(9));
      const notice = /^::notice[^:]*::(.*)$/.exec(line);
      if (notice) notices.push(notice[1]!.replace(/%0A/g, '\n'));
    }
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const before = callLog.length;
  try {
    const ok = await run({
      read: (name) => inputs[name] ?? '',
      env: { ...process.env, RUNNER_TEMP: options.runnerTemp, ...options.env },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const calls = callLog.slice(before);
    return {
      ok,
      outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
      calls,
      mutatingCalls: calls.filter((c) => !isReadOnly(c.operation)).map((c) => `${c.service}:${c.operation}`),
      failure: failures.length ? failures.join('\n').replace(/%0A/g, '\n') : undefined,
      notices,
      summary: fs.readFileSync(summaryFile, 'utf8'),
    };
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
