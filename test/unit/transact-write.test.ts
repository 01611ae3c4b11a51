import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { transactWrite } from '../../lambdas/shared/adapters/dynamo-helpers';
import { BusyError } from '../../lambdas/shared/errors';

const cancelled = (...codes: string[]) => new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

/** A client whose send fails with the given errors, then succeeds. */
function failing(...errors: Error[]) {
  let calls = 0;
  return { db: { send: async () => { calls++; const e = errors.shift(); if (e) throw e; return {}; } } as unknown as DynamoDBDocumentClient, calls: () => calls };
}

describe('transactWrite', () => {
  it('retries a transaction cancelled only by a conflict with another one', async () => {
    const c = failing(cancelled('None', 'TransactionConflict'), cancelled('TransactionConflict', 'None'));
    await transactWrite(c.db, { TransactItems: [] });
    expect(c.calls()).toBe(3);
  });

  it('gives a condition failure to the caller at once', async () => {
    const c = failing(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    await expect(transactWrite(c.db, { TransactItems: [] })).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(c.calls()).toBe(1);
  });

  it('turns a conflict that outlasts the retries into a BusyError users can act on', async () => {
    const c = failing(...Array.from({ length: 10 }, () => cancelled('TransactionConflict')));
    await expect(transactWrite(c.db, { TransactItems: [] }, 3)).rejects.toBeInstanceOf(BusyError);
    expect(c.calls()).toBe(3);
  });
});
