import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionContextType, DefaultMemberPermissions } from '../../shared/discord-constants';
import { interactionContext } from '../context';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const statusDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'status',
  description: 'Check Deskwire’s setup in this server: permissions, installation, limits',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
});

/**
 * `/status` — checks this server's Deskwire setup (install record, bot permissions, channel room).
 * It needs several Discord and database reads, so it defers and the worker edits the reply.
 */
export const statusCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'status',
  execute(interaction) {
    return { defer: { ephemeral: true }, job: { type: 'status.report', ctx: interactionContext(interaction) } };
  },
};
