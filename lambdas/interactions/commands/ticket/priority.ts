import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { setPriority } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';
import { publicUpdate } from './outcome';

/** `/ticket priority level:` — shown in the welcome embed (field and colour). */
export async function priority(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const ticket = await setPriority(await ticketScope(interaction, deps), new CommandOptions(interaction).string('level'), deps);
  return publicUpdate(interaction, ticket, { kind: 'priority', level: ticket.priority });
}
