import type { CommandModule } from '../types';
import { calloutCommand } from './callout';
import { categoryCommand } from './category';
import { configCommand } from './config';
import { enforceCommand } from './enforce';
import { helpCommand } from './help';
import { licenseCommand } from './license';
import { openAboutMessageCommand } from './open-about-message';
import { panelCommand } from './panel';
import { setupCommand } from './setup';
import { statusCommand } from './status';
import { ticketCommand } from './ticket';

/** Every application command's handler, by name. Their registration bodies are in `definitions.ts`. */
export const COMMANDS: ReadonlyMap<string, CommandModule<never>> = new Map(
  ([statusCommand, helpCommand, setupCommand, configCommand, categoryCommand, panelCommand, ticketCommand, openAboutMessageCommand, licenseCommand, calloutCommand, enforceCommand] as CommandModule<never>[]).map((c) => [c.name, c]),
);
