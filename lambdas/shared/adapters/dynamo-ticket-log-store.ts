import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BusyError } from '../errors';
import { allSettledOrThrow } from '../all-settled';
import { MAX_LOGGED_EDITS, snowflakeTime, type LoggedEdit, type LoggedMessage, type LoggedUpdate, type TicketLogStore } from '../tickets/live-log';
import { batchDelete, queryAll, sendIf } from './dynamo-helpers';
import { Keys } from './keys';

const FIELDS = ['guildId', 'channelId', 'messageId', 'author', 'content', 'createdAt', 'editedAt', 'edits', 'deletedAt', 'attachments', 'embeds', 'stickers', 'replyTo', 'mentions'] as const;

/** Conditional writes retried after a concurrent change to the same entry (each is a fresh read). */
const MAX_WRITE_ATTEMPTS = 10;

/** Condition: the content is still what was read (absent stays absent). Adds `:old` to `values`. */
function sameContent(current: Record<string, unknown>, values: Record<string, unknown>): string {
  if (typeof current.content !== 'string') return 'attribute_not_exists(content)';
  values[':old'] = current.content;
  return 'content = :old';
}

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
    const key = Keys.logEntry(message.guildId, message.channelId, message.messageId);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      // A put only if absent: a redelivered create must not wipe edits or a deletion recorded since.
      const created = await sendIf(this.db, new PutCommand({ TableName: this.tableName, Item: { ...key, ...message }, ConditionExpression: 'attribute_not_exists(PK)' }));
      if (created) return;
      // An edit or delete arrived first (a partial entry, no author): fill in what it lacks.
      const current = await this.current(key);
      if (!current) continue;
      if (current.author !== null && current.author !== undefined) return; // a redelivered create
      const values: Record<string, unknown> = { ':a': message.author, ':c': message.createdAt, ':s': message.stickers, ':r': message.replyTo, ':m': message.mentions, ':null': 'NULL' };
      const sets = ['author = :a', 'createdAt = :c', 'stickers = :s', 'replyTo = :r', 'mentions = :m'];
      if (current.attachments === undefined) sets.push('attachments = :att'), (values[':att'] = message.attachments);
      if (current.embeds === undefined) sets.push('embeds = :e'), (values[':e'] = message.embeds);
      if (typeof current.content !== 'string') {
        sets.push('content = :t');
        values[':t'] = message.content;
      } else if (current.content !== message.content) {
        // An edit came first: the created text is the oldest version, replaced by the first edit
        // recorded (the time known for it is that edit's or a later one).
        const edits = (current.edits as LoggedEdit[] | undefined) ?? [];
        const replacedAt = edits[0]?.replacedAt ?? (current.editedAt as number | null | undefined) ?? message.createdAt;
        sets.push('edits = :edits');
        values[':edits'] = [{ content: message.content, replacedAt }, ...edits].slice(-MAX_LOGGED_EDITS);
      }
      const applied = await sendIf(
        this.db,
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_type(author, :null) AND ${sameContent(current, values)}`,
          ExpressionAttributeValues: values,
        }),
      );
      if (applied) return;
    }
    throw new BusyError('live log entry kept changing while a create was recorded');
  }

  async recordUpdate(update: LoggedUpdate): Promise<void> {
    const key = Keys.logEntry(update.guildId, update.channelId, update.messageId);
    // Read, then one conditional write holding the content swap and its history together: a
    // crash can never leave the new content without the old one in `edits`. A concurrent change
    // fails the condition and the update is worked out again from the new state.
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.current(key);
      if (!current) {
        // No entry yet: the message predates the log (or its create is still in flight). Only what
        // the update carried: a late create fills in content, embeds and attachments it lacks.
        const placed = await sendIf(
          this.db,
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              ...partial(update.guildId, update.channelId, update.messageId),
              editedAt: update.unfurl ? null : update.editedAt,
              ...(update.content !== undefined ? { content: update.content } : {}),
              ...(update.embeds ? { embeds: update.embeds } : {}),
              ...(update.attachments ? { attachments: update.attachments } : {}),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        if (placed) return;
        continue;
      }
      const seenEditedAt = typeof current.editedAt === 'number' ? current.editedAt : null;
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const media = () => {
        if (update.embeds) sets.push('embeds = :embeds'), (values[':embeds'] = update.embeds);
        if (update.attachments) sets.push('attachments = :att'), (values[':att'] = update.attachments);
      };
      if (update.unfurl || (seenEditedAt !== null && update.editedAt === seenEditedAt)) {
        // An unfurl of the unedited message — stale once an edit is recorded (it predates it; each
        // channel's events arrive in order) — or the recorded version again: embeds and attachments only.
        if (update.unfurl && seenEditedAt !== null) return;
        media();
        if (sets.length === 0) return;
      } else {
        if (seenEditedAt !== null && update.editedAt < seenEditedAt) return; // an older edit
        sets.push('editedAt = :at');
        values[':at'] = update.editedAt;
        media();
        if (update.content !== undefined) {
          sets.push('content = :content');
          values[':content'] = update.content;
          if (typeof current.content === 'string' && current.content !== update.content) {
            const edits = [...((current.edits as LoggedEdit[] | undefined) ?? []), { content: current.content, replacedAt: update.editedAt }];
            sets.push('edits = :edits');
            values[':edits'] = edits.slice(-MAX_LOGGED_EDITS);
          }
        }
      }
      if (seenEditedAt !== null) values[':seen'] = seenEditedAt;
      else values[':null'] = 'NULL';
      const applied = await sendIf(
        this.db,
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(PK) AND ${seenEditedAt === null ? '(attribute_not_exists(editedAt) OR attribute_type(editedAt, :null))' : 'editedAt = :seen'} AND ${sameContent(current, values)}`,
          ExpressionAttributeValues: values,
        }),
      );
      if (applied) return;
    }
    throw new BusyError('live log entry kept changing while an edit was recorded');
  }

  /** The entry's fields an update depends on, read consistently; null when there is none. */
  private async current(key: { PK: string; SK: string }): Promise<Record<string, unknown> | null> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'author, content, editedAt, edits, embeds, attachments' }),
    );
    return res.Item ?? null;
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
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.logPrefix(channelId) },
      ConsistentRead: true,
    });
    return items.map(toMessage);
  }

  async deleteChannel(guildId: string, channelId: string): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.logPrefix(channelId) },
      ProjectionExpression: 'PK, SK',
    });
    return batchDelete(this.db, this.tableName, keys);
  }
}

/** The fields of an entry known only from an edit or delete (no author until a create or REST fills it). */
function partial(guildId: string, channelId: string, messageId: string): Omit<LoggedMessage, 'content' | 'editedAt' | 'embeds' | 'attachments' | 'deletedAt'> {
  return { guildId, channelId, messageId, author: null, createdAt: snowflakeTime(messageId), edits: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] } };
}
