import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { checkRename } from '../../../shared/tickets/work-ticket';
import { CommandOptions } from '../../options';
import { ticketScope } from '../../ticket-scope';
import type { InteractionDeps, Outcome } from '../../types';
import { publicUpdate } from './outcome';

/** `/ticket rename name:` — renames the thread or channel. */
export async function rename(interaction: APIChatInputApplicationCommandInteraction, deps: InteractionDeps): Promise<Outcome> {
  const scope = await ticketScope(interaction, deps);
  const name = await checkRename(scope, new CommandOptions(interaction).string('name'), deps);
  return publicUpdate(interaction, scope.ticket, { kind: 'rename', name });
}
