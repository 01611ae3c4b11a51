import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface ReplayResult {
  moved: number;
  /** Messages that could not be re-sent (left in the DLQ). */
  failed: number;
}

/**
 * Moves messages from a dead-letter queue back to its source queue so they run again after a fix.
 * Each message is re-sent before it is deleted from the DLQ, so nothing is lost if this stops half
 * way (a message may then run twice; every consumer is idempotent). On FIFO queues the group id
 * is kept and a fresh deduplication id is used (the original one would be dropped as a duplicate
 * inside SQS's 5-minute window).
 *
 * AWS offers StartMessageMoveTask for this; doing it with receive/send/delete works the same on the
 * local emulator and lets `max` bound a careful partial replay.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
export async function replayDeadLetters(sqs: SQSClient, opts: { dlqUrl: string; sourceUrl: string; max?: number }): Promise<ReplayResult> {
  const fifo = opts.sourceUrl.endsWith('.fifo');
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  let failed = 0;
  while (moved + failed < max) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved - failed),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['MessageGroupId'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = res.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: opts.sourceUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body!,
          MessageAttributes: m.MessageAttributes,
          ...(fifo ? { MessageGroupId: m.Attributes?.MessageGroupId ?? 'replay', MessageDeduplicationId: `replay-${m.MessageId}` } : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const toDelete = messages.filter((_, i) => ok.has(i));
    if (toDelete.length) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: opts.dlqUrl, Entries: toDelete.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    moved += toDelete.length;
    failed += messages.length - toDelete.length;
    if (toDelete.length === 0) break;
  }
  return { moved, failed };
}

/** Approximate number of messages waiting in a queue (visible + in flight). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
