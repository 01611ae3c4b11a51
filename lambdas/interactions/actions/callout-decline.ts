import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { InteractionResponseType } from '../../shared/discord-constants';
import type { ActionModule } from '../types';

/** Decline on the terms: `dw1:callout-decline` → the held callout is dropped, nothing is sent. */
export const calloutDeclineButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'callout-decline',
  async execute(interaction, _args, deps) {
    const userId = interaction.member?.user.id ?? interaction.user!.id;
    if (interaction.guild_id) await deps.callouts.takeDraft(interaction.guild_id, userId, deps.clock.now());
    return {
      reply: { type: InteractionResponseType.UpdateMessage, data: { content: 'You declined the Interactive Support Terms, so no callout was sent.', embeds: [], components: [] } },
    };
  },
};
