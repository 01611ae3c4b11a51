import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RetryScheduler } from './ports/retry-scheduler';

/**
 * Runs `handle` for each record and reports only the failed ones back to SQS
 * (`reportBatchItemFailures`), so one bad message does not make the whole batch retry.
 *
 * On a FIFO queue (`fifo: true`) the batch's message groups run side by side and each group's
 * records one after another, in order; a failure fails the rest of its group only (Powertools'
 * `skipGroupOnError`), so the other groups are still applied and the failed group comes back in
 * order. Standard queues go through Powertools' `BatchProcessor` as they always did.
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
    ? await processFifoGroups(event, context, run)
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

/**
 * One Powertools FIFO processor per message group, all at once. Powertools' own FIFO processors
 * take a batch's records strictly one after another across groups; groups share nothing but the
 * order within each, so waiting on one channel's writes to start the next channel's is time lost.
 * Failures are reported in the batch's record order.
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/#fifo-queues
 */
async function processFifoGroups(event: SQSEvent, context: Context, run: (record: SQSRecord) => Promise<void>): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of event.Records) {
    // Lambda always sets it for FIFO sources; records without one keep their relative order.
    const group = record.attributes?.MessageGroupId ?? '';
    const records = groups.get(group);
    if (records) records.push(record);
    else groups.set(group, [record]);
  }
  const responses = await Promise.all(
    [...groups.values()].map((Records) =>
      processPartialResponse({ Records }, run, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false }),
    ),
  );
  const failed = new Set(responses.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
  return { batchItemFailures: event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })) };
}

/** How many times SQS has delivered this record (1 on the first attempt). */
export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1');
}
