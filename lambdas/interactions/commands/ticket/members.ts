import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { checkMemberChange, checkRoleChange } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import { staffRolesFor } from '../../../shared/tickets/staff';
import { resolvedUser, ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';
import { publicUpdate } from './outcome';

/** `/ticket add member:` / `/ticket remove member:` — a thread member, or a member overwrite on the channel. */
export async function changeMember(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps, op: 'add' | 'remove'): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps);
  const target = resolvedUser(interaction, new CommandOptions(interaction).userId('member'), scope);
  await checkMemberChange(scope, op, target, deps);
  return publicUpdate(interaction, scope.ticket, { kind: 'member', op, userId: target!.id });
}

/** `/ticket add_role role:` / `/ticket remove_role role:` — a role overwrite (channel mode only). */
export async function changeRole(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps, op: 'add' | 'remove'): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps);
  const role = new CommandOptions(interaction).role('role');
  await checkRoleChange(scope, op, role?.id ?? null, staffRolesFor(scope.settings, scope.category), deps);
  return publicUpdate(interaction, scope.ticket, { kind: 'role', op, roleId: role!.id });
}
