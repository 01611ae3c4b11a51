import { ChannelType, type APIMessage } from 'discord-api-types/v10';
import { option } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startPostHogSink } from '../support/posthog-sink';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { runCommand, ticketData } from '../support/tickets';

describe('closing, rating, close requests and reopening through signed interactions', () => {
  let e: E2E;
  let sink: Awaited<ReturnType<typeof startPostHogSink>>;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let logChannel: string;
  beforeAll(async () => {
    sink = await startPostHogSink();
    e = await startE2E('tickets-close', { env: { POSTHOG_API_KEY: 'phc_local', POSTHOG_HOST: sink.url } });
    data = ticketData(e);
    t = ticketWork(e, data);
    logChannel = await t.setup();
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
    await sink.close();
  });

  const ephemeral = (content: string) => ({ type: 4, data: { flags: 64, content } });
  const archived = (channelId: string) => e.discord.waitFor(() => e.discord.state.channels.get(channelId)?.thread_metadata?.archived === true && e.discord.state.channels.get(channelId)!.thread_metadata!.locked);
  /** `/ticket close`, then the button on the confirmation. */
  async function closeWithConfirmation(userId: string, channelId: string, reason?: string) {
    const asked = await t.ticket(userId, channelId, 'close', reason ? [option.string('reason', reason)] : []);
    const confirmation = e.discord.originalMessage(asked.payload.id)!;
    const n = /#(\d+)/.exec(confirmation.content)![1];
    const pressed = await t.press(userId, channelId, `dw1:close-confirm:${Number(n)}`, confirmation);
    return { asked, confirmation, pressed };
  }

  it('staff close with a confirmation: row closed with reason and closer, slots released, thread locked and archived, log entry, feedback DM', async () => {
    const opener = t.member('closee');
    const staff = t.staff('closer');
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    expect((await t.slot(opener))?.openNumbers).toEqual(new Set([ticket.number]));

    // The confirmation is ephemeral and carries the reason; Cancel leaves the ticket open.
    const first = await t.ticket(staff, ch, 'close', [option.string('reason', 'Solved by a refund')]);
    expect(first.res.body).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: `Close ticket #${String(ticket.number).padStart(4, '0')}? Its thread will be locked and archived.`,
        embeds: [{ title: 'Reason', description: 'Solved by a refund' }],
        components: [{ type: 1, components: [{ custom_id: `dw1:close-confirm:${ticket.number}` }, { custom_id: `dw1:close-cancel:${ticket.number}` }] }],
      },
    });
    const cancel = await t.press(staff, ch, `dw1:close-cancel:${ticket.number}`, e.discord.originalMessage(first.payload.id));
    expect(cancel.res.body).toEqual({ type: 7, data: { content: 'Cancelled: the ticket stays open.', embeds: [], components: [] } });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });

    const { pressed } = await closeWithConfirmation(staff, ch, 'Solved by a refund');
    expect(pressed.res.body).toEqual({ type: 6 });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'closed', closedBy: staff, closeReason: 'Solved by a refund', closedAt: expect.any(Number) });
    // The slot is released at once, in the same transaction: the member can open again.
    expect((await t.slot(opener))?.openNumbers).toBeUndefined();

    const final = await t.edited(pressed.payload.id);
    expect(final).toMatchObject({ content: `🔒 Ticket #${String(ticket.number).padStart(4, '0')} is closed.`, components: [] });
    await archived(ch);
    expect(await eventually(async () => (await t.get(ticket.number)).archivedAt, 5000, 'archivedAt')).toEqual(expect.any(Number));

    const notice = e.discord.messagesIn(ch).find((m) => m.content.startsWith('🔒'))!;
    expect(notice.content).toBe(`🔒 Ticket #${String(ticket.number).padStart(4, '0')} was closed by <@${staff}>.\n**Reason:** Solved by a refund\nThis thread will be locked and archived now.`);
    expect(t.customIds(t.welcome(ticket))).toEqual([]);
    expect(t.field(t.welcome(ticket), 'Closed')).toBe(`by <@${staff}>`);
    expect(e.discord.messagesIn(logChannel).map((m) => m.content)).toContain(
      `🔒 Ticket #${String(ticket.number).padStart(4, '0')} (<#${ch}>) opened by <@${opener}> was closed by <@${staff}>. Reason: Solved by a refund`,
    );
    const [dm] = t.dmsOf(opener);
    expect(dm.content).toBe(`Your ticket #${String(ticket.number).padStart(4, '0')} in **${e.world.guild.guild.name}** was closed. How was the support you got? Rate it from 1 to 5 stars.`);
    expect(t.customIds(dm)).toEqual([1, 2, 3, 4, 5].map((s) => `dw1:rate:${t.guildId}:${ticket.number}:${s}`));
    // The transcript hand-over ran for this close.
    expect(await eventually(async () => (await t.get(ticket.number)).transcriptStatus, 5000, 'transcript hand-over')).toBe('pending');

    // A closed ticket refuses work, and a second close.
    expect((await t.ticket(staff, ch, 'claim')).res.body).toMatchObject(ephemeral(`Ticket #${String(ticket.number).padStart(4, '0')} is already closed.`));
    expect((await t.ticket(staff, ch, 'close')).res.body).toMatchObject(ephemeral(`Ticket #${String(ticket.number).padStart(4, '0')} is already closed.`));

    const again = await t.open(opener);
    expect(again.number).toBeGreaterThan(ticket.number);

    // Telemetry: guild id and category id, never user ids or the reason.
    await eventually(async () => sink.events.some((x) => x.event === 'ticket_closed' && x.properties.source === 'staff'), 10_000, 'ticket_closed');
    expect(sink.events.find((x) => x.event === 'ticket_closed')?.properties).toMatchObject({ guild_id: t.guildId, category_id: 'general', mode: 'thread', source: 'staff' });
  });

  it('the opener rates from the DM (1–5) and adds a comment; nobody else can', async () => {
    const opener = t.member('rater');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const { pressed } = await closeWithConfirmation(staff, ticket.channelId);
    await t.edited(pressed.payload.id);
    const dmChannel = t.dmChannelOf(opener);
    const prompt = t.dmsOf(opener).at(-1)!;

    const stranger = t.member('stranger');
    const refused = await t.press(stranger, ticket.channelId, `dw1:rate:${t.guildId}:${ticket.number}:1`, prompt);
    expect(refused.res.body).toMatchObject(ephemeral('Only the member who opened this ticket can give feedback on it.'));

    const rated = await t.press(opener, dmChannel, `dw1:rate:${t.guildId}:${ticket.number}:4`, prompt);
    expect(rated.res.body).toMatchObject({ type: 7, data: { content: `Thanks! You rated ticket #${String(ticket.number).padStart(4, '0')} ⭐⭐⭐⭐ (4/5). Add a comment if you like.` } });
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4, feedback: null });
    const updated = e.discord.messagesIn(dmChannel).find((m) => m.id === prompt.id)!;
    expect(t.customIds(updated)).toEqual([`dw1:rate-comment:${t.guildId}:${ticket.number}`]);

    const modal = await t.press(opener, dmChannel, `dw1:rate-comment:${t.guildId}:${ticket.number}`, updated);
    expect(modal.res.body).toMatchObject({ type: 9, data: { custom_id: `dw1:rate-feedback:${t.guildId}:${ticket.number}`, components: [{ type: 18, component: { custom_id: 'comment', style: 2 } }] } });
    const sent = await t.submit(opener, dmChannel, `dw1:rate-feedback:${t.guildId}:${ticket.number}`, { comment: 'Quick and friendly, thanks!' }, updated);
    expect(sent.res.body).toMatchObject({ type: 7, data: { content: `Thanks for your feedback on ticket #${String(ticket.number).padStart(4, '0')}!`, components: [] } });
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4, feedback: 'Quick and friendly, thanks!' });
  });

  it('the opener closing their own ticket follows the guild setting; others are refused', async () => {
    const opener = t.member('selfcloser');
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    await t.settings({ openerCanClose: false });
    expect((await t.ticket(opener, ch, 'close')).res.body).toMatchObject(ephemeral('Only ticket staff can close tickets in this server. Ask them here, or wait for them to close it.'));
    expect((await t.press(opener, ch, `dw1:ticket-close:${ticket.number}`, t.welcome(ticket))).res.body).toMatchObject(
      ephemeral('Only ticket staff can close tickets in this server. Ask them here, or wait for them to close it.'),
    );
    // A confirmation shown before the setting changed does not get around it.
    await t.settings({ openerCanClose: true });
    const asked = await t.press(opener, ch, `dw1:ticket-close:${ticket.number}`, t.welcome(ticket));
    expect(asked.res.body).toMatchObject({ type: 4, data: { flags: 64, components: [{ components: [{ custom_id: `dw1:close-confirm:${ticket.number}` }, {}] }] } });
    await t.settings({ openerCanClose: false });
    const early = await t.press(opener, ch, `dw1:close-confirm:${ticket.number}`, e.discord.originalMessage(asked.payload.id));
    expect(early.res.body).toMatchObject(ephemeral('Only ticket staff can close tickets in this server. Ask them here, or wait for them to close it.'));
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });

    await t.settings({ openerCanClose: true });
    const { pressed } = await closeWithConfirmation(opener, ch);
    await t.edited(pressed.payload.id);
    expect(await t.get(ticket.number)).toMatchObject({ status: 'closed', closedBy: opener, closeReason: null });
    await eventually(async () => sink.events.some((x) => x.event === 'ticket_closed' && x.properties.source === 'opener'), 10_000, 'opener close telemetry');
  });

  it('close request: only the opener answers; decline keeps it open, accept closes it with the reason', async () => {
    const opener = t.member('asked');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const request = async (reason: string) => {
      const { payload, res } = await t.ticket(staff, ch, 'close-request', [option.string('reason', reason)]);
      expect(res.body).toMatchObject({
        type: 4,
        data: { content: `<@${opener}>, <@${staff}> would like to close this ticket. Is everything sorted?`, embeds: [{ title: 'Reason', description: reason }], allowed_mentions: { users: [opener] } },
      });
      expect((res.body as { data: { flags?: number } }).data.flags).toBeUndefined();
      return e.discord.originalMessage(payload.id)!;
    };

    const first = await request('Looks done');
    expect((await t.press(staff, ch, `dw1:close-accept:${ticket.number}`, first)).res.body).toMatchObject(
      ephemeral(`Only <@${opener}>, who opened this ticket, can answer this close request.`),
    );
    const declined = await t.press(opener, ch, `dw1:close-decline:${ticket.number}`, first);
    expect(declined.res.body).toMatchObject({ type: 7, data: { content: `<@${opener}> would like to keep this ticket open.`, components: [] } });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });

    const second: APIMessage = await request('Refund sent');
    const accepted = await t.press(opener, ch, `dw1:close-accept:${ticket.number}`, second);
    expect(accepted.res.body).toEqual({ type: 6 });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'closed', closedBy: opener, closeReason: 'Refund sent' });
    expect(await t.edited(accepted.payload.id)).toMatchObject({ content: `✅ <@${opener}> agreed to close this ticket.`, components: [] });
    await archived(ch);
  });

  it('reopen within the window (in the thread or by number) re-takes the slot; refused after it, and while the opener has another ticket', async () => {
    const opener = t.member('reopener');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const label = `#${String(ticket.number).padStart(4, '0')}`;
    expect((await t.ticket(staff, ch, 'reopen')).res.body).toMatchObject(ephemeral(`Ticket ${label} is not closed.`));
    await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
    await archived(ch);

    // Reopened from inside the archived thread.
    const reopened = await t.ticket(staff, ch, 'reopen');
    expect(reopened.res.body).toEqual({ type: 5, data: { flags: 64 } });
    expect((await t.done(reopened.payload.id)).content).toBe(`🔓 Ticket ${label} is open again: <#${ch}>`);
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open', closedAt: null, reopenedBy: staff });
    expect(e.discord.state.channels.get(ch)!.thread_metadata).toMatchObject({ archived: false, locked: false });
    expect(e.discord.threadMembersOf(ch)).toContain(opener);
    expect(t.customIds(t.welcome(ticket))).toEqual([`dw1:ticket-close:${ticket.number}`, `dw1:ticket-claim:${ticket.number}`]);
    expect((await t.slot(opener))?.openNumbers).toEqual(new Set([ticket.number]));
    expect(e.discord.messagesIn(ch).at(-1)!.content).toBe(`🔓 <@${opener}>, ticket ${label} was reopened by <@${staff}>.`);
    const limited = await runCommand(e, opener, 'ticket', [option.subcommand('open')]);
    expect(limited.res.body).toMatchObject(ephemeral(`You already have an open **General** ticket: <#${ch}>. Please continue there.`));

    // Closed again; the member opens another ticket; reopening the first would exceed the limit.
    await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
    const other = await t.open(opener);
    const byNumber = await t.ticket(staff, e.world.channelId, 'reopen', [option.integer('number', ticket.number)]);
    expect(byNumber.res.body).toMatchObject(ephemeral(`<@${opener}> already has an open ticket in **General** (<#${other.channelId}>), so this one cannot be reopened.`));
    await t.edited((await closeWithConfirmation(staff, other.channelId)).pressed.payload.id);

    // By number from the support channel, within the window.
    const fromOutside = await t.ticket(staff, e.world.channelId, 'reopen', [option.integer('number', ticket.number)]);
    expect((await t.done(fromOutside.payload.id)).content).toBe(`🔓 Ticket ${label} is open again: <#${ch}>`);
    await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);

    // After the window (24 h by default): refused.
    await t.closedHoursAgo(ticket.number, 25);
    expect((await t.ticket(staff, ch, 'reopen')).res.body).toMatchObject(ephemeral(`Ticket ${label} closed more than 24 hours ago and can no longer be reopened. Open a new ticket instead.`));
    expect((await t.ticket(staff, e.world.channelId, 'reopen', [option.integer('number', 99999)])).res.body).toMatchObject(ephemeral('There is no ticket #99999 in this server.'));
  });

  it('channel mode: the channel is deleted after the close delay (a delayed queue message)', async () => {
    const parent = e.discord.createChannel(t.guildId, { name: 'Ticket channels', type: ChannelType.GuildCategory });
    await data.category(t.guildId, { id: 'chanclose', name: 'Channel close', mode: 'channel', parentId: parent.id });
    await t.settings({ closeDelaySeconds: 1 });
    try {
      const opener = t.member('chancloser');
      const staff = t.staff();
      const ticket = await t.open(opener, 'chanclose');
      const { pressed } = await closeWithConfirmation(staff, ticket.channelId, 'Done');
      await t.edited(pressed.payload.id);
      const closedAt = Date.now();
      expect(e.discord.messagesIn(ticket.channelId).at(-1)!.content).toMatch(/^🔒 .*\nThis channel will be deleted <t:\d+:R>\.$/s);
      // Still there right after the close; gone after the delay.
      expect(e.discord.state.channels.has(ticket.channelId)).toBe(true);
      await e.discord.waitFor(() => !e.discord.state.channels.has(ticket.channelId), 5000);
      expect(Date.now() - closedAt).toBeGreaterThanOrEqual(500);
      // A deleted ticket channel cannot come back.
      await eventually(async () => Boolean((await t.get(ticket.number)).archivedAt), 5000, 'archivedAt');
      expect((await t.ticket(staff, e.world.channelId, 'reopen', [option.integer('number', ticket.number)])).res.body).toMatchObject(
        ephemeral(`The channel of ticket #${String(ticket.number).padStart(4, '0')} was deleted when it closed, so it cannot be reopened. Open a new ticket instead.`),
      );
    } finally {
      await t.settings({ closeDelaySeconds: 0 });
    }
  });

  it('claim telemetry carries guild and category ids only', async () => {
    const opener = t.member('tele');
    const staff = t.staff();
    const ticket = await t.open(opener);
    await t.done((await t.ticket(staff, ticket.channelId, 'claim')).payload.id);
    await eventually(async () => sink.events.some((x) => x.event === 'ticket_claimed'), 10_000, 'ticket_claimed');
    expect(sink.events.find((x) => x.event === 'ticket_claimed')?.properties).toMatchObject({ guild_id: t.guildId, category_id: 'general' });
    const everything = sink.rawBodies.join('\n');
    for (const secret of [opener, staff, 'Solved by a refund', 'Quick and friendly']) expect(everything).not.toContain(secret);
  });
});
