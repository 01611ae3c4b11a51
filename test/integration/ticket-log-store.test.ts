import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import { snowflakeTime, type LoggedMessage } from '../../lambdas/shared/tickets/live-log';
import { provisionForTest, randomSnowflake } from '../support/aws';

describe('live ticket log in DynamoDB Local', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let store: DynamoTicketLogStore;
  beforeAll(async () => {
    env = await provisionForTest('ticketlog');
    store = new DynamoTicketLogStore(env.db, env.resources.tableName);
  });
  afterAll(() => env.destroy());

  const guildId = randomSnowflake();
  const channelId = randomSnowflake();
  const author = { id: '200000000000000001', username: 'ana', globalName: 'Ana', avatar: null, bot: false };
  const message = (messageId: string, content: string): LoggedMessage => ({
    guildId, channelId, messageId, author, content, createdAt: snowflakeTime(messageId), editedAt: null, edits: [], deletedAt: null,
    attachments: [], embeds: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] },
  });

  it('keeps messages in send order with edit history and deletion markers; redeliveries change nothing', async () => {
    // Snowflakes of different lengths: the padded sort key still orders them by time.
    const a = '99999999999999999';
    const b = '1300000000000000000';
    const c = '1300000000000000001';
    await store.recordCreate(message(b, 'second'));
    await store.recordCreate(message(a, 'first'));
    await store.recordCreate(message(c, 'third'));
    await store.recordCreate(message(a, 'first (redelivered)'));
    await store.recordUpdate({ guildId, channelId, messageId: b, editedAt: 1000, content: 'second, edited' });
    await store.recordUpdate({ guildId, channelId, messageId: b, editedAt: 1000, content: 'second, edited' });
    await store.recordUpdate({ guildId, channelId, messageId: b, editedAt: 900, content: 'stale edit' });
    await store.recordUpdate({ guildId, channelId, messageId: b, editedAt: 2000, content: 'second, edited twice' });
    await store.recordDelete(guildId, channelId, [c], 3000);
    await store.recordDelete(guildId, channelId, [c], 4000);

    const log = await store.list(guildId, channelId);
    expect(log.map((m) => [m.messageId, m.content, m.deletedAt])).toEqual([
      [a, 'first', null],
      [b, 'second, edited twice', null],
      [c, 'third', 3000],
    ]);
    expect(log[1].edits).toEqual([
      { content: 'second', replacedAt: 1000 },
      { content: 'second, edited', replacedAt: 2000 },
    ]);
    expect(log[1].editedAt).toBe(2000);
  });

  it('an edit or delete seen before the create leaves a partial entry that the create completes', async () => {
    const ch = randomSnowflake();
    const id = '1300000000000000100';
    await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 5000, content: 'edited text' });
    await store.recordDelete(guildId, ch, ['1300000000000000200'], 6000);
    let log = await store.list(guildId, ch);
    expect(log.map((m) => [m.messageId, m.author, m.content, m.deletedAt])).toEqual([
      [id, null, 'edited text', null],
      ['1300000000000000200', null, '', 6000],
    ]);
    expect(log[0].createdAt).toBe(snowflakeTime(id));
    await store.recordCreate({ ...message(id, 'original text'), channelId: ch });
    log = await store.list(guildId, ch);
    expect(log[0].author).toEqual(author);
    expect(log[0].content).toBe('edited text');
    expect(await store.deleteChannel(guildId, ch)).toBe(2);
    expect(await store.list(guildId, ch)).toEqual([]);
  });
});
