import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { MAX_REASON, MIN_REASON } from '../../shared/callouts/model';
import { requestCallout } from '../../shared/callouts/request';
import { ApplicationCommandType, InteractionContextType, OptionType } from '../../shared/discord-constants';
import { UserError } from '../../shared/errors';
import { calloutOutcome, calloutStaff } from '../callout-outcome';
import { CommandOptions } from '../options';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const calloutDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'callout',
  description: 'Call a Deskwire support agent into this server (staff; Pro tier and up)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  options: [{ type: OptionType.String, name: 'reason', description: 'What you need help with', required: true, min_length: MIN_REASON, max_length: MAX_REASON }] as never,
});

/**
 * `/callout reason:` — server staff call Interactive Support. Checked and reserved inline (terms,
 * tier, one open callout per guild, cooldown); the invite and the HQ alert are made by the worker.
 */
export const calloutCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'callout',
  async execute(interaction, deps) {
    if (!interaction.guild_id) throw new UserError('Use `/callout` inside a server.');
    const outcome = await requestCallout(
      {
        guildId: interaction.guild_id,
        userId: interaction.member?.user.id ?? interaction.user!.id,
        channelId: interaction.channel?.id ?? null,
        reason: new CommandOptions(interaction).string('reason') ?? '',
        isStaff: calloutStaff(interaction),
      },
      deps,
    );
    return calloutOutcome(interaction, outcome, false);
  },
};
