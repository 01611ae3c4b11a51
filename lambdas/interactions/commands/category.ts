import type { APIApplicationCommandAutocompleteInteraction, APIChatInputApplicationCommandInteraction, APIEmbed, APIInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, ChannelKind, InteractionContextType, InteractionResponseType, InteractionType, MessageFlags, OptionType, DefaultMemberPermissions } from '../../shared/discord-constants';
import { StaleActionError, UserError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import {
  addQuestion,
  CATEGORY_DESCRIPTION_MAX,
  CATEGORY_NAME_MAX,
  categoryLabel,
  clearForm,
  CLEARABLE_FIELDS,
  createCategory,
  deleteCategory,
  describeCategory,
  describeHours,
  describeQuestion,
  editCategory,
  findCategory,
  LIMIT_RANGES,
  NAME_TEMPLATE_MAX,
  parseSupportHours,
  QUESTION_LABEL_MAX,
  QUESTION_LENGTH_MAX,
  QUESTION_PLACEHOLDER_MAX,
  removeQuestion,
  setHours,
  timeZoneChoices,
  type CategoryChanges,
  type ClearableField,
} from '../../shared/tickets/categories';
import { MAX_QUESTIONS, type Category, type GuildSettings } from '../../shared/tickets/model';
import { panelsAfterCategoryChange } from '../../shared/tickets/panels';
import { supportHoursState } from '../../shared/tickets/support-hours';
import { requireManageGuild } from '../access';
import { categoryChoices, suggest } from '../autocomplete';
import { interactionContext } from '../context';
import { CommandOptions } from '../options';
import type { CommandModule, InteractionDeps, Outcome } from '../types';

const T = OptionType;
const category = (description = 'The category') => ({ type: T.String, name: 'category', description, required: true, autocomplete: true });
const [PER_MEMBER, COOLDOWN, CAP] = [LIMIT_RANGES.perMember, LIMIT_RANGES.cooldownMinutes, LIMIT_RANGES.totalCap];

/** The settings `create` and `edit` share (all optional). */
const SETTINGS = [
  { type: T.String, name: 'emoji', description: 'An emoji such as 🎫, or a server emoji', max_length: 64 },
  { type: T.String, name: 'description', description: 'One line shown in the menu', max_length: CATEGORY_DESCRIPTION_MAX },
  {
    type: T.String,
    name: 'mode',
    description: 'Private threads or channels (default: as in /setup)',
    choices: [
      { name: 'Private threads', value: 'thread' },
      { name: 'Channels', value: 'channel' },
    ],
  },
  { type: T.Channel, name: 'parent', description: 'Threads: the text channel they go under. Channels: the category.', channel_types: [ChannelKind.GuildText, ChannelKind.GuildCategory] },
  { type: T.String, name: 'name_template', description: 'Ticket names from {number}, {username}, {category}, e.g. billing-{number}', max_length: NAME_TEMPLATE_MAX },
  { type: T.Integer, name: 'per_member', description: 'Open tickets one member may have here (default 1)', min_value: PER_MEMBER[0], max_value: PER_MEMBER[1] },
  { type: T.Integer, name: 'cooldown_minutes', description: 'Minutes a member waits between two tickets here (default 0)', min_value: COOLDOWN[0], max_value: COOLDOWN[1] },
  { type: T.Integer, name: 'total_cap', description: 'Open tickets allowed here at once (default: no cap)', min_value: CAP[0], max_value: CAP[1] },
];

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const categoryDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'category',
  description: 'Ticket categories: create, edit, delete, list; their form and support hours',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
  options: [
    {
      type: T.Subcommand,
      name: 'create',
      description: 'Create a ticket category',
      options: [
        { type: T.String, name: 'name', description: 'Shown on panel buttons and in menus', required: true, max_length: CATEGORY_NAME_MAX },
        ...SETTINGS,
        { type: T.Role, name: 'staff_role', description: 'A staff role for this category only, on top of /setup’s' },
      ],
    },
    {
      type: T.Subcommand,
      name: 'edit',
      description: 'Change a category (only the options you give change)',
      options: [
        category(),
        { type: T.String, name: 'name', description: 'New name (the id stays, so panels keep working)', max_length: CATEGORY_NAME_MAX },
        ...SETTINGS,
        { type: T.Role, name: 'add_staff_role', description: 'Add a staff role for this category' },
        { type: T.Role, name: 'remove_staff_role', description: 'Remove one of this category’s staff roles' },
        { type: T.String, name: 'clear', description: 'Reset a setting to its default', choices: CLEARABLE_FIELDS.map((f) => ({ name: f.replace('_', ' '), value: f })) },
      ],
    },
    { type: T.Subcommand, name: 'delete', description: 'Delete a category (its open tickets keep working)', options: [category()] },
    { type: T.Subcommand, name: 'list', description: 'Show the categories and their settings', options: [{ ...category('Show one category in full'), required: false }] },
    {
      type: T.SubcommandGroup,
      name: 'form',
      description: 'The questions asked when a ticket is opened',
      options: [
        {
          type: T.Subcommand,
          name: 'add',
          description: `Add a question (up to ${MAX_QUESTIONS})`,
          options: [
            category(),
            { type: T.String, name: 'label', description: 'The question', required: true, max_length: QUESTION_LABEL_MAX },
            {
              type: T.String,
              name: 'style',
              description: 'One line or a paragraph (default: one line)',
              choices: [
                { name: 'One line', value: 'short' },
                { name: 'Paragraph', value: 'paragraph' },
              ],
            },
            { type: T.Boolean, name: 'required', description: 'Must be answered (default: yes)' },
            { type: T.Integer, name: 'min_length', description: 'Fewest characters accepted', min_value: 0, max_value: QUESTION_LENGTH_MAX },
            { type: T.Integer, name: 'max_length', description: 'Most characters accepted', min_value: 1, max_value: QUESTION_LENGTH_MAX },
            { type: T.String, name: 'placeholder', description: 'Example text shown in the empty field', max_length: QUESTION_PLACEHOLDER_MAX },
          ],
        },
        {
          type: T.Subcommand,
          name: 'remove',
          description: 'Remove a question',
          options: [category(), { type: T.Integer, name: 'question', description: 'Which question', required: true, autocomplete: true, min_value: 1, max_value: MAX_QUESTIONS }],
        },
        { type: T.Subcommand, name: 'clear', description: 'Remove every question', options: [category()] },
      ],
    },
    {
      type: T.SubcommandGroup,
      name: 'hours',
      description: 'When support is available',
      options: [
        {
          type: T.Subcommand,
          name: 'set',
          description: 'Set support hours',
          options: [
            category(),
            { type: T.String, name: 'timezone', description: 'e.g. Europe/Berlin', required: true, autocomplete: true },
            { type: T.String, name: 'days', description: 'e.g. mon-fri, or mon,wed,fri, or every day', required: true, max_length: 60 },
            { type: T.String, name: 'start', description: 'Opening time, e.g. 09:00', required: true, max_length: 5 },
            { type: T.String, name: 'end', description: 'Closing time, e.g. 17:30 (24:00 = midnight)', required: true, max_length: 5 },
            {
              type: T.String,
              name: 'outside',
              description: 'Outside the hours: open with a warning, or refuse (default: warn)',
              choices: [
                { name: 'Warn', value: 'warn' },
                { name: 'Refuse', value: 'refuse' },
              ],
            },
          ],
        },
        { type: T.Subcommand, name: 'clear', description: 'Remove support hours (always open)', options: [category()] },
      ],
    },
  ] as never,
});

/**
 * `/category …` (Manage Server): create, edit, delete and list ticket categories, edit their
 * form (`form add|remove|clear`) and support hours (`hours set|clear`). Everything is answered
 * inline, except when posted panels show the change: then the worker re-renders them and edits
 * the deferred reply.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#subcommands-and-subcommand-groups
 */
export const categoryCommand: CommandModule<APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction> = {
  name: 'category',
  async execute(interaction, deps) {
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return autocomplete(interaction, deps);
    const guildId = requireManageGuild(interaction);
    const o = new CommandOptions(interaction);
    const which = o.string('category') ?? '';
    switch (o.subcommand) {
      case 'create': {
        const created = await createCategory(guildId, { ...readChanges(o), name: o.string('name') ?? '' }, deps);
        const text = [
          `Created **${categoryLabel(created)}** (id \`${created.id}\`).`,
          ...describeCategory(created, await deps.tickets.getSettings(guildId)),
          'Next: ask questions with `/category form add`, or offer it on a panel with `/panel create`.',
        ].join('\n');
        return refreshPanels(interaction, guildId, text, { categoryId: created.id, kind: 'created' }, deps);
      }
      case 'edit': {
        const { category: edited, visibleChange } = await editCategory(guildId, which, readChanges(o), deps);
        const text = [`Updated **${categoryLabel(edited)}**.`, ...describeCategory(edited, await deps.tickets.getSettings(guildId))].join('\n');
        if (!visibleChange) return { reply: ephemeralReply(text) };
        return refreshPanels(interaction, guildId, text, { categoryId: edited.id, kind: 'changed' }, deps);
      }
      case 'delete': {
        const deleted = await deleteCategory(guildId, which, deps);
        const text = `Deleted **${categoryLabel(deleted)}**. Members can no longer choose it; tickets already open in it keep working and can be closed as usual.`;
        return refreshPanels(interaction, guildId, text, { categoryId: deleted.id, kind: 'deleted' }, deps);
      }
      case 'list':
        return listCategories(guildId, o.string('category'), deps);
      case 'form add': {
        const style = o.string('style') === 'paragraph' ? 'paragraph' : 'short';
        const input = { label: o.string('label') ?? '', style, required: o.boolean('required') ?? true, minLength: o.integer('min_length'), maxLength: o.integer('max_length'), placeholder: o.string('placeholder') } as const;
        return { reply: ephemeralReply(formText(await addQuestion(guildId, which, input, deps), 'Added the question.')) };
      }
      case 'form remove': {
        const { category: c, removed } = await removeQuestion(guildId, which, o.integer('question') ?? 0, deps);
        return { reply: ephemeralReply(formText(c, `Removed “${removed.label}”.`)) };
      }
      case 'form clear':
        return { reply: ephemeralReply(formText(await clearForm(guildId, which, deps), 'Removed every question.')) };
      case 'hours set': {
        const outside = o.string('outside') === 'refuse' ? 'refuse' : 'warn';
        const hours = parseSupportHours({ timeZone: o.string('timezone') ?? '', days: o.string('days') ?? '', start: o.string('start') ?? '', end: o.string('end') ?? '', outside });
        const c = await setHours(guildId, which, hours, deps);
        const now = supportHoursState(hours, deps.clock.now()).open ? 'open' : 'closed';
        return { reply: ephemeralReply(`Support hours for **${categoryLabel(c)}**: ${describeHours(hours)}. Right now support is **${now}**.`) };
      }
      case 'hours clear': {
        const c = await setHours(guildId, which, null, deps);
        return { reply: ephemeralReply(`**${categoryLabel(c)}** has no support hours now: members can open tickets at any time.`) };
      }
      default:
        throw new StaleActionError();
    }
  },
};

function readChanges(o: CommandOptions): CategoryChanges {
  const parent = o.channel('parent');
  const role = o.role('staff_role') ?? o.role('add_staff_role');
  const mode = o.string('mode');
  const clear = o.string('clear');
  const changes: CategoryChanges = {
    name: o.string('name') ?? undefined,
    emoji: o.string('emoji') ?? undefined,
    description: o.string('description') ?? undefined,
    mode: mode === 'thread' || mode === 'channel' ? mode : undefined,
    parent: parent ? { id: parent.id, type: parent.type } : undefined,
    addStaffRole: role ? { id: role.id, managed: role.managed } : undefined,
    removeStaffRoleId: o.string('remove_staff_role') ?? undefined,
    nameTemplate: o.string('name_template') ?? undefined,
    perMember: o.integer('per_member') ?? undefined,
    cooldownMinutes: o.integer('cooldown_minutes') ?? undefined,
    totalCap: o.integer('total_cap') ?? undefined,
    clear: CLEARABLE_FIELDS.includes(clear as ClearableField) ? (clear as ClearableField) : undefined,
  };
  return changes;
}

/**
 * Posted panels that show the changed category are re-rendered by the worker (it has the bot
 * token); the reply then also says how each panel fared. Without such panels: answered inline.
 */
async function refreshPanels(interaction: APIInteraction, guildId: string, text: string, change: Parameters<typeof panelsAfterCategoryChange>[1], deps: InteractionDeps): Promise<Outcome> {
  const panels = await panelsAfterCategoryChange(guildId, change, deps);
  if (panels.length === 0) return { reply: ephemeralReply(text) };
  return {
    defer: { ephemeral: true },
    job: { type: 'panel.publish', ctx: interactionContext(interaction), guildId, panelIds: panels.map((p) => p.id), created: false, moveTo: null, intro: text.slice(0, 1500) },
  };
}

function formText(c: Category, done: string): string {
  if (c.questions.length === 0) return `${done} **${categoryLabel(c)}** has no form now: tickets open without questions.`;
  return [`${done} Form of **${categoryLabel(c)}** (${c.questions.length}/${MAX_QUESTIONS} questions):`, ...c.questions.map((q, i) => describeQuestion(q, i + 1))].join('\n');
}

/** Embed limits: 25 fields, 1024 characters per value, 6000 in all. @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
const EMBED_BUDGET = 5800;

async function listCategories(guildId: string, one: string | null, deps: InteractionDeps): Promise<Outcome> {
  const [categories, settings] = await Promise.all([deps.tickets.listCategories(guildId), deps.tickets.getSettings(guildId)]);
  if (categories.length === 0) return { reply: ephemeralReply('There are no categories yet. Create one with `/category create`.') };
  let embed: APIEmbed;
  if (one !== null) {
    const c = findCategory(categories, one);
    if (!c) throw new UserError(`There is no category “${one}”. Pick one from the list.`);
    embed = { title: `${categoryLabel(c)} · ${c.id}`, description: detail(c, settings).slice(0, 4096), color: 0x5865f2 };
  } else {
    const title = `Ticket categories (${categories.length})`;
    const names = categories.map((c) => `${categoryLabel(c)} · ${c.id}`.slice(0, 256));
    const perField = Math.min(1024, Math.floor((EMBED_BUDGET - title.length - names.join('').length) / categories.length));
    const fields = categories.map((c, i) => {
      const value = describeCategory(c, settings).join('\n');
      return { name: names[i], value: value.length > perField ? `${value.slice(0, perField - 1)}…` : value };
    });
    embed = { title, fields, color: 0x5865f2, footer: { text: 'Details and form: /category list category:<name>' } };
  }
  return { reply: { type: InteractionResponseType.ChannelMessageWithSource, data: { embeds: [embed], flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } } };
}

function detail(c: Category, settings: GuildSettings | null): string {
  const form = c.questions.length ? c.questions.map((q, i) => describeQuestion(q, i + 1)) : ['No questions: tickets open at once.'];
  return [...describeCategory(c, settings), '', `**Form** (${c.questions.length}/${MAX_QUESTIONS})`, ...form].join('\n');
}

async function autocomplete(interaction: APIApplicationCommandAutocompleteInteraction, deps: InteractionDeps): Promise<Outcome> {
  const o = new CommandOptions(interaction);
  const focused = o.focused();
  if (!interaction.guild_id || !focused) return suggest([]);
  if (focused.name === 'timezone') return suggest(timeZoneChoices(focused.value).map((z) => ({ name: z, value: z })));
  const categories = await deps.tickets.listCategories(interaction.guild_id);
  if (focused.name === 'question') {
    const c = findCategory(categories, o.string('category') ?? '');
    return suggest((c?.questions ?? []).map((q, i) => ({ name: `${i + 1}. ${q.label}`, value: i + 1 })));
  }
  return suggest(categoryChoices(categories, focused.value));
}
