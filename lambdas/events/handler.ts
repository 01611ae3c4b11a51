import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient, sqsClient } from '../shared/adapters/aws-clients';
import { DynamoEnforcementStore } from '../shared/adapters/dynamo-enforcement-store';
import { DynamoGuildStore } from '../shared/adapters/dynamo-guild-store';
import { DynamoTicketLogStore } from '../shared/adapters/dynamo-ticket-log-store';
import { DynamoTicketStore } from '../shared/adapters/dynamo-ticket-store';
import { SqsWorkQueue } from '../shared/adapters/sqs-work-queue';
import { systemClock } from '../shared/clock';
import { lazy } from '../shared/lazy';
import { createLogger } from '../shared/logger';
import { withSecrets } from '../shared/secrets';
import { telemetryFromConfig } from '../shared/telemetry-factory';
import { TicketLookups } from '../shared/tickets/ticket-events';
import { handleEventsBatch, type EventsDeps } from './app';
import { loadEventsConfig } from './config';

export { handleEventsBatch } from './app';

const log = createLogger('events');

/** Composition root for the events λ. */
export async function buildEventsDeps(env: Record<string, string | undefined> = process.env): Promise<EventsDeps> {
  const cfg = loadEventsConfig(await withSecrets(env));
  const db = documentClient(cfg);
  const tickets = new DynamoTicketStore(db, cfg.TABLE_NAME);
  return {
    guilds: new DynamoGuildStore(db, cfg.TABLE_NAME),
    enforcement: new DynamoEnforcementStore(db, cfg.TABLE_NAME),
    tickets,
    ticketLog: new DynamoTicketLogStore(db, cfg.TABLE_NAME),
    workQueue: new SqsWorkQueue(sqsClient(cfg), cfg.WORK_QUEUE_URL),
    lookups: new TicketLookups(tickets),
    telemetry: telemetryFromConfig(cfg, 'events'),
    clock: systemClock,
    log,
  };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local stack use the same). */
export function createEventsHandler(deps: () => Promise<EventsDeps>) {
  return middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent, context: Context) => handleEventsBatch(event, context, await deps())).use(injectLambdaContext(log));
}

/** The Lambda entry (events.fifo source with ReportBatchItemFailures). */
export const handler = createEventsHandler(lazy(() => buildEventsDeps()));
