import { startDynamoDbLocal } from '../local/aws/dynamodb-local';
import { startSqsS3Emulator } from '../local/aws/fauxqs';

/**
 * Starts the emulators once per test run (not per file). Test files find them through
 * `TEST_DYNAMODB_ENDPOINT` / `TEST_SQS_S3_ENDPOINT` and isolate themselves by resource prefix
 * and guild id.
 */
export default async function globalSetup(): Promise<void> {
  const [ddb, sqsS3] = await Promise.all([startDynamoDbLocal(), startSqsS3Emulator()]);
  process.env.TEST_DYNAMODB_ENDPOINT = ddb.endpoint;
  process.env.TEST_SQS_S3_ENDPOINT = sqsS3.endpoint;
  (globalThis as { __deskwireEmulators?: Array<{ stop(): Promise<void> }> }).__deskwireEmulators = [ddb, sqsS3];
}
