import type { APIModalSubmitInteraction } from 'discord-api-types/v10';
import { requireAgent, resolveCallout } from '../../shared/callouts/agent';
import { StaleActionError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { submittedValues } from '../opening';
import type { ActionModule } from '../types';

/** The resolution note: `dw1:callout-resolve-note:<guild>:<callout>` → resolved; the worker deletes the invite. */
export const calloutResolveNoteModal: ActionModule<APIModalSubmitInteraction> = {
  action: 'callout-resolve-note',
  async execute(interaction, args, deps) {
    const [guildId, calloutId] = args;
    if (!guildId || !calloutId) throw new StaleActionError();
    requireAgent(interaction.guild_id, interaction.member?.roles ?? [], deps.hq);
    const note = submittedValues(interaction.data.components).note ?? '';
    return { reply: ephemeralReply(await resolveCallout({ guildId, calloutId, agentId: interaction.member!.user.id, note }, deps)) };
  },
};
