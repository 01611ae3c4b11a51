import { PermissionFlagsBits } from '../discord-constants';

/**
 * Permissions the bot needs for the ticket flows, each with the reason an admin sees.
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export const REQUIRED_BOT_PERMISSIONS: ReadonlyArray<{ name: string; bit: bigint; why: string }> = [
  { name: 'View Channels', bit: PermissionFlagsBits.ViewChannel, why: 'see the support and ticket channels' },
  { name: 'Send Messages', bit: PermissionFlagsBits.SendMessages, why: 'post panels and welcome messages' },
  { name: 'Send Messages in Threads', bit: PermissionFlagsBits.SendMessagesInThreads, why: 'talk in ticket threads' },
  { name: 'Create Private Threads', bit: PermissionFlagsBits.CreatePrivateThreads, why: 'open tickets as private threads' },
  { name: 'Manage Threads', bit: PermissionFlagsBits.ManageThreads, why: 'add members to, lock and archive ticket threads' },
  { name: 'Manage Channels', bit: PermissionFlagsBits.ManageChannels, why: 'create and delete ticket channels' },
  { name: 'Manage Roles', bit: PermissionFlagsBits.ManageRoles, why: 'set who can see a ticket channel' },
  { name: 'Embed Links', bit: PermissionFlagsBits.EmbedLinks, why: 'show ticket summaries' },
  { name: 'Attach Files', bit: PermissionFlagsBits.AttachFiles, why: 'attach transcripts' },
  { name: 'Read Message History', bit: PermissionFlagsBits.ReadMessageHistory, why: 'build complete transcripts' },
];

/** Parses Discord's decimal permission string; unparseable input counts as no permissions. */
export function parsePermissions(value: string | null | undefined): bigint {
  if (!value || !/^\d+$/.test(value)) return 0n;
  return BigInt(value);
}

export function hasPermission(bits: bigint, flag: bigint): boolean {
  return (bits & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator || (bits & flag) === flag;
}

/** The required permissions missing from `appPermissions` (the interaction's `app_permissions`). */
export function missingBotPermissions(appPermissions: string | null | undefined): Array<{ name: string; why: string }> {
  const bits = parsePermissions(appPermissions);
  return REQUIRED_BOT_PERMISSIONS.filter((p) => !hasPermission(bits, p.bit)).map(({ name, why }) => ({ name, why }));
}
