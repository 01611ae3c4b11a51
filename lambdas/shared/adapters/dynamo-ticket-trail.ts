import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketTrail, TrailEvent } from '../tickets/trail';
import { queryAll, sendIf } from './dynamo-helpers';
import { Keys } from './keys';

/** The ticket event trail in the guild's partition (`TRAIL#<n>#<at>#<event>:<actor>`), one Query per ticket. */
export class DynamoTicketTrail implements TicketTrail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: TrailEvent): Promise<void> {
    // The key names the event, so a redelivered job writes the same item (kept once).
    const key = Keys.trailEvent(event.guildId, event.number, event.at, `${event.event}:${event.actorId ?? 'auto'}`);
    await sendIf(this.db, new PutCommand({ TableName: this.tableName, Item: { ...key, ...event }, ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async list(guildId: string, number: number): Promise<TrailEvent[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': Keys.trailPrefix(number) },
    });
    return items.map((i) => ({ guildId: String(i.guildId), number: Number(i.number), at: Number(i.at), event: i.event as TrailEvent['event'], actorId: (i.actorId as string | null) ?? null, details: (i.details as TrailEvent['details']) ?? {} }));
  }
}
