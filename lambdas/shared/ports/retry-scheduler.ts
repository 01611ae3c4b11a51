/**
 * Delays the next delivery of a failed queue message (exponential backoff), so a transient
 * failure is retried soon and a persistent one reaches its last attempt — where the user is told —
 * within minutes instead of maxReceiveCount × the visibility timeout.
 */
export interface RetryScheduler {
  /** Seconds to wait before delivery number `attempt + 1`. */
  delayFor(attempt: number): number;
  delay(receiptHandle: string, seconds: number): Promise<void>;
}
