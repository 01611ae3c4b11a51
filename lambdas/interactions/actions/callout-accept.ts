import type { APIMessageComponentButtonInteraction } from 'discord-api-types/v10';
import { acceptTermsAndRequest } from '../../shared/callouts/request';
import { UserError } from '../../shared/errors';
import { calloutOutcome, calloutStaff } from '../callout-outcome';
import type { ActionModule } from '../types';

/** Accept on the terms: `dw1:callout-accept:<terms version>` → acceptance recorded, the held callout sent. */
export const calloutAcceptButton: ActionModule<APIMessageComponentButtonInteraction> = {
  action: 'callout-accept',
  async execute(interaction, args, deps) {
    if (!interaction.guild_id) throw new UserError('Use `/callout` inside a server.');
    const outcome = await acceptTermsAndRequest(
      { guildId: interaction.guild_id, userId: interaction.member?.user.id ?? interaction.user!.id, version: args[0] ?? '', isStaff: calloutStaff(interaction) },
      deps,
    );
    return calloutOutcome(interaction, outcome, true);
  },
};
