import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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
  opts: { fifo: boolean },
): Promise<SQSBatchResponse> {
  // A batch where every record failed is reported the same way, not thrown: SQS retries exactly
  // those records and redrive to the DLQ works per message.
  if (opts.fifo) {
    return processPartialResponse(event, handle, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
  }
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
}

/** How many times SQS has delivered this record (1 on the first attempt). */
export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1');
}
