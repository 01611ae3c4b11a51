import { option, type OptionInput } from '../../local/discord';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

const MANAGE_THREADS = 1n << 34n;

describe('/setup: several staff roles, clearing channels, refusing bot roles, thread visibility', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  beforeAll(async () => {
    e = await startE2E('setup-staff');
    data = ticketData(e);
    t = ticketWork(e, data);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  const guildRole = (id: string) => e.discord.state.guilds.get(t.guildId)!.roles.find((r) => r.id === id)!;
  const setup = async (options: OptionInput[]) => {
    const { res } = await runCommand(e, e.world.userId, 'setup', options);
    return res.body as { type: number; data: { content: string; flags: number } };
  };
  const settings = async () => (await data.store.getSettings(t.guildId))!;

  it('warns in thread mode that a staff role without Manage Threads cannot see ticket threads; adds and removes staff roles', async () => {
    const support = guildRole(e.world.guild.supportRoleId!);
    const supportChannel = e.discord.state.channels.get(e.world.channelId)!;
    const first = await setup([option.role('staff_role', support), option.channel('support_channel', { id: supportChannel.id, type: 0, name: supportChannel.name ?? 'support' })]);
    expect(first.data.flags).toBe(64);
    expect(first.data.content).toContain(`⚠️ <@&${support.id}> lacks **Manage Threads**.`);
    expect(first.data.content).toContain('a role mention does not add anyone');

    // A second role, which has Manage Threads: added next to the first, no warning about it.
    const moderators = e.discord.createRole(t.guildId, { name: 'Moderators', permissions: MANAGE_THREADS });
    const added = await setup([option.role('add_staff_role', moderators)]);
    expect(added.data.content).toContain(`• Staff: <@&${support.id}>, <@&${moderators.id}>`);
    expect(added.data.content).not.toContain('Manage Threads');
    expect((await settings()).staffRoleIds).toEqual([support.id, moderators.id]);

    // A member with only the second role is ticket staff.
    await t.settings({ closeDelaySeconds: 0 });
    const mod = e.discord.createUser({ username: 'moderator' });
    e.discord.addMember(t.guildId, mod.id, [moderators.id]);
    const ticket = await t.open(t.member('asker'));
    const claimed = await runCommand(e, mod.id, 'ticket', [option.subcommand('claim')], ticket.channelId);
    expect((await finalReply(e, claimed.payload.id)).content).toBe(`🙋 <@${mod.id}> claimed this ticket and will help you from here.`);

    // Removing: one of several, never the last.
    const removed = await setup([option.role('remove_staff_role', support)]);
    expect(removed.data.content).toContain(`• Staff: <@&${moderators.id}>\n`);
    // Open tickets are left as they are, and the reply says so.
    expect(removed.data.content).toContain(`ℹ️ Tickets already open are not changed: <@&${support.id}> keeps its access to open ticket channels until they close (take it away in one with \`/ticket remove_role\`), and its members stay in the ticket threads they joined (\`/ticket remove\`).`);
    expect(added.data.content).not.toContain('Tickets already open');
    expect((await settings()).staffRoleIds).toEqual([moderators.id]);
    expect(await setup([option.role('remove_staff_role', support)])).toMatchObject({ data: { content: `<@&${support.id}> is not a staff role here. See \`/config show\`.` } });
    expect(await setup([option.role('remove_staff_role', moderators)])).toMatchObject({
      data: { flags: 64, content: `<@&${moderators.id}> is the only staff role: add another with \`/setup add_staff_role:\` before removing it.` },
    });
    expect((await settings()).staffRoleIds).toEqual([moderators.id]);

    // `/status` checks every staff role the worker can read.
    await setup([option.role('add_staff_role', support)]);
    const status = await runCommand(e, e.world.userId, 'status');
    const report = await finalReply(e, status.payload.id);
    expect(report.embeds[0]!.fields!.find((f) => f.name === 'Ticket staff')?.value).toContain(`<@&${support.id}> lacks **Manage Threads**`);
    expect(report.embeds[0]!.fields!.find((f) => f.name === 'Ticket staff')?.value).not.toContain(moderators.id);

    // Every category opening channels (the guild's mode still thread): no thread warning, and the
    // permissions checked are channel mode's.
    const categories = await data.store.listCategories(t.guildId);
    for (const c of categories) await data.category(t.guildId, { ...c, mode: 'channel' });
    const channelOnly = await runCommand(e, e.world.userId, 'status');
    const fields = (await finalReply(e, channelOnly.payload.id)).embeds[0]!.fields!;
    expect(fields.find((f) => f.name === 'Ticket staff')).toBeUndefined();
    for (const c of categories) await data.category(t.guildId, c);
  });

  it('refuses a bot or integration role as staff, and @everyone; nothing is saved', async () => {
    const before = (await settings()).staffRoleIds;
    const bot = e.discord.createRole(t.guildId, { name: 'SomeBot', managed: true, botId: e.discord.createUser({ username: 'somebot', bot: true }).id });
    const message = 'That role belongs to a bot or integration, so no member can have it. Pick a staff role.';
    expect(await setup([option.role('staff_role', bot)])).toMatchObject({ type: 4, data: { flags: 64, content: message } });
    expect(await setup([option.role('add_staff_role', bot)])).toMatchObject({ type: 4, data: { flags: 64, content: message } });
    expect(await setup([option.role('add_staff_role', guildRole(t.guildId))])).toMatchObject({ data: { content: '@everyone cannot be a staff role: every member would see every ticket.' } });
    expect((await settings()).staffRoleIds).toEqual(before);
  });

  it('clears the log and the transcript channel', async () => {
    const log = e.discord.createChannel(t.guildId, { name: 'ticket-log' });
    const transcripts = e.discord.createChannel(t.guildId, { name: 'transcripts' });
    await setup([option.channel('log_channel', { id: log.id, type: 0, name: 'ticket-log' }), option.channel('transcript_channel', { id: transcripts.id, type: 0, name: 'transcripts' })]);
    expect(await settings()).toMatchObject({ logChannelId: log.id, transcriptChannelId: transcripts.id });

    const cleared = await setup([option.string('clear', 'log_channel')]);
    expect(cleared.data.content).toContain('• Log channel: none');
    expect(await settings()).toMatchObject({ logChannelId: null, transcriptChannelId: transcripts.id });
    expect(await setup([option.string('clear', 'transcript_channel'), option.channel('transcript_channel', { id: transcripts.id, type: 0, name: 'transcripts' })])).toMatchObject({
      data: { flags: 64, content: 'Give `transcript_channel` or clear it, not both.' },
    });
    expect((await settings()).transcriptChannelId).toBe(transcripts.id);
    await setup([option.string('clear', 'transcript_channel')]);
    expect(await settings()).toMatchObject({ logChannelId: null, transcriptChannelId: null });
  });
});
