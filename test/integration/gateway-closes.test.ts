import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { EventsDeps } from '../../lambdas/events/app';
import { buildEventsDeps, handleEventsBatch } from '../../lambdas/events/handler';
import { deduplicationId, messageGroupId, type GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { toSqsBody } from '../../lambdas/shared/contracts/sqs-body';
import type { WorkJob } from '../../lambdas/shared/contracts/work-job';
import { DEFAULT_CATEGORY_LIMITS, DEFAULT_SETTINGS, type Category, type GuildSettings, type Ticket } from '../../lambdas/shared/tickets/model';
import { CLOSE_REASONS, LOCK_RACE_MARGIN_MS } from '../../lambdas/shared/tickets/ticket-events';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';
import { testContext } from '../support/context';
import { sqsEventWith } from '../support/sqs-events';

/**
 * Closes that no one pressed, from gateway events, against DynamoDB Local and the work queue on the
 * SQS emulator: safe to redeliver, and never closing a ticket its own archive raced a reopen of.
 */
describe('events λ: closes from gateway events', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let deps: EventsDeps;
  /** Enqueues that fail (a transient SQS error) before the real queue is called. */
  let failEnqueues = 0;
  const clock = new ManualClock();
  const guildId = randomSnowflake();
  const category: Category = { id: 'general', name: 'General', emoji: null, description: null, staffRoleIds: [], mode: null, parentId: null, nameTemplate: 'ticket-{number}', questions: [], limits: { ...DEFAULT_CATEGORY_LIMITS, perMember: 3 }, hours: null, createdAt: 0 };
  const settings: GuildSettings = { ...DEFAULT_SETTINGS, staffRoleIds: [randomSnowflake()], mode: 'thread', supportChannelId: randomSnowflake(), ticketCategoryId: null, logChannelId: null, transcriptChannelId: null, updatedAt: 0 };

  beforeAll(async () => {
    env = await provisionForTest('gw-closes');
    const built = await buildEventsDeps({
      TABLE_NAME: env.resources.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: env.endpoints.sqsS3,
      WORK_QUEUE_URL: env.resources.queues.work.url,
      DISCORD_APPLICATION_ID: '100000000000000001',
    });
    const workQueue: EventsDeps['workQueue'] = {
      enqueue: (job, opts) => (failEnqueues-- > 0 ? Promise.reject(new Error('SQS unavailable')) : built.workQueue.enqueue(job, opts)),
    } as EventsDeps['workQueue'];
    deps = { ...built, workQueue, clock };
    await deps.tickets.saveSettings(guildId, settings);
    await deps.tickets.createCategory(guildId, category);
  });
  afterAll(() => env.destroy());

  /** An open thread-mode ticket as the worker leaves it: slots taken, channel attached, open. */
  async function openTicket(openerId = randomSnowflake()): Promise<Ticket & { channelId: string }> {
    const reserved = await deps.tickets.reserveTicket({ guildId, category, openerId, mode: 'thread', answers: [], aboutMessageUrl: null, now: clock.now() });
    if (!reserved.ok) throw new Error(`not reserved: ${reserved.reason}`);
    const channelId = await deps.tickets.attachChannel(reserved.ticket, randomSnowflake());
    await deps.tickets.markOpen(reserved.ticket, randomSnowflake(), clock.now());
    return { ...(await deps.tickets.getTicket(guildId, reserved.ticket.number))!, channelId };
  }

  /** One delivery of `event` to the handler; the ids of the records it failed. */
  async function deliver(event: GatewayEvent, receiveCount = 1): Promise<string[]> {
    const batch = sqsEventWith([toSqsBody(event)], { MessageGroupId: messageGroupId(event), MessageDeduplicationId: deduplicationId(event), ApproximateReceiveCount: String(receiveCount) });
    return (await handleEventsBatch(batch, testContext('events'), deps)).batchItemFailures.map((f) => f.itemIdentifier);
  }

  /** The jobs on the work queue for this guild's tickets (received and left invisible: each read sees new ones only). */
  async function jobsQueued(): Promise<WorkJob[]> {
    const jobs: WorkJob[] = [];
    for (;;) {
      const res = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: env.resources.queues.work.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600 }));
      if (!res.Messages?.length) return jobs.filter((j) => 'guildId' in j && j.guildId === guildId);
      jobs.push(...res.Messages.map((m) => JSON.parse(m.Body!) as WorkJob));
    }
  }

  it('an opener leaving (close): a redelivery after the close was written but its job not queued queues it — once per close', async () => {
    await deps.tickets.saveSettings(guildId, { ...settings, openerLeaves: 'close' });
    const openerId = randomSnowflake();
    const [first, second] = [await openTicket(openerId), await openTicket(openerId)];
    const leave: GatewayEvent = { type: 'member.leave', guildId, userId: openerId, at: clock.now() };

    // The first close is written, then queueing its job fails: the event fails and comes back.
    failEnqueues = 1;
    expect(await deliver(leave)).toHaveLength(1);
    expect((await deps.tickets.getTicket(guildId, first.number))!.status).toBe('closed');
    expect(await deps.tickets.openTicketsOf(guildId, openerId)).toEqual([expect.objectContaining({ number: second.number })]);

    clock.advance(1000);
    expect(await deliver(leave, 2)).toEqual([]);
    const rows = await Promise.all([first, second].map((t) => deps.tickets.getTicket(guildId, t.number)));
    for (const row of rows) expect(row).toMatchObject({ status: 'closed', closedBy: null, closeReason: CLOSE_REASONS.openerLeft });
    const jobs = await jobsQueued();
    expect(jobs).toEqual(
      expect.arrayContaining(rows.map((row) => ({ type: 'ticket.finish-close', guildId, number: row!.number, closedAt: row!.closedAt, source: 'opener-left' }))),
    );
    expect(jobs).toHaveLength(2);

    // Once archived, a late replay queues nothing (and closes nothing).
    for (const row of rows) await deps.tickets.markArchived(guildId, row!.number, row!.closedAt!, clock.now());
    expect(await deliver(leave, 3)).toEqual([]);
    expect(await jobsQueued()).toEqual([]);
  });

  it('a thread lock racing the ticket’s reopen (Deskwire’s own archive) does not close it; a moderator’s lock later does', async () => {
    await deps.tickets.saveSettings(guildId, { ...settings, openerLeaves: 'flag' });
    const ticket = await openTicket();
    const closed = (await deps.tickets.closeTicket(ticket, { closedBy: randomSnowflake(), reason: null, now: clock.now() }))!;
    // The archive job claims and locks the thread while staff reopen the ticket.
    await deps.tickets.claimArchive(guildId, ticket.number, closed.closedAt!, clock.now());
    const lockAt = clock.now() + 200;
    clock.advance(1000);
    const reopened = await deps.tickets.reopenTicket(closed, category, randomSnowflake(), clock.now(), settings);
    expect(reopened.ok).toBe(true);
    const reopenedAt = clock.now();
    const lock = (archivedAt: number): GatewayEvent => ({ type: 'channel.archive', guildId, channelId: ticket.channelId, locked: true, archivedAt, at: clock.now() });

    // The lock was made before the reopen; its event arrives after it.
    expect(await deliver(lock(lockAt))).toEqual([]);
    // Or it landed just after the reopen (the archive job's call was slow).
    expect(await deliver(lock(reopenedAt + 5_000))).toEqual([]);
    expect(await deps.tickets.getTicket(guildId, ticket.number)).toMatchObject({ status: 'open', reopenedAt });
    expect(await jobsQueued()).toEqual([]);

    clock.advance(LOCK_RACE_MARGIN_MS + 60_000);
    expect(await deliver(lock(clock.now()))).toEqual([]);
    const row = (await deps.tickets.getTicket(guildId, ticket.number))!;
    expect(row).toMatchObject({ status: 'closed', closedBy: null, closeReason: CLOSE_REASONS.threadLocked });
    expect(await jobsQueued()).toEqual([{ type: 'ticket.finish-close', guildId, number: ticket.number, closedAt: row.closedAt, source: 'channel-removed' }]);
  });
});
