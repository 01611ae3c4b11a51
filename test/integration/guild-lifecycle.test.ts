import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoGuildStore } from '../../lambdas/shared/adapters/dynamo-guild-store';
import { buildEventsDeps, handleEventsBatch } from '../../lambdas/events/handler';
import { DAY_MS } from '../../lambdas/shared/clock';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import type { Telemetry, TelemetryEvent } from '../../lambdas/shared/ports/telemetry';
import { buildSweeperDeps, runScheduledSweep } from '../../lambdas/sweeper/handler';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';
import { testContext } from '../support/context';
import { sqsEventWith } from '../support/sqs-events';

class RecordingTelemetry implements Telemetry {
  events: TelemetryEvent[] = [];
  capture(e: TelemetryEvent) {
    this.events.push(e);
  }
  captureException() {}
  async flush() {}
}

describe('guild lifecycle: events λ → DynamoDB → sweeper purge', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let fnEnv: Record<string, string>;
  const clock = new ManualClock();
  const telemetry = new RecordingTelemetry();

  beforeAll(async () => {
    env = await provisionForTest('lifecycle');
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

  const events = async () => ({ ...(await buildEventsDeps(fnEnv)), clock, telemetry });
  const sweeper = async () => ({ ...(await buildSweeperDeps(fnEnv)), clock, telemetry });
  const deliver = async (...evts: GatewayEvent[]) => handleEventsBatch(sqsEventWith(evts), testContext('events'), await events());
  const config = async (guildId: string) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: { PK: `GUILD#${guildId}`, SK: 'CONFIG' } }))).Item;

  it('installs on guild create, schedules a purge 30 days after removal, and purges only then', async () => {
    const guildId = randomSnowflake();
    const t0 = clock.now();
    expect(await deliver({ type: 'guild.create', guildId, ownerId: randomSnowflake(), joinedAt: new Date(t0).toISOString(), at: t0 })).toEqual({ batchItemFailures: [] });
    expect(await config(guildId)).toMatchObject({ guildId, status: 'installed', installedAt: t0 });

    // Some guild data that the purge must remove, and an enforcement record it must keep.
    await env.db.send(new PutCommand({ TableName: env.resources.tableName, Item: { PK: `GUILD#${guildId}`, SK: 'TICKET#1', status: 'open' } }));
    await env.db.send(new PutCommand({ TableName: env.resources.tableName, Item: { PK: `ENFORCE#GUILD#${guildId}`, SK: `ACTION#${t0}`, action: 'warn' } }));

    clock.advance(DAY_MS);
    const removedAt = clock.now();
    await deliver({ type: 'guild.delete', guildId, unavailable: false, at: removedAt });
    expect(await config(guildId)).toMatchObject({ status: 'removed', removedAt, purgeAt: removedAt + 30 * DAY_MS, dueKind: 'DUE#purge', dueAt: removedAt + 30 * DAY_MS });

    clock.advance(30 * DAY_MS - 1);
    expect((await runScheduledSweep(await sweeper())).find((r) => r.name === 'guild-purge')).toMatchObject({ done: 0 });
    expect(await config(guildId)).toBeDefined();

    clock.advance(1);
    const [purge] = await runScheduledSweep(await sweeper());
    expect(purge).toMatchObject({ name: 'guild-purge', done: 1, failed: 0 });
    const left = await env.db.send(new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `GUILD#${guildId}` } }));
    expect(left.Items).toEqual([]);
    const enforcement = await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: { PK: `ENFORCE#GUILD#${guildId}`, SK: `ACTION#${t0}` } }));
    expect(enforcement.Item).toMatchObject({ action: 'warn' });
    expect(telemetry.events.filter((e) => e.guildId === guildId).map((e) => e.event)).toEqual(['guild_installed', 'guild_removed', 'guild_purged']);

    // A second sweep finds nothing due and changes nothing.
    const [again] = await runScheduledSweep(await sweeper());
    expect(again).toMatchObject({ done: 0, failed: 0 });
  });

  it('cancels the purge when the bot is re-added in time, and ignores outage deletes', async () => {
    const guildId = randomSnowflake();
    const ownerId = randomSnowflake();
    const at = clock.now();
    await deliver({ type: 'guild.create', guildId, ownerId, joinedAt: new Date(at).toISOString(), at });
    await deliver({ type: 'guild.delete', guildId, unavailable: true, at: at + 1 });
    expect(await config(guildId)).toMatchObject({ status: 'installed' });

    await deliver({ type: 'guild.delete', guildId, unavailable: false, at: at + 2 });
    await deliver({ type: 'guild.create', guildId, ownerId, joinedAt: new Date(at + 3).toISOString(), at: at + 3 });
    const item = await config(guildId);
    expect(item).toMatchObject({ status: 'installed', reinstalledAt: at + 3 });
    expect(item).not.toHaveProperty('dueKind');
    expect(item).not.toHaveProperty('purgeAt');

    clock.advance(31 * DAY_MS);
    await runScheduledSweep(await sweeper());
    expect(await config(guildId)).toMatchObject({ status: 'installed' });
    expect(telemetry.events.filter((e) => e.guildId === guildId).map((e) => e.event)).toEqual(['guild_installed', 'guild_removed', 'guild_reinstalled']);
  });

  it('reports a message that breaks the event contract as a batch item failure, keeping the rest', async () => {
    const guildId = randomSnowflake();
    const event = sqsEventWith([{ type: 'guild.create', guildId: 'not-a-snowflake' }, { type: 'guild.create', guildId, ownerId: randomSnowflake(), joinedAt: '2026-01-01T00:00:00Z', at: 1 }]);
    // Different groups, so the FIFO processor only fails the bad one.
    event.Records[1].attributes.MessageGroupId = `guild-${guildId}`;
    const result = await handleEventsBatch(event, testContext('events'), await events());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);
    expect(await config(guildId)).toMatchObject({ status: 'installed' });
  });

  it('a guild re-added while its purge runs keeps its new install record', async () => {
    const guildId = randomSnowflake();
    const ownerId = randomSnowflake();
    const t = clock.now();
    await deliver({ type: 'guild.create', guildId, ownerId, joinedAt: new Date(t).toISOString(), at: t });
    await env.db.send(new PutCommand({ TableName: env.resources.tableName, Item: { PK: `GUILD#${guildId}`, SK: 'TICKET#1' } }));
    await deliver({ type: 'guild.delete', guildId, unavailable: false, at: t + 1 });
    const purgeAt = (await config(guildId))!.purgeAt as number;

    // The bot is re-added right after the purge has read the guild's items.
    const plain = new DynamoGuildStore(env.db, env.resources.tableName);
    let injected = false;
    const racing = new Proxy(env.db, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (cmd: { input?: { IndexName?: string; KeyConditionExpression?: string } }) => {
          const out = await target.send(cmd as never);
          if (!injected && cmd instanceof QueryCommand && !cmd.input.IndexName) {
            injected = true;
            expect(await plain.markInstalled(guildId, ownerId, purgeAt + 5)).toBe('reinstalled');
          }
          return out;
        };
      },
    }) as DynamoDBDocumentClient;
    const deleted = await new DynamoGuildStore(racing, env.resources.tableName).purge(guildId, purgeAt);
    expect(injected).toBe(true);
    expect(deleted).toBe(1); // the old ticket item; CONFIG survives
    expect(await config(guildId)).toMatchObject({ status: 'installed', reinstalledAt: purgeAt + 5 });
  });
});
