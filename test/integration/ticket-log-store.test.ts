import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { MAX_LOGGED_EDITS, snowflakeTime, type LoggedMessage } from '../../lambdas/shared/tickets/live-log';
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
    // The created text is the version the edit replaced.
    expect(log[0].edits).toEqual([{ content: 'original text', replacedAt: 5000 }]);
    expect(await store.deleteChannel(guildId, ch)).toBe(2);
    expect(await store.list(guildId, ch)).toEqual([]);
  });

  it('a late create fills in the content, embeds and attachments a tombstone or a content-less update left out', async () => {
    const ch = randomSnowflake();
    const [deleted, unfurled] = ['1300000000000000300', '1300000000000000301'];
    const embed = { type: 'link', url: 'https://example.com/docs', title: 'Docs' };
    await store.recordDelete(guildId, ch, [deleted], 7000);
    await store.recordUpdate({ guildId, channelId: ch, messageId: unfurled, editedAt: 7100, embeds: [embed], unfurl: true });
    const raw = async (id: string) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: Keys.logEntry(guildId, ch, id) }))).Item!;
    // Placeholders hold only what was seen: no empty content, no empty lists standing in for it.
    expect(await raw(deleted)).not.toHaveProperty('content');
    expect(await raw(deleted)).not.toHaveProperty('embeds');
    expect(await raw(unfurled)).not.toHaveProperty('content');
    expect(await raw(unfurled)).toMatchObject({ embeds: [embed], editedAt: null });

    const attachment = { id: randomSnowflake(), filename: 'log.txt', size: 12, url: 'https://cdn.discordapp.com/attachments/1/2/log.txt', contentType: 'text/plain', width: null, height: null };
    await store.recordCreate({ ...message(deleted, 'said, then deleted'), channelId: ch, attachments: [attachment] });
    await store.recordCreate({ ...message(unfurled, 'see https://example.com/docs'), channelId: ch });
    const log = await store.list(guildId, ch);
    expect(log.map((m) => [m.content, m.deletedAt, m.editedAt, m.edits, m.author?.id])).toEqual([
      ['said, then deleted', 7000, null, [], author.id],
      ['see https://example.com/docs', null, null, [], author.id],
    ]);
    expect(log[0].attachments).toEqual([attachment]);
    expect(log[1].embeds).toEqual([embed]);
  });

  it('embed unfurls: applied to an unedited message and to the version they belong to, never over a later edit', async () => {
    const ch = randomSnowflake();
    const id = randomSnowflake();
    const first = { type: 'link', url: 'https://example.com/a' };
    const second = { type: 'link', url: 'https://example.com/b' };
    await store.recordCreate({ ...message(id, 'see https://example.com/a'), channelId: ch });
    await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 8000, embeds: [first], unfurl: true });
    expect((await store.list(guildId, ch))[0]).toMatchObject({ embeds: [first], editedAt: null, edits: [] });

    await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 9000, content: 'see https://example.com/b', embeds: [] });
    // Discord's unfurl of the edited text carries the edit's timestamp: the same version, its embeds.
    await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 9000, content: 'see https://example.com/b', embeds: [second] });
    // A late unfurl of the text before the edit changes nothing.
    await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 9500, embeds: [first], unfurl: true });
    expect((await store.list(guildId, ch))[0]).toMatchObject({
      content: 'see https://example.com/b',
      embeds: [second],
      editedAt: 9000,
      edits: [{ content: 'see https://example.com/a', replacedAt: 9000 }],
    });
  });

  it('an edit whose write fails changes nothing, and its redelivery records the content with its history in one write', async () => {
    const ch = randomSnowflake();
    const id = randomSnowflake();
    await store.recordCreate({ ...message(id, 'v1'), channelId: ch });
    let failNext = true;
    const flaky = new DynamoTicketLogStore(
      new Proxy(env.db, {
        get: (target, prop, receiver) =>
          prop === 'send'
            ? (command: unknown) => {
                if (failNext && command instanceof UpdateCommand) {
                  failNext = false;
                  return Promise.reject(new Error('connection reset'));
                }
                return target.send(command as never);
              }
            : Reflect.get(target, prop, receiver),
      }),
      env.resources.tableName,
    );
    await expect(flaky.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 10_000, content: 'v2' })).rejects.toThrow('connection reset');
    expect((await store.list(guildId, ch))[0]).toMatchObject({ content: 'v1', editedAt: null, edits: [] });
    await flaky.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 10_000, content: 'v2' });
    expect((await store.list(guildId, ch))[0]).toMatchObject({ content: 'v2', editedAt: 10_000, edits: [{ content: 'v1', replacedAt: 10_000 }] });
  });

  it('concurrent edits of one message: the newest content wins, no version is lost between them, the history is capped', async () => {
    const ch = randomSnowflake();
    const id = randomSnowflake();
    await store.recordCreate({ ...message(id, 'v0'), channelId: ch });
    await Promise.all([1, 2, 3].map((n) => store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 11_000 + n, content: `v${n}` })));
    let entry = (await store.list(guildId, ch))[0];
    expect(entry).toMatchObject({ content: 'v3', editedAt: 11_003 });
    // Whichever order they landed in, each version recorded was replaced by a later one.
    expect(entry.edits[0].content).toBe('v0');
    expect(entry.edits.map((e) => e.content)).not.toContain('v3');
    expect(entry.edits.map((e) => e.replacedAt)).toEqual([...entry.edits.map((e) => e.replacedAt)].sort((a, b) => a - b));

    for (let n = 4; n <= 30; n++) await store.recordUpdate({ guildId, channelId: ch, messageId: id, editedAt: 11_000 + n, content: `v${n}` });
    entry = (await store.list(guildId, ch))[0];
    expect(entry.content).toBe('v30');
    expect(entry.edits).toHaveLength(MAX_LOGGED_EDITS);
    expect(entry.edits.at(-1)).toEqual({ content: 'v29', replacedAt: 11_030 });
    expect(entry.edits[0]).toEqual({ content: 'v10', replacedAt: 11_011 });
  });
});
