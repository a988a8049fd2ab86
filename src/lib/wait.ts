/**
 * Waiting that respects the service: start slow, back off with jitter up to a cap, stop at a deadline.
 * Sleep and clock are injectable so tests do not wait.
 */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface BackoffOptions {
  /** First delay, seconds (the `poll-interval-seconds` input). */
  initialSeconds: number;
  /** Largest delay, seconds. */
  maxSeconds: number;
  /** Growth per poll. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialSeconds: 5, maxSeconds: 30, factor: 1.5 };

/** The delay before poll number `attempt` (0-based): exponential, capped, with ±20 % jitter. */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const base = Math.min(options.maxSeconds, options.initialSeconds * options.factor ** attempt);
  const jitter = 0.8 + 0.4 * random();
  return Math.round(base * jitter * 1000);
}

export type PollOutcome<T> = { done: true; value: T } | { done: false };

export class WaitTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`gave up waiting after ${Math.round(waitedMs / 60000)} minute(s)`);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Calls `poll` until it says done, sleeping with backoff between calls, and throws WaitTimeoutError
 * once `timeoutMs` has passed.
 */
export async function pollUntil<T>(
  poll: () => Promise<PollOutcome<T>>,
  options: { timeoutMs: number; backoff: BackoffOptions; clock?: WaitClock },
): Promise<T> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  for (let attempt = 0; ; attempt++) {
    const outcome = await poll();
    if (outcome.done) return outcome.value;
    const elapsed = clock.now() - started;
    if (elapsed >= options.timeoutMs) throw new WaitTimeoutError(elapsed);
    const delay = Math.min(backoffDelayMs(attempt, options.backoff, clock.random), options.timeoutMs - elapsed);
    await clock.sleep(Math.max(delay, 0));
  }
}
