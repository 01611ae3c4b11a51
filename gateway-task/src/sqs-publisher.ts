import { SendMessageBatchCommand, type BatchResultErrorEntry, type SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { GatewayEvent, deduplicationId, messageGroupId } from '../../lambdas/shared/contracts/gateway-event';
import { toSqsBody } from '../../lambdas/shared/contracts/sqs-body';
import { silentLogger, type Logger } from './logger';

/**
 * The one SQS call the publisher makes. An `SQSClient` satisfies it; tests wrap one to inject
 * failures or stalls.
 */
export interface SqsBatchSender {
  send(command: SendMessageBatchCommand): Promise<Pick<SendMessageBatchCommandOutput, 'Successful' | 'Failed'>>;
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** Total payload of one SendMessageBatch call (and so of one message). */
export const SQS_MAX_BATCH_BYTES = 256 * 1024;
/**
 * Batches in flight at once. A few overlap the round trips to SQS (one at a time capped a task
 * at ~1,700 events/s on the local emulator); more buys little, since no two may share a group.
 */
export const DEFAULT_MAX_IN_FLIGHT_BATCHES = 4;

export interface SqsFifoPublisherOptions {
  sqs: SqsBatchSender;
  /** URL of a FIFO queue (`.fifo`). */
  queueUrl: string;
  /** How long a partial batch waits for company before it is sent. Default 50 ms. */
  lingerMs?: number;
  /** Events accepted but not yet confirmed by SQS; `publish()` waits while this many are held. Default 1000. */
  maxBufferedEvents?: number;
  /**
   * `publish()` calls that may wait for buffer space; beyond them (SQS unreachable for long) new
   * events are refused with {@link PublisherOverflowError}, counted and logged. Default 25,000:
   * a burst (a RESUME replaying what a short disconnect missed) fits; at a typical ~1 KB per
   * event it stays far inside the task's 512 MiB.
   */
  maxWaitingEvents?: number;
  /** Byte budget of one batch. Default {@link SQS_MAX_BATCH_BYTES}. */
  maxBatchBytes?: number;
  /**
   * SendMessageBatch calls in flight at once, never two holding the same message group.
   * Default {@link DEFAULT_MAX_IN_FLIGHT_BATCHES}.
   */
  maxInFlightBatches?: number;
  /** Backoff for failed sends: `initialDelayMs` doubling per attempt up to `maxDelayMs`, with jitter. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  logger?: Logger;
  /** Waits between retries; injectable so tests run without real delays. */
  sleep?: (ms: number) => Promise<void>;
}

/** Counters for health output and tests. */
export interface PublisherStats {
  /** Accepted and not yet confirmed by SQS (queued or in flight). */
  buffered: number;
  /** `publish()` calls waiting for buffer space. */
  waiting: number;
  /** SendMessageBatch calls not yet settled (retries included). */
  batchesInFlight: number;
  sent: number;
  /** Entries SQS rejected as the sender's fault, or abandoned by a drain timeout. */
  dropped: number;
  /** Entry re-sends after a failure. */
  retried: number;
  /** Events refused because the buffer and the waiting line were full. */
  overflowed: number;
}

export interface DrainResult {
  /** False when `timeoutMs` passed first; `remaining` events were then abandoned. */
  completed: boolean;
  remaining: number;
}

/** A value that is not a valid {@link GatewayEvent} (a bug upstream) — it is never sent. */
export class InvalidGatewayEventError extends Error {
  override readonly name = 'InvalidGatewayEventError';
}

/** `publish()` while the buffer and the waiting line are full: the event is not sent. */
export class PublisherOverflowError extends Error {
  override readonly name = 'PublisherOverflowError';
  constructor() {
    super('publisher buffer and waiting line are full; event dropped');
  }
}

/** `publish()` after `drain()` started. */
export class PublisherClosedError extends Error {
  override readonly name = 'PublisherClosedError';
  constructor() {
    super('publisher is draining or closed');
  }
}

interface Entry {
  id: string;
  event: GatewayEvent;
  body: string;
  bytes: number;
  groupId: string;
  dedupId: string;
  queuedAt: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes {@link GatewayEvent}s to an SQS FIFO queue in batches.
 *
 * - Each event is validated against the contract before it is accepted, so a bug cannot send junk.
 * - Up to 10 entries and {@link SqsFifoPublisherOptions.maxBatchBytes} per SendMessageBatch; a partial
 *   batch lingers briefly so bursts share a call.
 * - `MessageGroupId` / `MessageDeduplicationId` come from the contract helpers: SQS keeps per-group
 *   order, and a re-send of the same event (a retry after a lost response) is dropped by SQS
 *   within its 5-minute deduplication window.
 * - Up to {@link SqsFifoPublisherOptions.maxInFlightBatches} batches are in flight at once, but a
 *   message group is in at most one of them: a batch takes the oldest entries of groups that have
 *   nothing in flight, and its groups stay held until every entry is sent or dropped. Failed entries
 *   are retried (with backoff) while their group is held, so nothing newer of that group can
 *   overtake them and per-group order survives retries across batches; other groups go on. (Within
 *   one batch, SQS may accept a later entry of a group whose earlier entry failed; consumers order
 *   by `at` if it matters.)
 * - Backpressure: at most `maxBufferedEvents` are held; `publish()` resolves once its event is
 *   accepted, and waits (in call order) while the buffer is full. The waiting line is bounded too
 *   (`maxWaitingEvents`): Discord keeps sending whatever happens to SQS, so during a long outage the
 *   newest events are refused (the oldest keep their order), counted in `overflowed` and logged.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagegroupid-property.html
 */
export class SqsFifoPublisher {
  private readonly sqs: SqsBatchSender;
  private readonly queueUrl: string;
  private readonly lingerMs: number;
  private readonly maxBuffered: number;
  private readonly maxWaiting: number;
  private readonly maxBatchBytes: number;
  private readonly maxInFlightBatches: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;

  /** Accepted, not yet in a batch, in publish order. */
  private pending: Entry[] = [];
  private readonly waiters = new Fifo<{ entry: Entry; resolve: () => void; reject: (err: Error) => void }>();
  private readonly idleListeners: Array<() => void> = [];
  /** Entries in batches not yet settled. */
  private inFlight = 0;
  private batchesInFlight = 0;
  /** Message groups with an entry in an unsettled batch: none of their entries may be sent meanwhile. */
  private readonly heldGroups = new Set<string>();
  /** Pending entries per group, and how many pending entries belong to groups not held (could go now). */
  private readonly pendingByGroup = new Map<string, number>();
  private sendable = 0;
  /** The linger timer and when it fires. */
  private lingerTimer: NodeJS.Timeout | null = null;
  private lingerUntil = 0;
  private scheduling = false;
  private closed = false;
  private abandoned = false;
  private seq = 0;
  private readonly counters = { sent: 0, dropped: 0, retried: 0, overflowed: 0 };

  constructor(options: SqsFifoPublisherOptions) {
    this.sqs = options.sqs;
    this.queueUrl = options.queueUrl;
    this.lingerMs = options.lingerMs ?? 50;
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? 1000);
    this.maxWaiting = Math.max(0, options.maxWaitingEvents ?? 25_000);
    this.maxBatchBytes = options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES;
    this.maxInFlightBatches = Math.max(1, options.maxInFlightBatches ?? DEFAULT_MAX_IN_FLIGHT_BATCHES);
    this.initialDelayMs = options.retry?.initialDelayMs ?? 100;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
    this.maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.log = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? realSleep;
  }

  /**
   * Validates `event` and queues it for sending. Resolves when the event is accepted into the
   * buffer (not when SQS confirms it); waits while the buffer is full. Rejects with
   * {@link InvalidGatewayEventError} for a value outside the contract and with
   * {@link PublisherClosedError} once {@link drain} has started.
   */
  publish(event: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new PublisherClosedError());
    let entry: Entry;
    try {
      entry = this.prepare(event);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.waiters.length === 0 && this.used() < this.maxBuffered) {
      this.enqueue(entry);
      return Promise.resolve();
    }
    if (this.waiters.length >= this.maxWaiting) {
      // Logged on the first refusal and then every 1,000th: an outage must show, not flood the logs.
      if (this.counters.overflowed++ % 1000 === 0) this.log.error('SQS buffer full; gateway events dropped', { overflowed: this.counters.overflowed, type: entry.event.type, group: entry.groupId });
      return Promise.reject(new PublisherOverflowError());
    }
    return new Promise<void>((resolve, reject) => this.waiters.push({ entry, resolve, reject }));
  }

  /**
   * Stops intake and sends everything held (skipping the linger), including events whose
   * `publish()` is still waiting. With `timeoutMs`, gives up after that long — what is left is
   * logged as lost — so a shutdown finishes inside the container's stop timeout.
   */
  async drain(options: { timeoutMs?: number } = {}): Promise<DrainResult> {
    this.closed = true;
    this.schedule();
    const idle = new Promise<void>((resolve) => this.whenIdle(resolve));
    const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(timeoutMs)) {
      await idle;
      return { completed: true, remaining: 0 };
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      idle.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return { completed: true, remaining: 0 };

    this.abandoned = true;
    this.clearLinger();
    const remaining = this.used() + this.waiters.length;
    this.counters.dropped += this.pending.length + this.waiters.length;
    this.pending.length = 0;
    this.pendingByGroup.clear();
    this.sendable = 0;
    for (const w of this.waiters.takeAll()) w.reject(new PublisherClosedError());
    this.log.error('drain timed out; events not sent', { remaining, timeoutMs });
    return { completed: false, remaining };
  }

  /** Whether new events are being refused now (buffer and waiting line full). */
  overflowing(): boolean {
    return this.waiters.length >= this.maxWaiting && this.used() >= this.maxBuffered;
  }

  stats(): PublisherStats {
    return { buffered: this.used(), waiting: this.waiters.length, batchesInFlight: this.batchesInFlight, ...this.counters };
  }

  private used(): number {
    return this.pending.length + this.inFlight;
  }

  private prepare(input: unknown): Entry {
    const parsed = GatewayEvent.safeParse(input);
    if (!parsed.success) {
      // Paths and messages only: the rejected value may hold data that must not reach logs.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
      throw new InvalidGatewayEventError(`not a valid gateway event — ${issues}`);
    }
    const event = parsed.data;
    // Emoji as JSON escapes: the same body on AWS and on the local emulator (see toSqsBody).
    const body = toSqsBody(event);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > this.maxBatchBytes) {
      throw new InvalidGatewayEventError(`gateway event ${event.type} is ${bytes} bytes, over the ${this.maxBatchBytes}-byte SQS limit`);
    }
    return {
      id: `e${this.seq++}`,
      event,
      body,
      bytes,
      groupId: messageGroupId(event),
      dedupId: deduplicationId(event),
      queuedAt: 0,
    };
  }

  private enqueue(entry: Entry): void {
    entry.queuedAt = Date.now();
    this.pending.push(entry);
    this.pendingByGroup.set(entry.groupId, (this.pendingByGroup.get(entry.groupId) ?? 0) + 1);
    if (!this.heldGroups.has(entry.groupId)) this.sendable++;
    // Nothing to decide when every slot is busy or the entry's group is held: the settling batch
    // schedules again.
    if (this.batchesInFlight < this.maxInFlightBatches && !this.heldGroups.has(entry.groupId)) this.schedule();
  }

  private admitWaiters(): void {
    while (this.waiters.length > 0 && this.used() < this.maxBuffered) {
      const w = this.waiters.shift()!;
      this.enqueue(w.entry);
      w.resolve();
    }
  }

  /**
   * Starts every batch that may go now: while a slot is free, the next batch is full, or its
   * oldest entry has lingered long enough (or a drain is on). Otherwise arms the linger timer.
   * Runs after each publish, each settled batch, the linger timer and `drain()`.
   */
  private schedule(): void {
    if (this.scheduling) return;
    this.scheduling = true;
    try {
      while (!this.abandoned && this.batchesInFlight < this.maxInFlightBatches && this.sendable > 0) {
        const plan = this.planBatch();
        if (plan.picked.length === 0) break; // every pending group is held
        if (!this.closed && !plan.full) {
          const waitMs = plan.oldestQueuedAt + this.lingerMs - Date.now();
          if (waitMs > 0) {
            this.lingerFor(waitMs);
            break;
          }
        }
        this.clearLinger();
        this.launch(this.take(plan.picked));
      }
    } finally {
      this.scheduling = false;
    }
    this.notifyIfIdle();
  }

  /**
   * The next batch: pending entries in publish order, skipping held groups, up to 10 entries and
   * the byte budget. An entry that does not fit closes its group for this batch, so a later entry
   * of that group never goes ahead of it.
   */
  private planBatch(): { picked: number[]; full: boolean; oldestQueuedAt: number } {
    const picked: number[] = [];
    let bytes = 0;
    let full = false;
    let closedGroups: Set<string> | null = null;
    // Stops once every entry that could go was seen: the rest of the buffer is held groups' backlog.
    for (let i = 0, seen = 0; i < this.pending.length && seen < this.sendable; i++) {
      const e = this.pending[i];
      if (this.heldGroups.has(e.groupId)) continue;
      seen++;
      if (closedGroups?.has(e.groupId)) continue;
      if (bytes + e.bytes > this.maxBatchBytes) {
        full = true;
        (closedGroups ??= new Set()).add(e.groupId);
        continue;
      }
      bytes += e.bytes;
      picked.push(i);
      if (picked.length === SQS_MAX_BATCH_ENTRIES) {
        full = true;
        break;
      }
    }
    return { picked, full, oldestQueuedAt: picked.length ? this.pending[picked[0]].queuedAt : 0 };
  }

  /** Removes the entries at `indexes` (ascending) from `pending`. */
  private take(indexes: number[]): Entry[] {
    const batch = indexes.map((i) => this.pending[i]);
    for (const e of batch) {
      const left = this.pendingByGroup.get(e.groupId)! - 1;
      if (left === 0) this.pendingByGroup.delete(e.groupId);
      else this.pendingByGroup.set(e.groupId, left);
    }
    this.sendable -= batch.length;
    if (indexes.length === indexes[indexes.length - 1] + 1) {
      this.pending.splice(0, indexes.length); // the usual case: a prefix
    } else {
      const taken = new Set(indexes);
      this.pending = this.pending.filter((_, i) => !taken.has(i));
    }
    return batch;
  }

  /** Sends a batch in the background; its groups are held until every entry is settled. */
  private launch(batch: Entry[]): void {
    const groups = new Set(batch.map((e) => e.groupId));
    for (const g of groups) {
      this.heldGroups.add(g);
      this.sendable -= this.pendingByGroup.get(g) ?? 0;
    }
    this.batchesInFlight++;
    this.inFlight += batch.length;
    void this.sendUntilSettled(batch).finally(() => {
      for (const g of groups) {
        this.heldGroups.delete(g);
        this.sendable += this.pendingByGroup.get(g) ?? 0;
      }
      this.batchesInFlight--;
      this.schedule();
    });
  }

  private lingerFor(ms: number): void {
    const until = Date.now() + ms;
    if (this.lingerTimer && this.lingerUntil <= until) return;
    this.clearLinger();
    this.lingerUntil = until;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      this.schedule();
    }, ms);
  }

  private clearLinger(): void {
    if (!this.lingerTimer) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  /** Sends `batch`, re-sending retryable failures until each entry is sent or dropped. Never throws. */
  private async sendUntilSettled(batch: Entry[]): Promise<void> {
    let entries = batch;
    for (let attempt = 1; entries.length > 0; attempt++) {
      let retry: Entry[];
      let failure: Record<string, unknown>;
      try {
        const out = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: entries.map((e) => ({
              Id: e.id,
              MessageBody: e.body,
              MessageGroupId: e.groupId,
              MessageDeduplicationId: e.dedupId,
            })),
          }),
        );
        const ok = new Set((out.Successful ?? []).map((s) => s.Id));
        const failed = new Map<string | undefined, BatchResultErrorEntry>((out.Failed ?? []).map((f) => [f.Id, f]));
        retry = [];
        for (const e of entries) {
          const f = failed.get(e.id);
          if (ok.has(e.id) && !f) {
            this.settle('sent');
          } else if (f?.SenderFault) {
            // SQS says the entry itself is wrong: re-sending cannot succeed.
            this.log.error('SQS rejected gateway event; dropped', { ...this.describe(e), code: f.Code });
            this.settle('dropped');
          } else {
            // A server-side failure, or an entry SQS did not account for: the dedup id makes a re-send safe.
            retry.push(e);
          }
        }
        failure = { failed: retry.length, codes: [...new Set(retry.map((e) => failed.get(e.id)?.Code ?? 'missing'))] };
      } catch (err) {
        retry = entries;
        failure = { error: err };
      }
      if (retry.length === 0) return;
      if (this.abandoned || attempt >= this.maxAttempts) {
        this.log.error('gateway events not sent after retries; dropped', { attempts: attempt, count: retry.length, ...failure });
        retry.forEach(() => this.settle('dropped'));
        return;
      }
      const delayMs = this.backoff(attempt);
      this.log.warn('SQS send failed; retrying', { attempt, count: retry.length, delayMs, ...failure });
      this.counters.retried += retry.length;
      await this.sleep(delayMs);
      if (this.abandoned) {
        retry.forEach(() => this.settle('dropped'));
        return;
      }
      entries = retry;
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
    // Half fixed, half random: spreads retries of several tasks without collapsing to ~0.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private settle(outcome: 'sent' | 'dropped'): void {
    this.inFlight--;
    this.counters[outcome]++;
    if (!this.abandoned) this.admitWaiters();
  }

  private describe(e: Entry): Record<string, unknown> {
    return { type: e.event.type, groupId: e.groupId, dedupId: e.dedupId };
  }

  private whenIdle(listener: () => void): void {
    this.idleListeners.push(listener);
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.used() > 0 || this.waiters.length > 0 || this.batchesInFlight > 0) return;
    for (const l of this.idleListeners.splice(0)) l();
  }
}

/**
 * A first-in first-out queue with O(1) removal from the front: thousands of `publish()` calls can
 * wait behind a full buffer, and `Array#shift` on them would copy the array each time.
 */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    // Drop the consumed front now and then, so the array does not grow without bound.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Empties the queue, returning what it held in order. */
  takeAll(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}
