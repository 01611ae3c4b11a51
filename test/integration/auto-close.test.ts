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
import { autoCloseTicket } from '../../lambdas/worker/jobs/ticket-auto-close';
import type { WorkerDeps } from '../../lambdas/worker/types';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

/** Records what the worker asks of Discord; every call succeeds. */
function recordingDiscord() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const api = new Proxy({} as DiscordApi, {
    get: (_target, method: string) => async (...args: unknown[]) => {
      calls.push({ method, args });
      if (method === 'postMessage') return { id: randomSnowflake() };
      if (method === 'getGuild') return { id: args[0], name: 'Acme', owner_id: '1' };
      if (method === 'sendDirectMessage') return true;
      return undefined;
    },
  });
  const posts = (channelId?: string) => calls.filter((c) => c.method === 'postMessage' && (!channelId || c.args[0] === channelId)).map((c) => (c.args[1] as { content: string }).content);
  return { api, calls, posts };
}

class RecordingQueue implements WorkQueue {
  jobs: Array<{ job: WorkJob; opts?: EnqueueOptions }> = [];
  async enqueue(job: WorkJob, opts?: EnqueueOptions) {
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
    await store.saveCategory(guildId, category);
    worker = { discord: discord.api, tickets: store, workQueue: queue, telemetry, clock, log, ledger: new DynamoJobLedger(env.db, env.resources.tableName) } as unknown as WorkerDeps;
  });
  afterAll(() => env.destroy());

  const sweep = () => autoCloseSweep({ tickets: store, workQueue: queue, log }).run(clock.now());
  const raw = async (n: number) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: Keys.ticket(guildId, n), ConsistentRead: true }))).Item!;
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
    expect(closed.dueKind).toBeUndefined();
    expect(closed.dueAt).toBeUndefined();
    const slot = await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: Keys.memberCategory(guildId, ticket.openerId, 'general'), ConsistentRead: true }));
    expect(slot.Item?.openNumbers).toBeUndefined();
    expect(discord.posts(ticket.channelId!).at(-1)).toBe(`🔒 Ticket #${String(ticket.number).padStart(4, '0')} was closed automatically after a period without activity.\n**Reason:** No activity for 48 hours\nThis thread will be locked and archived <t:${Math.floor((t0 + 48 * HOUR_MS + 10_000) / 1000)}:R>.`);
    expect(discord.calls.filter((c) => c.method === 'sendDirectMessage').map((c) => c.args[0])).toEqual([ticket.openerId]);
    expect(queue.jobs).toEqual([
      { job: { type: 'transcript.build', guildId, number: ticket.number, closedAt: t0 + 48 * HOUR_MS }, opts: undefined },
      { job: { type: 'ticket.archive', guildId, number: ticket.number, closedAt: t0 + 48 * HOUR_MS }, opts: { delaySeconds: 10 } },
    ]);
    queue.take();
    expect(telemetry.events.filter((e) => e.event === 'ticket_closed')).toEqual([{ event: 'ticket_closed', guildId, properties: { category_id: 'general', mode: 'thread', source: 'auto' } }]);

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
});
