import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { archiveFromConfig } from '../shared/adapters/archive-factory';
import { documentClient } from '../shared/adapters/aws-clients';
import { RestDiscordApi } from '../shared/adapters/discord-rest';
import { DynamoTicketStore } from '../shared/adapters/dynamo-ticket-store';
import { RestDiscordOAuth } from '../shared/adapters/discord-oauth-rest';
import { DynamoGuildStore } from '../shared/adapters/dynamo-guild-store';
import { DynamoSessionStore } from '../shared/adapters/dynamo-session-store';
import { systemClock } from '../shared/clock';
import { lazy } from '../shared/lazy';
import { createLogger } from '../shared/logger';
import { withSecrets } from '../shared/secrets';
import { telemetryFromConfig } from '../shared/telemetry-factory';
import { TtlCache } from '../shared/ttl-cache';
import { DASHBOARD_TELEMETRY_TIMEOUT_MS, handleDashboardRequest } from './app';
import { loadDashboardConfig } from './config';
import type { DashboardDeps } from './types';

export { handleDashboardRequest } from './app';

const log = createLogger('dashboard');

/** Composition root for the dashboard λ. */
export async function buildDashboardDeps(env: Record<string, string | undefined> = process.env): Promise<DashboardDeps> {
  const cfg = loadDashboardConfig(await withSecrets(env));
  const db = documentClient(cfg);
  const archive = archiveFromConfig(cfg, db, systemClock.now);
  const telemetry = telemetryFromConfig(cfg, 'dashboard', { timeoutMs: DASHBOARD_TELEMETRY_TIMEOUT_MS });
  return {
    oauth: cfg.DISCORD_CLIENT_SECRET ? new RestDiscordOAuth({ apiBaseUrl: cfg.DISCORD_API_BASE_URL, clientId: cfg.DISCORD_APPLICATION_ID, clientSecret: cfg.DISCORD_CLIENT_SECRET }) : null,
    sessions: new DynamoSessionStore(db, cfg.TABLE_NAME),
    guilds: new DynamoGuildStore(db, cfg.TABLE_NAME),
    telemetry,
    clock: systemClock,
    log,
    baseUrl: cfg.DASHBOARD_BASE_URL?.replace(/\/+$/, ''),
    viewer: {
      tickets: new DynamoTicketStore(db, cfg.TABLE_NAME),
      records: archive.records,
      archive: archive.archive,
      linkSecret: cfg.DASHBOARD_SESSION_SECRET,
      members: cfg.DISCORD_BOT_TOKEN ? new RestDiscordApi({ apiBaseUrl: cfg.DISCORD_API_BASE_URL, botToken: cfg.DISCORD_BOT_TOKEN }) : null,
      now: systemClock.now,
      staffChecks: new TtlCache<boolean>(60_000),
      // Who tried to read which transcript, and why they were refused (never the transcript).
      onRefused: (refusal) => {
        log.warn('transcript access refused', refusal);
        telemetry.capture({ event: 'transcript_access_denied', guildId: refusal.guildId, properties: { reason: refusal.reason } });
      },
    },
  };
}

/** The middy-wrapped handler over a deps factory (the stack's entry and the local stack use the same). */
export function createDashboardHandler(deps: () => Promise<DashboardDeps>) {
  return middy<LambdaFunctionURLEvent, LambdaFunctionURLResult>(async (event: LambdaFunctionURLEvent) => handleDashboardRequest(event, await deps())).use(injectLambdaContext(log));
}

/** The Lambda entry (Function URL). */
export const handler = createDashboardHandler(lazy(() => buildDashboardDeps()));
