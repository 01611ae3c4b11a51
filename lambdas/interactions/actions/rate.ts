import type { APIMessageComponentButtonInteraction, APIModalSubmitInteraction } from 'discord-api-types/v10';
import { buildCustomId } from '../../shared/custom-id';
import { ButtonStyle, ComponentKind, InteractionResponseType, TextInputStyle } from '../../shared/discord-constants';
import { ForbiddenError, StaleActionError, UserError } from '../../shared/errors';
import { commentOnTicket, rateTicket } from '../../shared/tickets/feedback';
import { ticketLabel } from '../../shared/tickets/messages';
import { MAX_FEEDBACK } from '../../shared/tickets/model';
import { submittedValues } from '../opening';
import { ticketNumberArg, userIdOf } from '../ticket-scope';
import type { ActionModule } from '../types';

/** `<guild>:<n>` from a feedback custom_id (the DM has no guild of its own). */
function target([guildId, n]: string[]): { guildId: string; number: number } {
  if (!guildId || !/^\d{1,20}$/.test(guildId)) throw new StaleActionError();
  return { guildId, number: ticketNumberArg(n) };
}

/**
 * A star button of the feedback DM: `dw1:rate:<guild>:<n>:<stars>`. Stores the rating and turns
 * the prompt into a thank-you with an optional "Add a comment".
 */
export const rateButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'rate',
  async execute(interaction, args, deps) {
    const { guildId, number } = target(args);
    const stars = Number(args[2]);
    await rateTicket(guildId, number, userIdOf(interaction), stars, deps);
    return {
      reply: {
        type: InteractionResponseType.UpdateMessage,
        data: {
          content: `Thanks! You rated ticket ${ticketLabel({ number })} ${'⭐'.repeat(stars)} (${stars}/5). Add a comment if you like.`,
          components: [
            {
              type: ComponentKind.ActionRow,
              components: [{ type: ComponentKind.Button, style: ButtonStyle.Secondary, label: 'Add a comment', custom_id: buildCustomId('rate-comment', guildId, String(number)) }],
            },
          ] as never,
        },
      },
    };
  },
};

/** "Add a comment": `dw1:rate-comment:<guild>:<n>` → a modal (only for the opener). */
export const rateCommentButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'rate-comment',
  async execute(interaction, args, deps) {
    const { guildId, number } = target(args);
    const ticket = await deps.tickets.getTicket(guildId, number);
    if (!ticket) throw new UserError('This ticket no longer exists.');
    if (ticket.openerId !== userIdOf(interaction)) throw new ForbiddenError('Only the member who opened this ticket can give feedback on it.');
    return {
      reply: {
        type: InteractionResponseType.Modal,
        data: {
          custom_id: buildCustomId('rate-feedback', guildId, String(number)),
          title: `Feedback on ticket ${ticketLabel({ number })}`,
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

/** The comment modal: `dw1:rate-feedback:<guild>:<n>`. */
export const rateFeedbackModal: ActionModule<APIModalSubmitInteraction> = {
  action: 'rate-feedback',
  async execute(interaction, args, deps) {
    const { guildId, number } = target(args);
    await commentOnTicket(guildId, number, userIdOf(interaction), submittedValues(interaction.data.components).comment ?? '', deps);
    return { reply: { type: InteractionResponseType.UpdateMessage, data: { content: `Thanks for your feedback on ticket ${ticketLabel({ number })}!`, components: [] } } };
  },
};
