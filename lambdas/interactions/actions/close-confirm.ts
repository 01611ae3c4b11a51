import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { checkReason, reasonFrom } from '../../shared/tickets/close-reason';
import { closeRole, closeTicketNow } from '../../shared/tickets/work-ticket';
import { interactionContext } from '../context';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/**
 * Confirm on the close confirmation: `dw1:close-confirm:<n>`. The row is closed here (status,
 * closer, reason, time; the opener's slots released at once), the rest is the worker's, which
 * then edits the confirmation (deferred as an update of it).
 */
export const closeConfirm: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-confirm',
  async execute(interaction, [n], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    const source = closeRole(scope);
    const ticket = await closeTicketNow(scope, checkReason(reasonFrom(interaction.message)), deps);
    return { defer: { ephemeral: true, update: true }, job: { type: 'ticket.close', ctx: interactionContext(interaction), guildId: ticket.guildId, number: ticket.number, source } };
  },
};
