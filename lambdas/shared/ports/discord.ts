import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIGuild,
  APIGuildChannel,
  APIGuildMember,
  APIMessage,
  APIOverwrite,
  APIRole,
  GuildChannelType,
} from 'discord-api-types/v10';

/** What we post or edit: the subset of Discord's message body Deskwire uses. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Mentions are opt-in everywhere: nothing pings unless listed. */
  allowed_mentions?: { parse?: Array<'roles' | 'users' | 'everyone'>; roles?: string[]; users?: string[] };
  flags?: number;
  /**
   * With `enforce_nonce`, Discord returns the message this author already created with the same
   * nonce in the past few minutes instead of creating another (at most 25 characters).
   * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
   */
  nonce?: string;
  enforce_nonce?: boolean;
}

export type ChannelSummary = Pick<APIGuildChannel<GuildChannelType>, 'id' | 'type' | 'parent_id' | 'name'>;

/** A permission overwrite as we send it (allow/deny as decimal strings). */
export type Overwrite = Pick<APIOverwrite, 'id' | 'type' | 'allow' | 'deny'>;

/**
 * Thrown by `createChannel` when the parent category already holds Discord's maximum of 50
 * channels (error 50035, `CHANNEL_PARENT_MAX_CHANNELS`): the caller overflows into a new category.
 */
export class CategoryFullError extends Error {
  override readonly name = 'CategoryFullError';
}

/**
 * Thrown by `modifyChannel` when Discord rate-limits the channel edit for longer than a job can
 * wait (renames: 2 per channel per 10 minutes). `retryAfterMs` says when it will be accepted again.
 * @see https://discord.com/developers/docs/topics/rate-limits
 */
export class ChannelEditRateLimitedError extends Error {
  override readonly name = 'ChannelEditRateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`Discord rate-limits this channel edit for ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** Thrown by `createChannel` at Discord's 500-channel guild cap (error 30013). */
export class GuildChannelCapError extends Error {
  override readonly name = 'GuildChannelCapError';
}

/**
 * The Discord REST calls the backend makes. Implemented over @discordjs/rest (rate limits and
 * retries handled there); the domain only sees this port. Errors Discord explains (missing
 * permission, unknown channel…) arrive as `DiscordActionError` with a message fit for users.
 */
export interface DiscordApi {
  /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response */
  editOriginalResponse(applicationId: string, token: string, body: MessageBody): Promise<void>;
  /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message */
  createFollowup(applicationId: string, token: string, body: MessageBody): Promise<void>;
  /** Removes the interaction's original response; one already gone (10008) is not an error. @see https://discord.com/developers/docs/interactions/receiving-and-responding#delete-original-interaction-response */
  deleteOriginalResponse(applicationId: string, token: string): Promise<void>;
  /** @see https://discord.com/developers/docs/resources/guild#get-guild */
  getGuild(guildId: string): Promise<Pick<APIGuild, 'id' | 'name' | 'owner_id'> & Partial<Pick<APIGuild, 'system_channel_id'>>>;
  /** @see https://discord.com/developers/docs/resources/guild#get-guild-channels */
  listGuildChannels(guildId: string): Promise<ChannelSummary[]>;
  /** @see https://discord.com/developers/docs/resources/guild#get-guild-roles */
  listGuildRoles(guildId: string): Promise<Array<Pick<APIRole, 'id' | 'name' | 'permissions' | 'position' | 'managed'>>>;
  /** Null when the user is not (or no longer) a member. @see https://discord.com/developers/docs/resources/guild#get-guild-member */
  getMember(guildId: string, userId: string): Promise<Pick<APIGuildMember, 'roles' | 'nick'> & { user: { id: string; username: string; global_name?: string | null } } | null>;

  /**
   * A text channel (type 0) or category (type 4) with permission overwrites.
   * @throws CategoryFullError, GuildChannelCapError
   * @see https://discord.com/developers/docs/resources/guild#create-guild-channel
   */
  createChannel(guildId: string, body: { name: string; type: 0 | 4; parentId?: string | null; overwrites: Overwrite[]; topic?: string; reason?: string }): Promise<ChannelSummary>;
  /** Rename, lock/archive a thread, move, or replace overwrites. @see https://discord.com/developers/docs/resources/channel#modify-channel */
  modifyChannel(channelId: string, body: { name?: string; archived?: boolean; locked?: boolean; parentId?: string | null; overwrites?: Overwrite[]; reason?: string }): Promise<void>;
  /** Idempotent: an already deleted channel (10003) is not an error. @see https://discord.com/developers/docs/resources/channel#deleteclose-channel */
  deleteChannel(channelId: string, reason?: string): Promise<void>;
  /** Adds or changes one overwrite. @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions */
  setOverwrite(channelId: string, overwrite: Overwrite, reason?: string): Promise<void>;
  /** @see https://discord.com/developers/docs/resources/channel#delete-channel-permission */
  deleteOverwrite(channelId: string, overwriteId: string, reason?: string): Promise<void>;

  /** A private thread (type 12, not invitable) without a starter message. @see https://discord.com/developers/docs/resources/channel#start-thread-without-message */
  createPrivateThread(parentChannelId: string, name: string, reason?: string): Promise<{ id: string }>;
  /** @see https://discord.com/developers/docs/resources/channel#add-thread-member */
  addThreadMember(threadId: string, userId: string): Promise<void>;
  /** @see https://discord.com/developers/docs/resources/channel#remove-thread-member */
  removeThreadMember(threadId: string, userId: string): Promise<void>;

  /** @see https://discord.com/developers/docs/resources/message#create-message */
  postMessage(channelId: string, body: MessageBody): Promise<{ id: string }>;
  /** @see https://discord.com/developers/docs/resources/message#edit-message */
  editMessage(channelId: string, messageId: string, body: MessageBody): Promise<void>;
  /** Idempotent like deleteChannel (10008 Unknown Message is fine). @see https://discord.com/developers/docs/resources/message#delete-message */
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /**
   * One page of a channel's history, at most 100 messages, newest first as Discord returns them.
   * @see https://discord.com/developers/docs/resources/message#get-channel-messages
   */
  listMessages(channelId: string, page: { after?: string; before?: string; limit?: number }): Promise<APIMessage[]>;
  /**
   * Fresh signed links for expired attachment URLs (unknown ones come back unchanged).
   * @see https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
   */
  refreshAttachmentUrls(urls: string[]): Promise<Record<string, string>>;
  /** Opens (or reuses) the DM channel and posts; false when the user does not accept DMs (50007). @see https://discord.com/developers/docs/resources/user#create-dm */
  sendDirectMessage(userId: string, body: MessageBody): Promise<boolean>;

  /**
   * A single-use invite that lives `maxAgeSeconds` (≤ 3600 for callouts), never a reused one.
   * @see https://discord.com/developers/docs/resources/channel#create-channel-invite
   */
  createInvite(channelId: string, body: { maxAgeSeconds: number; maxUses: number; reason?: string }): Promise<{ code: string; expiresAt: number | null }>;
  /** Idempotent: an already expired or deleted invite (10006) is not an error. @see https://discord.com/developers/docs/resources/invite#delete-invite */
  deleteInvite(code: string, reason?: string): Promise<void>;
  /** The bot leaves the guild; idempotent (10004 Unknown Guild is fine). @see https://discord.com/developers/docs/resources/user#leave-guild */
  leaveGuild(guildId: string): Promise<void>;
}
