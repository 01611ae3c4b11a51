import type { SQSClient } from '@aws-sdk/client-sqs';
import { GatewayIntentBits } from 'discord.js';
import { createServer, type AddressInfo } from 'node:net';
import type { GatewayConfig } from '../../gateway-task/src/config';
import { startGateway, type RunningGateway } from '../../gateway-task/src/gateway';
import { createJsonLogger } from '../../gateway-task/src/logger';
import guildCreate from '../fixtures/gateway/guild-create.json';
import guildDeleteRemoved from '../fixtures/gateway/guild-delete-removed.json';
import guildDeleteUnavailable from '../fixtures/gateway/guild-delete-unavailable.json';
import messageCreate from '../fixtures/gateway/message-create.json';
import { provisionForTest } from '../support/aws';
import { FakeDiscordGateway } from './support/fake-discord-gateway';
import { RecordingSender } from './support/fake-sqs';
import { createFifoQueue, receiveAll, sqsEndpoint, testSqsClient } from './support/sqs';

const GUILD = guildCreate.d.id;
const TOKEN = 'fake-bot-token.for-tests';

let env: Awaited<ReturnType<typeof provisionForTest>>;

function config(over: Partial<GatewayConfig> & Pick<GatewayConfig, 'eventsQueueUrl' | 'discordApiBaseUrl'>): GatewayConfig {
  return {
    discordToken: TOKEN,
    awsRegion: 'us-east-1',
    sqsEndpoint: sqsEndpoint(),
    tableName: env.resources.tableName,
    dynamodbEndpoint: env.endpoints.dynamodb,
    ticketRefreshSeconds: 300,
    shards: 'auto',
    healthPort: 0,
    logLevel: 'debug',
    ...over,
  };
}

/** Lets the event loop turn until `condition` holds (events arriving over loopback), without timers. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function getHealth(gw: RunningGateway): Promise<{ status: number; body: { status: string; shards: Array<{ id: number; status: string }> } }> {
  const res = await fetch(`http://127.0.0.1:${gw.healthPort}/health`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('gateway bridge: discord.js fed by a loopback Discord gateway, publishing to the SQS emulator', () => {
  let sqs: SQSClient;
  let fake: FakeDiscordGateway | undefined;
  let gw: RunningGateway | undefined;
  beforeAll(async () => {
    sqs = testSqsClient();
    env = await provisionForTest('gw-bridge');
  });
  afterEach(async () => {
    await gw?.stop();
    await fake?.close();
    gw = fake = undefined;
  });
  afterAll(() => {
    sqs.destroy();
    env.destroy();
  });

  it('identifies with the four intents, turns healthy on READY, forwards GUILD_CREATE / GUILD_DELETE and drops MESSAGE_CREATE', async () => {
    fake = await FakeDiscordGateway.start({ autoReady: false });
    const queueUrl = await createFifoQueue(sqs, 'gw-bridge');
    const sender = new RecordingSender((cmd) => sqs.send(cmd));
    const lines: string[] = [];
    let clock = 1_763_719_000_000;
    gw = await startGateway(config({ eventsQueueUrl: queueUrl, discordApiBaseUrl: fake.apiBaseUrl }), {
      sqs: sender,
      logger: createJsonLogger({ level: 'debug', write: (l) => lines.push(l) }),
      now: () => clock++,
      publisher: { lingerMs: 5 },
      healthHost: '127.0.0.1',
    });

    expect((await getHealth(gw)).status).toBe(503);
    const identify = await fake.waitForIdentify(0);
    expect(identify.token).toBe(TOKEN);
    expect(identify.shard).toEqual([0, 1]);
    expect(identify.intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent | GatewayIntentBits.GuildMembers,
    );
    expect(await getHealth(gw)).toEqual({ status: 503, body: expect.objectContaining({ status: 'unavailable', shards: [{ id: 0, status: 'identifying', ping: -1 }] }) });

    // Discord lists the guild as unavailable in READY, then streams its GUILD_CREATE.
    fake.sendReady(0, [{ id: GUILD, unavailable: true }]);
    await gw.ready;
    expect(await getHealth(gw)).toMatchObject({ status: 200, body: { status: 'ok', shards: [{ id: 0, status: 'waiting-for-guilds' }] } });

    fake.dispatch(0, guildCreate);
    fake.dispatch(0, messageCreate);
    fake.dispatch(0, guildDeleteUnavailable);
    fake.dispatch(0, guildDeleteRemoved);

    const received = await receiveAll(sqs, queueUrl, 3);
    expect(received.map((r) => r.body)).toEqual([
      { type: 'guild.create', guildId: GUILD, ownerId: guildCreate.d.owner_id, joinedAt: guildCreate.d.joined_at, at: expect.any(Number) },
      { type: 'guild.delete', guildId: GUILD, unavailable: true, at: expect.any(Number) },
      { type: 'guild.delete', guildId: GUILD, unavailable: false, at: expect.any(Number) },
    ]);
    expect(received.every((r) => r.groupId === `guild-${GUILD}`)).toBe(true);
    // MESSAGE_CREATE arrived between them on the same socket: had it been forwarded, it would be
    // among the entries sent before the GUILD_DELETEs.
    expect(sender.calls.flatMap((c) => c.entries.map((e) => JSON.parse(e.MessageBody!).type))).toEqual([
      'guild.create',
      'guild.delete',
      'guild.delete',
    ]);
    expect((await getHealth(gw)).body.shards).toEqual([expect.objectContaining({ id: 0, status: 'ready' })]);

    await gw.stop();
    expect(gw.health().status).toBe('unavailable');
    await expect(fetch(`http://127.0.0.1:${gw.healthPort}/health`)).rejects.toThrow();

    const log = lines.join('\n');
    expect(lines.every((l) => typeof JSON.parse(l).level === 'string')).toBe(true);
    expect(log).toContain('"message":"gateway stopped"');
    // No member content, no user names, no token in any log line.
    expect(log).not.toContain(messageCreate.d.content);
    expect(log).not.toContain(messageCreate.d.author.username);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('"message":"gateway event not published"');
  });

  it('with a fixed shard plan, is healthy only when every shard of the task holds a session', async () => {
    fake = await FakeDiscordGateway.start({ autoReady: false });
    const queueUrl = await createFifoQueue(sqs, 'gw-shards');
    gw = await startGateway(
      config({ eventsQueueUrl: queueUrl, discordApiBaseUrl: fake.apiBaseUrl, shards: { ids: [2, 3], count: 4 } }),
      { sqs, logger: createJsonLogger({ write: () => {} }), healthHost: '127.0.0.1' },
    );
    const [a, b] = await Promise.all([fake.waitForIdentify(2), fake.waitForIdentify(3)]);
    expect([a.shard, b.shard]).toEqual([
      [2, 4],
      [3, 4],
    ]);

    fake.sendReady(2);
    // Shard 2 turns ready through discord.js's own event; shard 3 is still identifying.
    await until(() => gw!.health().shards.some((s) => s.id === 2 && s.status === 'ready'), 'shard 2 ready');
    expect(await getHealth(gw)).toMatchObject({ status: 503, body: { shards: [{ id: 2 }, { id: 3, status: 'identifying' }] } });

    fake.sendReady(3);
    await gw.ready;
    expect(await getHealth(gw)).toMatchObject({ status: 200, body: { shards: [{ id: 2, status: 'ready' }, { id: 3, status: 'ready' }] } });
  });

  it('rejects `ready` when Discord refuses the token, stays unhealthy, and still stops cleanly', async () => {
    fake = await FakeDiscordGateway.start({ rejectToken: true });
    const queueUrl = await createFifoQueue(sqs, 'gw-badtoken');
    const lines: string[] = [];
    gw = await startGateway(config({ eventsQueueUrl: queueUrl, discordApiBaseUrl: fake.apiBaseUrl }), {
      sqs,
      logger: createJsonLogger({ write: (l) => lines.push(l) }),
      healthHost: '127.0.0.1',
    });
    await expect(gw.ready).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect((await getHealth(gw)).status).toBe(503);
    expect(lines.map((l) => JSON.parse(l).message)).toContain('gateway login failed');
  });

  it('listens for health checks (503) while the open ticket channels are still being read, before connecting', async () => {
    fake = await FakeDiscordGateway.start();
    const queueUrl = await createFifoQueue(sqs, 'gw-health-first');
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    let release!: () => void;
    const indexRead = new Promise<void>((resolve) => (release = resolve));
    const starting = startGateway(config({ eventsQueueUrl: queueUrl, discordApiBaseUrl: fake.apiBaseUrl, healthPort: port }), {
      sqs,
      logger: createJsonLogger({ write: () => {} }),
      healthHost: '127.0.0.1',
      openTicketChannels: {
        async *list() {
          await indexRead;
          yield [];
        },
      },
    });
    const during = await fetch(`http://127.0.0.1:${port}/health`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ status: 'unavailable', shards: [], ticketChannels: 0 });
    release();
    gw = await starting;
    await gw.ready;
    expect((await getHealth(gw)).status).toBe(200);
  });
});
