import type { APIOverwrite } from 'discord-api-types/v10';
import { PermissionFlagsBits } from '../discord-constants';

/**
 * The shape of a channel-mode ticket channel, shared by the worker that creates it and the gateway
 * task that recognises it in CHANNEL_CREATE. Only a channel with exactly this overwrite set is a
 * ticket to the gateway: an admin who adds the bot to a private channel by hand gives it other
 * permission bits (and usually other members), so that channel's messages never leave the task.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */

/** An overwrite as the REST API takes it and gateway dispatches carry it (bit sets as decimal strings). */
export type TicketOverwrite = Pick<APIOverwrite, 'id' | 'type' | 'allow' | 'deny'>;

/** What a ticket's opener, added members and staff roles may do in a ticket channel. */
export const MEMBER_ALLOW = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.EmbedLinks;
/**
 * The bot's own allow set in a ticket channel (it manages the channel). Only bits the bot needs
 * anyway: Discord refuses an overwrite granting a bit the bot lacks, so each one must be among the
 * permissions `/setup` and `/status` ask for (`REQUIRED_BOT_PERMISSIONS`).
 */
export const BOT_ALLOW = MEMBER_ALLOW | PermissionFlagsBits.ManageChannels;

/** Overwrite target types. @see https://discord.com/developers/docs/resources/channel#overwrite-object */
const ROLE = 0;
const MEMBER = 1;

/** Who sees a ticket channel: @everyone denied, the opener, the staff roles and the bot allowed. */
export function ticketOverwrites(guildId: string, openerId: string, staffRoleIds: string[], botUserId: string): TicketOverwrite[] {
  return [
    { id: guildId, type: ROLE, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) },
    ...staffRoleIds.map((id) => ({ id, type: ROLE as typeof ROLE, allow: String(MEMBER_ALLOW), deny: '0' })),
    { id: openerId, type: MEMBER, allow: String(MEMBER_ALLOW), deny: '0' },
    { id: botUserId, type: MEMBER, allow: String(BOT_ALLOW), deny: '0' },
  ];
}

const bits = (value: unknown): bigint | null => {
  try {
    return typeof value === 'string' || typeof value === 'number' ? BigInt(value) : null;
  } catch {
    return null;
  }
};

/**
 * The opener of a ticket channel created with {@link ticketOverwrites}, or null when the
 * overwrites are anything else: @everyone denied viewing, the bot and exactly one other member
 * with exactly the ticket bit sets, and roles (staff) with the member set only.
 */
export function ticketChannelOpener(guildId: string, botUserId: string, overwrites: ReadonlyArray<{ id?: unknown; type?: unknown; allow?: unknown; deny?: unknown }>): string | null {
  let everyoneDenied = false;
  let botSeen = false;
  let opener: string | null = null;
  for (const o of overwrites) {
    const allow = bits(o.allow);
    const deny = bits(o.deny);
    if (allow === null || deny === null || typeof o.id !== 'string') return null;
    if (o.type === ROLE && o.id === guildId) {
      if (allow !== 0n || deny !== PermissionFlagsBits.ViewChannel) return null;
      everyoneDenied = true;
    } else if (o.type === ROLE) {
      if (allow !== MEMBER_ALLOW || deny !== 0n) return null;
    } else if (o.type === MEMBER && o.id === botUserId) {
      if (allow !== BOT_ALLOW || deny !== 0n) return null;
      botSeen = true;
    } else if (o.type === MEMBER) {
      if (opener !== null || allow !== MEMBER_ALLOW || deny !== 0n) return null;
      opener = o.id;
    } else {
      return null;
    }
  }
  return everyoneDenied && botSeen ? opener : null;
}
