import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import fifoFixture from '../fixtures/sqs/fifo-event.json';

/** An SQS event in Lambda's real shape (from the fixture) carrying `bodies`. */
export function sqsEventWith(bodies: unknown[], overrides: Partial<SQSRecord['attributes']> = {}): SQSEvent {
  const template = fifoFixture.Records[0] as unknown as SQSRecord;
  return {
    Records: bodies.map((b) => ({
      ...template,
      messageId: randomUUID(),
      body: typeof b === 'string' ? b : JSON.stringify(b),
      attributes: { ...template.attributes, ...overrides },
    })),
  };
}
