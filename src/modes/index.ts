/** The modes, in the one place that maps a mode's name to what it does, and the loop that runs them. */
import * as core from '@actions/core';
import { resolveRegion } from '../aws/config';
import { exportCredentials } from '../aws/credentials';
import type { ModeContext } from '../context/context';
import { createContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import type { Inputs, Mode } from '../inputs';
import type { WaitClock } from '../lib/wait';
import { buildMode } from './build';
import { deployMode } from './deploy';
import { packageMode } from './package';
import { runMode } from './run';
import { teardownMode } from './teardown';
import { verifyMode } from './verify';

export type ModeHandler = (ctx: ModeContext) => Promise<unknown>;

export const MODE_HANDLERS: Record<Mode, ModeHandler> = {
  package: packageMode,
  build: async (ctx) => {
    const { inputs } = ctx;
    await buildMode(ctx, {
      ecrRepository: inputs.ecrRepository,
      createRepository: inputs.createRepository,
      builder: inputs.builder,
      platform: inputs.platform,
      registry: inputs.registry,
      dockerfile: inputs.dockerfile,
      baseImage: inputs.baseImage,
    });
  },
  deploy: deployMode,
  run: runMode,
  verify: verifyMode,
  teardown: teardownMode,
};

/**
 * Runs the modes of the inputs in order; with `export-credentials`, exports a fresh role session last.
 * Whatever fails, once `run` or `verify` is in the list the `verified` output is `false` before the step
 * fails (a failed run has written its summary and comment already: see failure.ts).
 */
export async function runModes(inputs: Inputs, env: NodeJS.ProcessEnv, clock?: WaitClock): Promise<void> {
  const ctx = createContext(inputs, env, clock);
  try {
    for (const mode of inputs.modes) {
      core.startGroup(`kedro-aws: ${mode}`);
      try {
        await MODE_HANDLERS[mode](ctx);
      } finally {
        core.endGroup();
      }
    }
  } catch (error) {
    if (inputs.modes.includes('run') || inputs.modes.includes('verify')) ctx.setOutput(OUTPUT.verified, 'false');
    throw error;
  } finally {
    // Last, with a fresh session, so later steps get the whole role-duration-seconds (never renewed).
    const provider = inputs.exportCredentials ? ctx.credentials() : undefined;
    if (provider) {
      try {
        exportCredentials(await provider({ forceRefresh: true }), resolveRegion(inputs.awsRegion, env));
      } catch (e) {
        core.warning(`AWS credentials not exported to later steps: ${(e as Error).message}`);
      }
    }
  }
}
