import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EnforcementAction, EnforcementState, TargetKind } from '../enforcement/model';
import type { EnforcementStore } from '../enforcement/ports';
import type { AuditEntry } from '../licensing/ports';
import { auditItem } from './dynamo-audit';
import { batchGet, queryAll, transactWrite } from './dynamo-helpers';
import { Keys } from './keys';

const STATE_FIELDS = ['kind', 'targetId', 'actionId', 'since'] as const;

const toState = (item: Record<string, unknown> | undefined): EnforcementState | null =>
  item ? { kind: item.kind as TargetKind, targetId: String(item.targetId), actionId: String(item.actionId), since: Number(item.since) } : null;

const toAction = (item: Record<string, unknown>): EnforcementAction => ({
  kind: item.kind as TargetKind,
  targetId: String(item.targetId),
  actionId: String(item.actionId),
  reason: String(item.reason),
  outcome: item.outcome as EnforcementAction['outcome'],
  createdAt: Number(item.createdAt),
  actor: String(item.actor),
  liftedAt: typeof item.liftedAt === 'number' ? item.liftedAt : null,
  liftedBy: typeof item.liftedBy === 'string' ? item.liftedBy : null,
  sealed: typeof item.sealed === 'string' ? item.sealed : null,
});

/**
 * Enforcement records under `ENFORCE#<KIND>#<id>` — outside every `GUILD#` partition, so a guild
 * purge or a data-erasure request never removes them (the stated exception).
 */
export class DynamoEnforcementStore implements EnforcementStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async states(guildId: string | null, userId: string | null) {
    const keys = [guildId && Keys.enforcementState('guild', guildId), userId && Keys.enforcementState('user', userId)].filter(Boolean) as Array<Record<string, string>>;
    if (keys.length === 0) return { guild: null, user: null };
    const items = await batchGet(this.db, this.tableName, keys, { expression: STATE_FIELDS.map((_, i) => `#f${i}`).join(', '), names: Object.fromEntries(STATE_FIELDS.map((f, i) => [`#f${i}`, f])) });
    const of = (kind: TargetKind, id: string | null) => toState(items.find((i) => i.kind === kind && i.targetId === id));
    return { guild: of('guild', guildId), user: of('user', userId) };
  }

  async state(kind: TargetKind, targetId: string): Promise<EnforcementState | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.enforcementState(kind, targetId), ConsistentRead: true }));
    return toState(res.Item);
  }

  async add(action: EnforcementAction, audit: AuditEntry): Promise<'added' | 'already_banned'> {
    const { kind, targetId, actionId } = action;
    const items: NonNullable<Parameters<typeof transactWrite>[1]['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: { ...Keys.enforcementAction(kind, targetId, actionId), ...action }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: this.tableName, Item: auditItem(audit) } },
    ];
    if (action.outcome === 'ban') {
      items.push({
        Put: { TableName: this.tableName, Item: { ...Keys.enforcementState(kind, targetId), kind, targetId, actionId, since: action.createdAt }, ConditionExpression: 'attribute_not_exists(PK)' },
      });
    }
    try {
      await transactWrite(this.db, { TransactItems: items });
      return 'added';
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[2]?.Code === 'ConditionalCheckFailed') return 'already_banned';
      throw err;
    }
  }

  async lift(kind: TargetKind, targetId: string, by: string, now: number, audit: AuditEntry): Promise<EnforcementAction | null> {
    const state = await this.state(kind, targetId);
    if (!state) return null;
    try {
      await transactWrite(this.db, {
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: Keys.enforcementState(kind, targetId), ConditionExpression: 'actionId = :a', ExpressionAttributeValues: { ':a': state.actionId } } },
          {
            Update: {
              TableName: this.tableName,
              Key: Keys.enforcementAction(kind, targetId, state.actionId),
              UpdateExpression: 'SET liftedAt = :now, liftedBy = :by',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':now': now, ':by': by },
            },
          },
          { Put: { TableName: this.tableName, Item: auditItem({ ...audit, detail: { ...audit.detail, actionId: state.actionId } }) } },
        ],
      });
    } catch (err) {
      // Lifted by someone else at the same moment.
      if (err instanceof TransactionCanceledException) return null;
      throw err;
    }
    const item = (await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.enforcementAction(kind, targetId, state.actionId), ConsistentRead: true }))).Item;
    return item ? toAction(item) : null;
  }

  async history(kind: TargetKind, targetId: string): Promise<EnforcementAction[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': Keys.enforcementPk(kind, targetId), ':sk': 'ACTION#' },
      ConsistentRead: true,
    });
    return items.map(toAction);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: auditItem(entry) }));
  }
}
