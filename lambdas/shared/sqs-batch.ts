import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RetryScheduler } from './ports/retry-scheduler';

/**
 * Runs `handle` for each record and reports only the failed ones back to SQS
 * (`reportBatchItemFailures`), so one bad message does not make the whole batch retry. On a FIFO
 * queue a failure also fails the rest of that message group, keeping per-channel order.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/
 */
export async function processSqsBatch(
  event: SQSEvent,
  context: Context,
  handle: (record: SQSRecord) => Promise<void>,
  opts: { fifo: boolean; retries?: RetryScheduler; onError?: (record: SQSRecord, err: unknown) => void },
): Promise<SQSBatchResponse> {
  const run = async (record: SQSRecord) => {
    try {
      await handle(record);
    } catch (err) {
      opts.onError?.(record, err);
      throw err;
    }
  };
  // A batch where every record failed is reported the same way, not thrown: SQS retries exactly
  // those records and redrive to the DLQ works per message.
  const response = opts.fifo
    ? await processPartialResponse(event, run, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false })
    : await processPartialResponse(event, run, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
  if (opts.retries && response.batchItemFailures.length) {
    const byId = new Map(event.Records.map((r) => [r.messageId, r]));
    await Promise.all(
      response.batchItemFailures.map(async ({ itemIdentifier }) => {
        const record = byId.get(itemIdentifier);
        // Best effort: without it the message simply comes back after the queue's visibility timeout.
        if (record) await opts.retries!.delay(record.receiptHandle, opts.retries!.delayFor(receiveCount(record))).catch(() => undefined);
      }),
    );
  }
  return response;
}

/** How many times SQS has delivered this record (1 on the first attempt). */
export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1');
}
