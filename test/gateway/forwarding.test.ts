import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { ticketOverwrites } from '../../lambdas/shared/contracts/ticket-channel';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import type { GatewayConfig } from '../../gateway-task/src/config';
import { startGateway, type RunningGateway } from '../../gateway-task/src/gateway';
import { createJsonLogger } from '../../gateway-task/src/logger';
import { provisionForTest } from '../support/aws';
import { FIXTURE_BOT_ID, dispatch, nextId } from './support/dispatches';
import { FakeDiscordGateway } from './support/fake-discord-gateway';
import { RecordingSender } from './support/fake-sqs';
import { createFifoQueue, receiveAll, sqsEndpoint } from './support/sqs';

type Env = Awaited<ReturnType<typeof provisionForTest>>;

/** An open ticket row as the ticket store leaves it once its channel exists (in the OpenChannels index). */
async function seedOpenTicket(env: Env, t: { guildId: string; number: number; channelId: string; openerId: string }) {
  await env.db.send(
    new PutCommand({
      TableName: env.resources.tableName,
      Item: { ...Keys.ticket(t.guildId, t.number), ...Keys.channelIndex(t.channelId), ...Keys.openChannel(t.channelId), guildId: t.guildId, number: t.number, openerId: t.openerId, channelId: t.channelId, status: 'open' },
    }),
  );
}

describe('gateway task → events.fifo: only ticket channels, in order, without duplicates', () => {
  let env: Env;
  let fake: FakeDiscordGateway;
  let gw: RunningGateway;
  let sender: RecordingSender;
  let queueUrl: string;
  const logs: string[] = [];
  const guildId = nextId();
  const openerId = nextId();
  const tickets = [nextId(), nextId(), nextId()];
  const general = nextId();

  beforeAll(async () => {
    env = await provisionForTest('gw-forward');
    for (const [i, channelId] of tickets.entries()) await seedOpenTicket(env, { guildId, number: i + 1, channelId, openerId });
    fake = await FakeDiscordGateway.start();
    queueUrl = await createFifoQueue(env.sqs, 'gw-forward');
    sender = new RecordingSender((cmd) => env.sqs.send(cmd));
    const config: GatewayConfig = {
      discordToken: 'fake-token',
      eventsQueueUrl: queueUrl,
      awsRegion: 'us-east-1',
      sqsEndpoint: sqsEndpoint(),
      tableName: env.resources.tableName,
      dynamodbEndpoint: env.endpoints.dynamodb,
      ticketRefreshSeconds: 300,
      discordApiBaseUrl: fake.apiBaseUrl,
      shards: 'auto',
      healthPort: 0,
      logLevel: 'debug',
    };
    gw = await startGateway(config, { sqs: sender, publisher: { lingerMs: 5 }, healthHost: '127.0.0.1', logger: createJsonLogger({ level: 'debug', write: (l) => logs.push(l) }) });
    await gw.ready;
  });
  afterAll(async () => {
    await gw.stop();
    await fake.close();
    env.destroy();
  });

  const sentEvents = () => sender.calls.flatMap((c) => c.entries.map((e) => JSON.parse(e.MessageBody!) as GatewayEvent));

  it('loads the open ticket channels from the table before connecting', () => {
    expect(gw.health()).toMatchObject({ status: 'ok', ticketChannels: 3 });
  });

  it('reads an index that holds only what the gateway needs (no ticket form answers)', async () => {
    const ddb = new DynamoDBClient({ endpoint: env.endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const table = await ddb.send(new DescribeTableCommand({ TableName: env.resources.tableName }));
    ddb.destroy();
    expect(table.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'OpenChannels')?.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['guildId', 'openerId'] });
  });

  it('keeps each channel’s order through batching and never sends a message of a non-ticket channel', async () => {
    const sent: Record<string, string[]> = Object.fromEntries(tickets.map((c) => [c, []]));
    const secret = 'general chat that must stay in Discord';
    for (let i = 0; i < 40; i++) {
      for (const channelId of tickets) {
        const content = `message ${i} in ${channelId} 🎫`;
        sent[channelId].push(content);
        fake.dispatch(0, dispatch.messageCreate({ guildId, channelId, content }));
      }
      fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: general, content: `${secret} ${i}` }));
    }
    // A sentinel after everything: once it arrived, every earlier dispatch was either sent or dropped.
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: tickets[0], content: 'sentinel' }));
    const received = await receiveAll(env.sqs, queueUrl, 121);
    expect(received).toHaveLength(121);
    for (const channelId of tickets) {
      const got = received.map((r) => r.body as GatewayEvent).filter((e) => e.type === 'message.create' && e.channelId === channelId);
      expect(got.map((e) => (e as { content: string }).content).filter((c) => c !== 'sentinel')).toEqual(sent[channelId]);
      expect(received.filter((r) => (r.body as { channelId?: string }).channelId === channelId).every((r) => r.groupId === `channel-${channelId}`)).toBe(true);
    }
    // Batched: at most 10 entries per call, far fewer calls than events.
    expect(sender.calls.every((c) => c.entries.length <= 10)).toBe(true);
    expect(sender.calls.length).toBeLessThan(60);
    expect(sentEvents().some((e) => 'channelId' in e && e.channelId === general)).toBe(false);
    expect(logs.join('\n')).not.toContain(secret);
    // The forwarded message carries what the log needs, the emoji intact.
    expect(received[0].body).toMatchObject({ type: 'message.create', guildId, author: { id: expect.any(String), username: 'casey.member', globalName: 'Casey', avatar: null, bot: false }, content: expect.stringContaining('🎫') });
  });

  it('drops duplicates: a replayed create, edit or delete reaches the consumer once', async () => {
    const channelId = tickets[1];
    const id = nextId();
    const create = dispatch.messageCreate({ guildId, channelId, id, content: 'original' });
    const edit = dispatch.messageUpdate({ guildId, channelId, id, content: 'edited', editedAt: '2026-11-21T10:20:00.000000+00:00' });
    const del = dispatch.messageDelete({ guildId, channelId, id });
    for (const packet of [create, create, edit, edit, del, del]) fake.dispatch(0, packet);
    const sentinel = dispatch.messageCreate({ guildId, channelId, content: 'after the replays' });
    fake.dispatch(0, sentinel);
    const received = await receiveAll(env.sqs, queueUrl, 4);
    expect(received.map((r) => (r.body as GatewayEvent).type)).toEqual(['message.create', 'message.update', 'message.delete', 'message.create']);
    expect(received.map((r) => r.dedupId)).toEqual([`mc-${id}`, expect.stringMatching(new RegExp(`^mu-${id}-${Date.parse('2026-11-21T10:20:00Z')}-[0-9a-f]{8}$`)), `md-${id}`, `mc-${sentinel.d.id}`]);
    // The task sent each twice; SQS kept one of each.
    expect(sentEvents().filter((e) => 'messageId' in e && e.messageId === id)).toHaveLength(4);
  });

  it('learns a new ticket thread from the bot’s THREAD_CREATE, forgets it when it is deleted, and forwards only openers’ leaves', async () => {
    const thread = nextId();
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: thread, content: 'before it is a ticket' }));
    fake.dispatch(0, dispatch.threadCreate({ guildId, id: thread, parentId: general, ownerId: FIXTURE_BOT_ID }));
    // The welcome message names the opener: from then on their leaving matters.
    const newOpener = nextId();
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: thread, authorId: FIXTURE_BOT_ID, bot: true, content: `<@${newOpener}>`, components: [{ type: 1, components: [{ type: 2, style: 4, label: 'Close', custom_id: 'dw1:ticket-close:7' }] }] }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: thread, content: 'first words' }));
    fake.dispatch(0, dispatch.memberRemove({ guildId, userId: nextId() }));
    fake.dispatch(0, dispatch.memberRemove({ guildId, userId: newOpener }));
    fake.dispatch(0, dispatch.threadDelete({ guildId, id: thread, parentId: general }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: thread, content: 'after the delete' }));
    // A text channel with Deskwire's ticket overwrites is a ticket channel.
    const channel = nextId();
    fake.dispatch(0, dispatch.channelCreate({ guildId, id: channel, overwrites: ticketOverwrites(guildId, openerId, [nextId()], FIXTURE_BOT_ID) }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: channel, content: 'channel mode' }));
    fake.dispatch(0, dispatch.channelDelete({ guildId, id: channel }));

    const received = (await receiveAll(env.sqs, queueUrl, 6)).map((r) => r.body as GatewayEvent);
    const summary = (e: GatewayEvent) => [e.type, 'content' in e ? e.content : 'userId' in e ? e.userId : 'channelId' in e ? e.channelId : null];
    // Order holds within a group (thread, channel, guild); groups interleave freely.
    expect(received.filter((e) => 'channelId' in e && e.channelId === thread).map(summary)).toEqual([
      ['message.create', `<@${newOpener}>`],
      ['message.create', 'first words'],
      ['channel.delete', thread],
    ]);
    expect(received.filter((e) => 'channelId' in e && e.channelId === channel).map(summary)).toEqual([
      ['message.create', 'channel mode'],
      ['channel.delete', channel],
    ]);
    expect(received.filter((e) => e.type === 'member.leave').map(summary)).toEqual([['member.leave', newOpener]]);
    expect(received).toHaveLength(6);
    expect(sentEvents().some((e) => 'content' in e && (e.content === 'before it is a ticket' || e.content === 'after the delete'))).toBe(false);
  });

  it('a private channel an admin shares with the bot is not a ticket: none of its messages leave the task', async () => {
    const adminChannel = nextId();
    const lookalike = nextId();
    const admin = nextId();
    // The bot added by hand: a member overwrite with the bits the admin picked, next to the admin's own.
    fake.dispatch(0, dispatch.channelCreate({ guildId, id: adminChannel, overwrites: [{ id: guildId, type: 0, allow: '0', deny: '1024' }, { id: admin, type: 1, allow: '3072' }, { id: FIXTURE_BOT_ID, type: 1, allow: '3072' }] }));
    // Even Deskwire's exact ticket overwrites plus one more member are not a ticket's.
    fake.dispatch(0, dispatch.channelCreate({ guildId, id: lookalike, overwrites: [...ticketOverwrites(guildId, openerId, [], FIXTURE_BOT_ID), { ...ticketOverwrites(guildId, admin, [], FIXTURE_BOT_ID)[1] }] }));
    const secrets = ['salary review for the team', 'moderator notes'];
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: adminChannel, authorId: admin, content: secrets[0] }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: lookalike, authorId: admin, content: secrets[1] }));
    fake.dispatch(0, dispatch.messageUpdate({ guildId, channelId: adminChannel, id: nextId(), content: secrets[0], editedAt: new Date().toISOString() }));
    fake.dispatch(0, dispatch.channelDelete({ guildId, id: adminChannel }));
    // Every dispatch is handled in order on the one connection: once this sentinel is sent, the ones before were judged.
    const sentinel = dispatch.messageCreate({ guildId, channelId: tickets[0], content: 'sentinel after the private channel' });
    fake.dispatch(0, sentinel);
    await receiveAll(env.sqs, queueUrl, 1);
    expect(sentEvents().some((e) => e.type === 'message.create' && e.messageId === sentinel.d.id)).toBe(true);
    expect(sentEvents().filter((e) => 'channelId' in e && (e.channelId === adminChannel || e.channelId === lookalike))).toEqual([]);
    expect(logs.join('\n')).not.toMatch(/salary review|moderator notes/);
  });

  it('a ticket thread locked (closed) stays watched, and a reopened one unknown to the index is watched again from its unarchive', async () => {
    // Locked by Deskwire's archive (or a moderator): still known; the refresh drops it if it stays closed.
    const locked = tickets[2];
    fake.dispatch(0, dispatch.threadUpdate({ guildId, id: locked, parentId: general, archived: true, locked: true, archivedAt: '2026-11-21T11:00:00.000000+00:00' }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: locked, content: 'a moderator’s last word' }));
    // Closed before this task's last index read, reopened now: the reopen unarchives and unlocks it.
    const reopened = nextId();
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: reopened, content: 'while it was closed' }));
    fake.dispatch(0, dispatch.threadUpdate({ guildId, id: reopened, parentId: general, archived: false, locked: false, archivedAt: '2026-11-21T11:05:00.000000+00:00' }));
    fake.dispatch(0, dispatch.messageCreate({ guildId, channelId: reopened, content: 'thanks for reopening' }));
    const received = (await receiveAll(env.sqs, queueUrl, 3)).map((r) => r.body as GatewayEvent);
    const summary = (e: GatewayEvent) => [e.type, e.type === 'message.create' ? e.content : 'locked' in e ? e.locked : null];
    expect(received.filter((e) => 'channelId' in e && e.channelId === locked).map(summary)).toEqual([
      ['channel.archive', true],
      ['message.create', 'a moderator’s last word'],
    ]);
    expect(received.filter((e) => 'channelId' in e && e.channelId === reopened).map(summary)).toEqual([['message.create', 'thanks for reopening']]);
    expect(sentEvents().some((e) => e.type === 'message.create' && e.content === 'while it was closed')).toBe(false);
  });
});
