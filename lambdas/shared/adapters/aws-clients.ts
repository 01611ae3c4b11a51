import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { CommonConfig } from '../config';

type AwsConfig = Pick<CommonConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_SQS' | 'AWS_ENDPOINT_URL_S3'>;

/**
 * Bounds for a client on a path with a hard deadline: each HTTP attempt is cut after
 * `requestTimeoutMs` (connecting after `connectionTimeoutMs`), and at most `maxAttempts` are made.
 * Without them the SDK waits on a slow socket indefinitely and retries 3 times.
 *
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export interface ClientLimits {
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  maxAttempts: number;
}

/** The interactions λ's bounds: two attempts of ≤ 1 s fit Discord's 3-second window. */
export const INTERACTION_CLIENT_LIMITS: ClientLimits = { requestTimeoutMs: 1_000, connectionTimeoutMs: 500, maxAttempts: 2 };

/**
 * `throwOnRequestTimeout`: since @smithy/node-http-handler 4.x a `requestTimeout` alone only logs a
 * warning; with the flag the attempt's socket is destroyed and a `TimeoutError` raised, which the
 * retry strategy counts. (Older handlers, as a Lambda runtime's bundled SDK may be, ignore the flag
 * and apply `requestTimeout` as the socket's idle timeout, which cuts a silent attempt just the same.)
 *
 * @see https://github.com/smithy-lang/smithy-typescript/blob/main/packages/types/src/http/httpHandlerInitialization.ts
 */
const bounded = (limits?: ClientLimits) =>
  limits
    ? {
        maxAttempts: limits.maxAttempts,
        requestHandler: { requestTimeout: limits.requestTimeoutMs, connectionTimeout: limits.connectionTimeoutMs, throwOnRequestTimeout: true },
      }
    : {};

/**
 * AWS SDK v3 clients built from config. On AWS the endpoints are unset and the SDK resolves them;
 * locally they point at DynamoDB Local and the SQS/S3 emulator.
 *
 * The document client drops `undefined` attributes so optional domain fields need no special care.
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/
 */
export function documentClient(cfg: AwsConfig, limits?: ClientLimits): DynamoDBDocumentClient {
  const base = new DynamoDBClient({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_DYNAMODB, ...bounded(limits) });
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

/** SQS client; an explicit endpoint because local queue URLs use a host that does not resolve. */
export function sqsClient(cfg: AwsConfig, limits?: ClientLimits): SQSClient {
  return new SQSClient({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_SQS, ...bounded(limits) });
}

/** S3 client; path-style addressing locally (the emulator has no per-bucket host names). */
export function s3Client(cfg: AwsConfig): S3Client {
  return new S3Client({ region: cfg.AWS_REGION, endpoint: cfg.AWS_ENDPOINT_URL_S3, forcePathStyle: Boolean(cfg.AWS_ENDPOINT_URL_S3) });
}
