import { commandInteraction } from '../../local/discord';
import { publishGatewayEvent } from '../../local/sandbox';
import { eventually } from '../support/eventually';
import { startPostHogSink } from '../support/posthog-sink';
import { startE2E, type E2E } from '../support/stack';

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
});
