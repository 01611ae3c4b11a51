import type { APIAttachment } from 'discord-api-types/v10';
import * as z from 'zod/mini';
import { Snowflake } from './common';

/**
 * Deskwire joined a guild (or the gateway saw it again after a restart — GUILD_CREATE is sent for
 * every guild on connect, so consumers must treat this as "ensure installed", not "new install").
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-create
 */
export const GuildCreateEvent = z.object({
  type: z.literal('guild.create'),
  guildId: Snowflake,
  ownerId: Snowflake,
  /** ISO time the bot joined, from the payload's `joined_at`. */
  joinedAt: z.string(),
  /** Epoch ms the gateway saw the event. */
  at: z.int(),
});

/**
 * Deskwire left or was removed from a guild. `unavailable: true` is an outage, not a removal.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-delete
 */
export const GuildDeleteEvent = z.object({
  type: z.literal('guild.delete'),
  guildId: Snowflake,
  unavailable: z.boolean(),
  at: z.int(),
});

/** A message author as a transcript shows them: never member data beyond the display name. */
export const MessageAuthor = z.object({
  id: Snowflake,
  username: z.string(),
  globalName: z.nullable(z.string()),
  /** Avatar hash (CDN path part), or null for the default avatar. */
  avatar: z.nullable(z.string()),
  bot: z.boolean(),
});

/** Attachment metadata (the file stays on Discord's CDN until the transcript re-hosts it). */
export const MessageAttachment = z.object({
  id: Snowflake,
  filename: z.string(),
  size: z.int(),
  url: z.string(),
  contentType: z.nullable(z.string()),
  width: z.nullable(z.int()),
  height: z.nullable(z.int()),
});
export type MessageAttachment = z.infer<typeof MessageAttachment>;

/**
 * A Discord attachment as Deskwire keeps it: the gateway's events and the transcript's REST history
 * both map through here, so the live log and the history merge field by field.
 * @see https://discord.com/developers/docs/resources/message#attachment-object
 */
export function attachmentFromApi(a: APIAttachment): MessageAttachment {
  return { id: a.id, filename: a.filename, size: a.size, url: a.url, contentType: a.content_type ?? null, width: a.width ?? null, height: a.height ?? null };
}

const Embeds = z.array(z.record(z.string(), z.unknown()));

/**
 * A message posted in an open ticket's thread or channel (only those leave the gateway).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-create
 */
export const MessageCreateEvent = z.object({
  type: z.literal('message.create'),
  guildId: Snowflake,
  channelId: Snowflake,
  messageId: Snowflake,
  author: MessageAuthor,
  content: z.string(),
  /** Epoch ms of the message's `timestamp`. */
  createdAt: z.int(),
  attachments: z.array(MessageAttachment),
  embeds: Embeds,
  stickers: z.array(z.object({ id: Snowflake, name: z.string(), formatType: z.int() })),
  /** `message_reference.message_id` of a reply. */
  replyTo: z.nullable(Snowflake),
  /** Mentions resolved to names when sent (a later rename does not rewrite history). */
  mentions: z.object({ users: z.array(z.object({ id: Snowflake, name: z.string() })), roles: z.array(Snowflake), channels: z.array(Snowflake) }),
  at: z.int(),
});

/**
 * An edit (or an embed unfurl) of a message in an open ticket. Discord sends partial objects:
 * absent fields did not change. An update without `edited_timestamp` is an unfurl (Discord adding
 * link embeds): `unfurl: true`, only `embeds`, applied whatever edits were recorded; an unfurl of
 * an edited message carries the edit's time and applies to that version.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-update
 */
export const MessageUpdateEvent = z.object({
  type: z.literal('message.update'),
  guildId: Snowflake,
  channelId: Snowflake,
  messageId: Snowflake,
  /** Epoch ms of `edited_timestamp`; the event time for updates without one (embed unfurls). */
  editedAt: z.int(),
  content: z.optional(z.string()),
  embeds: z.optional(Embeds),
  attachments: z.optional(z.array(MessageAttachment)),
  /** No `edited_timestamp`: embeds Discord added to a message that was never edited. */
  unfurl: z.optional(z.boolean()),
  at: z.int(),
});

/**
 * Messages deleted in an open ticket: one (MESSAGE_DELETE) or many (MESSAGE_DELETE_BULK).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-delete
 * @see https://discord.com/developers/docs/events/gateway-events#message-delete-bulk
 */
export const MessageDeleteEvent = z.object({
  type: z.literal('message.delete'),
  guildId: Snowflake,
  channelId: Snowflake,
  messageIds: z.array(Snowflake).check(z.minLength(1), z.maxLength(100)),
  at: z.int(),
});

/**
 * An open ticket's thread or channel was deleted (not by Deskwire: a closed ticket's channel is no
 * longer watched).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#channel-delete
 * @see https://discord.com/developers/docs/events/gateway-events#thread-delete
 */
export const ChannelDeleteEvent = z.object({
  type: z.literal('channel.delete'),
  guildId: Snowflake,
  channelId: Snowflake,
  kind: z.enum(['thread', 'channel']),
  at: z.int(),
});

/**
 * An open ticket's thread was archived (Discord does so after inactivity; people may do it by
 * hand). `locked`: only moderators can unarchive it, so the ticket's members cannot talk any more.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#thread-update
 * @see https://discord.com/developers/docs/resources/channel#thread-metadata-object
 */
export const ChannelArchiveEvent = z.object({
  type: z.literal('channel.archive'),
  guildId: Snowflake,
  channelId: Snowflake,
  locked: z.boolean(),
  /** Epoch ms of `thread_metadata.archive_timestamp`. */
  archivedAt: z.int(),
  at: z.int(),
});

/**
 * A member who has open tickets left the guild (left, kicked or banned). Only such members are
 * forwarded; nothing about the member beyond the id.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-member-remove
 */
export const MemberLeaveEvent = z.object({
  type: z.literal('member.leave'),
  guildId: Snowflake,
  userId: Snowflake,
  at: z.int(),
});

/**
 * The gateway → events λ contract (one SQS FIFO message per event). Producer (gateway-task) and
 * consumer (events λ) both import this schema.
 */
export const GatewayEvent = z.discriminatedUnion('type', [
  GuildCreateEvent,
  GuildDeleteEvent,
  MessageCreateEvent,
  MessageUpdateEvent,
  MessageDeleteEvent,
  ChannelDeleteEvent,
  ChannelArchiveEvent,
  MemberLeaveEvent,
]);
export type GatewayEvent = z.infer<typeof GatewayEvent>;

/** FIFO ordering group: per channel for channel events, per guild for guild events. */
export function messageGroupId(event: GatewayEvent): string {
  switch (event.type) {
    case 'guild.create':
    case 'guild.delete':
    case 'member.leave':
      return `guild-${event.guildId}`;
    case 'message.create':
    case 'message.update':
    case 'message.delete':
    case 'channel.delete':
    case 'channel.archive':
      return `channel-${event.channelId}`;
  }
}

/**
 * FIFO deduplication id taken from the event itself, so a re-sent event — a publisher retry, or a
 * dispatch Discord replays after a resume — is dropped by SQS within its 5-minute window. At most
 * 128 characters (a bulk delete names its first and last id and the count).
 */
export function deduplicationId(event: GatewayEvent): string {
  switch (event.type) {
    case 'guild.create':
      return `gc-${event.guildId}-${event.at}`;
    case 'guild.delete':
      return `gd-${event.guildId}-${event.at}`;
    case 'message.create':
      return `mc-${event.messageId}`;
    case 'message.update':
      // What it carries is part of the id: an unfurl of an edited message has the edit's
      // timestamp, and must not be taken for a replay of the edit.
      return event.unfurl ? `mue-${event.messageId}-${fingerprint(event)}` : `mu-${event.messageId}-${event.editedAt}-${fingerprint(event)}`;
    case 'message.delete': {
      if (event.messageIds.length === 1) return `md-${event.messageIds[0]}`;
      const ids = [...event.messageIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      return `mdb-${ids[0]}-${ids.at(-1)}-${ids.length}`;
    }
    case 'channel.delete':
      return `cd-${event.channelId}`;
    case 'channel.archive':
      // A lock of an already archived thread may keep its archive_timestamp.
      return `ca-${event.channelId}-${event.archivedAt}-${event.locked ? 'locked' : 'open'}`;
    case 'member.leave':
      return `ml-${event.guildId}-${event.userId}-${event.at}`;
  }
}

/** FNV-1a (32 bit, hex) of what a message update carries: short, stable, no crypto needed. */
function fingerprint(event: { content?: string; embeds?: unknown; attachments?: unknown }): string {
  const text = JSON.stringify([event.content ?? null, event.embeds ?? null, event.attachments ?? null]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
