import {
  GatewayDispatchEvents,
  MessageType,
  type APIAttachment,
  type APIMessage,
  type APIUser,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildDeleteDispatchData,
} from 'discord-api-types/v10';
import { attachmentFromApi, type GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';

/** Which channels are open tickets and who opened them (answered from memory; see `ticket-channels.ts`). */
export interface TicketView {
  has(channelId: string | undefined): boolean;
  hasOpener(guildId: string, userId: string): boolean;
}

/** What a mapper knows besides the payload. */
export interface MapContext {
  /** Epoch ms the task received the dispatch. */
  at: number;
  shardId: number;
  /** Absent: no channel is a ticket (only guild events are forwarded). */
  tickets?: TicketView;
}

/** The `d` of the dispatch named `T`, as Discord documents it. */
export type DispatchData<T extends GatewayDispatchEvents> = Extract<GatewayDispatchPayload, { t: T }>['d'];

/**
 * Turns one gateway dispatch into a contract event, or `null` when this occurrence is not one the
 * backend needs. Pure: no I/O, no cache, no business rules.
 */
export type DispatchMapper<T extends GatewayDispatchEvents> = (data: DispatchData<T>, ctx: MapContext) => GatewayEvent | null;

/**
 * GUILD_CREATE → `guild.create`. Discord sends it on join, for every guild after each IDENTIFY,
 * and when an outage ends, so the consumer treats it as "ensure installed". A payload still
 * marked `unavailable` carries no owner or join time and is skipped.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-create
 */
export const mapGuildCreate: DispatchMapper<GatewayDispatchEvents.GuildCreate> = (d: GatewayGuildCreateDispatchData, ctx) => {
  if (d.unavailable === true || !d.owner_id || !d.joined_at) return null;
  return { type: 'guild.create', guildId: d.id, ownerId: d.owner_id, joinedAt: d.joined_at, at: ctx.at };
};

/**
 * GUILD_DELETE → `guild.delete`. `unavailable: true` is an outage; an absent `unavailable` means
 * the bot was removed.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-delete
 */
export const mapGuildDelete: DispatchMapper<GatewayDispatchEvents.GuildDelete> = (d: GatewayGuildDeleteDispatchData, ctx) => ({
  type: 'guild.delete',
  guildId: d.id,
  unavailable: d.unavailable === true,
  at: ctx.at,
});

const isTicket = (ctx: MapContext, channelId: string | undefined) => ctx.tickets?.has(channelId) ?? false;

/** Embeds kept per message, in serialized bytes: a transcript shows them, a pathological one must not fill the SQS message. */
const MAX_EMBED_BYTES = 64 * 1024;

function embedsOf(embeds: APIMessage['embeds'] | undefined): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for (const e of embeds ?? []) {
    bytes += JSON.stringify(e).length;
    if (bytes > MAX_EMBED_BYTES) break;
    out.push(e as unknown as Record<string, unknown>);
  }
  return out;
}

function attachmentsOf(attachments: APIAttachment[] | undefined) {
  return (attachments ?? []).map(attachmentFromApi);
}

/** A mentioned user's name as the channel showed it: server nickname, else display name, else username. */
const mentionName = (u: APIUser & { member?: { nick?: string | null } }) => u.member?.nick ?? u.global_name ?? u.username;

/**
 * MESSAGE_CREATE in an open ticket → `message.create`: what the transcript shows (author's public
 * profile, content, attachments metadata, embeds, stickers, the replied-to id, mentions resolved to
 * names) and nothing else of the member. Messages anywhere else are dropped here.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-create
 */
export const mapMessageCreate: DispatchMapper<GatewayDispatchEvents.MessageCreate> = (d, ctx) => {
  if (!d.guild_id || !isTicket(ctx, d.channel_id)) return null;
  const content = d.content ?? '';
  return {
    type: 'message.create',
    guildId: d.guild_id,
    channelId: d.channel_id,
    messageId: d.id,
    author: { id: d.author.id, username: d.author.username, globalName: d.author.global_name ?? null, avatar: d.author.avatar ?? null, bot: d.author.bot === true },
    content,
    createdAt: Date.parse(d.timestamp),
    attachments: attachmentsOf(d.attachments),
    embeds: embedsOf(d.embeds),
    stickers: (d.sticker_items ?? []).map((s) => ({ id: s.id, name: s.name, formatType: s.format_type })),
    replyTo: d.type === MessageType.Reply ? (d.message_reference?.message_id ?? null) : null,
    mentions: {
      users: (d.mentions ?? []).map((u) => ({ id: u.id, name: mentionName(u) })),
      roles: [...(d.mention_roles ?? [])],
      channels: [...new Set([...content.matchAll(/<#(\d{1,20})>/g)].map((m) => m[1]))],
    },
    at: ctx.at,
  };
};

/**
 * MESSAGE_UPDATE in an open ticket → `message.update` with whatever the payload carries (content,
 * embeds, attachments). An update without `edited_timestamp` is an embed unfurl of a message never
 * edited: only its embeds, `unfurl: true`, stamped with the time the task saw it.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-update
 */
export const mapMessageUpdate: DispatchMapper<GatewayDispatchEvents.MessageUpdate> = (d, ctx) => {
  if (!d.guild_id || !isTicket(ctx, d.channel_id)) return null;
  const edited = d.edited_timestamp ? Date.parse(d.edited_timestamp) : NaN;
  if (!Number.isFinite(edited)) {
    if (!Array.isArray(d.embeds)) return null;
    return { type: 'message.update', guildId: d.guild_id, channelId: d.channel_id, messageId: d.id, editedAt: ctx.at, embeds: embedsOf(d.embeds), unfurl: true, at: ctx.at };
  }
  return {
    type: 'message.update',
    guildId: d.guild_id,
    channelId: d.channel_id,
    messageId: d.id,
    editedAt: edited,
    ...(typeof d.content === 'string' ? { content: d.content } : {}),
    ...(Array.isArray(d.embeds) ? { embeds: embedsOf(d.embeds) } : {}),
    ...(Array.isArray(d.attachments) ? { attachments: attachmentsOf(d.attachments) } : {}),
    at: ctx.at,
  };
};

/** MESSAGE_DELETE in an open ticket → `message.delete`. @see https://discord.com/developers/docs/events/gateway-events#message-delete */
export const mapMessageDelete: DispatchMapper<GatewayDispatchEvents.MessageDelete> = (d, ctx) =>
  d.guild_id && isTicket(ctx, d.channel_id) ? { type: 'message.delete', guildId: d.guild_id, channelId: d.channel_id, messageIds: [d.id], at: ctx.at } : null;

/** MESSAGE_DELETE_BULK in an open ticket → one `message.delete` (Discord deletes at most 100 at once). @see https://discord.com/developers/docs/events/gateway-events#message-delete-bulk */
export const mapMessageDeleteBulk: DispatchMapper<GatewayDispatchEvents.MessageDeleteBulk> = (d, ctx) =>
  d.guild_id && d.ids.length > 0 && isTicket(ctx, d.channel_id) ? { type: 'message.delete', guildId: d.guild_id, channelId: d.channel_id, messageIds: [...d.ids], at: ctx.at } : null;

/** CHANNEL_DELETE of an open ticket's channel → `channel.delete`. @see https://discord.com/developers/docs/events/gateway-events#channel-delete */
export const mapChannelDelete: DispatchMapper<GatewayDispatchEvents.ChannelDelete> = (d, ctx) =>
  'guild_id' in d && d.guild_id && isTicket(ctx, d.id) ? { type: 'channel.delete', guildId: d.guild_id, channelId: d.id, kind: 'channel', at: ctx.at } : null;

/** THREAD_DELETE of an open ticket's thread → `channel.delete`. @see https://discord.com/developers/docs/events/gateway-events#thread-delete */
export const mapThreadDelete: DispatchMapper<GatewayDispatchEvents.ThreadDelete> = (d, ctx) =>
  d.guild_id && isTicket(ctx, d.id) ? { type: 'channel.delete', guildId: d.guild_id, channelId: d.id, kind: 'thread', at: ctx.at } : null;

/**
 * THREAD_UPDATE that archives an open ticket's thread → `channel.archive` (other thread changes —
 * renames, unarchives — are dropped).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#thread-update
 */
export const mapThreadUpdate: DispatchMapper<GatewayDispatchEvents.ThreadUpdate> = (d, ctx) => {
  const meta = d.thread_metadata;
  if (!d.guild_id || !meta?.archived || !isTicket(ctx, d.id)) return null;
  const archivedAt = Date.parse(meta.archive_timestamp);
  return { type: 'channel.archive', guildId: d.guild_id, channelId: d.id, locked: meta.locked === true, archivedAt: Number.isFinite(archivedAt) ? archivedAt : ctx.at, at: ctx.at };
};

/** GUILD_MEMBER_REMOVE of a member with open tickets → `member.leave` (the id only). @see https://discord.com/developers/docs/events/gateway-events#guild-member-remove */
export const mapGuildMemberRemove: DispatchMapper<GatewayDispatchEvents.GuildMemberRemove> = (d, ctx) =>
  ctx.tickets?.hasOpener(d.guild_id, d.user.id) ? { type: 'member.leave', guildId: d.guild_id, userId: d.user.id, at: ctx.at } : null;

/**
 * The dispatches the bridge forwards, one mapper each. Everything not listed is dropped.
 * To forward a new dispatch: add its event to the contract schema and a mapper here.
 */
export const DISPATCH_MAPPERS: { readonly [T in GatewayDispatchEvents]?: DispatchMapper<T> } = {
  [GatewayDispatchEvents.GuildCreate]: mapGuildCreate,
  [GatewayDispatchEvents.GuildDelete]: mapGuildDelete,
  [GatewayDispatchEvents.MessageCreate]: mapMessageCreate,
  [GatewayDispatchEvents.MessageUpdate]: mapMessageUpdate,
  [GatewayDispatchEvents.MessageDelete]: mapMessageDelete,
  [GatewayDispatchEvents.MessageDeleteBulk]: mapMessageDeleteBulk,
  [GatewayDispatchEvents.ChannelDelete]: mapChannelDelete,
  [GatewayDispatchEvents.ThreadDelete]: mapThreadDelete,
  [GatewayDispatchEvents.ThreadUpdate]: mapThreadUpdate,
  [GatewayDispatchEvents.GuildMemberRemove]: mapGuildMemberRemove,
};

/** A raw gateway packet as discord.js's `raw` event hands it over (`{ op, t, s, d }`). */
export interface RawGatewayPacket {
  op?: number;
  t?: string | null;
  s?: number | null;
  d?: unknown;
}

/**
 * Maps a raw gateway packet to a contract event, or `null` when it is not forwarded (an unlisted
 * dispatch, a non-dispatch opcode, or a mapper declining it). The result is still validated by
 * the publisher before it is sent.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#receive-events
 */
export function mapDispatch(packet: RawGatewayPacket, ctx: MapContext): GatewayEvent | null {
  if (!packet || typeof packet.t !== 'string' || packet.d === null || typeof packet.d !== 'object') return null;
  const mapper = DISPATCH_MAPPERS[packet.t as GatewayDispatchEvents] as DispatchMapper<GatewayDispatchEvents> | undefined;
  return mapper ? mapper(packet.d as never, ctx) : null;
}
