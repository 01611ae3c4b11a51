import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { reopenTicket } from '../../../shared/tickets/work-ticket';
import { interactionContext } from '../../context';
import { CommandOptions } from '../../options';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';

/**
 * `/ticket reopen [number]` — inside the closed ticket's thread/channel, or by number from
 * anywhere. The row is reopened here (slots re-taken); the worker unarchives the thread.
 */
export async function reopen(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const ticket = await reopenTicket(await ticketScope(interaction, deps, new CommandOptions(interaction).integer('number')), deps);
  return { defer: { ephemeral: true }, job: { type: 'ticket.reopen', ctx: interactionContext(interaction), guildId: ticket.guildId, number: ticket.number } };
}
