import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter, AttemptPolicy, AttemptScope } from '../licensing/ports';
import { Keys } from './keys';

/**
 * Fixed-window failure counters: one item per scope and window (`ADD count`), removed by the
 * table's TTL (`expiresAt`, epoch seconds) after the window ends. TTL deletion is lazy, so the
 * window start is part of the key and old items are simply never read again.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
export class DynamoAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async blockedUntil(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<number | null> {
    const windowStart = now - (now % policy.windowMs);
    const counts = await Promise.all(
      scopes.map(async (s) => {
        const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.attempts(s.kind, s.id, policy.action, windowStart), ProjectionExpression: '#c', ExpressionAttributeNames: { '#c': 'count' } }));
        return { scope: s, count: Number(res.Item?.count ?? 0) };
      }),
    );
    return counts.some((c) => c.count >= policy.limits[c.scope.kind]) ? windowStart + policy.windowMs : null;
  }

  async recordFailure(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<void> {
    const windowStart = now - (now % policy.windowMs);
    const expiresAt = Math.ceil((windowStart + policy.windowMs) / 1000) + 60;
    await Promise.all(
      scopes.map((s) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.attempts(s.kind, s.id, policy.action, windowStart),
            UpdateExpression: 'ADD #c :one SET expiresAt = :ttl',
            ExpressionAttributeNames: { '#c': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt },
          }),
        ),
      ),
    );
  }
}
