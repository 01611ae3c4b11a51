import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '../shared/adapters/aws-clients';
import { DynamoGuildStore } from '../shared/adapters/dynamo-guild-store';
import { systemClock } from '../shared/clock';
import { lazy } from '../shared/lazy';
import { createLogger } from '../shared/logger';
import { withSecrets } from '../shared/secrets';
import { telemetryFromConfig } from '../shared/telemetry-factory';
import { handleEventsBatch, type EventsDeps } from './app';
import { loadEventsConfig } from './config';

export { handleEventsBatch } from './app';

const log = createLogger('events');

/** Composition root for the events λ. */
export async function buildEventsDeps(env: Record<string, string | undefined> = process.env): Promise<EventsDeps> {
  const cfg = loadEventsConfig(await withSecrets(env));
  return { guilds: new DynamoGuildStore(documentClient(cfg), cfg.TABLE_NAME), telemetry: telemetryFromConfig(cfg, 'events'), clock: systemClock, log };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local stack use the same). */
export function createEventsHandler(deps: () => Promise<EventsDeps>) {
  return middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent, context: Context) => handleEventsBatch(event, context, await deps())).use(injectLambdaContext(log));
}

/** The Lambda entry (events.fifo source with ReportBatchItemFailures). */
export const handler = createEventsHandler(lazy(() => buildEventsDeps()));
