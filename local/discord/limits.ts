/**
 * Discord's documented caps that the emulator enforces.
 *
 * @see https://discord.com/developers/docs/resources/guild#create-guild-channel
 * @see https://discord.com/developers/docs/topics/threads
 */

/** Channels per guild, categories included, threads not (30013 beyond). */
export const MAX_GUILD_CHANNELS = 500;
/** Channels per category (50035 CHANNEL_PARENT_MAX_CHANNELS beyond). */
export const MAX_CATEGORY_CHANNELS = 50;
/** Interaction tokens address webhooks for 15 minutes. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
/** Discord waits 3 seconds for the HTTP answer to an interaction. */
export const INTERACTION_DEADLINE_MS = 3000;
/** Signed CDN attachment links last about a day. */
export const ATTACHMENT_URL_TTL_MS = 24 * 60 * 60 * 1000;
