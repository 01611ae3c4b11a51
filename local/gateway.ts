import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws/provision';
import type { LocalStack } from './stack';

/**
 * Runs the gateway task in this process against the local queues (only with a bot token: it
 * connects to Discord's real gateway). Loaded lazily so the sandbox never loads discord.js.
 */
export async function startLocalGateway(stack: LocalStack, token: string, apiBaseUrl: string) {
  const { startGateway } = await import('../gateway-task/src');
  const gateway = await startGateway(
    {
      discordToken: token,
      eventsQueueUrl: stack.resources.queues.events.url,
      awsRegion: LOCAL_REGION,
      sqsEndpoint: stack.endpoints.sqsS3,
      tableName: stack.resources.tableName,
      dynamodbEndpoint: stack.endpoints.dynamodb,
      ticketRefreshSeconds: 300,
      discordApiBaseUrl: apiBaseUrl,
      shards: 'auto',
      healthPort: 0,
      logLevel: 'info',
    },
    { sqs: new SQSClient({ endpoint: stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), healthHost: '127.0.0.1' },
  );
  try {
    await gateway.ready;
  } catch (err) {
    await gateway.stop();
    throw err;
  }
  return gateway;
}
