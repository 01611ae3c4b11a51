import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/app';
import { FUNCTION_TIMEOUTS, indexProjection, QUEUES, SECRET_FIELDS, TABLE } from '../../lib/resources';

// CloudFormation schema validation runs once, in nag.test.ts; it costs ~3 s per synth.
const APP_PROPS = { builtinCloudFormationValidation: false };
const CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  discordApplicationId: '123456789012345678',
  discordPublicKey: 'ab'.repeat(32),
};

const { stateful } = buildApp(new App({ ...APP_PROPS, context: CONTEXT }));
const template = Template.fromStack(stateful);
const ref = (logicalIdPrefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Arn'] });

describe('DeskwireStateful', () => {
  test('the table has the keys, indexes and TTL from lib/resources.ts', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map((k) => ({
          AttributeName: k.name,
          AttributeType: k.type,
        })),
      ),
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: indexProjection(index),
      })),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref('Key') },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the customer-managed key rotates and is retained', () => {
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  test('the archive data keys have a key of their own, rotated and retained', () => {
    template.resourceCountIs('AWS::KMS::Key', 2);
    const [id, key] = Object.entries(template.findResources('AWS::KMS::Key')).find(([k]) => k.startsWith('ArchiveKey'))!;
    expect(key).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    // Nothing else is encrypted with it.
    expect(JSON.stringify(Object.values(template.toJSON().Resources).filter((r) => (r as { Type: string }).Type !== 'AWS::KMS::Key'))).not.toContain(id);
  });

  test('the key lets CloudWatch publish alarms to the encrypted topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Effect: 'Allow',
          }),
        ]),
      },
    });
  });

  test('the archive bucket is SSE-KMS with a bucket key, private, versioned, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ref('Key') } },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') }, LogFilePrefix: 'archive/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
          ]),
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('both buckets deny requests without TLS', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
  });

  test('the log bucket is SSE-S3 (S3 access logging cannot write to SSE-KMS) and expires logs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90 })]) },
    });
  });

  test('the work queue redrives to its DLQ with the settings from lib/resources.ts', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const work = Object.entries(queues).find(([id]) => id.startsWith('QueuesWorkQueue'))!;
    expect(work[1].Properties).toMatchObject({
      VisibilityTimeout: QUEUES.work.visibilityTimeoutSeconds,
      RedrivePolicy: { maxReceiveCount: QUEUES.work.maxReceiveCount, deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesWorkDeadLetterQueue/), 'Arn'] } },
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
    });
    expect(work[1].Properties.FifoQueue).toBeUndefined();
    const dlq = Object.entries(queues).find(([id]) => id.startsWith('QueuesWorkDeadLetterQueue'))!;
    expect(dlq[1].Properties).toMatchObject({ MessageRetentionPeriod: QUEUES.work.dlqRetentionSeconds });
  });

  test('events is FIFO without content-based deduplication, and so is its DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      VisibilityTimeout: QUEUES.events.visibilityTimeoutSeconds,
      RedrivePolicy: { maxReceiveCount: QUEUES.events.maxReceiveCount, deadLetterTargetArn: ref('QueuesEventsDeadLetterQueue') },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      MessageRetentionPeriod: QUEUES.events.dlqRetentionSeconds,
      RedrivePolicy: Match.absent(),
    });
  });

  test('every queue is KMS-encrypted and denies requests without TLS', () => {
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { KmsMasterKeyId: ref('Key') }, 6);
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      },
      6,
    );
  });

  test('visibility timeouts are six times the consumers\u2019 timeouts', () => {
    expect(QUEUES.work.visibilityTimeoutSeconds).toBe(6 * FUNCTION_TIMEOUTS.worker);
    expect(QUEUES.events.visibilityTimeoutSeconds).toBe(6 * FUNCTION_TIMEOUTS.events);
    expect(QUEUES.transcripts.visibilityTimeoutSeconds).toBe(6 * FUNCTION_TIMEOUTS.transcripts);
  });

  test('transcript builds have their own queue with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: QUEUES.transcripts.visibilityTimeoutSeconds,
      RedrivePolicy: { maxReceiveCount: QUEUES.transcripts.maxReceiveCount, deadLetterTargetArn: ref('QueuesTranscriptsDeadLetterQueue') },
    });
  });

  test('the secret is created with every credential key and a generated session secret', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const [secret] = Object.values(secrets);
    const generate = secret!.Properties.GenerateSecretString;
    expect(generate.GenerateStringKey).toBe('DASHBOARD_SESSION_SECRET');
    expect(Object.keys(JSON.parse(generate.SecretStringTemplate)).sort()).toEqual(
      SECRET_FIELDS.filter((f) => f !== 'DASHBOARD_SESSION_SECRET').sort(),
    );
    expect(secret!.DeletionPolicy).toBe('Retain');
  });

  test('the alarm topic is KMS-encrypted and SSL-only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: ref('Key') });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('outputs the secret and alarm topic ARNs', () => {
    template.hasOutput('SecretArn', { Value: { Ref: Match.stringLikeRegexp('^Secret') } });
    template.hasOutput('AlarmTopicArn', { Value: { Ref: Match.stringLikeRegexp('^Alarms') } });
  });

  test('alarmEmail subscribes that address to the alarm topic', () => {
    const withEmail = buildApp(new App({ ...APP_PROPS, context: { ...CONTEXT, alarmEmail: 'ops@example.com' } }));
    Template.fromStack(withEmail.stateful).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
