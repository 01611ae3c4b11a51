import type { APIInteraction } from 'discord-api-types/v10';
import { PermissionFlagsBits } from '../shared/discord-constants';
import { hasPermission, parsePermissions } from '../shared/domain/permissions';
import { ForbiddenError, UserError } from '../shared/errors';
import type { GuildSettings } from '../shared/tickets/model';

/** The invoker's guild permissions (already resolved by Discord for the channel). */
export const memberPermissions = (i: APIInteraction) => parsePermissions(i.member?.permissions);

/** Guild admins: Manage Server (or Administrator), inside a server. Returns the guild id. */
export function requireManageGuild(i: APIInteraction): string {
  if (!i.guild_id) throw new UserError('Use this command in a server.');
  if (!hasPermission(memberPermissions(i), PermissionFlagsBits.ManageGuild)) {
    throw new ForbiddenError('You need the **Manage Server** permission to do that.');
  }
  return i.guild_id;
}

/** Staff: a configured staff role (guild-wide or the category's), or Manage Server. */
export function isStaff(i: APIInteraction, settings: Pick<GuildSettings, 'staffRoleIds'>, categoryStaffRoleIds: string[] = []): boolean {
  if (hasPermission(memberPermissions(i), PermissionFlagsBits.ManageGuild)) return true;
  const roles = new Set(i.member?.roles ?? []);
  return [...settings.staffRoleIds, ...categoryStaffRoleIds].some((r) => roles.has(r));
}
