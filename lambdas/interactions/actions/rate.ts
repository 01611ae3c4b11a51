import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { ButtonStyle, ComponentKind, InteractionResponseType } from '../../shared/discord-constants';
import { feedbackCustomId, parseFeedbackTarget, rateTicket } from '../../shared/tickets/feedback';
import { ticketLabel } from '../../shared/tickets/messages';
import { userIdOf } from '../ticket-scope';
import type { ActionModule } from '../types';

/**
 * A star button of the feedback DM: `dw1:rate:<guild>:<n>:<closed>:<stars>`. Stores the rating
 * (for that close only) and turns the prompt into a thank-you with an optional "Add a comment".
 */
export const rateButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'rate',
  async execute(interaction, args, deps) {
    const target = parseFeedbackTarget(args);
    const stars = Number(args[3]);
    await rateTicket(target, userIdOf(interaction), stars, deps);
    // The transcript-channel post shows the rating (the worker edits it).
    await deps.workQueue.enqueue({ type: 'transcript.rated', ...target });
    return {
      reply: {
        type: InteractionResponseType.UpdateMessage,
        data: {
          content: `Thanks! You rated ticket ${ticketLabel(target)} ${'⭐'.repeat(stars)} (${stars}/5). Add a comment if you like.`,
          components: [
            {
              type: ComponentKind.ActionRow,
              components: [{ type: ComponentKind.Button, style: ButtonStyle.Secondary, label: 'Add a comment', custom_id: feedbackCustomId('rate-comment', target) }],
            },
          ] as never,
        },
      },
    };
  },
};
