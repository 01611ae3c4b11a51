import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';

/** The dashboard λ's environment. */
export const DashboardConfig = z.extend(CommonConfig, {
  DISCORD_CLIENT_SECRET: Fields.nonEmpty,
  /**
   * Public origin of the dashboard (OAuth2 redirect URI base), e.g. https://dashboard.example.com.
   * Optional behind CloudFront, which sends the public host as `x-forwarded-host`.
   */
  DASHBOARD_BASE_URL: z.optional(Fields.url),
});
export type DashboardConfig = z.infer<typeof DashboardConfig>;

export const loadDashboardConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(DashboardConfig, env);
