import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { indexProjection, TABLE, type IndexDefinition, type KeyDefinition } from '../resources';

export interface DataTableProps {
  /** Customer-managed key for encryption at rest. */
  readonly encryptionKey: kms.IKey;
}

const attribute = (key: KeyDefinition): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
});

/**
 * Deskwire's single DynamoDB table, built from {@link TABLE} so its keys, indexes and TTL attribute
 * are the ones the local stack creates too.
 *
 * On-demand billing (traffic is bursty and per-guild small), point-in-time recovery, deletion
 * protection and `RETAIN`: the table holds licenses and enforcement records that must survive a
 * mistaken `cdk destroy`. Every index projects `ALL` so a GSI query never needs a second read.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
 */
export class DataTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: attribute(TABLE.partitionKey),
      sortKey: attribute(TABLE.sortKey),
      timeToLiveAttribute: TABLE.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        ...cdkProjection(index),
      });
    }
  }
}

/** The index's projection from {@link indexProjection}, as the CDK table construct takes it. */
function cdkProjection(index: IndexDefinition): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  const p = indexProjection(index);
  return p.ProjectionType === 'INCLUDE' ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: p.NonKeyAttributes } : { projectionType: dynamodb.ProjectionType.ALL };
}
