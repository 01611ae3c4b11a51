import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import { userMention } from '../../shared/tickets/messages';
import { checkCloseAnswer, recordActivity } from '../../shared/tickets/work-ticket';
import { ticketNumberArg, ticketScope } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The opener declines: `dw1:close-decline:<n>:<period>` → the request message says so; the ticket stays open. */
export const closeDecline: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-decline',
  async execute(interaction, [n, period], deps) {
    const scope = await ticketScope(interaction, deps, ticketNumberArg(n));
    checkCloseAnswer(scope, period);
    await recordActivity(scope, deps);
    const content = `${userMention(scope.actor.id)} would like to keep this ticket open.`;
    return { reply: { type: InteractionResponseType.UpdateMessage, data: { content, embeds: [], components: [], allowed_mentions: { parse: [] } } } };
  },
};
