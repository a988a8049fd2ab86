/** Stops the moto server the global setup started. */
import type { MotoServer } from '../support/moto';

export default async function globalTeardown(): Promise<void> {
  const moto = (globalThis as { __MOTO__?: MotoServer }).__MOTO__;
  await moto?.stop();
}
