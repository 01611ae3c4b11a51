import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AccessLogBucket } from './constructs/access-log-bucket';
import { AlarmTopic } from './constructs/alarm-topic';
import { AppSecret } from './constructs/app-secret';
import { ArchiveBucket } from './constructs/archive-bucket';
import { DataTable } from './constructs/data-table';
import { Queues } from './constructs/queues';
import { ARCHIVE_BUCKET, TABLE } from './resources';

export interface StatefulStackProps extends StackProps {
  /** Email address subscribed to the alarm topic (context `alarmEmail`). */
  readonly alarmEmail?: string;
}

/**
 * Everything that holds data or identity and must outlive a redeploy: the KMS key, the table, the
 * archive and log buckets, the queues, the credentials secret and the alarm topic. Kept apart from
 * the functions and the gateway (DESIGN §5.7) so the stateless stack can be destroyed and
 * recreated freely. Data-holding resources are `RETAIN`.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/best-practices.html#best-practices-apps
 */
export class StatefulStack extends Stack {
  /** Customer-managed key for the table, archive bucket, queues and alarm topic. */
  readonly key: kms.Key;
  /**
   * Wraps the per-guild archive data keys (envelope encryption), and nothing else: only the
   * functions that seal or open transcripts are granted it, so no other role can unwrap a guild's
   * data key even though it may read the (encrypted) table.
   */
  readonly archiveKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly archiveBucket: s3.Bucket;
  /** Server access logs of the archive and CloudFront logs of the dashboard. */
  readonly logBucket: s3.Bucket;
  readonly queues: Queues;
  readonly secret: secretsmanager.Secret;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    // One key keeps the permission model simple (one ARN to grant) at $1/month; rotation is yearly
    // and transparent, so old archive data keys stay decryptable.
    // https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    this.key = new kms.Key(this, 'Key', {
      description: 'Deskwire: table, archive, queues, alarms and archive envelope encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.archiveKey = new kms.Key(this, 'ArchiveKey', {
      description: 'Deskwire: per-guild archive data keys (transcript envelope encryption)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new DataTable(this, TABLE.id, { encryptionKey: this.key }).table;
    this.logBucket = new AccessLogBucket(this, 'AccessLogs').bucket;
    this.archiveBucket = new ArchiveBucket(this, ARCHIVE_BUCKET.id, { encryptionKey: this.key, accessLogs: this.logBucket }).bucket;
    this.queues = new Queues(this, 'Queues', { encryptionKey: this.key });
    this.secret = new AppSecret(this, 'Secret').secret;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { encryptionKey: this.key, email: props.alarmEmail }).topic;

    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds third-party credentials (Discord bot token and client secret, PostHog and Anthropic API keys) that only their providers can rotate; ops rotate them by hand there and put the new value.',
    });

    new CfnOutput(this, 'SecretArn', {
      value: this.secret.secretArn,
      description: 'Fill the JSON keys of this secret after the first deploy (aws secretsmanager put-secret-value).',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe email or PagerDuty (HTTPS) to receive Deskwire alarms.',
    });
  }
}
