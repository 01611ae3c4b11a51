import { DiscordAPIError, REST } from '@discordjs/rest';
import type { APIGuild, APIGuildChannel, GuildChannelType } from 'discord-api-types/v10';
import { Routes } from '../discord-constants';
import { DiscordActionError } from '../errors';
import type { DiscordApi, MessageBody } from '../ports/discord';

/**
 * Messages for Discord's JSON error codes that an admin can act on.
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 */
const KNOWN_CODES: Record<number, string> = {
  10003: 'That channel no longer exists.',
  10004: 'Deskwire cannot see this server any more. Re-invite the bot.',
  10015: 'This interaction expired before Deskwire could answer. Please try again.',
  30013: 'This server has reached Discord’s limit of 500 channels. Delete unused channels, or switch tickets to thread mode.',
  50001: 'Deskwire cannot access that channel. Give the bot the View Channel permission there.',
  50007: 'Deskwire cannot send you direct messages. Enable DMs from server members and try again.',
  50013: 'Deskwire is missing a permission for this action. Run /status to see which.',
};

/** Maps a REST failure to a user-facing error where Discord told us why; rethrows anything else. */
export function mapDiscordError(err: unknown): never {
  if (err instanceof DiscordAPIError && typeof err.code === 'number' && KNOWN_CODES[err.code]) {
    throw new DiscordActionError(KNOWN_CODES[err.code], err.code);
  }
  throw err;
}

/**
 * The Discord port over `@discordjs/rest` (handles rate-limit buckets, 429 retry-after and 5xx retries).
 * `apiBaseUrl` is Discord's by default and the emulator's locally.
 */
export class RestDiscordApi implements DiscordApi {
  readonly rest: REST;

  constructor(opts: { apiBaseUrl: string; botToken?: string; timeoutMs?: number }) {
    this.rest = new REST({ version: '10', api: opts.apiBaseUrl, timeout: opts.timeoutMs ?? 10_000 });
    if (opts.botToken) this.rest.setToken(opts.botToken);
  }

  async editOriginalResponse(applicationId: string, token: string, body: MessageBody): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false }).catch(mapDiscordError);
  }

  async createFollowup(applicationId: string, token: string, body: MessageBody): Promise<void> {
    await this.rest.post(Routes.webhook(applicationId, token), { body, auth: false }).catch(mapDiscordError);
  }

  async getGuild(guildId: string): Promise<Pick<APIGuild, 'id' | 'name' | 'owner_id'>> {
    return (await this.rest.get(Routes.guild(guildId)).catch(mapDiscordError)) as APIGuild;
  }

  async listGuildChannels(guildId: string): Promise<Array<Pick<APIGuildChannel<GuildChannelType>, 'id' | 'type' | 'parent_id' | 'name'>>> {
    return (await this.rest.get(Routes.guildChannels(guildId)).catch(mapDiscordError)) as APIGuildChannel<GuildChannelType>[];
  }
}
