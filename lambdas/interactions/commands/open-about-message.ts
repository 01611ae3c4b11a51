import type { APIMessageApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionContextType } from '../../shared/discord-constants';
import { messageUrl, openTicketFrom } from '../opening';
import type { CommandModule } from '../types';

/** Registration body of the command (kept out of the handler so the Lambda bundle need not carry it). */
export const openAboutMessageDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({ name: 'Open a ticket about this message', type: ApplicationCommandType.Message, contexts: [InteractionContextType.Guild] });

/** Message context menu "Open a ticket about this message": the ticket links the message. */
export const openAboutMessageCommand: CommandModule<APIMessageApplicationCommandInteraction> = {
  name: 'Open a ticket about this message',
  execute(interaction, deps) {
    const target = interaction.data.target_id;
    const channelId = interaction.data.resolved.messages[target]?.channel_id ?? interaction.channel?.id ?? '';
    return openTicketFrom(interaction, { categoryId: null, answers: null, aboutMessageUrl: messageUrl(interaction.guild_id!, channelId, target) }, deps);
  },
};
