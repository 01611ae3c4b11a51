import { ForbiddenError } from '../errors';
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
