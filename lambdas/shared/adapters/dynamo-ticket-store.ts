import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Category, GuildSettings, Ticket } from '../tickets/model';
import type { ReservationResult, ReserveTicketInput, TicketStore } from '../tickets/ports';
import { batchGet, sendIf } from './dynamo-helpers';
import { Keys } from './keys';

const TICKET_FIELDS = [
  'guildId', 'number', 'categoryId', 'openerId', 'status', 'mode', 'channelId', 'welcomeMessageId', 'answers', 'aboutMessageUrl',
  'claimedBy', 'priority', 'createdAt', 'lastActivityAt', 'closedAt', 'closedBy', 'closeReason', 'rating', 'feedback',
] as const;

function toTicket(item: Record<string, unknown>): Ticket {
  const t = Object.fromEntries(TICKET_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as Ticket;
  t.answers = (item.answers as Ticket['answers']) ?? [];
  return t;
}

function toCategory(item: Record<string, unknown>): Category {
  const { PK: _pk, SK: _sk, openCount: _open, ...rest } = item;
  return rest as unknown as Category;
}

/** Tickets, categories and settings in the guild's partition of the single table. */
export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSettings(guildId: string): Promise<GuildSettings | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.guildConfig(guildId), ProjectionExpression: 'settings', ConsistentRead: true }));
    return (res.Item?.settings as GuildSettings | undefined) ?? null;
  }

  async saveSettings(guildId: string, settings: GuildSettings): Promise<void> {
    // An update, not a put: the install record's lifecycle fields on the same item stay untouched.
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: Keys.guildConfig(guildId), UpdateExpression: 'SET settings = :s, guildId = :g', ExpressionAttributeValues: { ':s': settings, ':g': guildId } }),
    );
  }

  async getCategory(guildId: string, categoryId: string): Promise<Category | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.category(guildId, categoryId), ConsistentRead: true }));
    return res.Item ? toCategory(res.Item) : null;
  }

  async listCategories(guildId: string): Promise<Category[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :c)',
        ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':c': 'CATEGORY#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map(toCategory).sort((a, b) => a.createdAt - b.createdAt);
  }

  async saveCategory(guildId: string, category: Category): Promise<void> {
    const { id: _id, ...fields } = category;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':id': category.id };
    const sets = Object.entries(fields).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: Keys.category(guildId, category.id), UpdateExpression: `SET id = :id, ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
    );
  }

  async deleteCategory(guildId: string, categoryId: string): Promise<boolean> {
    return sendIf(this.db, new DeleteCommand({ TableName: this.tableName, Key: Keys.category(guildId, categoryId), ConditionExpression: 'attribute_exists(PK)' }));
  }

  async blacklistEntry(guildId: string, userId: string): Promise<{ reason: string | null } | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.blacklist(guildId, userId) }));
    return res.Item ? { reason: (res.Item.reason as string | undefined) ?? null } : undefined;
  }

  async reserveTicket(input: ReserveTicketInput): Promise<ReservationResult> {
    const { guildId, category, openerId, now } = input;
    // A member at their limit is refused before a ticket number is taken, so refusals leave no gaps
    // in the numbering; the transaction below still decides races.
    const early = await this.memberRefusal(guildId, openerId, category, now);
    if (early) return early;
    const counter = await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: Keys.counter(guildId), UpdateExpression: 'ADD nextNumber :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
    );
    const number = Number(counter.Attributes!.nextNumber);
    const ticket: Ticket = {
      guildId,
      number,
      categoryId: category.id,
      openerId,
      status: 'opening',
      mode: input.mode,
      channelId: null,
      welcomeMessageId: null,
      answers: input.answers,
      aboutMessageUrl: input.aboutMessageUrl,
      claimedBy: null,
      priority: 'normal',
      createdAt: now,
      lastActivityAt: now,
      closedAt: null,
      closedBy: null,
      closeReason: null,
      rating: null,
      feedback: null,
    };
    const { perMember, cooldownMinutes, totalOpen } = category.limits;
    const cooldownCutoff = now - cooldownMinutes * 60_000;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // The member's slot: fewer than `perMember` open here, and not within the cooldown.
              Update: {
                TableName: this.tableName,
                Key: Keys.memberCategory(guildId, openerId, category.id),
                UpdateExpression: 'ADD openNumbers :n SET lastOpenAt = :now',
                ConditionExpression: '(attribute_not_exists(openNumbers) OR size(openNumbers) < :limit) AND (attribute_not_exists(lastOpenAt) OR lastOpenAt <= :cutoff)',
                ExpressionAttributeValues: { ':n': new Set([number]), ':now': now, ':limit': perMember, ':cutoff': cooldownCutoff },
              },
            },
            {
              // The category's slot: it still exists and is under its total cap.
              Update: {
                TableName: this.tableName,
                Key: Keys.category(guildId, category.id),
                UpdateExpression: 'ADD openCount :one',
                ConditionExpression: totalOpen === null ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND (attribute_not_exists(openCount) OR openCount < :cap)',
                ExpressionAttributeValues: totalOpen === null ? { ':one': 1 } : { ':one': 1, ':cap': totalOpen },
              },
            },
            { Put: { TableName: this.tableName, Item: { ...Keys.ticket(guildId, number), ...ticket }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
      return { ok: true, ticket };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [memberReason, categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (memberReason === 'ConditionalCheckFailed') {
        return (await this.memberRefusal(guildId, openerId, category, now)) ?? { ok: false, reason: 'cooldown', retryAt: now };
      }
      if (categoryReason === 'ConditionalCheckFailed') {
        const still = await this.getCategory(guildId, category.id);
        return still ? { ok: false, reason: 'category_full', cap: totalOpen ?? 0 } : { ok: false, reason: 'category_deleted' };
      }
      throw err;
    }
  }

  /** Why the member may not open a ticket in this category now, or null when they may. */
  private async memberRefusal(guildId: string, openerId: string, category: Category, now: number): Promise<ReservationResult | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.memberCategory(guildId, openerId, category.id), ConsistentRead: true }));
    const open = [...((res.Item?.openNumbers as Set<number> | undefined) ?? [])];
    if (open.length >= category.limits.perMember) {
      const items = await batchGet(this.db, this.tableName, open.map((n) => Keys.ticket(guildId, Number(n))));
      return { ok: false, reason: 'member_limit', limit: category.limits.perMember, openTickets: items.map(toTicket).sort((a, b) => a.number - b.number) };
    }
    const retryAt = Number(res.Item?.lastOpenAt ?? 0) + category.limits.cooldownMinutes * 60_000;
    return retryAt > now ? { ok: false, reason: 'cooldown', retryAt } : null;
  }

  async abandonTicket(ticket: Ticket): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: Keys.ticket(ticket.guildId, ticket.number), ConditionExpression: '#status = :opening', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':opening': 'opening' } } },
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.memberCategory(ticket.guildId, ticket.openerId, ticket.categoryId),
              // The cooldown is given back too: the member never got a ticket.
              UpdateExpression: 'DELETE openNumbers :n REMOVE lastOpenAt',
              ExpressionAttributeValues: { ':n': new Set([ticket.number]) },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.category(ticket.guildId, ticket.categoryId),
              UpdateExpression: 'ADD openCount :minus',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
        ],
      }),
    ).catch(async (err) => {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [ticketReason, , categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (ticketReason === 'ConditionalCheckFailed') return; // already abandoned (a retried job)
      if (categoryReason === 'ConditionalCheckFailed') {
        // The category was deleted meanwhile: release the rest without it.
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.ticket(ticket.guildId, ticket.number) }));
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.memberCategory(ticket.guildId, ticket.openerId, ticket.categoryId),
            UpdateExpression: 'DELETE openNumbers :n REMOVE lastOpenAt',
            ExpressionAttributeValues: { ':n': new Set([ticket.number]) },
          }),
        );
        return;
      }
      throw err;
    });
  }

  async getTicket(guildId: string, number: number): Promise<Ticket | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.ticket(guildId, number), ConsistentRead: true }));
    return res.Item ? toTicket(res.Item) : null;
  }

  async ticketByChannel(channelId: string): Promise<Ticket | null> {
    const res = await this.db.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': Keys.channelIndex(channelId).GSI1PK }, Limit: 1 }),
    );
    const item = res.Items?.[0];
    // The index is eventually consistent: read the row itself for current state.
    return item ? this.getTicket(String(item.guildId), Number(item.number)) : null;
  }

  async attachChannel(ticket: Ticket, channelId: string): Promise<string> {
    const applied = await sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(ticket.guildId, ticket.number),
        UpdateExpression: 'SET channelId = :c, GSI1PK = :gpk, GSI1SK = :gsk',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(channelId) OR channelId = :null)',
        ExpressionAttributeValues: { ':c': channelId, ':gpk': Keys.channelIndex(channelId).GSI1PK, ':gsk': Keys.channelIndex(channelId).GSI1SK, ':null': null },
      }),
    );
    if (applied) return channelId;
    const current = await this.getTicket(ticket.guildId, ticket.number);
    if (!current?.channelId) throw new Error(`ticket ${ticket.guildId}#${ticket.number} vanished while attaching its channel`);
    return current.channelId;
  }

  async markOpen(ticket: Ticket, welcomeMessageId: string, now: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(ticket.guildId, ticket.number),
        UpdateExpression: 'SET #status = :open, welcomeMessageId = :w, openedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':w': welcomeMessageId, ':now': now },
      }),
    );
  }
}

