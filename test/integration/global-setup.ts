/** Starts one moto server for the integration run and points every AWS SDK (JS and Python) at it. */
import { FAKE_AWS_ENV, startMoto } from '../support/moto';

export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  (globalThis as { __MOTO__?: unknown }).__MOTO__ = moto;
  Object.assign(process.env, FAKE_AWS_ENV, {
    AWS_ENDPOINT_URL: moto.endpoint,
    MOTO_PORT: String(moto.port),
    KEDRO_DISABLE_TELEMETRY: '1',
  });
}
