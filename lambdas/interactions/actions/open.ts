import type { APIMessageComponentButtonInteraction, APIMessageComponentSelectMenuInteraction, APIModalSubmitInteraction } from 'discord-api-types/v10';
import { UserError } from '../../shared/errors';
import { messageUrl, openTicketFrom, submittedValues } from '../opening';
import type { ActionModule } from '../types';

/** A panel's button `dw1:open:<category>`. */
export const openButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'open',
  execute: (interaction, [categoryId], deps) => openTicketFrom(interaction, { categoryId: categoryId ?? null, answers: null, aboutMessageUrl: null }, deps),
};

/**
 * A category select (a panel's, or the one `/ticket open` and the message context menu show):
 * `dw1:open-select[:<channel>:<message>]`, the message the ticket is about riding along.
 */
export const openSelect: ActionModule<APIMessageComponentSelectMenuInteraction> = {
  action: 'open-select',
  execute(interaction, [channelId, messageId], deps) {
    const categoryId = interaction.data.values[0];
    if (!categoryId) throw new UserError('Pick a category from the list.');
    const about = channelId && messageId ? messageUrl(interaction.guild_id!, channelId, messageId) : null;
    return openTicketFrom(interaction, { categoryId, answers: null, aboutMessageUrl: about }, deps);
  },
};

/** The category form's modal: `dw1:open-form:<category>[:<channel>:<message>]`. */
export const openForm: ActionModule<APIModalSubmitInteraction> = {
  action: 'open-form',
  execute(interaction, [categoryId, channelId, messageId], deps) {
    const answers = submittedValues(interaction.data.components);
    const about = channelId && messageId ? messageUrl(interaction.guild_id!, channelId, messageId) : null;
    return openTicketFrom(interaction, { categoryId: categoryId ?? null, answers, aboutMessageUrl: about }, deps);
  },
};
