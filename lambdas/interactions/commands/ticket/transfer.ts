import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { UserError } from '../../../shared/errors';
import { transferTicket } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import { resolvedUser, ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';
import { publicUpdate } from './outcome';

/** `/ticket transfer member:` — hand the ticket to another staff member (it becomes theirs). */
export async function transfer(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps);
  const target = resolvedUser(interaction, new CommandOptions(interaction).userId('member'), scope);
  if (!target) throw new UserError('Choose the staff member to hand this ticket to.');
  const ticket = await transferTicket(scope, target, deps);
  return publicUpdate(interaction, ticket, { kind: 'transfer', to: target.id });
}
