import { SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import type { Ticket } from '../../lambdas/shared/tickets/model';
import { startGateway, type RunningGateway } from '../../gateway-task/src/gateway';
import { createJsonLogger } from '../../gateway-task/src/logger';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { dispatch } from '../gateway/support/dispatches';
import { FakeDiscordGateway } from '../gateway/support/fake-discord-gateway';
import { RecordingSender } from '../gateway/support/fake-sqs';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { ticketData } from '../support/tickets';

/**
 * End to end from raw gateway dispatches: the gateway task (discord.js fed by a loopback gateway)
 * → events.fifo on the SQS emulator → the events λ (local poller) → DynamoDB Local, and the worker
 * → the Discord emulator where Discord is asked to do something.
 */
describe('gateway events drive tickets: live log, activity, channels deleted by hand, openers leaving', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let logChannel: string;
  let fake: FakeDiscordGateway;
  let gw: RunningGateway;
  let sqs: SQSClient;
  /** What the gateway task sent to events.fifo (to the real queue). */
  let sent: RecordingSender;
  let early: Ticket & { channelId: string };
  let earlyOpener: string;
  beforeAll(async () => {
    e = await startE2E('gw-tickets');
    data = ticketData(e);
    t = ticketWork(e, data);
    logChannel = await t.setup();
    // Opened before the gateway starts: it must come from the table's open-channels index.
    earlyOpener = t.member('early');
    early = await t.open(earlyOpener);
    fake = await FakeDiscordGateway.start({ botUserId: e.discord.applicationId });
    sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    sent = new RecordingSender((cmd) => sqs.send(cmd));
    gw = await startGateway(
      {
        discordToken: 'fake-token',
        eventsQueueUrl: e.stack.resources.queues.events.url,
        awsRegion: LOCAL_REGION,
        sqsEndpoint: e.stack.endpoints.sqsS3,
        tableName: e.stack.resources.tableName,
        dynamodbEndpoint: e.stack.endpoints.dynamodb,
        ticketRefreshSeconds: 300,
        discordApiBaseUrl: fake.apiBaseUrl,
        shards: 'auto',
        healthPort: 0,
        logLevel: 'error',
      },
      { sqs: sent, publisher: { lingerMs: 5 }, healthHost: '127.0.0.1', logger: createJsonLogger({ level: 'error', write: () => {} }) },
    );
    await gw.ready;
  });
  afterAll(async () => {
    await gw.stop();
    await fake.close();
    sqs.destroy();
    data.destroy();
    await e.close();
  });

  const guildId = () => e.world.guild.id;
  const log = () => new DynamoTicketLogStore(data.db, e.stack.resources.tableName);
  /** The gateway sees what Deskwire just did in Discord: the new thread and its welcome message. */
  function announce(ticket: Ticket & { channelId: string }) {
    fake.dispatch(0, dispatch.threadCreate({ guildId: guildId(), id: ticket.channelId, parentId: e.world.channelId, ownerId: e.discord.applicationId }));
    const welcome = e.discord.messagesIn(ticket.channelId).find((m) => m.id === ticket.welcomeMessageId)!;
    fake.dispatch(0, { t: 'MESSAGE_CREATE', d: { ...welcome, guild_id: guildId() } });
  }
  const logLines = () => e.discord.messagesIn(logChannel).map((m) => m.content);
  const sentEvents = () => sent.calls.flatMap((c) => c.entries.map((entry) => JSON.parse(entry.MessageBody!) as GatewayEvent));
  /** Gateway → SQS → poller → events λ (→ worker → emulator): generous on a loaded 2-core machine; passing waits return at once. */
  const HOPS_MS = 45_000;

  it('logs messages, edits and deletions of a ticket; a person’s message is activity, the bot’s is not', async () => {
    const { channelId } = early;
    const twoHoursAgo = Date.now() - 2 * 3_600_000;
    await data.db.send(new UpdateCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(guildId(), early.number), UpdateExpression: 'SET lastActivityAt = :t', ExpressionAttributeValues: { ':t': twoHoursAgo } }));

    const botNote = dispatch.messageCreate({ guildId: guildId(), channelId, authorId: e.discord.applicationId, bot: true, content: 'A notice from the bot' });
    // A later event of the same channel is applied only after the bot's message was fully handled
    // (its log write and any activity write): per-channel order makes it a barrier.
    const barrier = dispatch.messageCreate({ guildId: guildId(), channelId, authorId: e.discord.applicationId, bot: true, content: 'Another notice' });
    fake.dispatch(0, botNote);
    fake.dispatch(0, barrier);
    await eventually(async () => (await log().list(guildId(), channelId)).some((m) => m.messageId === barrier.d.id), HOPS_MS, 'bot messages logged');
    expect((await t.get(early.number)).lastActivityAt).toBe(twoHoursAgo);

    // Not a ticket: dispatched before the ticket's messages below, so it was judged (and dropped) by the time they are logged.
    const chat = dispatch.messageCreate({ guildId: guildId(), channelId: e.world.channelId, content: 'chat in #support' });
    fake.dispatch(0, chat);
    const hello = dispatch.messageCreate({ guildId: guildId(), channelId, authorId: earlyOpener, username: 'early', content: 'My invoice is wrong 🧾' });
    const other = dispatch.messageCreate({ guildId: guildId(), channelId, authorId: earlyOpener, content: 'second' });
    fake.dispatch(0, hello);
    fake.dispatch(0, other);
    fake.dispatch(0, dispatch.messageUpdate({ guildId: guildId(), channelId, id: hello.d.id, content: 'My invoice #42 is wrong 🧾', editedAt: new Date().toISOString() }));
    fake.dispatch(0, dispatch.messageDelete({ guildId: guildId(), channelId, id: other.d.id }));

    const entries = await eventually(async () => {
      const l = await log().list(guildId(), channelId);
      return l.find((m) => m.messageId === other.d.id)?.deletedAt ? l : null;
    }, HOPS_MS, 'edit and delete logged');
    const first = entries.find((m) => m.messageId === hello.d.id)!;
    expect(first).toMatchObject({ content: 'My invoice #42 is wrong 🧾', edits: [{ content: 'My invoice is wrong 🧾' }], author: { id: earlyOpener, username: 'early', bot: false } });
    expect(entries.map((m) => m.messageId)).toEqual([botNote.d.id, barrier.d.id, hello.d.id, other.d.id]);
    const ticket = await t.get(early.number);
    expect(ticket.lastActivityAt).toBeGreaterThan(twoHoursAgo + 3_600_000);
    expect(sentEvents().filter((ev) => 'channelId' in ev && ev.channelId === e.world.channelId)).toEqual([]);
    expect(await log().list(guildId(), e.world.channelId)).toEqual([]);
  });

  it('a ticket thread deleted by hand closes its ticket: log line, feedback DM, transcript hand-over', async () => {
    fake.dispatch(0, dispatch.threadDelete({ guildId: guildId(), id: early.channelId, parentId: e.world.channelId }));
    const closed = await eventually(async () => {
      const row = await t.get(early.number);
      return row.status === 'closed' && row.transcriptStatus === 'pending' ? row : null;
    }, HOPS_MS, 'ticket closed');
    expect(closed).toMatchObject({ closedBy: null, closeReason: 'The ticket’s thread was deleted.' });
    await eventually(async () => logLines().some((l) => l.includes(`Ticket #${String(early.number).padStart(4, '0')}`) && l.includes('was closed automatically. Reason: The ticket’s thread was deleted.')), HOPS_MS, 'staff log line');
    await eventually(async () => t.dmsOf(earlyOpener).some((m) => m.content.includes('was closed')), HOPS_MS, 'feedback DM');
    expect(gw.health().ticketChannels).toBe(0);
  });

  it('an opener leaving flags their ticket by default, or closes it when the server chose so', async () => {
    const flaggedOpener = t.member('leaver');
    const flagged = await t.open(flaggedOpener);
    announce(flagged);
    fake.dispatch(0, dispatch.memberRemove({ guildId: guildId(), userId: flaggedOpener }));
    await eventually(async () => e.discord.messagesIn(flagged.channelId).some((m) => m.content.includes('left the server')), HOPS_MS, 'note in the ticket');
    expect(await t.get(flagged.number)).toMatchObject({ status: 'open', openerLeftAt: expect.any(Number) });
    await eventually(async () => logLines().some((l) => l.includes(`<@${flaggedOpener}>, who opened ticket`)), HOPS_MS, 'staff log line');

    await t.settings({ openerLeaves: 'close' });
    const closingOpener = t.member('leaver2');
    const closing = await t.open(closingOpener);
    announce(closing);
    fake.dispatch(0, dispatch.memberRemove({ guildId: guildId(), userId: closingOpener }));
    const closed = await eventually(async () => {
      const row = await t.get(closing.number);
      return row.status === 'closed' ? row : null;
    }, HOPS_MS, 'ticket closed');
    expect(closed.closeReason).toBe('The member who opened it left the server.');
    // The worker archives it after the close delay (0 here): the thread is locked.
    await e.discord.waitFor(() => e.discord.state.channels.get(closing.channelId)?.thread_metadata?.locked === true, HOPS_MS);

    // A member without open tickets leaving is not even forwarded; nothing changes.
    const bystander = t.member('bystander');
    fake.dispatch(0, dispatch.memberRemove({ guildId: guildId(), userId: bystander }));
    // Dispatches are handled in order: once this later one was sent, the leave was judged.
    const sentinel = dispatch.messageCreate({ guildId: guildId(), channelId: flagged.channelId, authorId: flaggedOpener, content: 'still here?' });
    fake.dispatch(0, sentinel);
    await eventually(async () => sentEvents().some((ev) => ev.type === 'message.create' && ev.messageId === sentinel.d.id), HOPS_MS, 'sentinel sent');
    expect(sentEvents().filter((ev) => ev.type === 'member.leave').map((ev) => ev.type === 'member.leave' && ev.userId)).toEqual([flaggedOpener, closingOpener]);
    expect(await t.get(flagged.number)).toMatchObject({ status: 'open' });
  });
});
