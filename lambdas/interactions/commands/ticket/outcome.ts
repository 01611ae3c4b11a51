import type { APIInteraction } from 'discord-api-types/v10';
import type { TicketChange } from '../../../shared/contracts/work-job';
import type { Ticket } from '../../../shared/tickets/model';
import { interactionContext } from '../../context';
import type { Outcome } from '../../types';

/**
 * The row already changed; the worker brings Discord in line (welcome message, members, name) and
 * answers in the ticket for everyone to see.
 */
export const publicUpdate = (interaction: APIInteraction, ticket: Pick<Ticket, 'guildId' | 'number'>, change: TicketChange): Outcome => ({
  defer: { ephemeral: false },
  job: { type: 'ticket.update', ctx: interactionContext(interaction), guildId: ticket.guildId, number: ticket.number, change },
});
