import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ChannelType, type APIMessage } from 'discord-api-types/v10';
import { RestDiscordApi } from '../../lambdas/shared/adapters/discord-rest';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { systemClock } from '../../lambdas/shared/clock';
import type { DiscordApi } from '../../lambdas/shared/ports/discord';
import { archiveClosedTicket } from '../../lambdas/shared/tickets/close-ticket';
import { finishReopen, undoReopen } from '../../lambdas/shared/tickets/apply-ticket-change';
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
    // The buttons name this close (its time, base 36): they never rate a later one.
    const { closedAt } = await t.get(ticket.number);
    expect(t.customIds(dm)).toEqual([1, 2, 3, 4, 5].map((s) => `dw1:rate:${t.guildId}:${ticket.number}:${closedAt!.toString(36)}:${s}`));
    // The transcript hand-over ran for this close: pending from the close itself, then stored.
    expect(await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'stored', 10_000, 'transcript stored')).toBe(true);

    // A closed ticket refuses work, and a second close.
    expect((await t.ticket(staff, ch, 'claim')).res.body).toMatchObject(ephemeral(`Ticket #${String(ticket.number).padStart(4, '0')} is already closed.`));
    expect((await t.ticket(staff, ch, 'close')).res.body).toMatchObject(ephemeral(`Ticket #${String(ticket.number).padStart(4, '0')} is already closed.`));

    const again = await t.open(opener);
    expect(again.number).toBeGreaterThan(ticket.number);

    // Telemetry: guild id and category id, never user ids or the reason.
    await eventually(async () => sink.events.some((x) => x.event === 'ticket_closed' && x.properties.source === 'staff'), 10_000, 'ticket_closed');
    expect(sink.events.find((x) => x.event === 'ticket_closed')?.properties).toMatchObject({ guild_id: t.guildId, category_id: expect.stringMatching(/^c_[0-9a-f]{12}$/), mode: 'thread', source: 'staff' });
  });

  it('the opener rates from the DM (1–5) and adds a comment; nobody else can; never while reopened, nor a later close with an old DM', async () => {
    const opener = t.member('rater');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const label = `#${String(ticket.number).padStart(4, '0')}`;
    const { pressed } = await closeWithConfirmation(staff, ticket.channelId);
    await t.edited(pressed.payload.id);
    const dmChannel = t.dmChannelOf(opener);
    const prompt = t.dmsOf(opener).at(-1)!;
    const [oneStar, , , fourStars] = t.customIds(prompt) as [string, string, string, string, string];
    const target = oneStar.split(':').slice(2, 5).join(':');

    const stranger = t.member('stranger');
    const refused = await t.press(stranger, ticket.channelId, oneStar, prompt);
    expect(refused.res.body).toMatchObject(ephemeral('Only the member who opened this ticket can give feedback on it.'));

    const rated = await t.press(opener, dmChannel, fourStars, prompt);
    expect(rated.res.body).toMatchObject({ type: 7, data: { content: `Thanks! You rated ticket ${label} ⭐⭐⭐⭐ (4/5). Add a comment if you like.` } });
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4, feedback: null });
    const updated = e.discord.messagesIn(dmChannel).find((m) => m.id === prompt.id)!;
    expect(t.customIds(updated)).toEqual([`dw1:rate-comment:${target}`]);

    const modal = await t.press(opener, dmChannel, `dw1:rate-comment:${target}`, updated);
    expect(modal.res.body).toMatchObject({ type: 9, data: { custom_id: `dw1:rate-feedback:${target}`, components: [{ type: 18, component: { custom_id: 'comment', style: 2 } }] } });
    const sent = await t.submit(opener, dmChannel, `dw1:rate-feedback:${target}`, { comment: 'Quick and friendly, thanks!' }, updated);
    expect(sent.res.body).toMatchObject({ type: 7, data: { content: `Thanks for your feedback on ticket ${label}!`, components: [] } });
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4, feedback: 'Quick and friendly, thanks!' });

    // Reopened: the prompt's buttons are refused while the ticket is open.
    const whileOpenMessage = `Ticket ${label} was reopened, so it cannot be rated now. You will be asked again when it closes.`;
    await t.done((await t.ticket(staff, ticket.channelId, 'reopen')).payload.id);
    expect((await t.press(opener, dmChannel, oneStar, prompt)).res.body).toMatchObject(ephemeral(whileOpenMessage));
    expect((await t.press(opener, dmChannel, `dw1:rate-comment:${target}`, updated)).res.body).toMatchObject(ephemeral(whileOpenMessage));
    expect((await t.submit(opener, dmChannel, `dw1:rate-feedback:${target}`, { comment: 'late' }, updated)).res.body).toMatchObject(ephemeral(whileOpenMessage));
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4, feedback: 'Quick and friendly, thanks!' });

    // Closed again: the old DM does not rate the new close; the new DM does.
    await t.edited((await closeWithConfirmation(staff, ticket.channelId)).pressed.payload.id);
    const stale = await t.press(opener, dmChannel, oneStar, prompt);
    expect(stale.res.body).toMatchObject(ephemeral(`This is about an earlier close of ticket ${label}. Use the feedback message sent when it closed last.`));
    expect(await t.get(ticket.number)).toMatchObject({ rating: 4 });
    const second = t.dmsOf(opener).at(-1)!;
    expect(second.id).not.toBe(prompt.id);
    expect((await t.press(opener, dmChannel, t.customIds(second)[1]!, second)).res.body).toMatchObject({ type: 7 });
    expect(await t.get(ticket.number)).toMatchObject({ rating: 2 });
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

  it('close request: only the opener answers; decline keeps it open, accept closes it with the reason; a request from before a reopen is refused', async () => {
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
    // The buttons carry the ticket's open period: its creation, or its last reopen (base 36).
    const period = (tk: { createdAt: number; reopenedAt?: number | null }) => (tk.reopenedAt ?? tk.createdAt).toString(36);
    const accept = `dw1:close-accept:${ticket.number}:${period(ticket)}`;
    const decline = `dw1:close-decline:${ticket.number}:${period(ticket)}`;

    const first = await request('Looks done');
    expect(t.customIds(first)).toEqual([accept, decline]);
    expect((await t.press(staff, ch, accept, first)).res.body).toMatchObject(ephemeral(`Only <@${opener}>, who opened this ticket, can answer this close request.`));
    const declined = await t.press(opener, ch, decline, first);
    expect(declined.res.body).toMatchObject({ type: 7, data: { content: `<@${opener}> would like to keep this ticket open.`, components: [] } });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });

    const second: APIMessage = await request('Refund sent');
    const accepted = await t.press(opener, ch, accept, second);
    expect(accepted.res.body).toEqual({ type: 6 });
    expect(await t.get(ticket.number)).toMatchObject({ status: 'closed', closedBy: opener, closeReason: 'Refund sent' });
    expect(await t.edited(accepted.payload.id)).toMatchObject({ content: `✅ <@${opener}> agreed to close this ticket.`, components: [] });
    await archived(ch);

    // A request left unanswered, the ticket closed by staff and reopened: its buttons are refused.
    await t.done((await t.ticket(staff, ch, 'reopen')).payload.id);
    const third = await request('Anything else?');
    await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
    await t.done((await t.ticket(staff, ch, 'reopen')).payload.id);
    const [oldAccept, oldDecline] = t.customIds(third) as [string, string];
    expect(oldAccept.split(':')[3]).not.toBe(period(await t.get(ticket.number)));
    const outdated = ephemeral('This close request is out of date: the ticket was reopened since. Staff can ask again.');
    expect((await t.press(opener, ch, oldAccept, third)).res.body).toMatchObject(outdated);
    expect((await t.press(opener, ch, oldDecline, third)).res.body).toMatchObject(outdated);
    // An id from before periods existed is refused the same way.
    expect((await t.press(opener, ch, `dw1:close-accept:${ticket.number}`, third)).res.body).toMatchObject(outdated);
    expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });
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
    expect(byNumber.res.body).toMatchObject(ephemeral(`<@${opener}> already has an open **General** ticket: <#${other.channelId}>, so this one cannot be reopened.`));
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
        ephemeral(`The channel of ticket #${String(ticket.number).padStart(4, '0')} was already removed when it closed, so it cannot be reopened. Open a new ticket instead.`),
      );
    } finally {
      await t.settings({ closeDelaySeconds: 0 });
    }
  });

  it('channel mode: a closed channel is read-only for its opener until a reopen; /config says the close delay bounds reopening', async () => {
    const parent = e.discord.createChannel(t.guildId, { name: 'Read-only tickets', type: ChannelType.GuildCategory });
    await data.category(t.guildId, { id: 'readonly', name: 'Read only', mode: 'channel', parentId: parent.id });
    const before = (await data.store.getSettings(t.guildId))!;
    await t.settings({ closeDelaySeconds: 600, reopenWindowHours: 24 });
    try {
      const opener = t.member('readonly');
      const staff = t.staff();
      const ticket = await t.open(opener, 'readonly');
      const ch = ticket.channelId;
      const SEND = 1n << 11n;
      const openerBits = () => {
        const o = e.discord.state.channels.get(ch)!.permission_overwrites!.find((x) => x.id === opener)!;
        return { allow: BigInt(o.allow), deny: BigInt(o.deny) };
      };
      expect(openerBits().allow & SEND).toBe(SEND);

      const { pressed } = await closeWithConfirmation(staff, ch, 'Read only now');
      await t.edited(pressed.payload.id);
      expect(openerBits().deny & SEND).toBe(SEND);
      expect(openerBits().allow & SEND).toBe(0n);
      expect(openerBits().allow & 1024n).toBe(1024n); // still sees it (VIEW_CHANNEL)
      expect(e.discord.state.channels.has(ch)).toBe(true);

      const reopened = await t.ticket(staff, ch, 'reopen');
      await t.done(reopened.payload.id);
      expect(await t.get(ticket.number)).toMatchObject({ status: 'open' });
      expect(openerBits().deny).toBe(0n);
      expect(openerBits().allow & SEND).toBe(SEND);

      // The guild's own mode decides the note in /config show.
      await t.settings({ mode: 'channel', ticketCategoryId: parent.id });
      const shown = await runCommand(e, e.world.userId, 'config', [option.subcommand('show')]);
      expect(t.content(shown.res)).toContain('↳ Ticket channels are deleted 600 s after closing and can be reopened only until then (the close delay, not the reopen window).');
    } finally {
      await data.store.saveSettings(t.guildId, before);
    }
  });

  describe('races and failures', () => {
    const label = (n: number) => `#${String(n).padStart(4, '0')}`;
    const raw = async (n: number) => (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(t.guildId, n), ConsistentRead: true }))).Item!;
    /** The worker's Discord adapter, against the emulator, with one method replaced. */
    const discordWith = (override: Partial<DiscordApi>): DiscordApi => Object.assign(Object.create(rest) as DiscordApi, override);
    let rest: RestDiscordApi;
    beforeAll(async () => {
      rest = new RestDiscordApi({ apiBaseUrl: e.discord.apiBaseUrl, botToken: e.discord.botToken });
      // The archive jobs the closes below queue stay out of the way; each test runs the archive itself.
      await t.settings({ closeDelaySeconds: 900 });
    });
    afterAll(() => t.settings({ closeDelaySeconds: 0 }));

    it('channel mode: once the archive job has claimed the close, a reopen is refused (even one that read the row before) and the channel goes', async () => {
      const parent = e.discord.createChannel(t.guildId, { name: 'Race channels', type: ChannelType.GuildCategory });
      await data.category(t.guildId, { id: 'racechan', name: 'Race', mode: 'channel', parentId: parent.id });
      const opener = t.member('racer');
      const staff = t.staff();
      const ticket = await t.open(opener, 'racechan');
      await t.edited((await closeWithConfirmation(staff, ticket.channelId)).pressed.payload.id);
      const seenBeforeClaim = await t.get(ticket.number);
      const category = (await data.store.getCategory(t.guildId, 'racechan'))!;

      // The racy order: the archive job has read the row; a reopen comes before it calls Discord.
      const during: unknown[] = [];
      const discord = discordWith({
        deleteChannel: async (id, reason) => {
          during.push((await t.ticket(staff, e.world.channelId, 'reopen', [option.integer('number', ticket.number)])).res.body);
          during.push(await data.store.reopenTicket(seenBeforeClaim, category, staff, Date.now(), null));
          return rest.deleteChannel(id, reason);
        },
      });
      expect(await archiveClosedTicket({ guildId: t.guildId, number: ticket.number, closedAt: seenBeforeClaim.closedAt! }, { tickets: data.store, discord, clock: systemClock })).toBe('archived');
      expect(during).toHaveLength(2);
      expect(during[0]).toMatchObject(ephemeral(`The channel of ticket ${label(ticket.number)} was already removed when it closed, so it cannot be reopened. Open a new ticket instead.`));
      expect(during[1]).toEqual({ ok: false, reason: 'archived' });
      expect(e.discord.state.channels.has(ticket.channelId)).toBe(false);
      expect(await t.get(ticket.number)).toMatchObject({ status: 'closed', closedAt: seenBeforeClaim.closedAt, archivedAt: expect.any(Number) });
      expect((await t.slot(opener, 'racechan'))?.openNumbers).toBeUndefined();

      // The other order: a reopen that committed first makes the archive job leave the channel alone.
      const second = await t.open(opener, 'racechan');
      await t.edited((await closeWithConfirmation(staff, second.channelId)).pressed.payload.id);
      const { closedAt } = await t.get(second.number);
      await t.done((await t.ticket(staff, second.channelId, 'reopen')).payload.id);
      expect(await archiveClosedTicket({ guildId: t.guildId, number: second.number, closedAt: closedAt! }, { tickets: data.store, discord: rest, clock: systemClock })).toBe('skipped');
      expect(e.discord.state.channels.has(second.channelId)).toBe(true);
      expect(await t.get(second.number)).toMatchObject({ status: 'open', archivingAt: null, archivedAt: null });
    });

    it('thread mode: a reopen that lands while the thread is being locked wins, and the lock is undone', async () => {
      const opener = t.member('threadracer');
      const staff = t.staff();
      const ticket = await t.open(opener);
      const ch = ticket.channelId;
      await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
      const { closedAt } = await t.get(ticket.number);

      // The archive job has claimed the close; the reopen commits and its worker unarchives the thread; then the lock lands.
      let raced = false;
      const discord = discordWith({
        modifyChannel: async (id, body) => {
          if (body.locked === true && !raced) {
            raced = true;
            expect((await t.done((await t.ticket(staff, ch, 'reopen')).payload.id)).content).toBe(`🔓 Ticket ${label(ticket.number)} is open again: <#${ch}>`);
          }
          return rest.modifyChannel(id, body);
        },
      });
      expect(await archiveClosedTicket({ guildId: t.guildId, number: ticket.number, closedAt: closedAt! }, { tickets: data.store, discord, clock: systemClock })).toBe('skipped');
      expect(raced).toBe(true);
      expect(e.discord.state.channels.get(ch)!.thread_metadata).toMatchObject({ archived: false, locked: false });
      expect(await t.get(ticket.number)).toMatchObject({ status: 'open', archivingAt: null, archivedAt: null });
    });

    it('a reopen Discord refuses (403 on unarchive) goes back to closed: the staff member is told, the slot released, the opener can open again', async () => {
      const opener = t.member('zombie');
      const staff = t.staff();
      const ticket = await t.open(opener);
      const ch = ticket.channelId;
      await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
      await archiveClosedTicket({ guildId: t.guildId, number: ticket.number, closedAt: (await t.get(ticket.number)).closedAt! }, { tickets: data.store, discord: rest, clock: systemClock });
      await archived(ch);

      const rule = e.discord.faults.set(`PATCH /channels/${ch}`, { status: 403, code: 50013 }, 1);
      const reopened = await t.ticket(staff, ch, 'reopen');
      expect((await t.done(reopened.payload.id)).content).toBe(
        `Ticket ${label(ticket.number)} could not be reopened, so it stays closed: Deskwire is missing a permission for this action. Run /status to see which.`,
      );
      expect(rule.hits).toBe(1);
      const row = await raw(ticket.number);
      expect(row).toMatchObject({ status: 'closed', closedBy: staff, closeReason: 'It could not be reopened' });
      expect(row.dueKind).not.toBe('DUE#autoclose');
      expect((await t.slot(opener))?.openNumbers).toBeUndefined();
      expect(e.discord.state.channels.get(ch)!.thread_metadata).toMatchObject({ archived: true, locked: true });
      expect((await t.open(opener)).number).toBeGreaterThan(ticket.number);
    });

    it('channel mode: a reopen that fails keeps the closed channel read-only for its opener (the notice refused, or a give-up after the overwrite was written)', async () => {
      const parent = e.discord.createChannel(t.guildId, { name: 'Reopen failures', type: ChannelType.GuildCategory });
      await data.category(t.guildId, { id: 'reopenfail', name: 'Reopen failures', mode: 'channel', parentId: parent.id });
      const opener = t.member('stays-readonly');
      const staff = t.staff();
      const ticket = await t.open(opener, 'reopenfail');
      const ch = ticket.channelId;
      const SEND = 1n << 11n;
      const openerBits = () => {
        const o = e.discord.state.channels.get(ch)!.permission_overwrites!.find((x) => x.id === opener)!;
        return { allow: BigInt(o.allow), deny: BigInt(o.deny) };
      };
      await t.edited((await closeWithConfirmation(staff, ch)).pressed.payload.id);
      expect(openerBits().deny & SEND).toBe(SEND);

      // Discord refuses the reopen notice: the ticket goes back to closed, and so does the channel.
      const rule = e.discord.faults.set(`POST /channels/${ch}/messages`, { status: 403, code: 50013 }, 1);
      const reopened = await t.ticket(staff, ch, 'reopen');
      expect((await t.done(reopened.payload.id)).content).toBe(`Ticket ${label(ticket.number)} could not be reopened, so it stays closed: Deskwire is missing a permission for this action. Run /status to see which.`);
      expect(rule.hits).toBe(1);
      expect(await raw(ticket.number)).toMatchObject({ status: 'closed', closeReason: 'It could not be reopened' });
      expect(openerBits().deny & SEND).toBe(SEND);
      expect(openerBits().allow & SEND).toBe(0n);

      // The overwrite written, its answer lost (a timeout), every retry failing: the give-up closes it and takes Send Messages back.
      const reopen = await data.store.reopenTicket(await t.get(ticket.number), (await data.store.getCategory(t.guildId, 'reopenfail'))!, staff, Date.now(), null);
      expect(reopen.ok).toBe(true);
      const discord = discordWith({
        setOverwrite: async (id, overwrite, reason) => {
          await rest.setOverwrite(id, overwrite, reason);
          throw new Error('The operation was aborted due to timeout');
        },
      });
      const queued: unknown[] = [];
      const deps = { tickets: data.store, discord, workQueue: { enqueue: async (job: unknown) => void queued.push(job) }, telemetry: { capture: () => undefined, captureException: () => undefined, flush: async () => undefined }, telemetryKey: 'k', clock: systemClock, log: { warn: () => undefined } };
      await expect(finishReopen(t.guildId, ticket.number, staff, deps)).rejects.toThrow(/timeout/);
      expect(openerBits().allow & SEND).toBe(SEND); // what the lost write did
      await undoReopen(await t.get(ticket.number), staff, { ...deps, discord: rest });
      expect(await raw(ticket.number)).toMatchObject({ status: 'closed', closeReason: 'It could not be reopened' });
      expect(openerBits().deny & SEND).toBe(SEND);
      expect(openerBits().allow & SEND).toBe(0n);
      expect(queued).toEqual([expect.objectContaining({ type: 'ticket.archive', number: ticket.number })]);
    });

    it('with auto-close on, the reopen itself makes the ticket due (before the worker runs)', async () => {
      await t.settings({ autoCloseHours: 48, autoCloseWarnHours: 12 });
      try {
        const opener = t.member('duesoon');
        const staff = t.staff();
        const ticket = await t.open(opener);
        await t.edited((await closeWithConfirmation(staff, ticket.channelId)).pressed.payload.id);
        await e.stack.pollers.work.stop();
        let reopened: Awaited<ReturnType<typeof t.ticket>>;
        try {
          reopened = await t.ticket(staff, ticket.channelId, 'reopen');
          expect(reopened.res.body).toEqual({ type: 5, data: { flags: 64 } });
          const row = await raw(ticket.number);
          expect(row).toMatchObject({ status: 'open', dueKind: 'DUE#autoclose', dueAt: row.reopenedAt + 36 * 3_600_000 });
        } finally {
          e.stack.pollers.work.start();
        }
        await t.done(reopened.payload.id);
      } finally {
        await t.settings({ autoCloseHours: null });
      }
    });

    it('a close confirmation whose job fails shows the error without its buttons', async () => {
      const opener = t.member('failclose');
      const staff = t.staff();
      const ticket = await t.open(opener);
      const asked = await t.ticket(staff, ticket.channelId, 'close', [option.string('reason', 'Done')]);
      const confirmation = e.discord.originalMessage(asked.payload.id)!;
      expect(t.customIds(confirmation)).toHaveLength(2);
      await e.stack.pollers.work.stop();
      let pressed: Awaited<ReturnType<typeof t.press>>;
      try {
        pressed = await t.press(staff, ticket.channelId, `dw1:close-confirm:${ticket.number}`, confirmation);
        expect(pressed.res.body).toEqual({ type: 6 });
        // Reopened before the worker gets to the close: its job ends in a user error.
        const reopened = await data.store.reopenTicket(await t.get(ticket.number), (await data.store.getCategory(t.guildId, 'general'))!, staff, Date.now(), null);
        expect(reopened.ok).toBe(true);
      } finally {
        e.stack.pollers.work.start();
      }
      const edited = await t.edited(pressed.payload.id);
      expect(edited).toMatchObject({ content: `Ticket ${label(ticket.number)} was reopened before it finished closing.`, components: [], embeds: [] });
    });
  });

  it('a close job redelivered after a late failure posts its notice, log line and feedback DM once', async () => {
    const opener = t.member('twice');
    const staff = t.staff();
    const ticket = await t.open(opener);
    const ch = ticket.channelId;
    const label = `#${String(ticket.number).padStart(4, '0')}`;
    // The last step of the first attempt (showing the outcome) fails: everything before it ran.
    const late = e.discord.faults.set(/^PATCH \/webhooks\/\d+\/[^/]+\/messages\/(@|%40)original$/, { status: 403, code: 50013 }, 1);
    const { pressed } = await closeWithConfirmation(staff, ch, 'Done twice?');
    const final = await t.edited(pressed.payload.id);
    expect(late.hits).toBe(1);
    expect(final.content).toBe(`🔒 Ticket ${label} is closed.`);
    expect(e.discord.requests(new RegExp(`^POST /channels/${ch}/messages$`)).length).toBeGreaterThanOrEqual(2);
    expect(e.discord.messagesIn(ch).filter((m) => m.content.startsWith(`🔒 Ticket ${label} was closed`))).toHaveLength(1);
    expect(e.discord.messagesIn(logChannel).filter((m) => m.content.startsWith(`🔒 Ticket ${label} (<#${ch}>)`))).toHaveLength(1);
    expect(t.dmsOf(opener).filter((m) => m.content.startsWith(`Your ticket ${label}`))).toHaveLength(1);
    await archived(ch);
  });

  it('claim telemetry carries guild and category ids only', async () => {
    const opener = t.member('tele');
    const staff = t.staff();
    const ticket = await t.open(opener);
    await t.done((await t.ticket(staff, ticket.channelId, 'claim')).payload.id);
    await eventually(async () => sink.events.some((x) => x.event === 'ticket_claimed'), 10_000, 'ticket_claimed');
    expect(sink.events.find((x) => x.event === 'ticket_claimed')?.properties).toMatchObject({ guild_id: t.guildId, category_id: expect.stringMatching(/^c_[0-9a-f]{12}$/) });
    const everything = sink.rawBodies.join('\n');
    for (const secret of [opener, staff, 'Solved by a refund', 'Quick and friendly']) expect(everything).not.toContain(secret);
  });
});
