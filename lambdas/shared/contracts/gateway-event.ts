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

/**
 * The gateway → events λ contract (one SQS FIFO message per event). Producer (gateway-task) and
 * consumer (events λ) both import this schema.
 */
export const GatewayEvent = z.discriminatedUnion('type', [GuildCreateEvent, GuildDeleteEvent]);
export type GatewayEvent = z.infer<typeof GatewayEvent>;

/** FIFO ordering group: per channel for channel events, per guild for guild events. */
export function messageGroupId(event: GatewayEvent): string {
  switch (event.type) {
    case 'guild.create':
    case 'guild.delete':
      return `guild-${event.guildId}`;
  }
}

/** FIFO deduplication id taken from the event itself, so a re-sent event is dropped by SQS. */
export function deduplicationId(event: GatewayEvent): string {
  switch (event.type) {
    case 'guild.create':
      return `gc-${event.guildId}-${event.at}`;
    case 'guild.delete':
      return `gd-${event.guildId}-${event.at}`;
  }
}
