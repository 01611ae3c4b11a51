import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { OptionType } from '../../../shared/discord-constants';
import { requireStaff } from '../../../shared/tickets/staff';
import { interactionContext } from '../../context';
import { CommandOptions } from '../../options';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';

/** The subcommand's registration body (collected by `dispatch.ts` into `/ticket`). */
export const transcriptSubcommand = () => ({
  type: OptionType.Subcommand,
  name: 'transcript',
  description: 'Staff: a short-lived link to a closed ticket’s transcript',
  options: [{ type: OptionType.Integer, name: 'number', description: 'Ticket number (default: this ticket)', required: false, min_value: 1 }],
});

/**
 * `/ticket transcript [number]` — staff only. The interactions λ holds no signing secret, so the
 * worker signs the link (naming the staff member, valid one hour) and answers ephemerally.
 */
export async function transcript(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps, new CommandOptions(interaction).integer('number'));
  requireStaff(scope.actor, 'get transcript links');
  return { defer: { ephemeral: true }, job: { type: 'transcript.link', ctx: interactionContext(interaction), guildId: scope.ticket.guildId, number: scope.ticket.number } };
}
