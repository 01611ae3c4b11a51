import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OPEN_CHANNELS_PART } from './keys';

/** A thread or channel of an open (or opening) ticket, as the gateway needs to know it. */
export interface OpenTicketChannel {
  guildId: string;
  channelId: string;
  openerId: string;
}

/**
 * Reads the sparse `OpenChannels` index (ticket rows carry `openPart` / `openChannelId` while their
 * ticket is open: set with the channel, removed at close, set again at reopen). The gateway task
 * pages through it at start and on every refresh; it never reads per message.
 *
 * The index is eventually consistent: a ticket opened or closed a moment ago may be missing or
 * still listed, which the gateway covers with what it sees itself (see `ticket-channels.ts`).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
 */
export class DynamoOpenTicketChannels {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every open ticket channel, page by page (`pageSize` items per Query). */
  async *list(pageSize = 1000): AsyncGenerator<OpenTicketChannel[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'OpenChannels',
          KeyConditionExpression: 'openPart = :p',
          ExpressionAttributeValues: { ':p': OPEN_CHANNELS_PART },
          ProjectionExpression: 'guildId, openChannelId, openerId',
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      yield (res.Items ?? []).map((i) => ({ guildId: String(i.guildId), channelId: String(i.openChannelId), openerId: String(i.openerId) }));
      start = res.LastEvaluatedKey;
    } while (start);
  }
}
