import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queueDepth } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { SqsWorkQueue } from '../../lambdas/shared/adapters/sqs-work-queue';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { MAX_REPAIRS } from '../../lambdas/shared/tickets/repair';
import type { TicketStore } from '../../lambdas/shared/tickets/ports';
import { buildWorkerDeps, createWorkerHandler } from '../../lambdas/worker/handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import { option } from '../../local/discord';
import { localLambdaContext } from '../../local/lambda-context';
import { SqsPoller } from '../../local/sqs-poller';
import { FUNCTION_TIMEOUTS } from '../../lib/resources';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

/**
 * Opening a ticket when Discord refuses a step after the thread exists, or when a step after the
 * welcome fails: nothing half-made stays behind, nothing is posted twice, and both the member and
 * the staff are told what to fix.
 */
describe('opening tickets (thread mode) when a step fails', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let sqs: SQSClient;
  let logChannel: string;
  beforeAll(async () => {
    e = await startE2E('tickets-open-failures');
    data = ticketData(e);
    t = ticketWork(e, data);
    logChannel = await t.setup();
    sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });
  afterEach(() => e.discord.faults.clear());
  afterAll(async () => {
    sqs.destroy();
    data.destroy();
    await e.close();
  });

  const guild = () => e.world.guild.id;
  const support = () => e.world.channelId;
  const rowsOf = async (member: string) =>
    (
      await data.db.send(
        new QueryCommand({
          TableName: e.stack.resources.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
          FilterExpression: 'openerId = :m',
          ExpressionAttributeValues: { ':pk': `GUILD#${guild()}`, ':t': 'TICKET#', ':m': member },
        }),
      )
    ).Items ?? [];
  const openCount = async (categoryId = 'general') =>
    Number((await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(guild(), categoryId), ConsistentRead: true }))).Item?.openCount ?? 0);
  const threadsOf = (member: string) => e.discord.threadsOf(guild()).filter((x) => e.discord.threadMembersOf(x.id).includes(member));
  const logLines = () => e.discord.messagesIn(logChannel).map((m) => m.content);
  const openAs = async (member: string) => {
    const { payload } = await runCommand(e, member, 'ticket', [option.subcommand('open', [option.string('category', 'general')])]);
    return (await finalReply(e, payload.id)).content;
  };
  /** How many threads the bot made after the first `since` thread requests. */
  const threadsMadeSince = (since: number) => {
    return e.discord
      .requests('POST /channels/{channel}/threads')
      .slice(since)
      .filter((r) => r.status === 201 || r.status === 200).length;
  };
  const deletedSince = (since: number) => e.discord.requests(/^DELETE \/channels\/\d+$/).slice(since).map((r) => r.path.split('/')[2]);

  /** Everything a refused open must leave behind: nothing but a free slot and a member who can try again. */
  async function expectRolledBack(member: string, countBefore: number) {
    expect(await rowsOf(member)).toEqual([]);
    const slot = await t.slot(member);
    expect(slot?.openNumbers).toBeUndefined();
    expect(slot?.lastOpenAt).toBeUndefined();
    expect(await openCount()).toBe(countBefore);
    expect(threadsOf(member)).toEqual([]);
  }

  it('50013 on the welcome post: the thread is deleted, the reservation given back, the member told what to ask for, the staff told where', async () => {
    const member = t.member('welcome-refused');
    const countBefore = await openCount();
    const deletes = deletedSince(0).length;
    const rule = e.discord.faults.set(new RegExp(`POST /channels/(?!${logChannel})\\d+/messages$`), { status: 403, code: 50013 }, 1);
    const reply = await openAs(member);
    expect(rule.hits).toBe(1);
    expect(reply).toBe(
      `Your ticket could not be created: Deskwire is missing the **Send Messages in Threads** permission in <#${support()}>. Please ask the server staff to give the bot that permission, then try again.`,
    );
    const [deleted] = deletedSince(deletes);
    expect(deleted).toBeDefined();
    expect(e.discord.state.channels.get(deleted)).toBeUndefined();
    await expectRolledBack(member, countBefore);
    expect(logLines()).toContain(
      `⚠️ <@${member}> could not open a ticket: Deskwire is missing the **Send Messages in Threads** permission in <#${support()}> (needed to post the welcome message in the ticket thread). Give it to the bot’s role there; the member can then try again.`,
    );
    // Not stuck: the next open works, with no cooldown in the way.
    expect(await openAs(member)).toMatch(/is ready/);
    expect(threadsOf(member)).toHaveLength(1);
  });

  it('10007 on adding the opener (they left right after clicking): rolled back, thread deleted, no row', async () => {
    const member = t.member('left-early');
    const countBefore = await openCount();
    const threadsBefore = e.discord.requests('POST /channels/{channel}/threads').length;
    const deletes = deletedSince(0).length;
    const rule = e.discord.faults.set(`PUT /channels/{channel}/thread-members/${member}`, { status: 404, code: 10007 }, 1);
    expect(await openAs(member)).toBe('You are no longer a member of this server, so your ticket was cancelled.');
    expect(rule.hits).toBe(1);
    expect(threadsMadeSince(threadsBefore)).toBe(1);
    const [deleted] = deletedSince(deletes);
    expect(e.discord.state.channels.get(deleted)).toBeUndefined();
    await expectRolledBack(member, countBefore);
    // No welcome was posted anywhere for it.
    expect(e.discord.requests(`POST /channels/${deleted}/messages`)).toEqual([]);
  });

  it('the thread cap (160006) refuses the open: the member is told, the staff get a log line, nothing is kept', async () => {
    const member = t.member('thread-capped');
    const countBefore = await openCount();
    e.discord.faults.set(`POST /channels/${support()}/threads`, { status: 403, code: 160006, message: 'Maximum number of active threads reached' }, 1);
    expect(await openAs(member)).toBe('This server has reached Discord’s limit of active threads, so no ticket thread can be created right now. The staff have been told.');
    expect(logLines()).toContain(`⚠️ <@${member}> could not open a ticket: this server has reached Discord’s limit of active threads. Archive or close some threads, or switch tickets to channel mode.`);
    await expectRolledBack(member, countBefore);
  });

  it('a repair refused with 50013 rolls the open back and tells the staff, instead of retrying forever', async () => {
    const dlqBefore = await queueDepth(sqs, e.stack.resources.queues.work.dlqUrl);
    const countBefore = await openCount();
    // An error Discord does not explain: retried until the DLQ, leaving the reservation for the repair.
    e.discord.faults.set(new RegExp(`POST /channels/(?!${logChannel})\\d+/messages$`), { status: 403, code: 40001 }, 1000);
    const member = t.member('repair-refused');
    expect(await openAs(member)).toMatch(/^Something went wrong on our side/);
    await eventually(async () => (await queueDepth(sqs, e.stack.resources.queues.work.dlqUrl)) === dlqBefore + 1, 10_000, 'job in the DLQ');
    const [thread] = threadsOf(member);
    const stuck = (await data.store.ticketByChannel(thread.id))!;
    expect(stuck.status).toBe('opening');
    e.discord.faults.clear();
    e.discord.faults.set(new RegExp(`POST /channels/(?!${logChannel})\\d+/messages$`), { status: 403, code: 50013 }, 1000);
    // The first repair, as the sweep sends it: a refusal is final, so it ends there.
    await new SqsWorkQueue(sqs, e.stack.resources.queues.work.url).enqueue({ type: 'ticket.repair', guildId: guild(), number: stuck.number, attempt: 1 });
    // The reservation goes first, then the thread.
    await eventually(async () => (await data.store.getTicket(guild(), stuck.number)) === null && !e.discord.state.channels.has(thread.id), 10_000, 'open rolled back');
    await expectRolledBack(member, countBefore);
    const line = `⚠️ <@${member}> could not open a ticket: Deskwire is missing the **Send Messages in Threads** permission in <#${support()}> (needed to post the welcome message in the ticket thread). Give it to the bot’s role there; the member can then try again.`;
    await eventually(async () => logLines().includes(line), 5000, 'staff log line');
    // Nothing is due any more: later repairs find nothing to do.
    expect(await data.store.dueRepairs(Date.now() + MAX_REPAIRS * 60 * 60_000, 100)).not.toContainEqual(expect.objectContaining({ guildId: guild(), number: stuck.number }));
  });

  it('a category with a form checks the limit, the cooldown and the total cap before showing the form', async () => {
    const questions = [{ id: 'order', label: 'Order number', style: 'short' as const, required: true }];
    await data.category(guild(), { id: 'form-limited', name: 'Orders', questions, limits: { perMember: 1, cooldownMinutes: 60, totalOpen: 2 } });
    const ask = (member: string) => runCommand(e, member, 'ticket', [option.subcommand('open', [option.string('category', 'form-limited')])]);
    const body = (res: { body: unknown }) => res.body as { type: number; data: { content?: string; flags?: number; custom_id?: string } };

    const first = t.member('form-first');
    expect(body((await ask(first)).res)).toMatchObject({ type: 9, data: { custom_id: 'dw1:open-form:form-limited' } });
    const submitted = await t.submit(first, support(), 'dw1:open-form:form-limited', { order: 'A-1' });
    const opened = /<#(\d+)>/.exec((await finalReply(e, submitted.payload.id)).content)![1];
    // At their limit: refused at once, no form to fill in first.
    expect(body((await ask(first)).res)).toMatchObject({ type: 4, data: { flags: 64, content: `You already have an open **Orders** ticket: <#${opened}>. Please continue there.` } });

    // Within the cooldown (the ticket closed, so the limit no longer applies).
    const ticket = (await data.store.ticketByChannel(opened))!;
    await data.store.closeTicket(ticket, { closedBy: first, reason: null, now: Date.now() });
    expect(body((await ask(first)).res).data.content).toMatch(/^You recently opened a \*\*Orders\*\* ticket\. You can open another <t:\d+:R>\.$/);

    // The total cap, counted before the form too.
    const second = t.member('form-second');
    const third = t.member('form-third');
    for (const m of [second, third]) {
      expect(body((await ask(m)).res).type).toBe(9);
      await finalReply(e, (await t.submit(m, support(), 'dw1:open-form:form-limited', { order: 'B-2' })).payload.id);
    }
    const late = t.member('form-late');
    expect(body((await ask(late)).res)).toMatchObject({ type: 4, data: { flags: 64, content: '**Orders** has reached its limit of 2 open tickets. Please try again later.' } });
    expect(await rowsOf(late)).toEqual([]);
  });

  describe('a step after the thread or the welcome fails once, and the job is redelivered', () => {
    let poller: SqsPoller;
    /** The worker with one store call failing once, as a DynamoDB error or timeout would. */
    async function workerFailingOnce(method: 'markOpen' | 'attachChannel') {
      await e.stack.pollers.work.stop();
      const deps = await buildWorkerDeps(e.stack.functionEnv);
      let failures = 1;
      const tickets = deps.tickets;
      const flaky = new Proxy(tickets, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            if (failures-- > 0) throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as TicketStore;
      poller = new SqsPoller({
        name: 'worker',
        sqs,
        queueUrl: e.stack.resources.queues.work.url,
        queueArn: e.stack.resources.queues.work.arn,
        handler: createWorkerHandler(async () => ({ ...deps, tickets: flaky })),
        context: () => localLambdaContext('worker', FUNCTION_TIMEOUTS.worker),
        retryDelaySeconds: 0,
      });
      poller.start();
      return () => failures < 0;
    }
    afterEach(async () => {
      await poller?.stop();
      e.stack.pollers.work.start();
    });

    it('marking it open fails after the welcome: the retry posts no second welcome', async () => {
      const failedOnce = await workerFailingOnce('markOpen');
      const member = t.member('flaky-open');
      const reply = await openAs(member);
      expect(reply).toMatch(/is ready/);
      expect(failedOnce()).toBe(true);
      const [thread] = threadsOf(member);
      const welcomes = e.discord.messagesIn(thread.id);
      expect(welcomes).toHaveLength(1);
      const ticket = (await data.store.ticketByChannel(thread.id))!;
      expect(ticket).toMatchObject({ status: 'open', welcomeMessageId: welcomes[0].id });
      // The retry found the welcome among the thread's messages and posted nothing (with a second
      // post, only Discord's nonce would have kept the message count at one).
      expect(e.discord.requests(`POST /channels/${thread.id}/messages`)).toHaveLength(1);
      expect(e.discord.requests(`GET /channels/${thread.id}/messages`).length).toBeGreaterThanOrEqual(1);
    });

    it('recording the thread fails after it was made: that thread is deleted, the retry makes one, and only one is left', async () => {
      const failedOnce = await workerFailingOnce('attachChannel');
      const member = t.member('flaky-attach');
      const threadsBefore = e.discord.requests('POST /channels/{channel}/threads').length;
      const deletes = deletedSince(0).length;
      const reply = await openAs(member);
      expect(reply).toMatch(/is ready/);
      expect(failedOnce()).toBe(true);
      expect(threadsMadeSince(threadsBefore)).toBe(2);
      const [orphan] = deletedSince(deletes);
      expect(e.discord.state.channels.get(orphan)).toBeUndefined();
      const threads = threadsOf(member);
      expect(threads).toHaveLength(1);
      expect(reply).toContain(`<#${threads[0].id}>`);
      expect(e.discord.messagesIn(threads[0].id)).toHaveLength(1);
      expect(await rowsOf(member)).toEqual([expect.objectContaining({ status: 'open', channelId: threads[0].id })]);
    });
  });
});
