import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { TABLE } from '../resources';

/**
 * Least-privilege grants shared by the Lambda functions and the gateway task.
 *
 * These spell out actions and resources instead of using the L2 `grant*` helpers because those add
 * wildcards (`kms:GenerateDataKey*`, `<table>/index/*`) and, for the table, `dynamodb:Scan`; the
 * design forbids Scans, so no role can run one.
 */

/** `read` for lookups only; `readWrite` adds writes and transactions. */
export type TableAccess = 'read' | 'readWrite';
/** `read` for downloads; `readWrite` adds uploads and deletes (purges). */
/** `delete`: list and delete only (retention and purge sweeps). */
export type BucketAccess = 'read' | 'readWrite' | 'delete';

/**
 * Item-level DynamoDB actions. Transactions need no action of their own: `TransactWriteItems` is
 * authorized per contained Put/Update/Delete/ConditionCheck.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
};

/**
 * KMS actions a principal needs on a table's customer-managed key; the same set the CDK table
 * grants use, with their wildcards expanded.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 */
const TABLE_KEY_ACTIONS: Record<TableAccess, string[]> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
};

/** Grants item access to the table and to each of its indexes by name (never `index/*`). */
export function grantTableAccess(grantee: iam.IGrantable, table: dynamodb.ITable, access: TableAccess): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: TABLE_ACTIONS[access],
      resources: [table.tableArn, ...TABLE.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
  if (table.encryptionKey) grantKey(grantee, table.encryptionKey, TABLE_KEY_ACTIONS[access]);
}

/**
 * Lets the grantee Query one index and nothing else of the table (no item reads): what it can see
 * is what the index projects.
 */
export function grantIndexQuery(grantee: iam.IGrantable, table: dynamodb.ITable, indexName: string): void {
  if (!TABLE.indexes.some((index) => index.name === indexName)) throw new Error(`no index ${indexName} in lib/resources.ts`);
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${indexName}`] }));
  if (table.encryptionKey) grantKey(grantee, table.encryptionKey, TABLE_KEY_ACTIONS.read);
}

/**
 * Lets the grantee send to an SSE-KMS queue: producers need `kms:GenerateDataKey` and `kms:Decrypt`.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#send-to-encrypted-queue
 */
export function grantQueueSend(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  queue.grant(grantee, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  if (queue.encryptionMasterKey) grantKey(grantee, queue.encryptionMasterKey, ['kms:GenerateDataKey', 'kms:Decrypt']);
}

/**
 * Archive object access. Object-level actions need `<bucket>/*`; `ListBucket` lets a purge find a
 * guild's prefix. SSE-KMS uploads need `kms:GenerateDataKey` (and `kms:Decrypt` for multipart).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
export function grantBucketAccess(grantee: iam.IGrantable, bucket: s3.IBucket, access: BucketAccess): void {
  const objectActions = access === 'read' ? ['s3:GetObject'] : access === 'delete' ? ['s3:DeleteObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  if (bucket.encryptionKey && access !== 'delete') {
    grantKey(grantee, bucket.encryptionKey, access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey']);
  }
}

/**
 * Envelope encryption of the archive: `GenerateDataKey` makes a per-guild data key (`readWrite`),
 * `Decrypt` unwraps it later. The plaintext data key never leaves the function.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping
 */
export function grantArchiveKey(grantee: iam.IGrantable, key: kms.IKey, access: 'read' | 'readWrite'): void {
  // Only with a guild as the encryption context: the key wraps guild data keys and nothing else.
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: access === 'read' ? ['kms:Decrypt'] : ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['guild'] }, Null: { 'kms:EncryptionContext:guild': 'false' } },
    }),
  );
}

/** Read access to the credentials secret. */
export function grantSecretRead(grantee: iam.IGrantable, secret: secretsmanager.ISecret): void {
  secret.grantRead(grantee);
}

function grantKey(grantee: iam.IGrantable, key: kms.IKey, actions: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [key.keyArn] }));
}
