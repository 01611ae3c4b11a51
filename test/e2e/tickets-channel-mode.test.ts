import { QueryCommand } from '@aws-sdk/lib-dynamodb';
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

  it('a 429 on channel create is waited out and retried', async () => {
    const rule = e.discord.faults.set(`POST /guilds/${e.world.guild.id}/channels`, { status: 429, retryAfter: 0.2 }, 1);
    const reply = await open(newMember(e, 'chan-ratelimited'));
    expect(reply.content).toMatch(/is ready/);
    expect(rule.remaining).toBe(0);
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
    const rows = await data.db.send(
      new QueryCommand({
        TableName: e.stack.resources.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
        FilterExpression: 'openerId = :m',
        ExpressionAttributeValues: { ':pk': `GUILD#${g}`, ':t': 'TICKET#', ':m': member },
      }),
    );
    expect(rows.Items).toEqual([]);
  });
});
