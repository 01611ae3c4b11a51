import type { APIApplicationCommandAutocompleteInteraction, APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionContextType, InteractionType, OptionType } from '../../shared/discord-constants';
import { StaleActionError } from '../../shared/errors';
import { categoryChoices, suggest } from '../autocomplete';
import { CommandOptions } from '../options';
import { openTicketFrom } from '../opening';
import type { CommandModule, InteractionDeps, Outcome } from '../types';
import { TICKET_STAFF_SUBCOMMANDS, workTicket } from './ticket/dispatch';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const ticketDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'ticket',
  description: 'Open and work support tickets',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: OptionType.Subcommand,
      name: 'open',
      description: 'Open a support ticket',
      options: [{ type: OptionType.String, name: 'category', description: 'What your ticket is about', autocomplete: true, required: false }],
    },
    ...TICKET_STAFF_SUBCOMMANDS,
  ] as never,
});

/** `/ticket …` — `open` for members; the subcommands that work a ticket live in `./ticket/`. */
export const ticketCommand: CommandModule<APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction> = {
  name: 'ticket',
  async execute(interaction, deps) {
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return autocomplete(interaction, deps);
    const o = new CommandOptions(interaction);
    switch (o.subcommand) {
      case 'open':
        return openTicketFrom(interaction, { categoryId: o.string('category'), answers: null, aboutMessageUrl: null }, deps);
      default:
        if (o.subcommand) return workTicket(interaction, o.subcommand, deps);
        throw new StaleActionError();
    }
  },
};

/** Category names matching what the member typed (Discord shows up to 25). @see https://discord.com/developers/docs/interactions/application-commands#autocomplete */
async function autocomplete(interaction: APIApplicationCommandAutocompleteInteraction, deps: InteractionDeps): Promise<Outcome> {
  const typed = new CommandOptions(interaction).focused()?.value ?? '';
  return suggest(categoryChoices(interaction.guild_id ? await deps.tickets.listCategories(interaction.guild_id) : [], typed));
}
