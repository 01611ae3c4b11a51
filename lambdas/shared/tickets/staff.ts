import { ForbiddenError, UserError } from '../errors';
import type { Category, GuildSettings } from './model';

/**
 * Who works tickets: the guild's staff roles plus the ticket category's own. Used to let them into
 * a ticket channel, to mention them, and to tell staff apart from members.
 */
export function staffRolesFor(settings: Pick<GuildSettings, 'staffRoleIds'>, category: Pick<Category, 'staffRoleIds'> | null): string[] {
  return [...new Set([...settings.staffRoleIds, ...(category?.staffRoleIds ?? [])])];
}

/** Someone who is not ticket staff here is refused: "Only ticket staff can <action>." */
export function requireStaff(actor: { staff: boolean }, action: string): void {
  if (!actor.staff) throw new ForbiddenError(`Only ticket staff can ${action}.`);
}

/**
 * A role that can be a staff role (guild-wide or a category's): not @everyone (every member would
 * see every ticket), not a managed role (a bot's or integration's, which no member can be given).
 * @see https://discord.com/developers/docs/topics/permissions#role-object-role-structure
 */
export function requireStaffRoleCandidate(role: { id: string; managed?: boolean }, guildId: string): void {
  if (role.id === guildId) throw new UserError('@everyone cannot be a staff role: every member would see every ticket.');
  if (role.managed) throw new UserError('That role belongs to a bot or integration, so no member can have it. Pick a staff role.');
}
