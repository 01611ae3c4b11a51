import { z } from 'zod';
import { DISCORD_DEFAULT_API_BASE_URL, Fields, parseConfig } from '../lambdas/shared/config';

/**
 * `npm start`'s own settings, on top of the variables the functions read. Discord credentials
 * decide the mode: with DISCORD_BOT_TOKEN it is a real bot, without it the sandbox.
 */
export const LocalConfig = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DISCORD_APPLICATION_ID: Fields.snowflake.optional(),
    DISCORD_PUBLIC_KEY: Fields.publicKey.optional(),
    DISCORD_BOT_TOKEN: z.string().optional(),
    DISCORD_CLIENT_SECRET: z.string().optional(),
    DISCORD_API_BASE_URL: Fields.url.default(DISCORD_DEFAULT_API_BASE_URL),
    DISCORD_DEV_GUILD_ID: Fields.snowflake.optional(),
    POSTHOG_API_KEY: z.string().optional(),
    POSTHOG_HOST: Fields.url.optional(),
    ANTHROPIC_API_KEY: z.string().optional(),
    ANTHROPIC_BASE_URL: Fields.url.optional(),
    /** `off` skips the in-process gateway even with a bot token. */
    LOCAL_GATEWAY: z.enum(['on', 'off']).default('on'),
    /** Where DynamoDB Local keeps its data (git-ignored). */
    LOCAL_DATA_DIR: z.string().default('.local/dynamodb'),
    LOCAL_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().positive().default(60),
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.DISCORD_BOT_TOKEN) return;
    for (const name of ['DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY'] as const) {
      if (!cfg[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when DISCORD_BOT_TOKEN is set (copy it from the Discord developer portal)' });
    }
  });
export type LocalConfig = z.infer<typeof LocalConfig>;

export const loadLocalConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(LocalConfig, env);
