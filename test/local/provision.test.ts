import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../local/aws/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, provisionLocalResources } from '../../local/aws/provision';
import { QUEUES, TABLE } from '../../lib/resources';

const endpoints = { dynamodb: process.env.TEST_DYNAMODB_ENDPOINT!, sqsS3: process.env.TEST_SQS_S3_ENDPOINT! };

describe('local provisioning from lib/resources', () => {
  it('creates the table with its keys, GSIs and TTL, the queues with DLQ redrive, and the bucket — idempotently', async () => {
    const first = await provisionLocalResources(endpoints, { prefix: 'prov-test' });
    const again = await provisionLocalResources(endpoints, { prefix: 'prov-test' });
    expect(again).toEqual(first);

    const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const table = (await ddb.send(new DescribeTableCommand({ TableName: first.tableName }))).Table!;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes!.map((g) => g.IndexName).sort()).toEqual(TABLE.indexes.map((i) => i.name).sort());
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: first.tableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(TABLE.ttlAttribute);

    const sqs = new SQSClient({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const events = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: first.queues.events.url, AttributeNames: ['All'] }));
    expect(events.Attributes!.FifoQueue).toBe('true');
    expect(JSON.parse(events.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: first.queues.events.dlqArn, maxReceiveCount: QUEUES.events.maxReceiveCount });
    expect(first.queues.work.url).toMatch(/prov-test-work$/);
    expect(first.queues.events.url).toMatch(/prov-test-events\.fifo$/);

    const s3 = new S3Client({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    await expect(s3.send(new HeadBucketCommand({ Bucket: first.bucketName }))).resolves.toBeDefined();
    ddb.destroy();
    sqs.destroy();
    s3.destroy();
  });

  it('adds an index the definitions gained to a table persisted by an earlier run', async () => {
    // Its own DynamoDB Local, persisted on disk as `npm start` runs it: index backfills in the
    // shared in-memory instance queue behind every other test file's tables.
    const local = await startDynamoDbLocal({ dbPath: mkdtempSync(join(tmpdir(), 'dw-prov-')) });
    const own = { ...endpoints, dynamodb: local.endpoint };
    const ddb = new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      // An "old" table with only the base keys.
      await ddb.send(
        new CreateTableCommand({
          TableName: 'prov-old-table',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
        }),
      );
      await provisionLocalResources(own, { prefix: 'prov-old' });
      const table = (await ddb.send(new DescribeTableCommand({ TableName: 'prov-old-table' }))).Table!;
      expect(table.GlobalSecondaryIndexes!.map((g) => g.IndexName).sort()).toEqual(TABLE.indexes.map((i) => i.name).sort());
    } finally {
      ddb.destroy();
      await local.stop();
    }
  }, 150_000);
});
