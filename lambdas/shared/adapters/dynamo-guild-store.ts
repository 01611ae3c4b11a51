import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GuildRecord, GuildStore, InstallOutcome } from '../ports/guild-store';
import { DueKind, Keys } from './keys';

/**
 * Guild lifecycle records in DynamoDB. A pending purge puts the item in the `ByDue` sparse index
 * (`dueKind = DUE#purge`, `dueAt = purgeAt`); re-installing removes both attributes.
 */
export class DynamoGuildStore implements GuildStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(guildId: string): Promise<GuildRecord | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.guildConfig(guildId), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item) : null;
  }

  async installedAmong(guildIds: string[]): Promise<Set<string>> {
    const installed = new Set<string>();
    const unique = [...new Set(guildIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((g) => Keys.guildConfig(g));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const res = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'guildId, #status', ExpressionAttributeNames: { '#status': 'status' } } } }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) if (item.status === 'installed') installed.add(String(item.guildId));
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return installed;
  }

  async markInstalled(guildId: string, ownerId: string, at: number): Promise<InstallOutcome> {
    // 1) first install: create only if absent.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET guildId = :g, ownerId = :o, #status = :installed, installedAt = :at',
          ConditionExpression: 'attribute_not_exists(PK)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':g': guildId, ':o': ownerId, ':installed': 'installed', ':at': at },
        }),
      );
      return 'installed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    // 2) came back while removed: cancel the purge.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET #status = :installed, ownerId = :o, reinstalledAt = :at REMOVE removedAt, purgeAt, dueKind, dueAt',
          ConditionExpression: '#status = :removed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':installed': 'installed', ':removed': 'removed', ':o': ownerId, ':at': at },
        }),
      );
      return 'reinstalled';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return 'unchanged';
    }
  }

  async markRemoved(guildId: string, at: number, purgeAt: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.guildConfig(guildId),
          UpdateExpression: 'SET #status = :removed, removedAt = :at, purgeAt = :p, dueKind = :k, dueAt = :p',
          // An older removal keeps its earlier purge date: the 30 days run from the first removal.
          ConditionExpression: 'attribute_exists(PK) AND #status = :installed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':removed': 'removed', ':installed': 'installed', ':at': at, ':p': purgeAt, ':k': DueKind.purge },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
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

  async purge(guildId: string, now: number): Promise<number | null> {
    const current = await this.get(guildId);
    if (!current || current.status !== 'removed' || current.purgeAt === null || current.purgeAt > now) return null;
    let deleted = 0;
    let configKey: Record<string, string> | null = null;
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
      const keys = (page.Items ?? []).map((i) => ({ PK: String(i.PK), SK: String(i.SK) }));
      // The CONFIG item goes last so that a crash mid-purge leaves the due marker for the next sweep.
      const others = keys.filter((k) => k.SK !== 'CONFIG');
      if (others.length !== keys.length) configKey = Keys.guildConfig(guildId);
      deleted += await this.batchDelete(others);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (configKey) deleted += await this.batchDelete([configKey as { PK: string; SK: string }]);
    return deleted;
  }

  /** BatchWriteItem in chunks of 25, re-sending unprocessed items. */
  private async batchDelete(keys: Array<{ PK: string; SK: string }>): Promise<number> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }));
        requests = res.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
    return keys.length;
  }
}

function toRecord(item: Record<string, unknown>): GuildRecord {
  return {
    guildId: String(item.guildId),
    ownerId: item.ownerId ? String(item.ownerId) : null,
    status: item.status === 'removed' ? 'removed' : 'installed',
    installedAt: Number(item.installedAt ?? 0),
    removedAt: typeof item.removedAt === 'number' ? item.removedAt : null,
    purgeAt: typeof item.purgeAt === 'number' ? item.purgeAt : null,
  };
}
