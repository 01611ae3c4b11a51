import { ChannelType, MessageFlags, OverwriteType, PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import type { APIChannel, APIMessage } from 'discord-api-types/v10';
import { DEFAULT_BOT_PERMISSIONS, type DiscordEmulator } from '../../local/discord';
import type { REST } from '@discordjs/rest';
import { rejection, startWithRest, testClock } from './helpers';

const clock = testClock();
let discord: DiscordEmulator;
let rest: REST;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ discord, rest, stop } = await startWithRest({ now: clock.now }));
});
afterAll(() => stop());

const ticketOverwrites = (guildId: string, openerId: string, botId: string, supportRoleId: string) => [
  { id: guildId, type: OverwriteType.Role, deny: String(P.ViewChannel) },
  { id: openerId, type: OverwriteType.Member, allow: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory) },
  { id: supportRoleId, type: OverwriteType.Role, allow: String(P.ViewChannel | P.SendMessages) },
  { id: botId, type: OverwriteType.Member, allow: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory) },
];

describe('guild channels', () => {
  it('creates a channel under a category with its overwrites, as Discord stores them', async () => {
    const g = discord.createGuild({ name: 'Acme' });
    const opener = discord.addMember(g.id, { username: 'opener' }).user;
    const created = (await rest.post(Routes.guildChannels(g.id), {
      body: { name: 'Ticket 0001', type: ChannelType.GuildText, parent_id: g.textCategoryId, permission_overwrites: ticketOverwrites(g.id, opener.id, discord.botUser.id, g.supportRoleId!) },
    })) as APIChannel & { permission_overwrites: unknown[]; parent_id: string };

    const stored = discord.state.channels.get(created.id)!;
    expect(stored).toMatchObject({ guild_id: g.id, type: 0, name: 'ticket-0001', parent_id: g.textCategoryId });
    expect(stored.permission_overwrites).toEqual([
      { id: g.id, type: 0, allow: '0', deny: String(P.ViewChannel) },
      { id: opener.id, type: 1, allow: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory), deny: '0' },
      { id: g.supportRoleId, type: 0, allow: String(P.ViewChannel | P.SendMessages), deny: '0' },
      { id: discord.botUser.id, type: 1, allow: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory), deny: '0' },
    ]);
    expect(created.permission_overwrites).toEqual(stored.permission_overwrites);
    expect(discord.channelsOf(g.id).map((c) => c.name)).toEqual(['Text Channels', 'general', 'ticket-0001']);
  });

  it('refuses the 51st channel in a category with 50035 CHANNEL_PARENT_MAX_CHANNELS', async () => {
    const g = discord.createGuild();
    const category = discord.createChannel(g.id, { name: 'Tickets', type: ChannelType.GuildCategory });
    for (let i = 0; i < 49; i++) discord.createChannel(g.id, { name: `t-${i}`, parentId: category.id });
    await rest.post(Routes.guildChannels(g.id), { body: { name: 't-49', parent_id: category.id } });

    const error = await rejection(() => rest.post(Routes.guildChannels(g.id), { body: { name: 't-50', parent_id: category.id } }));
    expect(error.status).toBe(400);
    expect(error.rawError).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: { parent_id: { _errors: [{ code: 'CHANNEL_PARENT_MAX_CHANNELS', message: 'Maximum number of channels in category reached (50)' }] } },
    });
    expect(discord.channelsOf(g.id).filter((c) => c.parent_id === category.id)).toHaveLength(50);
    // Moving a channel into the full category fails the same way.
    const outside = discord.createChannel(g.id, { name: 'outside' });
    const moved = await rejection(() => rest.patch(Routes.channel(outside.id), { body: { parent_id: category.id } }));
    expect(moved.rawError.errors.parent_id._errors[0].code).toBe('CHANNEL_PARENT_MAX_CHANNELS');
  });

  it('refuses the 501st guild channel with 30013', async () => {
    const g = discord.createGuild();
    // A new guild has `Text Channels` + `#general`; fill up to 499, then the API creates the 500th.
    for (let i = 0; i < 497; i++) discord.createChannel(g.id, { name: `c-${i}`, type: i % 50 === 0 ? ChannelType.GuildCategory : ChannelType.GuildText });
    await rest.post(Routes.guildChannels(g.id), { body: { name: 'last-one' } });
    expect(discord.channelsOf(g.id)).toHaveLength(500);

    const error = await rejection(() => rest.post(Routes.guildChannels(g.id), { body: { name: 'one-too-many' } }));
    expect(error.status).toBe(400);
    expect(error.rawError).toEqual({ message: 'Maximum number of guild channels reached (500)', code: 30013 });
    // Threads do not count towards the cap.
    const thread = (await rest.post(Routes.threads(g.generalChannelId), { body: { name: 'still fine' } })) as APIChannel;
    expect(thread.type).toBe(ChannelType.PrivateThread);
  });

  it('answers 403 50013 without MANAGE_CHANNELS, and for overwrites granting bits the bot lacks', async () => {
    const g = discord.createGuild({ botPermissions: DEFAULT_BOT_PERMISSIONS & ~P.ManageChannels });
    const error = await rejection(() => rest.post(Routes.guildChannels(g.id), { body: { name: 'nope' } }));
    expect([error.status, error.code, error.message]).toEqual([403, 50013, 'Missing Permissions']);

    const g2 = discord.createGuild();
    const grant = await rejection(() =>
      rest.post(Routes.guildChannels(g2.id), { body: { name: 'x', permission_overwrites: [{ id: g2.id, type: 0, allow: String(P.BanMembers) }] } }),
    );
    expect(grant.code).toBe(50013);
    expect(discord.channelsOf(g2.id).map((c) => c.name)).not.toContain('x');
  });

  it('hides a channel the bot cannot view (50001) and validates the body (50035)', async () => {
    const g = discord.createGuild();
    const hidden = discord.createChannel(g.id, { name: 'staff', overwrites: [{ id: g.id, type: 0, allow: '0', deny: String(P.ViewChannel) }] });
    const error = await rejection(() => rest.get(Routes.channel(hidden.id)));
    expect([error.status, error.code]).toEqual([403, 50001]);
    const invalid = await rejection(() => rest.post(Routes.guildChannels(g.id), { body: { type: 0 } }));
    expect(invalid.rawError.errors).toEqual({ name: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } });
    const unknown = await rejection(() => rest.get(Routes.channel('1')));
    expect([unknown.status, unknown.code]).toEqual([404, 10003]);
  });

  it('edits and deletes overwrites and channels', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'm' }).user;
    const channel = discord.createChannel(g.id, { name: 'ticket-0002', parentId: g.textCategoryId });
    await rest.put(Routes.channelPermission(channel.id, member.id), { body: { type: 1, allow: String(P.ViewChannel), deny: '0' } });
    expect(discord.state.channels.get(channel.id)!.permission_overwrites).toEqual([{ id: member.id, type: 1, allow: String(P.ViewChannel), deny: '0' }]);
    await rest.delete(Routes.channelPermission(channel.id, member.id));
    expect(discord.state.channels.get(channel.id)!.permission_overwrites).toEqual([]);

    const patched = (await rest.patch(Routes.channel(channel.id), { body: { name: 'Closed 0002', topic: 'closed' } })) as APIChannel & { topic: string };
    expect([patched.name, patched.topic]).toEqual(['closed-0002', 'closed']);
    await rest.delete(Routes.channel(channel.id));
    expect(discord.state.channels.has(channel.id)).toBe(false);
  });
});

describe('messages', () => {
  it('pages newest first with limit, before, after and around', async () => {
    const g = discord.createGuild();
    const ids = Array.from({ length: 120 }, (_, i) => discord.postMessage(g.generalChannelId, g.ownerId, { content: `m${i}` }).id);
    const contents = (list: unknown) => (list as APIMessage[]).map((m) => m.content);

    expect(contents(await rest.get(Routes.channelMessages(g.generalChannelId)))).toHaveLength(50);
    const newest = contents(await rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '3' }) }));
    expect(newest).toEqual(['m119', 'm118', 'm117']);
    const before = contents(await rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '3', before: ids[10] }) }));
    expect(before).toEqual(['m9', 'm8', 'm7']);
    const after = contents(await rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '3', after: ids[10] }) }));
    expect(after).toEqual(['m13', 'm12', 'm11']);
    const around = contents(await rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '5', around: ids[50] }) }));
    expect(around).toEqual(['m52', 'm51', 'm50', 'm49', 'm48']);
    const all = contents(await rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '100', after: '0' }) }));
    expect(all[0]).toBe('m99');

    const tooMany = await rejection(() => rest.get(Routes.channelMessages(g.generalChannelId), { query: new URLSearchParams({ limit: '101' }) }));
    expect(tooMany.rawError.errors.limit._errors[0].code).toBe('NUMBER_TYPE_MAX');
  });

  it('sends embeds, components and replies; resolves mentions by allowed_mentions; keeps edit history', async () => {
    const g = discord.createGuild();
    const opener = discord.addMember(g.id, { username: 'opener' }).user;
    const components = [{ type: 1, components: [{ type: 2, style: 4, label: 'Close', custom_id: 'ticket:close:1' }] }];
    const sent = (await rest.post(Routes.channelMessages(g.generalChannelId), {
      body: {
        content: `Welcome <@${opener.id}>, <@&${g.supportRoleId}> will be with you`,
        embeds: [{ title: 'Ticket #1', description: 'Cannot log in' }],
        components,
        allowed_mentions: { users: [opener.id], parse: [] },
      },
    })) as APIMessage;
    expect(sent.author.id).toBe(discord.botUser.id);
    expect(sent.mentions.map((u) => u.id)).toEqual([opener.id]);
    expect(sent.mention_roles).toEqual([]);
    expect(sent.embeds[0]).toMatchObject({ type: 'rich', title: 'Ticket #1' });
    expect(discord.messagesIn(g.generalChannelId)[0].components).toEqual(components);

    const reply = (await rest.post(Routes.channelMessages(g.generalChannelId), { body: { content: 'reply', message_reference: { message_id: sent.id } } })) as APIMessage;
    expect(reply.type).toBe(19);
    expect(reply.referenced_message!.id).toBe(sent.id);

    await rest.patch(Routes.channelMessage(g.generalChannelId, sent.id), { body: { content: 'Closed', components: [] } });
    const [first] = discord.messagesIn(g.generalChannelId);
    expect([first.content, first.components, first.edited_timestamp !== null]).toEqual(['Closed', [], true]);
    expect(discord.state.messageEdits.get(sent.id)!.map((e) => e.before.content)).toEqual([sent.content]);

    const byMember = discord.postMessage(g.generalChannelId, opener.id, { content: 'mine' });
    const notMine = await rejection(() => rest.patch(Routes.channelMessage(g.generalChannelId, byMember.id), { body: { content: 'x' } }));
    expect(notMine.code).toBe(50005);
    await rest.delete(Routes.channelMessage(g.generalChannelId, byMember.id));
    expect(discord.state.deletedMessages.map((d) => d.message.id)).toContain(byMember.id);

    const empty = await rejection(() => rest.post(Routes.channelMessages(g.generalChannelId), { body: {} }));
    expect(empty.code).toBe(50006);
    const v2 = await rejection(() => rest.post(Routes.channelMessages(g.generalChannelId), { body: { components: [{ type: 10, content: 'hi' }] } }));
    expect(v2.code).toBe(50035);
  });

  it('bulk-deletes only messages younger than 14 days', async () => {
    const g = discord.createGuild();
    const old = discord.postMessage(g.generalChannelId, g.ownerId, { content: 'old' });
    clock.advance(15 * 24 * 3600 * 1000);
    const a = discord.postMessage(g.generalChannelId, g.ownerId, { content: 'a' });
    const b = discord.postMessage(g.generalChannelId, g.ownerId, { content: 'b' });
    const tooOld = await rejection(() => rest.post(Routes.channelBulkDelete(g.generalChannelId), { body: { messages: [old.id, a.id] } }));
    expect(tooOld.code).toBe(50034);
    await rest.post(Routes.channelBulkDelete(g.generalChannelId), { body: { messages: [a.id, b.id] } });
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).toEqual(['old']);
  });

  it('returns the earlier message for a repeated nonce with enforce_nonce, for a few minutes', async () => {
    const g = discord.createGuild();
    const post = (body: Record<string, unknown>) => rest.post(Routes.channelMessages(g.generalChannelId), { body }) as Promise<APIMessage>;
    const first = await post({ content: 'once', nonce: 'n-1', enforce_nonce: true });
    expect((await post({ content: 'again', nonce: 'n-1', enforce_nonce: true })).id).toBe(first.id);
    // Without enforce_nonce, or with another nonce, a new message is created.
    expect((await post({ content: 'plain', nonce: 'n-1' })).id).not.toBe(first.id);
    expect((await post({ content: 'other', nonce: 'n-2', enforce_nonce: true })).id).not.toBe(first.id);
    clock.advance(6 * 60_000);
    expect((await post({ content: 'later', nonce: 'n-1', enforce_nonce: true })).id).not.toBe(first.id);
    expect((await rejection(() => post({ content: 'x', nonce: 'n'.repeat(26) }))).code).toBe(50035);
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).toEqual(['once', 'plain', 'other', 'later']);
  });

  it('uploads files as attachments served by the CDN', async () => {
    const g = discord.createGuild();
    const message = (await rest.post(Routes.channelMessages(g.generalChannelId), {
      body: { content: 'transcript', attachments: [{ id: 0, filename: 'transcript.html' }] },
      files: [{ name: 'transcript.html', data: Buffer.from('<h1>Ticket</h1>'), contentType: 'text/html' }],
    })) as APIMessage;
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ filename: 'transcript.html', size: 15, content_type: 'text/html' });
    const response = await fetch(message.attachments[0].url);
    expect([response.status, await response.text()]).toEqual([200, '<h1>Ticket</h1>']);
  });
});

describe('threads', () => {
  it('creates a private, non-invitable thread, adds members, and refuses changes while archived', async () => {
    const g = discord.createGuild();
    const opener = discord.addMember(g.id, { username: 'opener' }).user;
    const thread = (await rest.post(Routes.threads(g.generalChannelId), {
      body: { name: 'ticket-0003', type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: 10080 },
    })) as any;
    expect(thread).toMatchObject({
      type: 12,
      parent_id: g.generalChannelId,
      owner_id: discord.botUser.id,
      thread_metadata: { archived: false, locked: false, invitable: false, auto_archive_duration: 10080 },
    });
    await rest.put(Routes.threadMembers(thread.id, opener.id));
    expect(discord.threadMembersOf(thread.id).sort()).toEqual([discord.botUser.id, opener.id].sort());
    const listed = (await rest.get(Routes.threadMembers(thread.id), { query: new URLSearchParams({ with_member: 'true' }) })) as any[];
    expect(listed.find((m) => m.user_id === opener.id).member.user.id).toBe(opener.id);
    const active = (await rest.get(Routes.guildActiveThreads(g.id))) as any;
    expect(active.threads.map((t: any) => t.id)).toEqual([thread.id]);

    await rest.patch(Routes.channel(thread.id), { body: { archived: true, locked: true } });
    const stranger = discord.addMember(g.id, { username: 'stranger' }).user;
    const archived = await rejection(() => rest.put(Routes.threadMembers(thread.id, stranger.id)));
    expect([archived.status, archived.code]).toEqual([400, 50083]);
    // The bot has MANAGE_THREADS, so posting reopens even a locked thread.
    await rest.post(Routes.channelMessages(thread.id), { body: { content: 'reopened' } });
    expect(discord.state.channels.get(thread.id)!.thread_metadata!.archived).toBe(false);
  });

  it('needs CREATE_PRIVATE_THREADS for a private thread', async () => {
    const g = discord.createGuild({
      botPermissions: DEFAULT_BOT_PERMISSIONS & ~P.CreatePrivateThreads,
      everyonePermissions: P.ViewChannel | P.SendMessages,
    });
    const error = await rejection(() => rest.post(Routes.threads(g.generalChannelId), { body: { name: 'x', type: 12 } }));
    expect(error.code).toBe(50013);
  });

  it('starts a public thread from a message, with the message id as thread id', async () => {
    const g = discord.createGuild();
    const message = discord.postMessage(g.generalChannelId, g.ownerId, { content: 'help' });
    const thread = (await rest.post(Routes.threads(g.generalChannelId, message.id), { body: { name: 'help' } })) as APIChannel;
    expect([thread.id, thread.type]).toEqual([message.id, ChannelType.PublicThread]);
    expect(discord.messagesIn(g.generalChannelId)[0].flags! & MessageFlags.HasThread).toBe(MessageFlags.HasThread);
  });
});

describe('members, roles, DMs, invites, commands', () => {
  it('adds and removes member roles within the role hierarchy', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'staff' }).user;
    await rest.put(Routes.guildMemberRole(g.id, member.id, g.supportRoleId!));
    expect(discord.state.members.get(g.id)!.get(member.id)!.roles).toEqual([g.supportRoleId]);
    const fetched = (await rest.get(Routes.guildMember(g.id, member.id))) as any;
    expect(fetched.roles).toEqual([g.supportRoleId]);
    await rest.delete(Routes.guildMemberRole(g.id, member.id, g.supportRoleId!));
    expect(discord.state.members.get(g.id)!.get(member.id)!.roles).toEqual([]);

    const admin = discord.createRole(g.id, { name: 'Admin', permissions: P.Administrator });
    const above = await rejection(() => rest.put(Routes.guildMemberRole(g.id, member.id, admin.id)));
    expect(above.code).toBe(50013);
    const unknown = await rejection(() => rest.get(Routes.guildMember(g.id, '123456789012345678')));
    expect(unknown.code).toBe(10007);

    const page = (await rest.get(Routes.guildMembers(g.id), { query: new URLSearchParams({ limit: '1000' }) })) as any[];
    expect(page.map((m) => m.user.id).sort()).toEqual([g.ownerId, discord.botUser.id, member.id].sort());
  });

  it('opens DMs and refuses to message users who closed them (50007)', async () => {
    const open = discord.createUser({ username: 'open' });
    const closed = discord.createUser({ username: 'closed', dmsClosed: true });
    const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: open.id } })) as APIChannel;
    expect(dm.type).toBe(ChannelType.DM);
    expect(((await rest.post(Routes.userChannels(), { body: { recipient_id: open.id } })) as APIChannel).id).toBe(dm.id);
    await rest.post(Routes.channelMessages(dm.id), { body: { content: 'Your ticket was closed' } });
    expect(discord.messagesIn(dm.id).map((m) => m.content)).toEqual(['Your ticket was closed']);

    const closedDm = (await rest.post(Routes.userChannels(), { body: { recipient_id: closed.id } })) as APIChannel;
    const error = await rejection(() => rest.post(Routes.channelMessages(closedDm.id), { body: { content: 'hi' } }));
    expect([error.status, error.code, error.message]).toEqual([403, 50007, 'Cannot send messages to this user']);
  });

  it('creates single-use invites that expire (10006)', async () => {
    const g = discord.createGuild();
    const invite = (await rest.post(Routes.channelInvites(g.generalChannelId), { body: { max_age: 600, max_uses: 1, unique: true } })) as any;
    expect(invite).toMatchObject({ max_age: 600, max_uses: 1, uses: 0, temporary: false, guild: { id: g.id }, channel: { id: g.generalChannelId } });
    const fetched = (await rest.get(Routes.invite(invite.code))) as any;
    expect(fetched.code).toBe(invite.code);
    expect(fetched.uses).toBeUndefined();

    clock.advance(601_000);
    const expired = await rejection(() => rest.get(Routes.invite(invite.code)));
    expect([expired.status, expired.code]).toEqual([404, 10006]);

    const second = (await rest.post(Routes.channelInvites(g.generalChannelId), { body: { max_age: 600, max_uses: 1 } })) as any;
    const agent = discord.createUser({ username: 'agent' });
    discord.useInvite(second.code, agent.id);
    expect(discord.state.members.get(g.id)!.has(agent.id)).toBe(true);
    expect((await rejection(() => rest.get(Routes.invite(second.code)))).code).toBe(10006);
  });

  it('bulk-overwrites commands, keeping ids of commands that stay', async () => {
    const app = discord.applicationId;
    const first = (await rest.put(Routes.applicationCommands(app), {
      body: [
        { name: 'ticket', description: 'Tickets', options: [{ type: 1, name: 'open', description: 'Open a ticket' }] },
        { name: 'setup', description: 'Set up' },
      ],
    })) as any[];
    expect(first.map((c) => [c.name, c.type, c.application_id])).toEqual([['ticket', 1, app], ['setup', 1, app]]);
    const second = (await rest.put(Routes.applicationCommands(app), { body: [{ name: 'ticket', description: 'Tickets v2' }] })) as any[];
    expect(second[0].id).toBe(first[0].id);
    expect([...discord.state.commands.global.values()].map((c) => c.description)).toEqual(['Tickets v2']);

    const g = discord.createGuild();
    await rest.put(Routes.applicationGuildCommands(app, g.id), { body: [{ name: 'status', description: 'Status' }] });
    expect([...discord.state.commands.guild.get(g.id)!.values()].map((c) => [c.name, c.guild_id])).toEqual([['status', g.id]]);
    const bad = await rejection(() => rest.put(Routes.applicationCommands(app), { body: [{ name: 'Bad Name', description: 'x' }] }));
    expect(bad.code).toBe(50035);
    expect([...discord.state.commands.global.values()]).toHaveLength(1);
  });
});

describe('HTTP behaviour', () => {
  it('answers 401 without the bot token and 404 for unknown routes, in Discord error shape', async () => {
    const unauthorised = await fetch(`${discord.apiBaseUrl}/v10/users/@me`);
    expect([unauthorised.status, await unauthorised.json()]).toEqual([401, { message: '401: Unauthorized', code: 0 }]);
    const wrongToken = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(wrongToken.status).toBe(401);
    const unknown = await fetch(`${discord.apiBaseUrl}/v10/nothing/here`, { headers: { authorization: `Bot ${discord.botToken}` } });
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: '404: Not Found', code: 0 }]);
  });

  it('sends rate-limit headers on bot responses', async () => {
    const response = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: `Bot ${discord.botToken}` } });
    expect(response.status).toBe(200);
    for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket']) {
      expect(response.headers.get(header)).not.toBeNull();
    }
    expect(Number(response.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(response.headers.get('x-ratelimit-limit')));
  });

  it('@discordjs/rest waits out an injected 429 and then succeeds', async () => {
    const g = discord.createGuild();
    const rule = discord.faults.set(`POST /channels/${g.generalChannelId}/messages`, { status: 429, retryAfter: 0.05 }, 2);
    const rateLimited: number[] = [];
    rest.on('rateLimited', (info) => rateLimited.push(info.retryAfter));
    const message = (await rest.post(Routes.channelMessages(g.generalChannelId), { body: { content: 'after the limit' } })) as APIMessage;
    rest.removeAllListeners('rateLimited');

    expect(message.content).toBe('after the limit');
    expect(rule.hits).toBe(2);
    expect(discord.requests('POST /channels/{channel}/messages').filter((r) => r.path.includes(g.generalChannelId)).map((r) => r.status)).toEqual([429, 429, 200]);
    // One event per 429 at least; the client may also report its own wait for the bucket to reset.
    expect(rateLimited.length).toBeGreaterThanOrEqual(2);
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).toEqual(['after the limit']);
  });

  it('sends Discord 429 bodies and headers, global included', async () => {
    discord.faults.set('GET /users/@me', { status: 429, retryAfter: 1.5, global: true }, 1);
    const response = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: `Bot ${discord.botToken}` } });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: true });
    expect([response.headers.get('retry-after'), response.headers.get('x-ratelimit-global'), response.headers.get('x-ratelimit-scope')]).toEqual(['1.5', 'true', 'global']);
  });

  it('@discordjs/rest retries 5xx faults; an injected 403 surfaces as an error', async () => {
    const g = discord.createGuild();
    discord.faults.set(/^GET \/guilds\/\d+$/, { status: 502 }, 2);
    const guild = (await rest.get(Routes.guild(g.id))) as any;
    expect(guild.id).toBe(g.id);
    discord.faults.set('POST /guilds/{guild}/channels', { status: 403 }, 1);
    const error = await rejection(() => rest.post(Routes.guildChannels(g.id), { body: { name: 'x' } }));
    expect([error.status, error.code]).toEqual([403, 50013]);
    expect(discord.faults.active).toHaveLength(0);
  });

  it('enforces real rate-limit buckets when a bucket runs dry', async () => {
    const { discord: limited, rest: limitedRest, stop: stopLimited } = await startWithRest({ rateLimit: { limit: 2, windowMs: 1000 } });
    try {
      const g = limited.createGuild();
      const raw = () => fetch(`${limited.apiBaseUrl}/v10/guilds/${g.id}`, { headers: { authorization: `Bot ${limited.botToken}` } });
      const statuses = (await Promise.all([raw(), raw(), raw()])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 429]);
      const refused = limited.requests().find((r) => r.status === 429)!;
      expect(refused.route).toBe('/guilds/{guild}');
      // The client honours the headers: it waits for the window to reset instead of failing.
      for (let i = 0; i < 3; i++) expect(((await limitedRest.get(Routes.guild(g.id))) as { id: string }).id).toBe(g.id);
    } finally {
      await stopLimited();
    }
  });
});
