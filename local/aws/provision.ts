import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { indexProjection, localResourceNames, QUEUES, TABLE, type QueueKey } from '../../lib/resources';
import { waitUntil } from '../net';

/** Credentials the emulators accept (they never validate them). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export interface LocalEndpoints {
  dynamodb: string;
  /** Serves SQS and S3. */
  sqsS3: string;
}

/** A document client on DynamoDB Local, configured as the functions' (`destroy()` it when done). */
export function localDocumentClient(endpoints: Pick<LocalEndpoints, 'dynamodb'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export interface ProvisionedResources {
  tableName: string;
  bucketName: string;
  queues: Record<QueueKey, { url: string; arn: string; dlqUrl: string; dlqArn: string; fifo: boolean; visibilityTimeoutSeconds: number }>;
}

export interface ProvisionOptions {
  /** Name prefix; tests pass a unique one per file so they can run side by side. */
  prefix: string;
  /**
   * Visibility timeout for the local queues. The AWS value (minutes) suits Lambda; locally a failed
   * message should come back in seconds so retries and DLQ redrive are visible while you watch.
   */
  visibilityTimeoutSeconds?: number;
}

/**
 * Creates the table, queues (with DLQs and redrive) and bucket on the local emulators from the
 * same definitions the CDK stateful stack uses (`lib/resources.ts`). Idempotent: existing
 * resources are kept, so a persisted DynamoDB Local survives restarts.
 */
export async function provisionLocalResources(endpoints: LocalEndpoints, opts: ProvisionOptions): Promise<ProvisionedResources> {
  const names = localResourceNames(opts.prefix);
  const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const sqs = new SQSClient({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const s3 = new S3Client({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  try {
    await createTable(ddb, names.table);
    const queues = {} as ProvisionedResources['queues'];
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      queues[key] = await createQueuePair(sqs, key, names.queues[key], opts.visibilityTimeoutSeconds);
    }
    await s3.send(new CreateBucketCommand({ Bucket: names.bucket })).catch((err: { name?: string }) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
    });
    return { tableName: names.table, bucketName: names.bucket, queues };
  } finally {
    ddb.destroy();
    sqs.destroy();
    s3.destroy();
  }
}

async function createTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  const attrs = new Map<string, AttributeDefinition>();
  const add = (k: { name: string; type: 'S' | 'N' }) => attrs.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  add(TABLE.partitionKey);
  add(TABLE.sortKey);
  for (const idx of TABLE.indexes) {
    add(idx.partitionKey);
    add(idx.sortKey);
  }
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attrs.values()],
        KeySchema: [
          { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((idx) => ({
          IndexName: idx.name,
          KeySchema: [
            { AttributeName: idx.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: idx.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: indexProjection(idx),
        })),
      }),
    );
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true } }));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    // A table persisted by an earlier run: add any index the definitions gained since.
    const existing = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [];
    for (const idx of TABLE.indexes.filter((i) => !existing.some((e) => e.IndexName === i.name))) {
      await ddb.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [attrs.get(idx.partitionKey.name)!, attrs.get(idx.sortKey.name)!],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: idx.name,
                KeySchema: [
                  { AttributeName: idx.partitionKey.name, KeyType: 'HASH' },
                  { AttributeName: idx.sortKey.name, KeyType: 'RANGE' },
                ],
                Projection: indexProjection(idx),
              },
            },
          ],
        }),
      );
      // DynamoDB builds one index at a time per table: wait for this one before the next.
      await waitUntil(
        async () => {
          const t = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
          return t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === idx.name)?.IndexStatus === 'ACTIVE';
        },
        // DynamoDB Local backfills on a busy shared thread; on a loaded 2-core machine this has taken >30 s.
        120_000,
        `index ${idx.name} on ${tableName}`,
      );
    }
  }
}

async function createQueuePair(
  sqs: SQSClient,
  key: QueueKey,
  names: { name: string; dlqName: string },
  visibilityOverride: number | undefined,
): Promise<ProvisionedResources['queues'][QueueKey]> {
  const def = QUEUES[key];
  const fifoAttrs: Record<string, string> = def.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {};
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: names.dlqName, Attributes: { ...fifoAttrs, MessageRetentionPeriod: String(def.dlqRetentionSeconds) } }),
  );
  const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
  const visibilityTimeoutSeconds = visibilityOverride ?? def.visibilityTimeoutSeconds;
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.name,
      Attributes: {
        ...fifoAttrs,
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: def.maxReceiveCount }),
      },
    }),
  );
  return { url: main.QueueUrl!, arn: await queueArn(sqs, main.QueueUrl!), dlqUrl: dlq.QueueUrl!, dlqArn, fifo: def.fifo, visibilityTimeoutSeconds };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return res.Attributes!.QueueArn!;
}
