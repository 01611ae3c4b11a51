import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, DefaultMemberPermissions, InteractionContextType, OptionType } from '../../shared/discord-constants';
import { StaleActionError, UserError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { activateLicense, deactivateLicense, licenseStatus } from '../../shared/licensing/activation';
import { requireManageGuild } from '../access';
import { CommandOptions } from '../options';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const licenseDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'license',
  description: 'Activate Deskwire in this server with a license key, or see its license',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
  options: [
    {
      type: OptionType.Subcommand,
      name: 'activate',
      description: 'Activate this server with a license key (takes one of its seats)',
      options: [{ type: OptionType.String, name: 'key', description: 'The key, e.g. DW-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX', required: true, min_length: 25, max_length: 64 }],
    },
    { type: OptionType.Subcommand, name: 'status', description: 'Tier, expiry, seats and the features this server has' },
    { type: OptionType.Subcommand, name: 'deactivate', description: 'Free this server’s seat on its license' },
  ] as never,
});

/**
 * `/license activate|status|deactivate` — guild admins only, always ephemeral (a key is never
 * shown to others), answered inline: a few table reads and one transaction.
 */
export const licenseCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'license',
  async execute(interaction, deps) {
    const guildId = requireManageGuild(interaction);
    const userId = interaction.member?.user.id ?? interaction.user!.id;
    const o = new CommandOptions(interaction);
    switch (o.subcommand) {
      case 'activate': {
        const key = o.string('key');
        if (!key) throw new UserError('Give the license key: `/license activate key:DW-…`.');
        return { reply: ephemeralReply(await activateLicense({ guildId, userId, key }, deps)) };
      }
      case 'status':
        return { reply: ephemeralReply(await licenseStatus(guildId, deps)) };
      case 'deactivate':
        return { reply: ephemeralReply(await deactivateLicense({ guildId, userId }, deps)) };
      default:
        throw new StaleActionError();
    }
  },
};
