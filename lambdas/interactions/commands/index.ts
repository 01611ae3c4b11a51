import type { CommandModule } from '../types';
import { categoryCommand } from './category';
import { configCommand } from './config';
import { helpCommand } from './help';
import { openAboutMessageCommand } from './open-about-message';
import { panelCommand } from './panel';
import { setupCommand } from './setup';
import { statusCommand } from './status';
import { ticketCommand } from './ticket';

/** Every application command, by name. Registration (`npm run register-commands`, `npm start`) reads the same list. */
export const COMMANDS: ReadonlyMap<string, CommandModule<never>> = new Map(
  ([statusCommand, helpCommand, setupCommand, configCommand, categoryCommand, panelCommand, ticketCommand, openAboutMessageCommand] as CommandModule<never>[]).map((c) => [c.definition.name, c]),
);

/** The bodies to bulk-overwrite with. @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands */
export const commandDefinitions = () => [...COMMANDS.values()].map((c) => c.definition);
