import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { documentClient, INTERACTION_CLIENT_LIMITS, sqsClient } from '../shared/adapters/aws-clients';
import { DynamoPanelStore } from '../shared/adapters/dynamo-panel-store';
import { DynamoAttemptLimiter } from '../shared/adapters/dynamo-attempt-limiter';
import { DynamoCalloutStore } from '../shared/adapters/dynamo-callout-store';
import { DynamoEnforcementStore } from '../shared/adapters/dynamo-enforcement-store';
import { hqSettingsOf } from '../shared/hq/config';
import { DynamoLicenseStore } from '../shared/adapters/dynamo-license-store';
import { DynamoTicketStore } from '../shared/adapters/dynamo-ticket-store';
import { SqsWorkQueue } from '../shared/adapters/sqs-work-queue';
import { systemClock } from '../shared/clock';
import { lazy } from '../shared/lazy';
import { LicenseEntitlements } from '../shared/licensing/entitlements';
import { graceMsFromDays } from '../shared/licensing/model';
import { createLogger } from '../shared/logger';
import { handleInteractionRequest, type InteractionsApp } from './app';
import { loadInteractionsConfig } from './config';
import { importPublicKey } from './verify';

export { handleInteractionRequest } from './app';

const log = createLogger('interactions');

/**
 * Composition root: builds the adapters from config once per cold start. No secret is needed
 * here (the public key is public), so the 3-second path never waits on Secrets Manager.
 */
export async function buildInteractionsApp(env: Record<string, string | undefined> = process.env): Promise<InteractionsApp> {
  const cfg = loadInteractionsConfig(env);
  // Bounded: a slow AWS call must end in time for the "try again" reply (see `handleInteractionRequest`).
  const db = documentClient(cfg, INTERACTION_CLIENT_LIMITS);
  const licenses = new DynamoLicenseStore(db, cfg.TABLE_NAME);
  return {
    publicKey: await importPublicKey(cfg.DISCORD_PUBLIC_KEY),
    workQueue: new SqsWorkQueue(sqsClient(cfg, INTERACTION_CLIENT_LIMITS), cfg.WORK_QUEUE_URL),
    tickets: new DynamoTicketStore(db, cfg.TABLE_NAME),
    panels: new DynamoPanelStore(db, cfg.TABLE_NAME),
    licenses,
    entitlements: new LicenseEntitlements(licenses, systemClock, graceMsFromDays(cfg.LICENSE_GRACE_DAYS)),
    attempts: new DynamoAttemptLimiter(db, cfg.TABLE_NAME),
    callouts: new DynamoCalloutStore(db, cfg.TABLE_NAME),
    enforcement: new DynamoEnforcementStore(db, cfg.TABLE_NAME),
    hq: hqSettingsOf(cfg),
    appeal: cfg.ENFORCEMENT_APPEAL,
    clock: systemClock,
    log,
  };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local server use the same). */
export function createInteractionsHandler(deps: () => Promise<InteractionsApp>) {
  return middy<LambdaFunctionURLEvent, LambdaFunctionURLResult>(async (event: LambdaFunctionURLEvent) => handleInteractionRequest(event, await deps())).use(
    injectLambdaContext(log),
  );
}

/** The Lambda entry (Function URL). @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html */
export const handler = createInteractionsHandler(lazy(() => buildInteractionsApp()));
