import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type { EventsDeps } from '../../lambdas/events/app';
import { buildEventsDeps, createEventsHandler } from '../../lambdas/events/handler';
import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import { queueDepth, replayDeadLetters } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { DAY_MS } from '../../lambdas/shared/clock';
import { deduplicationId, messageGroupId, type GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { toSqsBody } from '../../lambdas/shared/contracts/sqs-body';
import type { TicketLogStore } from '../../lambdas/shared/tickets/live-log';
import { NEW_CHANNEL_ATTEMPTS } from '../../lambdas/shared/tickets/ticket-events';
import { buildSweeperDeps, runScheduledSweep } from '../../lambdas/sweeper/handler';
import { SqsPoller } from '../../local/sqs-poller';
import { QUEUES } from '../../lib/resources';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';
import { testContext } from '../support/context';
import { sqsEventWith } from '../support/sqs-events';

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
      TRANSCRIPTS_QUEUE_URL: env.resources.queues.transcripts.url,
      DISCORD_APPLICATION_ID: '100000000000000001',
      AWS_ENDPOINT_URL_S3: env.endpoints.sqsS3,
      ARCHIVE_BUCKET: env.resources.bucketName,
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
  let ticketNumber = 0;
  /** A channel with a ticket row (what the events λ logs messages for), as `attachChannel` leaves it. */
  const ticketChannel = async (guildId: string) => {
    const channelId = randomSnowflake();
    const number = ++ticketNumber;
    await env.db.send(
      new PutCommand({
        TableName: env.resources.tableName,
        Item: { ...Keys.ticket(guildId, number), ...Keys.channelIndex(channelId), guildId, number, channelId, openerId: randomSnowflake(), categoryId: 'general', mode: 'thread', status: 'open', createdAt: clock.now() },
      }),
    );
    return channelId;
  };
  const partition = async (guildId: string) =>
    (await env.db.send(new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId) } }))).Items ?? [];

  it('a batch with one poison message: the rest is applied, the poison one reaches the DLQ after redrive and can be replayed', async () => {
    const q = env.resources.queues.events;
    const guildId = randomSnowflake();
    const channelId = await ticketChannel(guildId);
    const good = [message(guildId, channelId, 'first 🧾'), message(guildId, await ticketChannel(guildId), 'elsewhere')];
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

  /** Events deps built once, whose live log also notes the order in which it applied messages. */
  const tracingDeps = (trace: string[]) => {
    let built: Promise<EventsDeps> | undefined;
    return () =>
      (built ??= deps().then((d) => {
        const ticketLog: TicketLogStore = Object.create(d.ticketLog);
        ticketLog.recordCreate = async (m) => {
          await d.ticketLog.recordCreate(m);
          trace.push(m.content);
        };
        return { ...d, ticketLog };
      }));
  };
  const contentOf = (e: GatewayEvent) => (e.type === 'message.create' ? e.content : '');

  it('a poison message in one channel: the other channel is applied meanwhile, the poisoned channel’s later messages wait for it to be dead-lettered, then follow in order', async () => {
    const q = env.resources.queues.events;
    const guildId = randomSnowflake();
    const [chanA, chanB] = [await ticketChannel(guildId), await ticketChannel(guildId)];
    const a = ['a1', 'a2', 'a3'].map((c) => message(guildId, chanA, c));
    const b = ['b1', 'b2', 'b3'].map((c) => message(guildId, chanB, c));
    // In channel A's group, after a1: breaks the contract (no author), so it can never be applied.
    const poison = JSON.stringify({ type: 'message.create', guildId, channelId: chanA, content: 'poison' });
    // This file's queues are shared by its tests (the first one replays its poison message): start empty.
    for (const url of [q.url, q.dlqUrl]) await env.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    await send(a[0]);
    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: poison, MessageGroupId: messageGroupId(a[0]), MessageDeduplicationId: `poison-${chanA}` }));
    for (const e of [a[1], a[2], ...b]) await send(e);

    const trace: string[] = [];
    const handler = createEventsHandler(tracingDeps(trace));
    const poller = new SqsPoller({
      name: 'events', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, context: () => testContext('events'), retryDelaySeconds: 0,
      handler: async (event, context) => {
        for (const r of event.Records) if (r.body === poison) trace.push(`poison attempt ${r.attributes.ApproximateReceiveCount}`);
        return handler(event, context);
      },
    });
    for (let i = 0; i < 30 && ((await queueDepth(env.sqs, q.url)) > 0 || (await queueDepth(env.sqs, q.dlqUrl)) === 0); i++) await poller.pollOnce(0);

    const attempts = Array.from({ length: QUEUES.events.maxReceiveCount }, (_, i) => `poison attempt ${i + 1}`);
    // Channel B went on while channel A was stuck on the poison; channel A resumed in order after it.
    expect(trace.filter((t) => t.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    expect(trace.filter((t) => !t.startsWith('b'))).toEqual(['a1', ...attempts, 'a2', 'a3']);
    expect(trace.indexOf('b3')).toBeLessThan(trace.indexOf(attempts.at(-1)!));

    const log = new DynamoTicketLogStore(env.db, env.resources.tableName);
    // (The log lists by message id; these test ids are random, so compare contents as sets.)
    expect((await log.list(guildId, chanA)).map((m) => m.content).sort()).toEqual(a.map(contentOf));
    expect((await log.list(guildId, chanB)).map((m) => m.content).sort()).toEqual(b.map(contentOf));
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(1);
    // Replayable: it goes back with its group.
    expect(await replayDeadLetters(env.sqs, { dlqUrl: q.dlqUrl, sourceUrl: q.url })).toEqual({ moved: 1, failed: 0 });
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
  });

  it('one Lambda batch holding several messages per channel: a poison message fails with the rest of its channel, every other channel is applied', async () => {
    const guildId = randomSnowflake();
    const [chanA, chanB, chanC] = [await ticketChannel(guildId), await ticketChannel(guildId), await ticketChannel(guildId)];
    const [a1, a2] = ['a1', 'a2'].map((c) => message(guildId, chanA, c));
    const [b1, b2] = ['b1', 'b2'].map((c) => message(guildId, chanB, c));
    const [c1] = ['c1'].map((c) => message(guildId, chanC, c));
    const poison = JSON.stringify({ type: 'message.create', guildId, channelId: chanA, content: 'poison' });
    // The order Lambda delivers a FIFO batch in: each group's records in order, groups interleaved.
    const batch: SQSEvent = {
      Records: ([[a1, ''], [b1, ''], [null, poison], [b2, ''], [a2, ''], [c1, '']] as Array<[GatewayEvent | null, string]>).flatMap(
        ([e, raw]) => sqsEventWith([e ? toSqsBody(e) : raw], { MessageGroupId: messageGroupId(e ?? a1), MessageDeduplicationId: e ? deduplicationId(e) : 'poison' }).Records,
      ),
    };
    const trace: string[] = [];
    const res = await createEventsHandler(tracingDeps(trace))(batch, testContext('events'));

    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([batch.Records[2].messageId, batch.Records[4].messageId]);
    const log = new DynamoTicketLogStore(env.db, env.resources.tableName);
    expect((await log.list(guildId, chanA)).map((m) => m.content)).toEqual(['a1']);
    expect((await log.list(guildId, chanB)).map((m) => m.content).sort()).toEqual(['b1', 'b2']);
    expect((await log.list(guildId, chanC)).map((m) => m.content)).toEqual(['c1']);
    expect(trace.filter((t) => t.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(trace).not.toContain('a2');

    // Once the poison is gone (dead-lettered), SQS delivers a2 again and it is applied.
    const again = await createEventsHandler(tracingDeps(trace))({ Records: [batch.Records[4]] }, testContext('events'));
    expect(again.batchItemFailures).toEqual([]);
    expect((await log.list(guildId, chanA)).map((m) => m.content).sort()).toEqual(['a1', 'a2']);
  });

  /** A snowflake minted at `ms` (a channel created then). */
  const snowflakeAt = (ms: number) => String((BigInt(ms) - 1_420_070_400_000n) << 22n);

  it('messages, edits and deletes of a channel without a ticket are dropped unstored; a channel created moments ago is retried until its ticket is listed', async () => {
    const q = env.resources.queues.events;
    for (const url of [q.url, q.dlqUrl]) await env.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const guildId = randomSnowflake();
    // A private channel an admin shared with the bot: no ticket row, created long ago.
    const stranger = randomSnowflake();
    const secret = message(guildId, stranger, 'private admin chat');
    await send(secret);
    await send({ type: 'message.update', guildId, channelId: stranger, messageId: secret.type === 'message.create' ? secret.messageId : '', editedAt: clock.now(), content: 'edited admin chat', at: clock.now() });
    await send({ type: 'message.delete', guildId, channelId: stranger, messageIds: [randomSnowflake()], at: clock.now() });

    const attempts: string[] = [];
    const handler = createEventsHandler(deps);
    const poller = new SqsPoller({
      name: 'events', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, context: () => testContext('events'), retryDelaySeconds: 0,
      handler: async (event, context) => {
        for (const r of event.Records) attempts.push(`${JSON.parse(r.body).channelId === stranger ? 'stranger' : 'fresh'} ${r.attributes.ApproximateReceiveCount}`);
        return handler(event, context);
      },
    });
    while ((await poller.pollOnce(0)) > 0);
    // Each applied once — by storing nothing.
    expect(attempts).toEqual(['stranger 1', 'stranger 1', 'stranger 1']);
    expect(await partition(guildId)).toEqual([]);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);

    // A ticket channel created a second ago whose channel → ticket entry is not readable yet.
    const fresh = snowflakeAt(clock.now() - 1000);
    await send(message(guildId, fresh, 'first words in a brand-new ticket'));
    const log = new DynamoTicketLogStore(env.db, env.resources.tableName);
    expect(await poller.pollOnce(0)).toBe(1);
    expect(attempts.at(-1)).toBe('fresh 1');
    expect(await log.list(guildId, fresh)).toEqual([]);
    expect(await queueDepth(env.sqs, q.url)).toBe(1);

    // Attached: the row is written (`attachChannel`), so the redelivery finds it.
    await env.db.send(
      new PutCommand({
        TableName: env.resources.tableName,
        Item: { ...Keys.ticket(guildId, 1), ...Keys.channelIndex(fresh), guildId, number: 1, channelId: fresh, openerId: randomSnowflake(), categoryId: 'general', mode: 'thread', status: 'open', createdAt: clock.now() },
      }),
    );
    while ((await poller.pollOnce(0)) > 0);
    expect((await log.list(guildId, fresh)).map((m) => m.content)).toEqual(['first words in a brand-new ticket']);
    expect(attempts.filter((a) => a.startsWith('fresh'))).toEqual(['fresh 1', 'fresh 2']);
    expect((await partition(guildId)).filter((i) => String(i.SK).startsWith('LOG#'))).toHaveLength(1);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
  });

  it('a new channel that never gets a ticket: retried a few times, then dropped, never dead-lettered or stored', async () => {
    const q = env.resources.queues.events;
    for (const url of [q.url, q.dlqUrl]) await env.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const guildId = randomSnowflake();
    const channelId = snowflakeAt(clock.now() - 5000);
    await send(message(guildId, channelId, 'not a ticket after all'));
    const handler = createEventsHandler(deps);
    let deliveries = 0;
    const poller = new SqsPoller({
      name: 'events', sqs: env.sqs, queueUrl: q.url, queueArn: q.arn, context: () => testContext('events'), retryDelaySeconds: 0,
      handler: async (event, context) => ((deliveries += event.Records.length), handler(event, context)),
    });
    while ((await poller.pollOnce(0)) > 0);
    expect(deliveries).toBe(NEW_CHANNEL_ATTEMPTS);
    expect(await queueDepth(env.sqs, q.url)).toBe(0);
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
    expect(await partition(guildId)).toEqual([]);
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
      await send(message(guildId, await ticketChannel(guildId), 'kept until the purge'));
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
