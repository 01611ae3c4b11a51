import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ACTIVITY_WRITE_INTERVAL_MS, firstAutoCloseDue } from '../tickets/auto-close-schedule';
import type { Category, GuildSettings, Ticket, TranscriptStatus } from '../tickets/model';
import type { BlacklistEntry, CloseTicketInput, DueTicket, MemberSlot, OpenTicketDue, ReopenResult, ReservationRefusal, ReservationResult, ReserveTicketInput, TicketChanges, TicketStore } from '../tickets/ports';
import { batchGet, queryAll, sendIf, transactWrite, updateIf } from './dynamo-helpers';
import { DueKind, Keys } from './keys';
import { TRANSCRIPT_DUE_MS } from '../transcripts/schedule';

const TICKET_FIELDS = [
  'guildId', 'number', 'categoryId', 'openerId', 'status', 'mode', 'channelId', 'welcomeMessageId', 'answers', 'aboutMessageUrl',
  'claimedBy', 'priority', 'createdAt', 'lastActivityAt', 'closedAt', 'closedBy', 'closeReason', 'rating', 'feedback',
  'autoCloseWarnedAt', 'archivingAt', 'archivedAt', 'reopenedAt', 'reopenedBy', 'transcriptStatus', 'openerLeftAt', 'transcriptError',
] as const;

function toTicket(item: Record<string, unknown>): Ticket {
  const t = Object.fromEntries(TICKET_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as Ticket;
  t.answers = (item.answers as Ticket['answers']) ?? [];
  return t;
}

function toCategory(item: Record<string, unknown>): Category {
  const { PK: _pk, SK: _sk, openCount: _open, deletedAt: _deleted, ...rest } = item;
  return rest as unknown as Category;
}

/**
 * A deleted category stays as a tombstone (`deletedAt` set): its id is never handed out again, so
 * tickets, slots and panel buttons that still name it can never point at a new category, and
 * closing its old tickets keeps counting on its own `openCount`. The guild purge removes it.
 */
const LIVE_CATEGORY = 'attribute_exists(PK) AND attribute_not_exists(deletedAt)';
/** Days the record of an opener's leave is kept (the events DLQ keeps an event 14 days). */
const OPENER_LEFT_RECORD_DAYS = 15;

/** Tickets, categories and settings in the guild's partition of the single table. */
/** A ticket still `opening` this long after its reservation is repaired by the sweeper. */
export const PROVISION_REPAIR_AFTER_MS = 15 * 60_000;

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
    return res.Item && res.Item.deletedAt === undefined ? toCategory(res.Item) : null;
  }

  async listCategories(guildId: string): Promise<Category[]> {
    // Paged: tombstones are read (and filtered out) too, so a guild's items may outgrow one 1 MB page.
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :c)',
      FilterExpression: 'attribute_not_exists(deletedAt)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':c': 'CATEGORY#' },
      ConsistentRead: true,
    });
    return items.map(toCategory).sort((a, b) => a.createdAt - b.createdAt);
  }

  async saveCategory(guildId: string, category: Category): Promise<boolean> {
    const { id: _id, ...fields } = category;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':id': category.id };
    const sets = Object.entries(fields).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    // Only a live category: an edit racing a delete must not bring it back (nor create one).
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.category(guildId, category.id),
        UpdateExpression: `SET id = :id, ${sets.join(', ')}`,
        ConditionExpression: LIVE_CATEGORY,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async deleteCategory(guildId: string, categoryId: string, now: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({ TableName: this.tableName, Key: Keys.category(guildId, categoryId), UpdateExpression: 'SET deletedAt = :now', ConditionExpression: LIVE_CATEGORY, ExpressionAttributeValues: { ':now': now } }),
    );
  }

  async createCategory(guildId: string, category: Category): Promise<boolean> {
    // A tombstone holds its id too: a deleted category's id is never reused.
    return sendIf(this.db, new PutCommand({ TableName: this.tableName, Item: { ...Keys.category(guildId, category.id), ...category }, ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async blacklistEntry(guildId: string, userId: string): Promise<{ reason: string | null } | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.blacklist(guildId, userId) }));
    return res.Item ? { reason: (res.Item.reason as string | undefined) ?? null } : undefined;
  }

  async reserveTicket(input: ReserveTicketInput): Promise<ReservationResult> {
    const { guildId, category, openerId, now } = input;
    // A member at their limit is refused before a ticket number is taken, so refusals leave no gaps
    // in the numbering; the transaction below still decides races.
    const early = await this.memberRefusal(guildId, openerId, category, now, input.memberSlot);
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
      await transactWrite(this.db, {
          TransactItems: [
            {
              // The member's slot: fewer than `perMember` open here, and not within the cooldown.
              Update: {
                TableName: this.tableName,
                Key: Keys.memberCategory(guildId, openerId, category.id),
                UpdateExpression: 'ADD openNumbers :n SET lastOpenAt = :now',
                // Without a cooldown, no time condition: a concurrent click stamped a few ms later must not read as one.
                ConditionExpression: `(attribute_not_exists(openNumbers) OR size(openNumbers) < :limit)${cooldownMinutes > 0 ? ' AND (attribute_not_exists(lastOpenAt) OR lastOpenAt <= :cutoff)' : ''}`,
                ExpressionAttributeValues: { ':n': new Set([number]), ':now': now, ':limit': perMember, ...(cooldownMinutes > 0 ? { ':cutoff': cooldownCutoff } : {}) },
              },
            },
            {
              // The category's slot: it still exists (not a tombstone) and is under its total cap.
              Update: {
                TableName: this.tableName,
                Key: Keys.category(guildId, category.id),
                UpdateExpression: 'ADD openCount :one',
                ConditionExpression: totalOpen === null ? LIVE_CATEGORY : `${LIVE_CATEGORY} AND (attribute_not_exists(openCount) OR openCount < :cap)`,
                ExpressionAttributeValues: totalOpen === null ? { ':one': 1 } : { ':one': 1, ':cap': totalOpen },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                // Due for repair unless the worker finishes it first (markOpen takes it out of the index).
                Item: { ...Keys.ticket(guildId, number), ...ticket, dueKind: DueKind.provision, dueAt: now + PROVISION_REPAIR_AFTER_MS },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        });
      return { ok: true, ticket };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [memberReason, categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (memberReason === 'ConditionalCheckFailed') {
        const refusal = await this.memberRefusal(guildId, openerId, category, now);
        if (refusal) return refusal;
        // The slot that refused was freed before this read (a concurrent open rolled back or closed).
        // Without a cooldown only the limit can have refused: the member-limit answer (a ticket
        // "being created right now"), never "recently opened" at this very moment.
        if (cooldownMinutes <= 0) return { ok: false, reason: 'member_limit', limit: perMember, openTickets: [] };
        return { ok: false, reason: 'cooldown', retryAt: now };
      }
      if (categoryReason === 'ConditionalCheckFailed') {
        const still = await this.getCategory(guildId, category.id);
        return still ? { ok: false, reason: 'category_full', cap: totalOpen ?? 0 } : { ok: false, reason: 'category_deleted' };
      }
      throw err;
    }
  }

  async reservationRefusal(guildId: string, openerId: string, category: Category, now: number, memberSlot?: MemberSlot): Promise<ReservationRefusal | null> {
    const [member, stored] = await Promise.all([
      this.memberRefusal(guildId, openerId, category, now, memberSlot),
      category.limits.totalOpen === null ? null : this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.category(guildId, category.id), ConsistentRead: true })),
    ]);
    if (member && !member.ok) return member;
    const { totalOpen } = category.limits;
    if (totalOpen !== null && Number(stored?.Item?.openCount ?? 0) >= totalOpen) return { reason: 'category_full', cap: totalOpen };
    return null;
  }

  async memberSlot(guildId: string, openerId: string, categoryId: string): Promise<MemberSlot> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.memberCategory(guildId, openerId, categoryId), ConsistentRead: true }));
    return { openNumbers: [...((res.Item?.openNumbers as Set<number> | undefined) ?? [])].map(Number), lastOpenAt: res.Item?.lastOpenAt === undefined ? null : Number(res.Item.lastOpenAt) };
  }

  /** Why the member may not open a ticket in this category now, or null when they may. */
  private async memberRefusal(guildId: string, openerId: string, category: Category, now: number, slot?: MemberSlot): Promise<ReservationResult | null> {
    const { openNumbers: open, lastOpenAt } = slot ?? (await this.memberSlot(guildId, openerId, category.id));
    if (open.length >= category.limits.perMember) {
      const items = await batchGet(this.db, this.tableName, open.map((n) => Keys.ticket(guildId, Number(n))));
      return { ok: false, reason: 'member_limit', limit: category.limits.perMember, openTickets: items.map(toTicket).sort((a, b) => a.number - b.number) };
    }
    if (category.limits.cooldownMinutes <= 0) return null;
    const retryAt = (lastOpenAt ?? 0) + category.limits.cooldownMinutes * 60_000;
    return retryAt > now ? { ok: false, reason: 'cooldown', retryAt } : null;
  }

  async abandonTicket(ticket: Ticket, channelId: string | null): Promise<boolean> {
    // Still opening, and holding this attempt's channel or none: never the row of a channel another attempt recorded.
    const opening = {
      ConditionExpression: `#status = :opening AND (attribute_not_exists(channelId) OR channelId = :null${channelId ? ' OR channelId = :ours' : ''})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':opening': 'opening', ':null': null, ...(channelId ? { ':ours': channelId } : {}) },
    };
    return transactWrite(this.db, {
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: Keys.ticket(ticket.guildId, ticket.number), ...opening } },
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
              // Never below 0 (and never creating an item): a count that drifted stays at 0.
              ConditionExpression: 'openCount > :zero',
              ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
            },
          },
        ],
      }).then(() => true, async (err) => {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [ticketReason, , categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (ticketReason === 'ConditionalCheckFailed') return false; // already abandoned (a retried job), or opened since
      if (categoryReason === 'ConditionalCheckFailed') {
        // No count to release (already 0, or a category removed before deletes left tombstones):
        // release the rest without it, the row only while it is still `opening`.
        const deleted = await sendIf(
          this.db,
          new DeleteCommand({ TableName: this.tableName, Key: Keys.ticket(ticket.guildId, ticket.number), ...opening }),
        );
        if (!deleted) return false;
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.memberCategory(ticket.guildId, ticket.openerId, ticket.categoryId),
            UpdateExpression: 'DELETE openNumbers :n REMOVE lastOpenAt',
            ExpressionAttributeValues: { ':n': new Set([ticket.number]) },
          }),
        );
        return true;
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
        // Enters the OpenChannels index with its channel: the gateway forwards this channel's messages.
        UpdateExpression: 'SET channelId = :c, GSI1PK = :gpk, GSI1SK = :gsk, openPart = :op, openChannelId = :c',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(channelId) OR channelId = :null)',
        ExpressionAttributeValues: { ':c': channelId, ':gpk': Keys.channelIndex(channelId).GSI1PK, ':gsk': Keys.channelIndex(channelId).GSI1SK, ':op': Keys.openChannel(channelId).openPart, ':null': null },
      }),
    );
    if (applied) return channelId;
    const current = await this.getTicket(ticket.guildId, ticket.number);
    if (!current?.channelId) throw new Error(`ticket ${ticket.guildId}#${ticket.number} vanished while attaching its channel`);
    return current.channelId;
  }

  async markOpen(ticket: Ticket, welcomeMessageId: string | null, now: number): Promise<void> {
    const base = {
      TableName: this.tableName,
      Key: Keys.ticket(ticket.guildId, ticket.number),
      ExpressionAttributeNames: { '#status': 'status' },
    };
    // One write in the usual case: open, and leave the repair index. Readers never see an open
    // ticket still due for repair.
    const left = await sendIf(
      this.db,
      new UpdateCommand({
        ...base,
        UpdateExpression: 'SET #status = :open, welcomeMessageId = :w, openedAt = :now REMOVE dueKind, dueAt',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(dueKind) OR dueKind = :k)',
        ExpressionAttributeValues: { ':open': 'open', ':w': welcomeMessageId, ':now': now, ':k': DueKind.provision },
      }),
    );
    if (left) return;
    // Another due step (an auto-close set by early activity) stays in the index.
    await this.db.send(
      new UpdateCommand({
        ...base,
        UpdateExpression: 'SET #status = :open, welcomeMessageId = :w, openedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':open': 'open', ':w': welcomeMessageId, ':now': now },
      }),
    );
  }

  dueRepairs(now: number, limit: number): Promise<DueTicket[]> {
    return this.dueTickets(DueKind.provision, now, limit);
  }

  /** Tickets whose `kind` step is due at `now`, oldest first: a Query on the sparse ByDue index. */
  private async dueTickets(kind: string, now: number, limit: number): Promise<DueTicket[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'ByDue',
        KeyConditionExpression: 'dueKind = :k AND dueAt <= :now',
        ExpressionAttributeValues: { ':k': kind, ':now': now },
        ProjectionExpression: 'guildId, #n, dueAt',
        ExpressionAttributeNames: { '#n': 'number' },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => ({ guildId: String(i.guildId), number: Number(i.number), dueAt: Number(i.dueAt) }));
  }

  async claimRepair(guildId: string, number: number, seenDueAt: number, nextDueAt: number): Promise<number | null> {
    const attrs = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET dueAt = :next ADD repairAttempts :one',
        ConditionExpression: 'dueKind = :k AND dueAt = :seen',
        ExpressionAttributeValues: { ':next': nextDueAt, ':one': 1, ':k': DueKind.provision, ':seen': seenDueAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return attrs === null ? null : Number(attrs.repairAttempts ?? 1);
  }

  dueTranscriptBuilds(now: number, limit: number): Promise<DueTicket[]> {
    return this.dueTickets(DueKind.transcript, now, limit);
  }

  async claimTranscriptRepair(guildId: string, number: number, seenDueAt: number, nextDueAt: number): Promise<{ closedAt: number; transcriptStatus: TranscriptStatus | null; repairs: number } | null> {
    const attrs = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET dueAt = :next ADD transcriptRepairs :one',
        ConditionExpression: 'dueKind = :k AND dueAt = :seen AND #status = :closed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':next': nextDueAt, ':one': 1, ':k': DueKind.transcript, ':seen': seenDueAt, ':closed': 'closed' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (attrs === null) return null;
    return { closedAt: Number(attrs.closedAt), transcriptStatus: (attrs.transcriptStatus as TranscriptStatus | undefined) ?? null, repairs: Number(attrs.transcriptRepairs ?? 1) };
  }

  // ---------------------------------------------------------------- working, closing, reopening

  async updateOpenTicket(guildId: string, number: number, changes: TicketChanges, expect?: { claimedBy: string | null }): Promise<Ticket | null> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':open': 'open' };
    const sets = Object.entries(changes).map(([k, v]) => {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      return `#${k} = :${k}`;
    });
    let condition = '#status = :open';
    if (expect) {
      names['#claimedBy'] = 'claimedBy';
      values[':expected'] = expect.claimedBy;
      condition += expect.claimedBy === null ? ' AND (attribute_not_exists(#claimedBy) OR #claimedBy = :expected)' : ' AND #claimedBy = :expected';
    }
    const attrs = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: `SET ${sets.length ? sets.join(', ') : '#status = :open'}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return attrs === null ? null : toTicket(attrs);
  }

  async touchTicket(guildId: string, number: number, now: number, settings?: GuildSettings | null): Promise<boolean> {
    const current = settings === undefined ? await this.getSettings(guildId) : settings;
    const due = current ? firstAutoCloseDue(current, now) : null;
    const values: Record<string, unknown> = { ':open': 'open', ':now': now, ':cutoff': now - ACTIVITY_WRITE_INTERVAL_MS };
    // Chatty tickets write once a minute; a warning to cancel or a due time to add/drop always writes.
    let condition = '#status = :open AND (attribute_not_exists(lastActivityAt) OR lastActivityAt <= :cutoff OR attribute_exists(autoCloseWarnedAt)';
    let update: string;
    if (due !== null) {
      update = 'SET lastActivityAt = :now, dueKind = :k, dueAt = :due REMOVE autoCloseWarnedAt';
      Object.assign(values, { ':k': DueKind.autoClose, ':due': due });
      condition += ' OR attribute_not_exists(dueKind))';
    } else {
      update = 'SET lastActivityAt = :now REMOVE dueKind, dueAt, autoCloseWarnedAt';
      condition += ' OR attribute_exists(dueKind))';
    }
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async closeTicket(ticket: Ticket, close: CloseTicketInput): Promise<Ticket | null> {
    const { guildId, number } = ticket;
    const values: Record<string, unknown> = { ':open': 'open', ':closed': 'closed', ':now': close.now, ':by': close.closedBy, ':reason': close.reason, ':pending': 'pending', ':tk': DueKind.transcript, ':td': close.now + TRANSCRIPT_DUE_MS };
    if (close.expectLastActivityAt !== undefined) values[':la'] = close.expectLastActivityAt;
    const row = {
      Update: {
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        // The transcript is pending from the same write: a closed ticket always shows its transcript's
        // state, and is due for the transcript repair sweep until the build stores (or fails) it.
        UpdateExpression: 'SET #status = :closed, closedAt = :now, closedBy = :by, closeReason = :reason, transcriptStatus = :pending, dueKind = :tk, dueAt = :td REMOVE autoCloseWarnedAt, transcriptError, transcriptRepairs, openPart, openChannelId',
        ConditionExpression: close.expectLastActivityAt === undefined ? '#status = :open' : '#status = :open AND lastActivityAt = :la',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
    };
    // The opener's slot is released; their cooldown (lastOpenAt) stays.
    const member = { Update: { TableName: this.tableName, Key: Keys.memberCategory(guildId, ticket.openerId, ticket.categoryId), UpdateExpression: 'DELETE openNumbers :n', ExpressionAttributeValues: { ':n': new Set([number]) } } };
    const category = {
      // Never below zero (a count that drifted is not made worse); a failed condition falls back below.
      Update: { TableName: this.tableName, Key: Keys.category(guildId, ticket.categoryId), UpdateExpression: 'ADD openCount :minus', ConditionExpression: 'attribute_exists(PK) AND openCount > :zero', ExpressionAttributeValues: { ':minus': -1, ':zero': 0 } },
    };
    const closed: Ticket = { ...ticket, status: 'closed', closedAt: close.now, closedBy: close.closedBy, closeReason: close.reason, autoCloseWarnedAt: null, transcriptStatus: 'pending' };
    try {
      await transactWrite(this.db, { TransactItems: [row, member, category] });
      return closed;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [rowReason, , categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (rowReason === 'ConditionalCheckFailed') return null;
      if (categoryReason !== 'ConditionalCheckFailed') throw err;
    }
    // The category was deleted meanwhile (or its count is already zero): release the rest without it.
    try {
      await transactWrite(this.db, { TransactItems: [row, member] });
      return closed;
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return null;
      throw err;
    }
  }

  async reopenTicket(ticket: Ticket, category: Category, by: string, now: number, settings: GuildSettings | null): Promise<ReopenResult> {
    if (ticket.status !== 'closed' || ticket.closedAt === null) return { ok: false, reason: 'not_closed' };
    const { guildId, number } = ticket;
    const { perMember, totalOpen } = category.limits;
    // Due for auto-close in the same write: if the worker's half fails, nothing stays open unwatched.
    const due = settings ? firstAutoCloseDue(settings, now) : null;
    try {
      await transactWrite(this.db, {
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: Keys.ticket(guildId, number),
                UpdateExpression: `SET #status = :open, reopenedAt = :now, reopenedBy = :by, lastActivityAt = :now, closedAt = :null, closedBy = :null, closeReason = :null${
                  due === null ? '' : ', dueKind = :k, dueAt = :due'
                }${ticket.channelId ? ', openPart = :op, openChannelId = :ch' : ''} REMOVE archivingAt, archivedAt, autoCloseWarnedAt, openerLeftAt${
                  // Without an auto-close step, the closed ticket's transcript due marker goes (the next close sets its own).
                  due === null ? ', dueKind, dueAt' : ''
                }`,
                // A channel whose archive job has started is being deleted: that close is final.
                ConditionExpression: `${THIS_CLOSE}${ticket.mode === 'channel' ? ' AND attribute_not_exists(archivingAt) AND attribute_not_exists(archivedAt)' : ''}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':open': 'open', ':closed': 'closed', ':now': now, ':by': by, ':null': null, ':closedAt': ticket.closedAt,
                  ...(due === null ? {} : { ':k': DueKind.autoClose, ':due': due }),
                  ...(ticket.channelId ? { ':op': Keys.openChannel(ticket.channelId).openPart, ':ch': ticket.channelId } : {}),
                },
              },
            },
            {
              // The opener's slot again, under the per-member limit (no cooldown: it is not a new ticket).
              Update: {
                TableName: this.tableName,
                Key: Keys.memberCategory(guildId, ticket.openerId, category.id),
                UpdateExpression: 'ADD openNumbers :n',
                ConditionExpression: 'attribute_not_exists(openNumbers) OR size(openNumbers) < :limit',
                ExpressionAttributeValues: { ':n': new Set([number]), ':limit': perMember },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: Keys.category(guildId, category.id),
                UpdateExpression: 'ADD openCount :one',
                ConditionExpression: totalOpen === null ? LIVE_CATEGORY : `${LIVE_CATEGORY} AND (attribute_not_exists(openCount) OR openCount < :cap)`,
                ExpressionAttributeValues: totalOpen === null ? { ':one': 1 } : { ':one': 1, ':cap': totalOpen },
              },
            },
          ],
        });
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [rowReason, memberReason, categoryReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (rowReason === 'ConditionalCheckFailed') {
        // Still this close: then only the archive claim can have refused it (channel mode).
        const current = ticket.mode === 'channel' ? await this.getTicket(guildId, number) : null;
        return current?.status === 'closed' && current.closedAt === ticket.closedAt ? { ok: false, reason: 'archived' } : { ok: false, reason: 'not_closed' };
      }
      if (memberReason === 'ConditionalCheckFailed') {
        const refusal = await this.memberRefusal(guildId, ticket.openerId, category, now);
        return refusal?.ok === false && refusal.reason === 'member_limit' ? refusal : { ok: false, reason: 'member_limit', limit: perMember, openTickets: [] };
      }
      if (categoryReason === 'ConditionalCheckFailed') {
        return (await this.getCategory(guildId, category.id)) ? { ok: false, reason: 'category_full', cap: totalOpen ?? 0 } : { ok: false, reason: 'category_deleted' };
      }
      throw err;
    }
    return {
      ok: true,
      ticket: { ...ticket, status: 'open', reopenedAt: now, reopenedBy: by, lastActivityAt: now, closedAt: null, closedBy: null, closeReason: null, archivingAt: null, archivedAt: null, autoCloseWarnedAt: null, openerLeftAt: null },
    };
  }

  async claimArchive(guildId: string, number: number, closedAt: number, now: number): Promise<Ticket | null> {
    const attrs = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET archivingAt = if_not_exists(archivingAt, :now)',
        ConditionExpression: THIS_CLOSE,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':closedAt': closedAt, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return attrs === null ? null : toTicket(attrs);
  }

  async releaseArchive(guildId: string, number: number, closedAt: number): Promise<void> {
    await sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'REMOVE archivingAt',
        ConditionExpression: 'closedAt = :closedAt AND attribute_not_exists(archivedAt)',
        ExpressionAttributeValues: { ':closedAt': closedAt },
      }),
    );
  }

  async markArchived(guildId: string, number: number, closedAt: number, now: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET archivedAt = :now',
        ConditionExpression: THIS_CLOSE,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':closedAt': closedAt, ':now': now },
      }),
    );
  }

  async recordFeedback(guildId: string, number: number, userId: string, closedAt: number, feedback: { rating?: number; comment?: string }, now: number): Promise<boolean> {
    const sets = ['feedbackAt = :now'];
    const values: Record<string, unknown> = { ':u': userId, ':now': now, ':closed': 'closed', ':closedAt': closedAt };
    if (feedback.rating !== undefined) {
      sets.push('rating = :r');
      values[':r'] = feedback.rating;
    }
    if (feedback.comment !== undefined) {
      sets.push('feedback = :c');
      values[':c'] = feedback.comment;
    }
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: `SET ${sets.join(', ')}`,
        // Only on the close the prompt was sent for: not while reopened, not on a later close.
        ConditionExpression: `openerId = :u AND ${THIS_CLOSE}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async setTranscriptStatus(guildId: string, number: number, status: TranscriptStatus, forClose?: { closedAt: number; error?: string | null }): Promise<boolean> {
    const values: Record<string, unknown> = { ':s': status };
    let condition = 'attribute_exists(PK)';
    let update = 'SET transcriptStatus = :s';
    if (forClose) {
      // Only for the close the transcript is of: a reopened (or closed again) ticket has its own.
      condition += ' AND closedAt = :c';
      values[':c'] = forClose.closedAt;
      // Stored or failed for good: the close leaves the transcript repair sweep's index.
      const settled = status === 'stored' || status === 'failed' ? ', dueKind, dueAt' : '';
      if (forClose.error) {
        update += ', transcriptError = :e';
        values[':e'] = forClose.error;
        if (settled) update += ` REMOVE ${settled.slice(2)}`;
      } else {
        update += ` REMOVE transcriptError${settled}`;
      }
    }
    return sendIf(this.db, new UpdateCommand({ TableName: this.tableName, Key: Keys.ticket(guildId, number), UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeValues: values }));
  }

  // ---------------------------------------------------------------- auto-close (ByDue index)

  dueAutoCloses(now: number, limit: number): Promise<DueTicket[]> {
    return this.dueTickets(DueKind.autoClose, now, limit);
  }

  async rescheduleAutoClose(guildId: string, number: number, seenDueAt: number, dueAt: number | null): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: dueAt === null ? 'REMOVE dueKind, dueAt' : 'SET dueAt = :due',
        ConditionExpression: 'dueKind = :k AND dueAt = :seen',
        ExpressionAttributeValues: dueAt === null ? { ':k': DueKind.autoClose, ':seen': seenDueAt } : { ':k': DueKind.autoClose, ':seen': seenDueAt, ':due': dueAt },
      }),
    );
  }

  async markAutoCloseWarned(guildId: string, number: number, lastActivityAt: number, now: number, closeAt: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET autoCloseWarnedAt = :now, dueKind = :k, dueAt = :close',
        ConditionExpression: '#status = :open AND lastActivityAt = :la AND attribute_not_exists(autoCloseWarnedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':la': lastActivityAt, ':now': now, ':k': DueKind.autoClose, ':close': closeAt },
      }),
    );
  }

  async openTickets(guildId: string, after: number | null): Promise<{ tickets: OpenTicketDue[]; next: number | null }> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
        FilterExpression: '#status = :open',
        ProjectionExpression: '#n, #status, lastActivityAt, autoCloseWarnedAt, dueKind, dueAt',
        ExpressionAttributeNames: { '#n': 'number', '#status': 'status' },
        ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':t': 'TICKET#', ':open': 'open' },
        ExclusiveStartKey: after === null ? undefined : Keys.ticket(guildId, after),
        Limit: 100,
        ConsistentRead: true,
      }),
    );
    const last = res.LastEvaluatedKey?.SK as string | undefined;
    return {
      tickets: (res.Items ?? []).map((i) => ({
        number: Number(i.number),
        status: 'open',
        lastActivityAt: Number(i.lastActivityAt),
        autoCloseWarnedAt: (i.autoCloseWarnedAt as number | undefined) ?? null,
        dueAt: i.dueKind === DueKind.autoClose ? Number(i.dueAt) : null,
      })),
      next: last ? Number(last.slice('TICKET#'.length)) : null,
    };
  }

  async scheduleAutoClose(guildId: string, number: number, lastActivityAt: number, dueAt: number | null): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: dueAt === null ? 'REMOVE dueKind, dueAt' : 'SET dueKind = :k, dueAt = :due',
        // Activity since the read already placed it with the current settings (`touchTicket`).
        ConditionExpression: `#status = :open AND lastActivityAt = :la AND ${dueAt === null ? 'dueKind = :k' : '(attribute_not_exists(dueKind) OR dueKind = :k)'}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':la': lastActivityAt, ':k': DueKind.autoClose, ...(dueAt === null ? {} : { ':due': dueAt }) },
      }),
    );
  }

  // ---------------------------------------------------------------- the opener leaving

  async openTicketsOf(guildId: string, userId: string): Promise<Ticket[]> {
    const numbers = await this.openNumbersOf(guildId, userId);
    if (numbers.length === 0) return [];
    // Consistent: a redelivered leave must see what its first delivery wrote.
    const items = await batchGet(this.db, this.tableName, numbers.map((n) => Keys.ticket(guildId, n)), undefined, true);
    return items.map(toTicket).filter((t) => t.status === 'open').sort((a, b) => a.number - b.number);
  }

  async ticketsOpenWhenOpenerLeft(guildId: string, userId: string, at: number): Promise<Ticket[]> {
    const key = Keys.openerLeft(guildId, userId, at);
    const read = async () => (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item?.numbers as number[] | undefined;
    let numbers = await read();
    if (!numbers) {
      numbers = await this.openNumbersOf(guildId, userId);
      if (numbers.length === 0) return [];
      // Kept as long as the event can come back (the events DLQ keeps it 14 days; a replay has the same `at`).
      const expiresAt = Math.floor(at / 1000) + OPENER_LEFT_RECORD_DAYS * 86_400;
      const recorded = await sendIf(this.db, new PutCommand({ TableName: this.tableName, Item: { ...key, numbers, expiresAt }, ConditionExpression: 'attribute_not_exists(PK)' }));
      if (!recorded) numbers = (await read()) ?? numbers;
    }
    const items = await batchGet(this.db, this.tableName, numbers.map((n) => Keys.ticket(guildId, n)), undefined, true);
    return items.map(toTicket).sort((a, b) => a.number - b.number);
  }

  /** The member's slots (one per category) hold the numbers of their open tickets. */
  private async openNumbersOf(guildId: string, userId: string): Promise<number[]> {
    const slots = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':m': Keys.memberCategory(guildId, userId, '').SK },
      ProjectionExpression: 'openNumbers',
      ConsistentRead: true,
    });
    return slots.flatMap((slot) => [...((slot.openNumbers as Set<number> | undefined) ?? [])].map(Number));
  }

  async markOpenerLeft(guildId: string, number: number, at: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.ticket(guildId, number),
        UpdateExpression: 'SET openerLeftAt = :at',
        ConditionExpression: '#status = :open AND (attribute_not_exists(openerLeftAt) OR openerLeftAt = :null)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':at': at, ':null': null },
      }),
    );
  }

  // ---------------------------------------------------------------- blacklist

  async addToBlacklist(guildId: string, entry: BlacklistEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Keys.blacklist(guildId, entry.userId), guildId, ...entry } }));
  }

  async removeFromBlacklist(guildId: string, userId: string): Promise<boolean> {
    return sendIf(this.db, new DeleteCommand({ TableName: this.tableName, Key: Keys.blacklist(guildId, userId), ConditionExpression: 'attribute_exists(PK)' }));
  }

  async listBlacklist(guildId: string): Promise<BlacklistEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :b)',
      ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':b': 'BLACKLIST#' },
    });
    const entries: BlacklistEntry[] = items.map((i) => ({ userId: String(i.userId ?? String(i.SK).slice('BLACKLIST#'.length)), reason: (i.reason as string | null | undefined) ?? null, addedBy: String(i.addedBy ?? ''), addedAt: Number(i.addedAt ?? 0) }));
    return entries.sort((a, b) => a.addedAt - b.addedAt);
  }
}

/** The row is still closed by the close at `:closedAt` (not reopened, not closed again since). */
const THIS_CLOSE = '#status = :closed AND closedAt = :closedAt';

