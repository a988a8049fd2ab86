/**
 * What the post step needs of the Actions runner, without @actions/core (whose HTTP client alone is
 * close to 1 MB bundled): inputs and saved state from the environment, log lines and workflow commands
 * on stdout, and a GitHub ID token from the runner's token endpoint. The same protocol @actions/core
 * speaks: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands and
 * https://docs.github.com/en/actions/concepts/security/openid-connect (the token request).
 */
import type { RunnerIo } from '../aws/oidc';

/** Escapes a workflow command's message as the runner reads it (%, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export interface PostRunner extends RunnerIo {
  getInput(name: string): string;
  getState(name: string): string;
  debug(message: string): void;
}

export function postRunner(
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): PostRunner {
  const io: PostRunner = {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    getState: (name) => env[`STATE_${name}`] ?? '',
    info: (message) => write(message),
    debug: (message) => write(`::debug::${escapeData(message)}`),
    warning: (message) => write(`::warning::${escapeData(message)}`),
    setSecret: (value) => {
      if (value) write(`::add-mask::${escapeData(value)}`);
    },
    getIDToken: async (audience) => {
      const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      // The same wording as @actions/core, which oidc.ts recognises as a missing `id-token: write`.
      if (!url) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
      if (!token) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
      const response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`Failed to get ID Token. Error Code: ${response.status}`);
      const body = (await response.json()) as { value?: unknown };
      if (typeof body.value !== 'string' || body.value === '')
        throw new Error('Response json body do not have ID Token field');
      io.setSecret(body.value);
      return body.value;
    },
  };
  return io;
}
