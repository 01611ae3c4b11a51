import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { requireAgent, respondToCallout } from '../../shared/callouts/agent';
import { StaleActionError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import type { ActionModule } from '../types';

/** Respond on an HQ alert: `dw1:callout-respond:<guild>:<callout>` (HQ agents only). */
export const calloutRespondButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'callout-respond',
  async execute(interaction, args, deps) {
    const [guildId, calloutId] = args;
    if (!guildId || !calloutId) throw new StaleActionError();
    requireAgent(interaction.guild_id, interaction.member?.roles ?? [], deps.hq);
    return { reply: ephemeralReply(await respondToCallout({ guildId, calloutId, agentId: interaction.member!.user.id }, deps)) };
  },
};
