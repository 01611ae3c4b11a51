import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
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
    const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
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
    await provisionLocalResources(endpoints, { prefix: 'prov-old' });
    const table = (await ddb.send(new DescribeTableCommand({ TableName: 'prov-old-table' }))).Table!;
    expect(table.GlobalSecondaryIndexes!.map((g) => g.IndexName).sort()).toEqual(TABLE.indexes.map((i) => i.name).sort());
    ddb.destroy();
    // Index backfill in DynamoDB Local is slow when the machine is busy with the rest of the suite.
  }, 150_000);
});
