import { randomBytes } from 'node:crypto';
import { InviteType, PermissionFlagsBits, type APIExtendedInvite, type InviteFlags, type APIInvite } from 'discord-api-types/v10';
import { Errors, invalidFormBody, type FieldError } from '../errors';
import { json } from '../http';
import type { DiscordModel } from '../model';
import { hasPermissions } from '../permissions';
import type { RouteContext, RouteDefinition } from '../router';
import type { InviteRecord } from '../state';

const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function inviteCode(): string {
  return [...randomBytes(10)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** An invite is usable until it expires, runs out of uses or is deleted; after that Discord says 10006. */
export function isInviteUsable(model: DiscordModel, record: InviteRecord): boolean {
  if (record.deleted) return false;
  if (record.expiresAtMs !== null && model.now() >= record.expiresAtMs) return false;
  const { max_uses, uses } = record.invite;
  return max_uses === 0 || uses < max_uses;
}

export function requireUsableInvite(model: DiscordModel, code: string): InviteRecord {
  const record = model.state.invites.get(code);
  if (!record || !isInviteUsable(model, record)) throw Errors.unknownInvite();
  return record;
}

/** The public view of an invite (`GET /invites/{code}`), without the creator-only metadata. */
function publicInvite(model: DiscordModel, record: InviteRecord, withCounts: boolean): APIInvite {
  const { uses, max_uses, max_age, temporary, created_at, ...rest } = record.invite;
  void uses, max_uses, max_age, temporary, created_at;
  if (!withCounts) return rest;
  return { ...rest, approximate_member_count: model.state.members.get(record.guildId)?.size ?? 0, approximate_presence_count: 0 };
}

/**
 * `POST /channels/{id}/invites`: CREATE_INSTANT_INVITE; `max_age` 0–604800 s (default 86400, 0 =
 * never), `max_uses` 0–100 (0 = unlimited); without `unique` an identical live invite is reused.
 *
 * @see https://discord.com/developers/docs/resources/channel#create-channel-invite
 */
function createInvite(ctx: RouteContext) {
  const { model } = ctx;
  const botId = ctx.auth.userId!;
  const channel = model.requireVisibleChannel(ctx.params.channel, botId);
  if (!channel.guild_id) throw Errors.wrongChannelType();
  model.assertChannelPermissions(channel, botId, PermissionFlagsBits.CreateInstantInvite);
  const body = (ctx.body ?? {}) as Record<string, any>;
  const maxAge = body.max_age === undefined ? 86400 : Number(body.max_age);
  const maxUses = body.max_uses === undefined ? 0 : Number(body.max_uses);
  const temporary = Boolean(body.temporary);
  const errors: Record<string, FieldError> = {};
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 604800) errors.max_age = { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 604800.' };
  if (!Number.isInteger(maxUses) || maxUses < 0 || maxUses > 100) errors.max_uses = { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' };
  if (Object.keys(errors).length) throw invalidFormBody(errors);

  if (!body.unique) {
    const reusable = [...model.state.invites.values()].find(
      (r) =>
        r.channelId === channel.id &&
        r.invite.inviter?.id === botId &&
        r.invite.max_age === maxAge &&
        r.invite.max_uses === maxUses &&
        r.invite.temporary === temporary &&
        isInviteUsable(model, r),
    );
    if (reusable) return json(reusable.invite);
  }

  const guild = model.requireGuild(channel.guild_id);
  const createdAt = model.now();
  const expiresAtMs = maxAge === 0 ? null : createdAt + maxAge * 1000;
  const invite: APIExtendedInvite = {
    type: InviteType.Guild,
    code: inviteCode(),
    inviter: model.requireUser(botId),
    max_age: maxAge,
    created_at: model.iso(createdAt),
    expires_at: expiresAtMs === null ? null : model.iso(expiresAtMs),
    guild: {
      id: guild.id,
      name: guild.name,
      splash: guild.splash,
      banner: guild.banner,
      description: guild.description,
      icon: guild.icon,
      features: guild.features,
      verification_level: guild.verification_level,
      vanity_url_code: guild.vanity_url_code,
      nsfw_level: guild.nsfw_level,
      premium_subscription_count: guild.premium_subscription_count ?? 0,
    },
    channel: { id: channel.id, type: channel.type, name: channel.name ?? null },
    uses: 0,
    max_uses: maxUses,
    temporary,
    flags: 0 as InviteFlags,
  };
  model.state.invites.set(invite.code, { invite, channelId: channel.id, guildId: guild.id, expiresAtMs, usedBy: [], deleted: false });
  model.changed();
  return json(invite);
}

/**
 * Invite routes.
 *
 * @see https://discord.com/developers/docs/resources/invite
 */
export function inviteRoutes(): RouteDefinition[] {
  return [
    { method: 'POST', path: '/channels/{channel}/invites', auth: 'bot', handler: createInvite },
    {
      method: 'GET',
      path: '/channels/{channel}/invites',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const channel = model.requireVisibleChannel(ctx.params.channel, ctx.auth.userId!);
        model.assertChannelPermissions(channel, ctx.auth.userId!, PermissionFlagsBits.ManageChannels);
        return json([...model.state.invites.values()].filter((r) => r.channelId === channel.id && isInviteUsable(model, r)).map((r) => r.invite));
      },
    },
    {
      method: 'GET',
      path: '/invites/{code}',
      auth: 'none',
      handler: (ctx) => json(publicInvite(ctx.model, requireUsableInvite(ctx.model, ctx.params.code), ctx.query.get('with_counts') === 'true')),
    },
    {
      method: 'DELETE',
      path: '/invites/{code}',
      auth: 'bot',
      handler: (ctx) => {
        const { model } = ctx;
        const botId = ctx.auth.userId!;
        const record = requireUsableInvite(model, ctx.params.code);
        const channel = model.state.channels.get(record.channelId);
        const canManageChannel = channel ? hasPermissions(model.channelPermissions(channel, botId), PermissionFlagsBits.ManageChannels) : false;
        if (!canManageChannel && !hasPermissions(model.basePermissions(record.guildId, botId), PermissionFlagsBits.ManageGuild)) {
          throw Errors.missingPermissions();
        }
        record.deleted = true;
        model.changed();
        return json(publicInvite(model, record, false));
      },
    },
  ];
}
