import type { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { Clock } from '../shared/clock';
import type { DiscordOAuth } from '../shared/ports/discord-oauth';
import type { GuildStore } from '../shared/ports/guild-store';
import type { SessionStore } from '../shared/ports/sessions';
import type { Telemetry } from '../shared/ports/telemetry';
import type { ViewerDeps } from '../shared/transcripts/viewer';

export interface DashboardDeps {
  /** Discord OAuth2 login; null without a client secret (`/auth/*` then answers 503). */
  oauth: DiscordOAuth | null;
  sessions: SessionStore;
  guilds: GuildStore;
  telemetry: Telemetry;
  clock: Clock;
  log: Logger;
  /** Public origin, without a trailing slash; when unset, taken per request from `x-forwarded-host`. */
  baseUrl: string | undefined;
  /** The transcript viewer (absent: `/transcripts/…` answers 404). */
  viewer?: ViewerDeps;
}

export interface DashboardRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  cookies: Record<string, string>;
  event: LambdaFunctionURLEvent;
}

/** What a route sees: the deps with the public origin resolved for this request. */
export type RouteDeps = Omit<DashboardDeps, 'baseUrl'> & { baseUrl: string | undefined };

export type RouteHandler = (req: DashboardRequest, deps: RouteDeps) => Promise<LambdaFunctionURLResult>;
