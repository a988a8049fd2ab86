/**
 * Waiting that respects the service: start slow, back off with jitter up to a cap, stop at a deadline,
 * and go on through an outage (failing calls) for a while, saying so. Sleep and clock are injectable so
 * tests do not wait.
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

/** How long a wait goes on through failing calls before it gives up (issue 13: at least five minutes). */
export const OUTAGE_TOLERANCE_MS = 5 * 60_000;

/** While calls fail, a notice at most this often. */
export const OUTAGE_NOTICE_INTERVAL_MS = 60_000;

/** How a wait goes through failing calls (see {@link pollUntil}). */
export interface OutagePolicy {
  /**
   * True when the error is worth waiting through (network, server errors, throttling); false fails the
   * wait at once. `answeredBefore`: a call of this wait has succeeded (the endpoint was reachable).
   */
  transient(error: unknown, answeredBefore: boolean): boolean;
  /** Says the wait is going on through failures (at most once per {@link OUTAGE_NOTICE_INTERVAL_MS}). */
  notice(message: string): void;
  /** Says the calls answer again. */
  info(message: string): void;
  /** Default {@link OUTAGE_TOLERANCE_MS}. */
  toleranceMs?: number;
}

/** A wait's calls failed for {@link OUTAGE_TOLERANCE_MS} in a row; `lastError` is the last failure. */
export class OutageError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly failingMs: number,
    readonly failures: number,
  ) {
    super(
      `${failures} call(s) failed in a row over ${minutesAndSeconds(failingMs)}; the last: ${messageOf(lastError)}`,
    );
    this.name = 'OutageError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** 65000 → `1m 05s`; 5000 → `5 s`. */
export function minutesAndSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** Follows the failures of one wait: since when calls fail, how many, when it last said so. */
class OutageTracker {
  private failingSince: number | undefined;
  private failures = 0;
  private lastNotice: number | undefined;
  private answered = false;
  private readonly toleranceMs: number;

  constructor(
    private readonly policy: OutagePolicy,
    private readonly clock: WaitClock,
  ) {
    this.toleranceMs = policy.toleranceMs ?? OUTAGE_TOLERANCE_MS;
  }

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** Time left before the wait gives up on the calls (Infinity while they answer). */
  msLeft(): number {
    return this.failingSince === undefined ? Infinity : this.failingSince + this.toleranceMs - this.clock.now();
  }

  /** The call's result; undefined when it failed in a way worth waiting through. Throws otherwise. */
  async attempt<T>(call: () => Promise<T>): Promise<{ value: T } | undefined> {
    let value: T;
    try {
      value = await call();
    } catch (error) {
      if (!this.policy.transient(error, this.answered)) throw error;
      const now = this.clock.now();
      this.failingSince ??= now;
      this.failures += 1;
      const failingMs = now - this.failingSince;
      if (failingMs >= this.toleranceMs) throw new OutageError(error, failingMs, this.failures);
      if (this.lastNotice === undefined || now - this.lastNotice >= OUTAGE_NOTICE_INTERVAL_MS) {
        this.lastNotice = now;
        const sofar =
          this.failures > 1 ? `: ${this.failures} failed calls in a row over ${minutesAndSeconds(failingMs)}` : '';
        this.policy.notice(
          `${messageOf(error)}\nStill waiting${sofar}; the wait gives up after ${minutesAndSeconds(this.toleranceMs)} without an answer.`,
        );
      }
      return undefined;
    }
    if (this.failingSince !== undefined) {
      this.policy.info(
        `AWS answers again after ${minutesAndSeconds(this.clock.now() - this.failingSince)} (${this.failures} failed call(s)); still waiting`,
      );
      this.failingSince = undefined;
      this.failures = 0;
    }
    this.answered = true;
    return { value };
  }
}

/**
 * Calls `poll` until it says done, sleeping with backoff between calls, and throws WaitTimeoutError
 * once `timeoutMs` has passed. With `outage`, a poll that throws a transient error counts as "not done
 * yet": the wait backs off and goes on, says so at most once a minute, and throws {@link OutageError}
 * once the polls have failed for {@link OUTAGE_TOLERANCE_MS} in a row (an answer starts the count
 * again). Any other error ends the wait at once.
 */
export async function pollUntil<T>(
  poll: () => Promise<PollOutcome<T>>,
  options: { timeoutMs: number; backoff: BackoffOptions; clock?: WaitClock; outage?: OutagePolicy },
): Promise<T> {
  const clock = options.clock ?? realClock;
  const tracker = options.outage ? new OutageTracker(options.outage, clock) : undefined;
  const started = clock.now();
  for (let attempt = 0; ; attempt++) {
    const outcome = tracker ? (await tracker.attempt(poll))?.value : await poll();
    if (outcome?.done) return outcome.value;
    const elapsed = clock.now() - started;
    if (elapsed >= options.timeoutMs) throw new WaitTimeoutError(elapsed);
    let delay = Math.min(backoffDelayMs(attempt, options.backoff, clock.random), options.timeoutMs - elapsed);
    // While calls fail, one more try right when the tolerance runs out.
    if (tracker?.failing) delay = Math.min(delay, tracker.msLeft());
    await clock.sleep(Math.max(delay, 0));
  }
}

/**
 * One call, retried through an outage as a wait's polls are (backoff, notices, {@link OutageError}
 * after {@link OUTAGE_TOLERANCE_MS} of failures): for the reads around a wait.
 */
export function callThroughOutage<T>(
  call: () => Promise<T>,
  options: { backoff: BackoffOptions; clock?: WaitClock; outage: OutagePolicy },
): Promise<T> {
  return pollUntil(async () => ({ done: true, value: await call() }), { ...options, timeoutMs: Infinity });
}
