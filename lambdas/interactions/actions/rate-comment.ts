import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { ComponentKind, InteractionResponseType, TextInputStyle } from '../../shared/discord-constants';
import { checkFeedback, feedbackCustomId, parseFeedbackTarget } from '../../shared/tickets/feedback';
import { ticketLabel } from '../../shared/tickets/messages';
import { MAX_FEEDBACK } from '../../shared/tickets/model';
import { userIdOf } from '../ticket-scope';
import type { ActionModule } from '../types';

/** "Add a comment" after a rating: `dw1:rate-comment:<guild>:<n>:<closed>` → the comment modal (opener only, same close). */
export const rateCommentButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'rate-comment',
  async execute(interaction, args, deps) {
    const target = parseFeedbackTarget(args);
    checkFeedback(await deps.tickets.getTicket(target.guildId, target.number), target, userIdOf(interaction));
    return {
      reply: {
        type: InteractionResponseType.Modal,
        data: {
          custom_id: feedbackCustomId('rate-feedback', target),
          title: `Feedback on ticket ${ticketLabel(target)}`,
          components: [
            {
              type: ComponentKind.Label,
              label: 'Anything you would like to tell us?',
              component: { type: ComponentKind.TextInput, custom_id: 'comment', style: TextInputStyle.Paragraph, required: true, max_length: MAX_FEEDBACK },
            },
          ] as never,
        },
      },
    };
  },
};
