import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { ScheduledEvent } from 'aws-lambda';
import { documentClient, s3Client, sqsClient } from '../shared/adapters/aws-clients';
import { DynamoTranscriptStore } from '../shared/adapters/dynamo-transcript-store';
import { S3ArchiveStore } from '../shared/adapters/s3-archive-store';
import { DynamoCalloutStore } from '../shared/adapters/dynamo-callout-store';
import { DynamoGuildStore } from '../shared/adapters/dynamo-guild-store';
import { hqSettingsOf } from '../shared/hq/config';
import { DynamoLicenseAdminStore } from '../shared/adapters/dynamo-license-admin-store';
import { DynamoTicketStore } from '../shared/adapters/dynamo-ticket-store';
import { workQueueFromConfig } from '../shared/adapters/sqs-work-queue';
import { systemClock } from '../shared/clock';
import type { SweepResult } from '../shared/domain/sweeps';
import { lazy } from '../shared/lazy';
import { graceMsFromDays } from '../shared/licensing/model';
import { createLogger } from '../shared/logger';
import { withSecrets } from '../shared/secrets';
import { telemetryFromConfig } from '../shared/telemetry-factory';
import { runScheduledSweep, type SweeperDeps } from './app';
import { loadSweeperConfig } from './config';

export { runScheduledSweep } from './app';

const log = createLogger('sweeper');

/** Composition root for the sweeper λ. */
export async function buildSweeperDeps(env: Record<string, string | undefined> = process.env): Promise<SweeperDeps> {
  const cfg = loadSweeperConfig(await withSecrets(env));
  const db = documentClient(cfg);
  return {
    guilds: new DynamoGuildStore(db, cfg.TABLE_NAME),
    tickets: new DynamoTicketStore(db, cfg.TABLE_NAME),
    licenses: new DynamoLicenseAdminStore(db, cfg.TABLE_NAME),
    licenseGraceMs: graceMsFromDays(cfg.LICENSE_GRACE_DAYS),
    workQueue: workQueueFromConfig(sqsClient(cfg), cfg),
    archive: new S3ArchiveStore(s3Client(cfg), cfg.ARCHIVE_BUCKET),
    transcripts: new DynamoTranscriptStore(db, cfg.TABLE_NAME),
    callouts: new DynamoCalloutStore(db, cfg.TABLE_NAME),
    calloutExpireMs: hqSettingsOf(cfg)?.expireMs ?? cfg.CALLOUT_EXPIRE_MINUTES * 60_000,
    telemetry: telemetryFromConfig(cfg, 'sweeper'),
    clock: systemClock,
    log,
  };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local stack's timer use the same). */
export function createSweeperHandler(deps: () => Promise<SweeperDeps>) {
  return middy<ScheduledEvent, SweepResult[]>(async () => {
    const results = await runScheduledSweep(await deps());
    // A sweep that could not run at all fails the invocation so the error alarm fires.
    const broken = results.filter((r) => r.error);
    if (broken.length) throw new Error(`sweeps failed: ${broken.map((r) => `${r.name}: ${r.error}`).join('; ')}`);
    return results;
  }).use(injectLambdaContext(log));
}

/** The Lambda entry (EventBridge schedule). @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html */
export const handler = createSweeperHandler(lazy(() => buildSweeperDeps()));
