import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIMessage } from 'discord-api-types/v10';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { editCategory } from '../../lambdas/shared/tickets/categories';
import { DEFAULT_CATEGORY_LIMITS, type Category, type SupportHours } from '../../lambdas/shared/tickets/model';
import { applySetup } from '../../lambdas/shared/tickets/setup';
import { componentInteraction, messageContextInteraction, option, type OptionInput } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startPostHogSink } from '../support/posthog-sink';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

type Body = { type: number; data?: { content?: string; flags?: number; custom_id?: string; components?: Array<{ components: Array<{ custom_id: string; options?: Array<{ value: string }> }> }> } };

describe('ticket limits, support hours, the message context menu and ticket_opened telemetry', () => {
  let e: E2E;
  let sink: Awaited<ReturnType<typeof startPostHogSink>>;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let g: string;
  beforeAll(async () => {
    sink = await startPostHogSink();
    e = await startE2E('tickets-limits', { env: { POSTHOG_API_KEY: 'phc_local', POSTHOG_HOST: sink.url } });
    data = ticketData(e);
    t = ticketWork(e, data);
    g = t.guildId;
    await t.setup();
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
    await sink.close();
  });

  const body = (res: { body: unknown }) => res.body as Body;
  const ephemeral = (content: string) => ({ type: 4, data: { flags: 64, content } });
  const label = (n: number) => `#${String(n).padStart(4, '0')}`;
  /** The category item's raw `openCount` (what the total cap is checked against). */
  const openCount = async (categoryId: string) =>
    (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(g, categoryId), ConsistentRead: true }))).Item?.openCount ?? 0;
  const rawCategory = async (categoryId: string) => (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(g, categoryId), ConsistentRead: true }))).Item;
  const openIn = (userId: string, categoryId: string) => runCommand(e, userId, 'ticket', [option.subcommand('open', [option.string('category', categoryId)])]);
  /** Staff runs `/ticket close` in the ticket and presses Confirm; the row is closed when this returns. */
  async function closeTicket(staff: string, ticket: { number: number; channelId: string }) {
    const asked = await t.ticket(staff, ticket.channelId, 'close');
    const pressed = await t.press(staff, ticket.channelId, `dw1:close-confirm:${ticket.number}`, e.discord.originalMessage(asked.payload.id));
    expect(pressed.res.body).toEqual({ type: 6 });
    await t.edited(pressed.payload.id);
    expect(await t.get(ticket.number)).toMatchObject({ status: 'closed' });
  }
  /** `/category …` by the guild owner: the reply's text (the worker's, when panels are re-rendered). */
  async function categoryCommand(sub: string, options: OptionInput[]) {
    const { payload, res } = await runCommand(e, e.world.userId, 'category', [option.subcommand(sub, options)]);
    expect(body(res)).toMatchObject({ data: { flags: 64 } });
    return body(res).type === 5 ? (await finalReply(e, payload.id)).content : body(res).data!.content!;
  }
  const threadOf = async (interactionId: string) => {
    const reply = await finalReply(e, interactionId);
    const channelId = /<#(\d+)>/.exec(reply.content)?.[1];
    if (!channelId) throw new Error(`no ticket: ${reply.content}`);
    return (await data.store.ticketByChannel(channelId))! as Awaited<ReturnType<typeof t.open>>;
  };
  const aboutMessage = (ticket: { channelId: string; welcomeMessageId: string | null }) => t.field(t.welcome(ticket), 'About this message');

  describe('"Open a ticket about this message"', () => {
    let target: APIMessage;
    let url: string;
    const contextMenu = async (userId: string) => {
      const payload = messageContextInteraction({ ...e.discord.interactionContext({ guildId: g, channelId: e.world.channelId, userId }), name: 'Open a ticket about this message', target });
      return { payload, res: await e.discord.sendInteraction(payload) };
    };
    beforeAll(() => {
      target = e.discord.postMessage(e.world.channelId, e.world.userId, { content: 'My order never arrived' });
      url = `https://discord.com/channels/${g}/${e.world.channelId}/${target.id}`;
    });

    it('with one category: the ticket opens at once and its welcome links the message', async () => {
      expect((await data.store.listCategories(g)).map((c) => c.id)).toEqual(['general']);
      const member = t.member('ctx-one');
      const { payload, res } = await contextMenu(member);
      expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
      const ticket = await threadOf(payload.id);
      expect(ticket).toMatchObject({ categoryId: 'general', aboutMessageUrl: url });
      expect(aboutMessage(ticket)).toBe(url);
    });

    it('with two categories or more: the select carries the message, and the ticket (or the form) keeps it', async () => {
      await data.category(g, { id: 'shipping', name: 'Shipping' });
      await data.category(g, { id: 'returns', name: 'Returns', questions: [{ id: 'order', label: 'Order number', style: 'short', required: true }] });
      const member = t.member('ctx-two');
      const asked = await contextMenu(member);
      const select = body(asked.res).data!.components![0].components[0];
      expect(body(asked.res)).toMatchObject({ type: 4, data: { flags: 64, content: 'What is your ticket about?' } });
      expect(select.custom_id).toBe(`dw1:open-select:${e.world.channelId}:${target.id}`);
      expect(select.custom_id.length).toBeLessThanOrEqual(100);
      expect(select.options!.map((o) => o.value)).toEqual(['general', 'shipping', 'returns']);

      const choose = (value: string) => {
        const payload = componentInteraction({ ...e.discord.interactionContext({ guildId: g, channelId: e.world.channelId, userId: member }), customId: select.custom_id, componentType: 3, values: [value], message: e.discord.originalMessage(asked.payload.id) } as never);
        return e.discord.sendInteraction(payload).then((res) => ({ payload, res }));
      };
      const shipping = await choose('shipping');
      expect(shipping.res.body).toEqual({ type: 5, data: { flags: 64 } });
      const ticket = await threadOf(shipping.payload.id);
      expect(ticket).toMatchObject({ categoryId: 'shipping', aboutMessageUrl: url });
      expect(aboutMessage(ticket)).toBe(url);

      // A category with a form: the modal's custom_id carries the message on to the submission.
      const returns = await choose('returns');
      expect(body(returns.res)).toMatchObject({ type: 9, data: { custom_id: `dw1:open-form:returns:${e.world.channelId}:${target.id}` } });
      const submitted = await t.submit(member, e.world.channelId, body(returns.res).data!.custom_id!, { order: 'A-1' });
      const withForm = await threadOf(submitted.payload.id);
      expect(withForm).toMatchObject({ categoryId: 'returns', aboutMessageUrl: url });
      expect(aboutMessage(withForm)).toBe(url);
    });
  });

  it('a category’s openCount stays true through open → close → reopen → close', async () => {
    await data.category(g, { id: 'counted', name: 'Counted' });
    const staff = t.staff('count-staff');
    const [a, b] = [t.member('count-a'), t.member('count-b')];
    const first = await t.open(a, 'counted');
    expect(await openCount('counted')).toBe(1);
    const second = await t.open(b, 'counted');
    expect(await openCount('counted')).toBe(2);

    await closeTicket(staff, first);
    expect(await openCount('counted')).toBe(1);
    await eventually(async () => (await t.get(first.number)).archivedAt, 5000, 'archived');
    const reopened = await t.ticket(staff, first.channelId, 'reopen');
    expect((await t.done(reopened.payload.id)).content).toBe(`🔓 Ticket ${label(first.number)} is open again: <#${first.channelId}>`);
    expect(await openCount('counted')).toBe(2);

    await closeTicket(staff, first);
    await closeTicket(staff, second);
    expect(await openCount('counted')).toBe(0);
  });

  it('the total cap refuses a new ticket while the category is full, and frees up when one closes', async () => {
    await data.category(g, { id: 'capped', name: 'Capped', limits: { perMember: 1, cooldownMinutes: 0, totalOpen: 1 } });
    const staff = t.staff('cap-staff');
    const first = await t.open(t.member('cap-a'), 'capped');
    const late = t.member('cap-b');
    expect((await openIn(late, 'capped')).res.body).toMatchObject(ephemeral('**Capped** has reached its limit of 1 open tickets. Please try again later.'));
    expect(await openCount('capped')).toBe(1);
    await closeTicket(staff, first);
    expect((await t.open(late, 'capped')).categoryId).toBe('capped');
    expect(await openCount('capped')).toBe(1);
  });

  it('the cooldown refuses a second ticket and says when the member can open another', async () => {
    await data.category(g, { id: 'cooling', name: 'Cooling', limits: { perMember: 3, cooldownMinutes: 30, totalOpen: null } });
    const member = t.member('cooler');
    const before = Date.now();
    await t.open(member, 'cooling');
    const after = Date.now();
    const refused = body((await openIn(member, 'cooling')).res);
    expect(refused).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^You recently opened a \*\*Cooling\*\* ticket\. You can open another <t:\d+:R>\.$/) } });
    const at = Number(/<t:(\d+):R>/.exec(refused.data!.content!)![1]);
    expect(at).toBeGreaterThanOrEqual(Math.floor((before + 30 * 60_000) / 1000));
    expect(at).toBeLessThanOrEqual(Math.ceil((after + 30 * 60_000) / 1000));
  });

  describe('support hours, with “now” outside them', () => {
    // Every day but today and tomorrow (UTC), so a run across midnight is still outside.
    const today = ((new Date().getUTCDay() + 6) % 7) + 1;
    const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today && d !== (today % 7) + 1);
    const hours = (outside: SupportHours['outside']): SupportHours => ({ timeZone: 'UTC', days, start: '00:00', end: '24:00', outside });

    it('warn: the ticket opens and its welcome says support is closed, with the hours', async () => {
      await data.category(g, { id: 'after-hours', name: 'After hours', hours: hours('warn') });
      const ticket = await t.open(t.member('night-owl'), 'after-hours');
      const description = t.welcome(ticket).embeds[0].description!;
      expect(description).toMatch(/^Support is closed right now, so replies may take longer\. Opening hours: .+, 00:00–24:00 \(UTC\)\.$/);
    });

    it('refuse: a clear refusal with the hours, and no ticket', async () => {
      await data.category(g, { id: 'office', name: 'Office', hours: hours('refuse') });
      const member = t.member('too-late');
      const { res } = await openIn(member, 'office');
      expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^Support for \*\*Office\*\* is closed right now\. Opening hours: .+, 00:00–24:00 \(UTC\)\.$/) } });
      expect(await openCount('office')).toBe(0);
      expect(await t.slot(member, 'office')).toBeUndefined();
    });
  });

  it('ticket_opened carries the guild id and category id, never the category name, member names or answers', async () => {
    const secretName = 'Zebra Refunds Desk';
    const answer = 'ORDER-QX-77319';
    await data.category(g, { id: 'tm-cat', name: secretName, questions: [{ id: 'order', label: 'Wombat question', style: 'short', required: true }] });
    const username = 'quokka-opener';
    const member = t.member(username);
    const asked = await openIn(member, 'tm-cat');
    expect(body(asked.res)).toMatchObject({ type: 9, data: { custom_id: 'dw1:open-form:tm-cat' } });
    const submitted = await t.submit(member, e.world.channelId, 'dw1:open-form:tm-cat', { order: answer });
    const ticket = await threadOf(submitted.payload.id);

    const opened = await eventually(async () => sink.events.find((x) => x.event === 'ticket_opened' && x.properties.guild_id === g && x.properties.mode === 'thread'), 10_000, 'ticket_opened');
    expect(opened.distinct_id).toBe(`guild:${g}`);
    // The category travels as an opaque value: its id is a slug of the name.
    expect(opened.properties).toMatchObject({ guild_id: g, category_id: expect.stringMatching(/^c_[0-9a-f]{12}$/), mode: 'thread' });
    expect(sink.rawBodies.join('\n')).not.toContain('tm-cat');
    const everything = sink.rawBodies.join('\n');
    for (const secret of [secretName, 'Zebra', 'Wombat question', answer, username, member, ticket.channelId]) expect(everything).not.toContain(secret);
  });

  describe('deleting a category never frees its id', () => {
    it('delete and re-create with the same name: a new id, its own count, and a total cap of 1 holds', async () => {
      const created = await categoryCommand('create', [option.string('name', 'Refunds')]);
      expect(created).toMatch(/^Created \*\*Refunds\*\* \(id `refunds`\)\./);
      const staff = t.staff('refund-staff');
      const old = await t.open(t.member('refund-old'), 'refunds');
      expect(await openCount('refunds')).toBe(1);

      const deleted = await categoryCommand('delete', [option.string('category', 'refunds')]);
      expect(deleted).toMatch(/^Deleted \*\*Refunds\*\*\./);
      expect(await rawCategory('refunds')).toMatchObject({ deletedAt: expect.any(Number), openCount: 1 });
      expect(await data.store.getCategory(g, 'refunds')).toBeNull();
      expect((await data.store.listCategories(g)).map((c) => c.id)).not.toContain('refunds');

      const again = await categoryCommand('create', [option.string('name', 'Refunds'), option.integer('total_cap', 1)]);
      const newId = /\(id `([^`]+)`\)/.exec(again)![1];
      expect(newId).toMatch(/^refunds-[a-z0-9]{4}$/);
      expect(await openCount(newId)).toBe(0);

      // Closing the old ticket counts on the old (deleted) category, not the new one.
      await closeTicket(staff, old);
      expect(await openCount('refunds')).toBe(0);
      expect(await openCount(newId)).toBe(0);

      // The new category's cap of 1: one ticket, then a refusal.
      const fresh = await t.open(t.member('refund-new'), newId);
      expect(fresh.categoryId).toBe(newId);
      expect((await openIn(t.member('refund-late'), newId)).res.body).toMatchObject(ephemeral('**Refunds** has reached its limit of 1 open tickets. Please try again later.'));
      expect(await openCount(newId)).toBe(1);

      // An old panel button naming the deleted id does not come back to life.
      const stale = await t.press(t.member('refund-stale'), e.world.channelId, 'dw1:open:refunds');
      expect(stale.res.body).toMatchObject(ephemeral('That ticket category no longer exists. Pick another one, or ask the staff.'));
      // The tombstone cannot be deleted again, nor edited back to life.
      expect(await data.store.deleteCategory(g, 'refunds', Date.now())).toBe(false);
      expect(await data.store.saveCategory(g, { ...(await data.store.getCategory(g, newId))!, id: 'refunds' })).toBe(false);
      expect(await rawCategory('refunds')).toMatchObject({ deletedAt: expect.any(Number), openCount: 0 });
    });

    it('an edit racing a delete does not bring the category back', async () => {
      await data.category(g, { id: 'racing', name: 'Racing' });
      const seen = (await data.store.getCategory(g, 'racing'))!;
      expect(await data.store.deleteCategory(g, 'racing', Date.now())).toBe(true);
      expect(await data.store.deleteCategory(g, 'racing', Date.now())).toBe(false);
      // The edit read the category before the delete landed.
      const stale = Object.assign(Object.create(data.store) as typeof data.store, { getCategory: async () => seen });
      await expect(editCategory(g, 'racing', { description: 'Fast' }, { tickets: stale, clock: { now: () => Date.now() } })).rejects.toThrow(
        'That category was deleted while you were changing it, so nothing was saved. See `/category list`.',
      );
      expect(await data.store.saveCategory(g, seen)).toBe(false);
      expect(await data.store.getCategory(g, 'racing')).toBeNull();
      expect(await rawCategory('racing')).not.toHaveProperty('description', 'Fast');
      // Nor does a save create a category that never existed.
      expect(await data.store.saveCategory(g, { ...seen, id: 'never-made' })).toBe(false);
      expect(await rawCategory('never-made')).toBeUndefined();
    });

    it('/setup in a server whose General was deleted makes a new General with a new id', async () => {
      const guildId = `9${Date.now()}${Math.floor(Math.random() * 1e3)}`;
      const setup = () =>
        applySetup(
          { guildId, staffRoleId: '42', mode: 'thread', supportChannelId: '43', ticketCategoryId: null, logChannelId: null, transcriptChannelId: null, appPermissions: null, now: Date.now() },
          { tickets: data.store },
        );
      expect((await setup()).createdDefaultCategory).toBe(true);
      expect((await data.store.listCategories(guildId)).map((c) => c.id)).toEqual(['general']);
      expect((await setup()).createdDefaultCategory).toBe(false);
      expect(await data.store.deleteCategory(guildId, 'general', Date.now())).toBe(true);
      expect((await setup()).createdDefaultCategory).toBe(true);
      const [general] = await data.store.listCategories(guildId);
      expect(general).toMatchObject({ name: 'General', id: expect.stringMatching(/^general-[a-z0-9]{4}$/) });
    });
  });

  it('abandoning a reservation never takes openCount below 0', async () => {
    const category: Category = { id: 'drifted', name: 'Drifted', emoji: null, description: null, staffRoleIds: [], mode: null, parentId: null, nameTemplate: 'ticket-{number}', questions: [], limits: DEFAULT_CATEGORY_LIMITS, hours: null, createdAt: Date.now() };
    await data.category(g, category);
    const opener = t.member('drift');
    const reserved = await data.store.reserveTicket({ guildId: g, category, openerId: opener, mode: 'thread', answers: [], aboutMessageUrl: null, now: Date.now() });
    if (!reserved.ok) throw new Error(reserved.reason);
    expect(await openCount('drifted')).toBe(1);
    // A count that drifted to 0 (e.g. data from before this fix).
    await data.db.send(new UpdateCommand({ TableName: e.stack.resources.tableName, Key: Keys.category(g, 'drifted'), UpdateExpression: 'SET openCount = :z', ExpressionAttributeValues: { ':z': 0 } }));
    await data.store.abandonTicket(reserved.ticket, null);
    expect(await openCount('drifted')).toBe(0);
    expect(await data.store.getTicket(g, reserved.ticket.number)).toBeNull();
    expect((await t.slot(opener, 'drifted'))?.openNumbers).toBeUndefined();
    await data.store.abandonTicket(reserved.ticket, null); // a retried job: nothing changes
    expect(await openCount('drifted')).toBe(0);
  });
});
