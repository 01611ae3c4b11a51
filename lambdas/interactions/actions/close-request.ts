import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import { userMention } from '../../shared/tickets/messages';
import { closeTicketNow, recordActivity, requireOpen, requireOpener } from '../../shared/tickets/work-ticket';
import { checkReason, reasonFrom } from '../commands/ticket/close';
import { interactionContext } from '../context';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The opener accepts a close request: `dw1:close-accept:<n>` → closed by them, with the request's reason. */
export const closeAccept: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-accept',
  async execute(interaction, [n], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    requireOpener(scope, 'answer this close request');
    requireOpen(scope);
    const ticket = await closeTicketNow(scope, checkReason(reasonFrom(interaction.message)), deps);
    return { defer: { ephemeral: false, update: true }, job: { type: 'ticket.close', ctx: interactionContext(interaction), guildId: ticket.guildId, number: ticket.number, source: 'request' } };
  },
};

/** The opener declines: `dw1:close-decline:<n>` → the request message says so; the ticket stays open. */
export const closeDecline: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-decline',
  async execute(interaction, [n], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    requireOpener(scope, 'answer this close request');
    requireOpen(scope);
    await recordActivity(scope, deps);
    const content = `${userMention(scope.actor.id)} would like to keep this ticket open.`;
    return { reply: { type: InteractionResponseType.UpdateMessage, data: { content, embeds: [], components: [], allowed_mentions: { parse: [] } } } };
  },
};
