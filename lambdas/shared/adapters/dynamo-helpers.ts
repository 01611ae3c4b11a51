import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { BusyError } from '../errors';
import { BatchGetCommand, BatchWriteCommand, TransactWriteCommand, paginateQuery, type QueryCommandInput, type TransactWriteCommandInput, type DeleteCommand, type DynamoDBDocumentClient, type PutCommand, type UpdateCommand } from '@aws-sdk/lib-dynamodb';

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));

/**
 * BatchWriteItem deletes in chunks of 25, re-sending unprocessed items with backoff.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */
export async function batchDelete(db: DynamoDBDocumentClient, tableName: string, keys: Array<Record<string, unknown>>): Promise<number> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }));
      requests = res.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  }
  return keys.length;
}

/**
 * BatchGetItem in chunks of 100, re-requesting unprocessed keys with backoff.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<Record<string, unknown>>,
  projection?: { expression: string; names?: Record<string, string> },
  consistentRead = false,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: projection?.expression, ExpressionAttributeNames: projection?.names, ConsistentRead: consistentRead || undefined } } }),
      );
      items.push(...((res.Responses?.[tableName] ?? []) as Array<Record<string, unknown>>));
      pending = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return items;
}

/**
 * Sends a conditional write; true when it was applied, false when its condition did not hold
 * (ConditionalCheckFailedException). Any other error is thrown.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export async function sendIf(db: DynamoDBDocumentClient, command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  return (await updateIf(db, command as UpdateCommand)) !== null;
}

/**
 * A conditional update that returns the item's attributes it asked for (`ReturnValues`), or null
 * when the condition did not hold. Any other error is thrown.
 */
export async function updateIf(db: DynamoDBDocumentClient, command: UpdateCommand): Promise<Record<string, unknown> | null> {
  try {
    return (await db.send(command)).Attributes ?? {};
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return null;
    throw err;
  }
}

const isConflict = (err: unknown) =>
  err instanceof TransactionConflictException ||
  (err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    !(err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/**
 * TransactWriteItems, retried with jitter when DynamoDB cancels it only because another
 * transaction touched the same item at the same moment (`TransactionConflict`: two members opening
 * tickets in one category). A condition failure is the caller's to interpret and is thrown as is;
 * conflicts that outlast the retries become a `BusyError` the user can act on.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 */
export async function transactWrite(db: DynamoDBDocumentClient, input: TransactWriteCommandInput, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (attempt >= attempts) throw new BusyError();
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 40));
    }
  }
}

/**
 * Every item a Query matches, page by page (each page ≤ 1 MB). For item collections that are
 * bounded by the product (a ticket's log, a license's guilds), not for unbounded ones.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of paginateQuery({ client: db }, input)) items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
  return items;
}
