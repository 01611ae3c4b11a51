import type { APIEmbed, APIActionRowComponent, APIComponentInMessageActionRow, APIGuild, APIGuildChannel, GuildChannelType } from 'discord-api-types/v10';

/** What we post or edit: the subset of Discord's message body Deskwire uses. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Mentions are opt-in everywhere: nothing pings unless listed. */
  allowed_mentions?: { parse?: Array<'roles' | 'users' | 'everyone'>; roles?: string[]; users?: string[] };
  flags?: number;
}

/**
 * The Discord REST calls the backend makes. Implemented over @discordjs/rest (rate limits and
 * retries handled there); the domain only sees this port.
 */
export interface DiscordApi {
  /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response */
  editOriginalResponse(applicationId: string, token: string, body: MessageBody): Promise<void>;
  /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message */
  createFollowup(applicationId: string, token: string, body: MessageBody): Promise<void>;
  /** @see https://discord.com/developers/docs/resources/guild#get-guild */
  getGuild(guildId: string): Promise<Pick<APIGuild, 'id' | 'name' | 'owner_id'>>;
  /** @see https://discord.com/developers/docs/resources/guild#get-guild-channels */
  listGuildChannels(guildId: string): Promise<Array<Pick<APIGuildChannel<GuildChannelType>, 'id' | 'type' | 'parent_id' | 'name'>>>;
}
