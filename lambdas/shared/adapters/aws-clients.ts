import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { CommonConfig } from '../config';

type AwsConfig = Pick<CommonConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_SQS' | 'AWS_ENDPOINT_URL_S3'>;

/**
 * AWS SDK v3 clients built from config. On AWS the endpoints are unset and the SDK resolves them;
 * locally they point at DynamoDB Local and the SQS/S3 emulator.
 *
 * The document client drops `undefined` attributes so optional domain fields need no special care.
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/
 */
export function documentClient(cfg: AwsConfig): DynamoDBDocumentClient {
  const base = new DynamoDBClient({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_DYNAMODB });
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

/** SQS client; an explicit endpoint because local queue URLs use a host that does not resolve. */
export function sqsClient(cfg: AwsConfig): SQSClient {
  return new SQSClient({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_SQS });
}

/** S3 client; path-style addressing locally (the emulator has no per-bucket host names). */
export function s3Client(cfg: AwsConfig): S3Client {
  return new S3Client({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_S3, forcePathStyle: Boolean(cfg.AWS_ENDPOINT_URL_S3) });
}
