import { PermissionFlagsBits } from '../discord-constants';
import { hasPermission, parsePermissions } from '../domain/permissions';
import { roleMention } from './messages';

/**
 * Thread mode: a private thread is visible only to members added to it (or mentioned as users)
 * and to those with Manage Threads. Mentioning a role does not add its members, so staff whose
 * role lacks Manage Threads see a new ticket only once someone adds them.
 *
 * @see https://discord.com/developers/docs/topics/threads#private-threads
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export function rolesWithoutThreadAccess(roles: ReadonlyArray<{ id: string; permissions: string }>): string[] {
  return roles.filter((r) => !hasPermission(parsePermissions(r.permissions), PermissionFlagsBits.ManageThreads)).map((r) => r.id);
}

/** What to tell an admin about staff roles that cannot see ticket threads; null when all can. */
export function threadVisibilityWarning(roleIds: readonly string[]): string | null {
  if (roleIds.length === 0) return null;
  const roles = roleIds.map(roleMention).join(', ');
  const they = roleIds.length === 1 ? 'Its members' : 'Their members';
  return (
    `⚠️ ${roles} ${roleIds.length === 1 ? 'lacks' : 'lack'} **Manage Threads**. ${they} only see a private ticket thread once they are added to it ` +
    '(claiming, `/ticket add`); a role mention does not add anyone. Give the role Manage Threads in Server Settings → Roles so staff see every ticket.'
  );
}
