import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { QUEUES } from '../../lib/resources';
import { archiveFromConfig } from '../shared/adapters/archive-factory';
import { documentClient, sqsClient } from '../shared/adapters/aws-clients';
import { RestDiscordApi } from '../shared/adapters/discord-rest';
import { DynamoGuildStore } from '../shared/adapters/dynamo-guild-store';
import { DynamoCalloutStore } from '../shared/adapters/dynamo-callout-store';
import { DynamoEnforcementStore } from '../shared/adapters/dynamo-enforcement-store';
import { DynamoJobLedger } from '../shared/adapters/dynamo-job-ledger';
import { Sealer } from '../shared/enforcement/seal';
import { hqSettingsOf } from '../shared/hq/config';
import { DynamoLicenseStore } from '../shared/adapters/dynamo-license-store';
import { DynamoPanelStore } from '../shared/adapters/dynamo-panel-store';
import { DynamoTicketLogStore } from '../shared/adapters/dynamo-ticket-log-store';
import { DynamoTicketStore } from '../shared/adapters/dynamo-ticket-store';
import { DynamoTicketTrail } from '../shared/adapters/dynamo-ticket-trail';
import { FetchCdnFiles } from '../shared/adapters/fetch-cdn-files';
import { SqsRetryScheduler } from '../shared/adapters/sqs-retry-scheduler';
import { workQueueFromConfig } from '../shared/adapters/sqs-work-queue';
import { systemClock } from '../shared/clock';
import { lazy } from '../shared/lazy';
import { LicenseEntitlements } from '../shared/licensing/entitlements';
import { graceMsFromDays } from '../shared/licensing/model';
import { createLogger } from '../shared/logger';
import { withSecrets } from '../shared/secrets';
import { telemetryFromConfig } from '../shared/telemetry-factory';
import { handleWorkBatch } from './app';
import { loadWorkerConfig } from './config';
import type { WorkerDeps } from './types';

export { handleWorkBatch } from './app';

const log = createLogger('worker');

/** Which queue a worker-code function consumes: the worker λ the work queue, the transcripts λ the transcripts queue. */
export type ConsumedQueue = 'work' | 'transcripts';

/** Composition root for the worker λ (and the transcripts λ, the same code on its own queue). */
export async function buildWorkerDeps(env: Record<string, string | undefined> = process.env, consumes: ConsumedQueue = 'work'): Promise<WorkerDeps> {
  const cfg = loadWorkerConfig(await withSecrets(env));
  const db = documentClient(cfg);
  const sqs = sqsClient(cfg);
  const licenses = new DynamoLicenseStore(db, cfg.TABLE_NAME);
  const archive = archiveFromConfig(cfg, db, systemClock.now);
  const trail = new DynamoTicketTrail(db, cfg.TABLE_NAME);
  return {
    discord: new RestDiscordApi({ apiBaseUrl: cfg.DISCORD_API_BASE_URL, botToken: cfg.DISCORD_BOT_TOKEN }),
    guilds: new DynamoGuildStore(db, cfg.TABLE_NAME),
    tickets: new DynamoTicketStore(db, cfg.TABLE_NAME),
    panels: new DynamoPanelStore(db, cfg.TABLE_NAME),
    licenses,
    entitlements: new LicenseEntitlements(licenses, systemClock, graceMsFromDays(cfg.LICENSE_GRACE_DAYS)),
    botUserId: cfg.DISCORD_APPLICATION_ID,
    ledger: new DynamoJobLedger(db, cfg.TABLE_NAME),
    workQueue: workQueueFromConfig(sqs, cfg),
    // Backoff changes the visibility of the message in the queue it came from.
    retries: new SqsRetryScheduler(sqs, consumes === 'work' ? cfg.WORK_QUEUE_URL : cfg.TRANSCRIPTS_QUEUE_URL),
    telemetry: telemetryFromConfig(cfg, 'worker'),
    // A deployment secret PostHog never sees: category values cannot be matched against guessed names.
    telemetryKey: cfg.DASHBOARD_SESSION_SECRET,
    callouts: new DynamoCalloutStore(db, cfg.TABLE_NAME),
    enforcement: new DynamoEnforcementStore(db, cfg.TABLE_NAME),
    sealer: cfg.ENFORCEMENT_KEY ? Sealer.fromBase64(cfg.ENFORCEMENT_KEY) : null,
    hq: hqSettingsOf(cfg),
    clock: systemClock,
    log,
    maxReceiveCount: QUEUES[consumes].maxReceiveCount,
    trail,
    transcripts: {
      ticketLog: new DynamoTicketLogStore(db, cfg.TABLE_NAME),
      trail,
      records: archive.records,
      archive: archive.archive,
      keys: archive.keys,
      cdn: new FetchCdnFiles(cfg.DISCORD_CDN_BASE_URL),
      limits: { maxFileBytes: cfg.TRANSCRIPT_MAX_FILE_MB * 1024 * 1024, maxTicketBytes: cfg.TRANSCRIPT_MAX_TICKET_MB * 1024 * 1024, inlineImageBytes: 256 * 1024, inlinePageBytes: 1536 * 1024 },
      linkSecret: cfg.DASHBOARD_SESSION_SECRET,
      viewerBaseUrl: cfg.TRANSCRIPT_VIEWER_URL.replace(/\/+$/, ''),
    },
  };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local stack use the same). */
export function createWorkerHandler(deps: () => Promise<WorkerDeps>) {
  return middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent, context: Context) => handleWorkBatch(event, context, await deps())).use(injectLambdaContext(log));
}

/** The Lambda entry (SQS event source with ReportBatchItemFailures). */
export const handler = createWorkerHandler(lazy(() => buildWorkerDeps()));
