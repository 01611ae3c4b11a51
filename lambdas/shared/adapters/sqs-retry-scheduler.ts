import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RetryScheduler } from '../ports/retry-scheduler';

/**
 * Backoff by shortening or lengthening a failed message's visibility before it is reported as a
 * batch item failure.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-backoff-strategy
 */
export class SqsRetryScheduler implements RetryScheduler {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly delaysSeconds: readonly number[] = [10, 30, 60, 120],
  ) {}

  delayFor(attempt: number): number {
    return this.delaysSeconds[Math.min(Math.max(attempt, 1), this.delaysSeconds.length) - 1];
  }

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
  }
}
