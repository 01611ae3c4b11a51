import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { eventually } from '../support/eventually';
import { PermissionFlagsBits } from '../../lambdas/shared/discord-constants';
import { option } from '../../local/discord';
import { startE2E, type E2E } from '../support/stack';
import { finalReply, newMember, runCommand, ticketData } from '../support/tickets';

describe('opening tickets in channel mode', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let ticketsCategoryId: string;
  let logChannelId: string;
  const open = async (member: string) => {
    const { payload } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    return finalReply(e, payload.id);
  };

  beforeAll(async () => {
    e = await startE2E('tickets-channel');
    data = ticketData(e);
    const g = e.world.guild.id;
    ticketsCategoryId = e.discord.createChannel(g, { name: 'Tickets', type: 4 }).id;
    logChannelId = e.discord.createChannel(g, { name: 'ticket-log', parentId: e.world.guild.textCategoryId }).id;
    const role = e.discord.state.guilds.get(g)!.roles.find((r) => r.id === e.world.guild.supportRoleId)!;
    const { res } = await runCommand(e, e.world.userId, 'setup', [
      option.role('staff_role', role),
      option.string('mode', 'channel'),
      option.channel('ticket_category', { id: ticketsCategoryId, type: 4, name: 'Tickets' }),
      option.channel('log_channel', { id: logChannelId, type: 0, name: 'ticket-log' }),
    ]);
    expect((res.body as { data: { content: string } }).data.content).toContain(`channels in <#${ticketsCategoryId}>`);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });
  afterEach(() => e.discord.faults.clear());

  /** Text channels whose overwrites let `member` in: the member's ticket channels. */
  const ticketChannelsOf = (member: string) => e.discord.channelsOf(e.world.guild.id).filter((c) => c.type === 0 && (c.permission_overwrites ?? []).some((o) => o.id === member));
  /** A refused open keeps nothing: no row, a free slot without cooldown, the category's count back. */
  async function expectNothingKept(member: string) {
    const g = e.world.guild.id;
    const rows = await data.db.send(
      new QueryCommand({
        TableName: e.stack.resources.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
        FilterExpression: 'openerId = :m',
        ExpressionAttributeValues: { ':pk': `GUILD#${g}`, ':t': 'TICKET#', ':m': member },
      }),
    );
    expect(rows.Items).toEqual([]);
    const slot = (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.memberCategory(g, member, 'general'), ConsistentRead: true }))).Item;
    expect(slot?.openNumbers).toBeUndefined();
    expect(slot?.lastOpenAt).toBeUndefined();
    const open = await data.db.send(new QueryCommand({
      TableName: e.stack.resources.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
      FilterExpression: '#s = :open OR #s = :opening',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': `GUILD#${g}`, ':t': 'TICKET#', ':open': 'open', ':opening': 'opening' },
    }));
    const category = (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(g, 'general'), ConsistentRead: true }))).Item;
    expect(Number(category?.openCount ?? 0)).toBe(open.Items!.length);
  }

  it('creates a private channel: @everyone denied, opener, staff and bot allowed; logged for staff', async () => {
    const member = newMember(e, 'chan-alice');
    const reply = await open(member);
    const channelId = /<#(\d+)>/.exec(reply.content)![1];
    const channel = e.discord.state.channels.get(channelId)!;
    expect(channel).toMatchObject({ type: 0, parent_id: ticketsCategoryId });
    const overwrites = Object.fromEntries((channel.permission_overwrites ?? []).map((o) => [o.id, o]));
    const view = PermissionFlagsBits.ViewChannel;
    expect(BigInt(overwrites[e.world.guild.id].deny) & view).toBe(view);
    for (const id of [member, e.world.guild.supportRoleId!, e.discord.applicationId]) expect(BigInt(overwrites[id].allow) & view).toBe(view);
    expect(e.discord.messagesIn(channelId)[0].content).toBe(`<@${member}> <@&${e.world.guild.supportRoleId}>`);
    expect(e.discord.messagesIn(logChannelId).map((m) => m.content)).toContainEqual(expect.stringMatching(new RegExp(`^🎫 Ticket #\\d{4} opened by <@${member}> in <#${channelId}> \\(General\\)\\.$`)));
  });

  it('a 429 on channel create is waited out (retry-after honoured) and retried: exactly one channel', async () => {
    const creates = e.discord.requests(`POST /guilds/${e.world.guild.id}/channels`).length;
    const rule = e.discord.faults.set(`POST /guilds/${e.world.guild.id}/channels`, { status: 429, retryAfter: 0.4 }, 1);
    const member = newMember(e, 'chan-ratelimited');
    const reply = await open(member);
    expect(reply.content).toMatch(/is ready/);
    expect(rule.remaining).toBe(0);
    const [limited, retried, ...more] = e.discord.requests(`POST /guilds/${e.world.guild.id}/channels`).slice(creates);
    expect(more).toEqual([]);
    expect([limited.status, retried.status]).toEqual([429, 201]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(400 - 25);
    expect(ticketChannelsOf(member)).toHaveLength(1);
  });

  const CHANNEL_NEEDS = '**View Channels**, **Send Messages**, **Manage Channels**, **Manage Roles**, **Embed Links**, **Attach Files** and **Read Message History**';

  it('Discord refusing the channel (403): a clear message, no row, slots given back, the staff told which permissions that step needs', async () => {
    const member = newMember(e, 'chan-refused');
    const rule = e.discord.faults.set(`POST /guilds/${e.world.guild.id}/channels`, { status: 403, code: 50013 }, 1);
    const reply = await open(member);
    expect(rule.hits).toBe(1);
    expect(reply.content).toBe(
      `Your ticket could not be created: Deskwire needs the ${CHANNEL_NEEDS} permissions in the category <#${ticketsCategoryId}> and is missing at least one of them. Please ask the server staff to give the bot those permissions, then try again.`,
    );
    await expectNothingKept(member);
    expect(e.discord.messagesIn(logChannelId).at(-1)!.content).toBe(
      `⚠️ <@${member}> could not open a ticket: Deskwire needs the ${CHANNEL_NEEDS} permissions in the category <#${ticketsCategoryId}> (to create the ticket channel) and is missing at least one of them. Give them to the bot’s role there (\`/status\` there names the missing ones); the member can then try again.`,
    );
    expect(await open(member)).toMatchObject({ content: expect.stringMatching(/is ready/) });
  });

  it('a bot holding exactly what /setup asks for in channel mode opens tickets; without Manage Roles the refusal names it among what the step needs', async () => {
    const g = e.world.guild.id;
    const botRole = e.discord.state.guilds.get(g)!.roles.find((r) => r.id === e.world.guild.botRoleId)!;
    const before = botRole.permissions;
    try {
      // What /setup lists as missing when the bot has nothing: grant exactly that.
      const c = e.discord.interactionContext({ guildId: g, channelId: e.world.channelId, userId: e.world.userId });
      const { commandInteraction } = await import('../../local/discord');
      const setup = await e.discord.sendInteraction(commandInteraction({ ...c, appPermissions: '0', name: 'setup', options: [] }));
      const listed = /missing (.*) here:/.exec((setup.body as { data: { content: string } }).data.content)![1];
      const names = [...listed.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]);
      expect(names).toEqual(['View Channels', 'Send Messages', 'Manage Channels', 'Manage Roles', 'Embed Links', 'Attach Files', 'Read Message History']);
      const byName: Record<string, bigint> = { 'View Channels': PermissionFlagsBits.ViewChannel, 'Send Messages': PermissionFlagsBits.SendMessages, 'Manage Channels': PermissionFlagsBits.ManageChannels, 'Manage Roles': PermissionFlagsBits.ManageRoles, 'Embed Links': PermissionFlagsBits.EmbedLinks, 'Attach Files': PermissionFlagsBits.AttachFiles, 'Read Message History': PermissionFlagsBits.ReadMessageHistory };
      const exactly = names.reduce((acc, n) => acc | byName[n], 0n);
      botRole.permissions = String(exactly);
      const member = newMember(e, 'chan-exact');
      expect((await open(member)).content).toMatch(/is ready/);
      expect(ticketChannelsOf(member)).toHaveLength(1);

      // Discord itself refuses (no injected fault): the answer names Manage Roles among the step's needs.
      botRole.permissions = String(exactly & ~PermissionFlagsBits.ManageRoles);
      const refused = newMember(e, 'chan-no-roles');
      const reply = await open(refused);
      expect(reply.content).toContain(`Deskwire needs the ${CHANNEL_NEEDS} permissions in the category <#${ticketsCategoryId}>`);
      expect(ticketChannelsOf(refused)).toEqual([]);
      await expectNothingKept(refused);
    } finally {
      botRole.permissions = before;
    }
  });

  it('50013 on the welcome post: the channel just made is deleted and the open rolled back', async () => {
    const member = newMember(e, 'chan-mute');
    const rule = e.discord.faults.set(new RegExp(`POST /channels/(?!${logChannelId})\\d+/messages$`), { status: 403, code: 50013 }, 1);
    const reply = await open(member);
    expect(rule.hits).toBe(1);
    expect(reply.content).toBe(
      `Your ticket could not be created: Deskwire is missing the **Send Messages** permission in the category <#${ticketsCategoryId}>. Please ask the server staff to give the bot that permission, then try again.`,
    );
    const deleted = e.discord.requests(/^DELETE \/channels\/\d+$/).at(-1)!.path.split('/')[2];
    expect(e.discord.state.channels.get(deleted)).toBeUndefined();
    expect(ticketChannelsOf(member)).toEqual([]);
    await expectNothingKept(member);
    expect(e.discord.messagesIn(logChannelId).at(-1)!.content).toContain('(needed to post the welcome message in the ticket channel)');
  });

  it('a delivery failing partway (after the channel) is finished by the retry; redeliveries change nothing: one channel, one welcome', async () => {
    const member = newMember(e, 'chan-partway');
    // An error Discord does not explain: the job is retried, not rolled back.
    const rule = e.discord.faults.set(new RegExp(`POST /channels/(?!${logChannelId})\\d+/messages$`), { status: 403, code: 40001 }, 1);
    const { payload } = await runCommand(e, member, 'ticket', [option.subcommand('open')]);
    const reply = await finalReply(e, payload.id);
    expect(reply.content).toMatch(/is ready/);
    expect(rule.hits).toBe(1);
    const ticket = (await data.store.ticketByChannel(/<#(\d+)>/.exec(reply.content)![1]))!;
    const { SendMessageCommand, SQSClient } = await import('@aws-sdk/client-sqs');
    const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../../local/aws/provision');
    const { interactionContext } = await import('../../lambdas/interactions/context');
    const { queueDepth } = await import('../../lambdas/shared/adapters/sqs-dead-letters');
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const job = JSON.stringify({ type: 'ticket.open', ctx: interactionContext(payload), guildId: e.world.guild.id, number: ticket.number, note: null });
    // Redeliveries of the same job: the job ledger skips them.
    for (let i = 0; i < 2; i++) await sqs.send(new SendMessageCommand({ QueueUrl: e.stack.resources.queues.work.url, MessageBody: job }));
    await eventually(async () => (await queueDepth(sqs, e.stack.resources.queues.work.url)) === 0, 5000, 'redeliveries consumed');
    const channels = ticketChannelsOf(member);
    expect(channels.map((c) => c.id)).toEqual([ticket.channelId]);
    expect(e.discord.messagesIn(ticket.channelId!)).toHaveLength(1);
    const welcomeId = e.discord.messagesIn(ticket.channelId!)[0].id;
    expect(ticket).toMatchObject({ status: 'open', welcomeMessageId: welcomeId });

    // Past the ledger: a repair finding the ticket as an attempt that died right after posting the
    // welcome left it (channel recorded, still `opening`) finds that welcome and posts none.
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await data.db.send(
      new UpdateCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(e.world.guild.id, ticket.number), UpdateExpression: 'SET #s = :opening, welcomeMessageId = :null', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':opening': 'opening', ':null': null } }),
    );
    const posts = e.discord.requests(`POST /channels/${ticket.channelId}/messages`).length;
    const reads = e.discord.requests(`GET /channels/${ticket.channelId}/messages`).length;
    await sqs.send(new SendMessageCommand({ QueueUrl: e.stack.resources.queues.work.url, MessageBody: JSON.stringify({ type: 'ticket.repair', guildId: e.world.guild.id, number: ticket.number, attempt: 1 }) }));
    sqs.destroy();
    await eventually(async () => (await data.store.getTicket(e.world.guild.id, ticket.number))?.status === 'open', 5000, 'repaired');
    expect(await data.store.getTicket(e.world.guild.id, ticket.number)).toMatchObject({ status: 'open', channelId: ticket.channelId, welcomeMessageId: welcomeId });
    expect(e.discord.requests(`GET /channels/${ticket.channelId}/messages`).length).toBe(reads + 1);
    expect(e.discord.requests(`POST /channels/${ticket.channelId}/messages`)).toHaveLength(posts);
    expect(e.discord.messagesIn(ticket.channelId!)).toHaveLength(1);
    expect(ticketChannelsOf(member).map((c) => c.id)).toEqual([ticket.channelId]);
  });

  it('a parent at the 50-channel cap overflows into a new category next to it', async () => {
    const g = e.world.guild.id;
    const inCategory = () => e.discord.channelsOf(g).filter((c) => c.parent_id === ticketsCategoryId).length;
    while (inCategory() < 50) e.discord.createChannel(g, { name: `filler-${inCategory()}`, parentId: ticketsCategoryId });
    const reply = await open(newMember(e, 'chan-overflow'));
    const channel = e.discord.state.channels.get(/<#(\d+)>/.exec(reply.content)![1])!;
    const overflow = e.discord.state.channels.get(channel.parent_id!)!;
    expect(overflow).toMatchObject({ type: 4, name: 'Tickets 2' });
    // The next one reuses the overflow category.
    const next = await open(newMember(e, 'chan-overflow-2'));
    expect(e.discord.state.channels.get(/<#(\d+)>/.exec(next.content)![1])!.parent_id).toBe(overflow.id);
  });

  it('at the 500-channel guild cap: a clear message, a staff log entry, and no ticket row', async () => {
    const g = e.world.guild.id;
    let filler = e.discord.createChannel(g, { name: 'filler-cat', type: 4 }).id;
    let n = 0;
    while (e.discord.channelsOf(g).filter((c) => c.type !== 11 && c.type !== 12).length < 500) {
      if (n++ % 49 === 0) filler = e.discord.createChannel(g, { name: `filler-cat-${n}`, type: 4 }).id;
      else e.discord.createChannel(g, { name: `f-${n}`, parentId: filler });
    }
    const member = newMember(e, 'chan-capped');
    const reply = await open(member);
    expect(reply.content).toBe('This server has reached Discord’s limit of 500 channels, so no ticket channel can be created right now. The staff have been told.');
    expect(e.discord.messagesIn(logChannelId).at(-1)!.content).toBe(
      `⚠️ <@${member}> could not open a ticket: this server has reached Discord’s limit of 500 channels. Delete unused channels or switch to thread mode.`,
    );
    await expectNothingKept(member);
  });
});
