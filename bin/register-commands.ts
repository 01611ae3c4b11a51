/**
 * `npm run register-commands` — registers Deskwire's application commands with Discord
 * (to DISCORD_DEV_GUILD_ID when set, otherwise globally). Reads .env when present.
 */
import { existsSync } from 'node:fs';
import * as z from 'zod/mini';
import { DISCORD_DEFAULT_API_BASE_URL, Fields, parseConfig } from '../lambdas/shared/config';
import { describeCommands, registerCommands, registerHqCommands } from '../local/register-commands';

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const cfg = parseConfig(
    z.object({
      DISCORD_APPLICATION_ID: Fields.snowflake,
      DISCORD_BOT_TOKEN: Fields.nonEmpty,
      DISCORD_API_BASE_URL: z._default(Fields.url, DISCORD_DEFAULT_API_BASE_URL),
      DISCORD_DEV_GUILD_ID: z.optional(Fields.snowflake),
      HQ_GUILD_ID: z.optional(Fields.snowflake),
    }),
  );
  const registered = await registerCommands({ apiBaseUrl: cfg.DISCORD_API_BASE_URL, botToken: cfg.DISCORD_BOT_TOKEN, applicationId: cfg.DISCORD_APPLICATION_ID, guildId: cfg.DISCORD_DEV_GUILD_ID });
  console.log(`Registered ${registered.length} commands ${cfg.DISCORD_DEV_GUILD_ID ? `to guild ${cfg.DISCORD_DEV_GUILD_ID}` : 'globally'}: ${describeCommands(registered)}`);
  if (cfg.HQ_GUILD_ID) {
    const app = { apiBaseUrl: cfg.DISCORD_API_BASE_URL, botToken: cfg.DISCORD_BOT_TOKEN, applicationId: cfg.DISCORD_APPLICATION_ID };
    const hq = await registerHqCommands({ ...app, hqGuildId: cfg.HQ_GUILD_ID, alsoEveryCommand: cfg.HQ_GUILD_ID === cfg.DISCORD_DEV_GUILD_ID });
    console.log(`Registered ${hq.length} commands to the vendor HQ guild ${cfg.HQ_GUILD_ID}: ${describeCommands(hq)}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
