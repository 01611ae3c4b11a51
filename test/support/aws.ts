import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION, provisionLocalResources, type LocalEndpoints } from '../../local/aws/provision';

/** The emulators started once by global-setup. */
export function testEndpoints(): LocalEndpoints {
  const dynamodb = process.env.TEST_DYNAMODB_ENDPOINT;
  const sqsS3 = process.env.TEST_SQS_S3_ENDPOINT;
  if (!dynamodb || !sqsS3) throw new Error('emulator endpoints missing: run tests through jest (global-setup starts them)');
  return { dynamodb, sqsS3 };
}

/** A fresh, unique resource prefix for one test file. */
export const uniquePrefix = (name: string) => `t-${name}-${randomBytes(3).toString('hex')}`;

/** A random 18-digit snowflake-like id, so tests never collide on guild or user ids. */
export const randomSnowflake = () => `1${Array.from(randomBytes(17), (b) => (b % 10).toString()).join('')}`;

export async function provisionForTest(name: string) {
  const endpoints = testEndpoints();
  const resources = await provisionLocalResources(endpoints, { prefix: uniquePrefix(name), visibilityTimeoutSeconds: 1 });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    endpoints,
    resources,
    db,
    sqs,
    destroy() {
      db.destroy();
      sqs.destroy();
    },
  };
}
