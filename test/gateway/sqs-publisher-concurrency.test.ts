import { SendMessageBatchCommand, type SendMessageBatchCommandOutput, type SQSClient } from '@aws-sdk/client-sqs';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { SqsFifoPublisher, type SqsBatchSender } from '../../gateway-task/src/sqs-publisher';
import { createFifoQueue, receiveAll, testSqsClient } from './support/sqs';

type Output = Pick<SendMessageBatchCommandOutput, 'Successful' | 'Failed'>;
type BatchEntry = NonNullable<SendMessageBatchCommand['input']['Entries']>[number];

// Guild ids unique to this file (tests isolate by guild id and by queue).
const BASE = 1_300_000_000_000_000_000n + BigInt(process.pid) * 1_000_000n;
const guildId = (n: number) => String(BASE + BigInt(n));

/** A guild event: its message group is `guild-<id>`, so `g` picks the group. */
function event(g: number, at: number): GatewayEvent {
  return { type: 'guild.create', guildId: guildId(g), ownerId: '1100000000000000002', joinedAt: '2026-11-21T10:15:30.123000+00:00', at };
}
const atOf = (e: BatchEntry) => (JSON.parse(e.MessageBody!) as GatewayEvent).at;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A sender whose calls stay open until the test answers them, and which checks on every call the
 * rule the publisher promises: no message group is in two unsettled calls.
 */
class HeldSender implements SqsBatchSender {
  readonly calls: Array<{ entries: BatchEntry[]; open: boolean }> = [];
  readonly violations: string[] = [];
  private readonly answers: Array<(o: Output | Error) => void> = [];

  send(command: SendMessageBatchCommand): Promise<Output> {
    const entries = command.input.Entries ?? [];
    const busy = new Set(this.calls.filter((c) => c.open).flatMap((c) => c.entries.map((e) => e.MessageGroupId)));
    for (const e of entries) if (busy.has(e.MessageGroupId)) this.violations.push(`${e.MessageGroupId} sent while in flight`);
    const call = { entries, open: true };
    this.calls.push(call);
    return new Promise((resolve, reject) =>
      this.answers.push((o) => {
        call.open = false;
        if (o instanceof Error) reject(o);
        else resolve(o);
      }),
    );
  }

  get open(): number {
    return this.calls.filter((c) => c.open).length;
  }

  /** Call `i` throws, as a timed-out request does. */
  fail(i: number, err: Error): void {
    this.answers[i](err);
  }

  /** Answers call `i`: all accepted, or the entries `fail` picks failed on SQS's side (retryable). */
  answer(i: number, fail: (e: BatchEntry) => boolean = () => false): void {
    const entries = this.calls[i].entries;
    this.answers[i]({
      Successful: entries.filter((e) => !fail(e)).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: entries.filter(fail).map((e) => ({ Id: e.Id!, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
    });
  }
}

describe('SqsFifoPublisher: several batches in flight, one per message group', () => {
  // The linger runs on jest's clock; promise callbacks and setImmediate stay real.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('sends batches of disjoint groups at once up to the cap, and holds a group’s later events until its batch is settled', async () => {
    const sender = new HeldSender();
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', lingerMs: 60_000, maxInFlightBatches: 3 });

    // 40 events over 40 groups: four full batches' worth, of which the cap lets three go.
    for (let g = 0; g < 40; g++) await publisher.publish(event(g, g));
    await settle();
    expect(sender.calls.map((c) => c.entries.length)).toEqual([10, 10, 10]);
    expect(publisher.stats()).toMatchObject({ batchesInFlight: 3, buffered: 40 });

    // A later event of a group in the first batch waits for it; the fourth batch takes the free slot.
    await publisher.publish(event(0, 100));
    sender.answer(1);
    await settle();
    expect(sender.calls).toHaveLength(4);
    expect(sender.calls[3].entries.map(atOf)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);

    // Not even a drain sends it while its group's batch is open.
    const drained = publisher.drain();
    await settle();
    expect(sender.calls).toHaveLength(4);
    sender.answer(0);
    await settle();
    expect(sender.calls[4].entries.map(atOf)).toEqual([100]);
    for (const i of [2, 3, 4]) sender.answer(i);
    await expect(drained).resolves.toEqual({ completed: true, remaining: 0 });
    expect(sender.violations).toEqual([]);
    expect(publisher.stats()).toMatchObject({ sent: 41, buffered: 0, batchesInFlight: 0 });
  });

  it('retries a partially failed group before any later event of it, while other groups go on', async () => {
    const sender = new HeldSender();
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', lingerMs: 10, maxInFlightBatches: 4, sleep: async () => {} });

    // Group 2 fills a batch; group 1's 10..12 go in a second one after the linger.
    for (let at = 20; at < 30; at++) await publisher.publish(event(2, at));
    for (const at of [10, 11, 12]) await publisher.publish(event(1, at));
    jest.advanceTimersByTime(10);
    await settle();
    expect(sender.calls.map((c) => c.entries.map(atOf))).toEqual([[20, 21, 22, 23, 24, 25, 26, 27, 28, 29], [10, 11, 12]]);

    // More of group 1 while its batch is open, and of a third group: only the third one goes.
    for (const at of [13, 14]) await publisher.publish(event(1, at));
    await publisher.publish(event(3, 30));
    jest.advanceTimersByTime(10);
    await settle();
    expect(sender.calls).toHaveLength(3);
    expect(sender.calls[2].entries.map(atOf)).toEqual([30]);

    // SQS accepts 10 and fails 11 and 12: the retry carries exactly those, and 13, 14 still wait.
    sender.answer(1, (e) => atOf(e) >= 11);
    await settle();
    expect(sender.calls[3].entries.map(atOf)).toEqual([11, 12]);
    expect(sender.calls).toHaveLength(4);

    // Groups 2 and 3 settle meanwhile; group 1 only moves on once its retry is accepted.
    sender.answer(0);
    sender.answer(2);
    await settle();
    expect(sender.calls).toHaveLength(4);
    sender.answer(3);
    await settle();
    expect(sender.calls[4].entries.map(atOf)).toEqual([13, 14]);
    sender.answer(4);
    await expect(publisher.drain()).resolves.toEqual({ completed: true, remaining: 0 });

    // What SQS accepted, group by group, is the publish order.
    expect(sender.violations).toEqual([]);
    expect(publisher.stats()).toMatchObject({ sent: 16, dropped: 0, retried: 2 });
  });

  it('a thrown call holds its groups through the backoff; the other batches in flight are not held up', async () => {
    const sender = new HeldSender();
    const sleeps: Array<() => void> = [];
    const publisher = new SqsFifoPublisher({
      sqs: sender,
      queueUrl: 'http://sqs/q.fifo',
      lingerMs: 0,
      sleep: () => new Promise<void>((resolve) => sleeps.push(resolve)),
    });
    await publisher.publish(event(5, 1));
    await settle();
    await publisher.publish(event(6, 2));
    await settle();
    expect(sender.calls.map((c) => c.entries.map(atOf))).toEqual([[1], [2]]);

    sender.fail(0, Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await settle();
    expect(sleeps).toHaveLength(1); // backing off; group 5 still held
    await publisher.publish(event(5, 3));
    sender.answer(1);
    await publisher.publish(event(6, 4));
    await settle();
    // Group 6 went on; group 5's newer event waits behind the retry.
    expect(sender.calls.map((c) => c.entries.map(atOf))).toEqual([[1], [2], [4]]);

    sleeps[0]();
    await settle();
    expect(sender.calls[3].entries.map(atOf)).toEqual([1]);
    sender.answer(3);
    await settle();
    expect(sender.calls[4].entries.map(atOf)).toEqual([3]);
    sender.answer(2);
    sender.answer(4);
    await expect(publisher.drain()).resolves.toEqual({ completed: true, remaining: 0 });
    expect(sender.violations).toEqual([]);
  });

  it('keeps the byte budget per batch with several in flight, and never lets a group’s later event jump one that did not fit', async () => {
    const sender = new HeldSender();
    const one = Buffer.byteLength(JSON.stringify(event(7, 1_000)));
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl: 'http://sqs/q.fifo', lingerMs: 60_000, maxBatchBytes: one * 3 + 10 });
    // Group 7 ×2, group 8 ×2, group 9 ×1: the first batch fills with 7, 7, 8; group 8's second
    // entry does not fit, so group 8 closes for that batch while group 9 could not fit either.
    for (const [g, at] of [[7, 1_000], [7, 1_001], [8, 1_002], [8, 1_003], [9, 1_004]]) await publisher.publish(event(g, at));
    await settle();
    expect(sender.calls.map((c) => c.entries.map(atOf))).toEqual([[1_000, 1_001, 1_002]]);
    // The next batch may take group 9 but not group 8's second entry (its group is in flight).
    expect(publisher.stats()).toMatchObject({ batchesInFlight: 1, buffered: 5 });
    const drained = publisher.drain();
    await settle();
    expect(sender.calls.map((c) => c.entries.map(atOf))).toEqual([[1_000, 1_001, 1_002], [1_004]]);
    sender.answer(0);
    await settle();
    expect(sender.calls[2].entries.map(atOf)).toEqual([1_003]);
    sender.answer(1);
    sender.answer(2);
    await expect(drained).resolves.toEqual({ completed: true, remaining: 0 });
    expect(sender.violations).toEqual([]);
  });
});

describe('SqsFifoPublisher under concurrency on the SQS emulator', () => {
  let sqs: SQSClient;
  beforeAll(() => {
    sqs = testSqsClient();
  });
  afterAll(() => sqs.destroy());

  it('2,000 events over 25 channels with thrown calls, partially failed batches and uneven latency: every group arrives complete and in order', async () => {
    const queueUrl = await createFifoQueue(sqs, 'gw-concurrent');
    // A seeded generator: the same injected failures on every run.
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let open = 0;
    let maxOpen = 0;
    const inFlightGroups = new Set<string>();
    const violations: string[] = [];
    let thrown = 0;
    let partial = 0;
    const sender: SqsBatchSender = {
      async send(cmd) {
        const entries = cmd.input.Entries!;
        for (const e of entries) if (inFlightGroups.has(e.MessageGroupId!)) violations.push(e.MessageGroupId!);
        const groups = new Set(entries.map((e) => e.MessageGroupId!));
        groups.forEach((g) => inFlightGroups.add(g));
        maxOpen = Math.max(maxOpen, ++open);
        try {
          await new Promise((r) => setTimeout(r, Math.floor(random() * 4)));
          const roll = random();
          if (roll < 0.08) {
            thrown++;
            // Half of them after SQS took the batch (a lost response): the re-send is deduplicated.
            if (roll < 0.04) await sqs.send(cmd);
            throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
          }
          if (roll < 0.2 && entries.length > 1) {
            partial++;
            // SQS fails one entry; what SQS would keep in order, it fails the rest of that group too.
            const failing = entries[Math.floor(random() * entries.length)];
            const failed = entries.filter((e, i) => e.MessageGroupId === failing.MessageGroupId && i >= entries.indexOf(failing));
            const ok = entries.filter((e) => !failed.includes(e));
            const out = ok.length ? await sqs.send(new SendMessageBatchCommand({ ...cmd.input, Entries: ok })) : { Successful: [] };
            return { Successful: out.Successful, Failed: failed.map((e) => ({ Id: e.Id!, SenderFault: false, Code: 'InternalError', Message: 'try again' })) };
          }
          return await sqs.send(cmd);
        } finally {
          open--;
          groups.forEach((g) => inFlightGroups.delete(g));
        }
      },
    };
    const publisher = new SqsFifoPublisher({ sqs: sender, queueUrl, lingerMs: 2, maxInFlightBatches: 6, maxBufferedEvents: 300, sleep: async () => {} });

    const events = Array.from({ length: 2_000 }, (_, i) => event(100 + (i % 25), i));
    for (const e of events) await publisher.publish(e);
    await expect(publisher.drain()).resolves.toEqual({ completed: true, remaining: 0 });

    expect(violations).toEqual([]);
    expect(maxOpen).toBeGreaterThan(1);
    expect(thrown).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
    expect(publisher.stats()).toMatchObject({ sent: 2_000, dropped: 0, buffered: 0 });

    const received = await receiveAll(sqs, queueUrl, 2_000, 30_000);
    expect(received).toHaveLength(2_000);
    const byGroup = new Map<string, number[]>();
    for (const r of received) byGroup.set(r.groupId!, [...(byGroup.get(r.groupId!) ?? []), (r.body as GatewayEvent).at]);
    expect(byGroup.size).toBe(25);
    for (const [g, ats] of byGroup) {
      const sent = events.filter((e) => `guild-${e.guildId}` === g).map((e) => e.at);
      expect(ats).toEqual(sent);
    }
  }, 60_000);
});
