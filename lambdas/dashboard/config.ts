import * as z from 'zod/mini';
import { ArchiveConfigFields, archiveKeyCheck } from '../shared/adapters/archive-factory';
import { CommonConfig, Fields, parseConfig } from '../shared/config';

/** The dashboard λ's environment. */
export const DashboardConfig = z
  .extend(CommonConfig, {
  /** OAuth2 login; without it `/auth/*` answers 503 and everything else (signed transcript links) works. */
  DISCORD_CLIENT_SECRET: z.optional(Fields.nonEmpty),
  /**
   * Public origin of the dashboard (OAuth2 redirect URI base), e.g. https://dashboard.example.com.
   * Optional behind CloudFront, which sends the public host as `x-forwarded-host`.
   */
  DASHBOARD_BASE_URL: z.optional(Fields.url),
  // The transcript viewer: the sealed archive, link signatures, staff-role checks.
  ...ArchiveConfigFields,
  /** Verifies transcript viewer links (HMAC); the worker signs them with the same secret. */
  DASHBOARD_SESSION_SECRET: Fields.nonEmpty,
  /** Reads members' roles so staff without Manage Server can read transcripts with their login. */
  DISCORD_BOT_TOKEN: z.optional(Fields.nonEmpty),
  })
  .check(archiveKeyCheck);
export type DashboardConfig = z.infer<typeof DashboardConfig>;

export const loadDashboardConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(DashboardConfig, env);
