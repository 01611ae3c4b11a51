/**
 * License expiry sweep cost: 100,000 licenses in DynamoDB Local, of which 100 are due. The sweep
 * must read only the due ones (a Query on the sparse `ByDue` index, never a Scan): items read and
 * read capacity are taken from DynamoDB's own `ConsumedCapacity` / `ScannedCount`. Goal: items
 * read ≤ 2 × due items.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoLicenseAdminStore } from '../lambdas/shared/adapters/dynamo-license-admin-store';
import { licenseItem } from '../lambdas/shared/adapters/dynamo-license-store';
import { SqsWorkQueue } from '../lambdas/shared/adapters/sqs-work-queue';
import { DAY_MS } from '../lambdas/shared/clock';
import { licenseIdOf } from '../lambdas/shared/licensing/license-key';
import { graceMsFromDays, scheduleFrom, type License } from '../lambdas/shared/licensing/model';
import { licenseSweep } from '../lambdas/shared/licensing/sweep';
import { startDynamoDbLocal } from '../local/aws/dynamodb-local';
import { startSqsS3Emulator } from '../local/aws/fauxqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION, provisionLocalResources } from '../local/aws/provision';

export interface LicenseSweepFigures {
  licenses: number;
  due: number;
  seedMs: number;
  first: { ms: number; itemsRead: number; readUnits: number; writeUnits: number; done: number };
  second: { ms: number; itemsRead: number; readUnits: number; writeUnits: number; done: number };
}

const READS = new Set(['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand', 'ScanCommand']);

/**
 * A document client that asks DynamoDB what every request consumed: the sums in `meter` are
 * DynamoDB's numbers (`ReturnConsumedCapacity: TOTAL`, `ScannedCount`), not ours.
 */
export function meteredDocumentClient(endpoint: string) {
  const base = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const meter = { itemsRead: 0, readUnits: 0, writeUnits: 0 };
  base.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const out = result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }>; ScannedCount?: number; Item?: unknown };
      const units = [out.ConsumedCapacity ?? []].flat().reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      if (READS.has(context.commandName ?? '')) {
        meter.readUnits += units;
        meter.itemsRead += out.ScannedCount ?? (out.Item ? 1 : 0);
      } else meter.writeUnits += units;
      return result;
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );
  return { db: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }), meter };
}

export async function licenseSweepBench(total = 100_000, dueCount = 100): Promise<LicenseSweepFigures> {
  const [ddb, sqsS3] = await Promise.all([startDynamoDbLocal(), startSqsS3Emulator()]);
  const { db, meter } = meteredDocumentClient(ddb.endpoint);
  const sqs = new SQSClient({ endpoint: sqsS3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const resources = await provisionLocalResources({ dynamodb: ddb.endpoint, sqsS3: sqsS3.endpoint }, { prefix: 'bench-license' });
    const graceMs = graceMsFromDays(3);
    const now = Date.now();
    const license = (i: number): License => {
      const keyHash = randomBytes(32).toString('hex');
      // The due ones expire now; the rest over the coming year, so their first step is in the future.
      const expiresAt = i < dueCount ? now : now + 8 * DAY_MS + (i % 365) * DAY_MS;
      const issuedAt = now - 30 * DAY_MS;
      return { id: licenseIdOf(keyHash), keyHash, tier: 'pro', seats: 3, seatsUsed: 1, issuedAt, expiresAt, status: 'active', contact: `buyer${i}@example.com`, notes: null, rev: 0, ...scheduleFrom(expiresAt, graceMs, issuedAt) };
    };

    const seedStarted = performance.now();
    let next = 0;
    const writer = async () => {
      while (next < total) {
        const from = next;
        next = Math.min(total, next + 25);
        let requests: unknown[] | undefined = Array.from({ length: next - from }, (_, k) => ({ PutRequest: { Item: licenseItem(license(from + k)) } }));
        while (requests?.length) {
          const res: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [resources.tableName]: requests as never } }));
          requests = res.UnprocessedItems?.[resources.tableName];
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    const seedMs = performance.now() - seedStarted;

    const sweep = licenseSweep({ licenses: new DynamoLicenseAdminStore(db, resources.tableName), workQueue: new SqsWorkQueue(sqs, resources.queues.work.url), graceMs, log: { error: (m, x) => console.error(m, x) } });
    const measure = async () => {
      Object.assign(meter, { itemsRead: 0, readUnits: 0, writeUnits: 0 });
      const started = performance.now();
      const result = await sweep.run(Date.now());
      return { ms: performance.now() - started, itemsRead: meter.itemsRead, readUnits: meter.readUnits, writeUnits: meter.writeUnits, done: result.done };
    };
    const first = await measure();
    const second = await measure();
    return { licenses: total, due: dueCount, seedMs, first, second };
  } finally {
    db.destroy();
    sqs.destroy();
    await Promise.all([ddb.stop(), sqsS3.stop()]);
  }
}

if (require.main === module) {
  licenseSweepBench(Number(process.env.BENCH_LICENSES ?? 100_000)).then(
    (f) => console.log(JSON.stringify(f, null, 2)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
