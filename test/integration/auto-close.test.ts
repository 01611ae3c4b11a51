import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoJobLedger } from '../../lambdas/shared/adapters/dynamo-job-ledger';
import { DynamoTicketStore } from '../../lambdas/shared/adapters/dynamo-ticket-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { HOUR_MS } from '../../lambdas/shared/clock';
import type { WorkJob } from '../../lambdas/shared/contracts/work-job';
import type { DiscordApi } from '../../lambdas/shared/ports/discord';
import type { Telemetry, TelemetryEvent } from '../../lambdas/shared/ports/telemetry';
import type { EnqueueOptions, WorkQueue } from '../../lambdas/shared/ports/work-queue';
import { AUTO_CLOSE_RETRY_MS, autoCloseSweep } from '../../lambdas/shared/tickets/auto-close';
import { DEFAULT_CATEGORY_LIMITS, DEFAULT_SETTINGS, type Category, type GuildSettings, type Ticket } from '../../lambdas/shared/tickets/model';
import { DiscordActionError } from '../../lambdas/shared/errors';
import { changeBehaviour } from '../../lambdas/shared/tickets/settings';
import { autoCloseTicket } from '../../lambdas/worker/jobs/ticket-auto-close';
import { rescheduleTickets } from '../../lambdas/worker/jobs/ticket-reschedule';
import type { WorkerDeps } from '../../lambdas/worker/types';
import { telemetryCategoryRef } from '../../lambdas/shared/telemetry/category-ref';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

/** Records what the worker asks of Discord; every call succeeds. */
function recordingDiscord() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const failures: Array<{ method: string; error: unknown; afterCall: boolean }> = [];
  const api = new Proxy({} as DiscordApi, {
    get: (_target, method: string) => async (...args: unknown[]) => {
      const failure = failures.findIndex((f) => f.method === method);
      const fail = failure >= 0 ? failures.splice(failure, 1)[0] : undefined;
      if (fail && !fail.afterCall) throw fail.error;
      calls.push({ method, args });
      if (fail) throw fail.error;
      if (method === 'postMessage') return { id: randomSnowflake() };
      if (method === 'getGuild') return { id: args[0], name: 'Acme', owner_id: '1' };
      if (method === 'sendDirectMessage') return true;
      return undefined;
    },
  });
  const posts = (channelId?: string) => calls.filter((c) => c.method === 'postMessage' && (!channelId || c.args[0] === channelId)).map((c) => (c.args[1] as { content: string }).content);
  /** The next call of `method` fails with `error`; `afterCall`: Discord got it, the answer was lost. */
  const failNext = (method: string, error: unknown, opts: { afterCall?: boolean } = {}) => failures.push({ method, error, afterCall: Boolean(opts.afterCall) });
  return { api, calls, posts, failNext };
}

class RecordingQueue implements WorkQueue {
  jobs: Array<{ job: WorkJob; opts?: EnqueueOptions }> = [];
  /** The next enqueue fails. */
  failNext = false;
  async enqueue(job: WorkJob, opts?: EnqueueOptions) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unavailable');
    }
    this.jobs.push({ job, opts });
  }
  take() {
    const all = this.jobs;
    this.jobs = [];
    return all.map((j) => j.job);
  }
}

class RecordingTelemetry implements Telemetry {
  events: TelemetryEvent[] = [];
  capture(e: TelemetryEvent) {
    this.events.push(e);
  }
  captureException() {}
  async flush() {}
}

describe('auto-close: the ByDue index, the sweep and the worker step (DynamoDB Local, manual clock)', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let store: DynamoTicketStore;
  const clock = new ManualClock();
  const queue = new RecordingQueue();
  const telemetry = new RecordingTelemetry();
  const discord = recordingDiscord();
  const log = { error: jest.fn(), warn: jest.fn(), info: jest.fn() };
  let worker: WorkerDeps;
  const guildId = randomSnowflake();
  const settings: GuildSettings = {
    ...DEFAULT_SETTINGS,
    staffRoleIds: [randomSnowflake()],
    mode: 'thread',
    supportChannelId: randomSnowflake(),
    ticketCategoryId: null,
    logChannelId: randomSnowflake(),
    transcriptChannelId: null,
    autoCloseHours: 48,
    autoCloseWarnHours: 12,
    updatedAt: 0,
  };
  const category: Category = { id: 'general', name: 'General', emoji: null, description: null, staffRoleIds: [], mode: null, parentId: null, nameTemplate: 'ticket-{number}', questions: [], limits: DEFAULT_CATEGORY_LIMITS, hours: null, createdAt: 0 };

  beforeAll(async () => {
    env = await provisionForTest('autoclose');
    store = new DynamoTicketStore(env.db, env.resources.tableName);
    await store.saveSettings(guildId, settings);
    await store.createCategory(guildId, category);
    worker = { discord: discord.api, tickets: store, workQueue: queue, telemetry, telemetryKey: 'test-telemetry-key', clock, log, ledger: new DynamoJobLedger(env.db, env.resources.tableName) } as unknown as WorkerDeps;
  });
  afterAll(() => env.destroy());

  const sweep = () => autoCloseSweep({ tickets: store, workQueue: queue, log }).run(clock.now());
  const raw = async (n: number, guild = guildId) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: Keys.ticket(guild, n), ConsistentRead: true }))).Item!;
  const runJobs = async () => {
    for (const job of queue.take()) if (job.type === 'ticket.auto-close') await autoCloseTicket(job, worker);
  };

  /** A ticket opened now the way the worker opens one (reserve, channel, welcome, activity). */
  async function openTicket(openerId = randomSnowflake()): Promise<Ticket> {
    const reserved = await store.reserveTicket({ guildId, category, openerId, mode: 'thread', answers: [], aboutMessageUrl: null, now: clock.now() });
    if (!reserved.ok) throw new Error(reserved.reason);
    await store.attachChannel(reserved.ticket, randomSnowflake());
    await store.markOpen(reserved.ticket, randomSnowflake(), clock.now());
    await store.touchTicket(guildId, reserved.ticket.number, clock.now(), settings);
    return (await store.getTicket(guildId, reserved.ticket.number))!;
  }

  it('warns 12 h before, closes at 48 h without activity; every second sweep changes nothing', async () => {
    const t0 = clock.now();
    const ticket = await openTicket();
    expect(await raw(ticket.number)).toMatchObject({ dueKind: 'DUE#autoclose', dueAt: t0 + 36 * HOUR_MS, lastActivityAt: t0 });

    // Not due yet: the index query returns nothing.
    clock.set(t0 + 36 * HOUR_MS - 1);
    expect(await sweep()).toEqual({ name: 'ticket-auto-close', due: 0, done: 0, failed: 0 });

    // Due: the warning goes to the worker, and the ticket is held off the due range meanwhile.
    clock.set(t0 + 36 * HOUR_MS);
    expect(await sweep()).toMatchObject({ due: 1, done: 1, failed: 0 });
    expect(queue.jobs.map((j) => j.job)).toEqual([{ type: 'ticket.auto-close', guildId, number: ticket.number, step: 'warn', lastActivityAt: t0 }]);
    expect((await raw(ticket.number)).dueAt).toBe(clock.now() + AUTO_CLOSE_RETRY_MS);
    const held = await raw(ticket.number);
    expect(await sweep()).toMatchObject({ due: 0, done: 0 });
    expect(await raw(ticket.number)).toEqual(held);
    expect(queue.jobs).toHaveLength(1);

    // The worker posts the warning once (a redelivered job is a no-op) and schedules the close.
    const [warnJob] = queue.jobs.map((j) => j.job);
    await runJobs();
    if (warnJob.type === 'ticket.auto-close') await autoCloseTicket(warnJob, worker);
    expect(discord.posts()).toEqual([
      `⏰ <@${ticket.openerId}>, this ticket has had no activity for 36 hours. It will be closed automatically <t:${Math.floor((t0 + 48 * HOUR_MS) / 1000)}:R> unless someone keeps it open.`,
    ]);
    expect(JSON.stringify(discord.calls[0].args[1])).toContain(`dw1:ticket-keep:${ticket.number}`);
    expect(await raw(ticket.number)).toMatchObject({ autoCloseWarnedAt: t0 + 36 * HOUR_MS, dueAt: t0 + 48 * HOUR_MS, status: 'open' });

    clock.set(t0 + 48 * HOUR_MS - 1);
    expect(await sweep()).toMatchObject({ due: 0 });

    // Closed at 48 h: row closed automatically, the opener's slot released, the follow-ups queued.
    clock.set(t0 + 48 * HOUR_MS);
    expect(await sweep()).toMatchObject({ due: 1, done: 1 });
    expect(queue.jobs.map((j) => j.job)).toEqual([{ type: 'ticket.auto-close', guildId, number: ticket.number, step: 'close', lastActivityAt: t0 }]);
    await runJobs();
    const closed = await raw(ticket.number);
    expect(closed).toMatchObject({ status: 'closed', closedBy: null, closeReason: 'No activity for 48 hours', closedAt: t0 + 48 * HOUR_MS });
    // Out of the auto-close index; due for its transcript instead (the repair sweep's marker).
    expect(closed.dueKind).toBe('DUE#transcript');
    expect(closed.dueAt).toBe(t0 + 48 * HOUR_MS + 30 * 60_000);
    const slot = await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: Keys.memberCategory(guildId, ticket.openerId, 'general'), ConsistentRead: true }));
    expect(slot.Item?.openNumbers).toBeUndefined();
    expect(discord.posts(ticket.channelId!).at(-1)).toBe(`🔒 Ticket #${String(ticket.number).padStart(4, '0')} was closed automatically after a period without activity.\n**Reason:** No activity for 48 hours\nThis thread will be locked and archived <t:${Math.floor((t0 + 48 * HOUR_MS + 10_000) / 1000)}:R>.`);
    expect(discord.calls.filter((c) => c.method === 'sendDirectMessage').map((c) => c.args[0])).toEqual([ticket.openerId]);
    expect(queue.jobs).toEqual([
      { job: { type: 'transcript.build', guildId, number: ticket.number, closedAt: t0 + 48 * HOUR_MS }, opts: undefined },
      { job: { type: 'ticket.archive', guildId, number: ticket.number, closedAt: t0 + 48 * HOUR_MS }, opts: { delaySeconds: 10 } },
    ]);
    queue.take();
    expect(telemetry.events.filter((e) => e.event === 'ticket_closed')).toEqual([{ event: 'ticket_closed', guildId, properties: { category_id: telemetryCategoryRef(worker.telemetryKey, guildId, 'general'), mode: 'thread', source: 'auto' } }]);

    // Nothing is due any more: a second sweep changes nothing.
    const after = await raw(ticket.number);
    expect(await sweep()).toMatchObject({ due: 0, done: 0 });
    expect(await raw(ticket.number)).toEqual(after);
    expect(queue.jobs).toEqual([]);
  });

  it('activity moves the due time and cancels a posted warning; a warning job overtaken by activity posts nothing', async () => {
    const t0 = clock.now();
    const ticket = await openTicket();
    clock.set(t0 + 36 * HOUR_MS);
    await sweep();
    await runJobs();
    expect(await raw(ticket.number)).toMatchObject({ autoCloseWarnedAt: t0 + 36 * HOUR_MS });

    // Someone presses "Keep it open" (or talks, once gateway events arrive): warning gone, timer restarted.
    clock.set(t0 + 40 * HOUR_MS);
    expect(await store.touchTicket(guildId, ticket.number, clock.now())).toBe(true);
    const touched = await raw(ticket.number);
    expect(touched).toMatchObject({ lastActivityAt: t0 + 40 * HOUR_MS, dueAt: t0 + 76 * HOUR_MS });
    expect(touched.autoCloseWarnedAt).toBeUndefined();
    // Chatty activity within a minute is recorded once.
    clock.advance(30_000);
    expect(await store.touchTicket(guildId, ticket.number, clock.now())).toBe(false);

    clock.set(t0 + 48 * HOUR_MS);
    expect(await sweep()).toMatchObject({ due: 0 });

    // The next warning is queued, then activity happens before the worker runs it.
    clock.set(t0 + 76 * HOUR_MS);
    expect(await sweep()).toMatchObject({ done: 1 });
    clock.advance(2 * 60_000);
    await store.touchTicket(guildId, ticket.number, clock.now());
    const posts = discord.posts().length;
    await runJobs();
    expect(discord.posts()).toHaveLength(posts);
    expect(await raw(ticket.number)).toMatchObject({ status: 'open', dueAt: clock.now() + 36 * HOUR_MS });
  });

  it('auto-close turned off: due tickets leave the index, nothing is queued', async () => {
    const t0 = clock.now();
    const ticket = await openTicket();
    await store.saveSettings(guildId, { ...settings, autoCloseHours: null });
    try {
      clock.set(t0 + 36 * HOUR_MS);
      // (The previous test's ticket is due too: it leaves the index as well.)
      const result = await sweep();
      expect(result).toMatchObject({ failed: 0, done: result.due });
      expect(result.due).toBeGreaterThanOrEqual(1);
      expect(queue.jobs).toEqual([]);
      const item = await raw(ticket.number);
      expect(item.dueKind).toBeUndefined();
      expect(item.status).toBe('open');
    } finally {
      await store.saveSettings(guildId, settings);
    }
  });

  describe('retries and settings changes', () => {
    /** A guild of its own (its partition is what the reschedule reads), with auto-close off at first. */
    const other = randomSnowflake();
    const off: GuildSettings = { ...settings, autoCloseHours: null };
    beforeAll(async () => {
      await store.saveSettings(other, off);
      await store.createCategory(other, category);
    });

    async function openIn(guild: string, activityAt = clock.now()): Promise<Ticket> {
      const reserved = await store.reserveTicket({ guildId: guild, category, openerId: randomSnowflake(), mode: 'thread', answers: [], aboutMessageUrl: null, now: activityAt });
      if (!reserved.ok) throw new Error(reserved.reason);
      await store.attachChannel(reserved.ticket, randomSnowflake());
      await store.markOpen(reserved.ticket, randomSnowflake(), activityAt);
      return (await store.getTicket(guild, reserved.ticket.number))!;
    }
    const warnJob = (t: Ticket) => ({ type: 'ticket.auto-close' as const, guildId: t.guildId, number: t.number, step: 'warn' as const, lastActivityAt: t.lastActivityAt });

    it('the warning is claimed before it is posted: an attempt that dies after posting never posts it again', async () => {
      const t0 = clock.now();
      const ticket = await openTicket();
      clock.set(t0 + 36 * HOUR_MS);
      const posts = discord.posts(ticket.channelId!).length;

      // Discord took the warning, then the attempt failed before finishing (a timeout, the process dying).
      discord.failNext('postMessage', new Error('socket hang up'), { afterCall: true });
      await autoCloseTicket(warnJob(ticket), worker);
      expect(discord.posts(ticket.channelId!)).toHaveLength(posts + 1);
      expect(await raw(ticket.number)).toMatchObject({ autoCloseWarnedAt: t0 + 36 * HOUR_MS, dueAt: t0 + 48 * HOUR_MS, status: 'open' });

      // Redelivered, and re-queued under a fresh ledger entry (the attempt died holding its lease): no second post.
      await autoCloseTicket(warnJob(ticket), worker);
      const requeued = { ...worker, ledger: { claim: () => Promise.resolve({ result: 'claimed', owner: 'x' }), complete: async () => undefined, release: async () => undefined } } as unknown as WorkerDeps;
      await autoCloseTicket(warnJob(ticket), requeued);
      expect(discord.posts(ticket.channelId!)).toHaveLength(posts + 1);

      // The ticket still closes on time.
      clock.set(t0 + 48 * HOUR_MS);
      await autoCloseTicket({ ...warnJob(ticket), step: 'close' }, worker);
      expect(await raw(ticket.number)).toMatchObject({ status: 'closed', closedBy: null });
      queue.take();
    });

    it('a warning whose thread is gone closes the ticket; a retry after a failure mid-close finishes that close', async () => {
      const t0 = clock.now();
      const ticket = await openTicket();
      const closes = () => telemetry.events.filter((e) => e.event === 'ticket_closed').length;
      const closesBefore = closes();
      clock.set(t0 + 36 * HOUR_MS);
      discord.failNext('postMessage', new DiscordActionError('That channel no longer exists.', 10003));
      queue.failNext = true; // the close's first follow-up cannot be queued
      await expect(autoCloseTicket(warnJob(ticket), worker)).rejects.toThrow('queue unavailable');
      expect(await raw(ticket.number)).toMatchObject({ status: 'closed', closedBy: null, closeReason: 'No activity for 48 hours' });
      expect(queue.take()).toEqual([]);

      // The retry (same job) finishes the close: transcript hand-over and the archive are queued.
      await autoCloseTicket(warnJob(ticket), worker);
      const closedAt = t0 + 36 * HOUR_MS;
      expect(queue.take()).toEqual([
        { type: 'transcript.build', guildId, number: ticket.number, closedAt },
        { type: 'ticket.archive', guildId, number: ticket.number, closedAt },
      ]);
      expect(closes()).toBe(closesBefore + 1);
    });

    it('auto-close turned on later schedules the open tickets from their own last activity (a reschedule job), and off again takes them out', async () => {
      const t0 = clock.now();
      const idle = await openIn(other, t0 - 40 * HOUR_MS);
      const fresh = await openIn(other, t0);
      const closed = await openIn(other, t0);
      await store.closeTicket(closed, { closedBy: randomSnowflake(), reason: null, now: t0 });
      for (const t of [idle, fresh]) expect((await raw(t.number, other)).dueKind).toBeUndefined();

      const on = await changeBehaviour(other, { autoCloseHours: 48 }, t0, { tickets: store, workQueue: queue });
      expect(on.rescheduling).toBe(true);
      const [job] = queue.take();
      expect(job).toEqual({ type: 'tickets.reschedule', guildId: other });
      await rescheduleTickets(job as Extract<WorkJob, { type: 'tickets.reschedule' }>, worker);
      // From the last activity, not from now: the idle ticket's warning is already due.
      expect(await raw(idle.number, other)).toMatchObject({ dueKind: 'DUE#autoclose', dueAt: t0, lastActivityAt: t0 - 40 * HOUR_MS });
      expect(await raw(fresh.number, other)).toMatchObject({ dueKind: 'DUE#autoclose', dueAt: t0 + 36 * HOUR_MS, lastActivityAt: t0 });
      expect((await raw(closed.number, other)).dueKind).not.toBe('DUE#autoclose');
      // The sweep then warns the idle one like any due ticket.
      expect((await sweep()).failed).toBe(0);
      expect(queue.take()).toContainEqual({ type: 'ticket.auto-close', guildId: other, number: idle.number, step: 'warn', lastActivityAt: t0 - 40 * HOUR_MS });

      // Another setting: no job. Auto-close off: a job, continued after a ticket number, then in full.
      expect((await changeBehaviour(other, { closeDelaySeconds: 5 }, t0, { tickets: store, workQueue: queue })).rescheduling).toBe(false);
      expect(queue.take()).toEqual([]);
      await changeBehaviour(other, { autoCloseHours: 0 }, t0, { tickets: store, workQueue: queue });
      expect(queue.take()).toEqual([{ type: 'tickets.reschedule', guildId: other }]);
      await rescheduleTickets({ type: 'tickets.reschedule', guildId: other, after: idle.number }, worker);
      expect((await raw(idle.number, other)).dueKind).toBe('DUE#autoclose');
      expect((await raw(fresh.number, other)).dueKind).toBeUndefined();
      await rescheduleTickets({ type: 'tickets.reschedule', guildId: other }, worker);
      expect((await raw(idle.number, other)).dueKind).toBeUndefined();
    });
  });
});
