import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_BUCKET } from '../resources';

/**
 * Days a replaced or deleted object version is kept. Long enough to undo a faulty purge; erasure
 * is still immediate because a deleted guild's data key makes every version unreadable.
 */
const NONCURRENT_VERSION_DAYS = 30;

export interface ArchiveBucketProps {
  /** Customer-managed key for SSE-KMS. */
  readonly encryptionKey: kms.IKey;
  /** Where S3 server access logs go. */
  readonly accessLogs: s3.IBucket;
}

/**
 * The archive bucket (transcripts and re-hosted attachments, `<gid>/<ticket>/…`).
 *
 * Objects are already AES-256-GCM encrypted by the application under a per-guild data key; SSE-KMS
 * with an S3 Bucket Key is the second layer at almost no KMS cost. Versioning is on so a faulty
 * purge or overwrite can be undone for {@link NONCURRENT_VERSION_DAYS} days; crypto-shredding
 * (deleting the guild's data key) keeps erasure immediate regardless of old versions.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html#lifecycle-config-conceptual-ex6
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(ARCHIVE_BUCKET.abortIncompleteMultipartUploadDays),
        },
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
