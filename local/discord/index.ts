/**
 * A local Discord for tests, the sandbox (`npm start` without credentials) and benchmarks: the REST
 * API v10 subset Deskwire uses, OAuth2, the CDN, and signed interaction delivery.
 *
 * @example
 * const discord = await startDiscordEmulator({ interactionsUrl: 'http://127.0.0.1:3000/interactions' });
 * const { id: guildId, generalChannelId, ownerId } = discord.createGuild();
 * const result = await discord.sendInteraction(
 *   commandInteraction({ ...discord.interactionContext({ guildId, channelId: generalChannelId, userId: ownerId }), name: 'status' }),
 * );
 */
export { DiscordEmulator, startDiscordEmulator } from './emulator';
export type { DiscordEmulatorOptions, SendInteractionOptions, SendInteractionResult } from './emulator';
export { DiscordModel, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, isThread } from './model';
export type { CreateChannelOptions, CreateGuildOptions, CreateRoleOptions, CreateUserOptions, SeededGuild } from './model';
export type * from './state';
export type { Fault, FaultRule } from './faults';
export { FaultInjector } from './faults';
export type { RateLimitOptions } from './rate-limits';
export { DiscordApiError } from './errors';
export { ALL_PERMISSIONS, applyOverwrites, computeBasePermissions, computePermissions, hasPermissions, missingPermissionNames } from './permissions';
export type { PermissionInput, PermissionRole } from './permissions';
export { SnowflakeGenerator, compareSnowflakes, snowflakeAt, snowflakeTimestamp, DISCORD_EPOCH } from './snowflake';
export * from './limits';
export * from './signing';
export * from './payloads';
