/** Injected time source: production uses `systemClock`, tests a fixed or stepped one. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
