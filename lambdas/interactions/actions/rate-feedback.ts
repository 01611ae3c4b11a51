import type { APIModalSubmitInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import { commentOnTicket, parseFeedbackTarget } from '../../shared/tickets/feedback';
import { ticketLabel } from '../../shared/tickets/messages';
import { submittedValues } from '../opening';
import { userIdOf } from '../ticket-scope';
import type { ActionModule } from '../types';

/** The comment modal: `dw1:rate-feedback:<guild>:<n>:<closed>`. */
export const rateFeedbackModal: ActionModule<APIModalSubmitInteraction> = {
  action: 'rate-feedback',
  async execute(interaction, args, deps) {
    const target = parseFeedbackTarget(args);
    await commentOnTicket(target, userIdOf(interaction), submittedValues(interaction.data.components).comment ?? '', deps);
    return { reply: { type: InteractionResponseType.UpdateMessage, data: { content: `Thanks for your feedback on ticket ${ticketLabel(target)}!`, components: [] } } };
  },
};
