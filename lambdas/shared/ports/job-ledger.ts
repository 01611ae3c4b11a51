/**
 * Makes queue jobs idempotent: SQS may deliver a message more than once, and a job that partly
 * ran must not post twice. A job key is claimed with a lease before work and marked done after.
 */
export type ClaimResult = 'claimed' | 'done' | 'busy';

export interface JobLedger {
  /** Claims `key` for `leaseMs`; 'done' if it already completed, 'busy' if another attempt holds a live lease. */
  claim(key: string, now: number, leaseMs: number): Promise<ClaimResult>;
  complete(key: string, now: number): Promise<void>;
  /** Drops the lease so the next delivery can retry at once. */
  release(key: string): Promise<void>;
}
