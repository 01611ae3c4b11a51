import { REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import { commandDefinitions, hqCommandDefinitions } from '../lambdas/interactions/commands/definitions';

/**
 * Bulk-overwrites the application's commands with the ones the interactions λ routes (one list,
 * `lambdas/interactions/commands`). With `guildId` they go to that guild only and appear at once —
 * the usual choice while developing; global commands can take a while to reach every client.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-guild-application-commands
 */
export async function registerCommands(opts: { apiBaseUrl: string; botToken: string; applicationId: string; guildId?: string }): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST({ version: '10', api: opts.apiBaseUrl }).setToken(opts.botToken);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  return (await rest.put(route, { body: commandDefinitions() })) as RESTPutAPIApplicationCommandsResult;
}

/**
 * The vendor HQ's own commands (`/enforce`) to the HQ guild only. When the HQ guild is also the
 * development guild, the guild gets both lists in one overwrite (a second PUT would replace the first).
 */
export async function registerHqCommands(opts: { apiBaseUrl: string; botToken: string; applicationId: string; hqGuildId: string; alsoEveryCommand?: boolean }): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST({ version: '10', api: opts.apiBaseUrl }).setToken(opts.botToken);
  const body = [...(opts.alsoEveryCommand ? commandDefinitions() : []), ...hqCommandDefinitions()];
  return (await rest.put(Routes.applicationGuildCommands(opts.applicationId, opts.hqGuildId), { body })) as RESTPutAPIApplicationCommandsResult;
}

/** How a registered command reads in a terminal: `/name` for slash commands, "name" for context menus. */
export const describeCommands = (commands: Array<{ name: string; type?: number }>) => commands.map((c) => ((c.type ?? 1) === 1 ? `/${c.name}` : `“${c.name}”`)).join(' ');
