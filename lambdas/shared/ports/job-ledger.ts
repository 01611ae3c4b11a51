/**
 * Makes queue jobs idempotent: SQS may deliver a message more than once, and a job that partly
 * ran must not post twice. A job key is claimed with a lease before work and marked done after;
 * only the attempt that holds the lease (its `owner` token) can complete or release it.
 */
export type Claim = { result: 'claimed'; owner: string } | { result: 'done' } | { result: 'busy' };

export interface JobLedger {
  /** Claims `key` for `leaseMs`; 'done' if it already completed, 'busy' if another attempt holds a live lease. */
  claim(key: string, now: number, leaseMs: number): Promise<Claim>;
  complete(key: string, owner: string, now: number): Promise<void>;
  /** Drops the lease so the next delivery can retry at once. */
  release(key: string, owner: string): Promise<void>;
}
