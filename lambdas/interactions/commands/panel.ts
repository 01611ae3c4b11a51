import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { randomInt } from 'node:crypto';
import type { APIApplicationCommandAutocompleteInteraction, APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { ApplicationCommandType, ChannelKind, InteractionContextType, InteractionResponseType, InteractionType, MessageFlags, OptionType, DefaultMemberPermissions } from '../../shared/discord-constants';
import { NotFoundError, StaleActionError, UserError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { categoryLabel } from '../../shared/tickets/categories';
import { channelLink } from '../../shared/tickets/messages';
import type { Category } from '../../shared/tickets/model';
import {
  DEFAULT_PANEL,
  findPanel,
  formatColor,
  MAX_PANELS,
  messageLink,
  newPanelId,
  PANEL_DESCRIPTION_MAX,
  PANEL_TITLE_MAX,
  panelCategories,
  panelChoiceName,
  panelKind,
  parseCategorySelection,
  parseColor,
  validateDescription,
  validateTitle,
  type Panel,
  type PanelSettings,
  type PanelStyle,
} from '../../shared/tickets/panels';
import { requireManageGuild } from '../access';
import { categoryListChoices, suggest } from '../autocomplete';
import { interactionContext } from '../context';
import { CommandOptions } from '../options';
import type { CommandModule, InteractionDeps, Outcome } from '../types';

const T = OptionType;
const PANEL_CHANNEL_TYPES = [ChannelKind.GuildText, ChannelKind.GuildAnnouncement];
const panelOption = { type: T.String, name: 'panel', description: 'The panel', required: true, autocomplete: true };

/** What `create` and `edit` share (all optional). */
const LOOKS = [
  { type: T.String, name: 'title', description: `Embed title (default: “${DEFAULT_PANEL.title}”)`, max_length: PANEL_TITLE_MAX },
  { type: T.String, name: 'description', description: 'Embed text; write \\n for a new line', max_length: PANEL_DESCRIPTION_MAX },
  { type: T.String, name: 'color', description: 'Embed color as a hex code, e.g. #5865F2', max_length: 7 },
  { type: T.String, name: 'categories', description: 'Categories offered, comma-separated, or all (default: all)', autocomplete: true },
  {
    type: T.String,
    name: 'style',
    description: 'Buttons or a menu (default: buttons up to 5 categories, a menu beyond)',
    choices: [
      { name: 'Automatic', value: 'auto' },
      { name: 'Buttons', value: 'buttons' },
      { name: 'Select menu', value: 'select' },
    ],
  },
];

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const panelDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'panel',
  description: 'Panels: messages with buttons or a menu that open tickets',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
  options: [
    {
      type: T.Subcommand,
      name: 'create',
      description: 'Post a panel in a channel',
      options: [{ type: T.Channel, name: 'channel', description: 'Where to post it', required: true, channel_types: PANEL_CHANNEL_TYPES }, ...LOOKS],
    },
    { type: T.Subcommand, name: 'list', description: 'Show the panels' },
    {
      type: T.Subcommand,
      name: 'edit',
      description: 'Change a panel and update its message (no options: refresh it)',
      options: [panelOption, ...LOOKS, { type: T.Channel, name: 'channel', description: 'Move it to another channel', channel_types: PANEL_CHANNEL_TYPES }],
    },
    { type: T.Subcommand, name: 'delete', description: 'Delete a panel and its message', options: [panelOption] },
  ] as never,
});

/**
 * `/panel create|list|edit|delete` (Manage Server). A panel is a message with an embed and a
 * button per category or one select menu; its components are the opening actions, so clicking
 * opens a ticket. Posting, editing and deleting the message need the bot token: the worker does
 * it and edits the deferred ephemeral reply with the outcome.
 *
 * @see https://discord.com/developers/docs/components/reference
 * @see https://discord.com/developers/docs/interactions/application-commands#subcommands-and-subcommand-groups
 */
export const panelCommand: CommandModule<APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction> = {
  name: 'panel',
  async execute(interaction, deps) {
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return autocomplete(interaction, deps);
    const guildId = requireManageGuild(interaction);
    const o = new CommandOptions(interaction);
    switch (o.subcommand) {
      case 'create':
        return create(interaction, guildId, o, deps);
      case 'edit':
        return edit(interaction, guildId, o, deps);
      case 'delete': {
        const panels = await deps.panels.listPanels(guildId);
        const panel = requirePanel(panels, o.string('panel') ?? '');
        const deleted = await deps.panels.deletePanel(guildId, panel.id);
        if (!deleted) throw new NotFoundError(`The panel **${panel.title}** was already deleted.`);
        if (!deleted.messageId) return { reply: ephemeralReply(`Panel **${deleted.title}** deleted.`) };
        return {
          defer: { ephemeral: true },
          job: { type: 'panel.delete', ctx: interactionContext(interaction), guildId, title: deleted.title, channelId: deleted.channelId, messageId: deleted.messageId },
        };
      }
      case 'list':
        return list(guildId, deps);
      default:
        throw new StaleActionError();
    }
  },
};

function panelChannel(o: CommandOptions): { channelId: string; channelName: string } | null {
  const channel = o.channel('channel');
  if (!channel) return null;
  if (!(PANEL_CHANNEL_TYPES as number[]).includes(channel.type)) throw new UserError('A panel goes in a text or announcement channel.');
  return { channelId: channel.id, channelName: (channel.name ?? 'channel').slice(0, 100) };
}

/** The settings the options give, on top of `base`. */
function readSettings(o: CommandOptions, base: PanelSettings, categories: Category[]): PanelSettings {
  const title = o.string('title');
  const description = o.string('description');
  const color = o.string('color');
  const selection = o.string('categories');
  const style = o.string('style');
  return {
    title: title !== null ? validateTitle(title) : base.title,
    description: description !== null ? validateDescription(description) : base.description,
    color: color !== null ? parseColor(color) : base.color,
    categoryIds: selection !== null ? parseCategorySelection(selection, categories) : base.categoryIds,
    style: style === 'auto' || style === 'buttons' || style === 'select' ? (style as PanelStyle) : base.style,
  };
}

async function create(interaction: APIChatInputApplicationCommandInteraction, guildId: string, o: CommandOptions, deps: InteractionDeps): Promise<Outcome> {
  const where = panelChannel(o);
  if (!where) throw new UserError('Choose the channel to post the panel in.');
  const [categories, panels] = await Promise.all([deps.tickets.listCategories(guildId), deps.panels.listPanels(guildId)]);
  if (categories.length === 0) throw new UserError('There are no ticket categories to offer yet. Create one with `/category create` (or run `/setup`).');
  if (panels.length >= MAX_PANELS) throw new UserError(`This server already has ${MAX_PANELS} panels. Delete one first with \`/panel delete\`.`);
  const settings = readSettings(o, { ...DEFAULT_PANEL, categoryIds: null }, categories);
  const now = deps.clock.now();
  for (let attempt = 0; attempt < 5; attempt++) {
    const panel: Panel = { id: newPanelId(randomInt), ...where, messageId: null, ...settings, createdAt: now, updatedAt: now };
    if (await deps.panels.createPanel(guildId, panel)) {
      return { defer: { ephemeral: true }, job: { type: 'panel.publish', ctx: interactionContext(interaction), guildId, panelIds: [panel.id], created: true, moveTo: null, intro: null } };
    }
  }
  throw new Error('could not find a free panel id');
}

async function edit(interaction: APIChatInputApplicationCommandInteraction, guildId: string, o: CommandOptions, deps: InteractionDeps): Promise<Outcome> {
  const [categories, panels] = await Promise.all([deps.tickets.listCategories(guildId), deps.panels.listPanels(guildId)]);
  const panel = requirePanel(panels, o.string('panel') ?? '');
  const where = panelChannel(o);
  const moveTo = where && where.channelId !== panel.channelId ? where : null;
  const settings = readSettings(o, panel, categories);
  const changed = (Object.keys(settings) as Array<keyof PanelSettings>).some((k) => JSON.stringify(settings[k]) !== JSON.stringify(panel[k]));
  // No option at all is a plain refresh: re-render the message, or re-post it if it was deleted.
  if (changed && !(await deps.panels.updatePanelSettings(guildId, panel.id, settings, deps.clock.now()))) throw new NotFoundError(`The panel **${panel.title}** was deleted in the meantime.`);
  return { defer: { ephemeral: true }, job: { type: 'panel.publish', ctx: interactionContext(interaction), guildId, panelIds: [panel.id], created: false, moveTo, intro: null } };
}

function requirePanel(panels: Panel[], value: string): Panel {
  const panel = findPanel(panels, value);
  if (!panel) throw new NotFoundError(panels.length ? `There is no panel “${value}”. Pick one from the list, or see \`/panel list\`.` : 'There are no panels yet. Post one with `/panel create`.');
  return panel;
}

async function list(guildId: string, deps: InteractionDeps): Promise<Outcome> {
  const [categories, panels] = await Promise.all([deps.tickets.listCategories(guildId), deps.panels.listPanels(guildId)]);
  if (panels.length === 0) return { reply: ephemeralReply('There are no panels yet. Post one with `/panel create channel:#support`.') };
  const title = `Panels (${panels.length})`;
  // Embed limits: 1024 characters per field value, 6000 in all. @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
  const perField = Math.min(1024, Math.floor((5800 - title.length - panels.reduce((n, p) => n + Math.min(p.title.length, 256), 0)) / panels.length));
  const fields = panels.map((p) => {
    const shown = panelCategories(p, categories);
    const kind = panelKind(p.style, shown.length);
    const offers = shown.length ? shown.map(categoryLabel).join(', ') : 'no category';
    return {
      name: p.title.slice(0, 256),
      value: [
        `In ${channelLink(p.channelId)}${p.messageId ? ` · [message](${messageLink(guildId, p.channelId, p.messageId)})` : ' · not posted yet'}`,
        `Shown as: ${kind === 'none' ? 'nothing (no category)' : kind === 'select' ? 'a select menu' : 'buttons'} · color ${formatColor(p.color)}`,
        // Last, since a long list is what gets cut when many panels share the embed.
        `Offers: ${p.categoryIds === null ? `all categories (${offers})` : offers}`,
      ]
        .join('\n')
        .slice(0, perField),
    };
  });
  return {
    reply: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { embeds: [{ title, fields, color: 0x5865f2 }], flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    },
  };
}

async function autocomplete(interaction: APIApplicationCommandAutocompleteInteraction, deps: InteractionDeps): Promise<Outcome> {
  const focused = new CommandOptions(interaction).focused();
  if (!interaction.guild_id || !focused) return suggest([]);
  if (focused.name === 'categories') return suggest(categoryListChoices(await deps.tickets.listCategories(interaction.guild_id), focused.value));
  const typed = focused.value.trim().toLowerCase();
  const panels = await deps.panels.listPanels(interaction.guild_id);
  return suggest(panels.filter((p) => p.title.toLowerCase().includes(typed) || p.channelName.toLowerCase().includes(typed)).map((p) => ({ name: panelChoiceName(p), value: p.id })));
}
