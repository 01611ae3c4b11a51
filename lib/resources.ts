/**
 * The one description of Deskwire's stateful resources: table keys and indexes, queues and
 * their dead-letter queues, the archive bucket. The CDK stateful stack and the local stack both
 * build from these definitions, so names, keys and indexes can never drift apart.
 *
 * This module is plain data: it imports nothing from aws-cdk-lib or the AWS SDK.
 */

/** Attribute type in DynamoDB's own vocabulary (`S` string, `N` number). */
export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey: KeyDefinition;
  /** Non-key attributes the index copies (projection `INCLUDE`); absent: the whole item (`ALL`). */
  readonly include?: readonly string[];
}

/**
 * An index's projection in DynamoDB's own vocabulary (CreateTable / UpdateTable; the CDK table
 * construct maps it too).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections
 */
export function indexProjection(index: IndexDefinition): { ProjectionType: 'ALL' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] } {
  return index.include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] } : { ProjectionType: 'ALL' };
}

/**
 * The single table. Every item is keyed by tenant first (`GUILD#<gid>`, `LICENSE#<hash>`, …).
 *
 * - `GSI1` is a general inverted lookup (e.g. channel id → ticket, opener → open tickets).
 * - `ByDue` is a sparse index of items that a sweep must visit at a time: `dueKind` names the
 *   sweep (`DUE#purge`, `DUE#autoclose`…), `dueAt` is epoch milliseconds. A sweep is a Query for
 *   `dueKind = K AND dueAt <= now`, so it reads only what is due (never a Scan). Items leave the
 *   index by removing the two attributes.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
 */
export const TABLE = {
  id: 'Table',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  /** Epoch seconds; DynamoDB's TTL deletes the item some time after. */
  ttlAttribute: 'expiresAt',
  indexes: [
    { name: 'GSI1', partitionKey: { name: 'GSI1PK', type: 'S' }, sortKey: { name: 'GSI1SK', type: 'S' } },
    { name: 'ByDue', partitionKey: { name: 'dueKind', type: 'S' }, sortKey: { name: 'dueAt', type: 'N' } },
    // What the gateway task reads and nothing more (no ticket form answers in the index).
    { name: 'OpenChannels', partitionKey: { name: 'openPart', type: 'S' }, sortKey: { name: 'openChannelId', type: 'S' }, include: ['guildId', 'openerId'] },
  ],
} as const satisfies {
  id: string;
  partitionKey: KeyDefinition;
  sortKey: KeyDefinition;
  ttlAttribute: string;
  indexes: readonly IndexDefinition[];
};

export interface QueueDefinition {
  /** Logical id, also the local queue name stem. */
  readonly id: string;
  readonly fifo: boolean;
  /** Seconds a received message stays invisible; ≥ 6 × the consumer's timeout per AWS guidance. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Seconds a message is kept in the dead-letter queue (14 days, the SQS maximum). */
  readonly dlqRetentionSeconds: number;
}

/**
 * Queues. `work` carries slow interaction work to the worker λ; `events` (FIFO, group = channel)
 * carries gateway events to the events λ in order.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const QUEUES = {
  work: { id: 'Work', fifo: false, visibilityTimeoutSeconds: 180, maxReceiveCount: 5, dlqRetentionSeconds: 1_209_600 },
  events: { id: 'Events', fifo: true, visibilityTimeoutSeconds: 180, maxReceiveCount: 5, dlqRetentionSeconds: 1_209_600 },
  /**
   * `transcript.build` jobs only, for the transcripts λ: a build of a large ticket (up to 250 MB of
   * attachments) takes minutes, not the worker's 30 s, and one at a time. 6 × its 900 s timeout.
   */
  transcripts: { id: 'Transcripts', fifo: false, visibilityTimeoutSeconds: 5400, maxReceiveCount: 5, dlqRetentionSeconds: 1_209_600 },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof QUEUES;

/** Consumer timeouts (seconds); the queue visibility timeouts above are 6 × these. */
export const FUNCTION_TIMEOUTS = {
  interactions: 10,
  worker: 30,
  events: 30,
  sweeper: 120,
  dashboard: 15,
  /** Transcript builds (see `QUEUES.transcripts`): Lambda's maximum. */
  transcripts: 900,
} as const;

/** The archive bucket (transcripts and re-hosted attachments). */
export const ARCHIVE_BUCKET = {
  id: 'Archive',
  /** Objects are encrypted by us before upload; abort stale multipart uploads after this many days. */
  abortIncompleteMultipartUploadDays: 7,
} as const;

/** How often the sweeper runs. */
export const SWEEP_INTERVAL_MINUTES = 5;

/**
 * Physical names used by the local stack (and by tests, with a per-run prefix). On AWS CloudFormation
 * names the resources and the functions receive them through environment variables.
 */
export function localResourceNames(prefix: string) {
  const queue = (key: QueueKey) => {
    const def = QUEUES[key];
    const stem = `${prefix}-${key}`;
    return {
      name: def.fifo ? `${stem}.fifo` : stem,
      dlqName: def.fifo ? `${stem}-dlq.fifo` : `${stem}-dlq`,
    };
  };
  return {
    table: `${prefix}-table`,
    bucket: `${prefix}-archive`.toLowerCase(),
    queues: { work: queue('work'), events: queue('events'), transcripts: queue('transcripts') },
  };
}

/**
 * Environment variable names through which a function receives its resources. The CDK function
 * construct sets them together with the IAM grant; the local stack sets them to the emulators'.
 */
export const RESOURCE_ENV = {
  table: 'TABLE_NAME',
  workQueue: 'WORK_QUEUE_URL',
  eventsQueue: 'EVENTS_QUEUE_URL',
  transcriptsQueue: 'TRANSCRIPTS_QUEUE_URL',
  bucket: 'ARCHIVE_BUCKET',
  /** ARN of the KMS key that wraps the per-guild archive data keys (envelope encryption). */
  archiveKey: 'ARCHIVE_KMS_KEY_ID',
  /** ARN of the Secrets Manager secret holding {@link SECRET_FIELDS}. */
  secret: 'DESKWIRE_SECRET_ARN',
} as const;

/**
 * The JSON keys of the one Secrets Manager secret (filled by ops after the first deploy). Locally
 * the same names are plain environment variables.
 */
export const SECRET_FIELDS = [
  'DISCORD_BOT_TOKEN',
  'DISCORD_CLIENT_SECRET',
  'POSTHOG_API_KEY',
  'ANTHROPIC_API_KEY',
  'DASHBOARD_SESSION_SECRET',
] as const;

export type SecretField = (typeof SECRET_FIELDS)[number];
