import { commandInteraction, option } from '../../local/discord';
import { publishGatewayEvent } from '../../local/sandbox';
import { eventually } from '../support/eventually';
import { startPostHogSink } from '../support/posthog-sink';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

describe('telemetry through the whole stack', () => {
  let e: E2E;
  let sink: Awaited<ReturnType<typeof startPostHogSink>>;
  beforeAll(async () => {
    sink = await startPostHogSink();
    e = await startE2E('telemetry', { env: { POSTHOG_API_KEY: 'phc_local', POSTHOG_HOST: sink.url } });
  });
  afterAll(async () => {
    await e.close();
    await sink.close();
  });

  it('sends event names keyed by guild id, and never message content, user names or user ids', async () => {
    const g = e.world.guild.id;
    const now = Date.now();
    await publishGatewayEvent(e.stack, { type: 'guild.create', guildId: g, ownerId: e.world.userId, joinedAt: new Date(now).toISOString(), at: now });
    const payload = commandInteraction({ ...e.discord.interactionContext({ guildId: g, channelId: e.world.channelId, userId: e.world.userId }), name: 'status' });
    await e.discord.sendInteraction(payload);

    await eventually(async () => sink.events.some((x) => x.event === 'command_used') && sink.events.some((x) => x.event === 'guild_installed'), 10_000, 'telemetry');
    expect(sink.events.map((x) => [x.event, x.distinct_id])).toEqual(
      expect.arrayContaining([
        ['guild_installed', `guild:${g}`],
        ['command_used', `guild:${g}`],
      ]),
    );
    expect(sink.events.find((x) => x.event === 'command_used')?.properties).toMatchObject({ guild_id: g, job: 'status.report' });

    const everything = sink.rawBodies.join('\n');
    const user = e.discord.state.users.get(e.world.userId)!.user;
    const secrets = [user.username, user.global_name, e.world.userId, e.world.guild.guild.name, payload.token].filter((s): s is string => typeof s === 'string' && s.length > 0);
    expect(secrets).toEqual(expect.arrayContaining([user.username, e.world.userId, payload.token]));
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('sends an opaque, stable category value: no part of a category name (nor its slug) leaves', async () => {
    const data = ticketData(e);
    const t = ticketWork(e, data);
    try {
      await t.setup();
      const name = 'Harassment reports';
      const created = await runCommand(e, e.world.userId, 'category', [option.subcommand('create', [option.string('name', name)])]);
      expect((await finalReply(e, created.payload.id)).content).toContain(name);
      const [category] = (await data.store.listCategories(t.guildId)).filter((c) => c.name === name);
      expect(category!.id).toMatch(/^harassment/);

      const staff = t.staff();
      const first = await t.open(t.member(), category!.id);
      await t.done((await t.ticket(staff, first.channelId, 'claim')).payload.id);
      const closing = await t.ticket(staff, first.channelId, 'close');
      await t.press(staff, first.channelId, `dw1:close-confirm:${first.number}`, e.discord.originalMessage(closing.payload.id));
      await t.open(t.member(), category!.id);

      const ofTicket = ['ticket_opened', 'ticket_claimed', 'ticket_closed'];
      await eventually(async () => ofTicket.every((ev) => sink.events.some((x) => x.event === ev)) && sink.events.filter((x) => x.event === 'ticket_opened').length >= 2, 10_000, 'ticket events');
      const events = sink.events.filter((x) => ofTicket.includes(x.event));
      const values = new Set(events.map((x) => x.properties.category_id));
      // One category, one value on every event, so PostHog can still break down by category.
      expect(values.size).toBe(1);
      expect([...values][0]).toMatch(/^c_[0-9a-f]{12}$/);
      for (const x of events) expect(x.properties).toMatchObject({ guild_id: t.guildId });
      const everything = sink.rawBodies.join('\n').toLowerCase();
      for (const part of [name, ...name.split(' '), category!.id, 'harass']) expect(everything).not.toContain(part.toLowerCase());
    } finally {
      data.destroy();
    }
  });
});
