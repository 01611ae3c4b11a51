import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PermissionFlagsBits } from '../../lambdas/shared/discord-constants';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { option } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { finalReply, newMember, runCommand, setupThreadMode, ticketData } from '../support/tickets';

describe('opening tickets (thread mode) through signed interactions', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  beforeAll(async () => {
    e = await startE2E('tickets-open');
    data = ticketData(e);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  it('refuses /ticket open before setup, and /setup from a member without Manage Server', async () => {
    const member = newMember(e);
    const { res } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Tickets are not set up in this server yet. A server admin can run `/setup`.' } });
    const setup = await runCommand(e, member, 'setup');
    expect(setup.res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'You need the **Manage Server** permission to do that.' } });
  });

  it('/setup saves a working default: staff role, thread mode, a General category', async () => {
    const { res } = await setupThreadMode(e);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const text = (res.body as { data: { content: string } }).data.content;
    expect(text).toContain('**Tickets are set up.**');
    expect(text).toContain(`private threads under <#${e.world.channelId}>`);
    expect(text).toContain('Created the category **General**');
    expect(text).not.toContain('missing');
    const settings = await data.store.getSettings(e.world.guild.id);
    expect(settings).toMatchObject({ mode: 'thread', supportChannelId: e.world.channelId, staffRoleIds: [e.world.guild.supportRoleId] });
    expect((await data.store.listCategories(e.world.guild.id)).map((c) => c.name)).toEqual(['General']);
  });

  it('names the permissions the bot lacks for the chosen mode', async () => {
    const support = e.discord.state.channels.get(e.world.channelId)!;
    const c = e.discord.interactionContext({ guildId: e.world.guild.id, channelId: e.world.channelId, userId: e.world.userId });
    const { commandInteraction } = await import('../../local/discord');
    const payload = commandInteraction({ ...c, appPermissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages), name: 'setup', options: [option.channel('support_channel', { id: support.id, type: 0 })] });
    const res = await e.discord.sendInteraction(payload);
    expect((res.body as { data: { content: string } }).data.content).toContain('⚠️ Deskwire is missing **Send Messages in Threads**, **Create Private Threads**, **Manage Threads**');
  });

  it('opens a private thread: opener added, staff mentioned, welcome with Close/Claim, reply links it, row recorded', async () => {
    const member = newMember(e, 'alice');
    const { payload, res } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
    const reply = await finalReply(e, payload.id);
    const threadId = /<#(\d+)>/.exec(reply.content)![1];
    expect(reply.content).toMatch(/^Your ticket #\d{4} is ready: <#\d+>$/);

    const thread = e.discord.state.channels.get(threadId)!;
    expect(thread).toMatchObject({ type: 12, parent_id: e.world.channelId });
    expect(thread.name).toMatch(/^ticket-\d{4}$/);
    expect(e.discord.threadMembersOf(threadId)).toContain(member);
    const [welcome] = e.discord.messagesIn(threadId);
    expect(welcome.content).toBe(`<@${member}> <@&${e.world.guild.supportRoleId}>`);
    expect(welcome.embeds[0]).toMatchObject({ title: expect.stringMatching(/^Ticket #\d{4}$/), fields: expect.arrayContaining([{ name: 'Opened by', value: `<@${member}>`, inline: true }]) });
    expect(JSON.stringify(welcome.components)).toMatch(/dw1:ticket-close:\d+/);
    expect(JSON.stringify(welcome.components)).toMatch(/dw1:ticket-claim:\d+/);

    const ticket = await data.store.ticketByChannel(threadId);
    expect(ticket).toMatchObject({ guildId: e.world.guild.id, openerId: member, status: 'open', channelId: threadId, welcomeMessageId: welcome.id, categoryId: 'general', priority: 'normal' });

    // A second open is refused at once, with a link to the open ticket.
    const again = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(again.res.body).toMatchObject({ type: 4, data: { flags: 64, content: `You already have an open **General** ticket: <#${threadId}>. Please continue there.` } });
  });

  it('20 concurrent opens by one member with a limit of 1 → exactly one ticket and 19 clear refusals', async () => {
    const member = newMember(e, 'racer');
    const results = await Promise.all(Array.from({ length: 20 }, () => runCommand(e, member, 'ticket', [option.subcommand('open')])));
    const deferred = results.filter((r) => (r.res.body as { type: number }).type === 5);
    const refused = results.filter((r) => (r.res.body as { type: number }).type === 4);
    expect(deferred).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect((r.res.body as { data: { content: string } }).data.content).toMatch(/^You already have an open \*\*General\*\* ticket/);
    const reply = await finalReply(e, deferred[0].payload.id);
    expect(reply.content).toMatch(/is ready/);
    const threads = e.discord.threadsOf(e.world.guild.id).filter((t) => e.discord.threadMembersOf(t.id).includes(member));
    expect(threads).toHaveLength(1);
  });

  it('the same work job delivered 3 times → one thread, one welcome message', async () => {
    const member = newMember(e, 'dupe');
    const { payload } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    await finalReply(e, payload.id);
    const ticket = (await data.store.getTicket(e.world.guild.id, Number(/#(\d+)/.exec(e.discord.originalMessage(payload.id)!.content!)![1])))!;
    const { SendMessageCommand, SQSClient } = await import('@aws-sdk/client-sqs');
    const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../../local/aws/provision');
    const { interactionContext } = await import('../../lambdas/interactions/context');
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const job = JSON.stringify({ type: 'ticket.open', ctx: interactionContext(payload), guildId: e.world.guild.id, number: ticket.number, note: null });
    for (let i = 0; i < 2; i++) await sqs.send(new SendMessageCommand({ QueueUrl: e.stack.resources.queues.work.url, MessageBody: job }));
    const { queueDepth } = await import('../../lambdas/shared/adapters/sqs-dead-letters');
    await eventually(async () => (await queueDepth(sqs, e.stack.resources.queues.work.url)) === 0, 5000, 'duplicates consumed');
    sqs.destroy();
    const threads = e.discord.threadsOf(e.world.guild.id).filter((t) => e.discord.threadMembersOf(t.id).includes(member));
    expect(threads).toHaveLength(1);
    expect(e.discord.messagesIn(threads[0].id)).toHaveLength(1);
  });

  it('Discord refusing the thread (403) → a clear message, no ticket row, and the member can try again', async () => {
    const member = newMember(e, 'unlucky');
    const rule = e.discord.faults.set(`POST /channels/${e.world.channelId}/threads`, { status: 403, code: 50013 }, 1);
    const { payload } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    const reply = await finalReply(e, payload.id);
    expect(reply.content).toBe(
      `Your ticket could not be created: Deskwire is missing the **Create Private Threads** permission in <#${e.world.channelId}>. Please ask the server staff to give the bot that permission, then try again.`,
    );
    expect(rule.remaining).toBe(0);
    const { Items } = await data.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({
        TableName: e.stack.resources.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
        FilterExpression: 'openerId = :m',
        ExpressionAttributeValues: { ':pk': `GUILD#${e.world.guild.id}`, ':t': 'TICKET#', ':m': member },
      }),
    );
    expect(Items).toEqual([]);
    const slot = await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.memberCategory(e.world.guild.id, member, 'general') }));
    expect(slot.Item?.openNumbers).toBeUndefined();
    const retry = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(await finalReply(e, retry.payload.id)).toMatchObject({ content: expect.stringMatching(/is ready/) });
  });

  it('a blacklisted member is told they cannot open tickets here', async () => {
    const member = newMember(e, 'banned');
    await data.blacklist(e.world.guild.id, member, 'spam');
    const { res } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'You cannot open tickets in this server. Reason: spam If you think this is a mistake, contact the server staff.' } });
  });

  it('a category with a form shows a modal; answers are validated and shown in the welcome', async () => {
    await data.category(e.world.guild.id, {
      id: 'billing',
      name: 'Billing',
      questions: [
        { id: 'order', label: 'Order number', style: 'short', required: true, minLength: 4, maxLength: 12 },
        { id: 'details', label: 'What happened?', style: 'paragraph', required: false },
      ],
    });
    const member = newMember(e, 'payer');
    const { res } = await runCommand(e, member, 'ticket', [option.subcommand('open', [option.string('category', 'billing')])]);
    expect(res.body).toMatchObject({
      type: 9,
      data: {
        custom_id: 'dw1:open-form:billing',
        title: 'New ticket: Billing',
        components: [
          { type: 18, label: 'Order number', component: { type: 4, custom_id: 'order', style: 1, required: true, min_length: 4, max_length: 12 } },
          { type: 18, label: 'What happened?', component: { type: 4, custom_id: 'details', style: 2, required: false } },
        ],
      },
    });
    const { modalSubmitInteraction } = await import('../../local/discord');
    const ctx = e.discord.interactionContext({ guildId: e.world.guild.id, channelId: e.world.channelId, userId: member });
    const tooShort = await e.discord.sendInteraction(modalSubmitInteraction({ ...ctx, customId: 'dw1:open-form:billing', fields: { order: '12', details: '' } } as never));
    expect(tooShort.body).toMatchObject({ type: 4, data: { flags: 64, content: '“Order number” needs at least 4 characters.' } });
    // The legacy action-row layout is understood too.
    const ok = modalSubmitInteraction({ ...ctx, customId: 'dw1:open-form:billing', layout: 'action-row', fields: { order: 'A-1234', details: 'Charged twice <script>x</script>' } } as never);
    const sent = await e.discord.sendInteraction(ok);
    expect(sent.body).toEqual({ type: 5, data: { flags: 64 } });
    const reply = await finalReply(e, ok.id);
    const threadId = /<#(\d+)>/.exec(reply.content)![1];
    const fields = e.discord.messagesIn(threadId)[0].embeds[0].fields;
    expect(fields).toEqual(expect.arrayContaining([{ name: 'Order number', value: 'A-1234', inline: false }, { name: 'What happened?', value: 'Charged twice <script>x</script>', inline: false }]));
  });

  it('with several categories, /ticket open asks which, and autocomplete lists them', async () => {
    const member = newMember(e, 'chooser');
    const { res } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'What is your ticket about?', components: [{ type: 1, components: [{ type: 3, custom_id: 'dw1:open-select', options: [{ label: 'General', value: 'general' }, { label: 'Billing', value: 'billing' }] }] }] } });
    const { autocompleteInteraction } = await import('../../local/discord');
    const ctx = e.discord.interactionContext({ guildId: e.world.guild.id, channelId: e.world.channelId, userId: member });
    const ac = await e.discord.sendInteraction(autocompleteInteraction({ ...ctx, name: 'ticket', options: [option.subcommand('open', [option.string('category', 'bil', true)])] }));
    expect(ac.body).toEqual({ type: 8, data: { choices: [{ name: 'Billing', value: 'billing' }] } });
  });

  it('/config tickets changes behaviour with validation, /config show reads it back', async () => {
    const bad = await runCommand(e, e.world.userId, 'config', [option.subcommand('tickets', [option.integer('auto_close_hours', 10), option.integer('auto_close_warn_hours', 12)])]);
    expect(bad.res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'The auto-close warning (12 h) must come before the close (10 h): lower `auto_close_warn_hours`.' } });
    const ok = await runCommand(e, e.world.userId, 'config', [option.subcommand('tickets', [option.boolean('opener_can_close', false), option.integer('auto_close_hours', 48), option.integer('close_delay_seconds', 0)])]);
    expect((ok.res.body as { data: { content: string } }).data.content).toContain('• Auto-close: after 48 h without activity, warning 12 h before');
    expect(await data.store.getSettings(e.world.guild.id)).toMatchObject({ openerCanClose: false, autoCloseHours: 48, closeDelaySeconds: 0, supportChannelId: e.world.channelId });
    const shown = await runCommand(e, e.world.userId, 'config', [option.subcommand('show')]);
    expect((shown.res.body as { data: { content: string } }).data.content).toContain('• Opener can close: no');
    const member = await runCommand(e, newMember(e), 'config', [option.subcommand('show')]);
    expect(member.res.body).toMatchObject({ data: { content: 'You need the **Manage Server** permission to do that.' } });
    // Back to the defaults the other tests in this file assume.
    await runCommand(e, e.world.userId, 'config', [option.subcommand('tickets', [option.boolean('opener_can_close', true), option.integer('auto_close_hours', 0), option.integer('close_delay_seconds', 10)])]);
  });

  it('20 concurrent opens by 5 members with a limit of 2 → at most 2 each, distinct numbers, and rows, slots and count to match', async () => {
    await data.category(e.world.guild.id, { id: 'crowd', name: 'Crowd', limits: { perMember: 2, cooldownMinutes: 0, totalOpen: null } });
    const members = Array.from({ length: 5 }, (_, i) => newMember(e, `crowd-${i}`));
    const clicks = members.flatMap((m) => Array.from({ length: 4 }, () => m));
    const results = await Promise.all(clicks.map((m) => runCommand(e, m, 'ticket', [option.subcommand('open', [option.string('category', 'crowd')])])));
    const deferred = results.filter((r) => (r.res.body as { type: number }).type === 5);
    // Each member gets at most their 2 (a click that loses a race on a busy item may be told to try again).
    expect(deferred.length).toBeGreaterThanOrEqual(5);
    expect(deferred.length).toBeLessThanOrEqual(10);
    for (const r of results.filter((x) => (x.res.body as { type: number }).type === 4)) {
      expect((r.res.body as { data: { content: string; flags: number } }).data).toMatchObject({ flags: 64, content: expect.stringMatching(/^(You already have 2 open \*\*Crowd\*\* tickets|A lot is happening here)/) });
    }
    const replies = await Promise.all(deferred.map((r) => finalReply(e, r.payload.id)));
    for (const reply of replies) expect(reply.content).toMatch(/is ready/);

    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const rows = (
      await data.db.send(
        new QueryCommand({
          TableName: e.stack.resources.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
          FilterExpression: 'categoryId = :c',
          ExpressionAttributeValues: { ':pk': `GUILD#${e.world.guild.id}`, ':t': 'TICKET#', ':c': 'crowd' },
        }),
      )
    ).Items!;
    expect(rows).toHaveLength(deferred.length);
    expect(new Set(rows.map((r) => r.number)).size).toBe(deferred.length);
    expect(new Set(rows.map((r) => r.channelId)).size).toBe(deferred.length);
    expect(rows.every((r) => r.status === 'open')).toBe(true);
    for (const m of members) {
      const mine = rows.filter((r) => r.openerId === m).map((r) => Number(r.number)).sort((a, b) => a - b);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine.length).toBeLessThanOrEqual(2);
      expect(mine).toEqual(deferred.filter((r) => r.payload.member?.user.id === m).map(() => expect.any(Number)));
      const slot = await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.memberCategory(e.world.guild.id, m, 'crowd'), ConsistentRead: true }));
      expect([...(slot.Item!.openNumbers as Set<number>)].map(Number).sort((a, b) => a - b)).toEqual(mine);
      expect(e.discord.threadsOf(e.world.guild.id).filter((x) => e.discord.threadMembersOf(x.id).includes(m))).toHaveLength(mine.length);
    }
    const category = await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(e.world.guild.id, 'crowd'), ConsistentRead: true }));
    expect(Number(category.Item!.openCount)).toBe(deferred.length);
  });
});
