import type { GatewayEvent } from '../contracts/gateway-event';
import { DAY_MS, type Clock } from '../clock';
import type { GuildStore } from '../ports/guild-store';
import type { Telemetry } from '../ports/telemetry';

/** A removed guild's data is kept this long (in case the bot is re-added), then purged. */
export const PURGE_AFTER_MS = 30 * DAY_MS;

export interface GuildLifecycleDeps {
  guilds: GuildStore;
  telemetry: Telemetry;
  clock: Clock;
}

/**
 * Guild create → install record (or cancel a pending purge); guild delete → removal time and a
 * purge due 30 days later. An `unavailable` delete is a Discord outage, not a removal: ignored.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-delete
 */
export async function handleGuildEvent(event: Extract<GatewayEvent, { type: 'guild.create' | 'guild.delete' }>, deps: GuildLifecycleDeps): Promise<void> {
  if (event.type === 'guild.create') {
    const outcome = await deps.guilds.markInstalled(event.guildId, event.ownerId, event.at);
    if (outcome === 'installed') deps.telemetry.capture({ event: 'guild_installed', guildId: event.guildId, at: event.at });
    if (outcome === 'reinstalled') deps.telemetry.capture({ event: 'guild_reinstalled', guildId: event.guildId, at: event.at });
    return;
  }
  if (event.unavailable) return;
  const removed = await deps.guilds.markRemoved(event.guildId, event.at, event.at + PURGE_AFTER_MS);
  if (removed) deps.telemetry.capture({ event: 'guild_removed', guildId: event.guildId, at: event.at });
}
