import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { WorkJob } from '../contracts/work-job';
import { MAX_DELAY_SECONDS, type EnqueueOptions, type WorkQueue } from '../ports/work-queue';

/** The work queue over SQS; every job is validated against the contract before it leaves. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: WorkJob, opts: EnqueueOptions = {}): Promise<void> {
    // Emoji and other astral characters travel as JSON `\uXXXX` escapes (they can only occur inside
    // strings): AWS accepts them raw, but the local SQS emulator rejects anything above U+FFFD.
    const body = JSON.stringify(WorkJob.parse(job)).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    const delay = opts.delaySeconds === undefined ? undefined : Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(opts.delaySeconds)));
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageAttributes: { jobType: { DataType: 'String', StringValue: job.type } },
        ...(delay ? { DelaySeconds: delay } : {}),
      }),
    );
  }
}
