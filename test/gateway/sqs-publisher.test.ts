import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { createJsonLogger } from '../../gateway-task/src/logger';
import {
  InvalidGatewayEventError,
  PublisherClosedError,
  PublisherOverflowError,
  SqsFifoPublisher,
} from '../../gateway-task/src/sqs-publisher';
import { RecordingSender, StalledSender, allSuccessful } from './support/fake-sqs';
import { createFifoQueue, receiveAll, testSqsClient } from './support/sqs';

// Guild ids unique to this file (tests isolate by guild id and by queue).
const BASE = 1_200_000_000_000_000_000n + BigInt(process.pid) * 1_000_000n;
const guildId = (n: number) => String(BASE + BigInt(n));

function guildCreate(n: number, at: number): GatewayEvent {
  return { type: 'guild.create', guildId: guildId(n), ownerId: '1100000000000000002', joinedAt: '2026-11-21T10:15:30.123000+00:00', at };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) });
  return { lines, logger };
}

describe('SqsFifoPublisher against a FIFO queue on the SQS emulator', () => {
  let sqs: SQSClient;
  beforeAll(() => {
    sqs = testSqsClient();
  });
  afterAll(() => sqs.destroy());

  it('sends 25 events in 3 SendMessageBatch calls (10, 10, then 5 after the linger) with group and dedup ids from the contract, in order per group', async () => {
    const queueUrl = await createFifoQueue(sqs, 'gw-batch');
    const sender = new RecordingSender((cmd) => sqs.send(cmd));
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl, lingerMs: 20 });

    const events = Array.from({ length: 25 }, (_, i) => guildCreate(i % 3, 1_000 + i));
    for (const e of events) await publisher.publish(e);

    const received = await receiveAll(sqs, queueUrl, 25);
    expect(sender.calls.map((c) => c.entries.length)).toEqual([10, 10, 5]);
    expect(received).toHaveLength(25);
    for (const r of received) {
      const body = r.body as GatewayEvent & { type: 'guild.create' };
      expect(r.groupId).toBe(`guild-${body.guildId}`);
      expect(r.dedupId).toBe(`gc-${body.guildId}-${body.at}`);
    }
    for (const g of [0, 1, 2]) {
      const sent = events.filter((e) => e.guildId === guildId(g));
      const got = received.map((r) => r.body as GatewayEvent).filter((b) => b.guildId === guildId(g));
      expect(got).toEqual(sent);
    }
    expect(publisher.stats()).toMatchObject({ sent: 25, buffered: 0, dropped: 0, retried: 0 });
    await expect(publisher.drain()).resolves.toEqual({ completed: true, remaining: 0 });
  });

  it('lets SQS deduplicate an event sent again (a restarted task, or a retry after a lost response)', async () => {
    const queueUrl = await createFifoQueue(sqs, 'gw-dedup');
    const first = new SqsFifoPublisher({ sqs, queueUrl });
    await first.publish(guildCreate(10, 5_000));
    await first.drain();

    const second = new SqsFifoPublisher({ sqs, queueUrl });
    await second.publish(guildCreate(10, 5_000)); // same event → same dedup id
    await second.publish(guildCreate(10, 5_001)); // same group, after it
    await second.drain();

    // Had the duplicate been delivered, it would precede the later event in the group.
    const received = await receiveAll(sqs, queueUrl, 2);
    expect(received.map((r) => (r.body as GatewayEvent).at)).toEqual([5_000, 5_001]);
  });

  it('retries a thrown error and a retryable Failed entry with backoff, before sending anything newer, and loses nothing', async () => {
    const queueUrl = await createFifoQueue(sqs, 'gw-retry');
    const sender = new RecordingSender(async (cmd, call) => {
      if (call === 0) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      if (call === 1) {
        // SQS accepts all but the second entry, which fails on its side.
        const entries = cmd.input.Entries!;
        const failing = entries[1];
        const out = await sqs.send(new SendMessageBatchCommand({ ...cmd.input, Entries: entries.filter((e) => e !== failing) }));
        return { Successful: out.Successful, Failed: [{ Id: failing.Id!, SenderFault: false, Code: 'InternalError', Message: 'try again' }] };
      }
      return sqs.send(cmd);
    });
    const delays: number[] = [];
    const { lines, logger } = captureLogs();
    const publisher = new SqsFifoPublisher({
      sqs: sender,
      queueUrl,
      logger,
      retry: { initialDelayMs: 100, maxDelayMs: 1_000 },
      sleep: async (ms) => void delays.push(ms),
    });

    // The last two events share groups with the first ten (the second one with the failing entry).
    const events = Array.from({ length: 12 }, (_, i) => guildCreate(20 + (i % 10), 7_000 + i));
    for (const e of events) await publisher.publish(e);
    await publisher.drain();

    expect(sender.calls.map((c) => c.entries.length)).toEqual([10, 10, 1, 2]);
    // The retried entry went out alone, before the two later events of its batch's groups.
    expect(sender.calls[2].entries[0].MessageDeduplicationId).toBe(sender.calls[1].entries[1].MessageDeduplicationId);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    expect(lines.filter((l) => l.message === 'SQS send failed; retrying')).toHaveLength(2);

    const received = await receiveAll(sqs, queueUrl, 12);
    expect(received.map((r) => (r.body as GatewayEvent).at).sort((a, b) => a - b)).toEqual(events.map((e) => e.at));
    expect(publisher.stats()).toMatchObject({ sent: 12, dropped: 0, retried: 11 });
  });

  it('drain() sends a partial batch at once instead of waiting out the linger', async () => {
    const queueUrl = await createFifoQueue(sqs, 'gw-drain');
    const publisher = new SqsFifoPublisher({ sqs, queueUrl, lingerMs: 60_000 });
    for (let i = 0; i < 3; i++) await publisher.publish(guildCreate(40, 9_000 + i));
    expect(publisher.stats().buffered).toBe(3);

    await expect(publisher.drain()).resolves.toEqual({ completed: true, remaining: 0 });
    const received = await receiveAll(sqs, queueUrl, 3);
    expect(received.map((r) => (r.body as GatewayEvent).at)).toEqual([9_000, 9_001, 9_002]);
    await expect(publisher.publish(guildCreate(40, 9_003))).rejects.toBeInstanceOf(PublisherClosedError);
  });
});

describe('SqsFifoPublisher behaviour with a fake SQS', () => {
  it('holds at most maxBufferedEvents: with a stalled client the N+1th publish waits until SQS answers', async () => {
    const sender = new StalledSender();
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', lingerMs: 0, maxBufferedEvents: 3 });

    for (let i = 0; i < 3; i++) await publisher.publish(guildCreate(50, i));
    let fourthAccepted = false;
    const fourth = publisher.publish(guildCreate(50, 3)).then(() => (fourthAccepted = true));
    await settle();
    expect(fourthAccepted).toBe(false);
    expect(publisher.stats()).toMatchObject({ buffered: 3, waiting: 1 });
    expect(sender.hanging).toBe(1); // the first batch, stuck

    sender.releaseOne();
    await fourth;
    expect(fourthAccepted).toBe(true);

    const drained = publisher.drain();
    while (sender.hanging > 0 || publisher.stats().buffered > 0) {
      if (sender.hanging > 0) sender.releaseOne();
      await settle();
    }
    await expect(drained).resolves.toEqual({ completed: true, remaining: 0 });
    const sentAt = sender.calls.flatMap((c) => c.entries.map((e) => JSON.parse(e.MessageBody!).at));
    expect(sentAt).toEqual([0, 1, 2, 3]);
  });

  it('bounds the waiting line too: during an outage the newest events are refused, counted and logged (not once each), the oldest sent in order once SQS answers', async () => {
    const sender = new StalledSender();
    const { lines, logger } = captureLogs();
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', lingerMs: 0, maxBufferedEvents: 2, maxWaitingEvents: 3, logger });

    const accepted: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < 2005; i++) publisher.publish(guildCreate(55, i)).then(() => accepted.push(i), (err) => (err instanceof PublisherOverflowError ? refused.push(i) : undefined));
    await settle();
    expect(publisher.stats()).toMatchObject({ buffered: 2, waiting: 3, overflowed: 2000 });
    expect(publisher.overflowing()).toBe(true);
    expect(refused).toHaveLength(2000);
    expect(refused[0]).toBe(5);
    const overflowLogs = lines.filter((l) => l.message === 'SQS buffer full; gateway events dropped');
    expect(overflowLogs.map((l) => l.overflowed)).toEqual([1, 1001]);

    const drained = publisher.drain();
    while (sender.hanging > 0 || publisher.stats().buffered > 0) {
      if (sender.hanging > 0) sender.releaseOne();
      await settle();
    }
    await expect(drained).resolves.toEqual({ completed: true, remaining: 0 });
    expect(publisher.overflowing()).toBe(false);
    expect(sender.calls.flatMap((c) => c.entries.map((e) => JSON.parse(e.MessageBody!).at))).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects a value outside the contract without sending it, and strips unknown fields from valid events', async () => {
    const sender = new RecordingSender(async (cmd) => allSuccessful(cmd));
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo' });

    const junk = { type: 'guild.create', guildId: 'not-a-snowflake', ownerId: '1', joinedAt: 'x', at: 1 };
    const rejection = publisher.publish(junk);
    await expect(rejection).rejects.toBeInstanceOf(InvalidGatewayEventError);
    await expect(rejection).rejects.toThrow(/guildId/);
    await expect(rejection).rejects.not.toThrow(/not-a-snowflake/);
    await expect(publisher.publish({ type: 'message.create' })).rejects.toBeInstanceOf(InvalidGatewayEventError);

    await publisher.publish({ ...guildCreate(60, 1), content: 'should never travel' });
    await publisher.drain();
    expect(sender.calls).toHaveLength(1);
    expect(JSON.parse(sender.calls[0].entries[0].MessageBody!)).toEqual(guildCreate(60, 1));
  });

  it('splits batches by the byte budget and refuses an event larger than it', async () => {
    const sender = new RecordingSender(async (cmd) => allSuccessful(cmd));
    const oneEventBytes = Buffer.byteLength(JSON.stringify(guildCreate(70, 1_000)));
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', maxBatchBytes: oneEventBytes * 2 + 10 });
    for (let i = 0; i < 5; i++) await publisher.publish(guildCreate(70, 1_000 + i));
    await publisher.drain();
    expect(sender.calls.map((c) => c.entries.length)).toEqual([2, 2, 1]);

    const tiny = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', maxBatchBytes: 50 });
    await expect(tiny.publish(guildCreate(70, 2_000))).rejects.toThrow(/over the 50-byte SQS limit/);
  });

  it('drops an entry SQS rejects as the sender\'s fault (re-sending cannot help) and keeps the rest', async () => {
    const sender = new RecordingSender(async (cmd) => {
      const [bad, ...good] = cmd.input.Entries!;
      return {
        Successful: good.map((e) => ({ Id: e.Id!, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: [{ Id: bad.Id!, SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }],
      };
    });
    const { lines, logger } = captureLogs();
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', logger });
    for (let i = 0; i < 3; i++) await publisher.publish(guildCreate(80, i));
    await publisher.drain();
    expect(sender.calls).toHaveLength(1);
    expect(publisher.stats()).toMatchObject({ sent: 2, dropped: 1, retried: 0 });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'SQS rejected gateway event; dropped', code: 'InvalidParameterValue', dedupId: `gc-${guildId(80)}-0` }));
  });

  it('gives up after maxAttempts, and a drain with a timeout returns instead of hanging on a dead SQS', async () => {
    const failing = new RecordingSender(async () => {
      throw new Error('endpoint unreachable');
    });
    const limited = new SqsFifoPublisher({ sqs: failing, queueUrl: 'http://sqs/q.fifo', retry: { maxAttempts: 3 }, sleep: async () => {} });
    await limited.publish(guildCreate(90, 1));
    await limited.drain();
    expect(failing.calls).toHaveLength(3);
    expect(limited.stats()).toMatchObject({ sent: 0, dropped: 1 });

    const stalled = new StalledSender();
    const stuck = new SqsFifoPublisher({ sqs: stalled, queueUrl: 'http://sqs/q.fifo', lingerMs: 0, maxBufferedEvents: 1 });
    await stuck.publish(guildCreate(90, 2));
    const waiting = stuck.publish(guildCreate(90, 3));
    await expect(stuck.drain({ timeoutMs: 20 })).resolves.toEqual({ completed: false, remaining: 2 });
    await expect(waiting).rejects.toBeInstanceOf(PublisherClosedError);
  });
});
