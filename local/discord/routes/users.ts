import { ChannelType, type APIUser, type RESTAPIPartialCurrentUserGuild } from 'discord-api-types/v10';
import { DiscordApiError, Errors, invalidFormBody } from '../errors';
import { json, noContent } from '../http';
import type { DiscordModel } from '../model';
import { compareSnowflakes } from '../snowflake';
import type { RouteContext, RouteDefinition } from '../router';
import type { ChannelRecord } from '../state';

/** A bearer token without `scope` gets 403 Missing Access on routes that need that scope. */
function requireScope(ctx: RouteContext, scope: string): void {
  if (ctx.auth.kind === 'bearer' && !ctx.auth.scopes?.includes(scope)) throw Errors.missingAccess();
}

/** `GET /users/@me`: the bot for a bot token; the OAuth2 user (email only with the `email` scope) for a bearer token. */
function currentUser(ctx: RouteContext) {
  const user = ctx.model.requireUser(ctx.auth.userId!);
  if (ctx.auth.kind !== 'bearer') return json(user);
  const view: APIUser = { ...user, locale: 'en-US', mfa_enabled: false, premium_type: 0 };
  if (ctx.auth.scopes?.includes('email')) {
    view.email = user.email ?? `${user.username}@example.test`;
    view.verified = true;
  } else {
    delete view.email;
  }
  return json(view);
}

/**
 * `GET /users/@me/guilds`: the caller's guilds with `owner` and guild-level `permissions`, sorted
 * by id, `limit` 1–200 (default 200) with `before`/`after`.
 *
 * @see https://discord.com/developers/docs/resources/user#get-current-user-guilds
 */
function currentUserGuilds(ctx: RouteContext) {
  requireScope(ctx, 'guilds');
  const { model, query } = ctx;
  const userId = ctx.auth.userId!;
  const limit = Number(query.get('limit') ?? 200);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw invalidFormBody({ limit: { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 200.' } });
  }
  const before = query.get('before');
  const after = query.get('after');
  const withCounts = query.get('with_counts') === 'true';
  let guilds = [...model.state.guilds.values()]
    .filter((g) => model.state.members.get(g.id)?.has(userId))
    .sort((a, b) => compareSnowflakes(a.id, b.id));
  if (after) guilds = guilds.filter((g) => compareSnowflakes(g.id, after) > 0);
  if (before) guilds = guilds.filter((g) => compareSnowflakes(g.id, before) < 0);
  guilds = before && !after ? guilds.slice(-limit) : guilds.slice(0, limit);
  return json(
    guilds.map((g): RESTAPIPartialCurrentUserGuild => ({
      id: g.id,
      name: g.name,
      icon: g.icon,
      banner: g.banner,
      owner: g.owner_id === userId,
      permissions: model.basePermissions(g.id, userId).toString(),
      features: g.features,
      ...(withCounts ? { approximate_member_count: model.state.members.get(g.id)!.size, approximate_presence_count: 0 } : {}),
    })),
  );
}

/**
 * `POST /users/@me/channels`: opens (or returns the existing) DM channel with a user. Whether the
 * user accepts DMs only shows when sending (50007), as on Discord.
 *
 * @see https://discord.com/developers/docs/resources/user#create-dm
 */
function createDm(ctx: RouteContext) {
  const { model } = ctx;
  const recipientId = ctx.body?.recipient_id ? String(ctx.body.recipient_id) : '';
  const recipient = model.state.users.get(recipientId)?.user;
  if (!recipient) throw new DiscordApiError(400, 50033, 'Invalid Recipient(s)');
  const existing = model.state.dmChannels.get(recipientId);
  if (existing && model.state.channels.has(existing)) return json(model.state.channels.get(existing));
  const channel: ChannelRecord = { id: model.ids.next(), type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [recipient] };
  model.state.channels.set(channel.id, channel);
  model.state.dmChannels.set(recipientId, channel.id);
  model.changed();
  return json(channel);
}

/**
 * `DELETE /users/@me/guilds/{guild}`: the bot leaves the guild (204); 10004 when it is not in it.
 *
 * @see https://discord.com/developers/docs/resources/user#leave-guild
 */
function leaveGuild(ctx: RouteContext) {
  const { model } = ctx;
  const members = model.state.members.get(ctx.params.guild);
  if (!members?.delete(ctx.auth.userId!)) throw Errors.unknownGuild();
  model.changed();
  return noContent();
}

export function userGuildMember(model: DiscordModel, guildId: string, userId: string) {
  const member = model.getMember(guildId, userId);
  if (!member) throw Errors.unknownGuild();
  return member;
}

/**
 * User routes (bot and OAuth2 bearer).
 *
 * @see https://discord.com/developers/docs/resources/user
 */
export function userRoutes(): RouteDefinition[] {
  return [
    { method: 'GET', path: '/users/@me', auth: 'bot-or-bearer', handler: currentUser },
    { method: 'GET', path: '/users/@me/guilds', auth: 'bot-or-bearer', handler: currentUserGuilds },
    {
      method: 'GET',
      path: '/users/@me/guilds/{guild}/member',
      auth: 'bearer',
      handler: (ctx) => {
        requireScope(ctx, 'guilds.members.read');
        return json(userGuildMember(ctx.model, ctx.params.guild, ctx.auth.userId!));
      },
    },
    { method: 'POST', path: '/users/@me/channels', auth: 'bot', handler: createDm },
    { method: 'DELETE', path: '/users/@me/guilds/{guild}', auth: 'bot', handler: leaveGuild },
    { method: 'GET', path: '/users/{user}', auth: 'bot', handler: (ctx) => json(ctx.model.requireUser(ctx.params.user)) },
  ];
}
