import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { Errors, invalidFormBody, type FieldError } from '../errors';
import { json, noContent } from '../http';
import { MAX_CATEGORY_CHANNELS, MAX_GUILD_CHANNELS } from '../limits';
import { normalizeOverwrite } from '../model';
import { hasPermissions } from '../permissions';
import { compareSnowflakes } from '../snowflake';
import type { RouteContext, RouteDefinition } from '../router';
import type { ChannelRecord } from '../state';
import { assertCanWriteOverwrites, channelName } from './channels';


/** Channel types a bot may create in a guild. */
const CREATABLE_TYPES = new Set([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildCategory,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
]);

/**
 * `POST /guilds/{guild}/channels`: MANAGE_CHANNELS (in the parent category when one is given),
 * MANAGE_ROLES and only held permissions for overwrites, a known category as parent, and the
 * 500-per-guild (30013) and 50-per-category (50035 CHANNEL_PARENT_MAX_CHANNELS) caps.
 *
 * @see https://discord.com/developers/docs/resources/guild#create-guild-channel
 */
function createGuildChannel(ctx: RouteContext) {
  const { model, params } = ctx;
  const botId = ctx.auth.userId!;
  const guild = model.requireGuildAccess(params.guild, botId);
  const body = (ctx.body ?? {}) as Record<string, any>;
  const type: ChannelType = body.type === undefined || body.type === null ? ChannelType.GuildText : Number(body.type);
  const parentId: string | null = body.parent_id ? String(body.parent_id) : null;
  const parent = parentId ? model.state.channels.get(parentId) : undefined;

  // Permissions are checked where the channel will live: the category (with its overwrites) or the guild.
  const contextPermissions =
    parent && parent.guild_id === guild.id ? model.channelPermissions(parent, botId) : model.basePermissions(guild.id, botId);
  if (!hasPermissions(contextPermissions, PermissionFlagsBits.ManageChannels)) throw Errors.missingPermissions();
  const overwrites = Array.isArray(body.permission_overwrites) ? body.permission_overwrites.map(normalizeOverwrite) : [];
  if (overwrites.length > 0) assertCanWriteOverwrites(contextPermissions, overwrites, false);

  const errors: Record<string, FieldError> = {};
  const name = typeof body.name === 'string' ? body.name : '';
  if (!name) errors.name = { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
  else if (name.length > 100) errors.name = { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' };
  if (!CREATABLE_TYPES.has(type)) errors.type = { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${[...CREATABLE_TYPES].join(', ')}}.` };
  if (parentId) {
    if (type === ChannelType.GuildCategory) {
      errors.parent_id = { code: 'CHANNEL_PARENT_INVALID_TYPE', message: 'Categories cannot have subcategories' };
    } else if (!parent || parent.guild_id !== guild.id || parent.type !== ChannelType.GuildCategory) {
      errors.parent_id = { code: 'CHANNEL_PARENT_INVALID', message: 'Unknown category' };
    }
  }
  if (Object.keys(errors).length) throw invalidFormBody(errors);

  const channels = model.guildChannels(guild.id);
  if (channels.length >= MAX_GUILD_CHANNELS) throw Errors.maxGuildChannels();
  if (parentId && channels.filter((c) => c.parent_id === parentId).length >= MAX_CATEGORY_CHANNELS) {
    throw invalidFormBody({
      parent_id: { code: 'CHANNEL_PARENT_MAX_CHANNELS', message: `Maximum number of channels in category reached (${MAX_CATEGORY_CHANNELS})` },
    });
  }

  const channel = model.createChannel(guild.id, {
    name: channelName(type, name),
    type,
    parentId,
    overwrites,
    topic: body.topic ?? null,
    position: typeof body.position === 'number' ? body.position : undefined,
  });
  if (body.nsfw !== undefined) channel.nsfw = Boolean(body.nsfw);
  if (body.rate_limit_per_user !== undefined && type !== ChannelType.GuildCategory) channel.rate_limit_per_user = Number(body.rate_limit_per_user);
  return json(channel, 201);
}

function listMembers(ctx: RouteContext) {
  const { model, params, query } = ctx;
  model.requireGuildAccess(params.guild, ctx.auth.userId!);
  const limit = Number(query.get('limit') ?? 1);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw invalidFormBody({ limit: { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 1000.' } });
  }
  const after = query.get('after') ?? '0';
  const members = [...model.state.members.get(params.guild)!.values()]
    .filter((m) => compareSnowflakes(m.user.id, after) > 0)
    .sort((a, b) => compareSnowflakes(a.user.id, b.user.id))
    .slice(0, limit);
  return json(members);
}

/**
 * `PUT`/`DELETE /guilds/{guild}/members/{user}/roles/{role}`: MANAGE_ROLES, and only roles below the
 * bot's highest role (role hierarchy); managed roles cannot be assigned.
 *
 * @see https://discord.com/developers/docs/resources/guild#add-guild-member-role
 * @see https://discord.com/developers/docs/topics/permissions#permission-hierarchy
 */
function changeMemberRole(add: boolean) {
  return (ctx: RouteContext) => {
    const { model, params } = ctx;
    const botId = ctx.auth.userId!;
    model.requireGuildAccess(params.guild, botId);
    const member = model.requireMember(params.guild, params.user);
    const role = model.requireRole(params.guild, params.role);
    const permissions = model.basePermissions(params.guild, botId);
    if (!hasPermissions(permissions, PermissionFlagsBits.ManageRoles)) throw Errors.missingPermissions();
    if (role.managed || role.id === params.guild || role.position >= model.highestRolePosition(params.guild, botId)) {
      throw Errors.missingPermissions();
    }
    if (add && !member.roles.includes(role.id)) member.roles.push(role.id);
    if (!add) member.roles = member.roles.filter((id) => id !== role.id);
    model.changed();
    return noContent();
  };
}

/** Active threads the bot can see, with the bot's own thread-member objects. */
function activeThreads(ctx: RouteContext) {
  const { model, params } = ctx;
  const botId = ctx.auth.userId!;
  model.requireGuildAccess(params.guild, botId);
  const threads: ChannelRecord[] = model
    .threadsOf(params.guild)
    .filter((t) => !t.thread_metadata?.archived)
    .filter((t) => hasPermissions(model.channelPermissions(t, botId), PermissionFlagsBits.ViewChannel));
  const members = threads.flatMap((t) => {
    const member = model.state.threadMembers.get(t.id)?.get(botId);
    return member ? [member] : [];
  });
  return json({ threads, members });
}

/**
 * Guild routes.
 *
 * @see https://discord.com/developers/docs/resources/guild
 */
export function guildRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/guilds/{guild}',
      auth: 'bot',
      handler: (ctx) => {
        const guild = ctx.model.requireGuildAccess(ctx.params.guild, ctx.auth.userId!);
        if (ctx.query.get('with_counts') !== 'true') return json(guild);
        return json({ ...guild, approximate_member_count: ctx.model.state.members.get(guild.id)!.size, approximate_presence_count: 0 });
      },
    },
    {
      method: 'GET',
      path: '/guilds/{guild}/channels',
      auth: 'bot',
      handler: (ctx) => {
        ctx.model.requireGuildAccess(ctx.params.guild, ctx.auth.userId!);
        return json(ctx.model.guildChannels(ctx.params.guild));
      },
    },
    { method: 'POST', path: '/guilds/{guild}/channels', auth: 'bot', handler: createGuildChannel },
    {
      method: 'GET',
      path: '/guilds/{guild}/roles',
      auth: 'bot',
      handler: (ctx) => json(ctx.model.requireGuildAccess(ctx.params.guild, ctx.auth.userId!).roles),
    },
    { method: 'GET', path: '/guilds/{guild}/members', auth: 'bot', handler: listMembers },
    {
      method: 'GET',
      path: '/guilds/{guild}/members/{user}',
      auth: 'bot',
      handler: (ctx) => {
        ctx.model.requireGuildAccess(ctx.params.guild, ctx.auth.userId!);
        return json(ctx.model.requireMember(ctx.params.guild, ctx.params.user));
      },
    },
    { method: 'PUT', path: '/guilds/{guild}/members/{user}/roles/{role}', auth: 'bot', handler: changeMemberRole(true) },
    { method: 'DELETE', path: '/guilds/{guild}/members/{user}/roles/{role}', auth: 'bot', handler: changeMemberRole(false) },
    { method: 'GET', path: '/guilds/{guild}/threads/active', auth: 'bot', handler: activeThreads },
  ];
}
