import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { calloutDefinition } from './callout';
import { categoryDefinition } from './category';
import { configDefinition } from './config';
import { enforceDefinition } from './enforce';
import { helpDefinition } from './help';
import { licenseDefinition } from './license';
import { openAboutMessageDefinition } from './open-about-message';
import { panelDefinition } from './panel';
import { setupDefinition } from './setup';
import { statusDefinition } from './status';
import { ticketDefinition } from './ticket';

/**
 * The registration bodies of every command, in the order users see them. Only registration
 * (`npm run register-commands`, `npm start`) imports this file, so the interactions λ's bundle does
 * not carry ~14 KB of option trees it never reads; a test checks each handler's name has a body.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export const commandDefinitions = (): RESTPostAPIApplicationCommandsJSONBody[] => [
  statusDefinition(),
  helpDefinition(),
  setupDefinition(),
  configDefinition(),
  categoryDefinition(),
  panelDefinition(),
  ticketDefinition(),
  openAboutMessageDefinition(),
  licenseDefinition(),
  calloutDefinition(),
];

/** Commands registered to the vendor HQ guild only (`HQ_GUILD_ID`), never globally. */
export const hqCommandDefinitions = (): RESTPostAPIApplicationCommandsJSONBody[] => [enforceDefinition()];
