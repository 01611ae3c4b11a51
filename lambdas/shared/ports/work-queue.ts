import type { WorkJob } from '../contracts/work-job';

export interface EnqueueOptions {
  /**
   * Deliver no sooner than this many seconds from now (0–900, SQS's per-message delay limit).
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
   */
  delaySeconds?: number;
  /**
   * Aborts the send (the request is cancelled, not just no longer awaited): a caller that must
   * not leave work running after it returns bounds the send with it.
   * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/introduction/#aborting-requests
   */
  signal?: AbortSignal;
}

/** Hands slow work to the worker λ (from the interactions λ, the sweeper, and the worker itself). */
export interface WorkQueue {
  enqueue(job: WorkJob, opts?: EnqueueOptions): Promise<void>;
}

/** SQS's maximum per-message delay. */
export const MAX_DELAY_SECONDS = 900;
