import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { allSettledOrThrow } from '../all-settled';
import { MAX_LOGGED_EDITS, snowflakeTime, type LoggedMessage, type LoggedUpdate, type TicketLogStore } from '../tickets/live-log';
import { batchDelete, sendIf, updateIf } from './dynamo-helpers';
import { Keys } from './keys';

const FIELDS = ['guildId', 'channelId', 'messageId', 'author', 'content', 'createdAt', 'editedAt', 'edits', 'deletedAt', 'attachments', 'embeds', 'stickers', 'replyTo', 'mentions'] as const;

function toMessage(item: Record<string, unknown>): LoggedMessage {
  const m = Object.fromEntries(FIELDS.map((f) => [f, item[f] ?? null])) as unknown as LoggedMessage;
  m.content ??= '';
  m.edits ??= [];
  m.attachments ??= [];
  m.embeds ??= [];
  m.stickers ??= [];
  m.mentions ??= { users: [], roles: [], channels: [] };
  return m;
}

/**
 * The live ticket log in the guild's partition (`LOG#<channel>#<message id, zero-padded>`), so a
 * guild purge removes it with everything else and a channel's log is one ordered Query.
 */
export class DynamoTicketLogStore implements TicketLogStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordCreate(message: LoggedMessage): Promise<void> {
    // A put only if absent: a redelivered create must not wipe edits or a deletion recorded since.
    // If an edit or delete arrived first (a partial entry), the create fills in what it lacks.
    const created = await sendIf(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Keys.logEntry(message.guildId, message.channelId, message.messageId), ...message },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    if (created) return;
    await sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.logEntry(message.guildId, message.channelId, message.messageId),
        UpdateExpression: 'SET author = :a, createdAt = :c, stickers = :s, replyTo = :r, mentions = :m, attachments = if_not_exists(attachments, :att), embeds = if_not_exists(embeds, :e), content = if_not_exists(content, :t)',
        ConditionExpression: 'attribute_type(author, :null)',
        ExpressionAttributeValues: {
          ':a': message.author,
          ':c': message.createdAt,
          ':s': message.stickers,
          ':r': message.replyTo,
          ':m': message.mentions,
          ':att': message.attachments,
          ':e': message.embeds,
          ':t': message.content,
          ':null': 'NULL',
        },
      }),
    );
  }

  async recordUpdate(update: LoggedUpdate): Promise<void> {
    const key = Keys.logEntry(update.guildId, update.channelId, update.messageId);
    // Read-modify-write guarded by the edit time: redeliveries and out-of-date edits are no-ops.
    const previous = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET editedAt = :at${update.content !== undefined ? ', content = :content' : ''}${update.embeds ? ', embeds = :embeds' : ''}${update.attachments ? ', attachments = :att' : ''}`,
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(editedAt) OR attribute_type(editedAt, :null) OR editedAt < :at)',
        ExpressionAttributeValues: {
          ':at': update.editedAt,
          ':null': 'NULL',
          ...(update.content !== undefined ? { ':content': update.content } : {}),
          ...(update.embeds ? { ':embeds': update.embeds } : {}),
          ...(update.attachments ? { ':att': update.attachments } : {}),
        },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    if (previous !== null) {
      const oldContent = previous.content as string | undefined;
      if (update.content !== undefined && oldContent !== undefined && oldContent !== update.content) {
        // Appended in a second write (a list append cannot be capped in one expression); the cap keeps the item far below 400 KB.
        const item = await updateIf(
          this.db,
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET edits = list_append(if_not_exists(edits, :empty), :e)',
            ExpressionAttributeValues: { ':e': [{ content: oldContent, replacedAt: update.editedAt }], ':empty': [] },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const edits = (item?.edits as unknown[] | undefined) ?? [];
        if (edits.length > MAX_LOGGED_EDITS) {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET edits = :e',
              ExpressionAttributeValues: { ':e': edits.slice(-MAX_LOGGED_EDITS) },
            }),
          );
        }
      }
      return;
    }
    // No entry yet: the message predates the log (or its create is still in flight).
    await sendIf(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          ...partial(update.guildId, update.channelId, update.messageId),
          content: update.content ?? '',
          editedAt: update.editedAt,
          embeds: update.embeds ?? [],
          attachments: update.attachments ?? [],
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async recordDelete(guildId: string, channelId: string, messageIds: string[], at: number): Promise<void> {
    // A bulk delete marks its messages side by side; if one fails, the others still finish before the redelivery.
    await allSettledOrThrow(
      messageIds.map(async (messageId) => {
        const key = Keys.logEntry(guildId, channelId, messageId);
        const marked = await sendIf(
          this.db,
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET deletedAt = :at',
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(deletedAt) OR attribute_type(deletedAt, :null))',
            ExpressionAttributeValues: { ':at': at, ':null': 'NULL' },
          }),
        );
        if (marked) return;
        await sendIf(
          this.db,
          new PutCommand({ TableName: this.tableName, Item: { ...key, ...partial(guildId, channelId, messageId), deletedAt: at }, ConditionExpression: 'attribute_not_exists(PK)' }),
        );
      }),
    );
  }

  async list(guildId: string, channelId: string): Promise<LoggedMessage[]> {
    const out: LoggedMessage[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.logPrefix(channelId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(toMessage(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async deleteChannel(guildId: string, channelId: string): Promise<number> {
    const keys: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.logPrefix(channelId) },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: start,
        }),
      );
      keys.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return batchDelete(this.db, this.tableName, keys);
  }
}

/** The fields of an entry known only from an edit or delete (no author until a create or REST fills it). */
function partial(guildId: string, channelId: string, messageId: string): Omit<LoggedMessage, 'content' | 'editedAt' | 'embeds' | 'attachments' | 'deletedAt'> {
  return { guildId, channelId, messageId, author: null, createdAt: snowflakeTime(messageId), edits: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] } };
}
