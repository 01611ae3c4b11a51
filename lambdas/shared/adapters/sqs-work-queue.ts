import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { WorkJob } from '../contracts/work-job';
import type { WorkQueue } from '../ports/work-queue';

/** The work queue over SQS; every job is validated against the contract before it leaves. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: WorkJob): Promise<void> {
    const body = JSON.stringify(WorkJob.parse(job));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body, MessageAttributes: { jobType: { DataType: 'String', StringValue: job.type } } }));
  }
}
