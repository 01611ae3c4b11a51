import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DataKeyStore, StoredDataKey, TranscriptRecord, TranscriptRecordStore } from '../transcripts/ports';
import { sendIf, updateIf } from './dynamo-helpers';
import { DueKind, Keys } from './keys';

const RECORD_FIELDS = ['guildId', 'number', 'closedAt', 'prefix', 'openerId', 'storedAt', 'messageCount', 'attachmentCount', 'bytes', 'expiresAt', 'deliveredAt', 'embedChannelId', 'embedMessageId'] as const;
const toRecord = (item: Record<string, unknown>) => Object.fromEntries(RECORD_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as TranscriptRecord;

/**
 * Transcript records in the guild's partition (`TRANSCRIPT#<n>#<closedAt>`). A record with a
 * retention end is in the sparse `ByDue` index (`DUE#retention`), so the retention sweep reads only
 * what is due.
 */
export class DynamoTranscriptStore implements TranscriptRecordStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(record: TranscriptRecord): Promise<void> {
    const due = record.expiresAt !== null ? { dueKind: DueKind.retention, dueAt: record.expiresAt } : {};
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Keys.transcript(record.guildId, record.number, record.closedAt), ...record, ...due } }));
  }

  async create(record: TranscriptRecord): Promise<{ record: TranscriptRecord; created: boolean }> {
    const due = record.expiresAt !== null ? { dueKind: DueKind.retention, dueAt: record.expiresAt } : {};
    const put = new PutCommand({ TableName: this.tableName, Item: { ...Keys.transcript(record.guildId, record.number, record.closedAt), ...record, ...due }, ConditionExpression: 'attribute_not_exists(PK)' });
    if (await sendIf(this.db, put)) return { record, created: true };
    const existing = await this.get(record.guildId, record.number, record.closedAt);
    if (!existing) throw new Error(`transcript record ${record.guildId}/${record.number} vanished while being created`);
    return { record: existing, created: false };
  }

  /** A conditional update: not delivered (deliveredAt is null) and no claim younger than the lease. */
  async claimDelivery(guildId: string, number: number, closedAt: number, now: number, leaseMs: number): Promise<'claimed' | 'delivered' | 'busy'> {
    const claimed = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.transcript(guildId, number, closedAt),
        UpdateExpression: 'SET deliveryClaimedAt = :now',
        ConditionExpression: 'attribute_exists(PK) AND attribute_type(deliveredAt, :null) AND (attribute_not_exists(deliveryClaimedAt) OR deliveryClaimedAt <= :stale)',
        ExpressionAttributeValues: { ':now': now, ':null': 'NULL', ':stale': now - leaseMs },
      }),
    );
    if (claimed) return 'claimed';
    const current = await this.get(guildId, number, closedAt);
    if (!current) throw new Error(`transcript record ${guildId}/${number} is gone`);
    return current.deliveredAt !== null ? 'delivered' : 'busy';
  }

  async markDelivered(guildId: string, number: number, closedAt: number, at: number, post: { channelId: string; messageId: string } | null): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.transcript(guildId, number, closedAt),
        UpdateExpression: 'SET deliveredAt = :at, embedChannelId = :ch, embedMessageId = :msg',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at, ':ch': post?.channelId ?? null, ':msg': post?.messageId ?? null },
      }),
    );
  }

  async latest(guildId: string, number: number): Promise<TranscriptRecord | null> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.transcriptPrefix(number) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = res.Items?.[0];
    return item ? toRecord(item) : null;
  }

  async get(guildId: string, number: number, closedAt: number): Promise<TranscriptRecord | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.transcript(guildId, number, closedAt), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item) : null;
  }

  async dueExpired(now: number, limit: number): Promise<Array<Pick<TranscriptRecord, 'guildId' | 'number' | 'closedAt' | 'prefix'>>> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'ByDue',
        KeyConditionExpression: 'dueKind = :k AND dueAt <= :now',
        ExpressionAttributeValues: { ':k': DueKind.retention, ':now': now },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => ({ guildId: String(i.guildId), number: Number(i.number), closedAt: Number(i.closedAt), prefix: String(i.prefix) }));
  }

  async delete(guildId: string, number: number, closedAt: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.transcript(guildId, number, closedAt) }));
  }
}

/** The guild's wrapped data key (`GUILD#<gid>` / `DATAKEY`). */
export class DynamoDataKeyStore implements DataKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(guildId: string): Promise<StoredDataKey | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.dataKey(guildId), ConsistentRead: true }));
    const item = res.Item;
    if (!item) return null;
    return { keyId: String(item.keyId), wrapped: Buffer.from(item.wrapped as Uint8Array), wrapperId: String(item.wrapperId), createdAt: Number(item.createdAt) };
  }

  async putIfAbsent(guildId: string, key: StoredDataKey): Promise<StoredDataKey> {
    const put = await sendIf(
      this.db,
      new PutCommand({ TableName: this.tableName, Item: { ...Keys.dataKey(guildId), guildId, ...key }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
    if (put) return key;
    const existing = await this.get(guildId);
    if (!existing) throw new Error(`data key of guild ${guildId} vanished while being created`);
    return existing;
  }

  async delete(guildId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.dataKey(guildId) }));
  }
}
