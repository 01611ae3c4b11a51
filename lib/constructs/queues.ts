import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, type QueueDefinition, type QueueKey } from '../resources';

export interface QueuesProps {
  /** Customer-managed key for SQS server-side encryption. */
  readonly encryptionKey: kms.IKey;
}

/** A queue and the dead-letter queue it redrives to. */
export interface QueuePair {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The queues from {@link QUEUES}, each with its own dead-letter queue.
 *
 * - `events` is FIFO (message group = channel) and its DLQ is FIFO too, as SQS requires.
 *   Content-based deduplication is off: the gateway sets an explicit deduplication id per event.
 * - Encryption uses the customer-managed key; a data key is reused for an hour to keep KMS calls
 *   (and cost) low. Every queue denies non-TLS requests.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export class Queues extends Construct {
  readonly work: QueuePair;
  readonly events: QueuePair;
  readonly transcripts: QueuePair;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    this.work = this.pair(QUEUES.work, props.encryptionKey);
    this.events = this.pair(QUEUES.events, props.encryptionKey);
    this.transcripts = this.pair(QUEUES.transcripts, props.encryptionKey);
  }

  /** The pair for a queue key from {@link QUEUES}. */
  get(key: QueueKey): QueuePair {
    return this[key];
  }

  private pair(def: QueueDefinition, encryptionKey: kms.IKey): QueuePair {
    const common = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      ...(def.fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
    } satisfies sqs.QueueProps;
    const deadLetterQueue = new sqs.Queue(this, `${def.id}DeadLetterQueue`, {
      ...common,
      retentionPeriod: Duration.seconds(def.dlqRetentionSeconds),
    });
    const queue = new sqs.Queue(this, `${def.id}Queue`, {
      ...common,
      visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: def.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }
}
