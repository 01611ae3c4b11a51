import { DiscordAPIError, RateLimitError, REST, type RateLimitData } from '@discordjs/rest';
import type {
  APIChannel,
  APIDMChannel,
  APIExtendedInvite,
  APIGuild,
  APIGuildChannel,
  APIGuildMember,
  APIMessage,
  APIRole,
  GuildChannelType,
  RESTPatchAPIChannelJSONBody,
  RESTPostAPIChannelInviteJSONBody,
  RESTPostAPIChannelThreadsJSONBody,
  RESTPostAPICurrentUserCreateDMChannelJSONBody,
  RESTPostAPIGuildChannelJSONBody,
  RESTPutAPIChannelPermissionJSONBody,
} from 'discord-api-types/v10';
import { Routes } from '../discord-constants';
import { DiscordActionError } from '../errors';
import { CategoryFullError, ChannelEditRateLimitedError, GuildChannelCapError, type ChannelSummary, type DiscordApi, type MessageBody, type Overwrite } from '../ports/discord';

/**
 * Messages for Discord's JSON error codes that an admin can act on.
 * 50035 (Invalid Form Body) is deliberately absent: it means we sent something wrong, which no user
 * can fix; only its "category full" form is recognised, by `createChannel`/`modifyChannel`.
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 */
const KNOWN_CODES: Record<number, string> = {
  10003: 'That channel no longer exists.',
  10004: 'Deskwire cannot see this server any more. Re-invite the bot.',
  10007: 'That member is no longer in this server.',
  10008: 'That message no longer exists.',
  10015: 'This interaction expired before Deskwire could answer. Please try again.',
  30013: 'This server has reached Discord’s limit of 500 channels. Delete unused channels, or switch tickets to thread mode.',
  30033: 'This thread has reached Discord’s limit of members.',
  50001: 'Deskwire cannot access that channel. Give the bot the View Channel permission there.',
  50007: 'Deskwire cannot send you direct messages. Enable DMs from server members and try again.',
  50013: 'Deskwire is missing a permission for this action. Run /status to see which.',
  50083: 'That thread is archived. Reopen it first.',
  160006: 'This server has reached Discord’s limit of active threads. Close or archive some threads, or switch tickets to channel mode.',
};

/** Maps a REST failure to a user-facing error where Discord told us why; rethrows anything else. */
export function mapDiscordError(err: unknown): never {
  if (err instanceof DiscordAPIError && typeof err.code === 'number' && KNOWN_CODES[err.code]) {
    throw new DiscordActionError(KNOWN_CODES[err.code], err.code);
  }
  throw err;
}

function hasCode(err: unknown, ...codes: number[]): err is DiscordAPIError {
  return err instanceof DiscordAPIError && typeof err.code === 'number' && codes.includes(err.code);
}

/**
 * A full category is not its own error code: Discord answers 50035 with the field error
 * `parent_id: CHANNEL_PARENT_MAX_CHANNELS` ("Maximum number of channels in category reached (50)").
 * @see https://discord.com/developers/docs/reference#error-messages
 */
function isCategoryFull(err: unknown): boolean {
  if (!hasCode(err, 50035) || !('errors' in err.rawError)) return false;
  const parent = (err.rawError.errors as { parent_id?: { _errors?: Array<{ code?: string }> } } | undefined)?.parent_id;
  return parent?._errors?.some((e) => e.code === 'CHANNEL_PARENT_MAX_CHANNELS') ?? false;
}

/** For moves and creates: a full category or a full guild become the port's typed errors. */
function mapChannelError(err: unknown): never {
  if (isCategoryFull(err)) throw new CategoryFullError('The category already holds Discord’s maximum of 50 channels.', { cause: err });
  if (hasCode(err, 30013)) throw new GuildChannelCapError('The server already holds Discord’s maximum of 500 channels.', { cause: err });
  return mapDiscordError(err);
}

/**
 * The longest rate-limit wait worth sleeping through inside a job. @discordjs/rest otherwise sleeps
 * the whole retry-after; a channel edit's (renames: 2 per 10 minutes per channel) outlasts the
 * worker's timeout, so the job would retry into the DLQ with nobody told.
 */
export const MAX_CHANNEL_EDIT_WAIT_MS = 5_000;

/** Rejects (instead of sleeping through) a long rate limit on `PATCH /channels/{id}`. */
export const rejectLongChannelEditLimit = (data: Pick<RateLimitData, 'method' | 'route' | 'retryAfter'>): boolean =>
  data.method.toUpperCase() === 'PATCH' && data.route === '/channels/:id' && data.retryAfter > MAX_CHANNEL_EDIT_WAIT_MS;

/** Treats the listed codes as success (the thing is already gone); maps everything else. */
const unlessGone =
  (...codes: number[]) =>
  (err: unknown): void => {
    if (!hasCode(err, ...codes)) mapDiscordError(err);
  };

/**
 * The Discord port over `@discordjs/rest` (handles rate-limit buckets, 429 retry-after and 5xx retries).
 * `apiBaseUrl` is Discord's by default and the emulator's locally.
 */
export class RestDiscordApi implements DiscordApi {
  readonly rest: REST;

  constructor(opts: { apiBaseUrl: string; botToken?: string; timeoutMs?: number }) {
    this.rest = new REST({ version: '10', api: opts.apiBaseUrl, timeout: opts.timeoutMs ?? 10_000, rejectOnRateLimit: rejectLongChannelEditLimit });
    if (opts.botToken) this.rest.setToken(opts.botToken);
  }

  async editOriginalResponse(applicationId: string, token: string, body: MessageBody): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false }).catch(mapDiscordError);
  }

  async createFollowup(applicationId: string, token: string, body: MessageBody): Promise<void> {
    await this.rest.post(Routes.webhook(applicationId, token), { body, auth: false }).catch(mapDiscordError);
  }

  async deleteOriginalResponse(applicationId: string, token: string): Promise<void> {
    await this.rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false }).catch(unlessGone(10008));
  }

  async getGuild(guildId: string): ReturnType<DiscordApi['getGuild']> {
    return (await this.rest.get(Routes.guild(guildId)).catch(mapDiscordError)) as APIGuild;
  }

  async listGuildChannels(guildId: string): Promise<ChannelSummary[]> {
    return (await this.rest.get(Routes.guildChannels(guildId)).catch(mapDiscordError)) as APIGuildChannel<GuildChannelType>[];
  }

  async listGuildRoles(guildId: string): Promise<Array<Pick<APIRole, 'id' | 'name' | 'permissions' | 'position' | 'managed'>>> {
    return (await this.rest.get(Routes.guildRoles(guildId)).catch(mapDiscordError)) as APIRole[];
  }

  async getMember(guildId: string, userId: string): ReturnType<DiscordApi['getMember']> {
    const member = (await this.rest.get(Routes.guildMember(guildId, userId)).catch((err: unknown) => {
      if (hasCode(err, 10007)) return null;
      return mapDiscordError(err);
    })) as APIGuildMember | null;
    if (!member) return null;
    const { id, username, global_name } = member.user;
    return { roles: member.roles, nick: member.nick, user: { id, username, global_name } };
  }

  async createChannel(
    guildId: string,
    body: { name: string; type: 0 | 4; parentId?: string | null; overwrites: Overwrite[]; topic?: string; reason?: string },
  ): Promise<ChannelSummary> {
    const json: RESTPostAPIGuildChannelJSONBody = {
      name: body.name,
      type: body.type,
      parent_id: body.parentId ?? null,
      permission_overwrites: body.overwrites,
      ...(body.topic !== undefined ? { topic: body.topic } : {}),
    };
    const channel = (await this.rest.post(Routes.guildChannels(guildId), { body: json, reason: body.reason }).catch(mapChannelError)) as APIGuildChannel<GuildChannelType>;
    return { id: channel.id, type: channel.type, parent_id: channel.parent_id ?? null, name: channel.name };
  }

  async modifyChannel(
    channelId: string,
    body: { name?: string; archived?: boolean; locked?: boolean; parentId?: string | null; overwrites?: Overwrite[]; reason?: string },
  ): Promise<void> {
    const json: RESTPatchAPIChannelJSONBody = {};
    if (body.name !== undefined) json.name = body.name;
    if (body.archived !== undefined) json.archived = body.archived;
    if (body.locked !== undefined) json.locked = body.locked;
    if (body.parentId !== undefined) json.parent_id = body.parentId;
    if (body.overwrites !== undefined) json.permission_overwrites = body.overwrites;
    // Moving into a full category fails like creating in one.
    await this.rest.patch(Routes.channel(channelId), { body: json, reason: body.reason }).catch((err: unknown) => {
      if (err instanceof RateLimitError) throw new ChannelEditRateLimitedError(err.retryAfter);
      return mapChannelError(err);
    });
  }

  async deleteChannel(channelId: string, reason?: string): Promise<void> {
    await this.rest.delete(Routes.channel(channelId), { reason }).catch(unlessGone(10003));
  }

  async setOverwrite(channelId: string, overwrite: Overwrite, reason?: string): Promise<void> {
    const json: RESTPutAPIChannelPermissionJSONBody = { type: overwrite.type, allow: overwrite.allow, deny: overwrite.deny };
    await this.rest.put(Routes.channelPermission(channelId, overwrite.id), { body: json, reason }).catch(mapDiscordError);
  }

  async deleteOverwrite(channelId: string, overwriteId: string, reason?: string): Promise<void> {
    await this.rest.delete(Routes.channelPermission(channelId, overwriteId), { reason }).catch(mapDiscordError);
  }

  async createPrivateThread(parentChannelId: string, name: string, reason?: string): Promise<{ id: string }> {
    // 12 = private thread; not invitable so members cannot pull others in; archives after 7 days idle.
    const json: RESTPostAPIChannelThreadsJSONBody = { name, type: 12, invitable: false, auto_archive_duration: 10080 };
    const thread = (await this.rest.post(Routes.threads(parentChannelId), { body: json, reason }).catch(mapDiscordError)) as APIChannel;
    return { id: thread.id };
  }

  async addThreadMember(threadId: string, userId: string): Promise<void> {
    await this.rest.put(Routes.threadMembers(threadId, userId)).catch(mapDiscordError);
  }

  async removeThreadMember(threadId: string, userId: string): Promise<void> {
    await this.rest.delete(Routes.threadMembers(threadId, userId)).catch(mapDiscordError);
  }

  async postMessage(channelId: string, body: MessageBody): Promise<{ id: string }> {
    const message = (await this.rest.post(Routes.channelMessages(channelId), { body }).catch(mapDiscordError)) as APIMessage;
    return { id: message.id };
  }

  async editMessage(channelId: string, messageId: string, body: MessageBody): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channelId, messageId), { body }).catch(mapDiscordError);
  }

  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    // A message in a deleted channel (10003) is as gone as a deleted message (10008).
    await this.rest.delete(Routes.channelMessage(channelId, messageId)).catch(unlessGone(10008, 10003));
  }

  async listMessages(channelId: string, page: { after?: string; before?: string; limit?: number }): Promise<APIMessage[]> {
    const query = new URLSearchParams({ limit: String(Math.min(100, Math.max(1, page.limit ?? 100))) });
    if (page.after) query.set('after', page.after);
    if (page.before) query.set('before', page.before);
    return (await this.rest.get(Routes.channelMessages(channelId), { query }).catch(mapDiscordError)) as APIMessage[];
  }

  async refreshAttachmentUrls(urls: string[]): Promise<Record<string, string>> {
    if (urls.length === 0) return {};
    const res = (await this.rest.post('/attachments/refresh-urls', { body: { attachment_urls: urls } }).catch(mapDiscordError)) as { refreshed_urls?: Array<{ original: string; refreshed: string }> };
    return Object.fromEntries((res.refreshed_urls ?? []).map((r) => [r.original, r.refreshed]));
  }

  async sendDirectMessage(userId: string, body: MessageBody): Promise<boolean> {
    const json: RESTPostAPICurrentUserCreateDMChannelJSONBody = { recipient_id: userId };
    try {
      const dm = (await this.rest.post(Routes.userChannels(), { body: json })) as APIDMChannel;
      await this.rest.post(Routes.channelMessages(dm.id), { body });
      return true;
    } catch (err) {
      // The user closed DMs from server members (or shares no server with the bot any more).
      if (hasCode(err, 50007)) return false;
      return mapDiscordError(err);
    }
  }

  async createInvite(channelId: string, body: { maxAgeSeconds: number; maxUses: number; reason?: string }): Promise<{ code: string; expiresAt: number | null }> {
    // `unique`: never hand out an existing invite another flow (or an earlier callout) created.
    const json: RESTPostAPIChannelInviteJSONBody = { max_age: body.maxAgeSeconds, max_uses: body.maxUses, unique: true, temporary: false };
    const invite = (await this.rest.post(Routes.channelInvites(channelId), { body: json, reason: body.reason }).catch(mapDiscordError)) as APIExtendedInvite;
    return { code: invite.code, expiresAt: invite.expires_at ? Date.parse(invite.expires_at) : null };
  }

  async deleteInvite(code: string, reason?: string): Promise<void> {
    await this.rest.delete(Routes.invite(code), { reason }).catch(unlessGone(10006));
  }

  async leaveGuild(guildId: string): Promise<void> {
    await this.rest.delete(Routes.userGuild(guildId)).catch(unlessGone(10004));
  }
}

