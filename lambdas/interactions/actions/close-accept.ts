import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { checkReason, reasonFrom } from '../../shared/tickets/close-reason';
import { checkCloseAnswer, closeTicketNow } from '../../shared/tickets/work-ticket';
import { interactionContext } from '../context';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/**
 * The opener accepts a close request: `dw1:close-accept:<n>:<period>` → closed by them, with the
 * request's reason — only a request from the ticket's current open period (not one from before a reopen).
 */
export const closeAccept: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-accept',
  async execute(interaction, [n, period], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    checkCloseAnswer(scope, period);
    const ticket = await closeTicketNow(scope, checkReason(reasonFrom(interaction.message)), deps);
    return { defer: { ephemeral: false, update: true }, job: { type: 'ticket.close', ctx: interactionContext(interaction), guildId: ticket.guildId, number: ticket.number, source: 'request' } };
  },
};
