import { OverwriteType, PermissionFlagsBits, type APIOverwrite } from 'discord-api-types/v10';

/** Every permission bit Discord defines (what the guild owner and ADMINISTRATOR get). */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** A role as far as permissions go: its id and its permission bit set (decimal string, as Discord sends it). */
export interface PermissionRole {
  id: string;
  permissions: string;
}

/** Everything needed to compute one member's permissions. */
export interface PermissionInput {
  /** The guild id, which is also the id of its `@everyone` role and of the `@everyone` overwrite. */
  guildId: string;
  ownerId: string;
  userId: string;
  /** The member's role ids (without `@everyone`, as in a guild member object). */
  memberRoleIds: readonly string[];
  /** All of the guild's roles, including `@everyone`. */
  roles: readonly PermissionRole[];
  /** The channel's permission overwrites; omit for guild-level (base) permissions. */
  overwrites?: readonly APIOverwrite[];
  /** ISO time until which the member is timed out (`communication_disabled_until`). */
  communicationDisabledUntil?: string | null;
  /** Epoch ms "now", only used for the timeout rule. */
  now?: number;
}

/**
 * A member's guild-level permissions: `@everyone` ORed with the member's roles; the owner and
 * ADMINISTRATOR get everything.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export function computeBasePermissions(input: Omit<PermissionInput, 'overwrites'>): bigint {
  if (input.userId === input.ownerId) return ALL_PERMISSIONS;
  const byId = new Map(input.roles.map((role) => [role.id, BigInt(role.permissions)]));
  let permissions = byId.get(input.guildId) ?? 0n;
  for (const roleId of input.memberRoleIds) permissions |= byId.get(roleId) ?? 0n;
  if ((permissions & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  return permissions;
}

/**
 * Applies a channel's overwrites to base permissions in Discord's order: `@everyone`, then all of the
 * member's role overwrites together (deny first, then allow), then the member's own overwrite.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export function applyOverwrites(
  base: bigint,
  overwrites: readonly APIOverwrite[],
  who: { guildId: string; userId: string; memberRoleIds: readonly string[] },
): bigint {
  if ((base & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  let permissions = base;
  const find = (id: string, type: OverwriteType) => overwrites.find((o) => o.id === id && o.type === type);

  const everyone = find(who.guildId, OverwriteType.Role);
  if (everyone) {
    permissions &= ~BigInt(everyone.deny);
    permissions |= BigInt(everyone.allow);
  }

  let allow = 0n;
  let deny = 0n;
  for (const roleId of who.memberRoleIds) {
    const overwrite = find(roleId, OverwriteType.Role);
    if (overwrite) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions &= ~deny;
  permissions |= allow;

  const member = find(who.userId, OverwriteType.Member);
  if (member) {
    permissions &= ~BigInt(member.deny);
    permissions |= BigInt(member.allow);
  }
  return permissions;
}

/** Bits that SEND_MESSAGES gates: without it, Discord treats these as denied too. */
const NEEDS_SEND_MESSAGES =
  PermissionFlagsBits.MentionEveryone | PermissionFlagsBits.SendTTSMessages | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.EmbedLinks;

/**
 * A member's effective permissions, in a channel when `overwrites` is given (else guild-level),
 * including Discord's implicit rules: no VIEW_CHANNEL means no channel permission at all, no
 * SEND_MESSAGES removes the permissions that only make sense when sending, and a timed-out member
 * keeps only VIEW_CHANNEL and READ_MESSAGE_HISTORY.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/topics/permissions#implicit-permissions
 */
export function computePermissions(input: PermissionInput): bigint {
  const base = computeBasePermissions(input);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let permissions = input.overwrites ? applyOverwrites(base, input.overwrites, input) : base;
  if (permissions === ALL_PERMISSIONS) return ALL_PERMISSIONS;

  if (input.overwrites) {
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
    if ((permissions & PermissionFlagsBits.SendMessages) === 0n) permissions &= ~NEEDS_SEND_MESSAGES;
  }
  const until = input.communicationDisabledUntil ? Date.parse(input.communicationDisabledUntil) : NaN;
  if (!Number.isNaN(until) && until > (input.now ?? Date.now())) {
    permissions &= PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
  }
  return permissions;
}

/** True when every bit of `required` is in `permissions`. */
export function hasPermissions(permissions: bigint, required: bigint): boolean {
  return (permissions & required) === required;
}

/** The names of the bits of `required` missing from `permissions` (for error logs and test messages). */
export function missingPermissionNames(permissions: bigint, required: bigint): string[] {
  return Object.entries(PermissionFlagsBits)
    .filter(([, bit]) => (required & bit) !== 0n && (permissions & bit) === 0n)
    .map(([name]) => name);
}
