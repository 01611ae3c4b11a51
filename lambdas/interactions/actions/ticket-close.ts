import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import { closeRole, closeTicketNow } from '../../shared/tickets/work-ticket';
import { askToClose, checkReason, reasonFrom } from '../commands/ticket/close';
import { interactionContext } from '../context';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The welcome message's Close button: `dw1:ticket-close:<n>` → the same confirmation as `/ticket close`. */
export const ticketCloseButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'ticket-close',
  execute: (interaction, [n], deps) => askToClose(interaction, deps, ticketNumberArg(n), null),
};

/**
 * Confirm on the close confirmation: `dw1:close-confirm:<n>`. The row is closed here (status,
 * closer, reason, time; the opener's slots released at once), the rest is the worker's.
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

/** Cancel on the close confirmation: `dw1:close-cancel:<n>`. */
export const closeCancel: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-cancel',
  execute: () => ({ reply: { type: InteractionResponseType.UpdateMessage, data: { content: 'Cancelled: the ticket stays open.', embeds: [], components: [] } } }),
};
