import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { requireAgent } from '../../shared/callouts/agent';
import { MAX_NOTE } from '../../shared/callouts/model';
import { buildCustomId } from '../../shared/custom-id';
import { ComponentKind, InteractionResponseType, TextInputStyle } from '../../shared/discord-constants';
import { StaleActionError } from '../../shared/errors';
import type { ActionModule } from '../types';

/** Resolve on an HQ alert: `dw1:callout-resolve:<guild>:<callout>` → the resolution-note modal (HQ agents only). */
export const calloutResolveButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'callout-resolve',
  execute(interaction, args, deps) {
    const [guildId, calloutId] = args;
    if (!guildId || !calloutId) throw new StaleActionError();
    requireAgent(interaction.guild_id, interaction.member?.roles ?? [], deps.hq);
    return {
      reply: {
        type: InteractionResponseType.Modal,
        data: {
          custom_id: buildCustomId('callout-resolve-note', guildId, calloutId),
          title: 'Resolve callout',
          components: [
            {
              type: ComponentKind.Label,
              label: 'What was done?',
              component: { type: ComponentKind.TextInput, custom_id: 'note', style: TextInputStyle.Paragraph, required: true, min_length: 3, max_length: MAX_NOTE },
            },
          ] as never,
        },
      },
    };
  },
};
