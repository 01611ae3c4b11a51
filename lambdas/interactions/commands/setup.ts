import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { ApplicationCommandType, ChannelKind, InteractionContextType, OptionType, DefaultMemberPermissions } from '../../shared/discord-constants';
import { UserError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { channelLink, roleMention } from '../../shared/tickets/messages';
import { applySetup, SETUP_CLEARABLE } from '../../shared/tickets/setup';
import { rolesWithoutThreadAccess, threadVisibilityWarning } from '../../shared/tickets/staff-visibility';
import { requireManageGuild } from '../access';
import { CommandOptions } from '../options';
import type { CommandModule } from '../types';

/** The command's registration body: a function, so bundles that never register commands drop it. */
export const setupDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'setup',
  description: 'Set up tickets: staff role, mode, channels (run again to change any part)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: DefaultMemberPermissions.ManageGuild,
  options: [
    { type: OptionType.Role, name: 'staff_role', description: 'The role that works tickets (replaces the staff roles set before)', required: false },
    {
      type: OptionType.String,
      name: 'mode',
      description: 'Private threads under a support channel, or channels under a category',
      choices: [
        { name: 'Private threads', value: 'thread' },
        { name: 'Channels', value: 'channel' },
      ],
    },
    { type: OptionType.Channel, name: 'support_channel', description: 'Thread mode: the channel ticket threads live under', channel_types: [ChannelKind.GuildText] },
    { type: OptionType.Channel, name: 'ticket_category', description: 'Channel mode: the category ticket channels go into', channel_types: [ChannelKind.GuildCategory] },
    { type: OptionType.Channel, name: 'log_channel', description: 'Where ticket events are logged for staff', channel_types: [ChannelKind.GuildText] },
    { type: OptionType.Channel, name: 'transcript_channel', description: 'Where transcripts are posted', channel_types: [ChannelKind.GuildText] },
    { type: OptionType.Role, name: 'add_staff_role', description: 'Another role that works tickets, next to the current ones' },
    { type: OptionType.Role, name: 'remove_staff_role', description: 'Stop a role from working tickets (not the last one)' },
    {
      type: OptionType.String,
      name: 'clear',
      description: 'Unset the log or the transcript channel',
      choices: SETUP_CLEARABLE.map((value) => ({ name: value.replace('_', ' '), value })),
    },
  ] as never,
});

/** `/setup` — a working ticket setup in one step; run again to change any part. */
export const setupCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'setup',
  async execute(interaction, deps) {
    const guildId = requireManageGuild(interaction);
    const o = new CommandOptions(interaction);
    const textChannel = (name: string) => {
      const c = o.channel(name);
      if (c && c.type !== ChannelKind.GuildText) throw new UserError(`\`${name}\` must be a text channel.`);
      return c?.id ?? null;
    };
    const category = o.channel('ticket_category');
    if (category && category.type !== ChannelKind.GuildCategory) throw new UserError('`ticket_category` must be a category.');
    const mode = o.string('mode');
    const clear = o.string('clear');
    const staffRole = o.role('staff_role');
    const addStaffRole = o.role('add_staff_role');
    const result = await applySetup(
      {
        guildId,
        staffRoleId: staffRole?.id ?? null,
        staffRoleManaged: staffRole?.managed,
        addStaffRole: addStaffRole ? { id: addStaffRole.id, managed: addStaffRole.managed } : null,
        removeStaffRoleId: o.string('remove_staff_role'),
        clear: SETUP_CLEARABLE.find((c) => c === clear) ?? null,
        mode: mode === 'thread' || mode === 'channel' ? mode : null,
        supportChannelId: textChannel('support_channel'),
        ticketCategoryId: category?.id ?? null,
        logChannelId: textChannel('log_channel'),
        transcriptChannelId: textChannel('transcript_channel'),
        appPermissions: interaction.app_permissions ?? null,
        now: deps.clock.now(),
      },
      deps,
    );
    const s = result.settings;
    // The roles given here come with their permissions (`/status` checks every staff role).
    const unseen = s.mode === 'thread' ? threadVisibilityWarning(rolesWithoutThreadAccess([staffRole, addStaffRole].filter((r) => r !== null))) : null;
    const lines = [
      '**Tickets are set up.**',
      `• Staff: ${s.staffRoleIds.map(roleMention).join(', ')}`,
      `• Mode: ${s.mode === 'thread' ? `private threads under ${channelLink(s.supportChannelId!)}` : `channels in ${channelLink(s.ticketCategoryId!)}`}`,
      `• Log channel: ${s.logChannelId ? channelLink(s.logChannelId) : 'none'}`,
      `• Transcript channel: ${s.transcriptChannelId ? channelLink(s.transcriptChannelId) : 'none'}`,
      result.createdDefaultCategory ? '• Created the category **General**; members can now use `/ticket open`.' : '',
      result.missingPermissions.length
        ? `⚠️ Deskwire is missing ${result.missingPermissions.map((p) => `**${p}**`).join(', ')} here: tickets will fail until you grant ${result.missingPermissions.length === 1 ? 'it' : 'them'} to the Deskwire role.`
        : '',
      unseen ?? '',
      removedStaffNote(o.string('remove_staff_role')),
    ].filter(Boolean);
    return { reply: ephemeralReply(lines.join('\n')) };
  },
};

/**
 * Removing a staff role changes new tickets only: tickets already open keep the access it was given
 * (its overwrite on ticket channels, the thread members it let in). Said instead of rewriting every
 * open ticket, which staff can do per ticket where it matters.
 */
function removedStaffNote(roleId: string | null): string {
  if (!roleId) return '';
  return `ℹ️ Tickets already open are not changed: ${roleMention(roleId)} keeps its access to open ticket channels until they close (take it away in one with \`/ticket remove_role\`), and its members stay in the ticket threads they joined (\`/ticket remove\`).`;
}
