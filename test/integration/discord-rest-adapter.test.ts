import { DiscordAPIError } from '@discordjs/rest';
import { startDiscordEmulator, DEFAULT_BOT_PERMISSIONS, type DiscordEmulator, type SeededGuild } from '../../local/discord';
import { RestDiscordApi } from '../../lambdas/shared/adapters/discord-rest';
import { PermissionFlagsBits } from '../../lambdas/shared/discord-constants';
import { DiscordActionError } from '../../lambdas/shared/errors';
import { CategoryFullError, GuildChannelCapError, type Overwrite } from '../../lambdas/shared/ports/discord';

/**
 * RestDiscordApi against the Discord emulator: every port method, asserted on what Discord then
 * holds, plus the errors Discord explains (caps, permissions, rate limits, gone things).
 */

let discord: DiscordEmulator;
let api: RestDiscordApi;
/** Headers of every request the client sent, in order (the emulator's request log keeps no headers). */
const sent: Array<{ method: string; path: string; headers: Record<string, string> }> = [];

beforeAll(async () => {
  discord = await startDiscordEmulator();
  api = new RestDiscordApi({ apiBaseUrl: discord.apiBaseUrl, botToken: discord.botToken, timeoutMs: 5000 });
  api.rest.on('response', (request) => {
    sent.push({ method: request.method, path: request.path, headers: (request.options.headers ?? {}) as Record<string, string> });
  });
});

afterAll(async () => {
  api.rest.clearHashSweeper();
  api.rest.clearHandlerSweeper();
  await discord.close();
});

afterEach(() => discord.faults.clear());

const bits = (...flags: bigint[]) => flags.reduce((a, b) => a | b, 0n).toString();
const VIEW = PermissionFlagsBits.ViewChannel;
const SEND = PermissionFlagsBits.SendMessages;
const HISTORY = PermissionFlagsBits.ReadMessageHistory;

/** A private ticket channel's overwrites: hidden from @everyone, open to the bot and one member. */
function ticketOverwrites(g: SeededGuild, memberId: string): Overwrite[] {
  return [
    { id: g.everyoneRoleId, type: 0, allow: '0', deny: bits(VIEW) },
    { id: discord.botUser.id, type: 1, allow: bits(VIEW, SEND, HISTORY), deny: '0' },
    { id: memberId, type: 1, allow: bits(VIEW, SEND, HISTORY), deny: '0' },
  ];
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('reads', () => {
  it('getGuild, listGuildChannels and listGuildRoles return what the guild holds', async () => {
    const g = discord.createGuild({ name: 'Acme' });

    expect(await api.getGuild(g.id)).toMatchObject({ id: g.id, name: 'Acme', owner_id: g.ownerId });
    const channels = await api.listGuildChannels(g.id);
    expect(channels.map((c) => [c.id, c.type, c.parent_id])).toEqual([
      [g.textCategoryId, 4, null],
      [g.generalChannelId, 0, g.textCategoryId],
    ]);
    const roles = await api.listGuildRoles(g.id);
    expect(roles.find((r) => r.id === g.supportRoleId)).toMatchObject({ name: 'Support', managed: false });
    expect(roles.find((r) => r.id === g.botRoleId)).toMatchObject({ managed: true, permissions: DEFAULT_BOT_PERMISSIONS.toString() });
    expect(roles.find((r) => r.id === g.everyoneRoleId)).toMatchObject({ name: '@everyone', position: 0 });
  });

  it('getMember returns roles, nick and user; a stranger (10007 Unknown Member) is null', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'alice', globalName: 'Alice' }, [g.supportRoleId!]);
    const stranger = discord.createUser({ username: 'stranger' });

    expect(await api.getMember(g.id, member.user.id)).toEqual({
      roles: [g.supportRoleId],
      nick: null,
      user: { id: member.user.id, username: 'alice', global_name: 'Alice' },
    });
    expect(await api.getMember(g.id, stranger.id)).toBeNull();
    expect(discord.requests(`GET /guilds/${g.id}/members/${stranger.id}`).map((r) => r.status)).toEqual([404]);
  });
});

describe('channels', () => {
  it('createChannel creates a private text channel with its overwrites, topic and audit-log reason', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'opener' });

    const created = await api.createChannel(g.id, {
      name: 'Ticket 0001',
      type: 0,
      parentId: g.textCategoryId,
      overwrites: ticketOverwrites(g, member.user.id),
      topic: 'Ticket #1 opened by opener',
      reason: 'Ticket #1 opened',
    });

    // Discord slugs text channel names.
    expect(created).toEqual({ id: expect.any(String), type: 0, parent_id: g.textCategoryId, name: 'ticket-0001' });
    const stored = discord.channelsOf(g.id).find((c) => c.id === created.id)!;
    expect(stored).toMatchObject({ name: 'ticket-0001', parent_id: g.textCategoryId, topic: 'Ticket #1 opened by opener' });
    expect(stored.permission_overwrites).toEqual(ticketOverwrites(g, member.user.id));
    expect(discord.requests(`POST /guilds/${g.id}/channels`).at(-1)!.body).toEqual({
      name: 'Ticket 0001',
      type: 0,
      parent_id: g.textCategoryId,
      permission_overwrites: ticketOverwrites(g, member.user.id),
      topic: 'Ticket #1 opened by opener',
    });
    const request = sent.filter((r) => r.method === 'POST' && r.path === `/guilds/${g.id}/channels`).at(-1)!;
    expect(request.headers['X-Audit-Log-Reason']).toBe(encodeURIComponent('Ticket #1 opened'));
  });

  it('createChannel makes categories (type 4) at the top level and sends no reason header without a reason', async () => {
    const g = discord.createGuild();
    const category = await api.createChannel(g.id, { name: 'Tickets', type: 4, overwrites: [] });

    expect(category).toEqual({ id: expect.any(String), type: 4, parent_id: null, name: 'Tickets' });
    expect(discord.channelsOf(g.id).find((c) => c.id === category.id)).toMatchObject({ type: 4, parent_id: null });
    const request = sent.filter((r) => r.method === 'POST' && r.path === `/guilds/${g.id}/channels`).at(-1)!;
    expect(request.headers['X-Audit-Log-Reason']).toBeUndefined();
  });

  it('the 51st channel in a category is CategoryFullError; other categories still take channels', async () => {
    const g = discord.createGuild();
    // `#general` is the first of the category's 50.
    for (let i = 2; i <= 50; i += 1) discord.createChannel(g.id, { name: `seed-${i}`, parentId: g.textCategoryId });

    const error = await rejection(api.createChannel(g.id, { name: 'ticket-51', type: 0, parentId: g.textCategoryId, overwrites: [] }));

    expect(error).toBeInstanceOf(CategoryFullError);
    expect(error.cause).toBeInstanceOf(DiscordAPIError);
    expect(discord.channelsOf(g.id).filter((c) => c.parent_id === g.textCategoryId)).toHaveLength(50);
    const overflow = await api.createChannel(g.id, { name: 'Tickets 2', type: 4, overwrites: [] });
    const moved = await api.createChannel(g.id, { name: 'ticket-51', type: 0, parentId: overflow.id, overwrites: [] });
    expect(moved.parent_id).toBe(overflow.id);
  });

  it('the 501st guild channel is GuildChannelCapError (30013)', async () => {
    const g = discord.createGuild();
    const seeded = discord.channelsOf(g.id).length;
    for (let i = seeded; i < 500; i += 1) discord.createChannel(g.id, { name: `seed-${i}` });
    expect(discord.channelsOf(g.id)).toHaveLength(500);

    const error = await rejection(api.createChannel(g.id, { name: 'one-too-many', type: 0, overwrites: [] }));

    expect(error).toBeInstanceOf(GuildChannelCapError);
    expect(error.cause).toMatchObject({ code: 30013 });
    expect(discord.channelsOf(g.id)).toHaveLength(500);
  });

  it('a 429 on create is waited out and retried; the channel is created once', async () => {
    const g = discord.createGuild();
    const rule = discord.faults.set('POST /guilds/{guild}/channels', { status: 429, retryAfter: 0.05 }, 1);

    const created = await api.createChannel(g.id, { name: 'after-429', type: 0, parentId: g.textCategoryId, overwrites: [] });

    expect(rule.hits).toBe(1);
    expect(discord.requests(`POST /guilds/${g.id}/channels`).map((r) => [r.status, r.fault ?? false])).toEqual([
      [429, true],
      [201, false],
    ]);
    expect(discord.channelsOf(g.id).filter((c) => c.name === 'after-429').map((c) => c.id)).toEqual([created.id]);
  });

  it('Missing Permissions (50013) becomes a DiscordActionError with the permission message', async () => {
    const g = discord.createGuild();
    discord.faults.set('POST /guilds/{guild}/channels', { status: 403 }, 1);

    const error = await rejection(api.createChannel(g.id, { name: 'nope', type: 0, overwrites: [] }));

    expect(error).toBeInstanceOf(DiscordActionError);
    expect(error).toMatchObject({ discordCode: 50013, message: 'Deskwire is missing a permission for this action. Run /status to see which.' });
    expect(discord.channelsOf(g.id).some((c) => c.name === 'nope')).toBe(false);
  });

  it('a bot without Manage Channels gets the same DiscordActionError from Discord itself', async () => {
    const g = discord.createGuild({ botPermissions: VIEW | SEND });

    const error = await rejection(api.createChannel(g.id, { name: 'nope', type: 0, overwrites: [] }));

    expect(error).toBeInstanceOf(DiscordActionError);
    expect(error.discordCode).toBe(50013);
  });

  it('any other Invalid Form Body (50035) is a bug, not a user error: the DiscordAPIError passes through', async () => {
    const g = discord.createGuild();

    const error = await rejection(api.createChannel(g.id, { name: 'x'.repeat(101), type: 0, overwrites: [] }));

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).not.toBeInstanceOf(DiscordActionError);
    expect(error.code).toBe(50035);
  });

  it('modifyChannel renames, moves (parentId → parent_id) and replaces overwrites (overwrites → permission_overwrites)', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'm' });
    const closed = await api.createChannel(g.id, { name: 'Closed', type: 4, overwrites: [] });
    const ticket = await api.createChannel(g.id, { name: 'ticket-7', type: 0, parentId: g.textCategoryId, overwrites: ticketOverwrites(g, member.user.id) });
    const withoutMember = ticketOverwrites(g, member.user.id).slice(0, 2);

    await api.modifyChannel(ticket.id, { name: 'closed-7', parentId: closed.id, overwrites: withoutMember, reason: 'Ticket #7 closed' });

    expect(discord.channelsOf(g.id).find((c) => c.id === ticket.id)).toMatchObject({
      name: 'closed-7',
      parent_id: closed.id,
      permission_overwrites: withoutMember,
    });
    expect(discord.requests(`PATCH /channels/${ticket.id}`).at(-1)!.body).toEqual({ name: 'closed-7', parent_id: closed.id, permission_overwrites: withoutMember });
    expect(sent.filter((r) => r.method === 'PATCH' && r.path === `/channels/${ticket.id}`).at(-1)!.headers['X-Audit-Log-Reason']).toBe(
      encodeURIComponent('Ticket #7 closed'),
    );
  });

  it('modifyChannel moving into a full category is CategoryFullError', async () => {
    const g = discord.createGuild();
    for (let i = 2; i <= 50; i += 1) discord.createChannel(g.id, { name: `seed-${i}`, parentId: g.textCategoryId });
    const outside = await api.createChannel(g.id, { name: 'outside', type: 0, overwrites: [] });

    expect(await rejection(api.modifyChannel(outside.id, { parentId: g.textCategoryId }))).toBeInstanceOf(CategoryFullError);
    expect(discord.channelsOf(g.id).find((c) => c.id === outside.id)!.parent_id).toBeNull();
  });

  it('deleteChannel deletes, and deleting again (10003 Unknown Channel) is success', async () => {
    const g = discord.createGuild();
    const ticket = await api.createChannel(g.id, { name: 'gone', type: 0, parentId: g.textCategoryId, overwrites: [] });

    await api.deleteChannel(ticket.id, 'Ticket deleted');
    await api.deleteChannel(ticket.id, 'Ticket deleted');

    expect(discord.channelsOf(g.id).some((c) => c.id === ticket.id)).toBe(false);
    expect(discord.requests(`DELETE /channels/${ticket.id}`).map((r) => r.status)).toEqual([200, 404]);
  });

  it('deleteChannel still reports other refusals (50013)', async () => {
    const g = discord.createGuild();
    discord.faults.set('DELETE /channels/{channel}', { status: 403 }, 1);

    expect(await rejection(api.deleteChannel(g.generalChannelId))).toMatchObject({ name: 'DiscordActionError', discordCode: 50013 });
    expect(discord.channelsOf(g.id).some((c) => c.id === g.generalChannelId)).toBe(true);
  });

  it('setOverwrite adds then changes one overwrite; deleteOverwrite removes it', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'added' });
    const ticket = await api.createChannel(g.id, { name: 't', type: 0, parentId: g.textCategoryId, overwrites: ticketOverwrites(g, member.user.id).slice(0, 2) });
    const overwritesOf = () => discord.channelsOf(g.id).find((c) => c.id === ticket.id)!.permission_overwrites!;

    await api.setOverwrite(ticket.id, { id: member.user.id, type: 1, allow: bits(VIEW, SEND), deny: '0' }, 'Member added');
    expect(overwritesOf().find((o) => o.id === member.user.id)).toEqual({ id: member.user.id, type: 1, allow: bits(VIEW, SEND), deny: '0' });

    await api.setOverwrite(ticket.id, { id: member.user.id, type: 1, allow: bits(VIEW), deny: bits(SEND) });
    expect(overwritesOf().filter((o) => o.id === member.user.id)).toEqual([{ id: member.user.id, type: 1, allow: bits(VIEW), deny: bits(SEND) }]);
    expect(discord.requests(`PUT /channels/${ticket.id}/permissions/${member.user.id}`).at(-1)!.body).toEqual({ type: 1, allow: bits(VIEW), deny: bits(SEND) });

    await api.deleteOverwrite(ticket.id, member.user.id, 'Member removed');
    expect(overwritesOf().map((o) => o.id)).toEqual([g.everyoneRoleId, discord.botUser.id]);
  });
});

describe('threads', () => {
  it('createPrivateThread makes a non-invitable private thread (type 12, 7-day archive) the bot is in', async () => {
    const g = discord.createGuild();

    const { id } = await api.createPrivateThread(g.generalChannelId, 'ticket-0042', 'Ticket #42 opened');

    const thread = discord.threadsOf(g.id).find((t) => t.id === id)!;
    expect(thread).toMatchObject({ type: 12, name: 'ticket-0042', parent_id: g.generalChannelId });
    expect(thread.thread_metadata).toMatchObject({ invitable: false, auto_archive_duration: 10080, archived: false });
    expect(discord.threadMembersOf(id)).toEqual([discord.botUser.id]);
    expect(discord.requests(`POST /channels/${g.generalChannelId}/threads`).at(-1)!.body).toEqual({
      name: 'ticket-0042',
      type: 12,
      invitable: false,
      auto_archive_duration: 10080,
    });
  });

  it('addThreadMember and removeThreadMember change who is in the thread', async () => {
    const g = discord.createGuild();
    const opener = discord.addMember(g.id, { username: 'opener' });
    const staff = discord.addMember(g.id, { username: 'staff' }, [g.supportRoleId!]);
    const { id } = await api.createPrivateThread(g.generalChannelId, 'ticket-1');

    await api.addThreadMember(id, opener.user.id);
    await api.addThreadMember(id, staff.user.id);
    expect(discord.threadMembersOf(id).sort()).toEqual([discord.botUser.id, opener.user.id, staff.user.id].sort());

    await api.removeThreadMember(id, staff.user.id);
    expect(discord.threadMembersOf(id).sort()).toEqual([discord.botUser.id, opener.user.id].sort());
  });

  it('adding someone who left the server is a DiscordActionError (10007)', async () => {
    const g = discord.createGuild();
    const stranger = discord.createUser({ username: 'left' });
    const { id } = await api.createPrivateThread(g.generalChannelId, 'ticket-2');

    expect(await rejection(api.addThreadMember(id, stranger.id))).toMatchObject({ name: 'DiscordActionError', discordCode: 10007 });
    expect(discord.threadMembersOf(id)).toEqual([discord.botUser.id]);
  });

  it('modifyChannel archives and locks a thread', async () => {
    const g = discord.createGuild();
    const { id } = await api.createPrivateThread(g.generalChannelId, 'ticket-3');

    await api.modifyChannel(id, { archived: true, locked: true, reason: 'Ticket closed' });

    expect(discord.threadsOf(g.id).find((t) => t.id === id)!.thread_metadata).toMatchObject({ archived: true, locked: true });
    expect(discord.requests(`PATCH /channels/${id}`).at(-1)!.body).toEqual({ archived: true, locked: true });
  });
});

describe('messages', () => {
  const components = [
    {
      type: 1 as const,
      components: [{ type: 2 as const, style: 4 as const, label: 'Close', custom_id: 'ticket:close:1' }],
    },
  ];

  it('postMessage posts content and components; editMessage changes them; deleteMessage is idempotent', async () => {
    const g = discord.createGuild();

    const { id } = await api.postMessage(g.generalChannelId, { content: 'Welcome <@1>', components, allowed_mentions: { users: ['1'] } });

    const posted = discord.messagesIn(g.generalChannelId).find((m) => m.id === id)!;
    expect(posted).toMatchObject({ content: 'Welcome <@1>', author: { id: discord.botUser.id } });
    expect(posted.components).toMatchObject(components);

    await api.editMessage(g.generalChannelId, id, { content: 'Claimed by staff', components: [] });
    const edited = discord.messagesIn(g.generalChannelId).find((m) => m.id === id)!;
    expect(edited).toMatchObject({ content: 'Claimed by staff', components: [] });
    expect(edited.edited_timestamp).toEqual(expect.any(String));
    expect(discord.state.messageEdits.get(id)!.map((e) => e.before.content)).toEqual(['Welcome <@1>']);

    await api.deleteMessage(g.generalChannelId, id);
    await api.deleteMessage(g.generalChannelId, id);
    expect(discord.messagesIn(g.generalChannelId).some((m) => m.id === id)).toBe(false);
    expect(discord.state.deletedMessages.filter((d) => d.message.id === id)).toHaveLength(1);
    expect(discord.requests(`DELETE /channels/${g.generalChannelId}/messages/${id}`).map((r) => r.status)).toEqual([204, 404]);
  });

  it('deleting a message whose channel is gone (10003) is success too', async () => {
    const g = discord.createGuild();
    const ticket = await api.createChannel(g.id, { name: 'ticket-x', type: 0, parentId: g.textCategoryId, overwrites: [] });
    const { id } = await api.postMessage(ticket.id, { content: 'hi' });
    await api.deleteChannel(ticket.id);

    await expect(api.deleteMessage(ticket.id, id)).resolves.toBeUndefined();
  });

  it('editing a deleted message is a DiscordActionError (10008)', async () => {
    const g = discord.createGuild();
    const { id } = await api.postMessage(g.generalChannelId, { content: 'soon gone' });
    await api.deleteMessage(g.generalChannelId, id);

    expect(await rejection(api.editMessage(g.generalChannelId, id, { content: 'x' }))).toMatchObject({ name: 'DiscordActionError', discordCode: 10008 });
  });

  it('posting where the bot cannot see is a DiscordActionError (50001)', async () => {
    const g = discord.createGuild();
    const hidden = discord.createChannel(g.id, { name: 'staff-only', overwrites: [{ id: g.everyoneRoleId, type: 0, allow: '0', deny: bits(VIEW) }] });

    expect(await rejection(api.postMessage(hidden.id, { content: 'x' }))).toMatchObject({ name: 'DiscordActionError', discordCode: 50001 });
    expect(discord.messagesIn(hidden.id)).toEqual([]);
  });
});

describe('direct messages', () => {
  it('sendDirectMessage opens the DM channel and posts: true', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'dm-open' });

    expect(await api.sendDirectMessage(member.user.id, { content: 'Your ticket was closed.' })).toBe(true);

    const dmId = discord.state.dmChannels.get(member.user.id)!;
    expect(discord.messagesIn(dmId).map((m) => m.content)).toEqual(['Your ticket was closed.']);
    expect(discord.requests('POST /users/@me/channels').at(-1)!.body).toEqual({ recipient_id: member.user.id });

    // The same DM channel is reused.
    expect(await api.sendDirectMessage(member.user.id, { content: 'Transcript ready.' })).toBe(true);
    expect(discord.messagesIn(dmId).map((m) => m.content)).toEqual(['Your ticket was closed.', 'Transcript ready.']);
  });

  it('a user with DMs closed (50007) gives false and nothing is delivered', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'dm-closed' });
    discord.setDmsClosed(member.user.id);

    expect(await api.sendDirectMessage(member.user.id, { content: 'Your ticket was closed.' })).toBe(false);

    const dmId = discord.state.dmChannels.get(member.user.id);
    expect(dmId ? discord.messagesIn(dmId) : []).toEqual([]);
  });

  it('other DM failures are still errors', async () => {
    const g = discord.createGuild();
    const member = discord.addMember(g.id, { username: 'dm-fault' });
    discord.faults.set('POST /users/@me/channels', { status: 403, code: 50013 }, 1);

    expect(await rejection(api.sendDirectMessage(member.user.id, { content: 'x' }))).toMatchObject({ name: 'DiscordActionError', discordCode: 50013 });
  });
});
