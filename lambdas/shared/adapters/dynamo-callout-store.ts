import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CALLOUT_RETENTION_MS, DRAFT_TTL_MS, type Callout, type CalloutDraft, type CalloutStep, type ReserveResult } from '../callouts/model';
import type { CalloutStore } from '../callouts/ports';
import { transactWrite, updateIf } from './dynamo-helpers';
import { DueKind, Keys } from './keys';

const FIELDS: Array<keyof Callout> = [
  'guildId', 'calloutId', 'reason', 'requesterId', 'channelId', 'ticketNumber', 'tier', 'termsVersion', 'status', 'createdAt', 'guildName', 'inviteCode', 'inviteChannelId',
  'inviteExpiresAt', 'alertChannelId', 'alertMessageId', 'escalatedAt', 'responderId', 'respondedAt', 'closedBy', 'closedAt', 'note', 'dueStep', 'dueAt',
];

const toCallout = (item: Record<string, unknown>): Callout => Object.fromEntries(FIELDS.map((f) => [f, item[f] ?? null])) as unknown as Callout;
const seconds = (ms: number) => Math.floor(ms / 1000);
const withoutNulls = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

/**
 * Callouts under their guild (`GUILD#<gid>` / `CALLOUT#<id>`, purged with the guild), listed for ops
 * through GSI1 (`CALLOUTS`), swept through the sparse `ByDue` index (`DUE#callout`). Records carry
 * the table's TTL (`expiresAt`, 90 days); the invite code is removed as soon as the invite is deleted.
 */
export class DynamoCalloutStore implements CalloutStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hasAcceptedTerms(userId: string, version: string): Promise<boolean> {
    return Boolean((await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.calloutTerms(userId, version), ProjectionExpression: 'PK' }))).Item);
  }

  async acceptTerms(userId: string, version: string, guildId: string, now: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Keys.calloutTerms(userId, version), userId, guildId, termsVersion: version, acceptedAt: now } }));
  }

  async saveDraft(guildId: string, userId: string, draft: CalloutDraft): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Keys.calloutDraft(guildId, userId), ...draft, expiresAt: seconds(draft.createdAt + DRAFT_TTL_MS) } }));
  }

  async takeDraft(guildId: string, userId: string, now: number): Promise<CalloutDraft | null> {
    const res = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.calloutDraft(guildId, userId), ReturnValues: 'ALL_OLD' }));
    const item = res.Attributes;
    // TTL deletion is lazy: an expired draft may still be there.
    if (!item || now > Number(item.createdAt) + DRAFT_TTL_MS) return null;
    return { reason: String(item.reason), channelId: (item.channelId as string | null) ?? null, createdAt: Number(item.createdAt) };
  }

  async reserve(callout: Callout, cooldownMs: number): Promise<ReserveResult> {
    const now = callout.createdAt;
    try {
      await transactWrite(this.db, {
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.calloutState(callout.guildId),
              UpdateExpression: 'SET openCalloutId = :id, lastCalloutAt = :now, previousCalloutAt = if_not_exists(lastCalloutAt, :zero)',
              ConditionExpression: 'attribute_not_exists(openCalloutId) AND (attribute_not_exists(lastCalloutAt) OR lastCalloutAt <= :cool)',
              ExpressionAttributeValues: { ':id': callout.calloutId, ':now': now, ':cool': now - cooldownMs, ':zero': 0 },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              // Unset fields stay absent (a null `dueAt` would break the `ByDue` index's key type).
              Item: {
                ...Keys.callout(callout.guildId, callout.calloutId),
                ...Keys.calloutIndex(now, callout.guildId, callout.calloutId),
                ...withoutNulls(callout),
                ...(callout.dueAt !== null ? { dueKind: DueKind.callout } : {}),
                expiresAt: seconds(now + CALLOUT_RETENTION_MS),
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      });
      return { ok: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const state = (await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.calloutState(callout.guildId), ConsistentRead: true }))).Item;
      if (state?.openCalloutId) return { ok: false, reason: 'open', openCalloutId: String(state.openCalloutId) };
      return { ok: false, reason: 'cooldown', retryAt: Number(state?.lastCalloutAt ?? now) + cooldownMs };
    }
  }

  async abandon(callout: Callout): Promise<void> {
    await transactWrite(this.db, {
      TransactItems: [
        { Delete: { TableName: this.tableName, Key: Keys.callout(callout.guildId, callout.calloutId), ConditionExpression: '#s = :opening', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':opening': 'opening' } } },
        {
          // The cooldown is given back too: nothing reached the vendor.
          Update: {
            TableName: this.tableName,
            Key: Keys.calloutState(callout.guildId),
            UpdateExpression: 'REMOVE openCalloutId SET lastCalloutAt = previousCalloutAt',
            ConditionExpression: 'openCalloutId = :id',
            ExpressionAttributeValues: { ':id': callout.calloutId },
          },
        },
      ],
    }).catch((err) => {
      if (!(err instanceof TransactionCanceledException)) throw err;
    });
  }

  async get(guildId: string, calloutId: string): Promise<Callout | null> {
    const item = (await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.callout(guildId, calloutId), ConsistentRead: true }))).Item;
    return item ? toCallout(item) : null;
  }

  async saveProgress(guildId: string, calloutId: string, fields: Partial<Callout>): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const res = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.callout(guildId, calloutId),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: '#s = :opening',
        ExpressionAttributeNames: { '#s': 'status', ...Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])) },
        ExpressionAttributeValues: { ':opening': 'opening', ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) },
      }),
    );
    return res !== null;
  }

  async markOpen(guildId: string, calloutId: string, escalateAt: number): Promise<boolean> {
    const res = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.callout(guildId, calloutId),
        UpdateExpression: 'SET #s = :open, dueKind = :kind, dueStep = :step, dueAt = :at',
        ConditionExpression: '#s = :opening',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':opening': 'opening', ':kind': DueKind.callout, ':step': 'escalate', ':at': escalateAt },
      }),
    );
    return res !== null;
  }

  async respond(guildId: string, calloutId: string, agentId: string, now: number) {
    const res = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.callout(guildId, calloutId),
        // The invite stays due at its own expiry; escalation and expiry no longer apply.
        UpdateExpression: 'SET #s = :responded, responderId = :agent, respondedAt = :now, dueStep = :invite, dueAt = if_not_exists(inviteExpiresAt, :now)',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':responded': 'responded', ':open': 'open', ':agent': agentId, ':now': now, ':invite': 'invite' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (res) return { ok: true as const, callout: toCallout(res) };
    return { ok: false as const, callout: await this.get(guildId, calloutId) };
  }

  async close(guildId: string, calloutId: string, to: { status: 'resolved'; by: string; note: string } | { status: 'expired' }, now: number) {
    const resolved = to.status === 'resolved';
    try {
      await transactWrite(this.db, {
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.callout(guildId, calloutId),
              UpdateExpression: `SET #s = :to, closedAt = :now, closedBy = :by, note = :note, dueKind = :kind, dueStep = :invite, dueAt = :now`,
              // Expiry only takes an unanswered callout at its expiry step; resolving takes any live one.
              ConditionExpression: resolved ? '#s IN (:open, :responded)' : '#s = :open AND dueStep = :expire',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':to': to.status,
                ':now': now,
                ':by': resolved ? to.by : null,
                ':note': resolved ? to.note : null,
                ':kind': DueKind.callout,
                ':invite': 'invite',
                ':open': 'open',
                ...(resolved ? { ':responded': 'responded' } : { ':expire': 'expire' }),
              },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.calloutState(guildId),
              UpdateExpression: 'REMOVE openCalloutId',
              ConditionExpression: 'openCalloutId = :id',
              ExpressionAttributeValues: { ':id': calloutId },
            },
          },
        ],
      });
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      return { ok: false as const, callout: await this.get(guildId, calloutId) };
    }
    return { ok: true as const, callout: (await this.get(guildId, calloutId))! };
  }

  async inviteDeleted(guildId: string, calloutId: string, code: string | null): Promise<boolean> {
    const res = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.callout(guildId, calloutId),
        UpdateExpression: 'REMOVE inviteCode, dueKind, dueStep, dueAt',
        ConditionExpression: code === null ? 'attribute_not_exists(inviteCode) OR inviteCode = :null' : 'inviteCode = :code',
        ExpressionAttributeValues: code === null ? { ':null': null } : { ':code': code },
      }),
    );
    return res !== null;
  }

  async due(now: number, limit: number): Promise<Callout[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'ByDue',
        KeyConditionExpression: 'dueKind = :kind AND dueAt <= :now',
        ExpressionAttributeValues: { ':kind': DueKind.callout, ':now': now },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(toCallout);
  }

  async moveStep(callout: Callout, next: { step: CalloutStep; at: number } | null, escalatedAt?: number): Promise<boolean> {
    const sets = next ? ['dueStep = :next', 'dueAt = :at'] : [];
    if (escalatedAt !== undefined) sets.push('escalatedAt = :esc');
    const res = await updateIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.callout(callout.guildId, callout.calloutId),
        UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', next ? '' : 'REMOVE dueKind, dueStep, dueAt'].filter(Boolean).join(' '),
        ConditionExpression: 'dueStep = :seen AND dueAt = :seenAt AND #s = :status',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':seen': callout.dueStep,
          ':seenAt': callout.dueAt,
          ':status': callout.status,
          ...(next ? { ':next': next.step, ':at': next.at } : {}),
          ...(escalatedAt !== undefined ? { ':esc': escalatedAt } : {}),
        },
      }),
    );
    return res !== null;
  }

  async list(opts: { openOnly: boolean; limit: number }): Promise<Callout[]> {
    const out: Callout[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': 'CALLOUTS', ...(opts.openOnly ? { ':open': 'open', ':opening': 'opening', ':responded': 'responded' } : {}) },
          ...(opts.openOnly ? { FilterExpression: '#s IN (:open, :opening, :responded)', ExpressionAttributeNames: { '#s': 'status' } } : {}),
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map(toCallout));
      start = res.LastEvaluatedKey;
    } while (start && out.length < opts.limit);
    return out.slice(0, opts.limit);
  }
}
