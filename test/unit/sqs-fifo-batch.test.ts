import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { processSqsBatch } from '../../lambdas/shared/sqs-batch';
import { testContext } from '../support/context';
import { sqsEventWith } from '../support/sqs-events';

/** A FIFO batch in Lambda's shape: `[body, group]` pairs in delivery order. */
function fifoBatch(records: Array<[string, string]>): SQSEvent {
  return { Records: records.flatMap(([body, group]) => sqsEventWith([body], { MessageGroupId: group }).Records) };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('processSqsBatch on a FIFO batch: groups side by side, each in order', () => {
  it('runs the groups concurrently and each group’s records one after another', async () => {
    const event = fifoBatch([['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['c1', 'C'], ['b2', 'B'], ['a3', 'A']]);
    const trace: string[] = [];
    const res = await processSqsBatch(
      event,
      testContext(),
      async (r: SQSRecord) => {
        trace.push(`start ${r.body}`);
        await tick();
        await tick();
        trace.push(`end ${r.body}`);
      },
      { fifo: true },
    );
    expect(res.batchItemFailures).toEqual([]);
    // The first record of every group starts before any record finishes.
    expect(trace.slice(0, 3)).toEqual(['start a1', 'start b1', 'start c1']);
    // Within a group, a record starts only after the one before it ended.
    for (const group of [['a1', 'a2', 'a3'], ['b1', 'b2']]) {
      for (let i = 1; i < group.length; i++) expect(trace.indexOf(`start ${group[i]}`)).toBeGreaterThan(trace.indexOf(`end ${group[i - 1]}`));
    }
  });

  it('a failure fails that record and the rest of its group only, reported in batch order; the other groups are applied', async () => {
    const event = fifoBatch([['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['b2', 'B'], ['c1', 'C'], ['a3', 'A'], ['c2', 'C']]);
    const handled: string[] = [];
    const errors: string[] = [];
    const res = await processSqsBatch(
      event,
      testContext(),
      async (r) => {
        await tick();
        if (r.body === 'a2' || r.body === 'c2') throw new Error(`cannot apply ${r.body}`);
        handled.push(r.body);
      },
      { fifo: true, onError: (r) => errors.push(r.body) },
    );
    const ids = (bodies: string[]) => bodies.map((b) => event.Records.find((r) => r.body === b)!.messageId);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(ids(['a2', 'a3', 'c2']));
    expect(handled.filter((b) => b.startsWith('a'))).toEqual(['a1']);
    expect(handled.filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(handled.filter((b) => b.startsWith('c'))).toEqual(['c1']);
    // a3 was never tried: only the records that threw reach onError.
    expect(errors.sort()).toEqual(['a2', 'c2']);
  });

  it('reports a batch where every record failed without throwing, so SQS retries exactly those; an empty batch is a no-op', async () => {
    const event = fifoBatch([['a1', 'A'], ['b1', 'B']]);
    const res = await processSqsBatch(event, testContext(), async () => Promise.reject(new Error('down')), { fifo: true });
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(event.Records.map((r) => r.messageId));
    await expect(processSqsBatch({ Records: [] }, testContext(), async () => {}, { fifo: true })).resolves.toEqual({ batchItemFailures: [] });
  });
});
