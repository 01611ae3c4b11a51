import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GuildRecord, GuildStore, InstallOutcome } from '../ports/guild-store';
import { batchDelete, batchGet, sendIf } from './dynamo-helpers';
import { DueKind, Keys } from './keys';

/**
 * Guild lifecycle records in DynamoDB. A pending purge puts the item in the `ByDue` sparse index
 * (`dueKind = DUE#purge`, `dueAt = purgeAt`); re-installing removes both attributes.
 *
 * Status moves installed → removed → purging → (deleted). A purge first claims the guild
 * (removed → purging, conditional), so a re-install that lands meanwhile either wins before the
 * claim (the purge then does nothing) or after it (the install record is recreated and the
 * purge's final conditional delete of CONFIG fails, leaving the new record alone).
 */
export class DynamoGuildStore implements GuildStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(guildId: string): Promise<GuildRecord | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.guildConfig(guildId), ConsistentRead: true }));
    // Settings saved by /setup can precede the install record: no status means not recorded yet.
    return res.Item?.status ? toRecord(res.Item) : null;
  }

  async installedAmong(guildIds: string[]): Promise<Set<string>> {
    const items = await batchGet(this.db, this.tableName, [...new Set(guildIds)].map((g) => Keys.guildConfig(g)), { expression: 'guildId, #status', names: { '#status': 'status' } });
    return new Set(items.filter((i) => i.status === 'installed').map((i) => String(i.guildId)));
  }

  async markInstalled(guildId: string, ownerId: string, at: number): Promise<InstallOutcome> {
    // 1) first install: no lifecycle status yet (settings saved by /setup may already be there).
    const created = await sendIf(
      this.db,
      new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET guildId = :g, ownerId = :o, #status = :installed, installedAt = :at',
          ConditionExpression: 'attribute_not_exists(#status)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':g': guildId, ':o': ownerId, ':installed': 'installed', ':at': at },
      }),
    );
    if (created) return 'installed';
    // 2) came back while removed (or while a purge is running): cancel the purge.
    const reinstalled = await sendIf(
      this.db,
      new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET #status = :installed, ownerId = :o, reinstalledAt = :at REMOVE removedAt, purgeAt, dueKind, dueAt',
          ConditionExpression: '#status IN (:removed, :purging)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':installed': 'installed', ':removed': 'removed', ':purging': 'purging', ':o': ownerId, ':at': at },
      }),
    );
    return reinstalled ? 'reinstalled' : 'unchanged';
  }

  async markRemoved(guildId: string, at: number, purgeAt: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET #status = :removed, removedAt = :at, purgeAt = :p, dueKind = :k, dueAt = :p',
          ConditionExpression: 'attribute_exists(PK) AND #status = :installed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':removed': 'removed', ':installed': 'installed', ':at': at, ':p': purgeAt, ':k': DueKind.purge },
      }),
    );
  }

  async duePurges(now: number, limit: number): Promise<string[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'ByDue',
        KeyConditionExpression: 'dueKind = :k AND dueAt <= :now',
        ExpressionAttributeValues: { ':k': DueKind.purge, ':now': now },
        ProjectionExpression: 'guildId',
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => String(i.guildId));
  }

  async claimPurge(guildId: string, now: number): Promise<boolean> {
    // Only a removed guild whose purge is due (a crashed purge left it `purging`: resume it).
    return sendIf(
      this.db,
      new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET #status = :purging, purgeStartedAt = :now',
          ConditionExpression: '#status IN (:removed, :purging) AND purgeAt <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':purging': 'purging', ':removed': 'removed', ':now': now },
      }),
    );
  }

  async purge(guildId: string, now: number, beforeConfig?: () => Promise<unknown>): Promise<number | null> {
    if (!(await this.claimPurge(guildId, now))) return null;
    // The data key first: from here on the guild's archive is unreadable, whatever else fails.
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.dataKey(guildId) }));
    // The activation's guild half is the license store's to delete, in one transaction with the
    // license half and the seat count (a separate delete here could leave the seat taken).
    const keep = new Set(['CONFIG', Keys.guildLicense(guildId).SK]);
    let deleted = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId) },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: startKey,
        }),
      );
      // Everything but CONFIG: it goes last, so a crash mid-purge leaves the due marker for the next sweep.
      const keys = (page.Items ?? []).filter((i) => !keep.has(String(i.SK))).map((i) => ({ PK: i.PK, SK: i.SK }));
      deleted += await batchDelete(this.db, this.tableName, keys);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    await beforeConfig?.();
    const configDeleted = await sendIf(
      this.db,
      new DeleteCommand({
        TableName: this.tableName,
        Key: Keys.guildConfig(guildId),
        ConditionExpression: '#status = :purging',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':purging': 'purging' },
      }),
    );
    // Not deleted: re-added while purging; the new install record stays, the old data is gone.
    return configDeleted ? deleted + 1 : deleted;
  }
}

function toRecord(item: Record<string, unknown>): GuildRecord {
  return {
    guildId: String(item.guildId),
    ownerId: item.ownerId ? String(item.ownerId) : null,
    status: item.status === 'installed' ? 'installed' : item.status === 'purging' ? 'purging' : 'removed',
    installedAt: Number(item.installedAt ?? 0),
    removedAt: typeof item.removedAt === 'number' ? item.removedAt : null,
    purgeAt: typeof item.purgeAt === 'number' ? item.purgeAt : null,
  };
}
