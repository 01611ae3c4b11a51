import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../lib/resources';
import type { Claim, JobLedger } from '../ports/job-ledger';
import { sendIf } from './dynamo-helpers';
import { Keys } from './keys';

/** Records expire after a day: long past the 15-minute life of an interaction token. */
const RECORD_TTL_SECONDS = 86_400;

/** Job idempotency records (`JOB#<key>`) with conditional writes. */
export class DynamoJobLedger implements JobLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async state(key: string): Promise<string | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.job(key), ConsistentRead: true, ProjectionExpression: '#state', ExpressionAttributeNames: { '#state': 'state' } }));
    return res.Item?.state as string | undefined;
  }

  async claim(key: string, now: number, leaseMs: number): Promise<Claim> {
    // A duplicate delivery of a finished job is the common case: a read, not a failed write.
    if ((await this.state(key)) === 'done') return { result: 'done' };
    const owner = randomUUID();
    const claimed = await sendIf(
      this.db,
      new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.job(key), state: 'running', owner, leaseUntil: now + leaseMs, [TABLE.ttlAttribute]: Math.ceil(now / 1000) + RECORD_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :running AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':running': 'running', ':now': now },
      }),
    );
    if (claimed) return { result: 'claimed', owner };
    return (await this.state(key)) === 'done' ? { result: 'done' } : { result: 'busy' };
  }

  async complete(key: string, owner: string, now: number): Promise<void> {
    // Not applied when our lease lapsed and another attempt took over: it records the outcome.
    await sendIf(
      this.db,
      new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.job(key),
          UpdateExpression: 'SET #state = :done, doneAt = :now REMOVE leaseUntil',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':done': 'done', ':now': now, ':owner': owner },
      }),
    );
  }

  async release(key: string, owner: string): Promise<void> {
    await sendIf(
      this.db,
      new DeleteCommand({
          TableName: this.tableName,
          Key: Keys.job(key),
          ConditionExpression: '#state = :running AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':running': 'running', ':owner': owner },
      }),
    );
  }
}
