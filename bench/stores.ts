import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTicketStore } from '../lambdas/shared/adapters/dynamo-ticket-store';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/aws/provision';
import type { LocalStack } from '../local/stack';

/** The real ticket store on a local stack's table, for seeding benchmark data. */
export function ticketStoreFor(stack: LocalStack): DynamoTicketStore {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoTicketStore(db, stack.resources.tableName);
}
