import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import { userMention } from '../../shared/tickets/messages';
import { recordActivity, requireOpen } from '../../shared/tickets/work-ticket';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/**
 * "Keep it open" on the auto-close warning: `dw1:ticket-keep:<n>`. Anyone who can see the ticket
 * may press it; it is activity, so the warning is cancelled and the idle timer starts again.
 */
export const ticketKeepButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'ticket-keep',
  async execute(interaction, [n], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    requireOpen(scope);
    await recordActivity(scope, deps);
    const content = `✅ ${userMention(scope.actor.id)} kept this ticket open.`;
    return { reply: { type: InteractionResponseType.UpdateMessage, data: { content, components: [], allowed_mentions: { parse: [] } } } };
  },
};
