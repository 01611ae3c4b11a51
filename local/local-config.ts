import * as z from 'zod/mini';
import { DISCORD_DEFAULT_API_BASE_URL, Fields, parseConfig } from '../lambdas/shared/config';

const port = z.pipe(z.string(), z.transform((v) => Number(v))).check(z.refine((n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'must be a port number (0–65535)'));
const seconds = z.pipe(z.string(), z.transform((v) => Number(v))).check(z.refine((n) => Number.isInteger(n) && n > 0, 'must be a whole number of seconds'));

/**
 * `npm start`'s own settings, on top of the variables the functions read. Discord credentials
 * decide the mode: with DISCORD_BOT_TOKEN it is a real bot, without it the sandbox.
 */
export const LocalConfig = z
  .object({
    PORT: z._default(port, 3000),
    DISCORD_APPLICATION_ID: z.optional(Fields.snowflake),
    DISCORD_PUBLIC_KEY: z.optional(Fields.publicKey),
    DISCORD_BOT_TOKEN: z.optional(z.string()),
    DISCORD_CLIENT_SECRET: z.optional(z.string()),
    DISCORD_API_BASE_URL: z._default(Fields.url, DISCORD_DEFAULT_API_BASE_URL),
    DISCORD_DEV_GUILD_ID: z.optional(Fields.snowflake),
    POSTHOG_API_KEY: z.optional(z.string()),
    POSTHOG_HOST: z.optional(Fields.url),
    ANTHROPIC_API_KEY: z.optional(z.string()),
    ANTHROPIC_BASE_URL: z.optional(Fields.url),
    /** `off` skips the in-process gateway even with a bot token. */
    LOCAL_GATEWAY: z._default(z.enum(['on', 'off'], { error: 'must be on or off' }), 'on'),
    /** Where DynamoDB Local keeps its data (git-ignored). */
    LOCAL_DATA_DIR: z._default(z.string(), '.local/dynamodb'),
    LOCAL_SWEEP_INTERVAL_SECONDS: z._default(seconds, 60),
  })
  .check(
    z.superRefine((cfg, ctx) => {
      if (!cfg.DISCORD_BOT_TOKEN) return;
      for (const name of ['DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY'] as const) {
        if (!cfg[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when DISCORD_BOT_TOKEN is set (copy it from the Discord developer portal)' });
      }
    }),
  );
export type LocalConfig = z.infer<typeof LocalConfig>;

export const loadLocalConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(LocalConfig, env);
