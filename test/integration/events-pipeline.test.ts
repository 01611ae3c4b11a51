import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildEventsDeps, createEventsHandler } from '../../lambdas/events/handler';
import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import { queueDepth, replayDeadLetters } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { DAY_MS } from '../../lambdas/shared/clock';
import { deduplicationId, messageGroupId, type GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { toSqsBody } from '../../lambdas/shared/contracts/sqs-body';
import { buildSweeperDeps, runScheduledSweep } from '../../lambdas/sweeper/handler';
import { SqsPoller } from '../../local/sqs-poller';
import { QUEUES } from '../../lib/resources';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';
import { testContext } from '../support/context';

describe('events.fifo → events λ → DynamoDB: partial failures, DLQ, guild purge', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let fnEnv: Record<string, string>;
  const clock = new ManualClock();
  beforeAll(async () => {
    env = await provisionForTest('events');
    fnEnv = {
      TABLE_NAME: env.resources.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: env.endpoints.sqsS3,
      WORK_QUEUE_URL: env.resources.queues.work.url,
      DISCORD_APPLICATION_ID: '100000000000000001',
    };
  });
  afterAll(() => env.destroy());

  const deps = async () => ({ ...(await buildEventsDeps(fnEnv)), clock });
  const send = (event: GatewayEvent) =>
    env.sqs.send(new SendMessageCommand({ QueueUrl: env.resources.queues.events.url, MessageBody: toSqsBody(event), MessageGroupId: messageGroupId(event), MessageDeduplicationId: deduplicationId(event) }));
  const message = (guildId: string, channelId: string, content: string): GatewayEvent => ({
    type: 'message.create', guildId, channelId, messageId: randomSnowflake(), content, createdAt: clock.now(), at: clock.now(),
    author: { id: randomSnowflake(), username: 'ana', globalName: 'Ana', avatar: null, bot: false },
    attachments: [{ id: randomSnowflake(), filename: 'screen.png', size: 2048, url: 'https://cdn.discordapp.com/attachments/1/2/screen.png', contentType: 'image/png', width: 800, height: 600 }],
    embeds: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] },
  });
  const partition = async (guildId: string) =>
    (await env.db.send(new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId) } }))).Items ?? [];

  it('a batch with one poison message: the rest is applied, the poison one reaches the DLQ after redrive and can be replayed', async () => {
    const q = env.resources.queues.events;
    const guildId = randomSnowflake();
    const channelId = randomSnowflake();
    const good = [message(guildId, channelId, 'first 🧾'), message(guildId, randomSnowflake(), 'elsewhere')];
    await send(good[0]);
    // Breaks the contract (no author): retried, then dead-lettered.
    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ type: 'message.create', guildId, channelId: randomSnowflake() }), MessageGroupId: 'channel-poison', MessageDeduplicationId: `poison-${guildId}` }));
    await send(good[1]);
    await send({ type: 'guild.create', guildId, ownerId: randomSnowflake(), joinedAt: new Date(clock.now()).toISOString(), at: clock.now() });

    const handler = createEventsHandler(deps);
    const poller = new SqsPoller({ name: 'events', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, handler, context: () => testContext('events'), retryDelaySeconds: 0 });
    expect(await poller.pollOnce(0)).toBe(4);
    for (let i = 0; i < 20 && (await queueDepth(env.sqs, q.dlqUrl)) === 0; i++) await poller.pollOnce(0);

    const log = new DynamoTicketLogStore(env.db, env.resources.tableName);
    expect((await log.list(guildId, channelId)).map((m) => [m.content, m.attachments[0]?.filename])).toEqual([['first 🧾', 'screen.png']]);
    expect((await log.list(guildId, good[1].type === 'message.create' ? good[1].channelId : '')).map((m) => m.content)).toEqual(['elsewhere']);
    expect((await partition(guildId)).find((i) => i.SK === 'CONFIG')).toMatchObject({ status: 'installed' });
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(1);
    expect(QUEUES.events.maxReceiveCount).toBe(5);

    // `npm run ops -- dlq replay events` does this: back on the queue with its group, a fresh dedup id.
    expect(await replayDeadLetters(env.sqs, { dlqUrl: q.dlqUrl, sourceUrl: q.url })).toEqual({ moved: 1, failed: 0 });
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
    expect(await queueDepth(env.sqs, q.url)).toBe(1);
  });

  it('a removed guild’s data, live ticket log included, is purged 30 days later; re-adding in time cancels the purge', async () => {
    const removed = randomSnowflake();
    const readded = randomSnowflake();
    const handler = createEventsHandler(deps);
    const q = env.resources.queues.events;
    const poller = new SqsPoller({ name: 'events', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, handler, context: () => testContext('events'), retryDelaySeconds: 0 });
    const drain = async () => {
      while ((await poller.pollOnce(0)) > 0);
    };
    for (const guildId of [removed, readded]) {
      await send({ type: 'guild.create', guildId, ownerId: randomSnowflake(), joinedAt: new Date(clock.now()).toISOString(), at: clock.now() });
      await send(message(guildId, randomSnowflake(), 'kept until the purge'));
    }
    await drain();
    await env.db.send(new PutCommand({ TableName: env.resources.tableName, Item: { PK: `ENFORCE#GUILD#${removed}`, SK: `ACTION#${clock.now()}`, action: 'warn' } }));
    const removedAt = clock.now() + 1;
    for (const guildId of [removed, readded]) await send({ type: 'guild.delete', guildId, unavailable: false, at: removedAt });
    await drain();
    clock.advance(5 * DAY_MS);
    await send({ type: 'guild.create', guildId: readded, ownerId: randomSnowflake(), joinedAt: new Date(clock.now()).toISOString(), at: clock.now() });
    await drain();

    const sweeper = async () => ({ ...(await buildSweeperDeps(fnEnv)), clock });
    clock.set(removedAt + 30 * DAY_MS - 1);
    await runScheduledSweep(await sweeper());
    expect((await partition(removed)).some((i) => String(i.SK).startsWith('LOG#'))).toBe(true);

    clock.set(removedAt + 30 * DAY_MS);
    const [purge] = await runScheduledSweep(await sweeper());
    expect(purge).toMatchObject({ name: 'guild-purge', done: 1, failed: 0 });
    expect(await partition(removed)).toEqual([]);
    // Enforcement records survive; the re-added guild keeps everything.
    const enforcement = await env.db.send(new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `ENFORCE#GUILD#${removed}` } }));
    expect(enforcement.Items).toHaveLength(1);
    const kept = await partition(readded);
    expect(kept.find((i) => i.SK === 'CONFIG')).toMatchObject({ status: 'installed' });
    expect(kept.filter((i) => String(i.SK).startsWith('LOG#')).map((i) => i.content)).toEqual(['kept until the purge']);
  });
});
