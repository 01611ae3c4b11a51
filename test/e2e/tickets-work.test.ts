import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ChannelType } from 'discord-api-types/v10';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { option } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { runCommand, ticketData } from '../support/tickets';

describe('working a ticket: staff commands and buttons through signed interactions', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  beforeAll(async () => {
    e = await startE2E('tickets-work');
    data = ticketData(e);
    t = ticketWork(e, data);
    await t.setup();
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  const ephemeral = (content: string) => ({ type: 4, data: { flags: 64, content } });

  it('every staff action by a non-staff member is refused with a clear message; outside a ticket too', async () => {
    const opener = t.member('opener1');
    const outsider = t.member('outsider1');
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const user = { id: outsider };
    const role = { id: e.world.guild.supportRoleId! };
    const cases: Array<[string, Parameters<typeof t.ticket>[3], string]> = [
      ['claim', [], 'Only ticket staff can claim tickets.'],
      ['unclaim', [], 'Only ticket staff can unclaim tickets.'],
      ['transfer', [option.user('member', user)], 'Only ticket staff can transfer tickets.'],
      ['add', [option.user('member', user)], 'Only ticket staff can add members.'],
      ['remove', [option.user('member', user)], 'Only ticket staff can remove members.'],
      ['add_role', [option.role('role', role)], 'Only ticket staff can add roles.'],
      ['remove_role', [option.role('role', role)], 'Only ticket staff can remove roles.'],
      ['rename', [option.string('name', 'hacked')], 'Only ticket staff can rename tickets.'],
      ['priority', [option.string('level', 'urgent')], 'Only ticket staff can change the priority.'],
      ['close-request', [], 'Only ticket staff can ask to close a ticket.'],
      ['reopen', [], 'Only ticket staff can reopen tickets.'],
    ];
    const attempts = [opener, outsider].flatMap((who) => [
      ...cases.map(async ([sub, options, message]) => [sub, (await t.ticket(who, ch, sub, options)).res.body, message] as const),
      ...['claim', 'unclaim'].map(async (verb) => [verb, (await t.press(who, ch, `dw1:ticket-${verb}:${ticket.number}`, t.welcome(ticket))).res.body, `Only ticket staff can ${verb} tickets.`] as const),
      ...['add', 'remove', 'list'].map(async (sub) => {
        const { res } = await runCommand(e, who, 'ticket', [option.group('blacklist', [option.subcommand(sub, sub === 'list' ? [] : [option.user('member', user)])])], ch);
        return [`blacklist ${sub}`, res.body, 'Only ticket staff can manage the ticket blacklist.'] as const;
      }),
    ]);
    // A member who did not open the ticket may not close it either.
    attempts.push(t.ticket(outsider, ch, 'close').then(({ res }) => ['close', res.body, 'Only ticket staff or the member who opened this ticket can close it.'] as const));
    for (const [what, body, message] of await Promise.all(attempts)) expect({ what, body }).toMatchObject({ what, body: ephemeral(message) });
    // Nothing changed.
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open', claimedBy: null, priority: 'normal' });

    const staff = t.staff();
    const outside = await t.ticket(staff, e.world.channelId, 'claim');
    expect(outside.res.body).toMatchObject(ephemeral('Run this inside a ticket thread or channel.'));
  });

  it('claim, transfer and unclaim update the row and the welcome embed; the buttons follow', async () => {
    const opener = t.member('claimee');
    const alice = t.staff('alice');
    const bob = t.staff('bob');
    const ticket = await t.open(opener);
    const ch = ticket.channelId;

    // Claim with the welcome message's button: a public answer in the ticket.
    const claimed = await t.press(alice, ch, `dw1:ticket-claim:${ticket.number}`, t.welcome(ticket));
    expect(claimed.res.body).toEqual({ type: 5, data: {} });
    expect((await t.done(claimed.payload.id)).content).toBe(`🙋 <@${alice}> claimed this ticket and will help you from here.`);
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: alice });
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe(`<@${alice}>`);
    expect(t.customIds(t.welcome(ticket))).toEqual([`dw1:ticket-close:${ticket.number}`, `dw1:ticket-unclaim:${ticket.number}`]);

    // Someone else's claim is refused; the claimer again too.
    expect((await t.ticket(bob, ch, 'claim')).res.body).toMatchObject(ephemeral(`This ticket is already claimed by <@${alice}>. Staff can take it over with \`/ticket transfer\`.`));
    expect((await t.ticket(alice, ch, 'claim')).res.body).toMatchObject(ephemeral('You have already claimed this ticket.'));
    // Only the claimer (or an admin) unclaims.
    expect((await t.ticket(bob, ch, 'unclaim')).res.body).toMatchObject(
      ephemeral(`Only <@${alice}>, who claimed this ticket, or a server admin can unclaim it. Use \`/ticket transfer\` to hand it to someone.`),
    );

    // Transfer: only to staff; the new owner joins the private thread.
    const plain = t.member('notstaff');
    const toPlain = await t.ticket(alice, ch, 'transfer', [option.user('member', { id: plain }, { roles: [] })]);
    expect(toPlain.res.body).toMatchObject(ephemeral(`<@${plain}> is not ticket staff here, so they cannot take this ticket.`));
    const toBob = await t.ticket(alice, ch, 'transfer', [option.user('member', { id: bob }, { roles: [e.world.guild.supportRoleId!] })]);
    expect((await t.done(toBob.payload.id)).content).toBe(`🔁 <@${alice}> transferred this ticket to <@${bob}>.`);
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: bob });
    expect(e.discord.threadMembersOf(ch)).toContain(bob);
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe(`<@${bob}>`);

    // Discord refuses adding the new owner to the thread: the transfer stands (the row names them),
    // and the public answer says so with what to do, instead of a failure contradicting the row.
    const carol = t.staff('carol');
    const rule = e.discord.faults.set(`PUT /channels/${ch}/thread-members/${carol}`, { status: 403, code: 50013 }, 1);
    const toCarol = await t.ticket(bob, ch, 'transfer', [option.user('member', { id: carol }, { roles: [e.world.guild.supportRoleId!] })]);
    expect((await t.done(toCarol.payload.id)).content).toBe(
      `🔁 <@${bob}> transferred this ticket to <@${carol}>, but they could not be added to this thread: Deskwire is missing a permission in this thread (\`/status\` shows which). Once it is fixed, add them with \`/ticket add\`.`,
    );
    expect(rule.hits).toBe(1);
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: carol });
    expect(e.discord.threadMembersOf(ch)).not.toContain(carol);
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe(`<@${carol}>`);
    // Back to bob for the rest.
    await t.done((await t.ticket(carol, ch, 'transfer', [option.user('member', { id: bob }, { roles: [e.world.guild.supportRoleId!] })])).payload.id);
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: bob });

    // Unclaim with the button: open for any staff again.
    const unclaimed = await t.press(bob, ch, `dw1:ticket-unclaim:${ticket.number}`, t.welcome(ticket));
    expect((await t.done(unclaimed.payload.id)).content).toBe(`<@${bob}> unclaimed this ticket; any staff member can pick it up.`);
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: null });
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe('Nobody yet');
    expect(t.customIds(t.welcome(ticket))).toEqual([`dw1:ticket-close:${ticket.number}`, `dw1:ticket-claim:${ticket.number}`]);
    expect((await t.ticket(bob, ch, 'unclaim')).res.body).toMatchObject(ephemeral('Nobody has claimed this ticket.'));

    // Two staff claiming at once: exactly one wins.
    const both = await Promise.all([alice, bob].map((s) => t.ticket(s, ch, 'claim')));
    expect(both.filter((r) => (r.res.body as { type: number }).type === 5)).toHaveLength(1);
    const winner = (await t.get(ticket.number)).claimedBy;
    expect([alice, bob]).toContain(winner);
  });

  it('add / remove member changes the thread members; roles are refused in thread mode', async () => {
    const opener = t.member('adder');
    const staff = t.staff();
    const guest = t.member('guest');
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    expect(e.discord.threadMembersOf(ch)).not.toContain(guest);

    const added = await t.ticket(staff, ch, 'add', [option.user('member', { id: guest }, { roles: [] })]);
    expect((await t.done(added.payload.id)).content).toBe(`➕ <@${staff}> added <@${guest}> to this ticket.`);
    expect(e.discord.threadMembersOf(ch)).toContain(guest);

    const removed = await t.ticket(staff, ch, 'remove', [option.user('member', { id: guest }, { roles: [] })]);
    expect((await t.done(removed.payload.id)).content).toBe(`➖ <@${staff}> removed <@${guest}> from this ticket.`);
    expect(e.discord.threadMembersOf(ch)).not.toContain(guest);
    // A failure found by the worker is told to the staff member alone: nothing stays in the ticket.
    const again = await t.ticket(staff, ch, 'remove', [option.user('member', { id: guest }, { roles: [] })]);
    expect(again.res.body).toEqual({ type: 5, data: {} });
    const refusal = await t.privateFailure(again.payload.id);
    expect(refusal).toMatchObject({ content: `<@${guest}> is not in this ticket.`, flags: 64 });
    expect(e.discord.messagesIn(ch).map((m) => m.content)).not.toContain(`<@${guest}> is not in this ticket.`);
    expect(e.discord.messagesIn(ch).filter((m) => m.interaction_metadata?.id === again.payload.id)).toEqual([]);

    expect((await t.ticket(staff, ch, 'remove', [option.user('member', { id: opener }, { roles: [] })])).res.body).toMatchObject(
      ephemeral('The member who opened this ticket cannot be removed from it. Close the ticket instead.'),
    );
    expect((await t.ticket(staff, ch, 'add', [option.user('member', { id: e.discord.botUser.id, bot: true }, { roles: [] })])).res.body).toMatchObject(
      ephemeral('Bots cannot be added to or removed from tickets.'),
    );
    const role = e.discord.createRole(t.guildId, { name: 'Helpers' });
    expect((await t.ticket(staff, ch, 'add_role', [option.role('role', role)])).res.body).toMatchObject(
      ephemeral('A role cannot be added to or removed from a private thread: Discord lets people in one at a time. Use `/ticket add member:` or `/ticket remove member:` for each person.'),
    );
  });

  it('a claim whose welcome message cannot be updated stands, and the public answer says so', async () => {
    const opener = t.member('stale');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const fault = e.discord.faults.set(`PATCH /channels/${ticket.channelId}/messages/${ticket.welcomeMessageId}`, { status: 403, code: 50001 }, 1);
    const claimed = await t.ticket(staff, ticket.channelId, 'claim');
    const answer = await t.done(claimed.payload.id);
    expect(fault.hits).toBe(1);
    expect(answer.flags ?? 0).toBe(0);
    expect(answer.content).toBe(
      `🙋 <@${staff}> claimed this ticket and will help you from here.\n-# The welcome message could not be updated (Deskwire cannot access that channel. Give the bot the View Channel permission there.); it catches up with the next change.`,
    );
    expect(await t.get(ticket.number)).toMatchObject({ claimedBy: staff });
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe('Nobody yet');
    // The next change brings the welcome message in line.
    await t.done((await t.ticket(staff, ticket.channelId, 'priority', [option.string('level', 'high')])).payload.id);
    expect(t.field(t.welcome(ticket), 'Claimed by')).toBe(`<@${staff}>`);
  });

  it('priority is visible on the ticket (field and colour) and rename renames the thread', async () => {
    const opener = t.member('prio');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const set = await t.ticket(staff, ch, 'priority', [option.string('level', 'urgent')]);
    expect((await t.done(set.payload.id)).content).toBe(`Priority set to **Urgent** by <@${staff}>.`);
    expect(await t.get(ticket.number)).toMatchObject({ priority: 'urgent' });
    expect(t.field(t.welcome(ticket), 'Priority')).toBe('Urgent');
    expect(t.welcome(ticket).embeds[0].color).toBe(0xe74c3c);
    expect((await t.ticket(staff, ch, 'priority', [option.string('level', 'urgent')])).res.body).toMatchObject(ephemeral('The priority is already **Urgent**.'));

    const renamed = await t.ticket(staff, ch, 'rename', [option.string('name', '  Refund for order 42 ')]);
    expect((await t.done(renamed.payload.id)).content).toBe(`✏️ <@${staff}> renamed this ticket to **Refund for order 42**.`);
    expect(e.discord.state.channels.get(ch)!.name).toBe('Refund for order 42');
  });

  it('a rename Discord rate-limits for minutes is refused at once, privately, with when to try again', async () => {
    const opener = t.member('renamer');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const before = e.discord.state.channels.get(ch)!.name;
    // Discord allows 2 renames per channel per 10 minutes: the third waits out the window.
    const fault = e.discord.faults.set(`PATCH /channels/${ch}`, { status: 429, retryAfter: 540 }, 1);
    const started = Date.now();
    const renamed = await t.ticket(staff, ch, 'rename', [option.string('name', 'Third name')]);
    const refusal = await t.privateFailure(renamed.payload.id);
    expect(fault.hits).toBe(1);
    const at = /^Discord allows two renames per channel every 10 minutes — try again <t:(\d+):R>\.$/.exec(refusal.content);
    expect(at).not.toBeNull();
    expect(Number(at![1]) * 1000).toBeGreaterThanOrEqual(started + 530_000);
    expect(Number(at![1]) * 1000).toBeLessThanOrEqual(Date.now() + 545_000);
    expect(refusal.flags).toBe(64);
    expect(e.discord.state.channels.get(ch)!.name).toBe(before);
    expect(e.discord.messagesIn(ch).some((m) => m.content.includes('renamed this ticket'))).toBe(false);
  });

  it('"Keep it open" on an auto-close warning is activity: the due time moves', async () => {
    await t.settings({ autoCloseHours: 48, autoCloseWarnHours: 12 });
    try {
      const opener = t.member('keeper');
      const ticket = await t.open(opener);
      const kept = await t.press(opener, ticket.channelId, `dw1:ticket-keep:${ticket.number}`);
      expect(kept.res.body).toMatchObject({ type: 7, data: { content: `✅ <@${opener}> kept this ticket open.`, components: [] } });
      const { Item } = await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(t.guildId, ticket.number), ConsistentRead: true }));
      expect(Item).toMatchObject({ dueKind: 'DUE#autoclose', dueAt: Item!.lastActivityAt + 36 * 3_600_000 });
    } finally {
      await t.settings({ autoCloseHours: null });
    }
  });

  it('auto-close turned on later reaches tickets already open: `/config tickets` has the worker schedule them from their last activity', async () => {
    await t.settings({ autoCloseHours: null });
    const raw = async (n: number) => (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(t.guildId, n), ConsistentRead: true }))).Item!;
    const config = (options: Parameters<typeof option.subcommand>[1]) => runCommand(e, e.world.userId, 'config', [option.subcommand('tickets', options)]);
    try {
      const ticket = await t.open(t.member('idler'));
      const before = await raw(ticket.number);
      expect(before.dueKind).toBeUndefined();

      const on = await config([option.integer('auto_close_hours', 48), option.integer('auto_close_warn_hours', 12)]);
      expect(t.content(on.res)).toMatch(/^Saved\. Tickets already open follow the new auto-close setting from their last activity\.\n\*\*Ticket settings\*\*/);
      const scheduled = await eventually(async () => ((await raw(ticket.number)).dueKind ? raw(ticket.number) : undefined), 5000, 'the open ticket scheduled');
      expect(scheduled).toMatchObject({ dueKind: 'DUE#autoclose', dueAt: before.lastActivityAt + 36 * 3_600_000, lastActivityAt: before.lastActivityAt });

      // Other settings leave the schedule alone; auto-close off takes open tickets out of the index.
      expect(t.content((await config([option.integer('close_delay_seconds', 0)])).res)).toMatch(/^Saved\.\n/);
      await config([option.integer('auto_close_hours', 0)]);
      await eventually(async () => (await raw(ticket.number)).dueKind === undefined, 5000, 'the open ticket unscheduled');
    } finally {
      await t.settings({ autoCloseHours: null });
    }
  });

  it('channel mode: member and role overwrites, staff roles protected, channel renamed', async () => {
    const parent = e.discord.createChannel(t.guildId, { name: 'Tickets', type: ChannelType.GuildCategory });
    await data.category(t.guildId, { id: 'chan', name: 'Channel tickets', mode: 'channel', parentId: parent.id, limits: { perMember: 5, cooldownMinutes: 0, totalOpen: null } });
    const opener = t.member('chanopener');
    const staff = t.staff();
    const guest = t.member('changuest');
    const ticket = await t.open(opener, 'chan');
    const ch = ticket.channelId;
    expect(e.discord.state.channels.get(ch)).toMatchObject({ type: 0, parent_id: parent.id });
    const overwrite = (id: string) => e.discord.state.channels.get(ch)!.permission_overwrites?.find((o) => o.id === id);

    await t.done((await t.ticket(staff, ch, 'add', [option.user('member', { id: guest }, { roles: [] })])).payload.id);
    expect(overwrite(guest)).toMatchObject({ type: 1 });
    expect(BigInt(overwrite(guest)!.allow) & 1024n).toBe(1024n); // VIEW_CHANNEL
    await t.done((await t.ticket(staff, ch, 'remove', [option.user('member', { id: guest }, { roles: [] })])).payload.id);
    expect(overwrite(guest)).toBeUndefined();

    const role = e.discord.createRole(t.guildId, { name: 'Billing team' });
    const addRole = await t.ticket(staff, ch, 'add_role', [option.role('role', role)]);
    expect((await t.done(addRole.payload.id)).content).toBe(`➕ <@${staff}> gave <@&${role.id}> access to this ticket.`);
    expect(overwrite(role.id)).toMatchObject({ type: 0 });
    await t.done((await t.ticket(staff, ch, 'remove_role', [option.role('role', role)])).payload.id);
    expect(overwrite(role.id)).toBeUndefined();
    expect((await t.ticket(staff, ch, 'remove_role', [option.role('role', { id: e.world.guild.supportRoleId! })])).res.body).toMatchObject(
      ephemeral(`<@&${e.world.guild.supportRoleId}> is a staff role for this ticket; staff roles are changed with \`/setup\`.`),
    );
    expect((await t.ticket(staff, ch, 'add_role', [option.role('role', { id: t.guildId })])).res.body).toMatchObject(
      ephemeral('@everyone cannot be given access to a ticket: every member would see it.'),
    );

    await t.done((await t.ticket(staff, ch, 'rename', [option.string('name', 'Billing: Order 42')])).payload.id);
    expect(e.discord.state.channels.get(ch)!.name).toBe('billing-order-42');
  });

  it('blacklist add / list / remove; a blacklisted member is refused; staff cannot be blacklisted', async () => {
    const staff = t.staff('mod');
    const spammer = t.member('spammer');
    const blacklist = (sub: string, options: Parameters<typeof option.subcommand>[1] = []) =>
      runCommand(e, staff, 'ticket', [option.group('blacklist', [option.subcommand(sub, options)])]);
    expect((await blacklist('list')).res.body).toMatchObject(ephemeral('Nobody is on the ticket blacklist.'));
    expect((await blacklist('add', [option.user('member', { id: spammer }, { roles: [] }), option.string('reason', 'Spamming tickets')])).res.body).toMatchObject(
      ephemeral(`🚫 <@${spammer}> can no longer open tickets here. Reason: Spamming tickets`),
    );
    expect(await data.store.blacklistEntry(t.guildId, spammer)).toEqual({ reason: 'Spamming tickets' });
    const listed = t.content((await blacklist('list')).res)!;
    expect(listed).toMatch(new RegExp(`^\\*\\*Ticket blacklist\\*\\* \\(1\\)\\n• <@${spammer}> — Spamming tickets \\(by <@${staff}>, <t:\\d+:R>\\)$`));

    const refused = await runCommand(e, spammer, 'ticket', [option.subcommand('open')]);
    expect(refused.res.body).toMatchObject(ephemeral('You cannot open tickets in this server. Reason: Spamming tickets If you think this is a mistake, contact the server staff.'));

    const otherStaff = t.staff();
    expect((await blacklist('add', [option.user('member', { id: otherStaff }, { roles: [e.world.guild.supportRoleId!] })])).res.body).toMatchObject(
      ephemeral(`<@${otherStaff}> is ticket staff and cannot be blacklisted.`),
    );

    expect((await blacklist('remove', [option.user('member', { id: spammer }, { roles: [] })])).res.body).toMatchObject(ephemeral(`✅ <@${spammer}> can open tickets again.`));
    expect((await blacklist('remove', [option.user('member', { id: spammer }, { roles: [] })])).res.body).toMatchObject(ephemeral(`<@${spammer}> is not on the ticket blacklist.`));
    const opened = await t.open(spammer, 'general');
    expect(opened.status).toBe('open');
  });
});
