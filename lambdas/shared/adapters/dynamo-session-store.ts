import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../lib/resources';
import type { DashboardSession, SessionStore } from '../ports/sessions';
import { Keys } from './keys';

/** Sessions in DynamoDB; TTL removes them eventually, `get` ignores expired ones at once. */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(s: DashboardSession): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        // `expiresAt` is the table's TTL attribute (epoch seconds); the session keeps its own ms value apart.
        Item: { ...Keys.session(s.id), id: s.id, userId: s.userId, username: s.username, avatar: s.avatar, guilds: s.guilds, createdAt: s.createdAt, validUntil: s.expiresAt, [TABLE.ttlAttribute]: Math.ceil(s.expiresAt / 1000) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(id: string, now: number): Promise<DashboardSession | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.session(id) }));
    const item = res.Item;
    if (!item || Number(item.validUntil) <= now) return null;
    return {
      id: String(item.id),
      userId: String(item.userId),
      username: String(item.username),
      avatar: (item.avatar as string | null) ?? null,
      guilds: (item.guilds as DashboardSession['guilds']) ?? [],
      createdAt: Number(item.createdAt),
      expiresAt: Number(item.validUntil),
    };
  }

  async delete(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.session(id) }));
  }
}
