import { Client, GatewayIntentBits, Options, type ClientOptions } from 'discord.js';
import type { ShardPlan } from './config';

/**
 * The intents the bridge identifies with — only what the forwarded events need:
 * - `Guilds`: GUILD_CREATE / GUILD_DELETE, channel and thread create/update/delete.
 * - `GuildMessages`: MESSAGE_CREATE / UPDATE / DELETE in guild channels and threads (ticket logs).
 * - `MessageContent` (privileged): without it those messages arrive with empty content.
 * - `GuildMembers` (privileged): GUILD_MEMBER_REMOVE, so a ticket notices its opener left.
 *
 * Both privileged intents must be enabled for the application in the Developer Portal, or Discord
 * closes the connection with 4014 (Disallowed intents).
 *
 * @see https://discord.com/developers/docs/events/gateway#gateway-intents
 * @see https://discord.com/developers/docs/events/gateway#privileged-intents
 */
export const GATEWAY_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMembers,
] as const;

/**
 * Caches trimmed to what discord.js itself needs: the bridge reads raw packets, never cached
 * structures, so anything held only costs memory (a bot in many guilds would otherwise keep
 * members, messages and presences of all of them). Guild, channel, role and permission-overwrite
 * caches cannot be limited (discord.js breaks without them).
 *
 * @see https://discordjs.guide/miscellaneous/cache-customization.html
 */
export function trimmedCacheFactory(): ClientOptions['makeCache'] {
  const keepSelf = { maxSize: 0, keepOverLimit: (v: { id: string; client: Client }) => v.id === v.client.user?.id };
  return Options.cacheWithLimits({
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    GuildMemberManager: keepSelf,
    UserManager: keepSelf,
    ThreadMemberManager: 0,
    VoiceStateManager: 0,
    GuildBanManager: 0,
    GuildInviteManager: 0,
    GuildEmojiManager: 0,
    BaseGuildEmojiManager: 0,
    GuildStickerManager: 0,
    GuildScheduledEventManager: 0,
    StageInstanceManager: 0,
    AutoModerationRuleManager: 0,
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    EntitlementManager: 0,
  } as Parameters<typeof Options.cacheWithLimits>[0]);
}

/**
 * Builds the discord.js client for the bridge (not logged in). `shards` maps to discord.js's
 * `shards` / `shardCount`; `apiBaseUrl` (discord.js `rest.api`) points REST — only
 * `GET /gateway/bot` is called — somewhere other than discord.com.
 *
 * @see https://discord.com/developers/docs/events/gateway#get-gateway-bot
 */
export function createDiscordClient(options: { shards: ShardPlan; apiBaseUrl?: string }): Client {
  const plan = options.shards;
  return new Client({
    intents: [...GATEWAY_INTENTS],
    // discord.js also reads SHARD_COUNT from the environment when shardCount is left at its
    // default of 1; the config is parsed from that same variable, so the two agree.
    ...(plan === 'auto' ? { shards: 'auto' as const } : { shards: plan.ids, shardCount: plan.count }),
    makeCache: trimmedCacheFactory(),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      // Threads are cached (they cannot be limited); drop archived ones soon after archiving.
      threads: { interval: 3_600, lifetime: 3_600 },
    },
    ...(options.apiBaseUrl ? { rest: { api: options.apiBaseUrl } } : {}),
  });
}
