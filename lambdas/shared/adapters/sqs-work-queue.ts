import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { toSqsBody } from '../contracts/sqs-body';
import { WorkJob, type WorkJobType } from '../contracts/work-job';
import { MAX_DELAY_SECONDS, type EnqueueOptions, type WorkQueue } from '../ports/work-queue';

/** The work queue as producers see it, from their config: transcript builds routed to their own queue. */
export function workQueueFromConfig(sqs: SQSClient, cfg: { WORK_QUEUE_URL: string; TRANSCRIPTS_QUEUE_URL: string }): SqsWorkQueue {
  return new SqsWorkQueue(sqs, cfg.WORK_QUEUE_URL, { 'transcript.build': cfg.TRANSCRIPTS_QUEUE_URL });
}

/**
 * The work queue over SQS; every job is validated against the contract before it leaves. `routes`
 * sends some job types to a queue of their own (transcript builds to the transcripts λ's queue).
 */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly routes: Partial<Record<WorkJobType, string>> = {},
  ) {}

  async enqueue(job: WorkJob, opts: EnqueueOptions = {}): Promise<void> {
    const body = toSqsBody(WorkJob.parse(job));
    const delay = opts.delaySeconds === undefined ? undefined : Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(opts.delaySeconds)));
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.routes[job.type] ?? this.queueUrl,
        MessageBody: body,
        MessageAttributes: { jobType: { DataType: 'String', StringValue: job.type } },
        ...(delay ? { DelaySeconds: delay } : {}),
      }),
      opts.signal ? { abortSignal: opts.signal } : undefined,
    );
  }
}
