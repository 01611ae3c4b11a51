import {
  ChannelType,
  MessageFlags,
  OverwriteType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type APIOverwrite,
} from 'discord-api-types/v10';
import { DiscordApiError, Errors, invalidFormBody, type FieldError } from '../errors';
import { json, noContent } from '../http';
import { MAX_CATEGORY_CHANNELS } from '../limits';
import { findMessage } from '../messages';
import { isThread, normalizeOverwrite, type DiscordModel } from '../model';
import { hasPermissions } from '../permissions';
import { compareSnowflakes } from '../snowflake';
import type { RouteContext, RouteDefinition } from '../router';
import type { ChannelRecord } from '../state';

/** Text-like guild channels get Discord's slug names: lowercase, whitespace runs become `-`. */
export function channelName(type: ChannelType, name: string): string {
  if (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement || type === ChannelType.GuildForum || type === ChannelType.GuildMedia) {
    return name.trim().toLowerCase().replace(/\s+/g, '-');
  }
  return name;
}

/**
 * Discord's rule for writing overwrites: MANAGE_ROLES, and only bits the bot itself holds where
 * the overwrite applies — unless the bot has a MANAGE_ROLES overwrite in that channel.
 *
 * @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions
 */
export function assertCanWriteOverwrites(contextPermissions: bigint, overwrites: APIOverwrite[], manageRolesOverwrite: boolean): void {
  if (hasPermissions(contextPermissions, PermissionFlagsBits.Administrator)) return;
  if (!hasPermissions(contextPermissions, PermissionFlagsBits.ManageRoles)) throw Errors.missingPermissions();
  if (manageRolesOverwrite) return;
  for (const overwrite of overwrites) {
    const bits = BigInt(overwrite.allow) | BigInt(overwrite.deny);
    if ((bits & ~contextPermissions) !== 0n) throw Errors.missingPermissions();
  }
}

/** Whether one of the channel's overwrites grants the bot (or one of its roles) MANAGE_ROLES. */
function hasManageRolesOverwrite(model: DiscordModel, channel: ChannelRecord, userId: string): boolean {
  const member = model.getMember(channel.guild_id!, userId);
  if (!member) return false;
  return (channel.permission_overwrites ?? []).some(
    (o) =>
      ((o.type === OverwriteType.Member && o.id === userId) || (o.type === OverwriteType.Role && member.roles.includes(o.id))) &&
      (BigInt(o.allow) & PermissionFlagsBits.ManageRoles) !== 0n,
  );
}

function requireGuildChannel(model: DiscordModel, id: string, userId: string): ChannelRecord {
  const channel = model.requireVisibleChannel(id, userId);
  if (!channel.guild_id) throw Errors.wrongChannelType();
  return channel;
}

function requireThread(model: DiscordModel, id: string, userId: string): ChannelRecord {
  const channel = model.requireVisibleChannel(id, userId);
  if (!isThread(channel.type)) throw Errors.wrongChannelType();
  return channel;
}

/**
 * `PATCH /channels/{id}` for threads: MANAGE_THREADS, except that the thread's owner may rename or
 * (un)archive it, and unarchiving an unlocked thread only needs to be able to send in it.
 *
 * @see https://discord.com/developers/docs/resources/channel#modify-channel-json-params-thread
 */
function patchThread(ctx: RouteContext, thread: ChannelRecord) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const body = (ctx.body ?? {}) as Record<string, any>;
  const permissions = model.channelPermissions(thread, botId);
  const moderator = hasPermissions(permissions, PermissionFlagsBits.ManageThreads);
  const metadata = thread.thread_metadata!;
  const onlyUnarchive = Object.keys(body).every((k) => k === 'archived') && body.archived === false && !metadata.locked;
  const ownerFields = Object.keys(body).every((k) => ['name', 'archived', 'auto_archive_duration'].includes(k));
  if (!moderator) {
    if (onlyUnarchive) {
      if (!hasPermissions(permissions, PermissionFlagsBits.SendMessagesInThreads)) throw Errors.missingPermissions();
    } else if (!(ownerFields && thread.owner_id === botId && !metadata.locked)) {
      throw Errors.missingPermissions();
    }
  }
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
      throw invalidFormBody({ name: { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' } });
    }
    thread.name = body.name;
  }
  if (body.archived !== undefined) {
    if (Boolean(body.archived) !== metadata.archived) metadata.archive_timestamp = model.iso();
    metadata.archived = Boolean(body.archived);
  }
  if (body.locked !== undefined) metadata.locked = Boolean(body.locked);
  if (body.auto_archive_duration !== undefined) metadata.auto_archive_duration = Number(body.auto_archive_duration);
  if (body.invitable !== undefined && thread.type === ChannelType.PrivateThread) metadata.invitable = Boolean(body.invitable);
  if (body.rate_limit_per_user !== undefined) thread.rate_limit_per_user = Number(body.rate_limit_per_user);
  model.changed();
  return json(thread);
}

/**
 * `PATCH /channels/{id}` for guild channels: MANAGE_CHANNELS in the channel; overwrites follow
 * {@link assertCanWriteOverwrites}; moving into a full category fails like creating in one.
 *
 * @see https://discord.com/developers/docs/resources/channel#modify-channel
 */
function patchGuildChannel(ctx: RouteContext, channel: ChannelRecord) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const body = (ctx.body ?? {}) as Record<string, any>;
  const permissions = model.channelPermissions(channel, botId);
  if (!hasPermissions(permissions, PermissionFlagsBits.ManageChannels)) throw Errors.missingPermissions();

  const errors: Record<string, FieldError> = {};
  if (body.name !== undefined && (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)) {
    errors.name = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' };
  }
  let parentId: string | null | undefined;
  if (body.parent_id !== undefined) {
    parentId = body.parent_id === null ? null : String(body.parent_id);
    if (parentId !== null) {
      const parent = model.state.channels.get(parentId);
      if (channel.type === ChannelType.GuildCategory) {
        errors.parent_id = { code: 'CHANNEL_PARENT_INVALID_TYPE', message: 'Categories cannot have subcategories' };
      } else if (!parent || parent.guild_id !== channel.guild_id || parent.type !== ChannelType.GuildCategory) {
        errors.parent_id = { code: 'CHANNEL_PARENT_INVALID', message: 'Unknown category' };
      } else if (
        parentId !== channel.parent_id &&
        model.guildChannels(channel.guild_id!).filter((c) => c.parent_id === parentId).length >= MAX_CATEGORY_CHANNELS
      ) {
        errors.parent_id = { code: 'CHANNEL_PARENT_MAX_CHANNELS', message: `Maximum number of channels in category reached (${MAX_CATEGORY_CHANNELS})` };
      }
    }
  }
  if (Object.keys(errors).length) throw invalidFormBody(errors);

  let overwrites: APIOverwrite[] | undefined;
  if (Array.isArray(body.permission_overwrites)) {
    overwrites = body.permission_overwrites.map(normalizeOverwrite);
    assertCanWriteOverwrites(permissions, overwrites!, hasManageRolesOverwrite(model, channel, botId));
  }
  if (body.name !== undefined) channel.name = channelName(channel.type, body.name);
  if (body.topic !== undefined) channel.topic = body.topic;
  if (body.nsfw !== undefined) channel.nsfw = Boolean(body.nsfw);
  if (body.position !== undefined && body.position !== null) channel.position = Number(body.position);
  if (body.rate_limit_per_user !== undefined) channel.rate_limit_per_user = Number(body.rate_limit_per_user ?? 0);
  if (parentId !== undefined) channel.parent_id = parentId;
  if (overwrites) channel.permission_overwrites = overwrites;
  if (body.lock_permissions === true && channel.parent_id) {
    // Syncing with the category copies its overwrites, as the client's "Sync Now" does.
    channel.permission_overwrites = structuredClone(model.state.channels.get(channel.parent_id)?.permission_overwrites ?? []);
  }
  model.changed();
  return json(channel);
}

/**
 * Deletes a channel (MANAGE_CHANNELS; threads: MANAGE_THREADS). Its threads go with it and the
 * children of a deleted category move to the top level, as on Discord.
 *
 * @see https://discord.com/developers/docs/resources/channel#deleteclose-channel
 */
function deleteChannel(ctx: RouteContext) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const channel = model.requireVisibleChannel(ctx.params.channel, botId);
  if (channel.guild_id) {
    const required = isThread(channel.type) ? PermissionFlagsBits.ManageThreads : PermissionFlagsBits.ManageChannels;
    model.assertChannelPermissions(channel, botId, required);
  }
  model.state.channels.delete(channel.id);
  model.state.messages.delete(channel.id);
  model.state.threadMembers.delete(channel.id);
  for (const other of [...model.state.channels.values()]) {
    if (other.parent_id !== channel.id) continue;
    if (isThread(other.type)) {
      model.state.channels.delete(other.id);
      model.state.threadMembers.delete(other.id);
    } else {
      other.parent_id = null;
    }
  }
  if (channel.type === ChannelType.DM) {
    for (const [userId, dmId] of model.state.dmChannels) if (dmId === channel.id) model.state.dmChannels.delete(userId);
  }
  model.changed();
  return json(channel);
}

/**
 * Creates a thread without a starter message (default type: private, as Discord's API defaults)
 * or from a message (public; the thread takes the message's id).
 *
 * @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
 * @see https://discord.com/developers/docs/resources/channel#start-thread-from-message
 */
function startThread(fromMessage: boolean) {
  return (ctx: RouteContext) => {
    const { model } = ctx;
    const botId = ctx.auth.userId!;
    const parent = requireGuildChannel(model, ctx.params.channel, botId);
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) throw Errors.wrongChannelType();
    const body = (ctx.body ?? {}) as Record<string, any>;
    let type: ChannelType;
    if (fromMessage) type = parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    else type = body.type === undefined || body.type === null ? ChannelType.PrivateThread : Number(body.type);
    if (!fromMessage && type !== ChannelType.PrivateThread && type !== ChannelType.PublicThread && type !== ChannelType.AnnouncementThread) {
      throw invalidFormBody({ type: { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {10, 11, 12}.' } });
    }
    const required = type === ChannelType.PrivateThread ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads;
    model.assertChannelPermissions(parent, botId, required);
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
      throw invalidFormBody({ name: { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' } });
    }

    let id = model.ids.next();
    const message = fromMessage ? findMessage(model, parent.id, ctx.params.message) : undefined;
    if (fromMessage) {
      if (!message) throw Errors.unknownMessage();
      if (message.thread) throw new DiscordApiError(400, 160004, 'A thread has already been created for this message');
      id = message.id;
    }
    const now = model.iso();
    const thread: ChannelRecord = {
      id,
      type,
      guild_id: parent.guild_id,
      parent_id: parent.id,
      owner_id: botId,
      name: body.name,
      last_message_id: null,
      rate_limit_per_user: Number(body.rate_limit_per_user ?? 0),
      flags: 0,
      message_count: 0,
      member_count: 0,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: Number(body.auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay),
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === ChannelType.PrivateThread ? { invitable: body.invitable ?? true } : {}),
      },
    };
    model.state.channels.set(id, thread);
    model.addThreadMember(id, botId);
    if (message) {
      message.thread = structuredClone(thread) as never;
      message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
    }
    model.changed();
    return json(thread, 201);
  };
}

function threadMemberView(model: DiscordModel, thread: ChannelRecord, userId: string, withMember: boolean) {
  const member = model.state.threadMembers.get(thread.id)?.get(userId);
  if (!member) return undefined;
  if (!withMember) return member;
  const guildMember = model.getMember(thread.guild_id!, userId);
  return guildMember ? { ...member, member: guildMember } : member;
}

/**
 * Adds a member to a thread: the bot must see the thread and be able to send in it; archived
 * threads refuse (50083); the user must be in the guild (10007).
 *
 * @see https://discord.com/developers/docs/resources/channel#add-thread-member
 */
function addThreadMember(ctx: RouteContext) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const thread = requireThread(model, ctx.params.channel, botId);
  const userId = ctx.params.user === '@me' ? botId : ctx.params.user;
  if (thread.thread_metadata?.archived) throw Errors.threadArchived();
  if (userId !== botId) model.assertChannelPermissions(thread, botId, PermissionFlagsBits.SendMessagesInThreads);
  model.requireMember(thread.guild_id!, userId);
  model.addThreadMember(thread.id, userId);
  return noContent();
}

/**
 * Removes a member from a thread: MANAGE_THREADS, or the owner of a private thread; anyone may
 * leave (`@me`). Archived threads refuse (50083).
 *
 * @see https://discord.com/developers/docs/resources/channel#remove-thread-member
 */
function removeThreadMember(ctx: RouteContext) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const thread = requireThread(model, ctx.params.channel, botId);
  const userId = ctx.params.user === '@me' ? botId : ctx.params.user;
  if (thread.thread_metadata?.archived) throw Errors.threadArchived();
  if (userId !== botId) {
    const permissions = model.channelPermissions(thread, botId);
    const owner = thread.type === ChannelType.PrivateThread && thread.owner_id === botId;
    if (!hasPermissions(permissions, PermissionFlagsBits.ManageThreads) && !owner) throw Errors.missingPermissions();
  }
  const members = model.state.threadMembers.get(thread.id);
  if (!members?.delete(userId)) throw Errors.unknownMember();
  thread.member_count = Math.min(50, members.size);
  model.changed();
  return noContent();
}

/**
 * Channel, permission-overwrite and thread routes.
 *
 * @see https://discord.com/developers/docs/resources/channel
 */
export function channelRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/channels/{channel}',
      auth: 'bot',
      handler: (ctx) => json(ctx.model.requireVisibleChannel(ctx.params.channel, ctx.auth.userId!)),
    },
    {
      method: 'PATCH',
      path: '/channels/{channel}',
      auth: 'bot',
      handler: (ctx) => {
        const channel = requireGuildChannel(ctx.model, ctx.params.channel, ctx.auth.userId!);
        return isThread(channel.type) ? patchThread(ctx, channel) : patchGuildChannel(ctx, channel);
      },
    },
    { method: 'DELETE', path: '/channels/{channel}', auth: 'bot', handler: deleteChannel },
    {
      method: 'PUT',
      path: '/channels/{channel}/permissions/{overwrite}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const botId = ctx.auth.userId!;
        const channel = requireGuildChannel(model, ctx.params.channel, botId);
        if (isThread(channel.type)) throw Errors.wrongChannelType();
        const body = (ctx.body ?? {}) as Record<string, any>;
        if (body.type === undefined || (Number(body.type) !== 0 && Number(body.type) !== 1)) {
          throw invalidFormBody({ type: { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {0, 1}.' } });
        }
        const overwrite = normalizeOverwrite({ id: ctx.params.overwrite, type: body.type, allow: body.allow, deny: body.deny });
        assertCanWriteOverwrites(model.channelPermissions(channel, botId), [overwrite], hasManageRolesOverwrite(model, channel, botId));
        const overwrites = (channel.permission_overwrites ??= []);
        const index = overwrites.findIndex((o) => o.id === overwrite.id);
        if (index >= 0) overwrites[index] = overwrite;
        else overwrites.push(overwrite);
        model.changed();
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/channels/{channel}/permissions/{overwrite}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const botId = ctx.auth.userId!;
        const channel = requireGuildChannel(model, ctx.params.channel, botId);
        assertCanWriteOverwrites(model.channelPermissions(channel, botId), [], true);
        channel.permission_overwrites = (channel.permission_overwrites ?? []).filter((o) => o.id !== ctx.params.overwrite);
        model.changed();
        return noContent();
      },
    },
    { method: 'POST', path: '/channels/{channel}/threads', auth: 'bot', handler: startThread(false) },
    { method: 'POST', path: '/channels/{channel}/messages/{message}/threads', auth: 'bot', handler: startThread(true) },
    {
      method: 'GET',
      path: '/channels/{channel}/thread-members',
      auth: 'bot',
      handler: (ctx) => {
        const { model, query } = ctx;
        const thread = requireThread(model, ctx.params.channel, ctx.auth.userId!);
        const limit = Number(query.get('limit') ?? 100);
        const after = query.get('after') ?? '0';
        const withMember = query.get('with_member') === 'true';
        const ids = [...(model.state.threadMembers.get(thread.id)?.keys() ?? [])]
          .filter((id) => compareSnowflakes(id, after) > 0)
          .sort(compareSnowflakes)
          .slice(0, limit);
        return json(ids.map((id) => threadMemberView(model, thread, id, withMember)));
      },
    },
    {
      method: 'GET',
      path: '/channels/{channel}/thread-members/{user}',
      auth: 'bot',
      handler: (ctx) => {
        const thread = requireThread(ctx.model, ctx.params.channel, ctx.auth.userId!);
        const userId = ctx.params.user === '@me' ? ctx.auth.userId! : ctx.params.user;
        const member = threadMemberView(ctx.model, thread, userId, ctx.query.get('with_member') === 'true');
        if (!member) throw Errors.unknownMember();
        return json(member);
      },
    },
    { method: 'PUT', path: '/channels/{channel}/thread-members/{user}', auth: 'bot', handler: addThreadMember },
    { method: 'DELETE', path: '/channels/{channel}/thread-members/{user}', auth: 'bot', handler: removeThreadMember },
  ];
}
