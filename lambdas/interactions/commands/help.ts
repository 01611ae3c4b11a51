import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionContextType } from '../../shared/discord-constants';
import { ephemeralReply } from '../../shared/interaction-reply';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const helpDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'help',
  description: 'What Deskwire can do and where to start',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
});

/** `/help` — what Deskwire can do here; answered inline (no I/O). */
export const helpCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'help',
  execute() {
    return {
      reply: ephemeralReply(
        [
          '**Deskwire** — support tickets for this server.',
          '• `/ticket open`: open a ticket; close your own with its Close button (if the server allows).',
          '• Staff, inside a ticket: `/ticket claim`, `transfer`, `add`, `remove`, `priority`, `rename`, `close`, `close-request`, `reopen`; `/ticket blacklist` for members who may not open tickets.',
          '• `/status` (admins): check permissions, installation, limits and the license.',
          '• `/license activate|status|deactivate` (admins): activate this server with a license key, see its tier, expiry and seats.',
          '• `/category` and `/panel` (admins): ticket categories with their forms and hours, and the messages members open tickets from.',
          'Server admins can configure Deskwire from the dashboard.',
        ].join('\n'),
      ),
    };
  },
};
