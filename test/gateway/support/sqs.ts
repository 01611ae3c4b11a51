import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The SQS emulator started by jest's globalSetup. */
export function sqsEndpoint(): string {
  const endpoint = process.env.TEST_SQS_S3_ENDPOINT;
  if (!endpoint) throw new Error('TEST_SQS_S3_ENDPOINT is not set: run through jest (globalSetup starts the emulator)');
  return endpoint;
}

/** An SQS client for the emulator (its queue URLs name a host that does not resolve, so the endpoint is explicit). */
export function testSqsClient(): SQSClient {
  return new SQSClient({ endpoint: sqsEndpoint(), region: TEST_REGION, credentials: TEST_CREDENTIALS });
}

/** A fresh FIFO queue per test, so parallel tests never read each other's messages. */
export async function createFifoQueue(sqs: SQSClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}.fifo`;
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true' } }));
  return out.QueueUrl!;
}

export interface Received {
  body: unknown;
  groupId: string | undefined;
  dedupId: string | undefined;
}

/**
 * Receives (and deletes) messages until `count` arrived or `timeoutMs` passed. FIFO hides a
 * group's later messages while an earlier one is in flight, hence the delete after every receive.
 * Tests prove that something was *not* sent by sending a later event in the same group and
 * checking what arrived before it — never by waiting.
 */
export async function receiveAll(sqs: SQSClient, queueUrl: string, count: number, timeoutMs = 45_000): Promise<Received[]> {
  const out: Received[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    const messages: Message[] = res.Messages ?? [];
    for (const m of messages) {
      out.push({ body: JSON.parse(m.Body!), groupId: m.Attributes?.MessageGroupId, dedupId: m.Attributes?.MessageDeduplicationId });
    }
    if (messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
  return out;
}
