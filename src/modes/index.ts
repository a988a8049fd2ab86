/** The modes, in the one place that maps a mode's name to what it does. */
import type { Mode } from '../inputs';
import { buildMode } from './build';
import type { ModeContext } from '../context/context';
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
