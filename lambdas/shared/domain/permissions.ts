import { PermissionFlagsBits } from '../discord-constants';
import type { TicketMode } from '../tickets/model';

/** A permission the bot needs, named as in Discord's UI, with the reason an admin sees and the ticket modes needing it. */
export interface BotPermission {
  name: string;
  bit: bigint;
  why: string;
  modes: ReadonlyArray<TicketMode>;
}

const BOTH: ReadonlyArray<TicketMode> = ['thread', 'channel'];

/**
 * The one list of permissions the bot needs for the ticket flows: `/setup` (per mode), `/status`
 * and the refusal texts of a failed open all derive from it. It covers every bit a ticket
 * channel's overwrites grant the bot (`BOT_ALLOW`): Discord refuses an overwrite granting a bit the
 * bot does not hold itself (a unit test keeps the two together).
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export const REQUIRED_BOT_PERMISSIONS: ReadonlyArray<BotPermission> = [
  { name: 'View Channels', bit: PermissionFlagsBits.ViewChannel, why: 'see the support and ticket channels', modes: BOTH },
  { name: 'Send Messages', bit: PermissionFlagsBits.SendMessages, why: 'post panels and welcome messages', modes: BOTH },
  { name: 'Send Messages in Threads', bit: PermissionFlagsBits.SendMessagesInThreads, why: 'talk in ticket threads', modes: ['thread'] },
  { name: 'Create Private Threads', bit: PermissionFlagsBits.CreatePrivateThreads, why: 'open tickets as private threads', modes: ['thread'] },
  { name: 'Manage Threads', bit: PermissionFlagsBits.ManageThreads, why: 'add members to, lock and archive ticket threads', modes: ['thread'] },
  { name: 'Manage Channels', bit: PermissionFlagsBits.ManageChannels, why: 'create and delete ticket channels', modes: ['channel'] },
  { name: 'Manage Roles', bit: PermissionFlagsBits.ManageRoles, why: 'set who can see a ticket channel', modes: ['channel'] },
  { name: 'Embed Links', bit: PermissionFlagsBits.EmbedLinks, why: 'show ticket summaries', modes: BOTH },
  { name: 'Attach Files', bit: PermissionFlagsBits.AttachFiles, why: 'attach transcripts', modes: BOTH },
  { name: 'Read Message History', bit: PermissionFlagsBits.ReadMessageHistory, why: 'build complete transcripts', modes: BOTH },
];

/** The required permissions for tickets in any of `modes`. */
export const permissionsFor = (modes: ReadonlyArray<TicketMode>) => REQUIRED_BOT_PERMISSIONS.filter((p) => p.modes.some((m) => modes.includes(m)));

/** The required permissions whose bits are all in `bits`, in the list's order (what a step needs, by name). */
export const permissionNames = (bits: bigint) => REQUIRED_BOT_PERMISSIONS.filter((p) => (bits & p.bit) === p.bit).map((p) => p.name);

/** Parses Discord's decimal permission string; unparseable input counts as no permissions. */
export function parsePermissions(value: string | null | undefined): bigint {
  if (!value || !/^\d+$/.test(value)) return 0n;
  return BigInt(value);
}

export function hasPermission(bits: bigint, flag: bigint): boolean {
  return (bits & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator || (bits & flag) === flag;
}

/**
 * The required permissions missing from `appPermissions` (the interaction's `app_permissions`),
 * for tickets in `modes` (all modes when not given).
 */
export function missingBotPermissions(appPermissions: string | null | undefined, modes: ReadonlyArray<TicketMode> = BOTH): Array<{ name: string; why: string }> {
  const bits = parsePermissions(appPermissions);
  return permissionsFor(modes).filter((p) => !hasPermission(bits, p.bit)).map(({ name, why }) => ({ name, why }));
}
