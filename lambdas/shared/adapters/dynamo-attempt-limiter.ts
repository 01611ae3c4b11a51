import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter, AttemptPolicy, AttemptScope } from '../licensing/ports';
import { sendIf } from './dynamo-helpers';
import { Keys } from './keys';

/**
 * Fixed-window attempt counters: one item per scope and window, removed by the table's TTL
 * (`expiresAt`, epoch seconds) after the window ends. TTL deletion is lazy, so the window start is
 * part of the key and old items are simply never read again.
 *
 * An attempt is reserved with one conditional `ADD count :one` per scope (`count < limit`), so
 * twenty parallel attempts cannot all pass a read-then-write check: exactly `limit` get through.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
 */
export class DynamoAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<{ ok: true } | { ok: false; blockedUntil: number }> {
    const windowStart = now - (now % policy.windowMs);
    const expiresAt = Math.ceil((windowStart + policy.windowMs) / 1000) + 60;
    const taken: AttemptScope[] = [];
    // One scope after the other: a scope at its limit stops before the next is counted.
    for (const scope of scopes) {
      const ok = await sendIf(
        this.db,
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.attempts(scope.kind, scope.id, policy.action, windowStart),
          UpdateExpression: 'ADD #c :one SET expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt, ':limit': policy.limits[scope.kind] },
        }),
      );
      if (!ok) {
        await this.giveBack(policy, taken, now);
        return { ok: false, blockedUntil: windowStart + policy.windowMs };
      }
      taken.push(scope);
    }
    return { ok: true };
  }

  async giveBack(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<void> {
    const windowStart = now - (now % policy.windowMs);
    await Promise.all(
      scopes.map((s) =>
        sendIf(
          this.db,
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.attempts(s.kind, s.id, policy.action, windowStart),
            UpdateExpression: 'ADD #c :minus',
            // Never below zero, and never re-creating a counter TTL already removed.
            ConditionExpression: '#c > :zero',
            ExpressionAttributeNames: { '#c': 'count' },
            ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
          }),
        ),
      ),
    );
  }
}
