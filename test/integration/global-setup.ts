/** Starts one moto server for the integration run and points every AWS SDK (JS and Python) at it. */
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
    // The local executor's installed dependencies (src/targets/local/image.ts) are kept in the runner's
    // tool cache: one for every suite and run, as on a runner, not one per test's RUNNER_TEMP.
    RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), 'kedro-aws-action-tests-tool-cache'),
  });
}
