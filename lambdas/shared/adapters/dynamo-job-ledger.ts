import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../lib/resources';
import type { ClaimResult, JobLedger } from '../ports/job-ledger';
import { Keys } from './keys';

/** Done records expire after a day: long past the 15-minute life of an interaction token. */
const DONE_TTL_SECONDS = 86_400;

/** Job idempotency records (`JOB#<key>`) with conditional writes. */
export class DynamoJobLedger implements JobLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, now: number, leaseMs: number): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.job(key), state: 'running', leaseUntil: now + leaseMs, [TABLE.ttlAttribute]: Math.ceil(now / 1000) + DONE_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :running AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':running': 'running', ':now': now },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    // Lost the race or already there: tell which.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.job(key),
          UpdateExpression: 'SET checkedAt = :now',
          ConditionExpression: '#state = :done',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':done': 'done', ':now': now },
        }),
      );
      return 'done';
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return 'busy';
      throw err;
    }
  }

  async complete(key: string, now: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.job(key),
        UpdateExpression: 'SET #state = :done, doneAt = :now REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':now': now },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: Keys.job(key),
        ConditionExpression: '#state = :running',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':running': 'running' },
      }),
    ).catch((err) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
  }
}
