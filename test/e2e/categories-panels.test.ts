import type { APIMessage } from 'discord-api-types/v10';
import { DynamoPanelStore } from '../../lambdas/shared/adapters/dynamo-panel-store';
import { PermissionFlagsBits } from '../../lambdas/shared/discord-constants';
import { autocompleteInteraction, componentInteraction, option, type OptionInput } from '../../local/discord';
import { startE2E, type E2E } from '../support/stack';
import { finalReply, newMember, runCommand, setupThreadMode, ticketData } from '../support/tickets';

type Body = { type: number; data?: { content?: string; flags?: number; embeds?: Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }> }>; choices?: Array<{ name: string; value: unknown }> } };
type Component = { type: number; custom_id?: string; label?: string; options?: Array<{ value: string; label: string }>; components?: Component[] };

describe('/category and /panel through signed interactions', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let panels: DynamoPanelStore;
  let g: string;
  let panelChannel: { id: string; type: 0; name: string };

  /** A command by the guild owner (Manage Server); the endpoint's answer. */
  const admin = async (name: string, options: OptionInput[]) => {
    const { payload, res } = await runCommand(e, e.world.userId, name, options);
    return { id: payload.id, body: res.body as Body };
  };
  const text = (body: Body) => body.data?.content ?? '';
  /** A deferred admin command's final text (the worker's edit). */
  const deferred = async (name: string, options: OptionInput[]) => {
    const r = await admin(name, options);
    expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
    return (await finalReply(e, r.id)).content;
  };
  const cat = (sub: string, options: OptionInput[] = []) => admin('category', [option.subcommand(sub, options)]);
  const form = (sub: string, options: OptionInput[]) => admin('category', [option.group('form', [option.subcommand(sub, options)])]);
  const hours = (sub: string, options: OptionInput[]) => admin('category', [option.group('hours', [option.subcommand(sub, options)])]);
  const panelMessage = (channelId: string, messageId: string) => e.discord.messagesIn(channelId).find((m) => m.id === messageId)!;
  const components = (m: APIMessage) => (m.components ?? []) as unknown as Component[];
  const buttonIds = (m: APIMessage) => components(m).flatMap((row) => (row.components ?? []).map((c) => c.custom_id));
  const autocomplete = async (name: string, options: OptionInput[]) =>
    (await e.discord.sendInteraction(autocompleteInteraction({ ...e.discord.interactionContext({ guildId: g, channelId: e.world.channelId, userId: e.world.userId }), name, options }))).body as Body;
  const click = async (member: string, message: APIMessage, customId: string, values?: string[]) => {
    const ctx = e.discord.interactionContext({ guildId: g, channelId: message.channel_id, userId: member });
    const payload = componentInteraction({ ...ctx, customId, message, ...(values ? { componentType: 3, values } : {}) } as never);
    return { payload, body: (await e.discord.sendInteraction(payload)).body as Body };
  };

  beforeAll(async () => {
    e = await startE2E('categories-panels');
    data = ticketData(e);
    panels = new DynamoPanelStore(data.db, e.stack.resources.tableName);
    g = e.world.guild.id;
    const channel = e.discord.createChannel(g, { name: 'open-a-ticket', parentId: e.world.guild.textCategoryId });
    panelChannel = { id: channel.id, type: 0, name: 'open-a-ticket' };
    await setupThreadMode(e);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  it('refuses members without Manage Server, and saves nothing', async () => {
    const member = newMember(e, 'not-admin');
    for (const [name, options] of [
      ['category', [option.subcommand('create', [option.string('name', 'Sneaky')])]],
      ['panel', [option.subcommand('create', [option.channel('channel', panelChannel)])]],
    ] as const) {
      const { res } = await runCommand(e, member, name, [...options]);
      expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'You need the **Manage Server** permission to do that.' } });
    }
    expect((await data.store.listCategories(g)).map((c) => c.name)).toEqual(['General']);
    expect(await panels.listPanels(g)).toEqual([]);
  });

  it('/category create saves every setting with a stable short id; a taken slug gets a suffix', async () => {
    const role = e.discord.createRole(g, { name: 'Billing team' });
    const { body } = await cat('create', [
      option.string('name', 'Billing'),
      option.string('emoji', '💳'),
      option.string('description', 'Payments and refunds'),
      option.string('name_template', 'billing-{number}'),
      option.integer('per_member', 2),
      option.integer('cooldown_minutes', 10),
      option.integer('total_cap', 50),
      option.role('staff_role', role),
    ]);
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(text(body)).toContain('Created **💳 Billing** (id `billing`).');
    expect(text(body)).toContain('• Limits: 2 open per member · 10 min cooldown · at most 50 open');
    expect(await data.store.getCategory(g, 'billing')).toMatchObject({
      id: 'billing',
      name: 'Billing',
      emoji: '💳',
      description: 'Payments and refunds',
      staffRoleIds: [role.id],
      mode: null,
      parentId: null,
      nameTemplate: 'billing-{number}',
      questions: [],
      limits: { perMember: 2, cooldownMinutes: 10, totalOpen: 50 },
      hours: null,
    });

    const clash = await cat('create', [option.string('name', 'billing')]);
    expect(text(clash.body)).toBe('There is already a category named **Billing**. Pick another name.');
    const suffixed = await cat('create', [option.string('name', 'Billing!')]);
    const id = /id `([^`]+)`/.exec(text(suffixed.body))![1];
    expect(id).toMatch(/^billing-[a-z0-9]{4}$/);
    expect((await data.store.getCategory(g, id))?.name).toBe('Billing!');
  });

  it('refuses invalid settings with a precise message', async () => {
    const category = e.discord.createChannel(g, { name: 'Tickets', type: 4 });
    const cases: Array<[OptionInput[], string]> = [
      [[option.string('name', 'Sales'), option.string('mode', 'channel')], 'Channel mode needs a parent and `/setup` has no ticket category: add `parent:` with a category (the ticket channels go into it).'],
      [[option.string('name', 'Sales'), option.channel('parent', { id: category.id, type: 4, name: 'Tickets' })], 'In thread mode the parent must be a text channel (the private threads live under it).'],
      [[option.string('name', 'Sales'), option.string('emoji', 'money')], '“money” is not an emoji. Use one emoji such as 🎫, or a server emoji (type `:` and pick it).'],
      [[option.string('name', 'Sales'), option.string('name_template', 'sales')], 'The name template needs `{number}` or `{username}`, so tickets can be told apart (e.g. `billing-{number}`).'],
      [[option.string('name', 'x'.repeat(81))], 'A category name can have at most 80 characters (it has 81).'],
      [[option.string('name', 'Sales'), option.integer('per_member', 0)], '`per_member` must be a whole number from 1 to 20.'],
    ];
    for (const [options, message] of cases) expect((await cat('create', options)).body).toMatchObject({ type: 4, data: { flags: 64, content: message } });
    // Channel mode with a category as parent is fine.
    const ok = await cat('create', [option.string('name', 'Sales'), option.string('mode', 'channel'), option.channel('parent', { id: category.id, type: 4, name: 'Tickets' })]);
    expect(text(ok.body)).toContain(`• Mode: channels in <#${category.id}>`);
    expect(await data.store.getCategory(g, 'sales')).toMatchObject({ mode: 'channel', parentId: category.id });
  });

  it('/category edit changes only what is given (the id stays); autocomplete finds categories', async () => {
    const ac = await autocomplete('category', [option.subcommand('edit', [option.string('category', 'bill', true)])]);
    expect(ac.data?.choices?.map((c) => c.value)).toEqual(['billing', expect.stringMatching(/^billing-/)]);
    const { body } = await cat('edit', [option.string('category', 'billing'), option.string('name', 'Payments'), option.string('clear', 'total_cap'), option.integer('cooldown_minutes', 0)]);
    expect(text(body)).toContain('Updated **💳 Payments**.');
    expect(await data.store.getCategory(g, 'billing')).toMatchObject({ name: 'Payments', emoji: '💳', nameTemplate: 'billing-{number}', limits: { perMember: 2, cooldownMinutes: 0, totalOpen: null } });
    expect(text((await cat('edit', [option.string('category', 'billing')])).body)).toBe('Nothing to change: add at least one option to `/category edit`.');
    expect(text((await cat('edit', [option.string('category', 'nope'), option.string('name', 'x')])).body)).toBe('There is no category “nope”. Pick one from the list, or see `/category list`.');
    // By name works too (an admin who typed instead of picking).
    expect(text((await cat('edit', [option.string('category', 'payments'), option.string('emoji', '🧾')])).body)).toContain('Updated **🧾 Payments**.');
  });

  it('/category form: add up to 5 questions within Discord limits, remove, clear; the modal asks them', async () => {
    const add = (label: string, extra: OptionInput[] = []) => form('add', [option.string('category', 'billing'), option.string('label', label), ...extra]);
    expect(text((await add('Order number', [option.integer('min_length', 4), option.integer('max_length', 12), option.string('placeholder', 'A-1234')])).body)).toBe(
      'Added the question. Form of **🧾 Payments** (1/5 questions):\n1. **Order number** — short, required, 4–12 characters, placeholder “A-1234”',
    );
    expect(text((await add('x'.repeat(46))).body)).toBe('A question label can have at most 45 characters (it has 46).');
    expect(text((await add('Amount', [option.integer('min_length', 10), option.integer('max_length', 5)])).body)).toBe('`min_length` (10) cannot be more than `max_length` (5).');
    expect(text((await add('Note', [option.string('placeholder', 'p'.repeat(101))])).body)).toBe('A placeholder can have at most 100 characters (it has 101).');
    for (const label of ['What happened?', 'When?', 'Amount', 'Anything else?']) await add(label, label === 'What happened?' ? [option.string('style', 'paragraph'), option.boolean('required', false)] : []);
    expect(text((await add('Sixth')).body)).toBe("A form can have at most 5 questions (Discord's limit for a modal). Remove one first with `/category form remove`.");

    const ac = await autocomplete('category', [option.group('form', [option.subcommand('remove', [option.string('category', 'billing'), option.integer('question', 0, true)])])]);
    expect(ac.data?.choices?.map((c) => c.name)).toEqual(['1. Order number', '2. What happened?', '3. When?', '4. Amount', '5. Anything else?']);
    expect(text((await form('remove', [option.string('category', 'billing'), option.integer('question', 3)])).body)).toContain('Removed “When?”. Form of **🧾 Payments** (4/5 questions):');
    expect(text((await form('remove', [option.string('category', 'billing'), option.integer('question', 9)])).body)).toBe('**🧾 Payments** has questions 1 to 4; there is no question 9.');
    const stored = (await data.store.getCategory(g, 'billing'))!;
    expect(stored.questions.map((q) => [q.id, q.label, q.style, q.required])).toEqual([
      ['q1', 'Order number', 'short', true],
      ['q2', 'What happened?', 'paragraph', false],
      ['q4', 'Amount', 'short', true],
      ['q5', 'Anything else?', 'short', true],
    ]);
    expect(stored.questions[0]).toMatchObject({ minLength: 4, maxLength: 12, placeholder: 'A-1234' });

    const { res } = await runCommand(e, newMember(e, 'form-viewer'), 'ticket', [option.subcommand('open', [option.string('category', 'billing')])]);
    expect(res.body).toMatchObject({ type: 9, data: { custom_id: 'dw1:open-form:billing', components: [{ component: { custom_id: 'q1', min_length: 4, max_length: 12, placeholder: 'A-1234' } }, {}, {}, {}] } });

    expect(text((await form('clear', [option.string('category', 'billing')])).body)).toBe('Removed every question. **🧾 Payments** has no form now: tickets open without questions.');
    expect((await data.store.getCategory(g, 'billing'))!.questions).toEqual([]);
  });

  it('/category hours: validates the time zone (Intl), days and times; set and clear', async () => {
    const set = (over: Record<string, string>) =>
      hours('set', [
        option.string('category', 'billing'),
        ...Object.entries({ timezone: 'Europe/Berlin', days: 'mon-fri', start: '09:00', end: '17:00', ...over }).map(([k, v]) => option.string(k, v)),
      ]);
    expect(text((await set({ timezone: 'Mars/Olympus' })).body)).toBe('“Mars/Olympus” is not a time zone. Use an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`.');
    expect(text((await set({ days: 'weekdayz' })).body)).toBe('“weekdayz” is not a day or a range of days. Write e.g. `mon-fri`, `mon,wed,fri` or `every day`.');
    expect(text((await set({ start: '25:00' })).body)).toBe('`start` must be a time like `09:00` or `17:30` (24-hour clock).');
    const ok = await set({ timezone: 'europe/berlin', start: '9:00', outside: 'refuse' });
    expect(text(ok.body)).toMatch(/^Support hours for \*\*🧾 Payments\*\*: Mon–Fri, 09:00–17:00 \(Europe\/Berlin\); outside them members are refused\. Right now support is \*\*(open|closed)\*\*\.$/);
    expect((await data.store.getCategory(g, 'billing'))!.hours).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', outside: 'refuse' });
    const ac = await autocomplete('category', [option.group('hours', [option.subcommand('set', [option.string('category', 'billing'), option.string('timezone', 'berl', true)])])]);
    expect(ac.data?.choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
    expect(text((await hours('clear', [option.string('category', 'billing')])).body)).toBe('**🧾 Payments** has no support hours now: members can open tickets at any time.');
    expect((await data.store.getCategory(g, 'billing'))!.hours).toBeNull();
  });

  it('/category list shows every category with its settings, or one in full', async () => {
    const all = await cat('list');
    const embed = all.body.data!.embeds![0];
    expect(embed.title).toBe('Ticket categories (4)');
    expect(embed.fields!.map((f) => f.name)).toEqual(['🎫 General · general', '🧾 Payments · billing', expect.stringMatching(/^Billing! · billing-/), 'Sales · sales']);
    expect(embed.fields![1].value).toContain('*Payments and refunds*');
    expect(embed.fields![1].value).toContain(`• Mode: private threads under <#${e.world.channelId}> (mode and parent from /setup)`);
    const one = await cat('list', [option.string('category', 'general')]);
    expect(one.body.data!.embeds![0]).toMatchObject({ title: '🎫 General · general', description: expect.stringContaining('**Form** (0/5)') });
  });

  let buttonsPanel: { id: string; messageId: string };

  it('/panel create posts an embed with a button per category; the row records the message', async () => {
    const reply = await deferred('panel', [
      option.subcommand('create', [option.channel('channel', panelChannel), option.string('title', 'Need help?'), option.string('color', '#ff8800'), option.string('categories', 'general, billing')]),
    ]);
    const [stored] = await panels.listPanels(g);
    expect(reply).toBe(`Panel **Need help?** posted in <#${panelChannel.id}>: https://discord.com/channels/${g}/${panelChannel.id}/${stored.messageId}`);
    expect(stored).toMatchObject({ channelId: panelChannel.id, channelName: 'open-a-ticket', title: 'Need help?', color: 0xff8800, categoryIds: ['general', 'billing'], style: 'auto' });
    const message = panelMessage(panelChannel.id, stored.messageId!);
    expect(message.embeds[0]).toMatchObject({ title: 'Need help?', color: 0xff8800 });
    expect(components(message)).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'General', custom_id: 'dw1:open:general', emoji: { name: '🎫' } },
          { type: 2, style: 1, label: 'Payments', custom_id: 'dw1:open:billing', emoji: { name: '🧾' } },
        ],
      },
    ]);
    buttonsPanel = { id: stored.id, messageId: stored.messageId! };
  });

  it('clicking a panel button opens a ticket (deferred → ready link)', async () => {
    const member = newMember(e, 'panel-clicker');
    const message = panelMessage(panelChannel.id, buttonsPanel.messageId);
    const customId = buttonIds(message)[0]!;
    const { payload, body } = await click(member, message, customId);
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    const reply = await finalReply(e, payload.id);
    expect(reply.content).toMatch(/^Your ticket #\d{4} is ready: <#\d+>$/);
    const threadId = /<#(\d+)>/.exec(reply.content)![1];
    expect(await data.store.ticketByChannel(threadId)).toMatchObject({ categoryId: 'general', openerId: member, status: 'open' });
  });

  it('the bot missing a permission in the panel channel → a clear message, and no panel is left', async () => {
    const locked = e.discord.createChannel(g, {
      name: 'read-only',
      parentId: e.world.guild.textCategoryId,
      overwrites: [{ id: e.discord.applicationId, type: 1, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }],
    });
    const reply = await deferred('panel', [option.subcommand('create', [option.channel('channel', { id: locked.id, type: 0, name: 'read-only' })])]);
    expect(reply).toBe(`Deskwire cannot post in <#${locked.id}>: give it **View Channel**, **Send Messages** and **Embed Links** there, then try again. The panel was not created.`);
    expect((await panels.listPanels(g)).map((p) => p.channelId)).toEqual([panelChannel.id]);
    expect(e.discord.messagesIn(locked.id)).toEqual([]);
  });

  let selectPanel: { id: string; messageId: string };

  it('more than 5 categories: a select menu; choosing one opens a ticket; a new category appears on "all" panels', async () => {
    for (const name of ['Bugs', 'Ideas']) await cat('create', [option.string('name', name)]);
    const reply = await deferred('panel', [option.subcommand('create', [option.channel('channel', panelChannel), option.string('title', 'Everything')])]);
    const stored = (await panels.listPanels(g)).find((p) => p.title === 'Everything')!;
    expect(reply).toContain(`Panel **Everything** posted in <#${panelChannel.id}>`);
    expect(stored.categoryIds).toBeNull();
    let message = panelMessage(panelChannel.id, stored.messageId!);
    const [row] = components(message);
    expect(row.components).toHaveLength(1);
    expect(row.components![0]).toMatchObject({ type: 3, custom_id: 'dw1:open-select' });
    expect(row.components![0].options!.map((o) => o.label)).toEqual(['General', 'Payments', 'Billing!', 'Sales', 'Bugs', 'Ideas']);
    selectPanel = { id: stored.id, messageId: stored.messageId! };

    const member = newMember(e, 'select-user');
    const { payload, body } = await click(member, message, 'dw1:open-select', ['bugs']);
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    expect((await finalReply(e, payload.id)).content).toMatch(/is ready/);

    // A new category: the interaction defers, the worker re-renders the "all" panel (not the other).
    const created = await deferred('category', [option.subcommand('create', [option.string('name', 'Partners'), option.string('emoji', '🤝')])]);
    expect(created).toMatch(/^Created \*\*🤝 Partners\*\* \(id `partners`\)\./);
    expect(created).toContain(`Panel **Everything** updated in <#${panelChannel.id}>`);
    expect(created).not.toContain('Need help?');
    message = panelMessage(panelChannel.id, selectPanel.messageId);
    expect(components(message)[0].components![0].options!.map((o) => o.value)).toContain('partners');
  });

  it('/panel edit re-renders the posted message in place', async () => {
    const ac = await autocomplete('panel', [option.subcommand('edit', [option.string('panel', 'need', true)])]);
    expect(ac.data?.choices).toEqual([{ name: 'Need help? · #open-a-ticket', value: buttonsPanel.id }]);
    const catAc = await autocomplete('panel', [option.subcommand('edit', [option.string('panel', buttonsPanel.id), option.string('categories', 'general, bu', true)])]);
    expect(catAc.data?.choices).toEqual([{ name: 'General, Bugs', value: 'general, bugs' }]);

    const reply = await deferred('panel', [
      option.subcommand('edit', [option.string('panel', buttonsPanel.id), option.string('title', 'Support desk'), option.string('description', 'Pick a topic.\\nWe answer within a day.'), option.string('style', 'select')]),
    ]);
    expect(reply).toBe(`Panel **Support desk** updated in <#${panelChannel.id}>: https://discord.com/channels/${g}/${panelChannel.id}/${buttonsPanel.messageId}`);
    const message = panelMessage(panelChannel.id, buttonsPanel.messageId);
    expect(message.embeds[0]).toMatchObject({ title: 'Support desk', description: 'Pick a topic.\nWe answer within a day.' });
    expect(components(message)[0].components![0]).toMatchObject({ type: 3, custom_id: 'dw1:open-select', options: [{ value: 'general' }, { value: 'billing' }] });
    expect(await panels.getPanel(g, buttonsPanel.id)).toMatchObject({ title: 'Support desk', style: 'select', messageId: buttonsPanel.messageId });
    expect(text((await admin('panel', [option.subcommand('edit', [option.string('panel', buttonsPanel.id), option.string('color', 'blue')])])).body)).toBe('“blue” is not a color: use a hex code like `#5865F2`.');
  });

  it('a panel whose message was deleted by hand is re-posted on edit, with the new id stored', async () => {
    const res = await fetch(`${e.discord.apiBaseUrl}/v10/channels/${panelChannel.id}/messages/${buttonsPanel.messageId}`, { method: 'DELETE', headers: { authorization: `Bot ${e.discord.botToken}` } });
    expect(res.status).toBe(204);
    const reply = await deferred('panel', [option.subcommand('edit', [option.string('panel', 'Support desk'), option.string('style', 'buttons')])]);
    const stored = (await panels.getPanel(g, buttonsPanel.id))!;
    expect(stored.messageId).not.toBe(buttonsPanel.messageId);
    expect(reply).toBe(`Panel **Support desk** re-posted in <#${panelChannel.id}> (its message had been deleted): https://discord.com/channels/${g}/${panelChannel.id}/${stored.messageId}`);
    expect(buttonIds(panelMessage(panelChannel.id, stored.messageId!))).toEqual(['dw1:open:general', 'dw1:open:billing']);
    buttonsPanel.messageId = stored.messageId!;
  });

  it('deleting a category: allowed with open tickets, dropped from panels, which are re-rendered', async () => {
    // An open ticket in the category outlives it.
    const member = newMember(e, 'billing-member');
    const opened = await click(member, panelMessage(panelChannel.id, buttonsPanel.messageId), 'dw1:open:billing');
    const threadId = /<#(\d+)>/.exec((await finalReply(e, opened.payload.id)).content)![1];

    const reply = await deferred('category', [option.subcommand('delete', [option.string('category', 'billing')])]);
    expect(reply.split('\n')).toEqual([
      'Deleted **🧾 Payments**. Members can no longer choose it; tickets already open in it keep working and can be closed as usual.',
      expect.stringMatching(new RegExp(`^Panel \\*\\*Support desk\\*\\* updated in <#${panelChannel.id}>`)),
      expect.stringMatching(new RegExp(`^Panel \\*\\*Everything\\*\\* updated in <#${panelChannel.id}>`)),
    ]);
    expect(await data.store.getCategory(g, 'billing')).toBeNull();
    expect((await panels.getPanel(g, buttonsPanel.id))!.categoryIds).toEqual(['general']);
    expect(buttonIds(panelMessage(panelChannel.id, buttonsPanel.messageId))).toEqual(['dw1:open:general']);
    expect(components(panelMessage(panelChannel.id, selectPanel.messageId))[0].components![0].options!.map((o) => o.value)).not.toContain('billing');
    expect(await data.store.ticketByChannel(threadId)).toMatchObject({ categoryId: 'billing', status: 'open' });
    // An old button still pointing at it gets a clear answer.
    const stale = await click(newMember(e, 'late-clicker'), panelMessage(panelChannel.id, selectPanel.messageId), 'dw1:open:billing');
    expect(stale.body).toMatchObject({ type: 4, data: { flags: 64, content: 'That ticket category no longer exists. Pick another one, or ask the staff.' } });
    expect(text((await cat('delete', [option.string('category', 'billing')])).body)).toBe('There is no category “billing”. Pick one from the list, or see `/category list`.');
  });

  it('/panel list, moving a panel to another channel, and /panel delete', async () => {
    const list = await admin('panel', [option.subcommand('list')]);
    const embed = list.body.data!.embeds![0];
    expect(embed.title).toBe('Panels (2)');
    expect(embed.fields![0]).toMatchObject({ name: 'Support desk', value: expect.stringContaining('Offers: 🎫 General') });
    expect(embed.fields![1].value).toContain('Shown as: a select menu');

    const other = e.discord.createChannel(g, { name: 'help', parentId: e.world.guild.textCategoryId });
    const moved = await deferred('panel', [option.subcommand('edit', [option.string('panel', selectPanel.id), option.channel('channel', { id: other.id, type: 0, name: 'help' })])]);
    const stored = (await panels.getPanel(g, selectPanel.id))!;
    expect(moved).toBe(`Panel **Everything** moved to <#${other.id}>: https://discord.com/channels/${g}/${other.id}/${stored.messageId}`);
    expect(stored).toMatchObject({ channelId: other.id, channelName: 'help' });
    expect(e.discord.messagesIn(panelChannel.id).map((m) => m.id)).not.toContain(selectPanel.messageId);

    const deleted = await deferred('panel', [option.subcommand('delete', [option.string('panel', selectPanel.id)])]);
    expect(deleted).toBe(`Panel **Everything** deleted, and its message removed from <#${other.id}>.`);
    expect(e.discord.messagesIn(other.id)).toEqual([]);
    expect(await panels.getPanel(g, selectPanel.id)).toBeNull();
    expect(text((await admin('panel', [option.subcommand('delete', [option.string('panel', selectPanel.id)])])).body)).toBe(`There is no panel “${selectPanel.id}”. Pick one from the list, or see \`/panel list\`.`);
  });
});
