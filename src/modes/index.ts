/** The modes, in the one place that maps a mode's name to what it does. */
import { ActionError } from '../errors';
import type { Mode } from '../inputs';
import type { ModeContext } from './context';
import { deployMode } from './deploy';
import { packageMode } from './package';
import { runMode } from './run';
import { teardownMode } from './teardown';
import { verifyMode } from './verify';

export type ModeHandler = (ctx: ModeContext) => Promise<void>;

const notBuiltYet =
  (mode: Mode): ModeHandler =>
  async () => {
    throw new ActionError(
      `mode "${mode}" is not available yet in this version of kedro-aws-action; ` +
        'today "build" is not. Remove it from the "mode" input.',
    );
  };

export const MODE_HANDLERS: Record<Mode, ModeHandler> = {
  package: packageMode,
  build: notBuiltYet('build'),
  deploy: deployMode,
  run: runMode,
  verify: verifyMode,
  teardown: teardownMode,
};
