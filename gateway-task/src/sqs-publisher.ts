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

export interface SqsFifoPublisherOptions {
  sqs: SqsBatchSender;
  /** URL of a FIFO queue (`.fifo`). */
  queueUrl: string;
  /** How long a partial batch waits for company before it is sent. Default 50 ms. */
  lingerMs?: number;
  /** Events accepted but not yet confirmed by SQS; `publish()` waits while this many are held. Default 1000. */
  maxBufferedEvents?: number;
  /** Byte budget of one batch. Default {@link SQS_MAX_BATCH_BYTES}. */
  maxBatchBytes?: number;
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
  sent: number;
  /** Entries SQS rejected as the sender's fault, or abandoned by a drain timeout. */
  dropped: number;
  /** Entry re-sends after a failure. */
  retried: number;
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
 * - One batch is in flight at a time and failed entries are retried (with backoff) before anything
 *   newer is sent, so per-group order survives retries across batches. (Within one batch, SQS may
 *   accept a later entry of a group whose earlier entry failed; consumers order by `at` if it matters.)
 * - Backpressure: at most `maxBufferedEvents` are held; `publish()` resolves once its event is
 *   accepted, and waits (in call order) while the buffer is full.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagegroupid-property.html
 */
export class SqsFifoPublisher {
  private readonly sqs: SqsBatchSender;
  private readonly queueUrl: string;
  private readonly lingerMs: number;
  private readonly maxBuffered: number;
  private readonly maxBatchBytes: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;

  private readonly pending: Entry[] = [];
  private readonly waiters: Array<{ entry: Entry; resolve: () => void; reject: (err: Error) => void }> = [];
  private readonly idleListeners: Array<() => void> = [];
  private inFlight = 0;
  private pumping = false;
  private wake: (() => void) | null = null;
  private closed = false;
  private abandoned = false;
  private seq = 0;
  private readonly counters = { sent: 0, dropped: 0, retried: 0 };

  constructor(options: SqsFifoPublisherOptions) {
    this.sqs = options.sqs;
    this.queueUrl = options.queueUrl;
    this.lingerMs = options.lingerMs ?? 50;
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? 1000);
    this.maxBatchBytes = options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES;
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
    return new Promise<void>((resolve, reject) => this.waiters.push({ entry, resolve, reject }));
  }

  /**
   * Stops intake and sends everything held (skipping the linger), including events whose
   * `publish()` is still waiting. With `timeoutMs`, gives up after that long — what is left is
   * logged as lost — so a shutdown finishes inside the container's stop timeout.
   */
  async drain(options: { timeoutMs?: number } = {}): Promise<DrainResult> {
    this.closed = true;
    this.wake?.();
    this.ensurePumping();
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
    const remaining = this.used() + this.waiters.length;
    this.counters.dropped += this.pending.length + this.waiters.length;
    this.pending.length = 0;
    for (const w of this.waiters.splice(0)) w.reject(new PublisherClosedError());
    this.log.error('drain timed out; events not sent', { remaining, timeoutMs });
    return { completed: false, remaining };
  }

  stats(): PublisherStats {
    return { buffered: this.used(), waiting: this.waiters.length, ...this.counters };
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
    if (this.pumping) {
      if (this.nextBatchIsFull()) this.wake?.();
    } else {
      this.ensurePumping();
    }
  }

  private admitWaiters(): void {
    while (this.waiters.length > 0 && this.used() < this.maxBuffered) {
      const w = this.waiters.shift()!;
      this.enqueue(w.entry);
      w.resolve();
    }
  }

  private nextBatchIsFull(): boolean {
    let bytes = 0;
    for (let i = 0; i < this.pending.length && i < SQS_MAX_BATCH_ENTRIES; i++) {
      bytes += this.pending[i].bytes;
      if (bytes > this.maxBatchBytes) return true;
    }
    return this.pending.length >= SQS_MAX_BATCH_ENTRIES;
  }

  private takeBatch(): Entry[] {
    const batch: Entry[] = [];
    let bytes = 0;
    while (this.pending.length > 0 && batch.length < SQS_MAX_BATCH_ENTRIES) {
      const next = this.pending[0];
      if (batch.length > 0 && bytes + next.bytes > this.maxBatchBytes) break;
      bytes += next.bytes;
      batch.push(this.pending.shift()!);
    }
    return batch;
  }

  private ensurePumping(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.abandoned) {
        if (!this.closed && !this.nextBatchIsFull()) {
          const waitMs = this.pending[0].queuedAt + this.lingerMs - Date.now();
          if (waitMs > 0) {
            await this.lingerFor(waitMs);
            continue;
          }
        }
        const batch = this.takeBatch();
        this.inFlight += batch.length;
        await this.sendUntilSettled(batch);
      }
    } finally {
      this.pumping = false;
      this.notifyIfIdle();
    }
  }

  private lingerFor(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
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
    if (this.used() > 0 || this.waiters.length > 0 || this.pumping) return;
    for (const l of this.idleListeners.splice(0)) l();
  }
}
