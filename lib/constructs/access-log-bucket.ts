import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** How long access logs are kept before S3 expires them. */
const LOG_RETENTION_DAYS = 90;

/**
 * Destination for S3 server access logs and CloudFront standard logs.
 *
 * - SSE-S3, not SSE-KMS: S3 server access logging cannot write to a bucket whose default
 *   encryption is SSE-KMS.
 * - ACLs stay enabled (`BUCKET_OWNER_PREFERRED`): CloudFront standard logging delivers through the
 *   bucket ACL, and with the project's default feature flags CDK grants S3 log delivery with the
 *   `LogDeliveryWrite` canned ACL.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#access-logs-choosing-s3-bucket
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        { id: 'expire-logs', expiration: Duration.days(LOG_RETENTION_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Access logs are audit evidence; they outlive the stack and expire by lifecycle instead.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
