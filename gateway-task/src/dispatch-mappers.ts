import {
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildDeleteDispatchData,
} from 'discord-api-types/v10';
import type { GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';

/** What a mapper knows besides the payload. */
export interface MapContext {
  /** Epoch ms the task received the dispatch. */
  at: number;
  shardId: number;
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

/**
 * The dispatches the bridge forwards, one mapper each. Everything not listed is dropped.
 * To forward a new dispatch: add its event to the contract schema and a mapper here.
 */
export const DISPATCH_MAPPERS: { readonly [T in GatewayDispatchEvents]?: DispatchMapper<T> } = {
  [GatewayDispatchEvents.GuildCreate]: mapGuildCreate,
  [GatewayDispatchEvents.GuildDelete]: mapGuildDelete,
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
