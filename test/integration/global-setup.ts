/**
 * Starts one moto server for the integration run and points every AWS SDK (JS and Python) at it. Gives
 * the run one tool cache (RUNNER_TOOL_CACHE, as a runner does), kept between runs on this machine, so
 * the uv that `package` installs to make a lock is installed once, not once per test.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { FAKE_AWS_ENV, startMoto } from '../support/moto';

export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  (globalThis as { __MOTO__?: unknown }).__MOTO__ = moto;
  Object.assign(process.env, FAKE_AWS_ENV, {
    AWS_ENDPOINT_URL: moto.endpoint,
    MOTO_PORT: String(moto.port),
    KEDRO_DISABLE_TELEMETRY: '1',
    RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), 'kedro-aws-action-tool-cache'),
  });
}
