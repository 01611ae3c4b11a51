import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import type { ActionModule } from '../types';

/** Cancel on the close confirmation: `dw1:close-cancel:<n>`. Nothing was changed yet. */
export const closeCancel: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'close-cancel',
  execute: () => ({ reply: { type: InteractionResponseType.UpdateMessage, data: { content: 'Cancelled: the ticket stays open.', embeds: [], components: [] } } }),
};
