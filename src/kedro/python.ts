/**
 * Runs a command of the user's Python environment (the `python` input) and streams its output to the
 * step log. Thin on purpose: what the command means is decided by its callers.
 */
import { spawn } from 'node:child_process';
import * as core from '@actions/core';
import { INPUT } from '../inputs';
import { ActionError } from '../lib/errors';

export interface PythonResult {
  code: number;
  /** The last lines of stderr, kept for error messages. */
  stderrTail: string;
}

export async function runPython(
  python: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; label: string },
): Promise<PythonResult> {
  core.debug(`${options.label}: ${python} ${args.join(' ')} (in ${options.cwd})`);
  return new Promise<PythonResult>((resolve, reject) => {
    const child = spawn(python, args, {
      cwd: options.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const forward = (stream: NodeJS.ReadableStream, keep: boolean) => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) emit(line, keep);
      });
      stream.on('end', () => {
        if (buffered !== '') emit(buffered, keep);
      });
    };
    const emit = (line: string, keep: boolean) => {
      core.info(`  ${options.label} | ${line}`);
      if (keep) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    forward(child.stdout, false);
    forward(child.stderr, true);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(
          new ActionError(
            `input "${INPUT.python}": the interpreter "${python}" was not found; give the Python of the ` +
              'environment where the Kedro project is installed (e.g. after actions/setup-python and pip install)',
          ),
        );
      } else {
        reject(err);
      }
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stderrTail: tail.join('\n') });
    });
  });
}
