import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { queueDepth, replayDeadLetters } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { processSqsBatch } from '../../lambdas/shared/sqs-batch';
import { SqsPoller } from '../../local/sqs-poller';
import { QUEUES } from '../../lib/resources';
import { provisionForTest } from '../support/aws';
import { testContext } from '../support/context';

describe('local SQS event source: partial batch failures, DLQ redrive, replay', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  beforeAll(async () => {
    env = await provisionForTest('poller');
  });
  afterAll(() => env.destroy());

  it('deletes successes, redelivers failures until maxReceiveCount, then the DLQ holds the poison message; replay brings it back', async () => {
    const q = env.resources.queues.work;
    const seen: Array<{ body: string; attempt: string }> = [];
    let poisonFixed = false;
    const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
      processSqsBatch(
        event,
        testContext(),
        async (r) => {
          seen.push({ body: r.body, attempt: r.attributes.ApproximateReceiveCount });
          if (r.body === 'poison' && !poisonFixed) throw new Error('cannot handle');
        },
        { fifo: false },
      );
    const poller = new SqsPoller({ name: 'test', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, handler, context: () => testContext(), retryDelaySeconds: 0 });

    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'good' }));
    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'poison' }));

    // Drive the poller by hand: no timers, no sleeps beyond the emulator's own bookkeeping.
    for (let i = 0; i < 20 && (await queueDepth(env.sqs, q.dlqUrl)) === 0; i++) await poller.pollOnce(0);

    expect(seen.filter((s) => s.body === 'good')).toHaveLength(1);
    const poisonAttempts = seen.filter((s) => s.body === 'poison').map((s) => Number(s.attempt));
    expect(poisonAttempts).toEqual([1, 2, 3, 4, 5].slice(0, QUEUES.work.maxReceiveCount));
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(1);

    // After the fix, replay the DLQ into the source queue; it now succeeds.
    poisonFixed = true;
    expect(await replayDeadLetters(env.sqs, { dlqUrl: q.dlqUrl, sourceUrl: q.url })).toEqual({ moved: 1, failed: 0 });
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
    expect(await poller.pollOnce(0)).toBe(1);
    expect(seen.at(-1)).toEqual({ body: 'poison', attempt: '1' });
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
  });

  it('keeps FIFO order per group and fails the rest of a group after a failure', async () => {
    const q = env.resources.queues.events;
    const send = (body: string, group: string, dedup: string) => env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
    await send('a1', 'A', 'a1');
    await send('a2', 'A', 'a2');
    await send('b1', 'B', 'b1');
    const handled: string[] = [];
    let failA1 = true;
    const handler = (event: SQSEvent) =>
      processSqsBatch(
        event,
        testContext(),
        async (r) => {
          if (r.body === 'a1' && failA1) {
            failA1 = false;
            throw new Error('transient');
          }
          handled.push(r.body);
        },
        { fifo: true },
      );
    const poller = new SqsPoller({ name: 'fifo', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, handler, context: () => testContext(), retryDelaySeconds: 0 });
    for (let i = 0; i < 10 && handled.length < 3; i++) await poller.pollOnce(0);
    expect(handled.filter((b) => b.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(handled).toContain('b1');
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
  });
});
